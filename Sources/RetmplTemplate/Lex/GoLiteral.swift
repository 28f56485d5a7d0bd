/// Go's string literal rules (`strconv.Unquote`), which the parser needs for
/// string, raw string and character literals. Quoting is ``GoFormat/quote(_:)``.
public enum GoLiteral {
    public struct SyntaxError: Error, Sendable {}

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
