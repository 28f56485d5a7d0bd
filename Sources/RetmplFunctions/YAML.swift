import RetmplTemplate

/// `parseYAML`, `toYAML` and `toTOML` (consul-template uses gopkg.in/yaml.v2
/// and BurntSushi/toml; the oracle does not implement them, so these follow
/// those libraries' documented and observed output).
///
/// `parseYAML` reads the common YAML subset: block mappings and sequences
/// (including sequences directly under a key), plain, single- and
/// double-quoted scalars, literal (`|`) and folded (`>`) block scalars,
/// flow sequences and mappings, comments and a leading `---`. Anchors,
/// aliases, tags, complex keys and multi-document streams are rejected with
/// an error. Error texts are retmpl's own (`yaml: line N: ...`).
enum YAMLFunctions {
    static let all: [TemplateFunction] = [
        TemplateFunction("parseYAML", [.string]) { a, _ in try parseYAML(a.string(0)) },
        TemplateFunction("toYAML", [.stringAnyMap]) { a, _ in
            do {
                return .string(StringOps.trimSpace(try YAMLEmitter.document(a[0])))
            } catch let e as YAMLEmitter.Failure {
                throw TemplateFunctionError(e.message)
            }
        },
        TemplateFunction("toTOML", [.stringAnyMap]) { a, _ in
            do {
                return .string(StringOps.trimSpace(try TOMLEncoder.encode(a[0])))
            } catch let e as TOMLEncoder.Failure {
                throw TemplateFunctionError("toTOML: " + e.message)
            }
        },
    ]

    /// yaml.v2 `Unmarshal` into an `interface{}`: mappings become
    /// `map[interface {}]interface {}`, sequences `[]interface {}`; "" gives an empty map.
    static func parseYAML(_ s: String) throws -> TemplateValue {
        if s.isEmpty { return .map(TemplateMap(type: .stringAnyMap, unsorted: [])) }
        var parser = YAMLParser(s)
        return try parser.document()
    }
}

// MARK: - Scalar resolution (yaml.v2 resolve.go)

enum YAMLResolve {
    static let anyMap = GoType.map(key: .interface, value: .interface)

    private static let words: [String: TemplateValue] = {
        var m: [String: TemplateValue] = [:]
        for w in ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"] { m[w] = .bool(true) }
        for w in ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"] { m[w] = .bool(false) }
        for w in ["", "~", "null", "Null", "NULL"] { m[w] = .noValue }
        for w in [".nan", ".NaN", ".NAN"] { m[w] = .float(.nan, .float64) }
        for w in [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"] { m[w] = .float(.infinity, .float64) }
        for w in ["-.inf", "-.Inf", "-.INF"] { m[w] = .float(-.infinity, .float64) }
        m["<<"] = .string("<<")
        return m
    }()

    /// The value of a plain scalar, or nil when it stays a string. Timestamps
    /// report `isTimestamp` (they decode to strings but must be quoted on output).
    static func resolve(_ s: String) -> (value: TemplateValue?, isTimestamp: Bool) {
        guard let first = s.utf8.first else { return (.noValue, false) }
        let hint: UInt8
        switch first {
        case UInt8(ascii: "+"), UInt8(ascii: "-"): hint = UInt8(ascii: "S")
        case UInt8(ascii: "0")...UInt8(ascii: "9"): hint = UInt8(ascii: "D")
        case UInt8(ascii: "."): hint = UInt8(ascii: ".")
        default:
            if "yYnNtTfFoO~".utf8.contains(first) { hint = UInt8(ascii: "M") } else { return (nil, false) }
        }
        if let w = words[s] { return (w, false) }
        switch hint {
        case UInt8(ascii: "."):
            if let f = try? ParseFunctions.goParseFloat(s) { return (.float(f, .float64), false) }
        case UInt8(ascii: "D"), UInt8(ascii: "S"):
            if isTimestamp(s) { return (nil, true) }
            let plain = String(decoding: s.utf8.filter { $0 != UInt8(ascii: "_") }, as: UTF8.self)
            if let i = parseIntBase0(plain) { return (i, false) }
            if isYAMLFloat(plain), let f = try? ParseFunctions.goParseFloat(plain) { return (.float(f, .float64), false) }
        default:
            break
        }
        return (nil, false)
    }

    /// Go's `strconv.ParseInt(s, 0, 64)`, falling back to `ParseUint`; ints are Go `int`.
    static func parseIntBase0(_ s: String) -> TemplateValue? {
        var b = Array(s.utf8)[...]
        var negative = false
        if let f = b.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") {
            negative = f == UInt8(ascii: "-")
            b = b.dropFirst()
        }
        guard !b.isEmpty else { return nil }
        var base: UInt64 = 10
        if b.first == UInt8(ascii: "0") && b.count > 1 {
            let p = b[b.startIndex + 1] | 0x20
            switch p {
            case UInt8(ascii: "x"): base = 16; b = b.dropFirst(2)
            case UInt8(ascii: "o"): base = 8; b = b.dropFirst(2)
            case UInt8(ascii: "b"): base = 2; b = b.dropFirst(2)
            default: base = 8; b = b.dropFirst()
            }
            if b.isEmpty { return nil }
        }
        var n: UInt64 = 0
        for c in b {
            let d: UInt64
            switch c {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): d = UInt64(c - 48)
            case UInt8(ascii: "a")...UInt8(ascii: "z"): d = UInt64(c - 87)
            case UInt8(ascii: "A")...UInt8(ascii: "Z"): d = UInt64(c - 55)
            default: return nil
            }
            guard d < base else { return nil }
            let (m, o1) = n.multipliedReportingOverflow(by: base)
            let (r, o2) = m.addingReportingOverflow(d)
            if o1 || o2 { return nil }
            n = r
        }
        if negative {
            if n <= UInt64(Int64.max) { return .int(-Int64(n), .int) }
            if n == UInt64(Int64.max) + 1 { return .int(Int64.min, .int) }
            return nil
        }
        if n <= UInt64(Int64.max) { return .int(Int64(n), .int) }
        return .uint(n, .uint64)
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
    static func isYAMLFloat(_ s: String) -> Bool {
        let b = Array(s.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < b.count && b[i] >= 0x30 && b[i] <= 0x39 { i += 1 }
            return i - start
        }
        if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            if digits() == 0 { return false }
        } else {
            if digits() == 0 { return false }
            if i < b.count && b[i] == UInt8(ascii: ".") {
                i += 1
                _ = digits()
            }
        }
        if i < b.count && (b[i] | 0x20) == UInt8(ascii: "e") {
            i += 1
            if i < b.count && (b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-")) { i += 1 }
            if digits() == 0 { return false }
        }
        return i == b.count
    }

