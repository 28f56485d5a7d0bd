/// A parsed JSON document.
///
/// Object members stay in document order (duplicates included) so callers
/// decide how to merge them; numbers keep their source text next to the
/// `Double`, so integer fields can be checked the way Go's decoder checks them.
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    /// The value as Go's `strconv.ParseFloat` rounds it (±infinity when out
    /// of range) and the literal exactly as written.
    case number(Double, String)
    case string(String)
    case array([JSONValue])
    /// Members in document order.
    case object([(key: String, value: JSONValue)])

    /// Parses a complete document; trailing non-space bytes are an error.
    /// Throws ``JSONError``.
    public static func parse(_ text: String) throws -> JSONValue {
        var copy = text
        return try copy.withUTF8 { try JSONParser.parse($0, allowTrailing: false).value }
    }

    /// Parses a complete document from UTF-8 bytes. Throws ``JSONError``.
    public static func parse(bytes: [UInt8]) throws -> JSONValue {
        try bytes.withUnsafeBufferPointer { try JSONParser.parse($0, allowTrailing: false).value }
    }

    /// Parses the first document in `buffer`, ignoring what follows it, as
    /// Go's `json.Decoder.Decode` does. Returns the value and the offset just
    /// past it. Throws ``JSONError``.
    public static func parsePrefix(buffer: UnsafeBufferPointer<UInt8>) throws -> (value: JSONValue, end: Int) {
        try JSONParser.parse(buffer, allowTrailing: true)
    }

    /// The first member named `key` (exact match), for objects.
    public subscript(key: String) -> JSONValue? {
        guard case .object(let members) = self else { return nil }
        for m in members where m.key == key { return m.value }
        return nil
    }

    /// Go's name for the JSON kind, as its decoder errors spell it
    /// (`cannot unmarshal string into ...`).
    public var kindName: String {
        switch self {
        case .null: return "null"
        case .bool: return "bool"
        case .number: return "number"
        case .string: return "string"
        case .array: return "array"
        case .object: return "object"
        }
    }
}

extension JSONValue: Equatable {
    /// Structural equality; numbers compare by source text.
    public static func == (a: JSONValue, b: JSONValue) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.number(_, let x), .number(_, let y)): return x == y
        case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
        case (.array(let x), .array(let y)): return x == y
        case (.object(let x), .object(let y)):
            guard x.count == y.count else { return false }
            for (l, r) in zip(x, y) where !(l.key.utf8.elementsEqual(r.key.utf8) && l.value == r.value) {
                return false
            }
            return true
        default: return false
        }
    }
}
