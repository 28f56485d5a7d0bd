import RetmplTemplate
import Foundation

extension Snapshot {
    /// Reads and validates a snapshot file. Throws ``SnapshotError``.
    public static func load(path: String) throws -> Snapshot {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw SnapshotError("open \(path): no such file or directory")
        }
        return try data.withUnsafeBytes { raw in
            try load(json: raw.bindMemory(to: UInt8.self))
        }
    }

    /// Decodes and indexes a snapshot document. Throws ``SnapshotError``.
    public static func load(json text: String) throws -> Snapshot {
        var copy = text
        return try copy.withUTF8 { try load(json: $0) }
    }

    /// Decodes and indexes a snapshot document from UTF-8 bytes. As with Go's
    /// `json.Decoder`, bytes after the first JSON value are not read.
    /// Throws ``SnapshotError``.
    public static func load(json bytes: UnsafeBufferPointer<UInt8>) throws -> Snapshot {
        guard let base = bytes.baseAddress,
              bytes.contains(where: { !($0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09) })
        else { throw SnapshotError("snapshot: EOF") }
        var reader = SnapshotReader(base: base, count: bytes.count)
        do {
            return try reader.read()
        } catch let error as JSONError {
            throw syntaxFailure(error)
        } catch let error as SnapshotError {
            // A custom unmarshaller's error; a syntax error anywhere still wins.
            do {
                _ = try JSONValue.parsePrefix(buffer: bytes)
            } catch let syntax as JSONError {
                throw syntaxFailure(syntax)
            }
            throw error
        }
    }

    private static func syntaxFailure(_ error: JSONError) -> SnapshotError {
        SnapshotError("snapshot: \(error.message) (line \(error.line), column \(error.column))")
    }
}

/// Turns the snapshot document into a ``Snapshot``, field by field.
private struct SnapshotReader: ~Copyable {
    var d: SnapshotDecoder

    init(base: UnsafePointer<UInt8>, count: Int) {
        d = SnapshotDecoder(base: base, count: count)
    }

    static let topFields = FieldTable("dependency.Snapshot", [
        "datacenter", "now", "env", "services", "kv", "nodes", "files", "agent_node", "datacenters", "connect",
    ])
    static let instanceFields = FieldTable("dependency.ServiceInstance", [
        "Node", "NodeID", "NodeAddress", "NodeDatacenter", "NodeTaggedAddresses", "NodeMeta", "Address",
        "ServiceTaggedAddresses", "ID", "Name", "Tags", "Meta", "ServiceMeta", "Port", "Status", "Checks",
        "Weights", "EnableTagOverride", "Namespace", "Partition", "PeerName",
    ])
    static let nodeFields = FieldTable("dependency.SnapshotNode", [
        "ID", "Node", "Address", "Datacenter", "TaggedAddresses", "Meta", "Namespace", "Partition",
    ])
    static let weightsFields = FieldTable("api.AgentWeights", ["Passing", "Warning"])
    static let serviceAddressFields = FieldTable("api.ServiceAddress", ["Address", "Port"])
    static let checkFields = FieldTable("api.HealthCheck", [
        "Node", "CheckID", "Name", "Status", "Notes", "Output", "ServiceID", "ServiceName", "ServiceTags",
        "Type", "Namespace", "Partition", "ExposedPort", "PeerName", "Definition", "CreateIndex", "ModifyIndex",
    ])