    /// yaml.v2's timestamp forms: `YYYY-M-D`, optionally with a time
    /// (`T`/`t` and a zone, or a space and no zone).
    static func isTimestamp(_ s: String) -> Bool {
        let b = Array(s.utf8)
        var i = 0
        func number(_ maxDigits: Int) -> Int? {
            let start = i
            var n = 0
            while i < b.count && b[i] >= 0x30 && b[i] <= 0x39 && i - start < maxDigits {
                n = n * 10 + Int(b[i] - 48)
                i += 1
            }
            return i > start ? n : nil
        }
        func expect(_ c: UInt8) -> Bool {
            guard i < b.count, b[i] == c else { return false }
            i += 1
            return true
        }
        guard let year = number(4), i == 4, expect(UInt8(ascii: "-")), let month = number(2), expect(UInt8(ascii: "-")),
              let day = number(2), (1...12).contains(month) else { return false }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
        guard (1...days).contains(day) else { return false }
        if i == b.count { return true }
        let sep = b[i]
        guard sep == UInt8(ascii: "T") || sep == UInt8(ascii: "t") || sep == UInt8(ascii: " ") else { return false }
        i += 1
        guard let h = number(2), h < 24, expect(UInt8(ascii: ":")), let m = number(2), m < 60,
              expect(UInt8(ascii: ":")), let sec = number(2), sec < 60 else { return false }
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            guard number(9) != nil else { return false }
        }
        if sep == UInt8(ascii: " ") { return i == b.count }
        if expect(UInt8(ascii: "Z")) { return i == b.count }
        guard i < b.count, b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") else { return false }
        i += 1
        guard let zh = number(2), zh < 24, expect(UInt8(ascii: ":")), let zm = number(2), zm < 60 else { return false }
        return i == b.count
    }
}

// MARK: - Parser

struct YAMLParser {
    struct Failure: Error { let message: String }

    private struct Line {
        var indent: Int
        var text: String
        let number: Int
    }

    private var lines: [Line]
    private var index = 0

    init(_ source: String) {
        var result: [Line] = []
        for (n, raw) in StringOps.split(source, "\n").enumerated() {
            var text = raw
            if text.hasSuffix("\r") { text.removeLast() }
            var indent = 0
            for b in text.utf8 { if b == 0x20 { indent += 1 } else { break } }
            result.append(Line(indent: indent, text: String(text.utf8.dropFirst(indent)) ?? "", number: n + 1))
        }
        lines = result
    }

    private func fail(_ problem: String, line: Int? = nil) -> TemplateFunctionError {
        let n = line ?? (index < lines.count ? lines[index].number : lines.count)
        return TemplateFunctionError("yaml: line \(n): \(problem)")
    }

    /// The line's content without a trailing comment or trailing spaces.
    private static func content(_ text: String) -> String {
        var quote: UInt8 = 0
        var previous: UInt8 = 0x20
        var end = 0
        var i = 0
        for b in text.utf8 {
            if quote != 0 {
                if b == quote { quote = 0 }
            } else if b == UInt8(ascii: "#") && (previous == 0x20 || previous == 0x09) {
                break
            } else if (b == UInt8(ascii: "\"") || b == UInt8(ascii: "'")) && (previous == 0x20 || previous == UInt8(ascii: ":") || previous == UInt8(ascii: "[") || previous == UInt8(ascii: "{") || previous == UInt8(ascii: ",") || previous == UInt8(ascii: "-") || i == 0) {
                quote = b
            }
            previous = b
            i += 1
            if b != 0x20 && b != 0x09 { end = i }
        }
        return String(decoding: text.utf8.prefix(end), as: UTF8.self)
    }

    private mutating func skipBlank() {
        while index < lines.count {
            let c = Self.content(lines[index].text)
            if c.isEmpty || (lines[index].indent == 0 && c == "---" && index == firstContentLine) { index += 1; continue }
            break
        }
    }

    private var firstContentLine: Int {
        var i = 0
        while i < lines.count && Self.content(lines[i].text).isEmpty { i += 1 }
        return i
    }

    mutating func document() throws -> TemplateValue {
        skipBlank()
        if index >= lines.count { return .noValue }
        let value = try block(parentIndent: -1)
        skipBlank()
        if index < lines.count {
            let c = Self.content(lines[index].text)
            if c == "..." { return value }
            if c == "---" { throw fail("multiple documents are not supported by retmpl") }
            throw fail("did not find expected <document start>")
        }
        return value
    }

    private static func isSequenceItem(_ c: String) -> Bool { c == "-" || c.hasPrefix("- ") }

    /// The split of `key: value` (key text, value text), or nil when the line is not a mapping entry.
    private static func mappingEntry(_ c: String) -> (key: String, value: String)? {
        let b = Array(c.utf8)
        var i = 0
        if let f = b.first, f == UInt8(ascii: "\"") || f == UInt8(ascii: "'") {
            i = 1
            while i < b.count {
                if b[i] == UInt8(ascii: "\\") && f == UInt8(ascii: "\"") { i += 2; continue }
                if b[i] == f {
                    if f == UInt8(ascii: "'") && i + 1 < b.count && b[i + 1] == f { i += 2; continue }
                    break
                }
                i += 1
            }
            i += 1
            guard i < b.count, b[i] == UInt8(ascii: ":"), i + 1 == b.count || b[i + 1] == 0x20 else { return nil }
        } else {
            if let f = b.first, f == UInt8(ascii: "[") || f == UInt8(ascii: "{") { return nil }
            while i < b.count {
                if b[i] == UInt8(ascii: ":") && (i + 1 == b.count || b[i + 1] == 0x20 || b[i + 1] == 0x09) { break }
                i += 1
            }
            guard i < b.count else { return nil }
        }
        let key = String(decoding: b[..<i], as: UTF8.self)
        let value = i + 1 < b.count ? String(decoding: b[(i + 1)...], as: UTF8.self) : ""
        return (key, StringOps.trimSpace(value))
    }

