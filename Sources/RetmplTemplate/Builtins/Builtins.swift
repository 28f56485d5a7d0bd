/// Go's text/template built-in functions (`funcs.go`), with its semantics
/// and error texts.
enum Builtins {
    static let table = FunctionTable([
        TemplateFunction(builtin: .and, name: "and", parameters: [.interface], variadic: .interface),
        TemplateFunction(builtin: .or, name: "or", parameters: [.interface], variadic: .interface),
        TemplateFunction(builtin: .call, name: "call", parameters: [.interface], variadic: .interface),
        TemplateFunction("not", [.interface], rawValues: true) { a, _ in .bool(!a[0].isTrue) },
        TemplateFunction("len", [.interface], rawValues: true) { a, _ in try length(a[0]) },
        TemplateFunction("index", [.interface], variadic: .interface, rawValues: true) { a in
            try index(a[0].pointee, a.dropFirst().lazy.map(\.pointee))
        },
        TemplateFunction("slice", [.interface], variadic: .interface, rawValues: true) { a, _ in
            try slice(a[0], Array(a.dropFirst()))
        },
        // Results keep raw bytes: `printf "%s" "\xff"` is one byte in Go, not U+FFFD.
        TemplateFunction("print", [], variadic: .interface) { a, _ in
            GoFormat.stringValue { GoFormat.appendSprint(a, to: &$0) }
        },
        TemplateFunction("println", [], variadic: .interface) { a, _ in
            GoFormat.stringValue { GoFormat.appendSprintln(a, to: &$0) }
        },
        TemplateFunction("printf", [.string], variadic: .interface) { a in
            GoFormat.stringValue { GoFormat.appendPrintf(a[0].pointee.stringValue ?? "", a.dropFirst().map(\.pointee), to: &$0) }
        },
        TemplateFunction("html", [], variadic: .interface) { a, _ in .string(GoEscape.html(escaperInput(a))) },
        TemplateFunction("js", [], variadic: .interface) { a, _ in .string(GoEscape.js(escaperInput(a))) },
        TemplateFunction("urlquery", [], variadic: .interface) { a, _ in .string(GoEscape.urlQuery(escaperInput(a))) },
        TemplateFunction(comparison: .eq, [.interface], variadic: .interface, rawValues: true) { a, _ in
            .bool(try equal(a[0], a.dropFirst()))
        },
        TemplateFunction(comparison: .ne, [.interface, .interface], rawValues: true) { a, _ in .bool(!(try equal(a[0], a[1...1]))) },
        TemplateFunction(comparison: .lt, [.interface, .interface], rawValues: true) { a, _ in .bool(try less(a[0], a[1])) },
        TemplateFunction(comparison: .le, [.interface, .interface], rawValues: true) { a, _ in
            .bool(try less(a[0], a[1]) || equal(a[0], a[1...1]))
        },
        TemplateFunction(comparison: .gt, [.interface, .interface], rawValues: true) { a, _ in
            .bool(!(try less(a[0], a[1]) || equal(a[0], a[1...1])))
        },
        TemplateFunction(comparison: .ge, [.interface, .interface], rawValues: true) { a, _ in .bool(!(try less(a[0], a[1]))) },
    ])

    /// Go's `evalArgs`: a single string argument is used as is, otherwise `fmt.Sprint`.
    static func escaperInput(_ a: [TemplateValue]) -> String {
        if a.count == 1, case .string(let s) = a[0] { return s }
        // Go's printableValue: no value prints as such, pointers as what they point to.
        let printable: [TemplateValue] = a.map { v in
            switch v {
            case .noValue: return .string("<no value>")
            case .record(let r) where r.isPointer:
                return .record(TemplateRecord(type: r.type, fields: r.fields, isPointer: false))
            default: return v
            }
        }
        return GoFormat.sprint(printable)
    }

    static func typeName(_ v: TemplateValue) -> String { v.goType?.description ?? "<nil>" }

