import RetmplTemplate

/// consul-template's `sprig_*` functions (sprig v3's hermetic map).
///
/// The self-contained ones are implemented with sprig's signatures and
/// quirks; the others (dates, semver, crypto, random, cast-based numbers,
/// list helpers, ...) are registered so templates parse, and fail when
/// called. `set`/`unset` return an updated copy: template maps are
/// immutable here, so the map passed in is not changed as it is in Go.
enum SprigFunctions {
    /// Every name of sprig v3.3.0's `HermeticTxtFuncMap`.
    static let names: [String] = """
        hello ago duration durationRound mustDateModify must_date_modify mustToDate toDate unixEpoch \
        abbrev abbrevboth trunc trim upper lower title untitle substr repeat trimall trimAll trimSuffix \
        trimPrefix nospace initials swapcase shuffle snakecase camelcase kebabcase wrap wrapWith \
        contains hasPrefix hasSuffix quote squote cat indent nindent replace plural sha1sum sha256sum \
        sha512sum adler32sum toString atoi int64 int float64 seq toDecimal split splitList splitn \
        toStrings until untilStep add1 add sub div mod mul randInt add1f addf subf divf mulf biggest \
        max min maxf minf ceil floor round join sortAlpha default empty coalesce all any compact \
        mustCompact fromJson toJson toPrettyJson toRawJson mustFromJson mustToJson mustToPrettyJson \
        mustToRawJson ternary deepCopy mustDeepCopy typeOf typeIs typeIsLike kindOf kindIs deepEqual \
        base dir clean ext isAbs osBase osClean osDir osExt osIsAbs b64enc b64dec b32enc b32dec \
        tuple list dict get set unset hasKey pluck keys pick omit merge mergeOverwrite mustMerge \
        mustMergeOverwrite values append push mustAppend mustPush prepend mustPrepend first mustFirst \
        rest mustRest last mustLast initial mustInitial reverse mustReverse uniq mustUniq without \
        mustWithout has mustHas slice mustSlice concat dig chunk mustChunk bcrypt htpasswd \
        genPrivateKey derivePassword buildCustomCert genCA genCAWithKey genSelfSignedCert \
        genSelfSignedCertWithKey genSignedCert genSignedCertWithKey encryptAES decryptAES \
        semver semverCompare fail regexMatch mustRegexMatch regexFindAll mustRegexFindAll regexFind \
        mustRegexFind regexReplaceAll mustRegexReplaceAll regexReplaceAllLiteral \
        mustRegexReplaceAllLiteral regexSplit mustRegexSplit regexQuoteMeta urlParse urlJoin
        """.split(separator: " ").map(String.init)

    static var all: [TemplateFunction] {
        var byName: [String: TemplateFunction] = [:]
        for f in implemented { byName[f.name] = f }
        return names.map { name in
            if let f = byName[name] {
                return TemplateFunction("sprig_" + name, f.parameters, variadic: f.variadic) { a, c in try f(a, context: c) }
            }
            return UnsupportedFunctions.failing("sprig_" + name, needs: "a sprig function retmpl does not implement")
        }
    }

    private typealias F = TemplateFunction
    private static let anyMap = GoType.stringAnyMap
    private static let intSlice = GoType.slice(.int)

    private static func str(_ s: String) -> TemplateValue { .string(s) }
    private static func ints(_ v: [Int]) -> TemplateValue { .list(TemplateList(type: intSlice, elements: v.map { .int($0) })) }
    private static func anyList(_ v: [TemplateValue]) -> TemplateValue { .list(TemplateList(type: .anySlice, elements: v)) }

    private static let implemented: [TemplateFunction] = strings + encodings + defaults + reflection + paths + dicts + regexes

    // MARK: Strings

