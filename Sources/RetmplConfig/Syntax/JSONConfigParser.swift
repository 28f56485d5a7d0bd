/// Parses the JSON form of a configuration file into the same ``ConfigNode``
/// tree as HCL, keeping positions (Foundation's JSON reader has none) and
/// duplicate keys (a repeated `"template"` appends, as in HCL).
struct JSONConfigParser {
    private var cursor: SourceCursor
    private var depth = 0

    init(_ bytes: [UInt8], path: String) {
        cursor = SourceCursor(bytes, path: path)
    }

    mutating func parseFile() throws(ConfigError) -> ConfigNode {
        skipSpace()
        guard cursor.peek() == UInt8(ascii: "{") else {
            throw cursor.error("a JSON configuration must be an object")
        }
        let node = try parseValue()
        skipSpace()
        if let b = cursor.peek() { throw cursor.error("unexpected \(describeByte(b)) after the top-level object") }
        return node
    }

    private mutating func skipSpace() {
        while let b = cursor.peek(),
            b == UInt8(ascii: " ") || b == UInt8(ascii: "\t") || b == UInt8(ascii: "\n") || b == UInt8(ascii: "\r")
        {
            cursor.advance()
        }
    }

    private mutating func expect(_ c: UInt8, _ what: String) throws(ConfigError) {
        skipSpace()
        guard cursor.peek() == c else {
            let found = cursor.peek().map(describeByte) ?? "end of file"
            throw cursor.error("expected \(what), found \(found)")
        }
        cursor.advance()
    }

    private mutating func parseValue() throws(ConfigError) -> ConfigNode {
        skipSpace()
        let at = cursor.position
        guard let b = cursor.peek() else { throw cursor.error("expected a value, found end of file") }
        switch b {
        case UInt8(ascii: "{"):
            return try parseObject()
        case UInt8(ascii: "["):
            return try parseArray()
        case UInt8(ascii: "\""):
            return ConfigNode(.string(try parseString()), at: at)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber()
        default:
            for (word, value) in [("true", ConfigNode.Value.bool(true)), ("false", .bool(false))] {
                if matches(word) {
                    cursor.advance(by: word.utf8.count)
                    return ConfigNode(value, at: at)
                }
            }
            if matches("null") { throw cursor.error("null is not a valid configuration value") }
            throw cursor.error("unexpected \(describeByte(b))")
        }
    }

    private func matches(_ word: String) -> Bool {
        for (i, c) in word.utf8.enumerated() where cursor.peek(i) != c { return false }
        return true
    }

    private mutating func enter() throws(ConfigError) {
        depth += 1
        guard depth <= HCLParser.maxDepth else { throw cursor.error("nesting deeper than \(HCLParser.maxDepth) levels") }
    }

    private mutating func parseObject() throws(ConfigError) -> ConfigNode {
        let at = cursor.position
        try enter()
        cursor.advance()
        var entries: [ConfigEntry] = []
        skipSpace()
        if cursor.peek() == UInt8(ascii: "}") {
            cursor.advance()
        } else {
            while true {
                skipSpace()
                let keyAt = cursor.position
                guard cursor.peek() == UInt8(ascii: "\"") else {
                    throw cursor.error("expected a quoted key")
                }
                let key = try parseString()
                try expect(UInt8(ascii: ":"), "':'")
                entries.append(ConfigEntry(key: key, keyPosition: keyAt, value: try parseValue()))
                skipSpace()
                if cursor.peek() == UInt8(ascii: ",") {
                    cursor.advance()
                    continue
                }
                try expect(UInt8(ascii: "}"), "',' or '}'")
                break
            }
        }
        depth -= 1
        return ConfigNode(.object(entries), at: at)
    }

    private mutating func parseArray() throws(ConfigError) -> ConfigNode {
        let at = cursor.position
        try enter()
        cursor.advance()
        var items: [ConfigNode] = []
        skipSpace()
        if cursor.peek() == UInt8(ascii: "]") {
            cursor.advance()
        } else {
            while true {
                items.append(try parseValue())
                skipSpace()
                if cursor.peek() == UInt8(ascii: ",") {
                    cursor.advance()
                    continue
                }
                try expect(UInt8(ascii: "]"), "',' or ']'")
                break
            }
        }
        depth -= 1
        return ConfigNode(.list(items), at: at)
    }

    private mutating func parseString() throws(ConfigError) -> String {
        let start = cursor.position
        cursor.advance()
        var out: [UInt8] = []
        while true {
            guard let c = cursor.peek(), c != UInt8(ascii: "\n") else {
                throw cursor.error("string literal not terminated", at: start)
            }
            cursor.advance()
            if c == UInt8(ascii: "\"") { break }
            guard c == UInt8(ascii: "\\") else {
                out.append(c)
                continue
            }
            let at = cursor.position
            guard let e = cursor.peek() else { throw cursor.error("string literal not terminated", at: start) }
            cursor.advance()
            switch e {
            case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(e)
            case UInt8(ascii: "b"): out.append(0x08)
            case UInt8(ascii: "f"): out.append(0x0C)
            case UInt8(ascii: "n"): out.append(0x0A)
            case UInt8(ascii: "r"): out.append(0x0D)
            case UInt8(ascii: "t"): out.append(0x09)
            case UInt8(ascii: "u"):
                var scalar = try hex4(at)
                if (0xD800..<0xDC00).contains(scalar), cursor.peek() == UInt8(ascii: "\\"), cursor.peek(1) == UInt8(ascii: "u") {
                    cursor.advance(by: 2)
                    let low = try hex4(at)
                    if (0xDC00..<0xE000).contains(low) {
                        scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                    }
                }
                let s = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                out.append(contentsOf: Array(String(Character(s)).utf8))
            default:
                throw cursor.error("invalid escape sequence", at: at)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func hex4(_ at: ConfigPosition) throws(ConfigError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            guard let d = cursor.peek(), d.isHexDigit else { throw cursor.error("invalid \\u escape", at: at) }
            v = v * 16 + d.hexValue
            cursor.advance()
        }
        return v
    }

    private mutating func parseNumber() throws(ConfigError) -> ConfigNode {
        let at = cursor.position
        var text: [UInt8] = []
        var isFloat = false
        while let c = cursor.peek() {
            if c.isASCIIDigit || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") {
                text.append(c)
            } else if c == UInt8(ascii: ".") || c | 0x20 == UInt8(ascii: "e") {
                isFloat = true
                text.append(c)
            } else {
                break
            }
            cursor.advance()
        }
        let s = String(decoding: text, as: UTF8.self)
        if !isFloat, let v = Int64(s) { return ConfigNode(.integer(v), at: at) }
        guard let d = Double(s), d.isFinite else { throw cursor.error("invalid number \(s)", at: at) }
        return ConfigNode(.float(d), at: at)
    }
}
