import RetmplTemplate

/// Go's text primitives the function library needs, on top of the
/// language's ``GoFormat`` (`strconv.Quote`, `QuoteRune`, `FormatFloat`).
enum GoText {
    /// `strconv.Quote`: a double-quoted Go string literal.
    static func quote(_ s: String) -> String { GoFormat.quote(s) }

    /// `strconv.QuoteRune` (`%q` of an integer); out-of-range values are U+FFFD.
    static func quoteRune(_ value: Int64) -> String {
        GoFormat.quoteRune(value >= 0 && value <= 0x10FFFF ? Int32(value) : 0xFFFD)
    }

    /// `strconv.FormatFloat(v, format, -1, 32 or 64)`.
    static func formatFloat(_ value: Double, _ format: UInt8, float32: Bool = false) -> String {
        GoFormat.formatFloat(value, format: format, precision: -1, bitSize: float32 ? 32 : 64)
    }

    /// encoding/json's float text: `f` format, or `e` (with a one-digit
    /// exponent when possible) below 1e-6 and from 1e21 on.
    static func jsonFloat(_ value: Double, float32: Bool) -> String {
        let a = float32 ? Double(Float(value).magnitude) : abs(value)
        let useExp = a != 0 && (a < 1e-6 || a >= 1e21)
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