    /// A node whose first line is the current one, more indented than `parentIndent`.
    private mutating func block(parentIndent: Int) throws -> TemplateValue {
        skipBlank()
        guard index < lines.count, lines[index].indent > parentIndent else { return .noValue }
        let line = lines[index]
        let c = Self.content(line.text)
        if Self.isSequenceItem(c) { return try sequence(indent: line.indent) }
        if Self.mappingEntry(c) != nil { return try mapping(indent: line.indent) }
        index += 1
        return try inlineValue(c, parentIndent: parentIndent, line: line.number)
    }

    private mutating func mapping(indent: Int) throws -> TemplateValue {
        var entries: [(key: MapKey, value: TemplateValue)] = []
        while true {
            skipBlank()
            guard index < lines.count else { break }
            let line = lines[index]
            if line.indent < indent { break }
            if line.indent > indent { throw fail("mapping values are not allowed in this context") }
            let c = Self.content(line.text)
            if c == "..." || c == "---" { break }
            if Self.isSequenceItem(c) { break }
            guard let (keyText, valueText) = Self.mappingEntry(c) else {
                throw fail("could not find expected ':'")
            }
            index += 1
            let key = try scalarKey(keyText, line: line.number)
            let value: TemplateValue
            if valueText.isEmpty {
                skipBlank()
                if index < lines.count, lines[index].indent == indent, Self.isSequenceItem(Self.content(lines[index].text)) {
                    value = try sequence(indent: indent)
                } else {
                    value = try block(parentIndent: indent)
                }
            } else {
                value = try inlineValue(valueText, parentIndent: indent, line: line.number)
            }
            entries.append((key: key, value: value))
        }
        return .map(TemplateMap(type: YAMLResolve.anyMap, unsorted: entries))
    }

    private mutating func sequence(indent: Int) throws -> TemplateValue {
        var items: [TemplateValue] = []
        while true {
            skipBlank()
            guard index < lines.count else { break }
            let line = lines[index]
            let c = Self.content(line.text)
            guard line.indent == indent, Self.isSequenceItem(c) else {
                if line.indent > indent { throw fail("did not find expected '-' indicator") }
                break
            }
            var rest = String(line.text.utf8.dropFirst(1)) ?? ""
            var spaces = 0
            for b in rest.utf8 { if b == 0x20 { spaces += 1 } else { break } }
            rest = String(rest.utf8.dropFirst(spaces)) ?? ""
            if Self.content(rest).isEmpty {
                index += 1
                items.append(try block(parentIndent: indent))
            } else {
                // Re-read the item's content as a line of its own, indented where it starts.
                lines[index].indent = indent + 1 + spaces
                lines[index].text = rest
                items.append(try block(parentIndent: indent))
            }
        }
        return .list(TemplateList(type: .anySlice, elements: items))
    }

    private func scalarKey(_ text: String, line: Int) throws -> MapKey {
        let v = try scalar(text, line: line)
        switch v {
        case .string(let s): return .string(s)
        case .int(let i, _): return .int(i)
        case .uint(let u, _): return .uint(u)
        case .bool(let b): return .bool(b)
        case .float(let f, _): return .float(f)
        default: return .string("")
        }
    }

    /// A value written after `key:` or `- `: block scalar, flow collection, quoted or plain scalar.
    private mutating func inlineValue(_ text: String, parentIndent: Int, line: Int) throws -> TemplateValue {
        guard let first = text.utf8.first else { return .noValue }
        switch first {
        case UInt8(ascii: "|"), UInt8(ascii: ">"):
            return .string(try blockScalar(header: text, parentIndent: parentIndent, line: line))
        case UInt8(ascii: "["), UInt8(ascii: "{"):
            var source = text
            var depth = FlowParser.depth(source)
            while depth > 0 && index < lines.count {
                source += " " + Self.content(lines[index].text)
                index += 1
                depth = FlowParser.depth(source)
            }
            var flow = FlowParser(source, line: line)
            return try flow.document()
        case UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"):
            throw fail("anchors, aliases and tags are not supported by retmpl", line: line)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            var source = text
            while !Self.quoteClosed(source) && index < lines.count {
                let next = StringOps.trimSpace(lines[index].text)
                source += next.isEmpty ? "\n" : " " + next
                index += 1
            }
            return try scalar(source, line: line)
        default:
            var plain = text
            // Continuation lines of a multi-line plain scalar.
            while index < lines.count, lines[index].indent > parentIndent {
                let c = Self.content(lines[index].text)
                if c.isEmpty { break }
                if Self.mappingEntry(c) != nil || Self.isSequenceItem(c) { throw fail("mapping values are not allowed in this context") }
                plain += " " + c
                index += 1
            }
            return try scalar(plain, line: line)
        }
    }

    private static func quoteClosed(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard let q = b.first else { return true }
        var i = 1
        while i < b.count {
            if q == UInt8(ascii: "\"") && b[i] == UInt8(ascii: "\\") { i += 2; continue }
            if b[i] == q {
                if q == UInt8(ascii: "'") && i + 1 < b.count && b[i + 1] == q { i += 2; continue }
                return true
            }
            i += 1
        }
        return false
    }

