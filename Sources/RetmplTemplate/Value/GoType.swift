import Synchronization

/// The Go type a template value has in consul-template.
///
/// Templates observe Go types: `%T` and `%#v` print them, function calls
/// convert arguments by them, and comparisons depend on their kinds. Values
/// carry just enough of a type to reproduce that.
public indirect enum GoType: Sendable, Hashable, CustomStringConvertible {
    case bool
    case int(IntKind)
    case uint(UIntKind)
    case float(FloatKind)
    case string
    /// `interface{}` (`any`).
    case interface
    case slice(GoType)
    case array(Int, GoType)
    case map(key: GoType, value: GoType)
    case pointer(GoType)
    case chan(GoType, ChanDirection)
    case function
    case record(RecordType)
    /// A defined type such as `dependency.ServiceTags` over `[]string`.
    case named(String, GoType)

    public enum IntKind: Sendable, Hashable { case int, int8, int16, int32, int64 }
    public enum UIntKind: Sendable, Hashable { case uint, uint8, uint16, uint32, uint64, uintptr }
    public enum FloatKind: Sendable, Hashable { case float32, float64 }
    public enum ChanDirection: Sendable, Hashable { case both, receive, send }

    /// The underlying type (strips `named`).
    public var underlying: GoType {
        if case .named(_, let base) = self { return base.underlying }
        return self
    }

    /// True for types whose zero value is nil.
    public var canBeNil: Bool {
        switch underlying {
        case .interface, .slice, .map, .pointer, .chan, .function: return true
        default: return false
        }
    }

    /// Go's spelling of the type, as `%T` prints it.
    public var description: String {
        switch self {
        case .bool: return "bool"
        case .int(let k):
            switch k {
            case .int: return "int"
            case .int8: return "int8"
            case .int16: return "int16"
            case .int32: return "int32"
            case .int64: return "int64"
            }
        case .uint(let k):
            switch k {
            case .uint: return "uint"
            case .uint8: return "uint8"
            case .uint16: return "uint16"
            case .uint32: return "uint32"
            case .uint64: return "uint64"
            case .uintptr: return "uintptr"
            }
        case .float(let k): return k == .float32 ? "float32" : "float64"
        case .string: return "string"
        case .interface: return "interface {}"
        case .slice(let e): return "[]" + e.description
        case .array(let n, let e): return "[\(n)]" + e.description
        case .map(let k, let v): return "map[\(k)]\(v)"
        case .pointer(let e): return "*" + e.description
        case .chan(let e, let dir):
            switch dir {
            case .both: return "chan " + e.description
            case .receive: return "<-chan " + e.description
            case .send: return "chan<- " + e.description
            }
        case .function: return "func()"
        case .record(let r): return r.name
        case .named(let n, _): return n
        }
    }

    /// Go's assignability: identical types, or identical underlying types
    /// when at least one side is not a defined type, or anything to `interface{}`.
    public func isAssignable(to target: GoType) -> Bool {
        if self == target { return true }
        if target == .interface { return true }
        let selfNamed: Bool
        if case .named = self { selfNamed = true } else { selfNamed = false }
        let targetNamed: Bool
        if case .named = target { targetNamed = true } else { targetNamed = false }
        if selfNamed && targetNamed { return false }
        // Only composite types have unnamed spellings that a defined type can share.
        return (selfNamed || targetNamed) && underlying == target.underlying && underlying.isComposite
    }

    var isComposite: Bool {
        switch self {
        case .slice, .array, .map, .pointer, .chan, .function: return true
        default: return false
        }
    }

    public static let int: GoType = .int(.int)
    public static let int64: GoType = .int(.int64)
    public static let uint64: GoType = .uint(.uint64)
    public static let float64: GoType = .float(.float64)
    public static let stringSlice: GoType = .slice(.string)
    public static let anySlice: GoType = .slice(.interface)
    public static let stringAnyMap: GoType = .map(key: .string, value: .interface)
    public static let stringStringMap: GoType = .map(key: .string, value: .string)
}

