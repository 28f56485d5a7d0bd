/// Streams the snapshot document into the model the way the oracle's
/// `json.Decoder` with `DisallowUnknownFields` decodes it, without building
/// a JSON tree first.
///
/// Go's rules: field names match exactly or else case-insensitively; null
/// leaves scalars alone and sets maps and slices to nil; a repeated object
/// field decodes into the same map (entries merge). Errors come in Go's
/// priority: a syntax error anywhere in the document, else an error from a
/// custom unmarshaller (health check durations), else the first unknown
/// field or type mismatch ("soft" errors, after which decoding goes on).
struct SnapshotDecoder: ~Copyable {
    var s: JSONScanner
    /// Containers open around the current value.
    private var depth = 0
    /// The JSON path: per level, the offset of a key's opening quote, or
    /// `-1 - index` for an array element. Keys are only decoded for messages.
    private var path = PathStack()
    /// The first unknown field or type mismatch.
    private(set) var softError: SnapshotError?
    /// Maps and string lists, shared between equal JSON texts.
    var maps = InternTable<StringPairs>()
    var lists = InternTable<[String]>()

    init(base: UnsafePointer<UInt8>, count: Int) {
        s = JSONScanner(base: base, count: count)
    }

    // MARK: - Errors

    /// The current JSON path, e.g. `services.web[0].Port`.
    private var pathText: String {
        var out = ""
        for i in 0..<path.count {
            let entry = path[i]
            if entry < 0 {
                out += "[\(-1 - entry)]"
                continue
            }
            var keyScanner = JSONScanner(base: s.base, count: s.count)
            keyScanner.pos = entry
            let key = (try? keyScanner.readString()) ?? "?"
            out += out.isEmpty ? key : "." + key
        }
        return out
    }

    /// An error at the current path.
    func failure(_ message: String) -> SnapshotError {
        let at = pathText
        return SnapshotError(at.isEmpty ? "snapshot: " + message : "snapshot: \(at): \(message)")
    }

    /// An error at `subpath` below the current path.
    func failure(_ message: String, below subpath: String) -> SnapshotError {
        guard !subpath.isEmpty else { return failure(message) }
        let at = pathText
        return SnapshotError("snapshot: \(at.isEmpty ? subpath : at + "." + subpath): \(message)")
    }

    /// Records a soft error (the first one wins).
    private mutating func soft(_ message: String) {
        if softError == nil { softError = failure(message) }
    }

