import Foundation
import RetmplTemplate

/// Key/value pairs of a Go `map[string]string` in document order (a later
/// duplicate wins when converted); nil is Go's nil map.
typealias StringPairs = [(key: String, value: String)]

/// An index into ``Snapshot/maps`` (a `map[string]string`) or
/// ``Snapshot/lists`` (a `[]string`); -1 is Go's nil. Equal JSON texts share
/// one entry, so their template values are built once.
typealias SharedID = Int32

/// The decoded fields of a service instance (filled in place while
/// decoding, then frozen into a ``ServiceInstance``).
struct InstanceFields {
    var node = ""
    var nodeID = ""
    var nodeAddress = ""
    var nodeDatacenter = ""
    var nodeTaggedAddresses: SharedID = -1
    var nodeMeta: SharedID = -1
    var address = ""
    var serviceTaggedAddresses: [(key: String, value: ServiceAddressData)]?
    var id = ""
    var name = ""
    var tags: SharedID = -1
    var meta: SharedID = -1
    var serviceMeta: SharedID = -1
    var port = 0
    var status = ""
    var checks: [HealthCheckData]?
    var weights = WeightsData()
    var enableTagOverride = false
    var namespace = ""
    var partition = ""
    var peerName = ""
}

/// One registered instance of a service, in any health state (the snapshot's
/// `services.NAME[i]` and `connect.NAME[i]`). A class, so the fetch loops
/// pass instances around without copying twenty fields.
final class ServiceInstance {
    let node: String
    let nodeID: String
    let nodeAddress: String
    let nodeDatacenter: String
    let nodeTaggedAddresses: SharedID
    let nodeMeta: SharedID
    let address: String
    let serviceTaggedAddresses: [(key: String, value: ServiceAddressData)]?
    let id: String
    let name: String
    let tags: SharedID
    let meta: SharedID
    let serviceMeta: SharedID
    let port: Int
    let status: String
    let checks: [HealthCheckData]?
    let weights: WeightsData
    let enableTagOverride: Bool
    let namespace: String
    let partition: String
    let peerName: String

    init(_ f: InstanceFields) {
        node = f.node
        nodeID = f.nodeID
        nodeAddress = f.nodeAddress
        nodeDatacenter = f.nodeDatacenter
        nodeTaggedAddresses = f.nodeTaggedAddresses
        nodeMeta = f.nodeMeta
        address = f.address
        serviceTaggedAddresses = f.serviceTaggedAddresses
        id = f.id
        name = f.name
        tags = f.tags
        meta = f.meta
        serviceMeta = f.serviceMeta
        port = f.port
        status = f.status
        checks = f.checks
        weights = f.weights
        enableTagOverride = f.enableTagOverride
        namespace = f.namespace
        partition = f.partition
        peerName = f.peerName
    }

    /// Service meta: `Meta`, or its alias `ServiceMeta` when `Meta` is absent.
    var effectiveMeta: SharedID { meta >= 0 ? meta : serviceMeta }

    /// The aggregated health: `Status` if given, else computed from `Checks`.
    var effectiveStatus: String {
        status.isEmpty ? HealthCheckData.aggregatedStatus(checks ?? []) : status
    }

    /// `Name`, defaulting to the snapshot key.
    func effectiveName(key: String) -> String { name.isEmpty ? key : name }
    /// `ID`, defaulting to the name.
    func effectiveID(key: String) -> String { id.isEmpty ? effectiveName(key: key) : id }
}

/// `api.AgentWeights`.
struct WeightsData {
    var passing = 0
    var warning = 0
}

/// `api.ServiceAddress`.
struct ServiceAddressData {
    var address = ""
    var port = 0
}

/// `api.HealthCheck`.
struct HealthCheckData {
    var node = ""
    var checkID = ""
    var name = ""
    var status = ""
    var notes = ""
    var output = ""
    var serviceID = ""
    var serviceName = ""
    var serviceTags: [String]?
    var type = ""
    var namespace = ""
    var partition = ""
    var exposedPort = 0
    var peerName = ""
    var definition = HealthCheckDefinitionData()
    var createIndex: UInt64 = 0
    var modifyIndex: UInt64 = 0

    /// Consul's `HealthChecks.AggregatedStatus`: maintenance > critical >
    /// warning > passing; an unknown status gives "", no checks "passing".
    static func aggregatedStatus(_ checks: [HealthCheckData]) -> String {
        var maintenance = false, critical = false, warning = false
        for check in checks {
            if check.checkID == "_node_maintenance" || check.checkID.utf8.starts(with: "_service_maintenance:".utf8) {
                maintenance = true
                continue
            }
            switch check.status {
            case "passing": break
            case "warning": warning = true
            case "critical": critical = true
            default: return ""
            }
        }
        if maintenance { return "maintenance" }
        if critical { return "critical" }
        if warning { return "warning" }
        return "passing"
    }
}

/// `api.HealthCheckDefinition` (durations in nanoseconds).
struct HealthCheckDefinitionData {
    var http = ""
    var header: [(key: String, value: [String]?)]?
    var method = ""
    var body = ""
    var tlsServerName = ""
    var tlsSkipVerify = false
    var tcp = ""
    var tcpUseTLS = false
    var udp = ""
    var grpc = ""
    var osService = ""
    var grpcUseTLS = false
    var intervalDuration: Int64 = 0
    var timeoutDuration: Int64 = 0
    var deregisterCriticalServiceAfterDuration: Int64 = 0
    var sessionName = ""
    var interval: Int64 = 0
    var timeout: Int64 = 0
    var deregisterCriticalServiceAfter: Int64 = 0
}

