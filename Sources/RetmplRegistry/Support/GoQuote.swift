/// Go's `strconv.Quote`, which `%q` in error messages uses.
enum GoQuote {
    /// `s` in double quotes with Go's escapes.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            out += escapedScalar(scalar, quote: UInt8(ascii: "\""))
        }
        out += "\""
        return out
    }

    /// One scalar as it appears inside a Go quoted literal delimited by `quote`.
    static func escapedScalar(_ scalar: Unicode.Scalar, quote: UInt8) -> String {
        let v = scalar.value
        if v == UInt32(quote) || v == 0x5C { return "\\" + String(scalar) }
        if isPrint(scalar) { return String(scalar) }
        switch v {
        case 0x07: return "\\a"
        case 0x08: return "\\b"
        case 0x0C: return "\\f"
        case 0x0A: return "\\n"
        case 0x0D: return "\\r"
        case 0x09: return "\\t"
        case 0x0B: return "\\v"
        default: break
        }
        if v < 0x20 || v == 0x7F { return "\\x" + hex(v, width: 2) }
        if v < 0x10000 { return "\\u" + hex(v, width: 4) }
        return "\\U" + hex(v, width: 8)
    }

    /// Go's `strconv.IsPrint`: letters, marks, numbers, punctuation, symbols and ASCII space.
    static func isPrint(_ scalar: Unicode.Scalar) -> Bool {
        let v = scalar.value
        if v < 0x80 { return v >= 0x20 && v < 0x7F }
        switch scalar.properties.generalCategory {
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

    private static func hex(_ v: UInt32, width: Int) -> String {
        let digits = String(v, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// The `time` package's own `quote`: non-ASCII and control bytes as `\x..`.
    static func timeQuote(_ s: String) -> String {
        var out = "\""
        let hex = Array("0123456789abcdef".utf8)
        for scalar in s.unicodeScalars {
            if scalar.value >= 0x80 || scalar.value < 0x20 {
                for b in String(scalar).utf8 {
                    out += "\\x" + String(decoding: [hex[Int(b >> 4)], hex[Int(b & 0xF)]], as: UTF8.self)
                }
            } else {
                if scalar == "\"" || scalar == "\\" { out += "\\" }
                out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
