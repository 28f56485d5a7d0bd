/// Response header fields in wire order, looked up case-insensitively
/// (Go canonicalises names, other servers lowercase them).
public struct HTTPHeaders: Sendable, Sequence {
    public private(set) var fields: [(name: String, value: String)] = []

    public init(_ fields: [(name: String, value: String)] = []) {
        self.fields = fields
    }

    public mutating func append(name: String, value: String) {
        fields.append((name, value))
    }

    /// The first value of `name`, compared without regard to ASCII case.
    public subscript(_ name: String) -> String? {
        for field in fields where HTTPHeaders.equalFold(field.name, name) { return field.value }
        return nil
    }

    /// Every value of `name`, in wire order.
    public func values(_ name: String) -> [String] {
        fields.filter { HTTPHeaders.equalFold($0.name, name) }.map(\.value)
    }

    public func makeIterator() -> IndexingIterator<[(name: String, value: String)]> {
        fields.makeIterator()
    }

    static func equalFold(_ a: String, _ b: String) -> Bool {
        var ia = a.utf8.makeIterator()
        var ib = b.utf8.makeIterator()
        while true {
            switch (ia.next(), ib.next()) {
            case (nil, nil): return true
            case let (x?, y?):
                if x == y { continue }
                if x | 0x20 != y | 0x20 { return false }
                let lower = x | 0x20
                if lower < UInt8(ascii: "a") || lower > UInt8(ascii: "z") { return false }
            default: return false
            }
        }
    }
}

/// One HTTP/1.1 request to `endpoint`.
public struct HTTPRequest: Sendable {
    public var endpoint: HTTPEndpoint
    public var method: String
    /// The request target as sent on the wire: an escaped path plus `?query`.
    public var target: String
    /// Extra header fields; `Host` and `Content-Length` are added by the transport.
    public var headers: [(name: String, value: String)]
    public var body: [UInt8]

    public init(
        endpoint: HTTPEndpoint, method: String = "GET", target: String,
        headers: [(name: String, value: String)] = [], body: [UInt8] = []
    ) {
        self.endpoint = endpoint
        self.method = method
        self.target = target
        self.headers = headers
        self.body = body
    }

    /// The serialised request head and body.
    func encoded() -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(128 + target.utf8.count + body.count)
        func put(_ s: String) { out.append(contentsOf: s.utf8) }
        put(method); put(" "); put(target); put(" HTTP/1.1\r\nHost: "); put(endpoint.hostHeader); put("\r\n")
        var hasAgent = false
        for (name, value) in headers {
            if HTTPHeaders.equalFold(name, "User-Agent") { hasAgent = true }
            put(name); put(": "); put(value); put("\r\n")
        }
        if !hasAgent { put("User-Agent: retmpl\r\n") }
        if !body.isEmpty || method == "PUT" || method == "POST" {
            put("Content-Length: "); put(String(body.count)); put("\r\n")
        }
        put("\r\n")
        out.append(contentsOf: body)
        return out
    }
}

/// A complete HTTP response.
public struct HTTPResponse: Sendable {
    public var status: Int
    public var reason: String
    public var headers: HTTPHeaders
    public var body: [UInt8]

    public init(status: Int, reason: String = "", headers: HTTPHeaders = HTTPHeaders(), body: [UInt8] = []) {
        self.status = status
        self.reason = reason
        self.headers = headers
        self.body = body
    }

    /// The body decoded as UTF-8 (invalid sequences repaired), for error messages.
    public var bodyText: String { String(decoding: body, as: UTF8.self) }
}
