/// Command-line flags parsed by Go's `flag` rules, as consul-template's users
/// type them: `-x` and `--x` are the same, `-x=v` or `-x v`, booleans take
/// `-b` or `-b=false` (never a separate value), parsing stops at the first
/// non-flag argument or at `--`, and `-h`/`-help` ask for usage.
struct GoFlags {
    enum Kind { case bool, value }

    struct Definition {
        let name: String
        let kind: Kind
        let placeholder: String
        let usage: String
        let topic: String
    }

    enum Failure: Error, CustomStringConvertible {
        case help
        case message(String)
        var description: String {
            switch self {
            case .help: return "help requested"
            case .message(let m): return m
            }
        }
    }

    private(set) var definitions: [Definition] = []
    private var byName: [String: Int] = [:]
    /// Values in the order given; repeatable flags keep all of them.
    private(set) var values: [String: [String]] = [:]
    private(set) var arguments: [String] = []

    mutating func bool(_ name: String, topic: String = "General", _ usage: String) {
        add(Definition(name: name, kind: .bool, placeholder: "", usage: usage, topic: topic))
    }

    mutating func value(_ name: String, _ placeholder: String, topic: String = "General", _ usage: String) {
        add(Definition(name: name, kind: .value, placeholder: placeholder, usage: usage, topic: topic))
    }

    private mutating func add(_ d: Definition) {
        byName[d.name] = definitions.count
        definitions.append(d)
    }

    /// Parses `args` for a command: nil to go on, or the exit status after
    /// printing help (`-h`: `usage` and the flags, status 0) or the error
    /// (`rejected` gets it and the flags' usage, and returns the message and
    /// the command's usage status).
    mutating func parse(
        _ args: [String], usage: String, rejected: (Failure, _ flags: String) -> (message: String, status: Int32)
    ) -> Int32? {
        do {
            try parse(args)
            return nil
        } catch {
            if case .help = error {
                Console.err(usage + self.usage())
                return 0
            }
            let (message, status) = rejected(error, self.usage())
            Console.err(message)
            return status
        }
    }

    mutating func parse(_ args: [String]) throws(Failure) {
        var i = 0
        while i < args.count {
            let a = args[i]
            guard a.count >= 2, a.hasPrefix("-") else { break }
            var name = String(a.dropFirst())
            if name.hasPrefix("-") {
                name = String(name.dropFirst())
                if name.isEmpty {  // "--" ends the flags
                    i += 1
                    break
                }
            }
            if name.isEmpty || name.hasPrefix("-") || name.hasPrefix("=") {
                throw .message("bad flag syntax: \(a)")
            }
            var inline: String? = nil
            if let eq = name.firstIndex(of: "=") {
                inline = String(name[name.index(after: eq)...])
                name = String(name[..<eq])
            }
            guard let idx = byName[name] else {
                if name == "h" || name == "help" { throw .help }
                throw .message("flag provided but not defined: -\(name)")
            }
            let d = definitions[idx]
            i += 1
            switch d.kind {
            case .bool:
                let v = inline ?? "true"
                guard let b = GoFlags.parseBool(v) else {
                    throw .message("invalid boolean value \"\(v)\" for -\(name): parse error")
                }
                values[name, default: []].append(b ? "true" : "false")
            case .value:
                if let v = inline {
                    values[name, default: []].append(v)
                } else {
                    guard i < args.count else { throw .message("flag needs an argument: -\(name)") }
                    values[name, default: []].append(args[i])
                    i += 1
                }
            }
        }
        arguments = Array(args[i...])
    }

    /// Go's `strconv.ParseBool`.
    static func parseBool(_ s: String) -> Bool? {
        switch s {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: return nil
        }
    }

    func string(_ name: String) -> String? { values[name]?.last }
    func all(_ name: String) -> [String] { values[name] ?? [] }
    func isSet(_ name: String) -> Bool { values[name] != nil }
    func flag(_ name: String) -> Bool { values[name]?.last == "true" }

    /// Usage text grouped by topic, in definition order.
    func usage() -> String {
        var topics: [String] = []
        for d in definitions where !topics.contains(d.topic) { topics.append(d.topic) }
        var out = ""
        for t in topics {
            out += "\n\(t):\n"
            for d in definitions where d.topic == t {
                let head = d.placeholder.isEmpty ? "  -\(d.name)" : "  -\(d.name) \(d.placeholder)"
                out += head + "\n      " + d.usage + "\n"
            }
        }
        return out
    }
}
