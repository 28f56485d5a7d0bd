import RetmplTemplate
import Foundation

/// What a watch reports.
public enum WatchEvent: Sendable {
    /// New data for a dependency, packed (nil: it does not exist yet).
    case data(Dependency, PackedValue?)
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
///
/// Every parked watch keeps its task's async frames, so the loop keeps little
/// across a suspension: a reference to this object and its ``State``; the
/// decisions between reads are synchronous. (A task allocates its frames in
/// ~1 KB slabs; 10,000 watches with large frames took 3 slabs each.)
final class DependencyWatch: Sendable {
    let dependency: Dependency
    let reader: any RegistryReader
    let policy: WatchPolicy
    let probe: RecoveryProbe
    let emit: @Sendable (WatchEvent) -> Void

    init(dependency: Dependency, reader: any RegistryReader, policy: WatchPolicy, probe: RecoveryProbe, emit: @escaping @Sendable (WatchEvent) -> Void) {
        self.dependency = dependency
        self.reader = reader
        self.policy = policy
        self.probe = probe
        self.emit = emit
    }

    /// What the loop remembers between reads.
    struct State {
        var index = BlockingIndex()
        var lastFingerprint: UInt64?
        var lastStart: ContinuousClock.Instant?
        var failures = 0
        var stale: Bool
        var pollAfter: Duration?
    }

    func run() async {
        var state = State(stale: policy.maxStale > .zero)
        while !Task.isCancelled {
            do {
                if let delay = delayBeforeRead(state) { try await Task.sleep(for: delay) }
                state.lastStart = .now
                let answer = try await reader.read(
                    dependency, index: state.index.current == 0 ? nil : state.index.current,
                    wait: policy.blockQueryWait, stale: state.stale)
                take(answer, &state)
            } catch {
                guard let attempt = failed(error, &state) else { return }
                await backOff(attempt: attempt)
            }
        }
    }

    /// How long to wait before the next read (the poll interval of a source
    /// that cannot block, or what is left of the minimum spacing); nil: none.
    private func delayBeforeRead(_ state: State) -> Duration? {
        if let pollAfter = state.pollAfter { return pollAfter }
        guard let lastStart = state.lastStart else { return nil }
        let wait = lastStart + policy.minimumSpacing - .now
        return wait > .zero ? wait : nil
    }

    /// Takes an answer: reports changed data, remembers the index.
    private func take(_ answer: RegistryAnswer, _ state: inout State) {
        if state.stale && answer.lastContact > policy.maxStale {
            // Too stale: read once more from the leader.
            state.stale = false
            state.pollAfter = nil
            return
        }
        state.stale = policy.maxStale > .zero
        state.failures = 0
        state.index.advance(to: answer.index)
        state.pollAfter = answer.index == nil ? answer.pollInterval : nil
        if answer.fingerprint != state.lastFingerprint {
            state.lastFingerprint = answer.fingerprint
            emit(.data(dependency, answer.data))
        }
    }

    /// Reports a failed read. Returns the attempt to back off for, or nil
    /// when the watch ends (cancelled, or out of retries).
    private func failed(_ error: any Error, _ state: inout State) -> Int? {
        if Task.isCancelled || error is CancellationError { return nil }
        state.failures += 1
        let message = String(describing: error)
        guard policy.retry.allows(failures: state.failures) else {
            emit(.gaveUp(dependency, error: message))
            return nil
        }
        emit(.failed(dependency, error: message, attempt: state.failures))
        state.pollAfter = nil
        state.index = BlockingIndex()
        return state.failures
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
