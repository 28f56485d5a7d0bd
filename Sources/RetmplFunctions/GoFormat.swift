import RetmplTemplate

/// The few `fmt` verbs the function library prints itself: `%v` (sprig's
/// `toString`/`cat`, error texts) and `%q` (error texts).
enum GoFormat {
    /// `fmt.Sprint(v)` of an `interface{}` holding the value.
    static func v(_ value: TemplateValue) -> String {
        var out = ""
        append(&out, value, verb: .v, depth: 0)
        return out
    }

    /// `%q` of a `reflect.Value` (as the math functions' errors print it).
    static func quoteVerb(_ value: TemplateValue) -> String {
        if case .noValue = value { return "<invalid reflect.Value>" }
        var out = ""
        append(&out, value, verb: .q, depth: 0)
        return out
    }

    /// `%q` of an `interface{}` argument.
    static func q(_ value: TemplateValue) -> String {
        var out = ""
        append(&out, value, verb: .q, depth: 0)
        return out
    }

    enum Verb { case v, q }

    /// A stand-in for a pointer value: Go prints a memory address, which no test can rely on.
    static let pointerText = "0xc000010000"

    private static func bad(_ out: inout String, _ value: TemplateValue, _ text: String) {
        out += "%!q(\(value.goTypeName)=\(text))"
    }

    static func append(_ out: inout String, _ value: TemplateValue, verb: Verb, depth: Int) {
        switch value {
        case .noValue:
            out += verb == .v ? "<nil>" : "%!q(<nil>)"
        case .null(let t):
            switch t.underlying {
            case .slice: out += "[]"
            case .map: out += "map[]"
            default: out += "<nil>"
            }
        case .bool(let b):
            if verb == .q { bad(&out, value, b ? "true" : "false") } else { out += b ? "true" : "false" }
        case .int(let i, _):
            out += verb == .q ? GoText.quoteRune(i) : String(i)
        case .uint(let u, _):
            out += verb == .q ? GoText.quoteRune(u > UInt64(Int32.max) ? -1 : Int64(u)) : String(u)
        case .float(let f, let k):
            let text = GoText.formatFloat(f, UInt8(ascii: "g"), float32: k == .float32)
            if verb == .q { bad(&out, value, text) } else { out += text }
        case .string(let s):
            out += verb == .q ? GoText.quote(s) : s
        case .list(let l):
            out += "["
            for (i, e) in l.elements.enumerated() {
                if i > 0 { out += " " }
                append(&out, e, verb: verb, depth: depth + 1)
            }
            out += "]"
        case .map(let m):
            out += "map["
            for (i, e) in m.entries.enumerated() {
                if i > 0 { out += " " }
                append(&out, e.key.value(keyType: m.keyType), verb: verb, depth: depth + 1)
                out += ":"
                append(&out, e.value, verb: verb, depth: depth + 1)
            }
            out += "]"
        case .record(let r):
            if r.isPointer {
                if depth > 0 { out += pointerText; return }
                out += "&"
            }
            out += "{"
            for (i, f) in r.fields.enumerated() {
                if i > 0 { out += " " }
                append(&out, f, verb: verb, depth: depth + 1)
            }
            out += "}"
        case .channel, .object, .function:
            out += pointerText
        }
    }
}
