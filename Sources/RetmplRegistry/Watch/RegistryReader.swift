public import RetmplTemplate

/// One answer of a registry read.
public struct RegistryAnswer: Sendable {
    /// The template data, packed (it is kept until the next answer); nil
    /// while it does not exist (a `key` on an absent key).
    public var data: PackedValue?
    /// The template data, rebuilt from ``data``.
    public var value: TemplateValue? { data?.value }
    /// The index for the next blocking read; nil when the source cannot block
    /// (the watch then polls after ``pollInterval``).
    public var index: UInt64?
    /// Equal for identical data, so a new index with the same data renders nothing.
    public var fingerprint: UInt64
    /// How stale a `?stale` read may be (`X-Consul-LastContact`).
    public var lastContact: Duration
    /// For sources that cannot block: how long to wait before reading again.
    public var pollInterval: Duration

    public init(value: TemplateValue?, index: UInt64?, fingerprint: UInt64, lastContact: Duration = .zero, pollInterval: Duration = .seconds(15)) {
        self.data = value.map(PackedValue.init)
        self.index = index
        self.fingerprint = fingerprint
        self.lastContact = lastContact
        self.pollInterval = pollInterval
    }
}

/// Reads dependencies from a live registry: the seam between the watch loop
/// and Consul (or a test double).
public protocol RegistryReader: Sendable {
    /// Reads `dependency`. With `index` it is a blocking read that returns
    /// when the data moves past `index` or `wait` runs out.
    func read(_ dependency: Dependency, index: UInt64?, wait: Duration, stale: Bool) async throws -> RegistryAnswer
    /// A cheap request that succeeds when the registry answers at all; used
    /// during an outage so recovery does not wait out a long backoff.
    func probe() async throws
    /// Registry-wide change views that let many `service` dependencies share
    /// a few long-polls; nil when the registry has none.
    var serviceFeed: (any ServiceFeedSource)? { get }
}

/// FNV-1a over bytes: a fingerprint of an answer's body.
@inlinable
public func fingerprint(_ bytes: [UInt8], seed: UInt64 = 0xcbf2_9ce4_8422_2325) -> UInt64 {
    var h = seed
    for b in bytes {
        h ^= UInt64(b)
        h &*= 0x100_0000_01b3
    }
    return h
}
