/// One `key = value` found in a block, with the dotted name messages use
/// (`consul.ssl.verify`).
struct Field {
    let key: String
    let name: String
    let node: ConfigNode
}

/// Typed readers over syntax-tree values, with consul-template's conversions
/// (mapstructure's, without weak typing) and located errors.
struct ValueReader {
    let path: String

    func error(_ message: String, at position: ConfigPosition) -> ConfigError {
        ConfigError(path: path, at: position, message)
    }

    func typeError(_ f: Field, expected: String) -> ConfigError {
        error("\(f.name): expected \(expected), found \(f.node.kindName)", at: f.node.position)
    }

    /// The objects of a block: one `{ … }`, or a list of them (JSON's way to
    /// repeat a block).
    func objects(_ f: Field) throws(ConfigError) -> [[ConfigEntry]] {
        switch f.node.value {
        case .object(let entries):
            return [entries]
        case .list(let items):
            var result: [[ConfigEntry]] = []
            for item in items {
                guard case .object(let entries) = item.value else {
                    throw error("\(f.name): expected a block, found \(item.kindName)", at: item.position)
                }
                result.append(entries)
            }
            return result
        default:
            throw typeError(f, expected: "a block")
        }
    }

    /// Calls `body` for each entry, with its key in canonical spelling; an
    /// unknown key is an error naming the closest known one. Keys match
    /// exactly first, then ignoring case, as mapstructure does.
    func fields(
        _ entries: [ConfigEntry], in block: String, keys: [String],
        _ body: (Field) throws(ConfigError) -> Void
    ) throws(ConfigError) {
        for e in entries {
            let key = keys.first { $0 == e.key } ?? keys.first { $0.lowercased() == e.key.lowercased() }
            guard let key else {
                let place = block.isEmpty ? "" : " in \(block)"
                throw error(
                    "unknown key \"\(e.key)\"\(place)\(Suggestion.hint(for: e.key, in: keys))",
                    at: e.keyPosition)
            }
            try body(Field(key: key, name: block.isEmpty ? key : "\(block).\(key)", node: e.value))
        }
    }

    func string(_ f: Field) throws(ConfigError) -> String {
        guard case .string(let s) = f.node.value else { throw typeError(f, expected: "a string") }
        return s
    }

    /// A user or group: a name, or a numeric id written as a number.
    func stringOrNumber(_ f: Field) throws(ConfigError) -> String {
        switch f.node.value {
        case .string(let s): return s
        case .integer(let v): return String(v)
        default: throw typeError(f, expected: "a string or a number")
        }
    }

    func bool(_ f: Field) throws(ConfigError) -> Bool {
        guard case .bool(let b) = f.node.value else { throw typeError(f, expected: "a bool") }
        return b
    }

    func int(_ f: Field) throws(ConfigError) -> Int {
        switch f.node.value {
        case .integer(let v):
            return Int(v)
        case .float(let d) where d.rounded() == d && abs(d) < 9.0e18:
            return Int(d)
        default:
            throw typeError(f, expected: "an integer")
        }
    }

    /// A Go duration string (`"1m30s"`), or a number of nanoseconds: a bare
    /// number is decoded into Go's `time.Duration` (nanoseconds) by
    /// consul-template, and retmpl reads it the same way.
    func duration(_ f: Field) throws(ConfigError) -> Duration {
        switch f.node.value {
        case .string(let s):
            guard let d = GoDuration.parse(s) else {
                throw error(
                    "\(f.name): invalid duration \"\(s)\" (expected a number with a unit, e.g. \"5s\", \"1m30s\", \"250ms\")",
                    at: f.node.position)
            }
            return d
        case .integer(let v):
            return .nanoseconds(v)
        case .float(let d) where d.rounded() == d && abs(d) < 9.0e18:
            return .nanoseconds(Int64(d))
        default:
            throw typeError(f, expected: "a duration string such as \"5s\"")
        }
    }