/// A Go struct type: its package-qualified name and its fields in order.
///
/// Field names are resolved to indices once per (node, type) pair by the
/// executor, so the table here is only consulted on a cache miss.
public final class RecordType: Sendable, Hashable, CustomStringConvertible {
    /// Unique per type ever made, shifted left by 16 (never 0): what a
    /// field path's cache records, so a type freed and another allocated at
    /// the same address can never match a stale entry.
    let cacheTag: UInt64
    private static let nextTag = Atomic<UInt64>(1)
    /// Package-qualified name, e.g. `dependency.HealthService`.
    public let name: String
    public let fields: [Field]
    /// Methods callable from templates (`{{ .Checks.AggregatedStatus }}` style).
    public let methods: [String: TemplateFunction]
    private let indexByName: [String: Int]
    private let fieldNames: [String]
    /// Name keys and names side by side, in field order.
    private let slots: ContiguousArray<(key: UInt64, name: String)>
    /// Open addressing over the name keys: field index + 1, 0 for empty.
    /// A lookup probes one or two entries instead of walking the fields.
    private let table: ContiguousArray<UInt16>

    public struct Field: Sendable {
        public let name: String
        public let type: GoType
        /// Name of the field in JSON (`json:"..."`), nil to use `name`.
        public let jsonName: String?
        /// `json:",omitempty"`.
        public let omitEmpty: Bool
        public init(_ name: String, _ type: GoType, jsonName: String? = nil, omitEmpty: Bool = false) {
            self.name = name
            self.type = type
            self.jsonName = jsonName
            self.omitEmpty = omitEmpty
        }
    }

    public init(name: String, fields: [Field], methods: [String: TemplateFunction] = [:]) {
        self.name = name
        self.fields = fields
        self.methods = methods
        var index: [String: Int] = [:]
        for (i, f) in fields.enumerated() { index[f.name] = i }
        self.indexByName = index
        self.fieldNames = fields.map(\.name)
        let slots = ContiguousArray(fields.map { (key: FieldName.key(of: $0.name), name: $0.name) })
        self.slots = slots
        // Fields past UInt16 stay reachable through the name index below.
        var size = 8
        while size < 2 * min(fields.count, Int(UInt16.max) - 1) { size *= 2 }
        var table = ContiguousArray<UInt16>(repeating: 0, count: size)
        for i in slots.indices where i < Int(UInt16.max) - 1 {
            var h = RecordType.bucket(slots[i].key, size - 1)
            while table[h] != 0 { h = (h + 1) & (size - 1) }
            table[h] = UInt16(i + 1)
        }
        self.table = table
        self.hasMethods = !methods.isEmpty
        self.cacheTag = RecordType.nextTag.wrappingAdd(1, ordering: .relaxed).oldValue << 16
    }

    private static func bucket(_ key: UInt64, _ mask: Int) -> Int {
        Int(truncatingIfNeeded: key ^ (key >> 29)) & mask
    }

    /// The index of the field `name` (precomputed key: compares integers,
    /// then the name on a match).
    public func fieldIndex(_ name: FieldName) -> Int? {
        if slots.count >= Int(UInt16.max) - 1 { return fieldIndex(name.name) }
        return table.withUnsafeBufferPointer { table in
            slots.withUnsafeBufferPointer { slots in
                let mask = table.count - 1
                var h = RecordType.bucket(name.key, mask)
                while true {
                    let entry = Int(table[h])
                    if entry == 0 { return nil }
                    if slots[entry - 1].key == name.key && slots[entry - 1].name == name.name { return entry - 1 }
                    h = (h + 1) & mask
                }
            }
        }
    }

    /// True when templates can call methods on values of this type.
    public let hasMethods: Bool

    /// The index of the field named `name`, if the struct has one.
    public func fieldIndex(_ name: String) -> Int? {
        // Small structs: comparing short strings beats hashing them.
        if fieldNames.count <= 24 {
            var i = 0
            while i < fieldNames.count {
                if fieldNames[i] == name { return i }
                i += 1
            }
            return nil
        }
        return indexByName[name]
    }

    public var description: String { name }

    public static func == (a: RecordType, b: RecordType) -> Bool { a === b }
    public func hash(into hasher: inout Hasher) { hasher.combine(ObjectIdentifier(self)) }
}
