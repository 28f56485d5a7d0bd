/// Entry point for both syntaxes.
public enum ConfigSyntax {
    /// Parses a configuration file's text into its syntax tree.
    ///
    /// As hashicorp/hcl v1 does, text whose first non-blank character is `{`
    /// is read as JSON, anything else as HCL.
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - path: the name errors report.
    /// - Returns: the top-level object.
    /// - Throws: ``ConfigError`` at the first syntax error.
    public static func parse(_ text: String, path: String) throws(ConfigError) -> ConfigNode {
        var bytes = Array(text.utf8)
        // A UTF-8 byte order mark carries no meaning here.
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes.removeFirst(3) }
        let first = bytes.first { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "\t") && $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
        if first == UInt8(ascii: "{") {
            var parser = JSONConfigParser(bytes, path: path)
            return try parser.parseFile()
        }
        var parser = try HCLParser(bytes, path: path)
        return try parser.parseFile()
    }
}