    static func length(_ v: TemplateValue) throws(TemplateFunctionError) -> TemplateValue {
        switch v {
        case .string(let s): return .int(s.utf8.count)
        case .bytes(let b): return .int(b.count)
        case .list(let l): return .int(l.elements.count)
        case .map(let m): return .int(m.count)
        case .channel: return .int(0)
        case .null(let t):
            if case .pointer = t.underlying { throw TemplateFunctionError("len of nil pointer") }
            switch t.underlying {
            case .slice, .map, .chan: return .int(0)
            default: throw TemplateFunctionError("len of type \(t)")
            }
        case .noValue:
            throw TemplateFunctionError("reflect: call of reflect.Value.Type on zero Value")
        case .record(let r) where r.isPointer:
            throw TemplateFunctionError("len of type \(r.type.name)")
        default:
            throw TemplateFunctionError("len of type \(typeName(v))")
        }
    }

    /// Go's `indexArg`.
    static func indexArgument(_ v: TemplateValue, cap: Int) throws(TemplateFunctionError) -> Int {
        let x: Int64
        switch v {
        case .int(let i, _): x = i
        case .uint(let u, _): x = Int64(bitPattern: u)
        case .noValue: throw TemplateFunctionError("cannot index slice/array with nil")
        default: throw TemplateFunctionError("cannot index slice/array with type \(typeName(v))")
        }
        if x < 0 || x > Int64(cap) { throw TemplateFunctionError("index out of range: \(x)") }
        return Int(x)
    }

    static func index<Indexes: Sequence<TemplateValue>>(_ item: TemplateValue, _ indexes: Indexes) throws(TemplateFunctionError) -> TemplateValue {
        if case .noValue = item { throw TemplateFunctionError("index of untyped nil") }
        var cur = item
        for idx in indexes {
            switch cur {
            case .null(let t):
                switch t.underlying {
                case .pointer: throw TemplateFunctionError("index of nil pointer")
                case .slice:
                    let x = try indexArgument(idx, cap: 0)
                    _ = x
                    throw TemplateFunctionError("reflect: slice index out of range")
                case .map(let kt, let vt):
                    _ = try mapKey(idx, keyType: kt)
                    cur = zeroValue(vt)
                default: throw TemplateFunctionError("can't index item of type \(t)")
                }
            case .list(let l):
                let x = try indexArgument(idx, cap: l.elements.count)
                guard x < l.elements.count else { throw TemplateFunctionError("reflect: slice index out of range") }
                cur = l.elements[x]
            case .string, .bytes:
                let bytes = cur.stringBytes ?? []
                let x = try indexArgument(idx, cap: bytes.count)
                guard x < bytes.count else { throw TemplateFunctionError("reflect: string index out of range") }
                cur = .uint(UInt64(bytes[x]), .uint8)
            case .map(let m):
                let key = try mapKey(idx, keyType: m.keyType)
                cur = m[key] ?? zeroValue(m.valueType)
            case .noValue:
                throw TemplateFunctionError("index of untyped nil")
            default:
                throw TemplateFunctionError("can't index item of type \(typeName(cur))")
            }
        }
        return cur
    }

    /// Go's `prepareArg` for a map key.
    static func mapKey(_ v: TemplateValue, keyType: GoType) throws(TemplateFunctionError) -> MapKey {
        switch (v, keyType.underlying) {
        case (.string(let s), .string): return .string(s)
        case (.bytes(let b), .string): return .string(String(decoding: b, as: UTF8.self))
        // interface{} keys: the value's own kind is the key.
        case (.string(let s), .interface): return .string(s)
        case (.int(let i, _), .interface): return .int(i)
        case (.uint(let u, _), .interface): return .uint(u)
        case (.bool(let b), .interface): return .bool(b)
        case (.float(let f, _), .interface): return .float(f)
        case (.int(let i, let k), .int(let kk)) where k == kk: return .int(i)
        case (.uint(let u, let k), .uint(let kk)) where k == kk: return .uint(u)
        case (.bool(let b), .bool): return .bool(b)
        case (.float(let f, let k), .float(let kk)) where k == kk: return .float(f)
        case (.noValue, _):
            if keyType.canBeNil { throw TemplateFunctionError("can't index item of type \(keyType)") }
            throw TemplateFunctionError("value is nil; should be of type \(keyType)")
        default:
            // Go converts between numeric kinds only when assignable (identical types).
            throw TemplateFunctionError("value has type \(typeName(v)); should be \(keyType)")
        }
    }