    private static let strings: [TemplateFunction] = [
        F("hello", []) { _, _ in str("Hello!") },
        F("trunc", [.int, .string]) { a, _ in str(trunc(Int(a.int(0)), a.string(1))) },
        F("trim", [.string]) { a, _ in str(StringOps.trimSpace(a.string(0))) },
        F("upper", [.string]) { a, _ in str(GoCase.map(a.string(0), GoCase.upper)) },
        F("lower", [.string]) { a, _ in str(GoCase.map(a.string(0), GoCase.lower)) },
        F("title", [.string]) { a, _ in str(title(a.string(0))) },
        F("substr", [.int, .int, .string]) { a, _ in str(try substr(Int(a.int(0)), Int(a.int(1)), a.string(2))) },
        F("repeat", [.int, .string]) { a, _ in
            if a.int(0) < 0 { throw TemplateFunctionError("strings: negative Repeat count") }
            return str(StringOps.repeated(a.string(1), Int(a.int(0))))
        },
        F("trimall", [.string, .string]) { a, _ in str(StringOps.trim(a.string(1), cutset: a.string(0))) },
        F("trimAll", [.string, .string]) { a, _ in str(StringOps.trim(a.string(1), cutset: a.string(0))) },
        F("trimSuffix", [.string, .string]) { a, _ in str(StringOps.trimSuffix(a.string(1), a.string(0))) },
        F("trimPrefix", [.string, .string]) { a, _ in str(StringOps.trimPrefix(a.string(1), a.string(0))) },
        F("contains", [.string, .string]) { a, _ in .bool(StringOps.contains(a.string(1), a.string(0))) },
        F("hasPrefix", [.string, .string]) { a, _ in .bool(StringOps.hasPrefix(a.string(1), a.string(0))) },
        F("hasSuffix", [.string, .string]) { a, _ in .bool(StringOps.hasSuffix(a.string(1), a.string(0))) },
        F("quote", [], variadic: .interface) { a, _ in
            str(a.filter { !isNilInterface($0) }.map { GoText.quote(strval($0)) }.joined(separator: " "))
        },
        F("squote", [], variadic: .interface) { a, _ in
            str(a.filter { !isNilInterface($0) }.map { "'" + GoFormat.v($0) + "'" }.joined(separator: " "))
        },
        F("cat", [], variadic: .interface) { a, _ in
            str(a.filter { !isNilInterface($0) }.map(GoFormat.v).joined(separator: " "))
        },
        F("indent", [.int, .string]) { a, _ in str(indent(Int(a.int(0)), a.string(1))) },
        F("nindent", [.int, .string]) { a, _ in str("\n" + indent(Int(a.int(0)), a.string(1))) },
        F("replace", [.string, .string, .string]) { a, _ in str(StringOps.replaceAll(a.string(2), a.string(0), a.string(1))) },
        F("plural", [.string, .string, .int]) { a, _ in str(a.int(2) == 1 ? a.string(0) : a.string(1)) },
        F("toString", [.interface]) { a, _ in str(strval(a[0])) },
        F("toStrings", [.interface]) { a, _ in .strings(strslice(a[0])) },
        F("split", [.string, .string]) { a, _ in indexedMap(StringOps.split(a.string(1), a.string(0))) },
        F("splitn", [.string, .int, .string]) { a, _ in indexedMap(StringOps.split(a.string(2), a.string(0), limit: Int(a.int(1)))) },
        F("splitList", [.string, .string]) { a, _ in .strings(StringOps.split(a.string(1), a.string(0))) },
        F("join", [.string, .interface]) { a, _ in str(strslice(a[1]).joined(separator: a.string(0))) },
        F("sortAlpha", [.interface]) { a, _ in
            switch a[0] {
            case .list:
                return .strings(strslice(a[0]).sorted(by: StringOps.less))
            case .null(let t):
                switch t.underlying {
                case .slice, .array: return .strings([])
                default: return .strings([strval(a[0])])
                }
            default:
                return .strings([strval(a[0])])
            }
        },
        F("atoi", [.string]) { a, _ in .int(Int((try? ParseFunctions.goParseInt(a.string(0))) ?? 0)) },
        F("until", [.int]) { a, _ in
            let n = Int(a.int(0))
            return ints(untilStep(0, n, n < 0 ? -1 : 1))
        },
        F("untilStep", [.int, .int, .int]) { a, _ in ints(untilStep(Int(a.int(0)), Int(a.int(1)), Int(a.int(2)))) },
    ]

    static func trunc(_ c: Int, _ s: String) -> String {
        let b = Array(s.utf8)
        if c < 0 && b.count + c > 0 { return String(decoding: b[(b.count + c)...], as: UTF8.self) }
        if c >= 0 && b.count > c { return String(decoding: b[..<c], as: UTF8.self) }
        return s
    }

