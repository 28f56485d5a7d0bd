/// A value seen by a template: Go's dynamic values, without reflection.
///
/// `noValue` is Go's invalid `reflect.Value` (and the nil `interface{}`): a
/// pipeline that yields it prints `<no value>`, while `fmt` prints `<nil>`.
public enum TemplateValue: Sendable {
    case noValue
    /// A typed nil: nil pointer, nil slice or map, nil channel or func.
    case null(GoType)
    case bool(Bool)
    case int(Int64, GoType.IntKind)
    case uint(UInt64, GoType.UIntKind)
    case float(Double, GoType.FloatKind)
    case string(String)
    /// A Go string that is not valid UTF-8 (`"\xff"`, a byte-wise `slice`):
    /// kept as bytes so printing and `len` match Go. Type `string`.
    case bytes([UInt8])
    case list(TemplateList)
    case map(TemplateMap)
    case record(TemplateRecord)
    case channel(TemplateChannel)
    /// A reference with methods (e.g. consul-template's `*template.Scratch`).
    case object(any TemplateObject)
    case function(TemplateFunction)

    /// The dynamic Go type, or nil for `noValue`.
    public var goType: GoType? {
        switch self {
        case .noValue: return nil
        case .null(let t): return t
        case .bool: return .bool
        case .int(_, let k): return .int(k)
        case .uint(_, let k): return .uint(k)
        case .float(_, let k): return .float(k)
        case .string, .bytes: return .string
        case .list(let l): return l.type
        case .map(let m): return m.type
        case .record(let r): return r.goType
        case .channel(let c): return c.type
        case .object(let o): return o.goType
        case .function: return .function
        }
    }

    /// Go's truth: false, 0, nil, and empty strings, slices and maps are false.
    public var isTrue: Bool {
        switch self {
        case .noValue, .null: return false
        case .bool(let b): return b
        case .int(let v, _): return v != 0
        case .uint(let v, _): return v != 0
        case .float(let v, _): return v != 0
        case .string(let s): return !s.isEmpty
        case .bytes(let b): return !b.isEmpty
        case .list(let l): return !l.elements.isEmpty
        case .map(let m): return m.count != 0
        case .record, .channel, .object, .function: return true
        }
    }

    /// Convenience: a Go `int`.
    public static func int(_ v: Int) -> TemplateValue { .int(Int64(v), .int) }
    /// Convenience: a Go `float64`.
    public static func float64(_ v: Double) -> TemplateValue { .float(v, .float64) }
    /// Convenience: a `[]string`.
    public static func strings(_ v: [String], type: GoType = .stringSlice) -> TemplateValue {
        .list(TemplateList(type: type, elements: v.map { .string($0) }))
    }

    /// The string payload (invalid UTF-8 repaired with U+FFFD), or nil.
    public var stringValue: String? {
        switch self {
        case .string(let s): return s
        case .bytes(let b): return String(decoding: b, as: UTF8.self)
        default: return nil
        }
    }

    /// A Go string from bytes: `.string` when valid UTF-8, else `.bytes`.
    public static func goString<C: Collection>(bytes: C) -> TemplateValue where C.Element == UInt8 {
        var it = bytes.makeIterator()
        var dec = UTF8()
        while true {
            switch dec.decode(&it) {
            case .scalarValue: continue
            case .emptyInput: return .string(String(decoding: bytes, as: UTF8.self))
            case .error: return .bytes(Array(bytes))
            }
        }
    }

    /// The UTF-8 (or raw) bytes of a string value, or nil.
    public var stringBytes: [UInt8]? {
        switch self {
        case .string(let s): return Array(s.utf8)
        case .bytes(let b): return b
        default: return nil
        }
    }

    /// Signed integer payload of any integer kind (uint converted bit-wise), or nil.
    public var intValue: Int64? {
        switch self {
        case .int(let v, _): return v
        case .uint(let v, _): return Int64(bitPattern: v)
        default: return nil
        }
    }