    func signal(_ f: Field) throws(ConfigError) -> ConfigSignal {
        let s = try string(f)
        guard let sig = ConfigSignal(parsing: s) else {
            // Compare bare names: the shared "SIG" would make anything look close.
            var bare = Substring(s.uppercased())
            if bare.hasPrefix("SIG") { bare = bare.dropFirst(3) }
            let names = ConfigSignal.knownNames
            let hint = Suggestion.closest(to: String(bare), in: names.map { String($0.dropFirst(3)) })
                .map { "did you mean \"SIG\($0)\"?" }
                ?? "valid signals are " + names.joined(separator: ", ")
            throw error("\(f.name): unknown signal \"\(s)\" (\(hint))", at: f.node.position)
        }
        return sig
    }

    /// A list of strings; a string is split on commas as mapstructure's
    /// `StringToSliceHookFunc(",")` does (`""` is the empty list).
    func stringList(_ f: Field) throws(ConfigError) -> [String] {
        switch f.node.value {
        case .string(let s):
            return s.isEmpty ? [] : s.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
        case .list(let items):
            return try strings(items, f)
        default:
            throw typeError(f, expected: "a list of strings")
        }
    }

    /// A command: a string is one element (a shell command line), a list is
    /// argv. `""` is no command.
    func command(_ f: Field) throws(ConfigError) -> [String] {
        switch f.node.value {
        case .string(let s):
            return s.isEmpty ? [] : [s]
        case .list(let items):
            return try strings(items, f)
        default:
            throw typeError(f, expected: "a string or a list of strings")
        }
    }

    private func strings(_ items: [ConfigNode], _ f: Field) throws(ConfigError) -> [String] {
        var result: [String] = []
        for item in items {
            guard case .string(let s) = item.value else {
                throw error("\(f.name): expected a list of strings, found a \(item.kindName) in it", at: item.position)
            }
            result.append(s)
        }
        return result
    }

    /// File permissions: octal text (`"0644"`, `"644"`, as Go's
    /// `ParseUint(s, 8, 12)`) or a number taken as the mode itself (so
    /// HCL's octal literal `0644` works; decimal `644` is 0o1204, as in
    /// consul-template).
    func perms(_ f: Field) throws(ConfigError) -> UInt32 {
        switch f.node.value {
        case .string(let s):
            guard !s.isEmpty, let v = UInt32(s, radix: 8), v <= 0o7777 else {
                throw error("\(f.name): invalid file mode \"\(s)\" (expected octal, e.g. \"0644\")", at: f.node.position)
            }
            return v
        case .integer(let v):
            guard v >= 0 && v <= 0o7777 else {
                throw error("\(f.name): file mode \(v) is out of range (expected at most 07777)", at: f.node.position)
            }
            return UInt32(v)
        default:
            throw typeError(f, expected: "an octal mode such as \"0644\"")
        }
    }

    /// `"min:max"` or `"min"` (max is then 4×min), as consul-template's `ParseWaitConfig`.
    func waitString(_ f: Field, _ s: String) throws(ConfigError) -> WaitConfig {
        let trimmed = s.trimmingSpaces
        guard !trimmed.isEmpty else { throw error("\(f.name): wait cannot be empty", at: f.node.position) }
        let parts = trimmed.split(separator: ":", omittingEmptySubsequences: false).map { String($0).trimmingSpaces }
        guard parts.count <= 2 else {
            throw error("\(f.name): invalid wait \"\(s)\" (expected \"min\" or \"min:max\")", at: f.node.position)
        }
        var values: [Duration] = []
        for p in parts {
            guard let d = GoDuration.parse(p) else {
                throw error(
                    "\(f.name): invalid duration \"\(p)\" (expected a number with a unit, e.g. \"5s\", \"1m30s\", \"250ms\")",
                    at: f.node.position)
            }
            values.append(d)
        }
        let min = values[0]
        let max = values.count == 2 ? values[1] : min * 4
        guard min >= .zero && max >= .zero else { throw error("\(f.name): wait cannot be negative", at: f.node.position) }
        guard max >= min else { throw error("\(f.name): wait min must not exceed max", at: f.node.position) }
        return WaitConfig(min: min, max: max)
    }
}

extension String {
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        return String(self.drop(while: isSpace).reversed().drop(while: isSpace).reversed())
    }
}