    /// A value of the wrong JSON kind at `pos` (first byte `c`): recorded,
    /// then skipped. A byte that starts no value is a syntax error.
    private mutating func mismatch(_ c: UInt8, _ goType: String) throws(JSONError) {
        let kind: String
        switch c {
        case UInt8(ascii: "{"): kind = "object"
        case UInt8(ascii: "["): kind = "array"
        case UInt8(ascii: "\""): kind = "string"
        case UInt8(ascii: "t"), UInt8(ascii: "f"): kind = "bool"
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): kind = "number"
        default: kind = ""
        }
        if !kind.isEmpty { soft("cannot unmarshal \(kind) into Go value of type \(goType)") }
        try s.skipValue(depth: depth)
    }

    // MARK: - Scalars

    /// Reads `null` (its first byte is known).
    private mutating func null() throws(JSONError) { _ = try s.readLiteral() }

    mutating func string(_ target: inout String) throws(JSONError) {
        let c = try s.next()
        if c == UInt8(ascii: "\"") {
            target = try s.readString()
        } else if c == UInt8(ascii: "n") {
            try null()
        } else {
            try mismatch(c, "string")
        }
    }

    mutating func bool(_ target: inout Bool) throws(JSONError) {
        let c = try s.next()
        if c == UInt8(ascii: "t") || c == UInt8(ascii: "f") {
            if case .bool(let b) = try s.readLiteral() { target = b }
        } else if c == UInt8(ascii: "n") {
            try null()
        } else {
            try mismatch(c, "bool")
        }
    }

    mutating func int(_ target: inout Int) throws(JSONError) {
        let c = try s.next()
        if c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) {
            let n = try s.readNumber()
            if let v = n.int64 {
                target = Int(v)
            } else {
                soft("cannot unmarshal number \(n.string) into Go value of type int")
            }
        } else if c == UInt8(ascii: "n") {
            try null()
        } else {
            try mismatch(c, "int")
        }
    }

    mutating func uint64(_ target: inout UInt64) throws(JSONError) {
        let c = try s.next()
        if c == UInt8(ascii: "-") || (c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9")) {
            let n = try s.readNumber()
            if let v = n.uint64 {
                target = v
            } else {
                soft("cannot unmarshal number \(n.string) into Go value of type uint64")
            }
        } else if c == UInt8(ascii: "n") {
            try null()
        } else {
            try mismatch(c, "uint64")
        }
    }

    // MARK: - Containers

    /// How a container value starts.
    enum Opening {
        /// `null`.
        case null
        /// A value of another kind (recorded as a soft error and skipped).
        case mismatch
        /// `{}` or `[]`.
        case empty
        /// The first member or element follows.
        case items
    }

    /// Opens the object (Go struct or map) at `pos`.
    mutating func openObject(_ goType: String) throws(JSONError) -> Opening {
        try open(UInt8(ascii: "{"), goType)
    }

    /// Opens the array (Go slice) at `pos`.
    mutating func openArray(_ goType: String) throws(JSONError) -> Opening {
        try open(UInt8(ascii: "["), goType)
    }

    private mutating func open(_ opener: UInt8, _ goType: String) throws(JSONError) -> Opening {
        let c = try s.next()
        guard c == opener else {
            if c == UInt8(ascii: "n") {
                try null()
                return .null
            }
            try mismatch(c, goType)
            return .mismatch
        }
        if depth >= JSONScanner.maxDepth { throw s.syntaxError(c, "exceeded max depth") }
        s.pos += 1
        let hasItems = try (opener == UInt8(ascii: "{") ? s.objectHasMembers() : s.arrayHasElements())
        guard hasItems else { return .empty }
        depth += 1
        return .items
    }

    /// The next member of an open struct object, as a field index of `table`.
    /// Unknown members are skipped (and recorded unless `strict` is false).
    /// Returns nil after the closing brace. `first` is true for the first call.
    mutating func nextField(_ table: FieldTable, first: inout Bool, strict: Bool = true) throws(JSONError) -> Int? {
        while true {
            if first {
                first = false
            } else {
                path.pop()
                guard try s.afterMember() else {
                    depth -= 1
                    return nil
                }
            }
            s.skipSpace()
            path.push(s.pos)
            let key = try s.readKeyBytes()
            if let field = table.index(of: key) { return field }
            if strict { soft("unknown field") }
            try s.skipValue(depth: depth)
        }
    }

    /// The next key of an open map object, or nil after the closing brace.
    mutating func nextMapKey(first: inout Bool) throws(JSONError) -> String? {
        if first {
            first = false
        } else {
            path.pop()
            guard try s.afterMember() else {
                depth -= 1
                return nil
            }
        }
        s.skipSpace()
        path.push(s.pos)
        return try s.readKey()
    }

    /// Moves to the next element of an open array; false after the closing
    /// bracket. `index` starts at -1.
    mutating func nextElement(_ index: inout Int) throws(JSONError) -> Bool {
        if index >= 0 {
            path.pop()
            guard try s.afterElement() else {
                depth -= 1
                return false
            }
        }
        index += 1
        path.push(-1 - index)
        return true
    }

    /// `map[string]string`: null -> nil map; a second object merges into the first.
    mutating func stringMap(_ target: inout StringPairs?) throws(JSONError) {
        switch try openObject("map[string]string") {
        case .null: target = nil
        case .mismatch: break
        case .empty: if target == nil { target = [] }
        case .items:
            var out = target ?? []
            out.reserveCapacity(out.count + 4)
            var first = true
            while let key = try nextMapKey(first: &first) {
                var value = ""
                try string(&value)
                out.append((key: key, value: value))
            }
            target = out
        }
    }

    /// `[]string`: null -> nil; null elements are "".
    mutating func stringSlice(_ target: inout [String]?) throws(JSONError) {
        switch try openArray("[]string") {
        case .null: target = nil
        case .mismatch: break
        case .empty: target = []
        case .items:
            var out: [String] = []
            var index = -1
            while try nextElement(&index) {
                var value = ""
                try string(&value)
                out.append(value)
            }
            target = out
        }
    }

    /// A `map[string]string` field, interned (see ``SharedID``). A repeated
    /// field merges into the current map, which is then stored on its own.
    mutating func sharedMap(_ current: SharedID) throws(JSONError) -> SharedID {
        s.skipSpace()
        let start = s.pos
        if current < 0, let id = try seen(in: maps) { return id }
        var pairs: StringPairs? = current >= 0 ? maps.items[Int(current)] : nil
        try stringMap(&pairs)
        guard let result = pairs else { return -1 }
        let text = current < 0 ? UnsafeBufferPointer(start: s.base + start, count: s.pos - start) : nil
        return maps.intern(result, text: text, base: s.base)
    }

    /// A `[]string` field, interned (see ``SharedID``).
    mutating func sharedList(_ current: SharedID) throws(JSONError) -> SharedID {
        s.skipSpace()
        let start = s.pos
        if let id = try seen(in: lists) { return id }
        var items: [String]? = current >= 0 ? lists.items[Int(current)] : nil
        try stringSlice(&items)
        guard let result = items else { return -1 }
        return lists.intern(result, text: UnsafeBufferPointer(start: s.base + start, count: s.pos - start), base: s.base)
    }

    /// The entry whose JSON text equals the value at `pos` (which is then
    /// skipped), or nil (and `pos` is unchanged): equal texts decode alike,
    /// so a repeated text needs no decoding at all.
    private mutating func seen<Value>(in table: InternTable<Value>) throws(JSONError) -> SharedID? {
        let start = s.pos
        try s.skipValue(depth: depth)
        if let id = table.lookup(UnsafeBufferPointer(start: s.base + start, count: s.pos - start), base: s.base) {
            return id
        }
        s.pos = start
        return nil
    }

    /// Reads the value at `pos` as a JSON tree (for fields decoded by a
    /// custom unmarshaller).
    mutating func tree() throws(JSONError) -> JSONValue {
        try JSONParser.parseValue(&s, depth: depth)
    }
}

/// A stack of integers without copy-on-write checks (one per nesting level).
struct PathStack: ~Copyable {
    private var storage = UnsafeMutablePointer<Int>.allocate(capacity: 64)
    private var capacity = 64
    private(set) var count = 0

    deinit { storage.deallocate() }

    @inline(__always)
    mutating func push(_ v: Int) {
        if count == capacity {
            let bigger = UnsafeMutablePointer<Int>.allocate(capacity: capacity * 2)
            bigger.update(from: storage, count: count)
            storage.deallocate()
            storage = bigger
            capacity *= 2
        }
        storage[count] = v
        count += 1
    }

    @inline(__always)
    mutating func pop() { count -= 1 }

    subscript(i: Int) -> Int { storage[i] }
}
