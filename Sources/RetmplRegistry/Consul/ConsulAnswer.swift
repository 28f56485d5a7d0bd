public import RetmplTemplate
import Foundation

/// Turns a Consul answer into the template data consul-template gives the
/// same query.
///
/// The answer is restated as a one-query snapshot document and read back
/// through ``Snapshot/fetch(_:)``, so live data and snapshot data go through
/// the same rules (sort orders, client-side health filters, `Address`
/// fallback, `ls`/`tree` keys) and cannot drift apart.
public enum ConsulAnswer {
    /// The template value for `query` given Consul's response body.
    ///
    /// - Parameter exists: false for a KV read of an absent key (HTTP 404).
    /// - Returns: nil while the data does not exist (a `key` on an absent key).
    /// - Throws: ``ConsulAnswerError`` when the body is not the JSON this endpoint returns.
    public static func value(for query: Dependency.Query, body: [UInt8], exists: Bool = true) throws(ConsulAnswerError) -> TemplateValue? {
        try decode(for: query, body: body, exists: exists).value
    }

    /// The template value and a fingerprint of what the template can see of
    /// it: Raft indexes Consul adds to nodes and services (which move on a
    /// restore or an unrelated write) do not count, so "new index, same data"
    /// renders nothing, as consul-template compares its decoded data.
    public static func decode(for query: Dependency.Query, body: [UInt8], exists: Bool = true) throws(ConsulAnswerError) -> (value: TemplateValue?, fingerprint: UInt64) {
        let json = try parse(query, body, exists)
        switch query {
        case .catalogServices: return (try catalogServices(query, json), fingerprint(body))
        case .catalogDatacenters:
            guard case .array(let items) = json else { throw ConsulAnswerError(query: query, message: "expected a list of datacenters") }
            var names: [String] = []
            for case .string(let s) in items { names.append(s) }
            return (.strings(names.sorted { GoString.less($0, $1) }), fingerprint(body))
        default:
            break
        }
        guard let restated = restate(query, json) else { throw ConsulAnswerError(query: query, message: "not a Consul query") }
        let text = JSONWriter.bytes(.object(restated.document))
        do {
            let snapshot = try text.withUnsafeBufferPointer { try Snapshot.load(json: $0) }
            let value = snapshot.fetch(restated.query)
            // nil (absent) and present data must never share a fingerprint.
            return (value, value == nil ? ~fingerprint(text) : fingerprint(text))
        } catch {
            throw ConsulAnswerError(query: query, message: "unexpected answer: \(error)")
        }
    }

    /// The answer restated as snapshot-document members (`services`,
    /// `nodes`, `kv`, `datacenter`…), for capturing live state into a
    /// snapshot file. Nil for answers a snapshot derives from other data
    /// (`services`, `datacenters`).
    static func snapshotMembers(for query: Dependency.Query, body: [UInt8], exists: Bool) throws(ConsulAnswerError) -> [(key: String, value: JSONValue)]? {
        restate(query, try parse(query, body, exists))?.document
    }

    private static func parse(_ query: Dependency.Query, _ body: [UInt8], _ exists: Bool) throws(ConsulAnswerError) -> JSONValue {
        do {
            return exists && !body.isEmpty ? try JSONValue.parse(bytes: body) : .null
        } catch {
            throw ConsulAnswerError(query: query, message: "invalid JSON: \(error)")
        }
    }

    /// A one-query snapshot document for the answer, and the query to fetch
    /// from it (scoped to what Consul already filtered); nil for answers that
    /// are not restated.
    private static func restate(_ query: Dependency.Query, _ json: JSONValue) -> (document: [(key: String, value: JSONValue)], query: Dependency.Query)? {
        switch query {
        case .healthService(let q): return health(q, json)
        case .catalogNode: return catalogNode(json)
        case .catalogNodes(let scope, let near): return catalogNodes(scope, near, json)
        case .kvGet(let key, _, let blocking):
            return ([("kv", .object(pairs(json)))], .kvGet(key: key, scope: Dependency.Scope(), blocking: blocking))
        case .kvList(let prefix, _):
            return ([("kv", .object(pairs(json)))], .kvList(prefix: prefix, scope: Dependency.Scope()))
        case .catalogServices, .catalogDatacenters, .file:
            return nil
        }
    }

    // MARK: - Health