    mutating func read() throws -> Snapshot {
        var datacenter = "", now = "", agentNode = ""
        var env: StringPairs?, kv: StringPairs?, files: StringPairs?
        var services: [(key: String, value: [ServiceInstance])]?
        var connect: [(key: String, value: [ServiceInstance])]?
        var nodes: [SnapshotNode]?
        var datacenters: [String]?
        if try d.openObject("dependency.Snapshot") == .items {
            var first = true
            while let field = try d.nextField(SnapshotReader.topFields, first: &first) {
                switch field {
                case 0: try d.string(&datacenter)
                case 1: try d.string(&now)
                case 2: try d.stringMap(&env)
                case 3: try instanceMap(&services)
                case 4: try d.stringMap(&kv)
                case 5: try nodeList(&nodes)
                case 6: try d.stringMap(&files)
                case 7: try d.string(&agentNode)
                case 8: try d.stringSlice(&datacenters)
                default: try instanceMap(&connect)
                }
            }
        }
        if let soft = d.softError { throw soft }
        if datacenter.isEmpty { datacenter = "dc1" }
        var clock = Timestamp.goZero
        if !now.isEmpty {
            do {
                clock = try RFC3339.parse(now)
            } catch {
                throw SnapshotError("snapshot: now: \(error.message)")
            }
        }
        var cleanedFiles: [GoStringKey: String] = [:]
        for (path, contents) in files ?? [] { cleanedFiles[GoStringKey(GoPath.clean(path))] = contents }
        return Snapshot(
            datacenter: datacenter, now: clock, environment: SnapshotReader.dictionary(env),
            services: SnapshotReader.entries(services), connect: SnapshotReader.entries(connect),
            kv: SnapshotReader.dictionary(kv), nodes: nodes ?? [], files: cleanedFiles,
            agentNode: agentNode, datacenters: datacenters, maps: d.maps.items, lists: d.lists.items)
    }

    /// Later duplicates win, as in a Go map.
    private static func dictionary(_ pairs: StringPairs?) -> [GoStringKey: String] {
        var out: [GoStringKey: String] = [:]
        out.reserveCapacity(pairs?.count ?? 0)
        for (k, v) in pairs ?? [] { out[GoStringKey(k)] = v }
        return out
    }

    /// Service keys sorted; a repeated key keeps its last value.
    private static func entries(_ pairs: [(key: String, value: [ServiceInstance])]?) -> [ServiceEntry] {
        let pairs = pairs ?? []
        var last: [GoStringKey: Int] = [:]
        for (i, p) in pairs.enumerated() { last[GoStringKey(p.key)] = i }
        return last.values
            .map { ServiceEntry(key: pairs[$0].key, instances: pairs[$0].value) }
            .sorted { GoString.less($0.key, $1.key) }
    }

    // MARK: - Services

    private mutating func instanceMap(_ target: inout [(key: String, value: [ServiceInstance])]?) throws {
        switch try d.openObject("map[string][]*dependency.ServiceInstance") {
        case .null: target = nil
        case .mismatch: break
        case .empty: if target == nil { target = [] }
        case .items:
            var out = target ?? []
            var first = true
            while let key = try d.nextMapKey(first: &first) {
                var instances: [ServiceInstance] = []
                if try d.openArray("[]*dependency.ServiceInstance") == .items {
                    var index = -1
                    while try d.nextElement(&index) {
                        instances.append(try instance())
                    }
                }
                out.append((key, instances))
            }
            target = out
        }
    }

    private mutating func instance() throws -> ServiceInstance {
        var s = InstanceFields()
        switch try d.openObject("dependency.ServiceInstance") {
        case .null:
            throw d.failure("null service instance")
        case .mismatch, .empty:
            return ServiceInstance(s)
        case .items:
            break
        }
        var first = true
        while let field = try d.nextField(SnapshotReader.instanceFields, first: &first) {
            switch field {
            case 0: try d.string(&s.node)
            case 1: try d.string(&s.nodeID)
            case 2: try d.string(&s.nodeAddress)
            case 3: try d.string(&s.nodeDatacenter)
            case 4: s.nodeTaggedAddresses = try d.sharedMap(s.nodeTaggedAddresses)
            case 5: s.nodeMeta = try d.sharedMap(s.nodeMeta)
            case 6: try d.string(&s.address)
            case 7: try serviceAddresses(&s.serviceTaggedAddresses)
            case 8: try d.string(&s.id)
            case 9: try d.string(&s.name)
            case 10: s.tags = try d.sharedList(s.tags)
            case 11: s.meta = try d.sharedMap(s.meta)
            case 12: s.serviceMeta = try d.sharedMap(s.serviceMeta)
            case 13: try d.int(&s.port)
            case 14: try d.string(&s.status)
            case 15: try checks(&s.checks)
            case 16: try weights(&s.weights)
            case 17: try d.bool(&s.enableTagOverride)
            case 18: try d.string(&s.namespace)
            case 19: try d.string(&s.partition)
            default: try d.string(&s.peerName)
            }
        }
        return ServiceInstance(s)
    }

