/// Parses HCL version 1 into a ``ConfigNode`` object.
///
/// Grammar (hashicorp/hcl v1, the subset configuration files use):
///
///     file    := items EOF
///     items   := (item ','?)*
///     item    := key+ object | key '=' value        key := identifier | string
///     value   := string | heredoc | number | 'true' | 'false' | list | object
///     list    := '[' (value (',' value)* ','?)? ']'
///     object  := '{' items '}'
///
/// `a "b" { … }` nests as `a { b { … } }`.
struct HCLParser {
    /// Deeper nesting than this is an error, not a stack overflow.
    static let maxDepth = 64

    private var lexer: HCLLexer
    private var token: HCLToken
    private let path: String
    private var depth = 0

    init(_ bytes: [UInt8], path: String) throws(ConfigError) {
        self.path = path
        lexer = HCLLexer(bytes, path: path)
        token = try lexer.next()
    }

    mutating func parseFile() throws(ConfigError) -> ConfigNode {
        let start = token.position
        var entries: [ConfigEntry] = []
        while token.kind != .end {
            entries.append(try parseItem())
            if token.kind == .comma { try advance() }
        }
        return ConfigNode(.object(entries), at: start)
    }

    private mutating func advance() throws(ConfigError) {
        token = try lexer.next()
    }

    private func error(_ message: String, at position: ConfigPosition) -> ConfigError {
        ConfigError(path: path, at: position, message)
    }

    private mutating func parseItem() throws(ConfigError) -> ConfigEntry {
        var keys: [(String, ConfigPosition)] = []
        while true {
            switch token.kind {
            case .identifier(let s), .string(let s):
                keys.append((s, token.position))
                try advance()
                continue
            default:
                break
            }
            break
        }
        guard let first = keys.first else {
            throw error("expected a key, found \(token.text)", at: token.position)
        }
        var value: ConfigNode
        switch token.kind {
        case .equals:
            guard keys.count == 1 else {
                throw error("'=' after several keys; a block with labels needs '{'", at: token.position)
            }
            try advance()
            value = try parseValue()
        case .leftBrace:
            value = try parseObject()
        default:
            throw error("expected '=' or '{' after key \"\(keys[keys.count - 1].0)\", found \(token.text)", at: token.position)
        }
        // Labels wrap the block from the innermost outwards.
        for (label, position) in keys.dropFirst().reversed() {
            value = ConfigNode(.object([ConfigEntry(key: label, keyPosition: position, value: value)]), at: position)
        }
        return ConfigEntry(key: first.0, keyPosition: first.1, value: value)
    }

    private mutating func parseValue() throws(ConfigError) -> ConfigNode {
        let at = token.position
        switch token.kind {
        case .string(let s):
            try advance()
            return ConfigNode(.string(s), at: at)
        case .integer(let v):
            try advance()
            return ConfigNode(.integer(v), at: at)
        case .float(let v):
            try advance()
            return ConfigNode(.float(v), at: at)
        case .identifier("true"), .identifier("false"):
            let b = token.kind == .identifier("true")
            try advance()
            return ConfigNode(.bool(b), at: at)
        case .identifier(let s):
            throw error("unexpected identifier \"\(s)\" as a value (strings need double quotes)", at: at)
        case .leftBracket:
            return try parseList()
        case .leftBrace:
            return try parseObject()
        default:
            throw error("expected a value, found \(token.text)", at: at)
        }
    }

    private mutating func enter(_ at: ConfigPosition) throws(ConfigError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw error("nesting deeper than \(Self.maxDepth) levels", at: at) }
    }

    private mutating func parseList() throws(ConfigError) -> ConfigNode {
        let at = token.position
        try enter(at)
        try advance()
        var items: [ConfigNode] = []
        while token.kind != .rightBracket {
            if token.kind == .end { throw error("list not terminated (expected ']')", at: at) }
            items.append(try parseValue())
            if token.kind == .comma {
                try advance()
            } else if token.kind != .rightBracket {
                throw error("expected ',' or ']' in list, found \(token.text)", at: token.position)
            }
        }
        try advance()
        depth -= 1
        return ConfigNode(.list(items), at: at)
    }

    private mutating func parseObject() throws(ConfigError) -> ConfigNode {
        let at = token.position
        try enter(at)
        try advance()
        var entries: [ConfigEntry] = []
        while token.kind != .rightBrace {
            if token.kind == .end { throw error("block not terminated (expected '}')", at: at) }
            entries.append(try parseItem())
            if token.kind == .comma { try advance() }
        }
        try advance()
        depth -= 1
        return ConfigNode(.object(entries), at: at)
    }
}
