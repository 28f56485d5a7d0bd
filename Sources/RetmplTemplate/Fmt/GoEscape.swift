/// text/template's escaping functions (`html`, `js`, `urlquery`), applied
/// to the already-formatted argument text.
public enum GoEscape {
    /// `template.HTMLEscapeString`: escapes `' " & < >` and replaces NUL with U+FFFD.
    public static func html(_ s: String) -> String {
        var bytes = s
        return bytes.withUTF8 { p in
            guard p.contains(where: { htmlEscape($0) != nil }) else { return s }
            var out: [UInt8] = []
            out.reserveCapacity(p.count + 16)
            appendHTML(p, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// Appends the HTML-escaped form of `p`.
    public static func appendHTML(_ p: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        var last = 0
        for i in 0..<p.count {
            guard let replacement = htmlEscape(p[i]) else { continue }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: p[last..<i]))
            replacement.withUTF8Buffer { out.append(contentsOf: $0) }
            last = i + 1
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: p[last...]))
    }

    @inline(__always)
    private static func htmlEscape(_ c: UInt8) -> StaticString? {
        switch c {
        case 0: return "\u{FFFD}"
        case UInt8(ascii: "\""): return "&#34;"
        case UInt8(ascii: "'"): return "&#39;"
        case UInt8(ascii: "&"): return "&amp;"
        case UInt8(ascii: "<"): return "&lt;"
        case UInt8(ascii: ">"): return "&gt;"
        default: return nil
        }
    }

    /// `template.JSEscapeString`: backslash-escapes quotes and backslashes,
    /// writes `< > & =` and control characters as `\uXXXX`, and escapes
    /// non-printable non-ASCII runes.
    public static func js(_ s: String) -> String {
        var bytes = s
        return bytes.withUTF8 { p in
            guard p.contains(where: { jsIsSpecial($0) }) else { return s }
            var out: [UInt8] = []
            out.reserveCapacity(p.count + 16)
            appendJS(p, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    @inline(__always)
    private static func jsIsSpecial(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "\\"), UInt8(ascii: "'"), UInt8(ascii: "\""),
             UInt8(ascii: "<"), UInt8(ascii: ">"), UInt8(ascii: "&"), UInt8(ascii: "="):
            return true
        default:
            return c < 0x20 || c >= 0x80
        }
    }

    /// Appends the JavaScript-escaped form of `p`.
    public static func appendJS(_ p: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let hex: StaticString = "0123456789ABCDEF"
        let hexDigits = UnsafeBufferPointer(start: hex.utf8Start, count: 16)
        var last = 0
        var i = 0
        while i < p.count {
            let c = p[i]
            guard jsIsSpecial(c) else {
                i += 1
                continue
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: p[last..<i]))
            if c < 0x80 {
                switch c {
                case UInt8(ascii: "\\"): appendASCII("\\\\", to: &out)
                case UInt8(ascii: "'"): appendASCII("\\'", to: &out)
                case UInt8(ascii: "\""): appendASCII("\\\"", to: &out)
                case UInt8(ascii: "<"): appendASCII("\\u003C", to: &out)
                case UInt8(ascii: ">"): appendASCII("\\u003E", to: &out)
                case UInt8(ascii: "&"): appendASCII("\\u0026", to: &out)
                case UInt8(ascii: "="): appendASCII("\\u003D", to: &out)
                default:
                    appendASCII("\\u00", to: &out)
                    out.append(hexDigits[Int(c >> 4)])
                    out.append(hexDigits[Int(c & 0xF)])
                }
                i += 1
            } else {
                let (r, width) = GoUTF8.decode(p, i)
                if GoUnicode.isPrint(r) {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: p[i..<(i + width)]))
                } else {
                    // fmt's "\\u%04X": at least four upper-case hex digits.
                    appendASCII("\\u", to: &out)
                    var digits: [UInt8] = []
                    var v = r
                    repeat {
                        digits.append(hexDigits[Int(v & 0xF)])
                        v >>= 4
                    } while v != 0
                    while digits.count < 4 { digits.append(UInt8(ascii: "0")) }
                    out.append(contentsOf: digits.reversed())
                }
                i += width
            }
            last = i
        }
        out.append(contentsOf: UnsafeBufferPointer(rebasing: p[last...]))
    }

    /// `url.QueryEscape`: everything but `A-Z a-z 0-9 - _ . ~` is
    /// percent-encoded, and spaces become `+`.
    public static func urlQuery(_ s: String) -> String {
        var bytes = s
        return bytes.withUTF8 { p in
            guard p.contains(where: { queryNeedsEscape($0) }) else { return s }
            var out: [UInt8] = []
            out.reserveCapacity(p.count * 3)
            appendURLQuery(p, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    @inline(__always)
    private static func queryNeedsEscape(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
             UInt8(ascii: "0")...UInt8(ascii: "9"),
             UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "~"):
            return false
        default:
            return true
        }
    }

    /// Appends the query-escaped form of `p`.
    public static func appendURLQuery(_ p: UnsafeBufferPointer<UInt8>, to out: inout [UInt8]) {
        let hex: StaticString = "0123456789ABCDEF"
        let hexDigits = UnsafeBufferPointer(start: hex.utf8Start, count: 16)
        for c in p {
            if c == UInt8(ascii: " ") {
                out.append(UInt8(ascii: "+"))
            } else if queryNeedsEscape(c) {
                out.append(UInt8(ascii: "%"))
                out.append(hexDigits[Int(c >> 4)])
                out.append(hexDigits[Int(c & 0xF)])
            } else {
                out.append(c)
            }
        }
    }

    @inline(__always)
    private static func appendASCII(_ s: StaticString, to out: inout [UInt8]) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }
}
