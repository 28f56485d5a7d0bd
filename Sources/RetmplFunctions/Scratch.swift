public import RetmplTemplate

/// consul-template's `scratch`: a per-execution key/value scratch pad, the
/// `*template.Scratch` whose methods templates call (`Key Get Set SetX
/// MapSet MapSetX MapValues`).
///
/// One execution runs on one thread, so the storage needs no lock.
public final class Scratch: TemplateObject, @unchecked Sendable {
    /// A stored value; maps created by `MapSet` stay mutable, as Go's are.
    private enum Entry {
        case value(TemplateValue)
        case map([GoStringKey: TemplateValue])
    }

    /// Keys compare as Go strings do: by their bytes.
    private var values: [GoStringKey: Entry] = [:]

    public init() {}

    public var goType: GoType { .pointer(.named("template.Scratch", .record(Self.recordType))) }

    private static let recordType = RecordType(name: "template.Scratch", fields: [])

    public func method(named name: String) -> TemplateFunction? {
        switch name {
        case "Key":
            return TemplateFunction("Key", [.string]) { [self] a, _ in .bool(values[GoStringKey(a.string(0))] != nil) }
        case "Get":
            return TemplateFunction("Get", [.string]) { [self] a, _ in get(a.string(0)) }
        case "Set":
            return TemplateFunction("Set", [.string, .interface]) { [self] a, _ in
                values[GoStringKey(a.string(0))] = .value(a.value(1))
                return .string("")
            }
        case "SetX":
            return TemplateFunction("SetX", [.string, .interface]) { [self] a, _ in
                let key = GoStringKey(a.string(0))
                if values[key] == nil { values[key] = .value(a.value(1)) }
                return .string("")
            }
        case "MapSet":
            return TemplateFunction("MapSet", [.string, .string, .interface]) { [self] a, _ in
                try mapSet(a.string(0), a.string(1), a.value(2), overwrite: true)
            }
        case "MapSetX":
            return TemplateFunction("MapSetX", [.string, .string, .interface]) { [self] a, _ in
                try mapSet(a.string(0), a.string(1), a.value(2), overwrite: false)
            }
        case "MapValues":
            return TemplateFunction("MapValues", [.string]) { [self] a, _ in mapValues(a.string(0)) }
        default:
            return nil
        }
    }

    /// The value stored at `key` (`noValue`, Go's nil, when unset).
    public func get(_ key: String) -> TemplateValue {
        switch values[GoStringKey(key)] {
        case .none: return .noValue
        case .value(let v): return v
        case .map(let m): return .map(TemplateMap(type: .stringAnyMap, unsorted: m.map { (key: .string($0.key.string), value: $0.value) }))
        }
    }

    private func mapSet(_ key: String, _ mapKey: String, _ value: TemplateValue, overwrite: Bool) throws -> TemplateValue {
        var map: [GoStringKey: TemplateValue]
        switch values[GoStringKey(key)] {
        case .none:
            map = [:]
        case .map(let m):
            map = m
        case .value(let v):
            // Only a map[string]interface{} can be extended, as in Go's type assertion.
            guard case .map(let existing) = v, existing.type == .stringAnyMap else {
                throw TemplateFunctionError("\(GoText.quote(key)) is not a map")
            }
            map = [:]
            for e in existing.entries { if case .string(let k) = e.key { map[GoStringKey(k)] = e.value } }
        }
        let mapKey = GoStringKey(mapKey)
        if overwrite || map[mapKey] == nil { map[mapKey] = value }
        values[GoStringKey(key)] = .map(map)
        return .string("")
    }

    /// The values of map `key` in key order (a nil `[]interface{}` when `key` is not a map).
    private func mapValues(_ key: String) -> TemplateValue {
        let map: [GoStringKey: TemplateValue]
        switch values[GoStringKey(key)] {
        case .map(let m): map = m
        case .value(.map(let existing)) where existing.type == .stringAnyMap:
            return .list(TemplateList(type: .anySlice, elements: existing.entries.map(\.value)))
        default: return .null(.anySlice)
        }
        let keys = map.keys.sorted { StringOps.less($0.string, $1.string) }
        return .list(TemplateList(type: .anySlice, elements: keys.map { map[$0] ?? .noValue }))
    }
}