    /// sprig's `substr` slices bytes; out-of-range bounds panic in Go.
    static func substr(_ start: Int, _ end: Int, _ s: String) throws -> String {
        let b = Array(s.utf8)
        func slice(_ lo: Int, _ hi: Int) throws -> String {
            if hi > b.count { throw TemplateFunctionError("runtime error: slice bounds out of range [:\(hi)] with length \(b.count)") }
            if lo > hi { throw TemplateFunctionError("runtime error: slice bounds out of range [\(lo):\(hi)]") }
            return String(decoding: b[lo ..< hi], as: UTF8.self)
        }
        if start < 0 { return try slice(0, end) }
        if end < 0 || end > b.count {
            if start > b.count { throw TemplateFunctionError("runtime error: slice bounds out of range [\(start):\(b.count)]") }
            return try slice(start, b.count)
        }
        return try slice(start, end)
    }

    /// `strings.Title`: upper-cases the first letter after each separator.
    static func title(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var prev: Unicode.Scalar = " "
        for r in s.unicodeScalars {
            out.append(isSeparator(prev) ? GoCase.title(r) : r)
            prev = r
        }
        return String(out)
    }

    private static func isSeparator(_ r: Unicode.Scalar) -> Bool {
        let v = r.value
        if v <= 0x7F {
            return !((v >= 0x30 && v <= 0x39) || (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || v == 0x5F)
        }
        switch r.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
            return false
        default:
            return StringOps.isSpace(r)
        }
    }

    static func indent(_ spaces: Int, _ v: String) -> String {
        let pad = String(repeating: " ", count: max(spaces, 0))
        return pad + StringOps.replaceAll(v, "\n", "\n" + pad)
    }

    static func untilStep(_ start: Int, _ stop: Int, _ step: Int) -> [Int] {
        var v: [Int] = []
        if stop < start {
            if step >= 0 { return v }
            var i = start
            while i > stop { v.append(i); i += step }
            return v
        }
        if step <= 0 { return v }
        var i = start
        while i < stop { v.append(i); i += step }
        return v
    }

    private static func indexedMap(_ parts: [String]) -> TemplateValue {
        .map(TemplateMap(type: .stringStringMap, unsorted: parts.enumerated().map { (key: .string("_\($0.offset)"), value: .string($0.element)) }))
    }

    /// A nil `interface{}` argument (typed nils are not nil interfaces).
    static func isNilInterface(_ v: TemplateValue) -> Bool {
        if case .noValue = v { return true }
        return false
    }

    /// sprig's `strval`: strings as they are, everything else through `%v`.
    static func strval(_ v: TemplateValue) -> String {
        if case .string(let s) = v { return s }
        return GoFormat.v(v)
    }

    /// sprig's `strslice`: the elements as strings (nil elements dropped), or the value alone.
    static func strslice(_ v: TemplateValue) -> [String] {
        switch v {
        case .noValue: return []
        case .list(let l): return l.elements.filter { !isNilInterface($0) }.map(strval)
        case .null(let t):
            switch t.underlying {
            case .slice, .array: return []
            default: return [strval(v)]
            }
        default: return [strval(v)]
        }
    }

    // MARK: Hashes and encodings

    private static let encodings: [TemplateFunction] = [
        F("sha1sum", [.string]) { a, _ in str(Hashes.hex(Hashes.sha1(Array(a.string(0).utf8)))) },
        F("sha256sum", [.string]) { a, _ in str(Hashes.hex(Hashes.sha256(Array(a.string(0).utf8)))) },
        F("sha512sum", [.string]) { a, _ in str(Hashes.hex(Hashes.sha512(Array(a.string(0).utf8)))) },
        F("adler32sum", [.string]) { a, _ in str(String(Hashes.adler32(Array(a.string(0).utf8)))) },
        F("b64enc", [.string]) { a, _ in str(Base64.encode(Array(a.string(0).utf8), url: false)) },
        F("b64dec", [.string]) { a, _ in
            do {
                return str(String(decoding: try Base64.decode(a.string(0), url: false), as: UTF8.self))
            } catch let e as CorruptInput {
                return str(e.message)
            }
        },
        F("b32enc", [.string]) { a, _ in str(Base32.encode(Array(a.string(0).utf8))) },
        F("b32dec", [.string]) { a, _ in
            do {
                return str(String(decoding: try Base32.decode(a.string(0)), as: UTF8.self))
            } catch let e as CorruptInput {
                return str(e.message)
            }
        },
    ]

    // MARK: Defaults and JSON

