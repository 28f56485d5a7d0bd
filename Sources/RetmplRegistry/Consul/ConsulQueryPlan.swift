/// How one dependency is read from Consul's HTTP API: the endpoint and
/// parameters consul-template sends for it, and whether it can block.
public struct ConsulQueryPlan: Sendable {
    public var path: String
    public var parameters: [(String, String)]
    /// Whether the endpoint supports `?index=` blocking queries.
    public var blocks: Bool

    /// The plan for `query`; nil for dependencies Consul does not serve (`file`).
    public init?(_ query: Dependency.Query) {
        switch query {
        case .healthService(let q):
            path = (q.connect ? "/v1/health/connect/" : "/v1/health/service/") + q.name
            parameters = Self.scope(q.scope, peer: true)
            if !q.tag.isEmpty { parameters.append(("tag", q.tag)) }
            if !q.near.isEmpty { parameters.append(("near", q.near)) }
            if !q.samenessGroup.isEmpty { parameters.append(("sameness-group", q.samenessGroup)) }
            // consul-template asks Consul to filter only for the default
            // `passing`; other health filters are applied client-side.
            if q.filters == ["passing"] { parameters.append(("passing", "")) }
            blocks = true
        case .catalogServices(let scope):
            path = "/v1/catalog/services"
            parameters = Self.scope(scope, peer: false)
            blocks = true
        case .catalogNode(let name, let scope):
            path = "/v1/catalog/node/" + name
            parameters = Self.scope(scope, peer: false)
            blocks = true
        case .catalogNodes(let scope, let near):
            path = "/v1/catalog/nodes"
            parameters = Self.scope(scope, peer: false)
            if !near.isEmpty { parameters.append(("near", near)) }
            blocks = true
        case .catalogDatacenters:
            path = "/v1/catalog/datacenters"
            parameters = []
            blocks = false
        case .kvGet(let key, let scope, _):
            path = "/v1/kv/" + key
            parameters = Self.scope(scope, peer: false)
            blocks = true
        case .kvList(let prefix, let scope):
            path = "/v1/kv/" + prefix
            parameters = Self.scope(scope, peer: false) + [("recurse", "")]
            blocks = true
        case .file:
            return nil
        }
    }

    /// `dc`, `ns`, `partition` (and `peer`) parameters for a scope.
    static func scope(_ s: Dependency.Scope, peer: Bool) -> [(String, String)] {
        var out: [(String, String)] = []
        if !s.datacenter.isEmpty { out.append(("dc", s.datacenter)) }
        if !s.namespace.isEmpty { out.append(("ns", s.namespace)) }
        if !s.partition.isEmpty { out.append(("partition", s.partition)) }
        if peer && !s.peer.isEmpty { out.append(("peer", s.peer)) }
        return out
    }
}
