import Foundation

/// Captures the live registry state that a set of dependencies reads into a
/// snapshot document `retmpl render -snapshot` accepts, so production state
/// can be replayed in CI.
///
/// Services are captured whole (every instance, any health, with checks)
/// whatever filter a template applied, so a replay sees what Consul held;
/// `services` (the catalog) captures every service it lists the same way.
public struct SnapshotCapture: Sendable {
    public let client: ConsulClient

    public init(client: ConsulClient) {
        self.client = client
    }

    /// The snapshot document for `dependencies`, plus extra services and KV
    /// prefixes named directly, and the environment variables to record.
    public func capture(
        _ dependencies: [Dependency], services: [String] = [], kvPrefixes: [String] = [],
        environment: [String: String] = [:]
    ) async throws -> String {
        var builder = SnapshotDocumentBuilder()
        var queries: [Dependency.Query] = []
        var seen: Set<String> = []
        func add(_ q: Dependency.Query) {
            if seen.insert(Dependency(q).description).inserted { queries.append(q) }
        }
        func wholeService(_ name: String, _ scope: Dependency.Scope, connect: Bool = false) {
            add(.healthService(Dependency.HealthServiceQuery(name: name, scope: scope, filters: ["any"], connect: connect)))
        }
        for d in dependencies {
            switch d.query {
            case .healthService(let q):
                wholeService(q.name, Dependency.Scope(datacenter: q.scope.datacenter, namespace: q.scope.namespace, partition: q.scope.partition), connect: q.connect)
            case .catalogServices(let scope):
                let response = try await client.get(path: "/v1/catalog/services", query: ConsulQueryPlan.scope(scope, peer: false))
                if case .object(let members) = try JSONValue.parse(bytes: response.body) {
                    for m in members { wholeService(m.key, scope) }
                }
            case .catalogDatacenters:
                let response = try await client.get(path: "/v1/catalog/datacenters")
                if case .array(let items) = try JSONValue.parse(bytes: response.body) {
                    builder.datacenters = items.compactMap { if case .string(let s) = $0 { return s } else { return nil } }
                }
            case .catalogNode(let name, let scope) where name.isEmpty:
                let me = try JSONValue.parse(bytes: try await client.get(path: "/v1/agent/self").body)
                if case .string(let node)? = me["Config"]?["NodeName"] {
                    builder.agentNode = node
                    add(.catalogNode(name: node, scope: scope))
                }
            case .file(let path):
                if let data = FileManager.default.contents(atPath: path) {
                    builder.files.append((path, .string(String(decoding: data, as: UTF8.self))))
                }
            default:
                add(d.query)
            }
        }
        for name in services { wholeService(name, Dependency.Scope()) }
        for prefix in kvPrefixes { add(.kvList(prefix: prefix, scope: Dependency.Scope())) }

        for query in queries {
            guard let plan = ConsulQueryPlan(query) else { continue }
            var parameters = plan.parameters
            if case .healthService = query { parameters.removeAll { $0.0 == "passing" } }
            let response = try await client.get(path: plan.path, query: parameters)
            if let members = try ConsulAnswer.snapshotMembers(for: query, body: response.body, exists: response.exists) {
                builder.merge(members)
            }
        }
        builder.environment = environment.sorted { $0.key < $1.key }.map { ($0.key, .string($0.value)) }
        builder.now = ISO8601DateFormatter().string(from: Date())
        return builder.text()
    }
}

/// Merges restated answers into one snapshot document: instances by
/// (node, ID), nodes by name and datacenter, KV by key.
struct SnapshotDocumentBuilder {
    var datacenter: String?
    var services: [(name: String, instances: [JSONValue])] = []
    var connect: [(name: String, instances: [JSONValue])] = []
    var nodes: [JSONValue] = []
    var kv: [(key: String, value: JSONValue)] = []
    var files: [(key: String, value: JSONValue)] = []
    var environment: [(key: String, value: JSONValue)] = []
    var agentNode: String?
    var datacenters: [String]?
    var now: String?

    mutating func merge(_ members: [(key: String, value: JSONValue)]) {
        for m in members {
            switch (m.key, m.value) {
            case ("datacenter", .string(let dc)): if datacenter == nil { datacenter = dc }
            case ("services", .object(let byName)): Self.mergeInstances(byName, into: &services)
            case ("connect", .object(let byName)): Self.mergeInstances(byName, into: &connect)
            case ("nodes", .array(let list)):
                for node in list where !nodes.contains(where: { $0["Node"] == node["Node"] && $0["Datacenter"] == node["Datacenter"] }) {
                    nodes.append(node)
                }
            case ("kv", .object(let pairs)):
                for p in pairs where !kv.contains(where: { $0.key == p.key }) { kv.append(p) }
            default: break
            }
        }
    }

    private static func mergeInstances(_ byName: [(key: String, value: JSONValue)], into list: inout [(name: String, instances: [JSONValue])]) {
        for (name, value) in byName {
            guard case .array(let incoming) = value else { continue }
            let i = list.firstIndex { $0.name == name } ?? {
                list.append((name, []))
                return list.count - 1
            }()
            for instance in incoming {
                let same = list[i].instances.firstIndex { $0["Node"] == instance["Node"] && $0["ID"] == instance["ID"] }
                if let same {
                    // An instance seen with its checks (health endpoint) beats one without (node endpoint).
                    if list[i].instances[same]["Checks"] == nil { list[i].instances[same] = instance }
                } else {
                    list[i].instances.append(instance)
                }
            }
        }
    }

    func text() -> String {
        var document: [(key: String, value: JSONValue)] = []
        if let datacenter { document.append(("datacenter", .string(datacenter))) }
        if let now { document.append(("now", .string(now))) }
        if !environment.isEmpty { document.append(("env", .object(environment))) }
        document.append(("services", .object(services.map { ($0.name, .array($0.instances)) })))
        if !connect.isEmpty { document.append(("connect", .object(connect.map { ($0.name, .array($0.instances)) }))) }
        document.append(("kv", .object(kv.sorted { $0.key < $1.key })))
        document.append(("nodes", .array(nodes)))
        if !files.isEmpty { document.append(("files", .object(files))) }
        if let agentNode { document.append(("agent_node", .string(agentNode))) }
        if let datacenters { document.append(("datacenters", .array(datacenters.map { .string($0) }))) }
        return String(decoding: JSONWriter.bytes(.object(document)), as: UTF8.self) + "\n"
    }
}
