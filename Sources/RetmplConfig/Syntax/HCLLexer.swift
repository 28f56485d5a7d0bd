/// Tokens of HCL version 1, the dialect consul-template reads (hashicorp/hcl v1).
struct HCLToken {
    enum Kind: Equatable {
        case identifier(String)
        /// A quoted string or a heredoc, already unescaped.
        case string(String)
        case integer(Int64)
        case float(Double)
        case leftBrace, rightBrace, leftBracket, rightBracket, equals, comma
        case end
    }

    var kind: Kind
    var position: ConfigPosition

    /// The token in words, for "unexpected …" messages.
    var text: String {
        switch kind {
        case .identifier(let s): "identifier \"\(s)\""
        case .string: "string"
        case .integer, .float: "number"
        case .leftBrace: "'{'"
        case .rightBrace: "'}'"
        case .leftBracket: "'['"
        case .rightBracket: "']'"
        case .equals: "'='"
        case .comma: "','"
        case .end: "end of file"
        }
    }
}

/// Splits HCL v1 source into tokens: identifiers, strings (with Go escapes and
/// `<<EOF` / `<<-EOF` heredocs), numbers, punctuation. `#`, `//` and `/* */`
/// comments are skipped.
struct HCLLexer {
    private var cursor: SourceCursor

    init(_ bytes: [UInt8], path: String) {
        cursor = SourceCursor(bytes, path: path)
    }

    mutating func next() throws(ConfigError) -> HCLToken {
        try skipSpaceAndComments()
        let start = cursor.position
        guard let b = cursor.peek() else { return HCLToken(kind: .end, position: start) }
        func punct(_ k: HCLToken.Kind) -> HCLToken {
            cursor.advance()
            return HCLToken(kind: k, position: start)
        }
        switch b {
        case UInt8(ascii: "{"): return punct(.leftBrace)
        case UInt8(ascii: "}"): return punct(.rightBrace)
        case UInt8(ascii: "["): return punct(.leftBracket)
        case UInt8(ascii: "]"): return punct(.rightBracket)
        case UInt8(ascii: "="): return punct(.equals)
        case UInt8(ascii: ","): return punct(.comma)
        case UInt8(ascii: "\""): return HCLToken(kind: .string(try scanString()), position: start)
        case UInt8(ascii: "<") where cursor.peek(1) == UInt8(ascii: "<"):
            return HCLToken(kind: .string(try scanHeredoc()), position: start)
        case UInt8(ascii: "-"), UInt8(ascii: "+"):
            guard let d = cursor.peek(1), d.isASCIIDigit || d == UInt8(ascii: ".") else {
                throw cursor.error("unexpected \(describeByte(b))")
            }
            return try scanNumber()
        case _ where b.isASCIIDigit || b == UInt8(ascii: "."):
            return try scanNumber()
        case _ where b.isASCIILetter || b == UInt8(ascii: "_") || b >= 0x80:
            var ident: [UInt8] = []
            while let c = cursor.peek(),
                c.isASCIILetter || c.isASCIIDigit || c == UInt8(ascii: "_") || c == UInt8(ascii: "-")
                    || c == UInt8(ascii: ".") || c >= 0x80
            {
                ident.append(c)
                cursor.advance()
            }
            return HCLToken(kind: .identifier(String(decoding: ident, as: UTF8.self)), position: start)
        default:
            throw cursor.error("unexpected \(describeByte(b))")
        }
    }

    private mutating func skipSpaceAndComments() throws(ConfigError) {
        while let b = cursor.peek() {
            switch b {
            case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
                cursor.advance()
            case UInt8(ascii: "#"):
                skipLine()
            case UInt8(ascii: "/") where cursor.peek(1) == UInt8(ascii: "/"):
                skipLine()
            case UInt8(ascii: "/") where cursor.peek(1) == UInt8(ascii: "*"):
                let start = cursor.position
                cursor.advance(by: 2)
                while true {
                    guard let c = cursor.peek() else { throw cursor.error("comment not terminated", at: start) }
                    if c == UInt8(ascii: "*") && cursor.peek(1) == UInt8(ascii: "/") {
                        cursor.advance(by: 2)
                        break
                    }
                    cursor.advance()
                }
            default:
                return
            }
        }
    }

    private mutating func skipLine() {
        while let c = cursor.peek(), c != UInt8(ascii: "\n") { cursor.advance() }
    }

