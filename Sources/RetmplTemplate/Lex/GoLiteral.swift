/// Go's string literal rules (`strconv.Quote` / `strconv.Unquote`), which the
/// parser needs for string, raw string and character literals.
public enum GoLiteral {
    public struct SyntaxError: Error, Sendable {}

    /// `strconv.Quote`: a double-quoted Go string literal with escapes for
    /// non-printable runes and invalid UTF-8.
    public static func quote(_ s: String) -> String {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        appendQuoted(Array(s.utf8), quote: UInt8(ascii: "\""), asciiOnly: false, to: &out)
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    /// Go's `unicode.IsPrint` (letters, marks, numbers, punctuation, symbols, ASCII space).
    public static func isPrint(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x80 { return s.value >= 0x20 && s.value < 0x7F }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    /// Appends the body of a quoted literal (without the surrounding quotes).
    public static func appendQuoted(_ bytes: [UInt8], quote: UInt8, asciiOnly: Bool, to out: inout [UInt8]) {
        let hex: [UInt8] = Array("0123456789abcdef".utf8)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                i += 1
                if b == quote || b == UInt8(ascii: "\\") {
                    out.append(UInt8(ascii: "\\"))
                    out.append(b)
                    continue
                }
                if b >= 0x20 && b < 0x7F {
                    out.append(b)
                    continue
                }
                out.append(UInt8(ascii: "\\"))
                switch b {
                case 0x07: out.append(UInt8(ascii: "a"))
                case 0x08: out.append(UInt8(ascii: "b"))
                case 0x0C: out.append(UInt8(ascii: "f"))
                case 0x0A: out.append(UInt8(ascii: "n"))
                case 0x0D: out.append(UInt8(ascii: "r"))
                case 0x09: out.append(UInt8(ascii: "t"))
                case 0x0B: out.append(UInt8(ascii: "v"))
                default:
                    out.append(UInt8(ascii: "x"))
                    out.append(hex[Int(b >> 4)])
                    out.append(hex[Int(b & 0xF)])
                }
                continue
            }
            // Multi-byte: decode one scalar.
            var it = bytes[i...].makeIterator()
            var dec = UTF8()
            if case .scalarValue(let s) = dec.decode(&it) {
                let w = UTF8.width(s)
                if !asciiOnly && isPrint(s) {
                    out.append(contentsOf: bytes[i..<(i + w)])
                } else if s.value < 0x10000 {
                    out.append(contentsOf: Array("\\u".utf8))
                    for shift in stride(from: 12, through: 0, by: -4) { out.append(hex[Int((s.value >> UInt32(shift)) & 0xF)]) }
                } else {
                    out.append(contentsOf: Array("\\U".utf8))
                    for shift in stride(from: 28, through: 0, by: -4) { out.append(hex[Int((s.value >> UInt32(shift)) & 0xF)]) }
                }
                i += w
            } else {
                out.append(contentsOf: Array("\\x".utf8))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
                i += 1
            }
        }
    }

    /// `strconv.Unquote` for `"..."`, `` `...` `` and `'x'` literals.
    public static func unquote(_ literal: String) throws(SyntaxError) -> String {
        String(decoding: try unquoteBytes(literal), as: UTF8.self)
    }

    /// `strconv.Unquote`, keeping bytes that are not valid UTF-8 (`"\xff"`).
    public static func unquoteBytes(_ literal: String) throws(SyntaxError) -> [UInt8] {
        let b = Array(literal.utf8)
        guard b.count >= 2, let q = b.first, b.last == q else { throw SyntaxError() }
        if q == UInt8(ascii: "`") {
            let body = b[1..<(b.count - 1)]
            if body.contains(UInt8(ascii: "`")) { throw SyntaxError() }
            // Raw strings drop carriage returns.
            return body.filter { $0 != 0x0D }
        }
        guard q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") else { throw SyntaxError() }
        var out: [UInt8] = []
        var i = 1
        let end = b.count - 1
        var runes = 0
        while i < end {
            let (bytes, next) = try unquoteChar(b, i, end: end, quote: q)
            out.append(contentsOf: bytes)
            i = next
            runes += 1
        }
        if q == UInt8(ascii: "'") && runes != 1 { throw SyntaxError() }
        if q == UInt8(ascii: "'") && out.isEmpty { throw SyntaxError() }
        return out
    }

