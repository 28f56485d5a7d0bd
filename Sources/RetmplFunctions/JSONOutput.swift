import RetmplTemplate
import RetmplRegistry

/// `toJSON toJSONPretty toUnescapedJSON toUnescapedJSONPretty`.
enum JSONOutputFunctions {
    static let all: [TemplateFunction] = [
        jsonFunction("toJSON", escapeHTML: true, pretty: false),
        jsonFunction("toJSONPretty", escapeHTML: true, pretty: true),
        jsonFunction("toUnescapedJSON", escapeHTML: false, pretty: false),
        jsonFunction("toUnescapedJSONPretty", escapeHTML: false, pretty: true),
    ]

    static func jsonFunction(_ name: String, escapeHTML: Bool, pretty: Bool) -> TemplateFunction {
        TemplateFunction(name, [.interface]) { a, _ in
            do {
                return .string(try GoJSON.encode(a[0], escapeHTML: escapeHTML, indent: pretty ? "  " : nil))
            } catch let error as GoJSON.Failure {
                throw TemplateFunctionError("\(name): \(error.message)")
            }
        }
    }
}

/// Go's `encoding/json` marshalling of template values: struct fields in
/// declaration order under their `json` names (`omitempty` honoured), map
/// keys sorted by their text, `<`, `>`, `&` escaped unless `escapeHTML` is
/// off, U+2028/U+2029 always escaped, floats formatted as Go does.
struct GoJSON {
    struct Failure: Error {
        let message: String
    }

    private var out: [UInt8] = []
    private let escapeHTML: Bool
    private let indent: [UInt8]?

    private init(escapeHTML: Bool, indent: String?) {
        self.escapeHTML = escapeHTML
        self.indent = indent.map { Array($0.utf8) }
    }

    /// `json.Marshal` (or `MarshalIndent(v, "", indent)`); with `escapeHTML`
    /// off this is `Encoder.Encode` without its trailing newline.
    static func encode(_ value: TemplateValue, escapeHTML: Bool = true, indent: String? = nil) throws(Failure) -> String {
        var e = GoJSON(escapeHTML: escapeHTML, indent: indent)
        try e.value(value, depth: 0)
        return String(decoding: e.out, as: UTF8.self)
    }

    private mutating func newline(_ depth: Int) {
        guard let indent else { return }
        out.append(0x0A)
        for _ in 0 ..< depth { out.append(contentsOf: indent) }
    }

    private mutating func value(_ v: TemplateValue, depth: Int) throws(Failure) {
        switch v {
        case .noValue, .null:
            out.append(contentsOf: "null".utf8)
        case .bool(let b):
            out.append(contentsOf: (b ? "true" : "false").utf8)
        case .int(let i, _):
            out.append(contentsOf: String(i).utf8)
        case .uint(let u, _):
            out.append(contentsOf: String(u).utf8)
        case .float(let f, let k):
            if f.isNaN || f.isInfinite {
                throw Failure(message: "json: unsupported value: \(GoText.formatFloat(f, UInt8(ascii: "g"), float32: k == .float32))")
            }
            out.append(contentsOf: GoText.jsonFloat(f, float32: k == .float32).utf8)
        case .string(let s):
            string(s)
        case .bytes(let b):
            b.withUnsafeBufferPointer { string(bytes: $0) }
        case .list(let l):
            if case .uint(.uint8) = l.elementType, case .slice = l.type.underlying {
                // []byte encodes as a base64 string.
                let bytes = l.elements.map { UInt8(truncatingIfNeeded: $0.intValue ?? 0) }
                string(Base64.encode(bytes, url: false))
                return
            }
            if l.elements.isEmpty {
                out.append(contentsOf: "[]".utf8)
                return
            }
            out.append(UInt8(ascii: "["))
            for (i, e) in l.elements.enumerated() {
                if i > 0 { out.append(UInt8(ascii: ",")) }
                newline(depth + 1)
                try value(e, depth: depth + 1)
            }
            newline(depth)
            out.append(UInt8(ascii: "]"))
        case .map(let m):
            try map(m, depth: depth)
        case .record(let r):
            try record(r, depth: depth)
        case .channel, .function:
            throw Failure(message: "json: unsupported type: \(v.goTypeName)")
        case .object:
            // consul-template's Scratch has no exported fields.
            out.append(contentsOf: "{}".utf8)
        }
    }

    private mutating func map(_ m: TemplateMap, depth: Int) throws(Failure) {
        switch m.keyType.underlying {
        case .string, .int, .uint: break
        default: throw Failure(message: "json: unsupported type: \(m.type)")
        }
        var keyed: [(key: String, value: TemplateValue)] = []
        keyed.reserveCapacity(m.count)
        var needsSort = false
        for e in m.entries {
            switch e.key {
            case .string(let s): keyed.append((s, e.value))
            case .int(let i):
                keyed.append((String(i), e.value))
                needsSort = true
            case .uint(let u):
                keyed.append((String(u), e.value))
                needsSort = true
            case .bool, .float:
                throw Failure(message: "json: unsupported type: \(m.type)")
            }
        }
        if needsSort { keyed.sort { StringOps.less($0.key, $1.key) } }
        try object(keyed, depth: depth)
    }