    /// A double-quoted string. As in HCL v1, a newline ends it with an error,
    /// and inside `${ … }` quotes do not close it and escapes are kept as written.
    private mutating func scanString() throws(ConfigError) -> String {
        let start = cursor.position
        cursor.advance()
        var out: [UInt8] = []
        var braces = 0
        while true {
            guard let c = cursor.peek(), c != UInt8(ascii: "\n") else {
                throw cursor.error("string literal not terminated", at: start)
            }
            if c == UInt8(ascii: "\"") && braces == 0 {
                cursor.advance()
                break
            }
            if braces == 0 && c == UInt8(ascii: "$") && cursor.peek(1) == UInt8(ascii: "{") {
                braces += 1
                out.append(contentsOf: [c, UInt8(ascii: "{")])
                cursor.advance(by: 2)
                continue
            }
            if braces > 0 {
                if c == UInt8(ascii: "{") { braces += 1 }
                if c == UInt8(ascii: "}") { braces -= 1 }
                out.append(c)
                cursor.advance()
                continue
            }
            if c == UInt8(ascii: "\\") {
                try scanEscape(into: &out)
                continue
            }
            out.append(c)
            cursor.advance()
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's escapes: `\a \b \f \n \r \t \v \\ \"`, `\NNN` octal, `\xHH`, `\uHHHH`, `\UHHHHHHHH`.
    private mutating func scanEscape(into out: inout [UInt8]) throws(ConfigError) {
        let at = cursor.position
        cursor.advance()
        guard let e = cursor.peek(), e != UInt8(ascii: "\n") else {
            throw cursor.error("string literal not terminated", at: at)
        }
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "a"): 0x07, UInt8(ascii: "b"): 0x08, UInt8(ascii: "f"): 0x0C,
            UInt8(ascii: "n"): 0x0A, UInt8(ascii: "r"): 0x0D, UInt8(ascii: "t"): 0x09,
            UInt8(ascii: "v"): 0x0B, UInt8(ascii: "\\"): 0x5C, UInt8(ascii: "\""): 0x22,
        ]
        if let s = simple[e] {
            out.append(s)
            cursor.advance()
            return
        }
        var digits = 0
        var radix: UInt32 = 16
        switch e {
        case UInt8(ascii: "x"): digits = 2
        case UInt8(ascii: "u"): digits = 4
        case UInt8(ascii: "U"): digits = 8
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            digits = 3
            radix = 8
        default:
            throw cursor.error("invalid escape sequence \\\(Character(Unicode.Scalar(e)))", at: at)
        }
        if radix == 16 { cursor.advance() }
        var value: UInt32 = 0
        for _ in 0..<digits {
            guard let d = cursor.peek(), radix == 16 ? d.isHexDigit : (d >= 0x30 && d <= 0x37) else {
                throw cursor.error("invalid escape sequence", at: at)
            }
            value = value * radix + d.hexValue
            cursor.advance()
        }
        if e == UInt8(ascii: "x") || radix == 8 {
            guard value <= 0xFF else { throw cursor.error("invalid escape sequence", at: at) }
            out.append(UInt8(value))  // a raw byte, as in Go
        } else {
            guard let scalar = Unicode.Scalar(value) else {
                throw cursor.error("escape sequence is an invalid Unicode code point", at: at)
            }
            out.append(contentsOf: Array(String(Character(scalar)).utf8))
        }
    }