    /// True when the value is `noValue` or a typed nil.
    public var isNil: Bool {
        switch self {
        case .noValue, .null: return true
        default: return false
        }
    }
}

/// A Go slice or array: immutable elements plus the slice type.
public final class TemplateList: Sendable {
    public let type: GoType
    public let elements: [TemplateValue]
    public init(type: GoType, elements: [TemplateValue]) {
        self.type = type
        self.elements = elements
    }
    /// Element type of the slice.
    public var elementType: GoType {
        switch type.underlying {
        case .slice(let e), .array(_, let e): return e
        default: return .interface
        }
    }
}

/// A key of a Go map: strings and integers cover every map consul-template makes.
///
/// String keys are equal when their bytes are, as in Go: Swift's `==` on
/// `String` would merge "é" and "e\u{301}" into one key.
public enum MapKey: Sendable, Hashable, Comparable {
    case string(String)
    case int(Int64)
    case uint(UInt64)
    case bool(Bool)
    case float(Double)

    public static func == (a: MapKey, b: MapKey) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return GoFormat.sameBytes(x, y)
        case (.int(let x), .int(let y)): return x == y
        case (.uint(let x), .uint(let y)): return x == y
        case (.float(let x), .float(let y)): return x == y
        case (.bool(let x), .bool(let y)): return x == y
        default: return false
        }
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(rank)
        switch self {
        case .string(let s): GoStringKey(s).hash(into: &hasher)
        case .int(let i): hasher.combine(i)
        case .uint(let u): hasher.combine(u)
        case .float(let f): hasher.combine(f)
        case .bool(let b): hasher.combine(b)
        }
    }

    public static func < (a: MapKey, b: MapKey) -> Bool {
        switch (a, b) {
        case (.string(let x), .string(let y)): return x.utf8.lexicographicallyPrecedes(y.utf8)
        case (.int(let x), .int(let y)): return x < y
        case (.uint(let x), .uint(let y)): return x < y
        case (.float(let x), .float(let y)): return x < y
        case (.bool(let x), .bool(let y)): return !x && y
        default: return a.rank < b.rank
        }
    }

    private var rank: Int {
        switch self {
        case .bool: return 0
        case .int: return 1
        case .uint: return 2
        case .float: return 3
        case .string: return 4
        }
    }

    /// The key as a template value of the map's key type.
    public func value(keyType: GoType) -> TemplateValue {
        switch self {
        case .string(let s): return .string(s)
        case .int(let i):
            if case .int(let k) = keyType.underlying { return .int(i, k) }
            return .int(i, .int)
        case .uint(let u):
            if case .uint(let k) = keyType.underlying { return .uint(u, k) }
            return .uint(u, .uint)
        case .bool(let b): return .bool(b)
        case .float(let f):
            if case .float(let k) = keyType.underlying { return .float(f, k) }
            return .float(f, .float64)
        }
    }
}

/// A Go map. Entries are kept sorted by key, because text/template and fmt
/// both visit maps in sorted key order.
///
/// Go maps are references: `sprig_set`, `mergeMap` and friends change a map
/// in place, and every holder sees it. Only maps an execution created are
/// changed, and only by that execution, hence `@unchecked Sendable`.
public final class TemplateMap: @unchecked Sendable {
    public let type: GoType
    // Read by concurrent renders of shared data and changed only by the
    // execution that made the map (see above): dynamic exclusivity checks
    // would cost every lookup without catching anything.
    /// Entries in Go's sorted key order.
    @exclusivity(unchecked) public private(set) var entries: [(key: MapKey, value: TemplateValue)]
    /// Key → entry, only for maps past `TemplateMap.scanLimit` entries:
    /// scanning a few keys beats hashing one, and most maps are small
    /// (`ServiceMeta`, `NodeMeta`), so they carry no dictionary at all.
    @exclusivity(unchecked) private var index: [MapKey: Int]
    private static let scanLimit = 8

