/// A configuration problem a user can act on, with where it is.
///
/// `description` reads `path:line:col: message`, e.g.
///
///     /etc/retmpl/app.hcl:4:3: unknown key "destinaton" in template (did you mean "destination"?)
///
/// Errors that have no position in a file (a missing path) read `path: message`.
public struct ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The file as it was given (or found while walking a directory).
    public let path: String
    /// 1-based line and byte column; 0 when the error concerns the file as a whole.
    public let line: Int
    public let column: Int
    /// What is wrong, without the location prefix.
    public let message: String

    public init(path: String, line: Int, column: Int, message: String) {
        self.path = path
        self.line = line
        self.column = column
        self.message = message
    }

    init(path: String, at position: ConfigPosition, _ message: String) {
        self.init(path: path, line: position.line, column: position.column, message: message)
    }

    init(path: String, _ message: String) {
        self.init(path: path, line: 0, column: 0, message: message)
    }

    public var description: String {
        line > 0 ? "\(path):\(line):\(column): \(message)" : "\(path): \(message)"
    }
}