    private static let defaults: [TemplateFunction] = [
        F("default", [.interface], variadic: .interface) { a, _ in
            a.count < 2 || isEmpty(a[1]) ? a[0] : a[1]
        },
        F("empty", [.interface]) { a, _ in .bool(isEmpty(a[0])) },
        F("coalesce", [], variadic: .interface) { a, _ in a.first { !isEmpty($0) } ?? .noValue },
        F("all", [], variadic: .interface) { a, _ in .bool(a.allSatisfy { !isEmpty($0) }) },
        F("any", [], variadic: .interface) { a, _ in .bool(a.contains { !isEmpty($0) }) },
        F("ternary", [.interface, .interface, .bool]) { a, _ in a.bool(2) ? a[0] : a[1] },
        F("fromJson", [.string]) { a, _ in (try? ParseFunctions.decodeJSON(a.string(0))) ?? .noValue },
        F("mustFromJson", [.string]) { a, _ in try ParseFunctions.decodeJSON(a.string(0)) },
        F("toJson", [.interface]) { a, _ in str((try? GoJSON.encode(a[0])) ?? "") },
        F("mustToJson", [.interface]) { a, _ in str(try json(a[0], escapeHTML: true, indent: nil)) },
        F("toPrettyJson", [.interface]) { a, _ in str((try? GoJSON.encode(a[0], indent: "  ")) ?? "") },
        F("mustToPrettyJson", [.interface]) { a, _ in str(try json(a[0], escapeHTML: true, indent: "  ")) },
        F("toRawJson", [.interface]) { a, _ in str(try json(a[0], escapeHTML: false, indent: nil)) },
        F("mustToRawJson", [.interface]) { a, _ in str(try json(a[0], escapeHTML: false, indent: nil)) },
    ]

    private static func json(_ v: TemplateValue, escapeHTML: Bool, indent: String?) throws -> String {
        do {
            return try GoJSON.encode(v, escapeHTML: escapeHTML, indent: indent)
        } catch let e {
            throw TemplateFunctionError(e.message)
        }
    }

    /// sprig's `empty`: nil, zero numbers, false, empty strings and containers; structs never.
    static func isEmpty(_ v: TemplateValue) -> Bool { CollectionFunctions.isEmpty(v) }

    // MARK: Reflection

    private static let reflection: [TemplateFunction] = [
        F("typeOf", [.interface]) { a, _ in str(a[0].goTypeName) },
        F("typeIs", [.string, .interface]) { a, _ in .bool(a.string(0) == a[1].goTypeName) },
        F("typeIsLike", [.string, .interface]) { a, _ in
            let t = a[1].goTypeName
            return .bool(a.string(0) == t || "*" + a.string(0) == t)
        },
        F("kindOf", [.interface]) { a, _ in str(kind(a[0])) },
        F("kindIs", [.string, .interface]) { a, _ in .bool(a.string(0) == kind(a[1])) },
        F("deepEqual", [.interface, .interface]) { a, _ in .bool(deepEqual(a[0], a[1])) },
    ]

    /// `reflect.Kind.String()` of the value's dynamic type.
    static func kind(_ v: TemplateValue) -> String {
        guard let t = v.goType else { return "invalid" }
        switch t.underlying {
        // Scalar kinds print as their type names.
        case .bool, .int, .uint, .float: return t.underlying.description
        case .string: return "string"
        case .interface: return "interface"
        case .slice: return "slice"
        case .array: return "array"
        case .map: return "map"
        case .pointer: return "ptr"
        case .chan: return "chan"
        case .function: return "func"
        case .record: return "struct"
        case .named: return "invalid"
        }
    }

    /// `reflect.DeepEqual` of two `interface{}` values.
    static func deepEqual(_ x: TemplateValue, _ y: TemplateValue) -> Bool {
        guard x.goType == y.goType else { return false }
        switch (x, y) {
        case (.noValue, .noValue): return true
        case (.null, .null): return true
        case (.bool(let p), .bool(let q)): return p == q
        case (.int(let p, _), .int(let q, _)): return p == q
        case (.uint(let p, _), .uint(let q, _)): return p == q
        case (.float(let p, _), .float(let q, _)): return p == q
        case (.string(let p), .string(let q)): return p.utf8.elementsEqual(q.utf8)
        case (.list(let p), .list(let q)):
            return p.elements.count == q.elements.count && zip(p.elements, q.elements).allSatisfy { deepEqual($0, $1) }
        case (.map(let p), .map(let q)):
            guard p.count == q.count else { return false }
            for e in p.entries {
                guard let other = q[e.key], deepEqual(e.value, other) else { return false }
            }
            return true
        case (.record(let p), .record(let q)):
            if p === q { return true }
            return zip(p.fields, q.fields).allSatisfy { deepEqual($0, $1) }
        case (.channel(let p), .channel(let q)): return p === q
        case (.object(let p), .object(let q)): return p === q
        default: return false
        }
    }