    /// A single scalar (plain, or quoted with its escapes).
    func scalar(_ text: String, line: Int) throws -> TemplateValue {
        let b = Array(text.utf8)
        guard let q = b.first, q == UInt8(ascii: "\"") || q == UInt8(ascii: "'") else {
            let (value, _) = YAMLResolve.resolve(text)
            return value ?? .string(text)
        }
        var out: [UInt8] = []
        var i = 1
        var closed = false
        while i < b.count {
            let c = b[i]
            if c == q {
                if q == UInt8(ascii: "'") && i + 1 < b.count && b[i + 1] == q {
                    out.append(q)
                    i += 2
                    continue
                }
                closed = true
                i += 1
                break
            }
            if q == UInt8(ascii: "\"") && c == UInt8(ascii: "\\") && i + 1 < b.count {
                i += 1
                let e = b[i]
                i += 1
                switch e {
                case UInt8(ascii: "0"): out.append(0)
                case UInt8(ascii: "a"): out.append(7)
                case UInt8(ascii: "b"): out.append(8)
                case UInt8(ascii: "t"), 0x09: out.append(9)
                case UInt8(ascii: "n"): out.append(10)
                case UInt8(ascii: "v"): out.append(11)
                case UInt8(ascii: "f"): out.append(12)
                case UInt8(ascii: "r"): out.append(13)
                case UInt8(ascii: "e"): out.append(0x1B)
                case UInt8(ascii: " "), UInt8(ascii: "\""), UInt8(ascii: "/"), UInt8(ascii: "\\"): out.append(e)
                case UInt8(ascii: "N"): out.append(contentsOf: "\u{85}".utf8)
                case UInt8(ascii: "_"): out.append(contentsOf: "\u{A0}".utf8)
                case UInt8(ascii: "L"): out.append(contentsOf: "\u{2028}".utf8)
                case UInt8(ascii: "P"): out.append(contentsOf: "\u{2029}".utf8)
                case UInt8(ascii: "x"), UInt8(ascii: "u"), UInt8(ascii: "U"):
                    let n = e == UInt8(ascii: "x") ? 2 : e == UInt8(ascii: "u") ? 4 : 8
                    guard i + n <= b.count, let v = UInt32(String(decoding: b[i ..< i + n], as: UTF8.self), radix: 16),
                          let scalar = Unicode.Scalar(v) else {
                        throw fail("found invalid escape character while parsing a quoted scalar", line: line)
                    }
                    out.append(contentsOf: String(scalar).utf8)
                    i += n
                default:
                    throw fail("found unknown escape character while parsing a quoted scalar", line: line)
                }
                continue
            }
            out.append(c)
            i += 1
        }
        if !closed { throw fail("found unexpected end of stream while scanning a quoted scalar", line: line) }
        if i < b.count { throw fail("did not find expected key", line: line) }
        return .string(String(decoding: out, as: UTF8.self))
    }

    /// `|` / `>` with optional chomping (`-`, `+`) and indentation indicators.
    private mutating func blockScalar(header: String, parentIndent: Int, line: Int) throws -> String {
        let h = Array(Self.content(header).utf8)
        let folded = h[0] == UInt8(ascii: ">")
        var chomp: UInt8 = 0
        var explicitIndent: Int? = nil
        for c in h.dropFirst() {
            if c == UInt8(ascii: "-") || c == UInt8(ascii: "+") { chomp = c } else if c >= 0x31 && c <= 0x39 {
                explicitIndent = Int(c - 48)
            } else {
                throw fail("did not find expected comment or line break", line: line)
            }
        }
        var raw: [(indent: Int, text: String)] = []
        var contentIndent: Int? = explicitIndent.map { max(parentIndent, 0) + $0 }
        while index < lines.count {
            let l = lines[index]
            let blank = l.text.utf8.allSatisfy { $0 == 0x20 || $0 == 0x09 }
            if blank {
                raw.append((l.indent, ""))
                index += 1
                continue
            }
            if contentIndent == nil { contentIndent = l.indent }
            guard let ci = contentIndent, l.indent >= ci, l.indent > parentIndent else { break }
            raw.append((l.indent - ci, String(repeating: " ", count: l.indent - ci) + l.text))
            index += 1
        }
        // Trailing blank lines belong to the chomping, not the content.
        var trailing = 0
        while let last = raw.last, last.text.isEmpty {
            raw.removeLast()
            trailing += 1
        }
        var text = ""
        var previousMoreIndented = true
        for (i, l) in raw.enumerated() {
            if i > 0 {
                if folded && !l.text.isEmpty && !raw[i - 1].text.isEmpty && l.indent == 0 && !previousMoreIndented {
                    text += " "
                } else {
                    text += "\n"
                }
            }
            text += l.text
            previousMoreIndented = l.indent > 0 || l.text.isEmpty
        }
        if raw.isEmpty { return chomp == UInt8(ascii: "+") ? String(repeating: "\n", count: trailing) : "" }
        switch chomp {
        case UInt8(ascii: "-"): return text
        case UInt8(ascii: "+"): return text + "\n" + String(repeating: "\n", count: trailing)
        default: return text + "\n"
        }
    }
}

/// Flow collections: `[a, b]`, `{k: v}` (nested, with quoted or plain scalars).
struct FlowParser {
    private let b: [UInt8]
    private var i = 0
    private let line: Int

    init(_ text: String, line: Int) {
        b = Array(text.utf8)
        self.line = line
    }

    /// Bracket depth at the end of `s` (quotes respected).
    static func depth(_ s: String) -> Int {
        var d = 0
        var quote: UInt8 = 0
        for c in s.utf8 {
            if quote != 0 { if c == quote { quote = 0 }; continue }
            switch c {
            case UInt8(ascii: "\""), UInt8(ascii: "'"): quote = c
            case UInt8(ascii: "["), UInt8(ascii: "{"): d += 1
            case UInt8(ascii: "]"), UInt8(ascii: "}"): d -= 1
            default: break
            }
        }
        return d
    }

    private func fail(_ problem: String) -> TemplateFunctionError { TemplateFunctionError("yaml: line \(line): \(problem)") }

    private mutating func spaces() { while i < b.count && (b[i] == 0x20 || b[i] == 0x09) { i += 1 } }

    mutating func document() throws -> TemplateValue {
        let v = try node()
        spaces()
        if i < b.count { throw fail("did not find expected <document start>") }
        return v
    }

