import RetmplTemplate

/// consul-template's string helpers: `indent join split splitToMap trim
/// trimPrefix trimSuffix trimSpace replaceAll toLower toUpper`, plus `loop`
/// and `executeTemplate`.
enum StringFunctions {
    static let all: [TemplateFunction] = [
        TemplateFunction("indent", [.int, .string]) { a, _ in .string(try indent(Int(a.int(0)), a.string(1))) },
        TemplateFunction("join", [.string, .stringSlice]) { a, _ in .string(a.strings(1).joined(separator: a.string(0))) },
        TemplateFunction("split", [.string, .string]) { a, _ in .strings(split(a.string(0), a.string(1))) },
        TemplateFunction("splitToMap", [.string, .string, .string]) { a, _ in
            .map(splitToMap(a.string(0), a.string(1), a.string(2)))
        },
        TemplateFunction("trim", [.string, .string]) { a, _ in .string(StringOps.trim(a.string(1), cutset: a.string(0))) },
        TemplateFunction("trimPrefix", [.string, .string]) { a, _ in .string(StringOps.trimPrefix(a.string(1), a.string(0))) },
        TemplateFunction("trimSuffix", [.string, .string]) { a, _ in .string(StringOps.trimSuffix(a.string(1), a.string(0))) },
        TemplateFunction("trimSpace", [.string]) { a, _ in .string(StringOps.trimSpace(a.string(0))) },
        TemplateFunction("replaceAll", [.string, .string, .string]) { a, _ in
            .string(StringOps.replaceAll(a.string(2), a.string(0), a.string(1)))
        },
        TemplateFunction("toLower", [.string]) { a, _ in .string(GoCase.map(a.string(0), GoCase.lower)) },
        TemplateFunction("toUpper", [.string]) { a, _ in .string(GoCase.map(a.string(0), GoCase.upper)) },
        TemplateFunction("loop", [], variadic: .interface) { a, _ in try loop(a) },
        TemplateFunction("executeTemplate", [.string], variadic: .interface) { a, context in
            let data: TemplateValue
            switch a.count {
            case 1: data = .noValue
            case 2: data = a[1]
            default:
                throw TemplateFunctionError("executeTemplate: wrong number of arguments, expected 1 or 2, but got \(a.count)")
            }
            return .string(try context.executeTemplate(named: a.string(0), data: data))
        },
    ]

    /// Prefixes every non-empty line with `spaces` spaces.
    static func indent(_ spaces: Int, _ s: String) throws -> String {
        if spaces < 0 { throw TemplateFunctionError("indent value must be a positive integer") }
        if spaces == 0 || s.isEmpty { return s }
        let pad = [UInt8](repeating: 0x20, count: spaces)
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count + spaces * 4)
        var atLineStart = true
        for b in s.utf8 {
            if atLineStart && b != 0x0A { out.append(contentsOf: pad) }
            out.append(b)
            atLineStart = b == 0x0A
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Splits the trimmed input; an empty input gives an empty list.
    static func split(_ sep: String, _ s: String) -> [String] {
        let trimmed = StringOps.trimSpace(s)
        if trimmed.isEmpty { return [] }
        return StringOps.split(trimmed, sep)
    }

    static func splitToMap(_ sep1: String, _ sep2: String, _ s: String) -> TemplateMap {
        let trimmed = StringOps.trimSpace(s)
        var entries: [(key: MapKey, value: TemplateValue)] = []
        if !trimmed.isEmpty {
            for item in StringOps.split(trimmed, sep1) {
                let (k, v, found) = StringOps.cut(item, sep2)
                if found { entries.append((key: .string(k), value: .string(v))) }
            }
        }
        return TemplateMap(type: .stringStringMap, unsorted: entries)
    }

    /// `loop [start] stop`: the integers start..<stop on a `<-chan int64`.
    static func loop(_ args: [TemplateValue]) throws -> TemplateValue {
        func to64(_ v: TemplateValue) throws -> Int64 {
            switch v {
            case .int(let i, _): return i
            case .uint(let u, _): return Int64(truncatingIfNeeded: u)
            case .string(let s): return try ParseFunctions.parseInt(s)
            default: throw TemplateFunctionError("loop: bad argument type: \(v.goTypeName)")
            }
        }
        let start: Int64, stop: Int64
        switch args.count {
        case 1:
            start = 0
            stop = try to64(args[0])
        case 2:
            start = try to64(args[0])
            stop = try to64(args[1])
        default:
            throw TemplateFunctionError("loop: wrong number of arguments, expected 1 or 2, but got \(args.count)")
        }
        var values: [TemplateValue] = []
        if start < stop {
            values.reserveCapacity(Int(clamping: stop.subtractingReportingOverflow(start).partialValue))
            var n = start
            while n < stop {
                values.append(.int(n, .int64))
                n += 1
            }
        }
        return .channel(TemplateChannel(type: .chan(.int64, .receive), values: values))
    }
}
