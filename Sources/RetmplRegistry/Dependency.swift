import RetmplTemplate

/// One piece of registry data a template uses, identified by consul-template's
/// dependency name (`health.service(web|passing)`, `kv.block(app/x)`, …).
///
/// Two dependencies are equal when their names are equal, exactly as the
/// oracle's brain keys data by `String()`. Values made by the parsers share
/// storage for repeated query strings, so equality and hashing are cheap on
/// the hot path (a pointer comparison and a precomputed hash).
public struct Dependency: Hashable, Sendable, CustomStringConvertible {
    private let storage: Storage

    /// The parsed query.
    public var query: Query { storage.query }
    /// consul-template's name for the dependency (Go's `String()`).
    public var description: String { storage.description }

    /// A dependency for an already-parsed query.
    public init(_ query: Query) {
        storage = Storage(query)
    }

    public static func == (a: Dependency, b: Dependency) -> Bool {
        a.storage === b.storage
            || (a.storage.hash == b.storage.hash && GoFormat.sameBytes(a.storage.description, b.storage.description))
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(storage.hash) }

    private final class Storage: Sendable {
        let query: Query
        let description: String
        let hash: Int
        init(_ query: Query) {
            self.query = query
            self.description = query.name
            self.hash = GoStringKey(description).hashValue
        }
    }

    // MARK: - Queries

    /// What a dependency asks for: the fields consul-template parses out of
    /// the function argument.
    public enum Query: Sendable, Hashable {
        /// `service` (`connect` = false) and `connect`.
        case healthService(HealthServiceQuery)
        /// `services "?ns=..@dc"`.
        case catalogServices(Scope)
        /// `node "name@dc"`; an empty name is the agent's node.
        case catalogNode(name: String, scope: Scope)
        /// `nodes "@dc~near"`.
        case catalogNodes(scope: Scope, near: String)
        /// `datacenters` (both forms share one identity).
        case catalogDatacenters(ignoreFailing: Bool)
        /// `key` (blocking: a missing key never resolves), `keyExists`, `keyOrDefault`.
        case kvGet(key: String, scope: Scope, blocking: Bool)
        /// `ls`, `safeLs`, `tree`, `safeTree`.
        case kvList(prefix: String, scope: Scope)
        /// `file` (the path is already cleaned).
        case file(path: String)

        /// Go's `String()` of the dependency.
        var name: String {
            switch self {
            case .healthService(let q):
                return q.identity
            case .catalogServices(let scope):
                let suffix = scope.suffix
                return suffix.isEmpty ? "catalog.services" : "catalog.services(\(suffix))"
            case .catalogNode(let name, let scope):
                let full = name + scope.suffix
                return full.isEmpty ? "catalog.node" : "catalog.node(\(full))"
            case .catalogNodes(let scope, let near):
                var full = scope.suffix
                if !near.isEmpty { full += "~" + near }
                return full.isEmpty ? "catalog.nodes" : "catalog.nodes(\(full))"
            case .catalogDatacenters:
                return "catalog.datacenters"
            case .kvGet(let key, let scope, let blocking):
                return (blocking ? "kv.block(" : "kv.get(") + key + scope.suffix + ")"
            case .kvList(let prefix, let scope):
                return "kv.list(" + prefix + scope.suffix + ")"
            case .file(let path):
                return "file(" + path + ")"
            }
        }
    }

    /// The datacenter, namespace, partition and peer a query targets (empty = default).
    public struct Scope: Sendable, Hashable {
        public var datacenter: String
        public var namespace: String
        public var partition: String
        public var peer: String

        public init(datacenter: String = "", namespace: String = "", partition: String = "", peer: String = "") {
            self.datacenter = datacenter
            self.namespace = namespace
            self.partition = partition
            self.peer = peer
        }

        /// `@dc@partition=p@ns=n` (peer is only named by health queries).
        var suffix: String {
            var out = ""
            if !datacenter.isEmpty { out += "@" + datacenter }
            if !partition.isEmpty { out += "@partition=" + partition }
            if !namespace.isEmpty { out += "@ns=" + namespace }
            return out
        }
    }

    /// A parsed `service` / `connect` query: `tag.name?query@dc~near|filters`.
    public struct HealthServiceQuery: Sendable, Hashable {
        public var name: String
        public var tag: String
        public var scope: Scope
        public var near: String
        public var samenessGroup: String
        /// Sorted health filters (`any`, `passing`, `warning`, `critical`,
        /// `maintenance`); `[passing]` when the query names none.
        public var filters: [String]
        public var connect: Bool

        public init(
            name: String, tag: String = "", scope: Scope = Scope(), near: String = "",
            samenessGroup: String = "", filters: [String] = ["passing"], connect: Bool = false
        ) {
            self.name = name
            self.tag = tag
            self.scope = scope
            self.near = near
            self.samenessGroup = samenessGroup
            self.filters = filters
            self.connect = connect
        }

        /// Go's `String()`: `health.service(tag.name@dc@peer=p~near|passing)`.
        var identity: String {
            var out = tag.isEmpty ? name : tag + "." + name
            out += scope.suffix
            if !scope.peer.isEmpty { out += "@peer=" + scope.peer }
            if !samenessGroup.isEmpty { out += "@sameness-group=" + samenessGroup }
            if !near.isEmpty { out += "~" + near }
            if !filters.isEmpty { out += "|" + filters.joined(separator: ",") }
            return (connect ? "health.connect(" : "health.service(") + out + ")"
        }
    }
}