    private mutating func node() throws -> TemplateValue {
        spaces()
        guard i < b.count else { throw fail("did not find expected node content") }
        switch b[i] {
        case UInt8(ascii: "["):
            i += 1
            var items: [TemplateValue] = []
            while true {
                spaces()
                if i < b.count && b[i] == UInt8(ascii: "]") { i += 1; break }
                items.append(try node())
                spaces()
                if i < b.count && b[i] == UInt8(ascii: ",") { i += 1; continue }
                if i < b.count && b[i] == UInt8(ascii: "]") { i += 1; break }
                throw fail("did not find expected ',' or ']'")
            }
            return .list(TemplateList(type: .anySlice, elements: items))
        case UInt8(ascii: "{"):
            i += 1
            var entries: [(key: MapKey, value: TemplateValue)] = []
            while true {
                spaces()
                if i < b.count && b[i] == UInt8(ascii: "}") { i += 1; break }
                let k = try node()
                spaces()
                var v: TemplateValue = .noValue
                if i < b.count && b[i] == UInt8(ascii: ":") {
                    i += 1
                    spaces()
                    if i < b.count && b[i] != UInt8(ascii: ",") && b[i] != UInt8(ascii: "}") { v = try node() }
                }
                let key: MapKey
                switch k {
                case .string(let s): key = .string(s)
                case .int(let n, _): key = .int(n)
                case .uint(let n, _): key = .uint(n)
                case .bool(let x): key = .bool(x)
                case .float(let f, _): key = .float(f)
                default: key = .string("")
                }
                entries.append((key: key, value: v))
                spaces()
                if i < b.count && b[i] == UInt8(ascii: ",") { i += 1; continue }
                if i < b.count && b[i] == UInt8(ascii: "}") { i += 1; break }
                throw fail("did not find expected ',' or '}'")
            }
            return .map(TemplateMap(type: YAMLResolve.anyMap, unsorted: entries))
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            let q = b[i]
            let start = i
            i += 1
            while i < b.count {
                if q == UInt8(ascii: "\"") && b[i] == UInt8(ascii: "\\") { i += 2; continue }
                if b[i] == q {
                    if q == UInt8(ascii: "'") && i + 1 < b.count && b[i + 1] == q { i += 2; continue }
                    break
                }
                i += 1
            }
            i += 1
            let text = String(decoding: b[start ..< min(i, b.count)], as: UTF8.self)
            return try YAMLParser("").scalar(text, line: line)
        default:
            let start = i
            while i < b.count {
                let c = b[i]
                if c == UInt8(ascii: ",") || c == UInt8(ascii: "]") || c == UInt8(ascii: "}") { break }
                if c == UInt8(ascii: ":") && (i + 1 == b.count || b[i + 1] == 0x20 || b[i + 1] == UInt8(ascii: ",")) { break }
                i += 1
            }
            let text = StringOps.trimSpace(String(decoding: b[start ..< i], as: UTF8.self))
            let (value, _) = YAMLResolve.resolve(text)
            return value ?? .string(text)
        }
    }
}

// MARK: - Emitter (yaml.v2 Marshal)

/// yaml.v2's block-style output: 2-space indentation, sequences under a
/// key not indented, keys sorted yaml.v2's way (numbers numerically), plain
/// scalars when they would read back as the same string, else single or
/// double quotes; multi-line strings as literal blocks; lines folded at
/// spaces past column 80.
enum YAMLEmitter {
    struct Failure: Error { let message: String }

    private static let bestWidth = 80

    static func document(_ v: TemplateValue) throws(Failure) -> String {
        var e = Writer()
        try e.node(v, indent: 0, context: .document)
        e.newline()
        return e.text
    }

    private enum Context { case document, mappingValue, sequenceItem, key }

    private struct Writer {
        var out: [UInt8] = []
        var column = 0

        var text: String { String(decoding: out, as: UTF8.self) }

        mutating func write(_ s: String) {
            out.append(contentsOf: s.utf8)
            for b in s.utf8 where b & 0xC0 != 0x80 { column += 1 }
        }

        mutating func newline() {
            out.append(0x0A)
            column = 0
        }

        mutating func indentTo(_ n: Int) {
            if column > 0 { newline() }
            write(String(repeating: " ", count: n))
        }

        mutating func node(_ v: TemplateValue, indent: Int, context: Context) throws(Failure) {
            switch v {
            case .map, .record:
                let entries = try YAMLEmitter.entries(v)
                if entries.isEmpty {
                    if context != .document { write(" ") }
                    write("{}")
                    return
                }
                for (i, e) in entries.enumerated() {
                    if i > 0 || context == .mappingValue || context == .document && column > 0 { indentTo(indent) }
                    try scalarOrKey(e.key, indent: indent)
                    write(":")
                    try value(e.value, indent: indent)
                }
            case .list(let l):
                if l.elements.isEmpty {
                    if context != .document { write(" ") }
                    write("[]")
                    return
                }
                for (i, item) in l.elements.enumerated() {
                    if i > 0 || context == .mappingValue { indentTo(indent) }
                    write("-")
                    switch item {
                    case .map, .record:
                        if try YAMLEmitter.entries(item).isEmpty { write(" {}") } else {
                            write(" ")
                            try node(item, indent: indent + 2, context: .sequenceItem)
                        }
                    case .list(let inner) where !inner.elements.isEmpty:
                        write(" ")
                        try node(item, indent: indent + 2, context: .sequenceItem)
                    case .list:
                        write(" []")
                    default:
                        write(" ")
                        try scalar(item, indent: indent + 2, simpleKey: false)
                    }
                }
            case .null(let t):
                switch t.underlying {
                case .map: if context != .document { write(" ") }; write("{}")
                case .slice, .array: if context != .document { write(" ") }; write("[]")
                default: try scalar(v, indent: indent + 2, simpleKey: false)
                }
            default:
                try scalar(v, indent: indent + 2, simpleKey: false)
            }
        }

        /// The value after `key:`.
        mutating func value(_ v: TemplateValue, indent: Int) throws(Failure) {
            switch v {
            case .map, .record:
                if try YAMLEmitter.entries(v).isEmpty { write(" {}") } else { try node(v, indent: indent + 2, context: .mappingValue) }
            case .list(let l):
                if l.elements.isEmpty { write(" []") } else { try node(v, indent: indent, context: .mappingValue) }
            case .null(let t):
                switch t.underlying {
                case .map: write(" {}")
                case .slice, .array: write(" []")
                default: write(" null")
                }
            default:
                write(" ")
                try scalar(v, indent: indent + 2, simpleKey: false)
            }
        }

