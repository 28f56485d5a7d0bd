import RetmplTemplate

/// Template values shared by many records: each distinct map and tag list
/// of the snapshot is converted once, and weights are interned. Used under
/// the ``SnapshotSource`` lock.
final class SharedValues {
    var maps: [TemplateValue?]
    var sortedLists: [TemplateValue?]
    private var weights: [Int: TemplateValue] = [:]

    init(maps: Int, lists: Int) {
        self.maps = Array(repeating: nil, count: maps)
        self.sortedLists = Array(repeating: nil, count: lists)
    }

    /// The `api.AgentWeights` value for small weights (others are made each time).
    func weights(_ w: WeightsData, _ make: () -> TemplateValue) -> TemplateValue {
        guard w.passing >= 0 && w.passing < 1 << 20 && w.warning >= 0 && w.warning < 1 << 20 else { return make() }
        let key = w.passing << 20 | w.warning
        if let hit = weights[key] { return hit }
        let v = make()
        weights[key] = v
        return v
    }
}

/// Builds the template values of registry data (consul-template's structs)
/// from snapshot entries.
enum SnapshotRecords {
    /// A `map[string]string`, or a typed nil map.
    static func stringMap(_ id: SharedID, _ snapshot: Snapshot) -> TemplateValue {
        guard id >= 0 else { return .null(.stringStringMap) }
        let i = Int(id)
        if let cached = snapshot.shared.maps[i] { return cached }
        let value = TemplateValue.map(TemplateMap(
            type: .stringStringMap, unsorted: snapshot.maps[i].map { (key: .string($0.key), value: .string($0.value)) }))
        snapshot.shared.maps[i] = value
        return value
    }

    /// Empty `dependency.ServiceTags`.
    private static let noTags = TemplateValue.list(TemplateList(type: RegistryTypes.serviceTagsType, elements: []))

    /// A `dependency.ServiceTags`: a sorted (byte order), never-nil copy.
    static func sortedTags(_ id: SharedID, _ snapshot: Snapshot) -> TemplateValue {
        guard id >= 0 else { return noTags }
        let i = Int(id)
        if let cached = snapshot.shared.sortedLists[i] { return cached }
        let sorted = snapshot.lists[i].sorted { GoString.less($0, $1) }
        let value = TemplateValue.list(TemplateList(type: RegistryTypes.serviceTagsType, elements: sorted.map { .string($0) }))
        snapshot.shared.sortedLists[i] = value
        return value
    }

    /// An `api.AgentWeights` value.
    static func weights(_ w: WeightsData, _ snapshot: Snapshot) -> TemplateValue {
        snapshot.shared.weights(w) {
            .record(TemplateRecord(
                type: RegistryTypes.agentWeights, fields: [.int(w.passing), .int(w.warning)], isPointer: false))
        }
    }

    static func stringSlice(_ values: [String]?) -> TemplateValue {
        guard let values else { return .null(.stringSlice) }
        return .strings(values)
    }

    /// `*dependency.HealthService`.
    static func healthService(_ entry: ServiceEntry, _ index: Int, _ snapshot: Snapshot) -> TemplateValue {
        if let cached = entry.records.primary[index] { return cached }
        let i = entry.instances[index], key = entry.key
        let fields: [TemplateValue] = [
            .string(i.node),
            .string(i.nodeID),
            .string(i.nodeAddress),
            stringMap(i.nodeTaggedAddresses, snapshot),
            stringMap(i.nodeMeta, snapshot),
            stringMap(i.effectiveMeta, snapshot),
            .string(i.address.isEmpty ? i.nodeAddress : i.address),
            serviceAddresses(i.serviceTaggedAddresses),
            .string(i.effectiveID(key: key)),
            .string(i.effectiveName(key: key)),
            sortedTags(i.tags, snapshot),
            checks(i.checks),
            .string(i.effectiveStatus),
            .int(i.port),
            weights(i.weights, snapshot),
        ]
        let record = TemplateValue.record(TemplateRecord(type: RegistryTypes.healthService, fields: fields))
        entry.records.primary[index] = record
        return record
    }

    /// `*dependency.CatalogNodeService` (the raw service address, no node fallback).
    static func catalogNodeService(_ entry: ServiceEntry, _ index: Int, _ snapshot: Snapshot) -> TemplateValue {
        if let cached = entry.records.nodeService[index] { return cached }
        let i = entry.instances[index], key = entry.key
        let record = TemplateValue.record(TemplateRecord(type: RegistryTypes.catalogNodeService, fields: [
            .string(i.effectiveID(key: key)),
            .string(i.effectiveName(key: key)),
            sortedTags(i.tags, snapshot),
            stringMap(i.effectiveMeta, snapshot),
            .int(i.port),
            .string(i.address),
            .bool(i.enableTagOverride),
        ]))
        entry.records.nodeService[index] = record
        return record
    }

