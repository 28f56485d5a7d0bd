import RetmplTemplate
import RetmplRegistry

/// Grouping, membership and map helpers: `byKey byTag byPort byMeta contains
/// containsAll containsAny containsNone containsNotAll in explode explodeMap
/// mergeMap mergeMapWithOverride`.
///
enum CollectionFunctions {
    static let all: [TemplateFunction] = [
        TemplateFunction("byKey", [RegistryTypes.keyPairList]) { a, _ in try byKey(a[0]) },
        TemplateFunction("byTag", [.interface]) { a, _ in try byTag(a[0]) },
        TemplateFunction("byPort", [.interface]) { a, _ in try byPort(a[0]) },
        TemplateFunction("byMeta", [.string, RegistryTypes.healthServiceList]) { a, _ in try byMeta(a.string(0), a[1]) },
        TemplateFunction("contains", [.interface, .interface]) { a in .bool(try contains(a[1].pointee, a[0].pointee)) },
        TemplateFunction("in", [.interface, .interface]) { a in .bool(try contains(a[0].pointee, a[1].pointee)) },
        containsSome("containsAll", retTrue: true, invert: true),
        containsSome("containsAny", retTrue: false, invert: false),
        containsSome("containsNone", retTrue: true, invert: false),
        containsSome("containsNotAll", retTrue: false, invert: true),
        TemplateFunction("explode", [RegistryTypes.keyPairList]) { a, _ in try explode(a[0]) },
        TemplateFunction("explodeMap", [.stringAnyMap]) { a, _ in try explodeMap(a[0]) },
        TemplateFunction("mergeMap", [.stringAnyMap, .stringAnyMap]) { a, _ in mergeMap(a[0], a[1], overwrite: false) },
        TemplateFunction("mergeMapWithOverride", [.stringAnyMap, .stringAnyMap]) { a, _ in
            mergeMap(a[0], a[1], overwrite: true)
        },
    ]

    // MARK: Registry lists

    static let healthServiceList = RegistryTypes.healthServiceList.description
    static let catalogSnippetList = RegistryTypes.catalogSnippetList.description

    private static func field(_ v: TemplateValue, _ name: String) -> TemplateValue {
        if case .record(let r) = v { return r[name] ?? .noValue }
        return .noValue
    }

    // MARK: Grouping

    /// Groups pairs by their first path segment; the rest of the path becomes the copy's `Key`.
    static func byKey(_ v: TemplateValue) throws -> TemplateValue {
        guard case .list(let list) = v else { return emptyByKey }
        let pairs = list.elements
        var groups: [GoStringKey: [(key: MapKey, value: TemplateValue)]] = [:]
        var order: [GoStringKey] = []
        for p in pairs {
            guard case .record(let r) = p, let keyIndex = r.type.fieldIndex("Key"),
                  case .string(let key) = r.fields[keyIndex] else { continue }
            let (top, rest, _) = StringOps.cut(key, "/")
            if rest.isEmpty { continue }
            var fields = r.fields
            fields[keyIndex] = .string(rest)
            let copy = TemplateRecord(type: r.type, fields: fields, isPointer: r.isPointer)
            let group = GoStringKey(top)
            if groups[group] == nil { order.append(group) }
            groups[group, default: []].append((key: .string(rest), value: .record(copy)))
        }
        let outer = order.map { (key: MapKey.string($0.string), value: TemplateValue.map(TemplateMap(type: innerType, unsorted: groups[$0] ?? []))) }
        return .map(TemplateMap(type: byKeyType, unsorted: outer))
    }

    private static let innerType = GoType.map(key: .string, value: .pointer(.record(RegistryTypes.keyPair)))
    private static let byKeyType = GoType.map(key: .string, value: innerType)
    private static var emptyByKey: TemplateValue { .map(TemplateMap(type: byKeyType, unsorted: [])) }

    static func byPort(_ v: TemplateValue) throws -> TemplateValue {
        var groups: [Int64: [TemplateValue]] = [:]
        switch v {
        case .noValue: break
        case .list(let l) where l.type.description == healthServiceList:
            for s in l.elements { groups[field(s, "Port").intValue ?? 0, default: []].append(s) }
        case .null(let t) where t.description == healthServiceList: break
        default: throw TemplateFunctionError("byPort: wrong argument type \(v.goTypeName)")
        }
        let entries = groups.map { (key: MapKey.int($0.key), value: TemplateValue.list(TemplateList(type: .anySlice, elements: $0.value))) }
        return .map(TemplateMap(type: .map(key: .int, value: .anySlice), unsorted: entries))
    }

