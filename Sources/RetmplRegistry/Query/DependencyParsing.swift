import Foundation
import RetmplTemplate

/// Constructors with consul-template's grammar and error messages. Parsed
/// query strings are cached: templates evaluate the same `service "x|passing"`
/// thousands of times per render, and a cache hit also returns the same
/// storage, which makes the later set and dictionary lookups pointer-cheap.
extension Dependency {
    /// `service` / `connect`: `tag.name?ns=..&partition=..&peer=..@dc~near|filter,filter`.
    public static func healthService(_ text: String, connect: Bool) throws(DependencyError) -> Dependency {
        try QueryCache.shared.lookup(connect ? .connect : .service, text) { () throws(DependencyError) in
            try parseHealthService(text, connect: connect)
        }
    }

    /// `services`: `?query@dc`.
    public static func catalogServices(_ text: String) throws(DependencyError) -> Dependency {
        try QueryCache.shared.lookup(.services, text) { () throws(DependencyError) in
            var p = QueryParser(text)
            guard let m = p.scopeOnly(allowNear: false) else {
                throw QueryParser.invalidFormat("catalog.services", text)
            }
            let q = try QueryParser.options(m.query, label: "catalog.services")
            return Dependency(.catalogServices(Scope(datacenter: m.dc, namespace: q["ns"] ?? "", partition: q["partition"] ?? "")))
        }
    }

    /// `node`: `name?query@dc`; "" is the agent's node.
    public static func catalogNode(_ text: String) throws(DependencyError) -> Dependency {
        try QueryCache.shared.lookup(.node, text) { () throws(DependencyError) in
            var name = "", query = "", dc = ""
            if !text.isEmpty {
                var p = QueryParser(text)
                guard let m = p.node() else { throw QueryParser.invalidFormat("catalog.node", text) }
                (name, query, dc) = (m.name, m.query, m.dc)
            }
            let q = try QueryParser.options(query, label: "catalog.node")
            return Dependency(.catalogNode(
                name: name, scope: Scope(datacenter: dc, namespace: q["ns"] ?? "", partition: q["partition"] ?? "")))
        }
    }

    /// `nodes`: `?query@dc~near`.
    public static func catalogNodes(_ text: String) throws(DependencyError) -> Dependency {
        try QueryCache.shared.lookup(.nodes, text) { () throws(DependencyError) in
            var p = QueryParser(text)
            guard let m = p.scopeOnly(allowNear: true) else { throw QueryParser.invalidFormat("catalog.nodes", text) }
            let q = try QueryParser.options(m.query, label: "catalog.nodes")
            return Dependency(.catalogNodes(
                scope: Scope(datacenter: m.dc, namespace: q["ns"] ?? "", partition: q["partition"] ?? ""), near: m.near))
        }
    }

    /// `datacenters` (the flag does not change the identity or the data).
    public static func catalogDatacenters(ignoreFailing: Bool) -> Dependency {
        ignoreFailing ? datacentersIgnoringFailing : datacentersPlain
    }

    private static let datacentersPlain = Dependency(.catalogDatacenters(ignoreFailing: false))
    private static let datacentersIgnoringFailing = Dependency(.catalogDatacenters(ignoreFailing: true))

    /// `key` (`blocking`), `keyExists`, `keyOrDefault`: `/key?query@dc`.
    public static func kvGet(_ text: String, blocking: Bool) throws(DependencyError) -> Dependency {
        try QueryCache.shared.lookup(blocking ? .kvBlock : .kvGet, text) { () throws(DependencyError) in
            let m = try parseKey(text, label: "kv.get")
            return Dependency(.kvGet(key: m.key, scope: m.scope, blocking: blocking))
        }
    }

    /// `ls`, `safeLs`, `tree`, `safeTree`: `/prefix?query@dc`.
    public static func kvList(_ text: String) throws(DependencyError) -> Dependency {
        try QueryCache.shared.lookup(.kvList, text) { () throws(DependencyError) in
            let m = try parseKey(text, label: "kv.list")
            return Dependency(.kvList(prefix: m.key, scope: m.scope))
        }
    }

    /// `file`, for an already-cleaned path.
    public static func file(_ path: String) throws(DependencyError) -> Dependency {
        guard !path.isEmpty else { throw QueryParser.invalidFormat("file", path) }
        return try QueryCache.shared.lookup(.file, path) { () throws(DependencyError) in Dependency(.file(path: path)) }
    }

    // MARK: - Parsers

    private static func parseHealthService(_ text: String, connect: Bool) throws(DependencyError) -> Dependency {
        var p = QueryParser(text)
        guard let m = p.healthService() else { throw QueryParser.invalidFormat("health.service", text) }
        var filters: [String] = []
        if !m.filter.isEmpty {
            for part in m.filter.split(separator: ",", omittingEmptySubsequences: false) {
                switch part {
                case "any", "passing", "warning", "critical", "maintenance":
                    filters.append(String(part))
                case "":
                    break
                default:
                    throw DependencyError(
                        "health.service: invalid filter: \(GoQuote.quote(String(part))) in \(GoQuote.quote(text))")
                }
            }
            filters.sort { GoString.less($0, $1) }
        } else {
            filters = ["passing"]
        }
        let q = try QueryParser.options(m.query, label: "health.service")
        let peer = q["peer"] ?? "", sameness = q["sameness-group"] ?? ""
        if !sameness.isEmpty && !peer.isEmpty {
            throw DependencyError("health.service: cannot specify both peer and sameness-group")
        }
        return Dependency(.healthService(HealthServiceQuery(
            name: m.name, tag: m.tag,
            scope: Scope(datacenter: m.dc, namespace: q["ns"] ?? "", partition: q["partition"] ?? "", peer: peer),
            near: m.near, samenessGroup: sameness, filters: filters, connect: connect)))
    }

    private static func parseKey(_ text: String, label: String) throws(DependencyError) -> (key: String, scope: Scope) {
        guard !text.isEmpty else { return ("", Scope()) }
        var p = QueryParser(text)
        guard let m = p.key() else { throw QueryParser.invalidFormat(label, text) }
        let q = try QueryParser.options(m.query, label: label)
        return (m.key, Scope(datacenter: m.dc, namespace: q["ns"] ?? "", partition: q["partition"] ?? ""))
    }
}

/// A bounded, thread-safe cache of parsed query strings per function kind.
final class QueryCache: @unchecked Sendable {
    enum Kind: UInt8 { case service, connect, services, node, nodes, kvGet, kvBlock, kvList, file }

    /// Query text compared as bytes (Go strings), not by canonical equivalence.
    private struct Key: Hashable {
        let kind: Kind
        let text: GoStringKey
    }

    static let shared = QueryCache()
    /// Enough for every distinct query of any realistic template; past it the
    /// cache starts over rather than growing without bound.
    private static let capacity = 8192

    private let lock = NSLock()
    /// Guarded by `lock`.
    @exclusivity(unchecked) private var entries: [Key: Dependency] = [:]

    func lookup(
        _ kind: Kind, _ text: String, parse: () throws(DependencyError) -> Dependency
    ) throws(DependencyError) -> Dependency {
        let key = Key(kind: kind, text: GoStringKey(text))
        lock.lock()
        let hit = entries[key]
        lock.unlock()
        if let hit { return hit }
        let dependency = try parse()
        lock.lock()
        if entries.count >= QueryCache.capacity { entries.removeAll(keepingCapacity: true) }
        entries[key] = dependency
        lock.unlock()
        return dependency
    }
}