    static func slice(_ item: TemplateValue, _ indexes: [TemplateValue]) throws(TemplateFunctionError) -> TemplateValue {
        if case .noValue = item { throw TemplateFunctionError("slice of untyped nil") }
        if indexes.count > 3 { throw TemplateFunctionError("too many slice indexes: \(indexes.count)") }
        switch item {
        case .string, .bytes:
            if indexes.count == 3 { throw TemplateFunctionError("cannot 3-index slice a string") }
            let bytes = item.stringBytes ?? []
            var idx = [0, bytes.count]
            for (i, x) in indexes.enumerated() { idx[i] = try indexArgument(x, cap: bytes.count) }
            if idx[0] > idx[1] { throw TemplateFunctionError("invalid slice index: \(idx[0]) > \(idx[1])") }
            return .goString(bytes: bytes[idx[0]..<idx[1]])
        case .list(let l):
            let n = l.elements.count
            var idx = [0, n, n]
            for (i, x) in indexes.enumerated() { idx[i] = try indexArgument(x, cap: n) }
            if idx[0] > idx[1] { throw TemplateFunctionError("invalid slice index: \(idx[0]) > \(idx[1])") }
            if indexes.count == 3 && idx[1] > idx[2] {
                throw TemplateFunctionError("invalid slice index: \(idx[1]) > \(idx[2])")
            }
            if idx[1] > n { throw TemplateFunctionError("reflect: slice index out of range") }
            var type = l.type
            if case .array(_, let e) = l.type.underlying { type = .slice(e) }
            return .list(TemplateList(type: type, elements: Array(l.elements[idx[0]..<idx[1]])))
        case .null(let t):
            if case .pointer = t.underlying { throw TemplateFunctionError("slice of nil pointer") }
            if case .slice = t.underlying {
                for x in indexes { _ = try indexArgument(x, cap: 0) }
                return item
            }
            throw TemplateFunctionError("can't slice item of type \(t)")
        default:
            throw TemplateFunctionError("can't slice item of type \(typeName(item))")
        }
    }

    private enum BasicKind { case bool, int, uint, float, string, invalid }

    private static func basicKind(_ v: TemplateValue) -> BasicKind {
        switch v {
        case .bool: return .bool
        case .int: return .int
        case .uint: return .uint
        case .float: return .float
        case .string, .bytes: return .string
        default: return .invalid
        }
    }

    /// Go's `eq arg1 arg2...`: true when arg1 equals any of the others.
    static func equal(_ a: TemplateValue, _ others: ArraySlice<TemplateValue>) throws(TemplateFunctionError) -> Bool {
        if others.isEmpty { throw TemplateFunctionError("missing argument for comparison") }
        for b in others where try equalPair(a, b) { return true }
        return false
    }

