public import RetmplRegistry

/// Drives the fake Consul through Consul's real HTTP API (and its `/_fake/`
/// control API for faults), as tests set up registry state.
extension FakeConsulProcess {
    /// A client for this server (optionally with a token).
    public func client(token: String? = nil) throws -> ConsulClient {
        try ConsulClient(address: address, token: token, requestTimeout: .seconds(10))
    }

    /// Registers (or updates) a service instance through `/v1/catalog/register`.
    /// `status` adds a service check in that state (`passing`, `warning`, `critical`).
    public func register(
        node: String, address: String, service: String, id: String, port: Int, tags: [String] = [],
        meta: [String: String] = [:], status: String? = nil
    ) async throws {
        let tagList = tags.map { "\"\($0)\"" }.joined(separator: ",")
        let metaList = meta.sorted { $0.key < $1.key }.map { "\"\($0.key)\":\"\($0.value)\"" }.joined(separator: ",")
        var body = """
            {"Node":"\(node)","Address":"\(address)","Service":{"ID":"\(id)","Service":"\(service)","Port":\(port),"Tags":[\(tagList)],"Meta":{\(metaList)}}
            """
        if let status {
            body += #","Check":{"CheckID":"service:\#(id)","Name":"check \#(id)","Status":"\#(status)","ServiceID":"\#(id)"}"#
        }
        body += "}"
        _ = try await driver().put(path: "/v1/catalog/register", body: Array(body.utf8))
    }

    /// Removes a service instance through `/v1/catalog/deregister`.
    public func deregister(node: String, id: String) async throws {
        let body = #"{"Node":"\#(node)","ServiceID":"\#(id)"}"#
        _ = try await driver().put(path: "/v1/catalog/deregister", body: Array(body.utf8))
    }

    /// Writes a KV pair.
    public func putKey(_ key: String, _ value: String) async throws {
        _ = try await driver().put(path: "/v1/kv/" + key, body: Array(value.utf8))
    }

    /// Calls the control API, e.g. `control("PUT", "/_fake/down", ["seconds": "2"])`.
    @discardableResult
    public func control(_ method: String, _ path: String, _ query: [(String, String)] = []) async throws -> String {
        let c = try driver()
        let response: ConsulResponse
        switch method {
        case "PUT": response = try await c.put(path: path, query: query)
        case "DELETE": response = try await c.delete(path: path, query: query)
        default: response = try await c.get(path: path, query: query)
        }
        return String(decoding: response.body, as: UTF8.self)
    }

    /// Waits (server-side, bounded) until `parked` blocking queries are parked.
    public func awaitParked(_ parked: Int, path: String = "/v1/") async throws {
        try await control("GET", "/_fake/await", [("parked", String(parked)), ("path", path), ("timeout", "10s")])
    }
}