        mutating func scalarOrKey(_ v: TemplateValue, indent: Int) throws(Failure) {
            try scalar(v, indent: indent + 2, simpleKey: true)
        }

        mutating func scalar(_ v: TemplateValue, indent: Int, simpleKey: Bool) throws(Failure) {
            switch v {
            case .noValue, .null: write("null")
            case .bool(let b): write(b ? "true" : "false")
            case .int(let i, _): write(String(i))
            case .uint(let u, _): write(String(u))
            case .float(let f, let k):
                if f.isNaN { write(".nan") } else if f.isInfinite { write(f < 0 ? "-.inf" : ".inf") } else {
                    write(GoText.formatFloat(f, UInt8(ascii: "g"), float32: k == .float32))
                }
            case .string(let s): string(s, indent: indent, simpleKey: simpleKey)
            default:
                throw Failure(message: "cannot marshal type: \(v.goTypeName)")
            }
        }

        mutating func string(_ s: String, indent: Int, simpleKey: Bool) {
            let (resolved, timestamp) = YAMLResolve.resolve(s)
            let canUsePlain = resolved == nil && !timestamp && !YAMLEmitter.isBase60Float(s)
            let a = Analysis(s)
            enum Style { case plain, single, double, literal }
            var style: Style = StringOps.contains(s, "\n") ? .literal : canUsePlain ? .plain : .double
            if style == .plain && (!a.blockPlainAllowed || (s.isEmpty && simpleKey)) { style = .single }
            if style == .single && !a.singleQuotedAllowed { style = .double }
            if style == .literal && (!a.blockAllowed || simpleKey) { style = .double }
            switch style {
            case .plain: plain(s, indent: indent, allowBreaks: !simpleKey)
            case .single: single(s, indent: indent, allowBreaks: !simpleKey)
            case .double: double(s, indent: indent, allowBreaks: !simpleKey)
            case .literal: literal(s, indent: indent)
            }
        }

        private mutating func breakLine(_ indent: Int) {
            newline()
            write(String(repeating: " ", count: indent))
        }

        mutating func plain(_ s: String, indent: Int, allowBreaks: Bool) {
            let scalars = Array(s.unicodeScalars)
            var spaces = false
            for (i, r) in scalars.enumerated() {
                if r == " " {
                    if allowBreaks && !spaces && column > YAMLEmitter.bestWidth && !(i + 1 < scalars.count && scalars[i + 1] == " ") {
                        breakLine(indent)
                    } else {
                        write(" ")
                    }
                    spaces = true
                } else {
                    write(String(r))
                    spaces = false
                }
            }
        }

        mutating func single(_ s: String, indent: Int, allowBreaks: Bool) {
            write("'")
            let scalars = Array(s.unicodeScalars)
            var spaces = false
            for (i, r) in scalars.enumerated() {
                if r == " " {
                    if allowBreaks && !spaces && column > YAMLEmitter.bestWidth && i != 0 && i != scalars.count - 1
                        && !(i + 1 < scalars.count && scalars[i + 1] == " ") {
                        breakLine(indent)
                    } else {
                        write(" ")
                    }
                    spaces = true
                } else {
                    write(r == "'" ? "''" : String(r))
                    spaces = false
                }
            }
            write("'")
        }

        mutating func double(_ s: String, indent: Int, allowBreaks: Bool) {
            write("\"")
            let scalars = Array(s.unicodeScalars)
            var spaces = false
            for (i, r) in scalars.enumerated() {
                let v = r.value
                if !YAMLEmitter.isPrintable(r) || v == 0xFEFF || v == 0x0A || v == 0x0D || v == 0x85 || v == 0x2028 || v == 0x2029
                    || r == "\"" || r == "\\" {
                    write(YAMLEmitter.escape(r))
                    spaces = false
                } else if r == " " {
                    if allowBreaks && !spaces && column > YAMLEmitter.bestWidth && i != 0 && i != scalars.count - 1 {
                        breakLine(indent)
                        if i + 1 < scalars.count && scalars[i + 1] == " " { write("\\") }
                    } else {
                        write(" ")
                    }
                    spaces = true
                } else {
                    write(String(r))
                    spaces = false
                }
            }
            write("\"")
        }

        mutating func literal(_ s: String, indent: Int) {
            write("|")
            if let f = s.unicodeScalars.first, f == " " || f == "\n" { write("2") }
            let u = Array(s.utf8)
            if u.last != 0x0A {
                write("-")
            } else if u.count == 1 || u[u.count - 2] == 0x0A {
                write("+")
            }
            newline()
            var atLineStart = true
            for r in s.unicodeScalars {
                if r == "\n" {
                    newline()
                    atLineStart = true
                    continue
                }
                if atLineStart {
                    write(String(repeating: " ", count: indent))
                    atLineStart = false
                }
                write(String(r))
            }
        }
    }

    /// Map entries in yaml.v2's key order; struct fields under lower-cased names.
    fileprivate static func entries(_ v: TemplateValue) throws(Failure) -> [(key: TemplateValue, value: TemplateValue)] {
        switch v {
        case .map(let m):
            let list = m.entries.map { (key: $0.key.value(keyType: m.keyType), value: $0.value) }
            return list.sorted { keyLess($0.key, $1.key) }
        case .record(let r):
            return r.type.fields.enumerated().map { (key: .string(GoCase.map($0.element.name, GoCase.lower)), value: r.fields[$0.offset]) }
        default:
            return []
        }
    }