    /// `*dependency.Node` (`Datacenter` defaults to the snapshot's).
    static func node(
        _ nodes: [SnapshotNode], _ cache: RecordCache, _ index: Int, defaultDatacenter: String, _ snapshot: Snapshot
    ) -> TemplateValue {
        if let cached = cache.primary[index] { return cached }
        let n = nodes[index]
        let record = TemplateValue.record(TemplateRecord(type: RegistryTypes.node, fields: [
            .string(n.id),
            .string(n.node),
            .string(n.address),
            .string(n.datacenter.isEmpty ? defaultDatacenter : n.datacenter),
            stringMap(n.taggedAddresses, snapshot),
            stringMap(n.meta, snapshot),
        ]))
        cache.primary[index] = record
        return record
    }

    /// `*dependency.KeyPair`.
    static func keyPair(path: String, key: String, value: String) -> TemplateValue {
        .record(TemplateRecord(type: RegistryTypes.keyPair, fields: [
            .string(path), .string(key), .string(value),
            .uint(0, .uint64), .uint(0, .uint64), .uint(0, .uint64), .uint(0, .uint64),
            .string(""),
        ]))
    }

    private static func serviceAddresses(_ pairs: [(key: String, value: ServiceAddressData)]?) -> TemplateValue {
        guard let pairs else { return .null(RegistryTypes.serviceAddressMapType) }
        return .map(TemplateMap(type: RegistryTypes.serviceAddressMapType, unsorted: pairs.map {
            (key: .string($0.key), value: .record(TemplateRecord(
                type: RegistryTypes.serviceAddress,
                fields: [.string($0.value.address), .int($0.value.port)], isPointer: false)))
        }))
    }

    /// `api.HealthChecks` (`[]*api.HealthCheck`), nil when absent.
    private static func checks(_ checks: [HealthCheckData]?) -> TemplateValue {
        guard let checks else { return .null(RegistryTypes.healthChecksType) }
        return .list(TemplateList(type: RegistryTypes.healthChecksType, elements: checks.map(check)))
    }

    private static func check(_ c: HealthCheckData) -> TemplateValue {
        .record(TemplateRecord(type: RegistryTypes.healthCheck, fields: [
            .string(c.node),
            .string(c.checkID),
            .string(c.name),
            .string(c.status),
            .string(c.notes),
            .string(c.output),
            .string(c.serviceID),
            .string(c.serviceName),
            stringSlice(c.serviceTags),
            .string(c.type),
            .string(c.namespace),
            .string(c.partition),
            .int(c.exposedPort),
            .string(c.peerName),
            definition(c.definition),
            .uint(c.createIndex, .uint64),
            .uint(c.modifyIndex, .uint64),
        ]))
    }

    /// The all-zero definition most checks carry, built once and shared
    /// (records are immutable): ~0.5 KB saved per check at 100,000 checks.
    private static let emptyDefinition = makeDefinition(HealthCheckDefinitionData())

    private static func definition(_ d: HealthCheckDefinitionData) -> TemplateValue {
        if d.header == nil && d.http.isEmpty && d.method.isEmpty && d.body.isEmpty && d.tlsServerName.isEmpty
            && !d.tlsSkipVerify && d.tcp.isEmpty && !d.tcpUseTLS && d.udp.isEmpty && d.grpc.isEmpty
            && d.osService.isEmpty && !d.grpcUseTLS && d.intervalDuration == 0 && d.timeoutDuration == 0
            && d.deregisterCriticalServiceAfterDuration == 0 && d.sessionName.isEmpty && d.interval == 0
            && d.timeout == 0 && d.deregisterCriticalServiceAfter == 0 {
            return emptyDefinition
        }
        return makeDefinition(d)
    }

    private static func makeDefinition(_ d: HealthCheckDefinitionData) -> TemplateValue {
        let header: TemplateValue
        if let pairs = d.header {
            header = .map(TemplateMap(type: RegistryTypes.headerMapType, unsorted: pairs.map {
                (key: .string($0.key), value: stringSlice($0.value))
            }))
        } else {
            header = .null(RegistryTypes.headerMapType)
        }
        return .record(TemplateRecord(type: RegistryTypes.healthCheckDefinition, fields: [
            .string(d.http),
            header,
            .string(d.method),
            .string(d.body),
            .string(d.tlsServerName),
            .bool(d.tlsSkipVerify),
            .string(d.tcp),
            .bool(d.tcpUseTLS),
            .string(d.udp),
            .string(d.grpc),
            .string(d.osService),
            .bool(d.grpcUseTLS),
            .int(d.intervalDuration, .int64),
            .int(d.timeoutDuration, .int64),
            .int(d.deregisterCriticalServiceAfterDuration, .int64),
            .string(d.sessionName),
            .int(d.interval, .int64),
            .int(d.timeout, .int64),
            .int(d.deregisterCriticalServiceAfter, .int64),
        ], isPointer: false))
    }
}