    static func byTag(_ v: TemplateValue) throws -> TemplateValue {
        var groups: [GoStringKey: [TemplateValue]] = [:]
        switch v {
        case .noValue: break
        case .list(let l) where l.type.description == healthServiceList || l.type.description == catalogSnippetList:
            for s in l.elements {
                guard case .list(let tags) = field(s, "Tags") else { continue }
                for t in tags.elements { groups[GoStringKey(t.stringValue ?? ""), default: []].append(s) }
            }
        case .null(let t) where t.description == healthServiceList || t.description == catalogSnippetList: break
        default: throw TemplateFunctionError("byTag: wrong argument type \(v.goTypeName)")
        }
        let entries = groups.map { (key: MapKey.string($0.key.string), value: TemplateValue.list(TemplateList(type: .anySlice, elements: $0.value))) }
        return .map(TemplateMap(type: .map(key: .string, value: .anySlice), unsorted: entries))
    }

    /// Groups services by the values of ServiceMeta keys (`"k1,k2|int"`):
    /// missing values become `_no_<key>_`, `|int` values are zero-padded to
    /// five digits, characters outside `[a-zA-Z0-9_-]` become `_`.
    static func byMeta(_ meta: String, _ v: TemplateValue) throws -> TemplateValue {
        let services = [TemplateValue]([v].list(0))
        let fields = StringOps.split(meta, ",")
        var groups: [String: [TemplateValue]] = [:]
        for s in services {
            var meta: TemplateMap? = nil
            if case .map(let m) = field(s, "ServiceMeta") { meta = m }
            var parts: [String] = []
            parts.reserveCapacity(fields.count)
            for f in fields {
                let isInt = StringOps.hasSuffix(f, "|int")
                let real = StringOps.trimSuffix(f, "|int")
                var value = meta?[real]?.stringValue ?? ""
                if value.isEmpty { value = isInt ? "0" : "_no_" + real + "_" }
                if isInt {
                    let n: Int64
                    do {
                        n = try ParseFunctions.goParseInt(value)
                    } catch {
                        throw TemplateFunctionError("cannot parse \(value) as number : strconv.Atoi: parsing \(GoText.quote(value)): \(error.text)")
                    }
                    value = zeroPad(n, width: 5)
                }
                parts.append(safeMetaKey(value))
            }
            groups[parts.joined(separator: "_"), default: []].append(s)
        }
        let listType = RegistryTypes.healthServiceList
        let entries = groups.map { (key: MapKey.string($0.key), value: TemplateValue.list(TemplateList(type: listType, elements: $0.value))) }
        return .map(TemplateMap(type: .map(key: .string, value: listType), unsorted: entries))
    }

    /// `fmt.Sprintf("%0*d", width, n)`.
    static func zeroPad(_ n: Int64, width: Int) -> String {
        let digits = String(n.magnitude)
        let sign = n < 0 ? "-" : ""
        let pad = max(0, width - sign.count - digits.count)
        return sign + String(repeating: "0", count: pad) + digits
    }

    private static func safeMetaKey(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        for r in s.unicodeScalars {
            let v = r.value
            let ok = (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39) || v == 0x5F || v == 0x2D
            out.append(ok ? r : "_")
        }
        return String(out)
    }

    // MARK: Membership

    /// Go's `in(l, v)`: `v` is an element of the slice `l` (ints match ints,
    /// floats match floats, strings need identical types) or a substring of the string `l`.
    static func contains(_ l: TemplateValue, _ v: TemplateValue) throws -> Bool {
        switch l {
        case .list(let list):
            for e in list.elements {
                switch e {
                case .int(let x, _):
                    if case .int(let y, _) = v, x == y { return true }
                case .float(let x, _):
                    if case .float(let y, _) = v, x == y { return true }
                case .string(let x):
                    // Plain strings only (Go wants identical types); nil panics in Go.
                    switch v {
                    case .string(let y): if GoFormat.sameBytes(x, y) { return true }
                    case .noValue: throw zeroValueType
                    default: break
                    }
                default:
                    continue
                }
            }
            return false
        case .string(let s):
            switch v {
            case .string(let sub): return StringOps.contains(s, sub)
            case .noValue: throw zeroValueType
            default: return false
            }
        default:
            return false
        }
    }

    /// Go panics on `reflect.Value.Type` of a nil argument; text/template reports the panic.
    static let zeroValueType = TemplateFunctionError("reflect: call of reflect.Value.Type on zero Value")

    static func containsSome(_ name: String, retTrue: Bool, invert: Bool) -> TemplateFunction {
        TemplateFunction(name, [.anySlice, .interface]) { a, _ in
            for x in a.list(0) {
                if (try? contains(a[1], x)) ?? false != invert { return .bool(!retTrue) }
            }
            return .bool(retTrue)
        }
    }

    // MARK: Maps

    /// A mutable `map[string]interface{}` under construction (sorted when frozen).
    final class MapBuilder {
        var values: [GoStringKey: Value] = [:]
        enum Value {
            case leaf(TemplateValue)
            case map(MapBuilder)
        }

