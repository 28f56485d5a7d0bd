/// How watches read the registry: blocking-query timing, stale reads, retries.
public struct WatchPolicy: Sendable {
    /// `wait` of a blocking query (`block_query_wait`; consul-template: 60s).
    public var blockQueryWait: Duration
    /// Stale reads are allowed up to this staleness; a staler answer is
    /// read again consistently. Zero turns stale reads off (`max_stale`, default 2s).
    public var maxStale: Duration
    /// The least time between the starts of two reads of one watch, so a
    /// flapping key cannot make a watch spin (consul-template: 100ms).
    public var minimumSpacing: Duration
    public var retry: RetryPolicy
    /// From this many `service` dependencies on, they share the registry's
    /// change feed (two long-polls) instead of a long-poll each; nil never.
    public var serviceFeedThreshold: Int?

    public init(
        blockQueryWait: Duration = .seconds(60), maxStale: Duration = .seconds(2), minimumSpacing: Duration = .milliseconds(100),
        retry: RetryPolicy = RetryPolicy(), serviceFeedThreshold: Int? = 32
    ) {
        self.serviceFeedThreshold = serviceFeedThreshold
        self.blockQueryWait = blockQueryWait
        self.maxStale = maxStale
        self.minimumSpacing = minimumSpacing
        self.retry = retry
    }
}

/// Capped exponential backoff with jitter, reset on success.
public struct RetryPolicy: Sendable {
    /// Whether failed reads are retried at all (`retry.enabled`).
    public var enabled: Bool
    /// Attempts before giving up; 0 retries forever (consul-template's
    /// default of 12 makes a daemon exit during a long outage).
    public var attempts: Int
    public var backoff: Duration
    public var maxBackoff: Duration

    public init(enabled: Bool = true, attempts: Int = 0, backoff: Duration = .milliseconds(250), maxBackoff: Duration = .seconds(60)) {
        self.enabled = enabled
        self.attempts = attempts
        self.backoff = backoff
        self.maxBackoff = maxBackoff
    }

    /// The wait before retry number `attempt` (1-based): backoff·2^(attempt-1),
    /// capped, with ±25% jitter so many watches do not retry in lockstep.
    public func delay(attempt: Int, jitter: Double = Double.random(in: 0.75...1.25)) -> Duration {
        let base = Double(backoff.components.seconds) + Double(backoff.components.attoseconds) / 1e18
        let cap = Double(maxBackoff.components.seconds) + Double(maxBackoff.components.attoseconds) / 1e18
        let raw = min(base * pow2(min(attempt - 1, 40)), cap)
        return .milliseconds(Int64(min(raw * jitter, cap) * 1000))
    }

    /// Whether another attempt is allowed after `failures` consecutive failures.
    public func allows(failures: Int) -> Bool {
        enabled && (attempts <= 0 || failures <= attempts)
    }

    private func pow2(_ n: Int) -> Double { Double(1 << UInt64(max(n, 0))) }
}

/// Consul's blocking-query index rules.
public struct BlockingIndex: Sendable, Equatable {
    /// The index to send next; 0 means "do not block" (first read, or after a reset).
    public private(set) var current: UInt64 = 0

    public init() {}

    /// Takes the index of an answer. Returns true when the index went
    /// backwards (a Consul snapshot restore or leader change): the next read
    /// starts over without blocking.
    @discardableResult
    public mutating func advance(to new: UInt64?) -> Bool {
        guard let new else { current = 0; return false }
        if new < current {
            current = 0
            return true
        }
        // An index below 1 would make Consul answer at once, forever.
        current = max(new, 1)
        return false
    }
}
