/// The two registry-wide views a ``ServiceChangeFeed`` blocks on.
public protocol ServiceFeedSource: Sendable {
    /// Blocks on the service catalog: its index and, per service name, a
    /// fingerprint of its tags.
    func services(index: UInt64?, wait: Duration, stale: Bool) async throws -> (index: UInt64, services: [String: UInt64])
    /// Blocks on every health check: its index and, per check, who it
    /// belongs to and a fingerprint of its state.
    func checks(index: UInt64?, wait: Duration, stale: Bool) async throws -> (index: UInt64, checks: [CheckKey: CheckState])
}

/// A health check's identity: its node and check ID.
public struct CheckKey: Hashable, Sendable {
    public var node: String
    public var checkID: String
    public init(node: String, checkID: String) {
        self.node = node
        self.checkID = checkID
    }
}

/// What the feed remembers of a check.
public struct CheckState: Equatable, Sendable {
    /// The service the check belongs to; empty for a node check.
    public var serviceName: String
    /// Changes when anything in the check changes (status, output, tags…).
    public var fingerprint: UInt64
    public init(serviceName: String, fingerprint: UInt64) {
        self.serviceName = serviceName
        self.fingerprint = fingerprint
    }
}

extension RegistryReader {
    /// Registry-wide change views, when the registry has them.
    public var serviceFeed: (any ServiceFeedSource)? { nil }
}

/// Consul's views: `/v1/catalog/services` and `/v1/health/state/any`.
struct ConsulServiceFeedSource: ServiceFeedSource {
    let client: ConsulClient

    func services(index: UInt64?, wait: Duration, stale: Bool) async throws -> (index: UInt64, services: [String: UInt64]) {
        let response = try await client.get(path: "/v1/catalog/services", index: index, wait: index == nil ? nil : wait, stale: stale)
        var out: [String: UInt64] = [:]
        if case .object(let members) = try JSONValue.parse(bytes: response.body) {
            for m in members { out[m.key] = fingerprint(JSONWriter.bytes(m.value)) }
        }
        return (response.index ?? 1, out)
    }

    func checks(index: UInt64?, wait: Duration, stale: Bool) async throws -> (index: UInt64, checks: [CheckKey: CheckState]) {
        let response = try await client.get(path: "/v1/health/state/any", index: index, wait: index == nil ? nil : wait, stale: stale)
        var out: [CheckKey: CheckState] = [:]
        if case .array(let items) = try JSONValue.parse(bytes: response.body) {
            for item in items {
                guard case .string(let node)? = item["Node"], case .string(let id)? = item["CheckID"] else { continue }
                var service = ""
                if case .string(let s)? = item["ServiceName"] { service = s }
                out[CheckKey(node: node, checkID: id)] = CheckState(serviceName: service, fingerprint: fingerprint(JSONWriter.bytes(item)))
            }
        }
        return (response.index ?? 1, out)
    }
}