    // MARK: Paths

    private static let paths: [TemplateFunction] = [
        F("base", [.string]) { a, _ in str(GoPath.base(a.string(0))) },
        F("dir", [.string]) { a, _ in str(GoPath.dir(a.string(0))) },
        F("clean", [.string]) { a, _ in str(GoPath.clean(a.string(0))) },
        F("ext", [.string]) { a, _ in str(GoPath.ext(a.string(0))) },
        F("isAbs", [.string]) { a, _ in .bool(StringOps.hasPrefix(a.string(0), "/")) },
        F("osBase", [.string]) { a, _ in str(GoPath.base(a.string(0))) },
        F("osDir", [.string]) { a, _ in str(GoPath.dir(a.string(0))) },
        F("osClean", [.string]) { a, _ in str(GoPath.clean(a.string(0))) },
        F("osExt", [.string]) { a, _ in str(GoPath.ext(a.string(0))) },
        F("osIsAbs", [.string]) { a, _ in .bool(StringOps.hasPrefix(a.string(0), "/")) },
    ]

    // MARK: Lists and dicts

    private static func entries(_ v: TemplateValue) -> [(key: MapKey, value: TemplateValue)] {
        if case .map(let m) = v { return m.entries }
        return []
    }

    private static func lookup(_ v: TemplateValue, _ key: String) -> TemplateValue? {
        if case .map(let m) = v { return m[key] }
        return nil
    }

    private static func dict(_ entries: [(key: MapKey, value: TemplateValue)]) -> TemplateValue {
        .map(TemplateMap(type: anyMap, unsorted: entries))
    }

    private static let dicts: [TemplateFunction] = [
        F("tuple", [], variadic: .interface) { a, _ in anyList(a) },
        F("list", [], variadic: .interface) { a, _ in anyList(a) },
        F("dict", [], variadic: .interface) { a, _ in
            var out: [(key: MapKey, value: TemplateValue)] = []
            var i = 0
            while i < a.count {
                out.append((key: .string(strval(a[i])), value: i + 1 < a.count ? a[i + 1] : .string("")))
                i += 2
            }
            return dict(out)
        },
        F("get", [anyMap, .string]) { a, _ in lookup(a[0], a.string(1)) ?? .string("") },
        // Go maps are references: set and unset change the dict in place.
        F("set", [anyMap, .string, .interface]) { a, _ in
            guard case .map(let m) = a[0] else { return dict([(key: .string(a.string(1)), value: a[2])]) }
            m.set(.string(a.string(1)), a[2])
            return a[0]
        },
        F("unset", [anyMap, .string]) { a, _ in
            guard case .map(let m) = a[0] else { return dict([]) }
            m.remove(.string(a.string(1)))
            return a[0]
        },
        F("hasKey", [anyMap, .string]) { a, _ in .bool(lookup(a[0], a.string(1)) != nil) },
        F("pluck", [.string], variadic: anyMap) { a, _ in
            anyList(a.dropFirst().compactMap { lookup($0, a.string(0)) })
        },
        F("keys", [], variadic: anyMap) { a, _ in
            // Go lists keys in map order (random); sorted order is one of its outcomes.
            .strings(a.flatMap { entries($0).compactMap { e -> String? in if case .string(let s) = e.key { return s } else { return nil } } })
        },
        F("pick", [anyMap], variadic: .string) { a, _ in
            let wanted = Set(a.dropFirst().map { $0.stringValue ?? "" })
            return dict(entries(a[0]).filter { e in if case .string(let s) = e.key { return wanted.contains(s) } else { return false } })
        },
        F("omit", [anyMap], variadic: .string) { a, _ in
            let dropped = Set(a.dropFirst().map { $0.stringValue ?? "" })
            return dict(entries(a[0]).filter { e in if case .string(let s) = e.key { return !dropped.contains(s) } else { return true } })
        },
        F("fail", [.string]) { a, _ in throw TemplateFunctionError(a.string(0)) },
    ]