    private mutating func weights(_ w: inout WeightsData) throws {
        guard try d.openObject("api.AgentWeights") == .items else { return }
        var first = true
        while let field = try d.nextField(SnapshotReader.weightsFields, first: &first) {
            if field == 0 { try d.int(&w.passing) } else { try d.int(&w.warning) }
        }
    }

    private mutating func serviceAddresses(_ target: inout [(key: String, value: ServiceAddressData)]?) throws {
        switch try d.openObject("map[string]api.ServiceAddress") {
        case .null: target = nil
        case .mismatch: break
        case .empty: if target == nil { target = [] }
        case .items:
            var out = target ?? []
            var first = true
            while let key = try d.nextMapKey(first: &first) {
                var a = ServiceAddressData()
                if try d.openObject("api.ServiceAddress") == .items {
                    var firstField = true
                    while let field = try d.nextField(SnapshotReader.serviceAddressFields, first: &firstField) {
                        if field == 0 { try d.string(&a.address) } else { try d.int(&a.port) }
                    }
                }
                out.append((key, a))
            }
            target = out
        }
    }

    private mutating func checks(_ target: inout [HealthCheckData]?) throws {
        switch try d.openArray("api.HealthChecks") {
        case .null: target = nil
        case .mismatch: break
        case .empty: target = []
        case .items:
            var out: [HealthCheckData] = []
            var index = -1
            while try d.nextElement(&index) {
                out.append(try check())
            }
            target = out
        }
    }

    private mutating func check() throws -> HealthCheckData {
        var c = HealthCheckData()
        switch try d.openObject("api.HealthCheck") {
        case .null: throw d.failure("null health check")
        case .mismatch, .empty: return c
        case .items: break
        }
        var first = true
        while let field = try d.nextField(SnapshotReader.checkFields, first: &first) {
            switch field {
            case 0: try d.string(&c.node)
            case 1: try d.string(&c.checkID)
            case 2: try d.string(&c.name)
            case 3: try d.string(&c.status)
            case 4: try d.string(&c.notes)
            case 5: try d.string(&c.output)
            case 6: try d.string(&c.serviceID)
            case 7: try d.string(&c.serviceName)
            case 8: try d.stringSlice(&c.serviceTags)
            case 9: try d.string(&c.type)
            case 10: try d.string(&c.namespace)
            case 11: try d.string(&c.partition)
            case 12: try d.int(&c.exposedPort)
            case 13: try d.string(&c.peerName)
            case 14:
                let value = try d.tree()
                do {
                    try CheckDefinitionDecoder.decode(value, into: &c.definition)
                } catch {
                    throw d.failure(error.message, below: error.path)
                }
            case 15: try d.uint64(&c.createIndex)
            default: try d.uint64(&c.modifyIndex)
            }
        }
        return c
    }

    // MARK: - Nodes

    private mutating func nodeList(_ target: inout [SnapshotNode]?) throws {
        switch try d.openArray("[]*dependency.SnapshotNode") {
        case .null: target = nil
        case .mismatch: break
        case .empty: target = []
        case .items:
            var out: [SnapshotNode] = []
            var index = -1
            while try d.nextElement(&index) {
                var n = SnapshotNode()
                switch try d.openObject("dependency.SnapshotNode") {
                case .null: throw d.failure("null node")
                case .mismatch, .empty: break
                case .items:
                    var first = true
                    while let field = try d.nextField(SnapshotReader.nodeFields, first: &first) {
                        switch field {
                        case 0: try d.string(&n.id)
                        case 1: try d.string(&n.node)
                        case 2: try d.string(&n.address)
                        case 3: try d.string(&n.datacenter)
                        case 4: n.taggedAddresses = try d.sharedMap(n.taggedAddresses)
                        case 5: n.meta = try d.sharedMap(n.meta)
                        case 6: try d.string(&n.namespace)
                        default: try d.string(&n.partition)
                        }
                    }
                }
                out.append(n)
            }
            target = out
        }
    }
}
