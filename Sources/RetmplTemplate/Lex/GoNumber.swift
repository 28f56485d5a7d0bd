/// Go's `strconv.ParseInt/ParseUint(s, 0, 64)` and `ParseFloat(s, 64)` for
/// number literals: base prefixes (`0x`, `0o`, `0b`, leading `0` = octal),
/// digit-separating underscores, hex floats.
enum GoNumber {
    private static func splitSign(_ s: Substring) -> (negative: Bool, body: Substring) {
        if s.hasPrefix("-") { return (true, s.dropFirst()) }
        if s.hasPrefix("+") { return (false, s.dropFirst()) }
        return (false, s)
    }

    /// Underscores must sit between digits (a base prefix counts as a digit).
    private static func underscoresOK(_ s: Substring, hex: Bool) -> Bool {
        var saw: Character = "^"
        var chars = Substring(s)
        if chars.count >= 2, chars.first == "0", let c = chars.dropFirst().first, "bBoOxX".contains(c) {
            chars = chars.dropFirst(2)
            saw = "0"
        }
        for c in chars {
            if c.isASCII && (c.isNumber || (hex && c.isHexDigit)) {
                saw = "0"
                continue
            }
            if c == "_" {
                if saw != "0" { return false }
                saw = "_"
                continue
            }
            if saw == "_" { return false }
            saw = "!"
        }
        return saw != "_"
    }

    private static func magnitude(_ body: Substring) -> UInt64? {
        guard !body.isEmpty else { return nil }
        var base: UInt64 = 10
        var digits = body
        var hex = false
        if body.count >= 2 && body.first == "0" {
            let second = body[body.index(after: body.startIndex)]
            switch second {
            case "x", "X": base = 16; digits = body.dropFirst(2); hex = true
            case "o", "O": base = 8; digits = body.dropFirst(2)
            case "b", "B": base = 2; digits = body.dropFirst(2)
            default: base = 8; digits = body.dropFirst(1)
            }
        }
        if body.contains("_") && !underscoresOK(body, hex: hex) { return nil }
        let clean = digits.filter { $0 != "_" }
        if clean.isEmpty { return base == 8 && digits.isEmpty && body == "0" ? 0 : nil }
        return UInt64(clean, radix: Int(base))
    }

    static func parseUInt(_ s: String) -> UInt64? {
        let sub = Substring(s)
        if sub.hasPrefix("-") || sub.hasPrefix("+") { return nil }
        return magnitude(sub)
    }

    static func parseInt(_ s: String) -> Int64? {
        let (neg, body) = splitSign(Substring(s))
        guard let m = magnitude(body) else { return nil }
        if neg {
            if m <= UInt64(Int64.max) { return -Int64(m) }
            if m == UInt64(Int64.max) + 1 { return Int64.min }
            return nil
        }
        return m <= UInt64(Int64.max) ? Int64(m) : nil
    }

    static func parseFloat(_ s: String) -> Double? {
        let (neg, body) = splitSign(Substring(s))
        let lower = body.lowercased()
        let hex = lower.hasPrefix("0x")
        if body.contains("_") && !underscoresOK(body, hex: hex) { return nil }
        let clean = String(body.filter { $0 != "_" })
        if clean.isEmpty { return nil }
        // Swift accepts forms Go rejects ("nan", "inf" spellings are fine in both; hex needs 'p').
        if hex && !lower.contains("p") { return nil }
        if !hex && !clean.allSatisfy({ $0.isASCII && ($0.isNumber || ".eE+-".contains($0)) }) {
            let l = clean.lowercased()
            if l == "inf" || l == "infinity" { return neg ? -.infinity : .infinity }
            if l == "nan" { return .nan }
            return nil
        }
        guard let v = Double(clean) else { return nil }
        return neg ? -v : v
    }
}
