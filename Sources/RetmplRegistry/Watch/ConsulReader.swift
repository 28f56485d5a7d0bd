import RetmplTemplate
import Foundation

/// Reads dependencies from Consul's HTTP API with blocking queries, and
/// `file` dependencies from the local file system.
public struct ConsulReader: RegistryReader {
    public let client: ConsulClient
    /// How often `file` dependencies are re-read (consul-template: 2s).
    public var filePollInterval: Duration
    /// How often non-blocking endpoints (`datacenters`) are re-read (consul-template: 15s).
    public var catalogPollInterval: Duration
    private let agentNode = AgentNodeName()

    public init(client: ConsulClient, filePollInterval: Duration = .seconds(1), catalogPollInterval: Duration = .seconds(15)) {
        self.client = client
        self.filePollInterval = filePollInterval
        self.catalogPollInterval = catalogPollInterval
    }

    public func read(_ dependency: Dependency, index: UInt64?, wait: Duration, stale: Bool) async throws -> RegistryAnswer {
        var query = dependency.query
        if case .file(let path) = query { return try readFile(path) }
        if case .catalogNode(let name, let scope) = query, name.isEmpty {
            // `node` with no name is the agent's own node.
            query = .catalogNode(name: try await agentNode.get(client), scope: scope)
        }
        let plan = try Self.plan(query)
        let response = try await client.get(
            path: plan.path, query: plan.parameters, index: plan.blocks ? index : nil,
            wait: plan.blocks && index != nil ? wait : nil, stale: stale)
        return try answer(query, response, blocks: plan.blocks)
    }

    @inline(never)
    private static func plan(_ query: Dependency.Query) throws -> ConsulQueryPlan {
        guard let plan = ConsulQueryPlan(query) else { throw ConsulAnswerError(query: query, message: "not a Consul query") }
        return plan
    }

    /// The decoded answer. Kept out of line: what an async function inlines
    /// lives in its task-allocated frame, which stays allocated while the
    /// read is parked (one per watch).
    @inline(never)
    private func answer(_ query: Dependency.Query, _ response: ConsulResponse, blocks: Bool) throws -> RegistryAnswer {
        let (value, print) = try ConsulAnswer.decode(for: query, body: response.body, exists: response.exists)
        return RegistryAnswer(
            value: value, index: blocks ? (response.index ?? 1) : nil, fingerprint: print,
            lastContact: response.lastContact, pollInterval: catalogPollInterval)
    }

    /// Catalog-wide views for the ``ServiceChangeFeed``.
    public var serviceFeed: (any ServiceFeedSource)? { ConsulServiceFeedSource(client: client) }

    public func probe() async throws {
        _ = try await client.get(path: "/v1/status/leader")
    }

    @inline(never)
    private func readFile(_ path: String) throws -> RegistryAnswer {
        guard let data = FileManager.default.contents(atPath: path) else {
            // Not there yet: missing, not an error, so the pass waits for it.
            return RegistryAnswer(value: nil, index: nil, fingerprint: 0, pollInterval: filePollInterval)
        }
        let bytes = [UInt8](data)
        return RegistryAnswer(
            value: .string(String(decoding: bytes, as: UTF8.self)), index: nil,
            fingerprint: fingerprint(bytes, seed: 1), pollInterval: filePollInterval)
    }
}

/// The agent's node name, asked once (`/v1/agent/self`).
private final class AgentNodeName: @unchecked Sendable {
    private let lock = NSLock()
    private var name: String?

    @inline(never)
    func get(_ client: ConsulClient) async throws -> String {
        if let cached = lock.withLock({ name }) { return cached }
        let response = try await client.get(path: "/v1/agent/self")
        let json = try JSONValue.parse(bytes: response.body)
        guard case .string(let found)? = json["Config"]?["NodeName"] else {
            throw ConsulAnswerError(query: .catalogNode(name: "", scope: Dependency.Scope()), message: "agent/self has no Config.NodeName")
        }
        lock.withLock { name = found }
        return found
    }
}
