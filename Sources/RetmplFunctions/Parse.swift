import RetmplTemplate
import RetmplRegistry

/// `parseBool parseFloat parseInt parseUint parseJSON`: Go's `strconv`
/// grammar and error texts (`parseInt: strconv.ParseInt: parsing "x": invalid syntax`).
/// An empty string parses as the zero value, as in consul-template.
enum ParseFunctions {
    static let all: [TemplateFunction] = [
        TemplateFunction("parseBool", [.string]) { a, _ in .bool(try parseBool(a.string(0))) },
        TemplateFunction("parseFloat", [.string]) { a, _ in .float(try parseFloat(a.string(0)), .float64) },
        TemplateFunction("parseInt", [.string]) { a, _ in .int(try parseInt(a.string(0)), .int64) },
        TemplateFunction("parseUint", [.string]) { a, _ in .uint(try parseUint(a.string(0)), .uint64) },
        TemplateFunction("parseJSON", [.string]) { a, _ in try parseJSON(a.string(0)) },
    ]

    enum NumError: Error {
        case syntax, range
        var text: String { self == .syntax ? "invalid syntax" : "value out of range" }
    }

    static func numError(_ label: String, _ fn: String, _ s: String, _ e: NumError) -> TemplateFunctionError {
        TemplateFunctionError("\(label): strconv.\(fn): parsing \(GoText.quote(s)): \(e.text)")
    }

    static func parseBool(_ s: String) throws -> Bool {
        if s.isEmpty { return false }
        switch s {
        case "1", "t", "T", "TRUE", "true", "True": return true
        case "0", "f", "F", "FALSE", "false", "False": return false
        default: throw numError("parseBool", "ParseBool", s, .syntax)
        }
    }

    static func parseInt(_ s: String, label: String = "parseInt") throws -> Int64 {
        if s.isEmpty { return 0 }
        do {
            return try goParseInt(s)
        } catch let e {
            throw numError(label, "ParseInt", s, e)
        }
    }

    static func parseUint(_ s: String) throws -> UInt64 {
        if s.isEmpty { return 0 }
        do {
            return try goParseUint(Array(s.utf8)[...])
        } catch let e {
            throw numError("parseUint", "ParseUint", s, e)
        }
    }

    static func parseFloat(_ s: String) throws -> Double {
        if s.isEmpty { return 0 }
        do {
            return try goParseFloat(s)
        } catch let e {
            throw numError("parseFloat", "ParseFloat", s, e)
        }
    }

    /// `strconv.ParseUint(s, 10, 64)`: overflow is reported as soon as it happens.
    static func goParseUint(_ s: ArraySlice<UInt8>) throws(NumError) -> UInt64 {
        if s.isEmpty { throw .syntax }
        var n: UInt64 = 0
        for c in s {
            guard c >= 0x30 && c <= 0x39 else { throw .syntax }
            let (m, o1) = n.multipliedReportingOverflow(by: 10)
            let (r, o2) = m.addingReportingOverflow(UInt64(c - 0x30))
            if o1 || o2 { throw .range }
            n = r
        }
        return n
    }

    /// `strconv.ParseInt(s, 10, 64)`.
    static func goParseInt(_ s: String) throws(NumError) -> Int64 {
        var bytes = Array(s.utf8)[...]
        if bytes.isEmpty { throw .syntax }
        var negative = false
        if bytes.first == UInt8(ascii: "+") {
            bytes = bytes.dropFirst()
        } else if bytes.first == UInt8(ascii: "-") {
            bytes = bytes.dropFirst()
            negative = true
        }
        let un = try goParseUint(bytes)
        if negative {
            if un > UInt64(Int64.max) + 1 { throw .range }
            return un == UInt64(Int64.max) + 1 ? Int64.min : -Int64(un)
        }
        if un > UInt64(Int64.max) { throw .range }
        return Int64(un)
    }

