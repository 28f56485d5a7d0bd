public import RetmplTemplate
import Foundation

/// What a watch reports.
public enum WatchEvent: Sendable {
    /// New data for a dependency (nil: it does not exist yet).
    case data(Dependency, TemplateValue?)
    /// A read failed; the watch retries after a backoff. `attempt` counts
    /// consecutive failures.
    case failed(Dependency, error: String, attempt: Int)
    /// The watch stopped retrying (`retry.attempts` reached, or retries off).
    case gaveUp(Dependency, error: String)
}

/// Keeps one watch per unique dependency and reports new data.
///
/// ``update(_:)`` is given the set of dependencies templates use now: new
/// ones start, ones no template uses any more stop. Each watch blocks on
/// the registry, drops answers with identical data, spaces its reads,
/// retries with backoff, and ends promptly when stopped.
public final class Watcher: @unchecked Sendable {
    private let reader: any RegistryReader
    private let policy: WatchPolicy
    private let emit: @Sendable (WatchEvent) -> Void
    private let probe: RecoveryProbe
    private let lock = NSLock()
    private var watches: [Dependency: Task<Void, Never>] = [:]
    private var feed: ServiceChangeFeed?

    /// - Parameter emit: called from the watches' tasks for every event.
    public init(reader: any RegistryReader, policy: WatchPolicy = WatchPolicy(), emit: @escaping @Sendable (WatchEvent) -> Void) {
        self.reader = reader
        self.policy = policy
        self.emit = emit
        self.probe = RecoveryProbe(reader: reader)
    }

    deinit { stop() }

    /// The dependencies with a long-poll of their own.
    public var watching: Set<Dependency> { lock.withLock { Set(watches.keys) } }

    /// The dependencies served by the shared change feed.
    public var servedByFeed: Set<Dependency> { lock.withLock { feed?.served ?? [] } }

    /// Starts watches for new dependencies and stops those not in `wanted`.
    public func update(_ wanted: Set<Dependency>) {
        var individual = wanted
        var feedable: Set<Dependency> = []
        if let threshold = policy.serviceFeedThreshold, let source = reader.serviceFeed {
            let candidates = wanted.filter(ServiceChangeFeed.canServe)
            if candidates.count >= threshold {
                feedable = candidates
                individual.subtract(candidates)
                lock.withLock {
                    if feed == nil {
                        feed = ServiceChangeFeed(source: source, reader: reader, policy: policy, emit: emit)
                    }
                }
            }
        }
        let currentFeed = lock.withLock { self.feed }
        currentFeed?.update(feedable)
        lock.withLock {
            for (dependency, task) in watches where !individual.contains(dependency) {
                task.cancel()
                watches[dependency] = nil
            }
            for dependency in individual where watches[dependency] == nil {
                let watch = DependencyWatch(dependency: dependency, reader: reader, policy: policy, probe: probe, emit: emit)
                watches[dependency] = Task { await watch.run() }
            }
        }
    }

    /// Stops every watch; in-flight requests end at once.
    public func stop() {
        let tasks = lock.withLock {
            let all = Array(watches.values)
            watches.removeAll()
            return all
        }
        for task in tasks { task.cancel() }
        lock.withLock { feed }?.stop()
        let probe = self.probe
        Task { await probe.stop() }
    }
}

/// The loop of one watch.
struct DependencyWatch: Sendable {
    let dependency: Dependency
    let reader: any RegistryReader
    let policy: WatchPolicy
    let probe: RecoveryProbe
    let emit: @Sendable (WatchEvent) -> Void

    func run() async {
        let clock = ContinuousClock()
        var index = BlockingIndex()
        var lastFingerprint: UInt64?
        var lastStart: ContinuousClock.Instant?
        var failures = 0
        var stale = policy.maxStale > .zero
        var pollAfter: Duration?
        while !Task.isCancelled {
            do {
                if let pollAfter {
                    try await Task.sleep(for: pollAfter)
                } else if let lastStart, clock.now < lastStart + policy.minimumSpacing {
                    try await Task.sleep(until: lastStart + policy.minimumSpacing, clock: clock)
                }
                lastStart = clock.now
                let answer = try await reader.read(
                    dependency, index: index.current == 0 ? nil : index.current, wait: policy.blockQueryWait, stale: stale)
                if stale && answer.lastContact > policy.maxStale {
                    // Too stale: read once more from the leader.
                    stale = false
                    pollAfter = nil
                    continue
                }
                stale = policy.maxStale > .zero
                failures = 0
                index.advance(to: answer.index)
                pollAfter = answer.index == nil ? answer.pollInterval : nil
                if answer.fingerprint != lastFingerprint {
                    lastFingerprint = answer.fingerprint
                    emit(.data(dependency, answer.value))
                }
            } catch {
                if Task.isCancelled || error is CancellationError { return }
                failures += 1
                let message = String(describing: error)
                guard policy.retry.allows(failures: failures) else {
                    emit(.gaveUp(dependency, error: message))
                    return
                }
                emit(.failed(dependency, error: message, attempt: failures))
                pollAfter = nil
                index = BlockingIndex()
                await backOff(attempt: failures)
            }
        }
    }

    /// Waits out the backoff, or less when the registry comes back; while the
    /// registry is down, keeps waiting for it instead of retrying on its own.
    private func backOff(attempt: Int) async {
        var delay = policy.retry.delay(attempt: attempt)
        while !Task.isCancelled {
            let recovered = await race(delay)
            if recovered { return }
            if !(await probe.isDown) { return }
            delay = policy.retry.maxBackoff
        }
    }

    /// True when the probe saw the registry come back before `delay` passed.
    private func race(_ delay: Duration) async -> Bool {
        await withTaskGroup(of: Bool.self) { group in
            group.addTask {
                try? await Task.sleep(for: delay)
                return false
            }
            group.addTask { [probe] in
                await probe.awaitRecovery()
                return !Task.isCancelled
            }
            let first = await group.next() ?? false
            group.cancelAll()
            return first
        }
    }
}
