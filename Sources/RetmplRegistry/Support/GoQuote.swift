import RetmplTemplate

/// Go's quoting in registry error messages: `strconv.Quote` is the
/// language's ``GoFormat/quote(_:)``; the `time` package quotes its own way.
enum GoQuote {
    /// `strconv.Quote`.
    static func quote(_ s: String) -> String { GoFormat.quote(s) }

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