    // MARK: Regular expressions

    /// `regexp.MustCompile`: a compile error is a panic, reported with Go's panic text.
    private static func mustCompile(_ pattern: String) throws -> GoRegex {
        do {
            return try GoRegex.compile(pattern)
        } catch let e as TemplateFunctionError {
            let quoted = pattern.contains("`") || pattern.unicodeScalars.contains { $0.value < 0x20 && $0 != "\t" } ? GoText.quote(pattern) : "`" + pattern + "`"
            throw TemplateFunctionError("regexp: Compile(\(quoted)): \(e.message)")
        }
    }

    private static func findAll(_ re: GoRegex, _ s: String, _ n: Int) -> TemplateValue {
        let found = re.findAll(s, limit: n < 0 ? s.utf16.count + 1 : n)
        return found.isEmpty ? .null(.stringSlice) : .strings(found)
    }

    private static let regexes: [TemplateFunction] = [
        F("regexMatch", [.string, .string]) { a, _ in .bool((try? GoRegex.compile(a.string(0)).matches(a.string(1))) ?? false) },
        F("mustRegexMatch", [.string, .string]) { a, _ in .bool(try GoRegex.compile(a.string(0)).matches(a.string(1))) },
        F("regexFindAll", [.string, .string, .int]) { a, _ in findAll(try mustCompile(a.string(0)), a.string(1), Int(a.int(2))) },
        F("mustRegexFindAll", [.string, .string, .int]) { a, _ in findAll(try GoRegex.compile(a.string(0)), a.string(1), Int(a.int(2))) },
        F("regexFind", [.string, .string]) { a, _ in str(try mustCompile(a.string(0)).find(a.string(1))) },
        F("mustRegexFind", [.string, .string]) { a, _ in str(try GoRegex.compile(a.string(0)).find(a.string(1))) },
        F("regexReplaceAll", [.string, .string, .string]) { a, _ in
            str(try mustCompile(a.string(0)).replaceAll(a.string(1), with: a.string(2), literal: false))
        },
        F("mustRegexReplaceAll", [.string, .string, .string]) { a, _ in
            str(try GoRegex.compile(a.string(0)).replaceAll(a.string(1), with: a.string(2), literal: false))
        },
        F("regexReplaceAllLiteral", [.string, .string, .string]) { a, _ in
            str(try mustCompile(a.string(0)).replaceAll(a.string(1), with: a.string(2), literal: true))
        },
        F("mustRegexReplaceAllLiteral", [.string, .string, .string]) { a, _ in
            str(try GoRegex.compile(a.string(0)).replaceAll(a.string(1), with: a.string(2), literal: true))
        },
        F("regexSplit", [.string, .string, .int]) { a, _ in
            .strings(try mustCompile(a.string(0)).split(a.string(1), limit: Int(a.int(2))))
        },
        F("mustRegexSplit", [.string, .string, .int]) { a, _ in
            .strings(try GoRegex.compile(a.string(0)).split(a.string(1), limit: Int(a.int(2))))
        },
        F("regexQuoteMeta", [.string]) { a, _ in str(GoRegex.quoteMeta(a.string(0))) },
    ]
}

/// Go's `path` package (also `path/filepath` on Unix).
enum GoPath {
    static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        let rooted = StringOps.hasPrefix(path, "/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == ".." {
                if let last = parts.last, last != ".." {
                    parts.removeLast()
                } else if !rooted {
                    parts.append(part)
                }
                continue
            }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        if rooted { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    static func base(_ path: String) -> String {
        if path.isEmpty { return "." }
        var p = Substring(path)
        while p.hasSuffix("/") { p = p.dropLast() }
        if let i = p.lastIndex(of: "/") { p = p[p.index(after: i)...] }
        return p.isEmpty ? "/" : String(p)
    }

    static func dir(_ path: String) -> String {
        guard let i = path.lastIndex(of: "/") else { return "." }
        return clean(String(path[...i]))
    }

    static func ext(_ path: String) -> String {
        for i in path.indices.reversed() {
            let c = path[i]
            if c == "/" { break }
            if c == "." { return String(path[i...]) }
        }
        return ""
    }
}