    /// `strconv.ParseFloat(s, 64)`: Go's literal grammar (underscores, hex
    /// mantissas with `p` exponents, inf/infinity/nan) checked here, the
    /// correctly rounded conversion done by the standard library.
    static func goParseFloat(_ s: String) throws(NumError) -> Double {
        let b = Array(s.utf8)
        if let special = specialFloat(b) { return special }
        var i = 0
        var underscores = false
        if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
        var hex = false
        if i + 2 < b.count && b[i] == UInt8(ascii: "0") && (b[i + 1] | 0x20) == UInt8(ascii: "x") {
            hex = true
            i += 2
        }
        var sawDot = false, sawDigits = false
        scan: while i < b.count {
            let c = b[i]
            switch c {
            case UInt8(ascii: "_"): underscores = true
            case UInt8(ascii: "."):
                if sawDot { break scan }
                sawDot = true
            case UInt8(ascii: "0")...UInt8(ascii: "9"): sawDigits = true
            default:
                let l = c | 0x20
                if hex && l >= UInt8(ascii: "a") && l <= UInt8(ascii: "f") { sawDigits = true } else { break scan }
            }
            i += 1
        }
        guard sawDigits else { throw .syntax }
        let expChar = hex ? UInt8(ascii: "p") : UInt8(ascii: "e")
        if i < b.count && (b[i] | 0x20) == expChar {
            i += 1
            if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
            guard i < b.count, b[i] >= 0x30, b[i] <= 0x39 else { throw .syntax }
            while i < b.count && (b[i] >= 0x30 && b[i] <= 0x39 || b[i] == UInt8(ascii: "_")) {
                if b[i] == UInt8(ascii: "_") { underscores = true }
                i += 1
            }
        } else if hex {
            throw .syntax
        }
        guard i == b.count else { throw .syntax }
        if underscores && !underscoreOK(b) { throw .syntax }
        let clean = underscores ? String(decoding: b.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self) : s
        guard let value = Double(clean) else { throw .syntax }
        if value.isInfinite { throw .range }
        return value
    }

    private static func specialFloat(_ b: [UInt8]) -> Double? {
        guard let first = b.first else { return nil }
        var rest = b[...]
        var sign = 1.0
        if first == UInt8(ascii: "+") || first == UInt8(ascii: "-") {
            if first == UInt8(ascii: "-") { sign = -1 }
            rest = rest.dropFirst()
            let word = String(decoding: rest, as: UTF8.self).lowercased()
            return (word == "inf" || word == "infinity") ? sign * .infinity : nil
        }
        let word = String(decoding: rest, as: UTF8.self).lowercased()
        if word == "inf" || word == "infinity" { return .infinity }
        if word == "nan" { return .nan }
        return nil
    }

    /// Go's rule: underscores only between digits (or after a base prefix).
    private static func underscoreOK(_ bytes: [UInt8]) -> Bool {
        var s = bytes[...]
        var saw: UInt8 = UInt8(ascii: "^")
        if let f = s.first, f == UInt8(ascii: "-") || f == UInt8(ascii: "+") { s = s.dropFirst() }
        var hex = false
        if s.count >= 2, s.first == UInt8(ascii: "0") {
            let p = s[s.startIndex + 1] | 0x20
            if p == UInt8(ascii: "b") || p == UInt8(ascii: "o") || p == UInt8(ascii: "x") {
                saw = UInt8(ascii: "0")
                hex = p == UInt8(ascii: "x")
                s = s.dropFirst(2)
            }
        }
        for c in s {
            let l = c | 0x20
            if c >= 0x30 && c <= 0x39 || hex && l >= UInt8(ascii: "a") && l <= UInt8(ascii: "f") {
                saw = UInt8(ascii: "0")
                continue
            }
            if c == UInt8(ascii: "_") {
                if saw != UInt8(ascii: "0") { return false }
                saw = UInt8(ascii: "_")
                continue
            }
            if saw == UInt8(ascii: "_") { return false }
            saw = UInt8(ascii: "!")
        }
        return saw != UInt8(ascii: "_")
    }

    /// Decodes any JSON value (numbers become float64); "" gives an empty map.
    static func parseJSON(_ s: String) throws -> TemplateValue {
        if s.isEmpty { return .map(TemplateMap(type: .stringAnyMap, unsorted: [])) }
        return try decodeJSON(s)
    }

    /// `json.Unmarshal` into an `interface{}`, with Go's error text.
    static func decodeJSON(_ s: String) throws -> TemplateValue {
        do {
            return try JSONValue.parse(s).toTemplateValue()
        } catch let error as JSONError {
            throw TemplateFunctionError(error.message)
        }
    }
}