    private static func health(_ q: Dependency.HealthServiceQuery, _ json: JSONValue) -> ([(key: String, value: JSONValue)], Dependency.Query) {
        var datacenter = q.scope.datacenter
        var instances: [JSONValue] = []
        for entry in array(json) {
            let node = entry["Node"] ?? .null
            let service = entry["Service"] ?? .null
            if datacenter.isEmpty, case .string(let dc)? = node["Datacenter"] { datacenter = dc }
            var members = nodeMembers(node)
            members += copy(service, [
                ("Address", "Address"), ("TaggedAddresses", "ServiceTaggedAddresses"), ("ID", "ID"),
                ("Service", "Name"), ("Tags", "Tags"), ("Meta", "Meta"), ("Port", "Port"),
                ("Weights", "Weights"), ("EnableTagOverride", "EnableTagOverride"),
            ])
            members.append(("Namespace", .string(nonEmpty(service["Namespace"], q.scope.namespace))))
            members.append(("Partition", .string(nonEmpty(service["Partition"], q.scope.partition))))
            members.append(("PeerName", .string(nonEmpty(service["PeerName"], q.scope.peer))))
            members.append(("Checks", .array(array(entry["Checks"] ?? .null).map(check))))
            instances.append(.object(members))
        }
        var local = q
        local.scope = Dependency.Scope(namespace: q.scope.namespace, partition: q.scope.partition, peer: q.scope.peer)
        var document: [(key: String, value: JSONValue)] = []
        if !datacenter.isEmpty { document.append(("datacenter", .string(datacenter))) }
        document.append((q.connect ? "connect" : "services", .object([(q.name, .array(instances))])))
        return (document, .healthService(local))
    }

    /// The instance fields that come from the node (`Node`, `NodeAddress`, …).
    private static func nodeMembers(_ node: JSONValue) -> [(key: String, value: JSONValue)] {
        copy(node, [
            ("Node", "Node"), ("ID", "NodeID"), ("Address", "NodeAddress"), ("Datacenter", "NodeDatacenter"),
            ("TaggedAddresses", "NodeTaggedAddresses"), ("Meta", "NodeMeta"),
        ])
    }

    private static let checkFields: Set<String> = [
        "Node", "CheckID", "Name", "Status", "Notes", "Output", "ServiceID", "ServiceName", "ServiceTags",
        "Type", "Namespace", "Partition", "ExposedPort", "PeerName", "CreateIndex", "ModifyIndex",
    ]
    private static let definitionFields = Set(CheckDefinitionDecoder.fields.names)

    /// A health check with only the fields consul-template's `api.HealthCheck` has.
    private static func check(_ value: JSONValue) -> JSONValue {
        guard case .object(let members) = value else { return value }
        var out = members.filter { checkFields.contains($0.key) }
        if case .object(let definition)? = value["Definition"] {
            out.append(("Definition", .object(definition.filter { definitionFields.contains($0.key) })))
        }
        return .object(out)
    }

    // MARK: - Catalog

    /// `/v1/catalog/services` is a name → tags object: services sorted by
    /// name, tags sorted and de-duplicated (Go returns nil when empty).
    private static func catalogServices(_ query: Dependency.Query, _ json: JSONValue) throws(ConsulAnswerError) -> TemplateValue {
        guard case .object(let members) = json else {
            if case .null = json { return .null(RegistryTypes.catalogSnippetList) }
            throw ConsulAnswerError(query: query, message: "expected an object of service names")
        }
        var byName: [String: [String]] = [:]
        for m in members {
            var tags = byName[m.key] ?? []
            for case .string(let t) in array(m.value) where !tags.contains(where: { GoFormat.sameBytes($0, t) }) { tags.append(t) }
            byName[m.key] = tags
        }
        if byName.isEmpty { return .null(RegistryTypes.catalogSnippetList) }
        let names = byName.keys.sorted { GoString.less($0, $1) }
        return .list(TemplateList(type: RegistryTypes.catalogSnippetList, elements: names.map { name in
            let tags = (byName[name] ?? []).sorted { GoString.less($0, $1) }
            return .record(TemplateRecord(type: RegistryTypes.catalogSnippet, fields: [
                .string(name), .list(TemplateList(type: RegistryTypes.serviceTagsType, elements: tags.map { .string($0) })),
            ]))
        }))
    }

