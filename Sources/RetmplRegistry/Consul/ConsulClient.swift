import Foundation

/// A Consul HTTP API client: builds requests, reads the blocking-query headers,
/// and turns error statuses into `ConsulError`.
///
/// The ACL token is sent as `X-Consul-Token` and kept out of every description.
public struct ConsulClient: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    public var endpoint: HTTPEndpoint
    public var datacenter: String?
    public var transport: any HTTPTransport
    /// Bound on a request that does not block (and the margin added to blocking ones).
    public var requestTimeout: Duration
    private var token: String?
    /// `Authorization: Basic …` for an agent behind HTTP basic auth (`-consul-auth user:pass`).
    private var authorization: String?

    /// - Parameter address: `http://127.0.0.1:8500`, `127.0.0.1:8500`, `https://consul:8501` or `unix:///path`.
    /// - Parameter basicAuth: `user:password` for HTTP basic auth.
    /// - Parameter tls: how to check the server of an `https://` address; it also
    ///   turns a scheme-less `host:port` into HTTPS (as `CONSUL_HTTP_SSL=true` does),
    ///   while an explicit `http://` stays plain, as in Consul's client. nil: an
    ///   `https://` address uses the defaults (verify against the system trust store).
    public init(
        address: String, token: String? = nil, datacenter: String? = nil, basicAuth: String? = nil,
        tls: TLSConfiguration? = nil,
        transport: any HTTPTransport = SocketHTTPTransport(), requestTimeout: Duration = .seconds(10)
    ) throws(HTTPTransportError) {
        let parsed = try HTTPEndpoint(parsing: address)
        if let tls, !address.hasPrefix("http://"), !address.hasPrefix("unix://") {
            self.endpoint = try parsed.withTLS(tls)
        } else {
            self.endpoint = parsed
        }
        self.authorization = basicAuth.flatMap { $0.isEmpty ? nil : "Basic " + Data($0.utf8).base64EncodedString() }
        self.token = token.flatMap { $0.isEmpty ? nil : $0 }
        self.datacenter = datacenter.flatMap { $0.isEmpty ? nil : $0 }
        self.transport = transport
        self.requestTimeout = requestTimeout
    }

    public var description: String {
        "ConsulClient(\(endpoint)\(datacenter.map { ", dc=\($0)" } ?? "")\(token == nil ? "" : ", token=<redacted>")\(authorization == nil ? "" : ", auth=<redacted>"))"
    }
    public var debugDescription: String { description }
    public var customMirror: Mirror {
        Mirror(self, children: ["endpoint": endpoint.description, "datacenter": datacenter as Any], displayStyle: .struct)
    }

    /// A read; with `index` it is a blocking query that Consul parks until the
    /// index moves past `index` or `wait` runs out.
    ///
    /// A 404 under `/v1/kv/` is an answer (the key is absent), not an error.
    public func get(
        path: String, query: [(String, String)] = [], index: UInt64? = nil, wait: Duration? = nil, stale: Bool = false
    ) async throws -> ConsulResponse {
        var params = query
        if stale { params.append(("stale", "")) }
        if let index { params.append(("index", String(index))) }
        var timeout = requestTimeout
        if let wait {
            params.append(("wait", GoDuration.format(wait.nanosecondsClamped)))
            // Consul adds up to wait/16 of jitter before answering.
            timeout += wait + wait / 16
        } else if index != nil {
            timeout += .seconds(5 * 60) + .seconds(5 * 60) / 16  // Consul's default wait
        }
        return try await perform(method: "GET", path: path, query: params, body: [], timeout: timeout)
    }

    /// A write (`PUT`), e.g. `/v1/kv/key` or `/v1/catalog/register`.
    public func put(path: String, query: [(String, String)] = [], body: [UInt8] = []) async throws -> ConsulResponse {
        try await perform(method: "PUT", path: path, query: query, body: body, timeout: requestTimeout)
    }

    /// A `DELETE`, e.g. of a KV key.
    public func delete(path: String, query: [(String, String)] = []) async throws -> ConsulResponse {
        try await perform(method: "DELETE", path: path, query: query, body: [], timeout: requestTimeout)
    }

    private func perform(
        method: String, path: String, query: [(String, String)], body: [UInt8], timeout: Duration
    ) async throws -> ConsulResponse {
        var params = query
        if let datacenter, !params.contains(where: { $0.0 == "dc" }) { params.append(("dc", datacenter)) }
        var target = ConsulClient.escapePath(path.hasPrefix("/") ? path : "/" + path)
        for (i, (key, value)) in params.enumerated() {
            target += i == 0 ? "?" : "&"
            target += ConsulClient.escapeQuery(key)
            if !value.isEmpty { target += "=" + ConsulClient.escapeQuery(value) }
        }
        var headers: [(name: String, value: String)] = []
        if let token { headers.append(("X-Consul-Token", token)) }
        if let authorization { headers.append(("Authorization", authorization)) }
        if !body.isEmpty { headers.append(("Content-Type", "application/octet-stream")) }
        let request = HTTPRequest(endpoint: endpoint, method: method, target: target, headers: headers, body: body)
        let response = try await transport.send(request, timeout: timeout)
        let absent = response.status == 404 && path.hasPrefix("/v1/kv/")
        guard (200..<300).contains(response.status) || absent else {
            throw ConsulError(status: response.status, method: method, path: path, body: response.bodyText)
        }
        return ConsulResponse(response, exists: !absent)
    }

    /// Percent-escapes a path, keeping `/` and RFC 3986 unreserved characters.
    static func escapePath(_ s: String) -> String { escape(s, keepSlash: true) }

    /// Percent-escapes a query key or value.
    static func escapeQuery(_ s: String) -> String { escape(s, keepSlash: false) }

    private static func escape(_ s: String, keepSlash: Bool) -> String {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        let hex = Array("0123456789ABCDEF".utf8)
        for b in s.utf8 {
            switch b {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                 UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."),
                 UInt8(ascii: "_"), UInt8(ascii: "~"):
                out.append(b)
            case UInt8(ascii: "/") where keepSlash, UInt8(ascii: ":") where keepSlash, UInt8(ascii: "@") where keepSlash:
                out.append(b)
            default:
                out.append(UInt8(ascii: "%"))
                out.append(hex[Int(b >> 4)])
                out.append(hex[Int(b & 0xF)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}

/// A successful (or KV-absent) Consul answer with its blocking-query metadata.
public struct ConsulResponse: Sendable {
    public var status: Int
    public var body: [UInt8]
    /// `X-Consul-Index`, raised to 1 when Consul reports 0; nil on endpoints that do not block.
    public var index: UInt64?
    /// `X-Consul-KnownLeader`; true when absent.
    public var knownLeader: Bool
    /// `X-Consul-LastContact`: how stale a `?stale` read may be.
    public var lastContact: Duration
    /// False for a KV read of a missing key (HTTP 404).
    public var exists: Bool
    public var headers: HTTPHeaders

    init(_ response: HTTPResponse, exists: Bool) {
        status = response.status
        body = exists ? response.body : []
        headers = response.headers
        index = response.headers["X-Consul-Index"].flatMap { UInt64($0) }.map { max($0, 1) }
        knownLeader = response.headers["X-Consul-KnownLeader"].map { $0.lowercased() != "false" } ?? true
        lastContact = .milliseconds(response.headers["X-Consul-LastContact"].flatMap { Int64($0) } ?? 0)
        self.exists = exists
    }
}

/// Consul answered with an error status (403 ACL, 5xx, 400 bad parameter...).
public struct ConsulError: Error, Sendable, CustomStringConvertible {
    public var status: Int
    public var method: String
    public var path: String
    /// The body text Consul sent, which carries the reason ("ACL not found").
    public var body: String

    public var description: String {
        let text = body.trimmingSuffix { $0 == "\n" || $0 == "\r" || $0 == " " }
        return "Unexpected response code: \(status) (\(text)) for \(method) \(path)"
    }
}

private extension String {
    func trimmingSuffix(while drop: (Character) -> Bool) -> String {
        var s = Substring(self)
        while let last = s.last, drop(last) { s = s.dropLast() }
        return String(s)
    }
}
