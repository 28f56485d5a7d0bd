/// A query string consul-template rejects, with its exact message
/// (`health.service: invalid format: "web app"`).
public struct DependencyError: Error, Sendable, Equatable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// A hand-written matcher for consul-template's query regular expressions.
///
/// Every piece of the grammar is a run over a character set that excludes
/// the delimiter of the next piece (`?`, `@`, `~`, `|`), so a single
/// left-to-right scan finds exactly the submatches Go's anchored regexps find.
struct QueryParser {
    private let bytes: [UInt8]
    private let text: String
    private var pos = 0

    init(_ text: String) {
        self.text = text
        self.bytes = Array(text.utf8)
    }

    private var atEnd: Bool { pos == bytes.count }

    // MARK: Character sets ([[:word:]] is ASCII letters, digits and _)

    private static func isWord(_ c: UInt8) -> Bool {
        (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) || c == 0x5F
    }
    private static func isTag(_ c: UInt8) -> Bool {
        isWord(c) || c == UInt8(ascii: "=") || c == UInt8(ascii: ":") || c == UInt8(ascii: ".") || c == UInt8(ascii: "-")
    }
    private static func isServiceName(_ c: UInt8) -> Bool { isWord(c) || c == UInt8(ascii: "-") }
    /// Node names, datacenters and `near` share one set.
    private static func isNodeName(_ c: UInt8) -> Bool {
        isWord(c) || c == UInt8(ascii: ".") || c == UInt8(ascii: "-")
    }
    private static func isQuery(_ c: UInt8) -> Bool {
        isWord(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "=") || c == UInt8(ascii: "&")
    }
    private static func isFilter(_ c: UInt8) -> Bool { isWord(c) || c == UInt8(ascii: ",") }

    /// Consumes the longest run of bytes in `set`; nil when it is empty.
    private mutating func run(_ set: (UInt8) -> Bool) -> String? {
        let start = pos
        while pos < bytes.count, set(bytes[pos]) { pos += 1 }
        return pos == start ? nil : String(decoding: bytes[start..<pos], as: UTF8.self)
    }

    /// `(<marker><run>)?`: nil when absent, "" never (the group needs one byte).
    /// Returns false when the marker is present but its run is empty (no match).
    private mutating func optional(_ marker: Character, _ set: (UInt8) -> Bool, into value: inout String) -> Bool {
        guard pos < bytes.count, bytes[pos] == marker.asciiValue else { return true }
        pos += 1
        guard let v = run(set) else { return false }
        value = v
        return true
    }

    // MARK: Grammars

    /// `\A((tag)\.)?(name)(\?query)?(@dc)?(~near)?(\|filter)?\z`
    mutating func healthService() -> (tag: String, name: String, query: String, dc: String, near: String, filter: String)? {
        // The head runs up to the first delimiter; the tag is everything
        // before its last dot (the name cannot contain dots).
        let headStart = pos
        while pos < bytes.count, QueryParser.isTag(bytes[pos]) { pos += 1 }
        let head = bytes[headStart..<pos]
        var tag = ""
        let nameBytes: ArraySlice<UInt8>
        if let dot = head.lastIndex(of: UInt8(ascii: ".")) {
            guard dot > head.startIndex else { return nil }
            tag = String(decoding: head[head.startIndex..<dot], as: UTF8.self)
            nameBytes = head[(dot + 1)...]
        } else {
            nameBytes = head
        }
        guard !nameBytes.isEmpty, nameBytes.allSatisfy(QueryParser.isServiceName) else { return nil }
        var query = "", dc = "", near = "", filter = ""
        guard optional("?", QueryParser.isQuery, into: &query),
              optional("@", QueryParser.isNodeName, into: &dc),
              optional("~", QueryParser.isNodeName, into: &near),
              optional("|", QueryParser.isFilter, into: &filter),
              atEnd
        else { return nil }
        return (tag, String(decoding: nameBytes, as: UTF8.self), query, dc, near, filter)
    }

    /// `\A(\?query)?(@dc)?(~near)?\z` (`near` only when `allowNear`).
    mutating func scopeOnly(allowNear: Bool) -> (query: String, dc: String, near: String)? {
        var query = "", dc = "", near = ""
        guard optional("?", QueryParser.isQuery, into: &query),
              optional("@", QueryParser.isNodeName, into: &dc)
        else { return nil }
        if allowNear && !optional("~", QueryParser.isNodeName, into: &near) { return nil }
        guard atEnd else { return nil }
        return (query, dc, near)
    }

    /// `\A(name)(\?query)?(@dc)?\z`
    mutating func node() -> (name: String, query: String, dc: String)? {
        guard let name = run(QueryParser.isNodeName) else { return nil }
        var query = "", dc = ""
        guard optional("?", QueryParser.isQuery, into: &query),
              optional("@", QueryParser.isNodeName, into: &dc),
              atEnd
        else { return nil }
        return (name, query, dc)
    }

    /// `\A/?(key)(\?query)?(@dc)?\z` with key = `[^@?]+`.
    mutating func key() -> (key: String, query: String, dc: String)? {
        let notDelimiter: (UInt8) -> Bool = { $0 != UInt8(ascii: "@") && $0 != UInt8(ascii: "?") }
        if pos < bytes.count && bytes[pos] == UInt8(ascii: "/") { pos += 1 }
        var key = run(notDelimiter)
        if key == nil && pos == 1 {
            // The optional slash gives itself back: "/" alone is the key.
            pos = 0
            key = run(notDelimiter)
        }
        guard let key else { return nil }
        var query = "", dc = ""
        guard optional("?", QueryParser.isQuery, into: &query),
              optional("@", QueryParser.isNodeName, into: &dc),
              atEnd
        else { return nil }
        return (key, query, dc)
    }

    // MARK: Query options

    /// Go's `url.ParseQuery` of the `?...` part, checked against the keys
    /// consul-template supports. Returns the first value of each key.
    static func options(_ raw: String, label: String) throws(DependencyError) -> [String: String] {
        var out: [String: String] = [:]
        guard !raw.isEmpty else { return out }
        for part in raw.split(separator: "&", omittingEmptySubsequences: true) {
            let key: Substring
            let value: Substring
            if let eq = part.firstIndex(of: "=") {
                key = part[part.startIndex..<eq]
                value = part[part.index(after: eq)...]
            } else {
                key = part
                value = ""
            }
            switch key {
            case "ns", "peer", "partition", "sameness-group":
                if out[String(key)] == nil { out[String(key)] = String(value) }
            default:
                throw DependencyError(
                    "\(label): invalid query parameter key \(GoQuote.quote(String(key))) in query \(GoQuote.quote(raw)): supported keys: ns,peer,partition,sameness-group"
                )
            }
        }
        return out
    }

    static func invalidFormat(_ label: String, _ text: String) -> DependencyError {
        DependencyError("\(label): invalid format: \(GoQuote.quote(text))")
    }
}
