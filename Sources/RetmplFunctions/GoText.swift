/// Go's text primitives the function library needs: `strconv.Quote`,
/// `unicode.IsPrint`, shortest float digits and `strconv.FormatFloat`.
enum GoText {
    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `strconv.Quote`: a double-quoted Go string literal.
    static func quote(_ s: String, quote: UInt8 = UInt8(ascii: "\"")) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + 2)
        out.append(quote)
        for scalar in s.unicodeScalars {
            appendEscaped(&out, scalar, quote: quote)
        }
        out.append(quote)
        return String(decoding: out, as: UTF8.self)
    }

    /// `strconv.QuoteRune` (`%q` of an integer).
    static func quoteRune(_ value: Int64) -> String {
        let scalar: Unicode.Scalar
        if value >= 0, value <= 0x10FFFF, let s = Unicode.Scalar(UInt32(value)) {
            scalar = s
        } else {
            scalar = "\u{FFFD}"
        }
        var out: [UInt8] = [UInt8(ascii: "'")]
        appendEscaped(&out, scalar, quote: UInt8(ascii: "'"))
        out.append(UInt8(ascii: "'"))
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendEscaped(_ out: inout [UInt8], _ r: Unicode.Scalar, quote: UInt8) {
        let v = r.value
        if v == UInt32(quote) || v == 0x5C {
            out.append(0x5C)
            out.append(UInt8(v))
            return
        }
        if isPrint(r) {
            out.append(contentsOf: String(r).utf8)
            return
        }
        switch v {
        case 0x07: out.append(contentsOf: "\\a".utf8)
        case 0x08: out.append(contentsOf: "\\b".utf8)
        case 0x0C: out.append(contentsOf: "\\f".utf8)
        case 0x0A: out.append(contentsOf: "\\n".utf8)
        case 0x0D: out.append(contentsOf: "\\r".utf8)
        case 0x09: out.append(contentsOf: "\\t".utf8)
        case 0x0B: out.append(contentsOf: "\\v".utf8)
        default:
            if v < 0x20 || v == 0x7F {
                out.append(contentsOf: "\\x".utf8)
                out.append(hexDigits[Int(v >> 4)])
                out.append(hexDigits[Int(v & 0xF)])
            } else if v < 0x10000 {
                out.append(contentsOf: "\\u".utf8)
                for shift in stride(from: 12, through: 0, by: -4) { out.append(hexDigits[Int((v >> UInt32(shift)) & 0xF)]) }
            } else {
                out.append(contentsOf: "\\U".utf8)
                for shift in stride(from: 28, through: 0, by: -4) { out.append(hexDigits[Int((v >> UInt32(shift)) & 0xF)]) }
            }
        }
    }

    /// `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and ASCII space.
    static func isPrint(_ r: Unicode.Scalar) -> Bool {
        let v = r.value
        if v < 0x80 { return v >= 0x20 && v < 0x7F }
        switch r.properties.generalCategory {
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

    // MARK: Floats

    /// Shortest round-trip decimal digits of a float: `digits` without
    /// leading/trailing zeros and `point`, the decimal point position
    /// (value = 0.d1d2... × 10^point). Zero has no digits.
    struct Decimal {
        var digits: [UInt8]
        var point: Int
        var negative: Bool
    }

    /// Shortest digits that round-trip at the float's own precision
    /// (`float32` values use float32 precision, as Go's `bitSize` 32 does).
    static func shortestDigits(_ value: Double, float32: Bool = false) -> Decimal {
        let text = float32 ? Float(value).description : value.description
        var digits: [UInt8] = []
        var point = 0
        var negative = false
        var exponent = 0
        var seenPoint = false
        var bytes = Array(text.utf8)[...]
        if bytes.first == UInt8(ascii: "-") { negative = true; bytes = bytes.dropFirst() }
        var intDigits = 0
        while let c = bytes.first {
            bytes = bytes.dropFirst()
            if c == UInt8(ascii: ".") { seenPoint = true; continue }
            if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                exponent = Int(String(decoding: bytes, as: UTF8.self)) ?? 0
                break
            }
            digits.append(c - 48)
            if !seenPoint { intDigits += 1 }
        }
        point = intDigits + exponent
        // Strip leading zeros (each moves the point left) and trailing zeros.
        var lead = 0
        while lead < digits.count && digits[lead] == 0 { lead += 1 }
        if lead == digits.count { return Decimal(digits: [], point: 0, negative: negative) }
        digits.removeFirst(lead)
        point -= lead
        while let last = digits.last, last == 0 { digits.removeLast() }
        return Decimal(digits: digits, point: point, negative: negative)
    }

    /// `strconv.FormatFloat(v, fmt, -1, bitSize)` for `fmt` in e, f, g;
    /// `%v` uses `g`, encoding/json uses `e`/`f` (see ``jsonFloat``).
    static func formatFloat(_ value: Double, _ format: UInt8, float32: Bool = false) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let d = shortestDigits(value, float32: float32)
        var out: [UInt8] = []
        if d.negative { out.append(UInt8(ascii: "-")) }
        var fmt = format
        if fmt == UInt8(ascii: "g") {
            // Shortest %g switches to exponent form outside 1e-4 ≤ |v| < 1e6 (Go's eprec 6).
            let exp = d.digits.isEmpty ? -1 : d.point - 1
            fmt = (exp < -4 || exp >= 6) ? UInt8(ascii: "e") : UInt8(ascii: "f")
        }
        if fmt == UInt8(ascii: "e") {
            let digits = d.digits.isEmpty ? [UInt8(0)] : d.digits
            out.append(digits[0] + 48)
            if digits.count > 1 {
                out.append(UInt8(ascii: "."))
                for x in digits.dropFirst() { out.append(x + 48) }
            }
            out.append(UInt8(ascii: "e"))
            let exp = d.digits.isEmpty ? 0 : d.point - 1
            out.append(exp < 0 ? UInt8(ascii: "-") : UInt8(ascii: "+"))
            let e = abs(exp)
            if e < 10 { out.append(UInt8(ascii: "0")) }
            out.append(contentsOf: String(e).utf8)
        } else {
            appendFixed(&out, d)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private static func appendFixed(_ out: inout [UInt8], _ d: Decimal) {
        if d.point <= 0 {
            out.append(UInt8(ascii: "0"))
            if !d.digits.isEmpty {
                out.append(UInt8(ascii: "."))
                for _ in 0 ..< -d.point { out.append(UInt8(ascii: "0")) }
                for x in d.digits { out.append(x + 48) }
            }
            return
        }
        for i in 0 ..< d.point { out.append(i < d.digits.count ? d.digits[i] + 48 : UInt8(ascii: "0")) }
        if d.digits.count > d.point {
            out.append(UInt8(ascii: "."))
            for x in d.digits[d.point...] { out.append(x + 48) }
        }
    }

    /// encoding/json's float text: `f` format, or `e` (with a one-digit
    /// exponent when possible) below 1e-6 and from 1e21 on.
    static func jsonFloat(_ value: Double, float32: Bool) -> String {
        let a = abs(value)
        var useExp = false
        if a != 0 {
            if float32 {
                let f = Float(value).magnitude
                useExp = f < 1e-6 || f >= 1e21
            } else {
                useExp = a < 1e-6 || a >= 1e21
            }
        }
        if !useExp { return formatFloat(value, UInt8(ascii: "f"), float32: float32) }
        var s = Array(formatFloat(value, UInt8(ascii: "e"), float32: float32).utf8)
        // Clean up e-09 to e-9.
        let n = s.count
        if n >= 4 && s[n - 4] == UInt8(ascii: "e") && s[n - 3] == UInt8(ascii: "-") && s[n - 2] == UInt8(ascii: "0") {
            s.remove(at: n - 2)
        }
        return String(decoding: s, as: UTF8.self)
    }
}
