/// One piece of registry data a template uses, identified by consul-template's
/// dependency name (`health.service(web|passing)`, `kv.block(app/x)`, …).
///
/// Placeholder shape: the query grammar fills in `kind`.
public struct Dependency: Hashable, Sendable, CustomStringConvertible {
    public let description: String
    public init(description: String) { self.description = description }
}