        func freeze() -> TemplateValue {
            var entries: [(key: MapKey, value: TemplateValue)] = []
            entries.reserveCapacity(values.count)
            for (k, v) in values {
                switch v {
                case .leaf(let t): entries.append((key: .string(k.string), value: t))
                case .map(let b): entries.append((key: .string(k.string), value: b.freeze()))
                }
            }
            return .map(TemplateMap(type: .stringAnyMap, unsorted: entries))
        }

        /// Stores `value` at the `/`-separated path `key`; `parent` names the path in conflict messages.
        func insert(_ key: String, _ value: TemplateValue, parent: String) throws {
            let (top, rest, found) = StringOps.cut(key, "/")
            if found {
                let slot = GoStringKey(top)
                if values[slot] == nil { values[slot] = .map(MapBuilder()) }
                switch values[slot] {
                case .map(let nested)?:
                    try nested.insert(rest, value, parent: key)
                case .leaf(let existing)?:
                    throw TemplateFunctionError("not a map: \(GoText.quote(parent)): \(GoText.quote(top)) already has value \(GoFormat.q(existing))")
                case nil:
                    break
                }
                return
            }
            if !key.isEmpty { values[GoStringKey(key)] = .leaf(value) }
        }
    }

    /// Turns pairs into a nested map following the `/` in their keys.
    static func explode(_ v: TemplateValue) throws -> TemplateValue {
        let pairs = [TemplateValue]([v].list(0))
        let root = MapBuilder()
        for p in pairs {
            let key = field(p, "Key").stringValue ?? ""
            do {
                try root.insert(key, field(p, "Value"), parent: key)
            } catch let e as TemplateFunctionError {
                throw TemplateFunctionError("explode: " + e.message)
            }
        }
        return root.freeze()
    }

    /// `explode` for a flat map, processed in sorted key order.
    static func explodeMap(_ v: TemplateValue) throws -> TemplateValue {
        let root = MapBuilder()
        if case .map(let m) = v {
            for e in m.entries {
                guard case .string(let key) = e.key else { continue }
                do {
                    try root.insert(key, e.value, parent: key)
                } catch let err as TemplateFunctionError {
                    throw TemplateFunctionError("explodeMap: " + err.message)
                }
            }
        }
        return root.freeze()
    }

    /// mergo's map merge (as consul-template's `mergeMap` uses it): merges
    /// into `dst` in place, as Go does, and returns it.
    static func mergeMap(_ dst: TemplateValue, _ src: TemplateValue, overwrite: Bool) -> TemplateValue {
        guard case .map(let s) = src else {
            // A nil src leaves dst as it is (a nil dst stays nil).
            return dst
        }
        guard case .map(let d) = dst else {
            return .map(merge(TemplateMap(type: .stringAnyMap, unsorted: []), s, overwrite: overwrite))
        }
        d.replaceContents(with: merge(d, s, overwrite: overwrite))
        return dst
    }

    private static func merge(_ dst: TemplateMap, _ src: TemplateMap, overwrite: Bool) -> TemplateMap {
        var result: [MapKey: TemplateValue] = [:]
        for e in dst.entries { result[e.key] = e.value }
        for e in src.entries {
            let se = e.value
            if se.isNil && isNilInMap(se) {
                if overwrite { result[e.key] = se }
                continue
            }
            var de = result[e.key]
            if case .map(let sm) = se, let d = de, case .map(let dm) = d {
                de = .map(merge(dm, sm, overwrite: overwrite))
                result[e.key] = de
            }
            if let d = de, !isEmpty(d) {
                if case .list = se {
                    if overwrite { result[e.key] = se }
                    continue
                }
                if case .null(let t) = se, case .slice = t.underlying {
                    if overwrite { result[e.key] = se }
                    continue
                }
                if isMap(se) && isMap(d) { continue }
            }
            if overwrite || de == nil || de.map(isEmpty) == true {
                result[e.key] = se
            }
        }
        return TemplateMap(type: dst.type, unsorted: result.map { (key: $0.key, value: $0.value) })
    }

    /// A nil interface in a `map[string]interface{}`: only the untyped nil
    /// (typed nils are non-nil interfaces to mergo).
    private static func isNilInMap(_ v: TemplateValue) -> Bool {
        if case .noValue = v { return true }
        return false
    }

    private static func isMap(_ v: TemplateValue) -> Bool {
        switch v {
        case .map: return true
        case .null(let t): if case .map = t.underlying { return true } else { return false }
        default: return false
        }
    }

    /// mergo's `isEmptyValue`.
    static func isEmpty(_ v: TemplateValue) -> Bool {
        switch v {
        case .noValue, .null: return true
        case .bool(let b): return !b
        case .int(let i, _): return i == 0
        case .uint(let u, _): return u == 0
        case .float(let f, _): return f == 0
        case .string(let s): return s.isEmpty
        case .bytes(let b): return b.isEmpty
        case .list(let l): return l.elements.isEmpty
        case .map(let m): return m.count == 0
        case .record, .channel, .object, .function: return false
        }
    }
}