    private static let nodeFields: [(String, String)] = [
        ("ID", "ID"), ("Node", "Node"), ("Address", "Address"), ("Datacenter", "Datacenter"),
        ("TaggedAddresses", "TaggedAddresses"), ("Meta", "Meta"), ("Partition", "Partition"),
    ]

    private static func catalogNode(_ json: JSONValue) -> ([(key: String, value: JSONValue)], Dependency.Query) {
        guard let node = json["Node"], case .string(let name)? = node["Node"] else {
            // Unknown node: Consul answers null; the snapshot gives the empty CatalogNode.
            return ([], .catalogNode(name: "", scope: Dependency.Scope()))
        }
        var services: [(key: String, value: JSONValue)] = []
        if case .object(let byID)? = json["Services"] {
            for (_, service) in byID {
                var members = copy(node, [("Node", "Node"), ("Address", "NodeAddress"), ("Datacenter", "NodeDatacenter")])
                members += copy(service, [
                    ("Address", "Address"), ("TaggedAddresses", "ServiceTaggedAddresses"), ("ID", "ID"),
                    ("Service", "Name"), ("Tags", "Tags"), ("Meta", "Meta"), ("Port", "Port"),
                    ("Weights", "Weights"), ("EnableTagOverride", "EnableTagOverride"),
                    ("Namespace", "Namespace"), ("Partition", "Partition"),
                ])
                let key: String
                if case .string(let s)? = service["Service"] { key = s } else { key = "" }
                if let i = services.firstIndex(where: { $0.key == key }), case .array(let list) = services[i].value {
                    services[i].value = .array(list + [.object(members)])
                } else {
                    services.append((key, .array([.object(members)])))
                }
            }
        }
        var document: [(key: String, value: JSONValue)] = []
        var partition = ""
        if case .string(let dc)? = node["Datacenter"], !dc.isEmpty { document.append(("datacenter", .string(dc))) }
        if case .string(let p)? = node["Partition"] { partition = p }
        document.append(("nodes", .array([.object(copy(node, nodeFields))])))
        document.append(("services", .object(services)))
        return (document, .catalogNode(name: name, scope: Dependency.Scope(partition: partition)))
    }

    private static func catalogNodes(_ scope: Dependency.Scope, _ near: String, _ json: JSONValue) -> ([(key: String, value: JSONValue)], Dependency.Query) {
        let nodes = array(json)
        var datacenter = scope.datacenter
        if datacenter.isEmpty, case .string(let dc)? = nodes.first?["Datacenter"] { datacenter = dc }
        var document: [(key: String, value: JSONValue)] = []
        if !datacenter.isEmpty { document.append(("datacenter", .string(datacenter))) }
        document.append(("nodes", .array(nodes.map { .object(copy($0, nodeFields)) })))
        return (document, .catalogNodes(scope: Dependency.Scope(partition: scope.partition), near: near))
    }

    // MARK: - KV

    /// KV entries as `key: value` members, values base64-decoded (null = "").
    private static func pairs(_ json: JSONValue) -> [(key: String, value: JSONValue)] {
        array(json).compactMap { entry in
            guard case .string(let key)? = entry["Key"] else { return nil }
            var value = ""
            if case .string(let encoded)? = entry["Value"], let data = Data(base64Encoded: encoded) {
                value = String(decoding: data, as: UTF8.self)
            }
            return (key, .string(value))
        }
    }

    // MARK: - Helpers

    private static func array(_ json: JSONValue) -> [JSONValue] {
        if case .array(let items) = json { return items }
        return []
    }

    /// Members of `object` renamed by `fields` (from, to); absent ones are left out.
    private static func copy(_ object: JSONValue, _ fields: [(String, String)]) -> [(key: String, value: JSONValue)] {
        fields.compactMap { from, to in object[from].map { (to, $0) } }
    }

    private static func nonEmpty(_ value: JSONValue?, _ fallback: String) -> String {
        if case .string(let s)? = value, !s.isEmpty { return s }
        return fallback
    }
}

/// Consul answered with a body that is not what the endpoint returns.
public struct ConsulAnswerError: Error, Sendable, CustomStringConvertible {
    public let query: Dependency.Query
    public let message: String
    public var description: String { "\(Dependency(query)): \(message)" }
}