    /// The value of a character literal (`'a'`, `'\n'`, `'\u00e9'`).
    public static func unquoteRune(_ literal: String) throws(SyntaxError) -> UInt32 {
        let b = Array(literal.utf8)
        guard b.count >= 3, b.first == UInt8(ascii: "'"), b.last == UInt8(ascii: "'") else { throw SyntaxError() }
        let (bytes, next) = try unquoteChar(b, 1, end: b.count - 1, quote: UInt8(ascii: "'"), runeValue: true)
        if next != b.count - 1 { throw SyntaxError() }
        // For \x and octal escapes in a rune literal, the byte is the rune value.
        if bytes.count == 4 && bytes[0] == 0xFF {
            return UInt32(bytes[1]) << 16 | UInt32(bytes[2]) << 8 | UInt32(bytes[3])
        }
        var it = bytes.makeIterator()
        var dec = UTF8()
        if case .scalarValue(let s) = dec.decode(&it) { return s.value }
        throw SyntaxError()
    }

    private static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    private static func unquoteChar(
        _ b: [UInt8], _ start: Int, end: Int, quote: UInt8, runeValue: Bool = false
    ) throws(SyntaxError) -> ([UInt8], Int) {
        var i = start
        let c = b[i]
        if c == quote && (quote == UInt8(ascii: "'") || quote == UInt8(ascii: "\"")) { throw SyntaxError() }
        if c >= 0x80 {
            var it = b[i..<end].makeIterator()
            var dec = UTF8()
            if case .scalarValue(let s) = dec.decode(&it) {
                let w = UTF8.width(s)
                return (Array(b[i..<(i + w)]), i + w)
            }
            return ([0xEF, 0xBF, 0xBD], i + 1)
        }
        if c != UInt8(ascii: "\\") { return ([c], i + 1) }
        i += 1
        guard i < end else { throw SyntaxError() }
        let e = b[i]
        i += 1
        func scalarBytes(_ v: UInt32) throws(SyntaxError) -> [UInt8] {
            guard let s = Unicode.Scalar(v) else { throw SyntaxError() }
            return Array(String(Character(s)).utf8)
        }
        switch e {
        case UInt8(ascii: "a"): return ([0x07], i)
        case UInt8(ascii: "b"): return ([0x08], i)
        case UInt8(ascii: "f"): return ([0x0C], i)
        case UInt8(ascii: "n"): return ([0x0A], i)
        case UInt8(ascii: "r"): return ([0x0D], i)
        case UInt8(ascii: "t"): return ([0x09], i)
        case UInt8(ascii: "v"): return ([0x0B], i)
        case UInt8(ascii: "\\"): return ([e], i)
        case UInt8(ascii: "'"), UInt8(ascii: "\""):
            if e != quote { throw SyntaxError() }
            return ([e], i)
        case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
            let n = e == UInt8(ascii: "x") ? 2 : (e == UInt8(ascii: "u") ? 4 : 8)
            guard i + n <= end else { throw SyntaxError() }
            var v: UInt32 = 0
            for k in 0..<n {
                guard let h = hexValue(b[i + k]) else { throw SyntaxError() }
                v = v << 4 | h
            }
            i += n
            if e == UInt8(ascii: "x") {
                if runeValue { return ([0xFF, 0, 0, UInt8(v)], i) }
                return ([UInt8(v)], i)
            }
            return (try scalarBytes(v), i)
        case UInt8(ascii: "0")...UInt8(ascii: "7"):
            guard i + 2 <= end else { throw SyntaxError() }
            var v = UInt32(e - UInt8(ascii: "0"))
            for k in 0..<2 {
                let d = b[i + k]
                guard d >= UInt8(ascii: "0") && d <= UInt8(ascii: "7") else { throw SyntaxError() }
                v = v << 3 | UInt32(d - UInt8(ascii: "0"))
            }
            guard v <= 255 else { throw SyntaxError() }
            i += 2
            if runeValue { return ([0xFF, 0, 0, UInt8(v)], i) }
            return ([UInt8(v)], i)
        default:
            throw SyntaxError()
        }
    }
}