/// One catalog node of the snapshot.
struct SnapshotNode {
    var id = ""
    var node = ""
    var address = ""
    var datacenter = ""
    var taggedAddresses: SharedID = -1
    var meta: SharedID = -1
    var namespace = ""
    var partition = ""
}

/// The service instances of one snapshot key (`services.web`).
struct ServiceEntry {
    let key: String
    let instances: [ServiceInstance]
    /// Template values built from the instances, made once and shared by
    /// every query that returns them.
    let records: RecordCache

    init(key: String, instances: [ServiceInstance]) {
        self.key = key
        self.instances = instances
        self.records = RecordCache(count: instances.count)
    }
}

/// Lazily built template values, one slot per instance or node.
final class RecordCache {
    /// `*dependency.HealthService` (or `*dependency.Node` for nodes).
    var primary: [TemplateValue?]
    /// `*dependency.CatalogNodeService`.
    var nodeService: [TemplateValue?]

    init(count: Int) {
        primary = Array(repeating: nil, count: count)
        nodeService = Array(repeating: nil, count: count)
    }
}

/// A static registry snapshot, validated and indexed. Load one with
/// ``Snapshot/load(json:)`` or ``Snapshot/load(path:)``. Immutable apart
/// from the template values it builds on first use (under a lock), so one
/// snapshot may serve concurrent renders.
public final class Snapshot: @unchecked Sendable {
    /// The default datacenter (`dc1` unless given).
    public let datacenter: String
    /// The clock of `timestamp` (UTC); Go's zero time when `now` is absent.
    public let now: Timestamp
    /// The whole environment `env` and friends see. Keys here, in `kv` and
    /// in `files` compare by their bytes, as Go's map keys do.
    let environment: [GoStringKey: String]

    /// The value of environment variable `name` in the snapshot.
    public func environmentValue(_ name: String) -> String? { environment[GoStringKey(name)] }

    /// Service keys sorted (byte order) with their instances.
    let services: [ServiceEntry]
    let connect: [ServiceEntry]
    /// Lower-cased ASCII service name -> indices into `services` / `connect`
    /// (sorted keys); only keys that Go's `strings.ToLower` maps to ASCII.
    let servicesByLowerName: [String: [Int]]
    let connectByLowerName: [String: [Int]]
    let kv: [GoStringKey: String]
    /// KV keys in byte order.
    let kvKeys: [String]
    let nodes: [SnapshotNode]
    let nodeRecords: RecordCache
    /// Maps and string lists of instances and nodes (see ``SharedID``).
    let maps: [StringPairs]
    let lists: [[String]]
    /// Template values of `maps` and sorted `lists`, built on first use.
    let shared: SharedValues
    /// Serialises fetches, which fill the record caches.
    let fetchLock = NSLock()
    /// Files by cleaned path.
    let files: [GoStringKey: String]
    let agentNode: String
    let datacenters: [String]?

    init(
        datacenter: String, now: Timestamp, environment: [GoStringKey: String],
        services: [ServiceEntry], connect: [ServiceEntry], kv: [GoStringKey: String],
        nodes: [SnapshotNode], files: [GoStringKey: String], agentNode: String, datacenters: [String]?,
        maps: [StringPairs], lists: [[String]]
    ) {
        self.datacenter = datacenter
        self.now = now
        self.environment = environment
        self.services = services
        self.connect = connect
        self.servicesByLowerName = Snapshot.indexByLowerName(services)
        self.connectByLowerName = Snapshot.indexByLowerName(connect)
        self.kv = kv
        self.kvKeys = kv.keys.map(\.string).sorted { GoString.less($0, $1) }
        self.nodes = nodes
        self.nodeRecords = RecordCache(count: nodes.count)
        self.maps = maps
        self.lists = lists
        self.shared = SharedValues(maps: maps.count, lists: lists.count)
        self.files = files
        self.agentNode = agentNode
        self.datacenters = datacenters
    }

    /// The strings of a shared list (nil: empty).
    @inline(__always)
    func list(_ id: SharedID) -> [String] { id >= 0 ? lists[Int(id)] : [] }

    private static func indexByLowerName(_ entries: [ServiceEntry]) -> [String: [Int]] {
        var out: [String: [Int]] = [:]
        for (i, entry) in entries.enumerated() {
            guard let lower = asciiLowered(entry.key) else { continue }
            out[lower, default: []].append(i)
        }
        return out
    }

    /// Go's `strings.ToLower(s)` when it is ASCII, else nil (no query can name it).
    static func asciiLowered(_ s: String) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(s.utf8.count)
        for scalar in s.unicodeScalars {
            switch scalar.value {
            case 0x41...0x5A: bytes.append(UInt8(scalar.value + 0x20))
            case 0..<0x80: bytes.append(UInt8(scalar.value))
            case 0x130: bytes.append(UInt8(ascii: "i"))
            case 0x212A: bytes.append(UInt8(ascii: "k"))
            default: return nil
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }
}