    /// yaml.v2's `keyList.Less`: numbers and bools by value, then kinds, then a
    /// natural order of strings (digit runs compared as numbers).
    static func keyLess(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        func number(_ v: TemplateValue) -> Double? {
            switch v {
            case .int(let i, _): return Double(i)
            case .uint(let u, _): return Double(u)
            case .float(let f, _): return f
            case .bool(let x): return x ? 1 : 0
            default: return nil
            }
        }
        func kindRank(_ v: TemplateValue) -> Int {
            switch v {
            case .bool: return 1
            case .int: return 2
            case .uint: return 7
            case .float: return 13
            case .string: return 24
            default: return 0
            }
        }
        if let x = number(a), let y = number(b) {
            if x != y { return x < y }
            return kindRank(a) < kindRank(b)
        }
        guard case .string(let sa) = a, case .string(let sb) = b else { return kindRank(a) < kindRank(b) }
        let ar = Array(sa.unicodeScalars), br = Array(sb.unicodeScalars)
        func isLetter(_ r: Unicode.Scalar) -> Bool {
            switch r.properties.generalCategory {
            case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
            default: return false
            }
        }
        func isDigit(_ r: Unicode.Scalar) -> Bool { r.properties.generalCategory == .decimalNumber }
        var i = 0
        while i < ar.count && i < br.count {
            if ar[i] == br[i] { i += 1; continue }
            let al = isLetter(ar[i]), bl = isLetter(br[i])
            if al && bl { return ar[i].value < br[i].value }
            if al || bl { return bl }
            var an: Int64 = 0, bn: Int64 = 0
            if ar[i] == "0" || br[i] == "0" {
                var j = i - 1
                while j >= 0 && isDigit(ar[j]) {
                    if ar[j] != "0" { an = 1; bn = 1; break }
                    j -= 1
                }
            }
            var ai = i, bi = i
            while ai < ar.count && isDigit(ar[ai]) { an = an &* 10 &+ Int64(ar[ai].value) - 48; ai += 1 }
            while bi < br.count && isDigit(br[bi]) { bn = bn &* 10 &+ Int64(br[bi].value) - 48; bi += 1 }
            if an != bn { return an < bn }
            if ai != bi { return ai < bi }
            return ar[i].value < br[i].value
        }
        return ar.count < br.count
    }

    /// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
    static func isBase60Float(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard let f = b.first, f == UInt8(ascii: "+") || f == UInt8(ascii: "-") || (f >= 0x30 && f <= 0x39), b.contains(UInt8(ascii: ":")) else { return false }
        var i = 0
        if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") { i += 1 }
        guard i < b.count, b[i] >= 0x30, b[i] <= 0x39 else { return false }
        i += 1
        while i < b.count && (b[i] >= 0x30 && b[i] <= 0x39 || b[i] == UInt8(ascii: "_")) { i += 1 }
        var groups = 0
        while i < b.count && b[i] == UInt8(ascii: ":") {
            i += 1
            var n = 0
            let start = i
            while i < b.count && b[i] >= 0x30 && b[i] <= 0x39 && i - start < 2 { n = n * 10 + Int(b[i] - 48); i += 1 }
            let len = i - start
            guard len >= 1, len == 1 || n / 10 <= 5 else { return false }
            groups += 1
        }
        guard groups > 0 else { return false }
        if i < b.count && b[i] == UInt8(ascii: ".") {
            i += 1
            while i < b.count && (b[i] >= 0x30 && b[i] <= 0x39 || b[i] == UInt8(ascii: "_")) { i += 1 }
        }
        return i == b.count
    }

    /// libyaml's `is_printable` (4-byte UTF-8 characters are not).
    static func isPrintable(_ r: Unicode.Scalar) -> Bool {
        let v = r.value
        switch v {
        case 0x0A, 0x20...0x7E, 0x85: return true
        case 0xA0...0xD7FF, 0xE000...0xFFFD: return v != 0xFEFF
        default: return false
        }
    }

    static func escape(_ r: Unicode.Scalar) -> String {
        switch r.value {
        case 0x00: return "\\0"
        case 0x07: return "\\a"
        case 0x08: return "\\b"
        case 0x09: return "\\t"
        case 0x0A: return "\\n"
        case 0x0B: return "\\v"
        case 0x0C: return "\\f"
        case 0x0D: return "\\r"
        case 0x1B: return "\\e"
        case 0x22: return "\\\""
        case 0x5C: return "\\\\"
        case 0x85: return "\\N"
        case 0xA0: return "\\_"
        case 0x2028: return "\\L"
        case 0x2029: return "\\P"
        default:
            let hex = String(r.value, radix: 16, uppercase: true)
            if r.value <= 0xFF { return "\\x" + String(repeating: "0", count: 2 - hex.count) + hex }
            if r.value <= 0xFFFF { return "\\u" + String(repeating: "0", count: 4 - hex.count) + hex }
            return "\\U" + String(repeating: "0", count: 8 - hex.count) + hex
        }
    }
}

/// libyaml's scalar analysis: which styles can carry the text unchanged.
private struct Analysis {
    var blockPlainAllowed = true
    var singleQuotedAllowed = true
    var blockAllowed = true