    private mutating func object(_ keyed: [(key: String, value: TemplateValue)], depth: Int) throws(Failure) {
        if keyed.isEmpty {
            out.append(contentsOf: "{}".utf8)
            return
        }
        out.append(UInt8(ascii: "{"))
        for (i, e) in keyed.enumerated() {
            if i > 0 { out.append(UInt8(ascii: ",")) }
            newline(depth + 1)
            string(e.key)
            colon()
            try value(e.value, depth: depth + 1)
        }
        newline(depth)
        out.append(UInt8(ascii: "}"))
    }

    private mutating func colon() {
        out.append(UInt8(ascii: ":"))
        if indent != nil { out.append(0x20) }
    }

    private mutating func record(_ r: TemplateRecord, depth: Int) throws(Failure) {
        if let members = RegistryTypes.jsonMembers(of: r) {
            // A custom MarshalJSON; its output is re-indented by Go like any other.
            try object(members, depth: depth)
            return
        }
        var first = true
        for (i, field) in r.type.fields.enumerated() {
            if field.jsonName == "-" { continue }
            let v = r.fields[i]
            if field.omitEmpty && CollectionFunctions.isEmpty(v) {
                // Structs are never empty, even with omitempty.
                if case .record = v {} else { continue }
            }
            if first {
                out.append(UInt8(ascii: "{"))
                first = false
            } else {
                out.append(UInt8(ascii: ","))
            }
            newline(depth + 1)
            string(field.jsonName ?? field.name)
            colon()
            try value(v, depth: depth + 1)
        }
        if first {
            out.append(contentsOf: "{}".utf8)
            return
        }
        newline(depth)
        out.append(UInt8(ascii: "}"))
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    private mutating func string(_ s: String) {
        var s = s
        s.withUTF8 { string(bytes: $0) }
    }

    /// Go's encodeState.string: invalid UTF-8 becomes `\ufffd`.
    private mutating func string(bytes src: UnsafeBufferPointer<UInt8>) {
        out.append(UInt8(ascii: "\""))
        do {
            var start = 0
            var i = 0
            let n = src.count
            while i < n {
                let b = src[i]
                if b < 0x80 {
                    let safe: Bool
                    switch b {
                    case 0x22, 0x5C: safe = false
                    case 0x3C, 0x3E, 0x26: safe = !escapeHTML
                    default: safe = b >= 0x20
                    }
                    if safe { i += 1; continue }
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: src[start ..< i]))
                    switch b {
                    case 0x22, 0x5C: out.append(0x5C); out.append(b)
                    case 0x08: out.append(contentsOf: "\\b".utf8)
                    case 0x0C: out.append(contentsOf: "\\f".utf8)
                    case 0x0A: out.append(contentsOf: "\\n".utf8)
                    case 0x0D: out.append(contentsOf: "\\r".utf8)
                    case 0x09: out.append(contentsOf: "\\t".utf8)
                    default:
                        out.append(contentsOf: "\\u00".utf8)
                        out.append(Self.hexDigits[Int(b >> 4)])
                        out.append(Self.hexDigits[Int(b & 0xF)])
                    }
                    i += 1
                    start = i
                    continue
                }
                // An invalid sequence is replaced, as encoding/json does.
                let width = Self.validSequenceLength(src, i)
                if width == 0 {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: src[start ..< i]))
                    out.append(contentsOf: "\\ufffd".utf8)
                    i += 1
                    start = i
                    continue
                }
                // U+2028 / U+2029 are E2 80 A8 / E2 80 A9.
                if b == 0xE2 && i + 2 < n && src[i + 1] == 0x80 && (src[i + 2] == 0xA8 || src[i + 2] == 0xA9) {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: src[start ..< i]))
                    out.append(contentsOf: (src[i + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8)
                    i += 3
                    start = i
                    continue
                }
                i += width
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: src[start ..< n]))
        }
        out.append(UInt8(ascii: "\""))
    }

    /// Length of the valid UTF-8 sequence starting at `i`, or 0.
    private static func validSequenceLength(_ src: UnsafeBufferPointer<UInt8>, _ i: Int) -> Int {
        let b = src[i]
        let n: Int
        var minValue: UInt32
        var v: UInt32
        switch b {
        case 0xC2...0xDF: n = 2; v = UInt32(b & 0x1F); minValue = 0x80
        case 0xE0...0xEF: n = 3; v = UInt32(b & 0x0F); minValue = 0x800
        case 0xF0...0xF4: n = 4; v = UInt32(b & 0x07); minValue = 0x10000
        default: return 0
        }
        guard i + n <= src.count else { return 0 }
        for k in 1..<n {
            let c = src[i + k]
            guard c & 0xC0 == 0x80 else { return 0 }
            v = v << 6 | UInt32(c & 0x3F)
        }
        if v < minValue || v > 0x10FFFF || (v >= 0xD800 && v <= 0xDFFF) { return 0 }
        return n
    }
}