    /// Builds a map; later duplicates of a key win.
    public init(type: GoType, unsorted: [(key: MapKey, value: TemplateValue)]) {
        self.type = type
        var dict: [MapKey: TemplateValue] = [:]
        dict.reserveCapacity(unsorted.count)
        for (k, v) in unsorted { dict[k] = v }
        self.entries = dict.sorted { $0.key < $1.key }.map { (key: $0.key, value: $0.value) }
        self.index = [:]
        reindex()
    }

    /// A `map[string]V` from a dictionary.
    public convenience init(type: GoType, strings: [String: TemplateValue]) {
        self.init(type: type, unsorted: strings.map { (key: MapKey.string($0.key), value: $0.value) })
    }

    private func reindex() {
        guard entries.count > TemplateMap.scanLimit else {
            index = [:]
            return
        }
        var idx: [MapKey: Int] = [:]
        idx.reserveCapacity(entries.count)
        for (i, e) in entries.enumerated() { idx[e.key] = i }
        index = idx
    }

    public var count: Int { entries.count }
    public var keyType: GoType {
        if case .map(let k, _) = type.underlying { return k }
        return .string
    }
    public var valueType: GoType {
        if case .map(_, let v) = type.underlying { return v }
        return .interface
    }

    public subscript(key: MapKey) -> TemplateValue? {
        guard let i = position(of: key) else { return nil }
        return entries[i].value
    }

    private func position(of key: MapKey) -> Int? {
        if entries.count > TemplateMap.scanLimit { return index[key] }
        return entries.withUnsafeBufferPointer { entries in
            var i = 0
            while i < entries.count {
                if entries[i].key == key { return i }
                i += 1
            }
            return nil
        }
    }

    public subscript(key: String) -> TemplateValue? { self[.string(key)] }

    /// `m[key] = value`, in place.
    public func set(_ key: MapKey, _ value: TemplateValue) {
        if let i = position(of: key) {
            entries[i].value = value
            return
        }
        var lo = 0
        var hi = entries.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if entries[mid].key < key { lo = mid + 1 } else { hi = mid }
        }
        entries.insert((key: key, value: value), at: lo)
        reindex()
    }

    /// `delete(m, key)`, in place.
    public func remove(_ key: MapKey) {
        guard let i = position(of: key) else { return }
        entries.remove(at: i)
        reindex()
    }

    /// Replaces every entry, in place (for merges computed on the side).
    public func replaceContents(with other: TemplateMap) {
        entries = other.entries
        reindex()
    }
}

/// A Go struct value, or a pointer to one (`isPointer`).
public final class TemplateRecord: Sendable {
    public let type: RecordType
    public let fields: [TemplateValue]
    public let isPointer: Bool
    public init(type: RecordType, fields: [TemplateValue], isPointer: Bool = true) {
        precondition(fields.count == type.fields.count, "record \(type.name): field count mismatch")
        self.type = type
        self.fields = fields
        self.isPointer = isPointer
    }
    public var goType: GoType { isPointer ? .pointer(.record(type)) : .record(type) }
    /// The field named `name`, or nil.
    public subscript(name: String) -> TemplateValue? {
        type.fieldIndex(name).map { fields[$0] }
    }
}

/// A receive-only channel whose values are produced up front (consul-template's `loop`).
public final class TemplateChannel: Sendable {
    public let type: GoType
    public let values: [TemplateValue]
    public init(type: GoType, values: [TemplateValue]) {
        self.type = type
        self.values = values
    }
}

/// A reference value whose methods templates can call, like `scratch.Get`.
public protocol TemplateObject: AnyObject, Sendable {
    /// The Go type `%T` prints, e.g. `*template.Scratch`.
    var goType: GoType { get }
    /// The method named `name`, or nil when the type has none.
    func method(named name: String) -> TemplateFunction?
}