    init(_ s: String) {
        let r = Array(s.unicodeScalars)
        if r.isEmpty {
            blockAllowed = false
            return
        }
        var blockIndicators = false
        var lineBreaks = false, special = false
        var leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
        var breakSpace = false, spaceBreak = false
        var precededByWhitespace = true
        var previousSpace = false, previousBreak = false
        let text = String(s)
        if StringOps.hasPrefix(text, "---") || StringOps.hasPrefix(text, "...") { blockIndicators = true }
        func isBlank(_ i: Int) -> Bool { i >= r.count || r[i] == " " || r[i] == "\t" || r[i] == "\n" || r[i] == "\r" }
        for i in r.indices {
            let c = r[i]
            let followedByWhitespace = isBlank(i + 1)
            if i == 0 {
                switch c {
                case "#", ",", "[", "]", "{", "}", "&", "*", "!", "|", ">", "'", "\"", "%", "@", "`": blockIndicators = true
                case "?", ":": if followedByWhitespace { blockIndicators = true }
                case "-": if followedByWhitespace { blockIndicators = true }
                default: break
                }
            } else {
                switch c {
                case ":": if followedByWhitespace { blockIndicators = true }
                case "#": if precededByWhitespace { blockIndicators = true }
                default: break
                }
            }
            if !YAMLEmitter.isPrintable(c) && c != "\n" { special = true }
            if c == " " {
                if i == 0 { leadingSpace = true }
                if i == r.count - 1 { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if c == "\n" || c == "\r" || c == "\u{85}" || c == "\u{2028}" || c == "\u{2029}" {
                lineBreaks = true
                if i == 0 { leadingBreak = true }
                if i == r.count - 1 { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = isBlank(i)
        }
        if leadingSpace || leadingBreak || trailingSpace || trailingBreak { blockPlainAllowed = false }
        if trailingSpace { blockAllowed = false }
        if breakSpace {
            blockPlainAllowed = false
            singleQuotedAllowed = false
        }
        if spaceBreak || special {
            blockPlainAllowed = false
            singleQuotedAllowed = false
            blockAllowed = false
        }
        if lineBreaks { blockPlainAllowed = false }
        if blockIndicators { blockPlainAllowed = false }
    }
}

// MARK: - TOML (BurntSushi/toml Encoder)

/// BurntSushi/toml's encoder: plain keys first (sorted), then tables
/// (`[a]`, `[a.b]` indented two spaces per level) and arrays of tables.
enum TOMLEncoder {
    struct Failure: Error { let message: String }

    static func encode(_ v: TemplateValue) throws(Failure) -> String {
        var e = Writer()
        try e.table([], v)
        return e.out
    }

    private static func isTable(_ v: TemplateValue) throws(Failure) -> Bool {
        switch v {
        case .map, .record: return true
        case .list(let l):
            guard let first = l.elements.first else { return false }
            for e in l.elements.dropFirst() where e.isNil { throw Failure(message: "toml: cannot encode array with nil element") }
            if first.isNil { throw Failure(message: "toml: cannot encode array with nil element") }
            if case .map = first { return true }
            if case .record = first { return true }
            return false
        default: return false
        }
    }

    private static func isArrayOfTables(_ v: TemplateValue) throws(Failure) -> Bool {
        if case .list = v { return try isTable(v) }
        return false
    }

    private static func bareKey(_ k: String) -> String {
        if k.isEmpty { return "\"\"" }
        for b in k.utf8 {
            let ok = (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || b == 0x5F || b == 0x2D
            if !ok { return quoted(k) }
        }
        return k
    }

    static func quoted(_ s: String) -> String {
        var out = "\""
        for r in s.unicodeScalars {
            switch r.value {
            case 0x22: out += "\\\""
            case 0x5C: out += "\\\\"
            case 0x08: out += "\\b"
            case 0x09: out += "\\t"
            case 0x0A: out += "\\n"
            case 0x0C: out += "\\f"
            case 0x0D: out += "\\r"
            case 0x00...0x1F, 0x7F:
                let hex = String(r.value, radix: 16)
                out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
            default: out.unicodeScalars.append(r)
            }
        }
        return out + "\""
    }

    private static func members(_ v: TemplateValue) throws(Failure) -> [(key: String, value: TemplateValue)] {
        switch v {
        case .map(let m):
            guard case .string = m.keyType.underlying else { throw Failure(message: "toml: cannot encode a map with non-string key type") }
            return m.entries.compactMap { e in
                if case .string(let k) = e.key { return (k, e.value) }
                return nil
            }
        case .record(let r):
            return r.type.fields.enumerated().map { ($0.element.name, r.fields[$0.offset]) }
        default:
            return []
        }
    }

    private struct Writer {
        var out = ""

        mutating func newline() { if !out.isEmpty { out += "\n" } }

        func indent(_ key: [String]) -> String { String(repeating: "  ", count: max(key.count - 1, 0)) }

        func name(_ key: [String]) -> String { key.map(TOMLEncoder.bareKey).joined(separator: ".") }

        mutating func table(_ key: [String], _ v: TemplateValue) throws(Failure) {
            var direct: [(key: String, value: TemplateValue)] = []
            var sub: [(key: String, value: TemplateValue)] = []
            for m in try TOMLEncoder.members(v) {
                if try TOMLEncoder.isTable(m.value) { sub.append(m) } else { direct.append(m) }
            }
            if case .map = v {
                direct.sort { StringOps.less($0.key, $1.key) }
                sub.sort { StringOps.less($0.key, $1.key) }
            }
            for m in direct + sub {
                try encode(key + [m.key], m.value)
            }
        }

        mutating func encode(_ key: [String], _ v: TemplateValue) throws(Failure) {
            switch v {
            case .noValue, .null: return
            case .map, .record:
                if key.count == 1 { newline() }
                out += indent(key) + "[" + name(key) + "]"
                newline()
                try table(key, v)
            case .list(let l) where try TOMLEncoder.isArrayOfTables(v):
                for item in l.elements where !item.isNil {
                    newline()
                    out += indent(key) + "[[" + name(key) + "]]"
                    newline()
                    try table(key, item)
                }
            default:
                out += indent(key) + TOMLEncoder.bareKey(key[key.count - 1]) + " = "
                try element(v)
                newline()
            }
        }

        mutating func element(_ v: TemplateValue) throws(Failure) {
            switch v {
            case .string(let s): out += TOMLEncoder.quoted(s)
            case .bool(let b): out += b ? "true" : "false"
            case .int(let i, _): out += String(i)
            case .uint(let u, _): out += String(u)
            case .float(let f, let k):
                if f.isNaN { out += "nan" } else if f.isInfinite { out += f < 0 ? "-inf" : "+inf" } else {
                    let text = GoText.formatFloat(f, UInt8(ascii: "f"), float32: k == .float32)
                    out += text.contains(".") ? text : text + ".0"
                }
            case .list(let l):
                for e in l.elements where e.isNil { _ = e; throw Failure(message: "toml: cannot encode array with nil element") }
                out += "["
                for (i, e) in l.elements.enumerated() {
                    if i > 0 { out += ", " }
                    try element(e)
                }
                out += "]"
            case .map, .record:
                var members = try TOMLEncoder.members(v)
                if case .map = v { members.sort { StringOps.less($0.key, $1.key) } }
                out += "{"
                var first = true
                for m in members where !m.value.isNil {
                    if !first { out += ", " }
                    first = false
                    out += TOMLEncoder.bareKey(m.key) + " = "
                    try element(m.value)
                }
                out += "}"
            case .noValue, .null:
                throw Failure(message: "toml: cannot encode array with nil element")
            default:
                throw Failure(message: "unsupported type: \(SprigFunctions.kind(v))")
            }
        }
    }
}
