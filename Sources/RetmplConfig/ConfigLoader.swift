import Foundation

extension ConfigFile {
    /// Parses and decodes one configuration text (HCL, or JSON when it starts
    /// with `{`).
    ///
    /// - Parameters:
    ///   - text: the file's contents.
    ///   - path: the name errors report.
    /// - Throws: ``ConfigError`` for a syntax error, an unknown key, a value
    ///   of the wrong type, or an invalid duration, signal, mode or wait.
    public static func parse(_ text: String, path: String) throws(ConfigError) -> ConfigFile {
        let tree = try ConfigSyntax.parse(text, path: path)
        return try ConfigDecoder(path: path).decode(tree)
    }

    /// Loads configuration files and merges them left to right (later wins,
    /// see ``merging(_:)``), as `-config` given several times does.
    ///
    /// A directory stands for every file below it, recursively, in lexical
    /// order (Go's `filepath.Walk`, as consul-template). Inside a directory,
    /// symbolic links to directories are not followed; links to files are read.
    ///
    /// - Parameter paths: files or directories.
    /// - Returns: the merged configuration (empty for no files).
    /// - Throws: ``ConfigError`` for a missing or unreadable path, or the
    ///   first error in any file.
    public static func load(paths: [String]) throws(ConfigError) -> ConfigFile {
        var result = ConfigFile()
        for path in paths {
            for file in try configFiles(at: path) {
                result = result.merging(try parse(try readText(file), path: file))
            }
        }
        return result
    }

    /// The files `path` stands for, in merge order.
    static func configFiles(at path: String) throws(ConfigError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ConfigError(path: path, "no such file or directory")
        }
        guard isDirectory.boolValue else { return [path] }
        var files: [String] = []
        try walk(path, into: &files)
        return files
    }

    private static func walk(_ directory: String, into files: inout [String]) throws(ConfigError) {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
        } catch {
            throw ConfigError(path: directory, "cannot list directory: \(error.localizedDescription)")
        }
        // Go sorts names bytewise.
        for name in names.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
            let child = directory.hasSuffix("/") ? directory + name : directory + "/" + name
            // attributesOfItem does not follow links (lstat), as filepath.Walk.
            let type = (try? FileManager.default.attributesOfItem(atPath: child))?[.type] as? FileAttributeType
            if type == .typeDirectory {
                try walk(child, into: &files)
            } else if type == .typeSymbolicLink {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: child, isDirectory: &isDirectory), !isDirectory.boolValue {
                    files.append(child)
                }
            } else {
                files.append(child)
            }
        }
    }

    private static func readText(_ path: String) throws(ConfigError) -> String {
        do {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            return String(decoding: data, as: UTF8.self)
        } catch {
            throw ConfigError(path: path, "cannot read: \(error.localizedDescription)")
        }
    }
}