    /// `<<EOF` … `EOF`: the lines between, each with its newline. `<<-EOF`
    /// removes the closing marker's indentation from every line (HCL v1 rule:
    /// only when all lines carry it).
    private mutating func scanHeredoc() throws(ConfigError) -> String {
        let start = cursor.position
        cursor.advance(by: 2)
        var indented = false
        if cursor.peek() == UInt8(ascii: "-") {
            indented = true
            cursor.advance()
        }
        var anchor: [UInt8] = []
        while let c = cursor.peek(), c.isASCIILetter || c.isASCIIDigit || c == UInt8(ascii: "_") {
            anchor.append(c)
            cursor.advance()
        }
        guard !anchor.isEmpty else { throw cursor.error("heredoc anchor expected after <<", at: start) }
        if cursor.peek() == UInt8(ascii: "\r") { cursor.advance() }
        guard cursor.peek() == UInt8(ascii: "\n") else {
            throw cursor.error("heredoc anchor must be followed by a newline", at: start)
        }
        cursor.advance()
        var lines: [ArraySlice<UInt8>] = []
        while true {
            guard !cursor.atEnd else {
                throw cursor.error("heredoc not terminated (expected a line with \(String(decoding: anchor, as: UTF8.self)))", at: start)
            }
            let lineStart = cursor.offset
            while let c = cursor.peek(), c != UInt8(ascii: "\n") { cursor.advance() }
            var line = cursor.bytes[lineStart..<cursor.offset]
            if cursor.peek() == UInt8(ascii: "\n") { cursor.advance() }
            if line.last == UInt8(ascii: "\r") { line = line.dropLast() }
            let body = line.drop { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }
            if body.elementsEqual(anchor) {
                let prefix = line.prefix(line.count - body.count)
                if indented && !prefix.isEmpty && lines.allSatisfy({ $0.starts(with: prefix) }) {
                    lines = lines.map { $0.dropFirst(prefix.count) }
                }
                break
            }
            lines.append(line)
        }
        var out: [UInt8] = []
        for l in lines {
            out.append(contentsOf: l)
            out.append(UInt8(ascii: "\n"))
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Integers as Go's `ParseInt(s, 0, 64)` reads them (`0x` hex, leading `0`
    /// octal), floats with a fraction or exponent.
    private mutating func scanNumber() throws(ConfigError) -> HCLToken {
        let start = cursor.position
        var text: [UInt8] = []
        if let s = cursor.peek(), s == UInt8(ascii: "-") || s == UInt8(ascii: "+") {
            text.append(s)
            cursor.advance()
        }
        var isFloat = false
        if cursor.peek() == UInt8(ascii: "0"), let x = cursor.peek(1), x | 0x20 == UInt8(ascii: "x") {
            text.append(contentsOf: [UInt8(ascii: "0"), x])
            cursor.advance(by: 2)
            while let c = cursor.peek(), c.isHexDigit {
                text.append(c)
                cursor.advance()
            }
        } else {
            while let c = cursor.peek(), c.isASCIIDigit {
                text.append(c)
                cursor.advance()
            }
            if cursor.peek() == UInt8(ascii: ".") {
                isFloat = true
                text.append(UInt8(ascii: "."))
                cursor.advance()
                while let c = cursor.peek(), c.isASCIIDigit {
                    text.append(c)
                    cursor.advance()
                }
            }
            if let e = cursor.peek(), e | 0x20 == UInt8(ascii: "e") {
                isFloat = true
                text.append(e)
                cursor.advance()
                if let s = cursor.peek(), s == UInt8(ascii: "-") || s == UInt8(ascii: "+") {
                    text.append(s)
                    cursor.advance()
                }
                while let c = cursor.peek(), c.isASCIIDigit {
                    text.append(c)
                    cursor.advance()
                }
            }
        }
        if let c = cursor.peek(), c.isASCIILetter || c == UInt8(ascii: "_") {
            throw cursor.error("invalid number (strings need double quotes)", at: start)
        }
        let s = String(decoding: text, as: UTF8.self)
        if isFloat {
            guard let d = Double(s), d.isFinite else { throw cursor.error("invalid number \(s)", at: start) }
            return HCLToken(kind: .float(d), position: start)
        }
        guard let v = parseGoInteger(s) else { throw cursor.error("invalid number \(s)", at: start) }
        return HCLToken(kind: .integer(v), position: start)
    }
}

/// Go's `strconv.ParseInt(s, 0, 64)` for the forms HCL lexes: an optional
/// sign, then `0x…` hexadecimal, `0…` octal or decimal.
func parseGoInteger(_ s: String) -> Int64? {
    var body = Substring(s)
    var negative = false
    if let f = body.first, f == "-" || f == "+" {
        negative = f == "-"
        body = body.dropFirst()
    }
    var radix = 10
    if body.hasPrefix("0x") || body.hasPrefix("0X") {
        radix = 16
        body = body.dropFirst(2)
    } else if body.count > 1 && body.hasPrefix("0") {
        radix = 8
        body = body.dropFirst()
    }
    guard !body.isEmpty, let magnitude = UInt64(body, radix: radix) else { return nil }
    if negative {
        guard magnitude <= UInt64(Int64.max) + 1 else { return nil }
        return magnitude == UInt64(Int64.max) + 1 ? Int64.min : -Int64(magnitude)
    }
    guard magnitude <= UInt64(Int64.max) else { return nil }
    return Int64(magnitude)
}