    /// `eq a b` for one pair (the executor calls this directly for two-argument comparisons).
    static func equalPair(_ a: TemplateValue, _ b: TemplateValue) throws(TemplateFunctionError) -> Bool {
        let k1 = basicKind(a)
        do {
            let k2 = basicKind(b)
            var truth = false
            if k1 != k2 {
                switch (a, b) {
                case (.int(let x, _), .uint(let y, _)): truth = x >= 0 && UInt64(x) == y
                case (.uint(let x, _), .int(let y, _)): truth = y >= 0 && x == UInt64(y)
                default:
                    if !a.isInvalid && !b.isInvalid {
                        throw TemplateFunctionError("incompatible types for comparison: \(typeName(a)) and \(typeName(b))")
                    }
                }
            } else {
                switch (a, b) {
                case (.bool(let x), .bool(let y)): truth = x == y
                case (.int(let x, _), .int(let y, _)): truth = x == y
                case (.uint(let x, _), .uint(let y, _)): truth = x == y
                case (.float(let x, _), .float(let y, _)): truth = x == y
                // Go compares bytes; Swift's == would equate canonically equivalent strings.
                case (.string(let x), .string(let y)): truth = GoFormat.sameBytes(x, y)
                case (.string, _), (.bytes, _): truth = a.stringBytes == b.stringBytes
                default:
                    if a.isNil || b.isNil {
                        truth = a.isNil == b.isNil
                    } else {
                        switch (a, b) {
                        case (.list, _), (.map, _), (.function, _):
                            throw TemplateFunctionError("non-comparable type \(GoFormat.sprint([b])): \(typeName(b))")
                        case (.record(let x), .record(let y)):
                            if x.isPointer && y.isPointer { truth = x === y } else {
                                throw TemplateFunctionError("non-comparable types \(GoFormat.sprint([a])): \(typeName(a)), \(typeName(b)): \(GoFormat.sprint([b]))")
                            }
                        case (.object(let x), .object(let y)): truth = x === y
                        case (.channel(let x), .channel(let y)): truth = x === y
                        default:
                            throw TemplateFunctionError("non-comparable types \(GoFormat.sprint([a])): \(typeName(a)), \(typeName(b)): \(GoFormat.sprint([b]))")
                        }
                    }
                }
            }
            return truth
        }
    }

    /// The comparison built-ins for two operands.
    static func compare(_ op: TemplateFunction.Comparison, _ a: TemplateValue, _ b: TemplateValue) throws(TemplateFunctionError) -> Bool {
        switch op {
        case .eq: return try equalPair(a, b)
        case .ne: return !(try equalPair(a, b))
        case .lt: return try less(a, b)
        case .le:
            if try less(a, b) { return true }
            return try equalPair(a, b)
        case .gt:
            if try less(a, b) { return false }
            return !(try equalPair(a, b))
        case .ge: return !(try less(a, b))
        }
    }

    static func less(_ a: TemplateValue, _ b: TemplateValue) throws(TemplateFunctionError) -> Bool {
        let k1 = basicKind(a)
        let k2 = basicKind(b)
        if k1 == .invalid || k2 == .invalid { throw TemplateFunctionError("invalid type for comparison") }
        if k1 != k2 {
            switch (a, b) {
            case (.int(let x, _), .uint(let y, _)): return x < 0 || UInt64(x) < y
            case (.uint(let x, _), .int(let y, _)): return y >= 0 && x < UInt64(y)
            default:
                throw TemplateFunctionError("incompatible types for comparison: \(typeName(a)) and \(typeName(b))")
            }
        }
        switch (a, b) {
        case (.int(let x, _), .int(let y, _)): return x < y
        case (.uint(let x, _), .uint(let y, _)): return x < y
        case (.float(let x, _), .float(let y, _)): return x < y
        case (.string(let x), .string(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        case (.string, _), (.bytes, _): return (a.stringBytes ?? []).lexicographicallyPrecedes(b.stringBytes ?? [])
        default: throw TemplateFunctionError("invalid type for comparison")
        }
    }
}

extension TemplateValue {
    /// Go's invalid `reflect.Value` (after interface indirection).
    var isInvalid: Bool {
        if case .noValue = self { return true }
        return false
    }
}

/// The zero value of a Go type, as a template sees it.
public func zeroValue(_ type: GoType) -> TemplateValue {
    switch type.underlying {
    case .bool: return .bool(false)
    case .int(let k): return .int(0, k)
    case .uint(let k): return .uint(0, k)
    case .float(let k): return .float(0, k)
    case .string: return .string("")
    case .interface: return .null(.interface)
    case .record(let r):
        return .record(TemplateRecord(type: r, fields: r.fields.map { zeroValue($0.type) }, isPointer: false))
    case .array(let n, let e):
        return .list(TemplateList(type: type, elements: Array(repeating: zeroValue(e), count: n)))
    default: return .null(type)
    }
}
