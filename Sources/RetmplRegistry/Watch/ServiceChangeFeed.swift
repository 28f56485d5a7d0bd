import Foundation
import RetmplTemplate

/// Serves many `service` dependencies with two long-polls instead of one each.
///
/// consul-template opens a blocking query per service, so the idiom
/// `{{range services}}{{range service .Name}}` over 10,000 services holds
/// 10,001 long-polls. The feed blocks on the catalog's service list and on
/// every health check instead, and re-reads (without blocking) only the
/// services those views say changed: a tag set that moved, a service check
/// that changed, or a node check on a node the service has checks on. A
/// catalog change neither view explains — an instance registered without
/// any check — re-reads every service, a few at a time.
final class ServiceChangeFeed: @unchecked Sendable {
    private let source: any ServiceFeedSource
    private let reader: any RegistryReader
    private let policy: WatchPolicy
    private let emit: @Sendable (WatchEvent) -> Void
    /// Reads in flight at once when refreshing services.
    private let concurrency: Int

    private let lock = NSLock()
    /// Served dependencies by lower-cased service name.
    private var byName: [String: [Dependency]] = [:]
    private var fingerprints: [Dependency: UInt64] = [:]
    /// Names waiting to be re-read.
    private var dirty: Set<String> = []
    private var refresher: Task<Void, Never>?
    private var loops: [Task<Void, Never>] = []
    private var refreshWake: CheckedContinuation<Void, Never>?
    /// The highest index the checks view has reported.
    private var checksIndex: UInt64 = 0
    /// Nodes each service (lower-cased) has had instances on, so a node
    /// check change re-reads services whose instances have no checks of their own.
    private var nodesByService: [String: Set<String>] = [:]

    /// The dependency failures of the feed's own long-polls are reported under.
    static let feedDependency = Dependency(.catalogServices(Dependency.Scope()))

    init(source: any ServiceFeedSource, reader: any RegistryReader, policy: WatchPolicy, concurrency: Int = 8,
         emit: @escaping @Sendable (WatchEvent) -> Void) {
        self.source = source
        self.reader = reader
        self.policy = policy
        self.concurrency = concurrency
        self.emit = emit
    }

    /// Whether the feed can serve `dependency`: a plain `service` query in the
    /// default datacenter, namespace and partition, without `~near`.
    static func canServe(_ dependency: Dependency) -> Bool {
        guard case .healthService(let q) = dependency.query else { return false }
        return !q.connect && q.near.isEmpty && q.samenessGroup.isEmpty && q.scope == Dependency.Scope()
    }

    var served: Set<Dependency> { lock.withLock { Set(byName.values.joined()) } }

    /// Serves exactly `dependencies` from now on; new ones are read at once.
    func update(_ dependencies: Set<Dependency>) {
        let start: Bool = lock.withLock {
            var names: [String: [Dependency]] = [:]
            for d in dependencies {
                guard case .healthService(let q) = d.query else { continue }
                names[q.name.lowercased(), default: []].append(d)
            }
            for d in fingerprints.keys where !dependencies.contains(d) { fingerprints[d] = nil }
            for (name, deps) in names where deps.contains(where: { fingerprints[$0] == nil }) { dirty.insert(name) }
            byName = names
            return loops.isEmpty && !names.isEmpty
        }
        if start { startLoops() }
        if dependencies.isEmpty { stop() } else { wakeRefresher() }
    }

    func stop() {
        let tasks: [Task<Void, Never>] = lock.withLock {
            let all = loops + (refresher.map { [$0] } ?? [])
            loops = []
            refresher = nil
            return all
        }
        for t in tasks { t.cancel() }
        wakeRefresher()
    }

    private func startLoops() {
        let services = Task { await self.servicesLoop() }
        let checks = Task { await self.checksLoop() }
        let refresh = Task { await self.refreshLoop() }
        lock.withLock {
            loops = [services, checks]
            refresher = refresh
        }
    }

    // MARK: - The two long-polls

    private func servicesLoop() async {
        var index: UInt64?
        var last: [String: UInt64]?
        var failures = 0
        while !Task.isCancelled {
            do {
                let (next, services) = try await source.services(index: index, wait: policy.blockQueryWait, stale: policy.maxStale > .zero)
                failures = 0
                if let index, next < index { last = nil }  // index went backwards: re-read everything
                let moved = index != nil && next != index
                index = next
                var changed: Set<String> = []
                if let last {
                    for (name, print) in services where last[name] != print { changed.insert(name.lowercased()) }
                    for name in last.keys where services[name] == nil { changed.insert(name.lowercased()) }
                } else if index != nil && moved {
                    changed = Set(services.keys.map { $0.lowercased() })
                }
                last = services
                if !changed.isEmpty {
                    markDirty(changed)
                } else if moved {
                    await explainOrSweep(catalogIndex: next)
                }
            } catch {
                if Task.isCancelled || error is CancellationError { return }
                failures += 1
                index = nil
                emit(.failed(Self.feedDependency, error: "service feed (catalog/services): \(error)", attempt: failures))
                try? await Task.sleep(for: policy.retry.delay(attempt: failures))
            }
        }
    }

    private func checksLoop() async {
        var index: UInt64?
        var last: [CheckKey: CheckState]?
        var failures = 0
        while !Task.isCancelled {
            do {
                let (next, checks) = try await source.checks(index: index, wait: policy.blockQueryWait, stale: policy.maxStale > .zero)
                failures = 0
                index = next
                if let last {
                    var changed: Set<String> = []
                    var nodes: Set<String> = []
                    for (key, state) in checks where last[key] != state {
                        if state.serviceName.isEmpty { nodes.insert(key.node) } else { changed.insert(state.serviceName.lowercased()) }
                    }
                    for (key, state) in last where checks[key] == nil {
                        if state.serviceName.isEmpty { nodes.insert(key.node) } else { changed.insert(state.serviceName.lowercased()) }
                    }
                    if !nodes.isEmpty {
                        // A node check changes the health of every service on the node.
                        for (key, state) in checks where nodes.contains(key.node) && !state.serviceName.isEmpty {
                            changed.insert(state.serviceName.lowercased())
                        }
                        lock.withLock {
                            for (name, on) in nodesByService where !on.isDisjoint(with: nodes) { changed.insert(name) }
                        }
                    }
                    markDirty(changed)
                }
                last = checks
                lock.withLock { checksIndex = max(checksIndex, next) }
            } catch {
                if Task.isCancelled || error is CancellationError { return }
                failures += 1
                index = nil
                last = nil
                emit(.failed(Self.feedDependency, error: "service feed (health/state/any): \(error)", attempt: failures))
                try? await Task.sleep(for: policy.retry.delay(attempt: failures))
            }
        }
    }

    /// The catalog moved without a tag change: a registration with checks
    /// shows up in the checks view at the same index; give it a moment, and
    /// if it does not, re-read every served service.
    private func explainOrSweep(catalogIndex: UInt64) async {
        for _ in 0..<10 {
            if lock.withLock({ checksIndex >= catalogIndex }) { return }
            try? await Task.sleep(for: .milliseconds(20))
        }
        if Task.isCancelled { return }
        markDirty(lock.withLock { Set(byName.keys) })
    }

    // MARK: - Refreshing services

    private func markDirty(_ names: Set<String>) {
        guard !names.isEmpty else { return }
        lock.withLock {
            for n in names where byName[n] != nil { dirty.insert(n) }
        }
        wakeRefresher()
    }

    private func wakeRefresher() {
        let w: CheckedContinuation<Void, Never>? = lock.withLock {
            let w = refreshWake
            refreshWake = nil
            return w
        }
        w?.resume()
    }

    private func refreshLoop() async {
        while !Task.isCancelled {
            let batch: [Dependency] = lock.withLock {
                let names = dirty
                dirty.removeAll()
                return names.flatMap { byName[$0] ?? [] }
            }
            if batch.isEmpty {
                await withTaskCancellationHandler {
                    await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                        let ready = lock.withLock {
                            if !dirty.isEmpty || Task.isCancelled { return true }
                            refreshWake = c
                            return false
                        }
                        if ready { c.resume() }
                    }
                } onCancel: {
                    self.wakeRefresher()
                }
                continue
            }
            await withTaskGroup(of: Void.self) { group in
                var next = 0
                func add() {
                    guard next < batch.count else { return }
                    let dependency = batch[next]
                    next += 1
                    group.addTask { await self.refresh(dependency) }
                }
                for _ in 0..<concurrency { add() }
                while await group.next() != nil { add() }
            }
        }
    }

    /// The `Node` of each instance in a `service` answer.
    private static func nodes(in value: TemplateValue?) -> Set<String> {
        guard case .list(let list)? = value else { return [] }
        var out: Set<String> = []
        for case .record(let r) in list.elements {
            if case .string(let node)? = r["Node"] { out.insert(node) }
        }
        return out
    }

    private func refresh(_ dependency: Dependency) async {
        var attempt = 0
        while !Task.isCancelled {
            do {
                let answer = try await reader.read(dependency, index: nil, wait: policy.blockQueryWait, stale: policy.maxStale > .zero)
                let nodes = Self.nodes(in: answer.value)
                let changed: Bool = lock.withLock {
                    if case .healthService(let q) = dependency.query, !nodes.isEmpty {
                        nodesByService[q.name.lowercased(), default: []].formUnion(nodes)
                    }
                    guard byName.values.contains(where: { $0.contains(dependency) }) else { return false }
                    if fingerprints[dependency] == answer.fingerprint { return false }
                    fingerprints[dependency] = answer.fingerprint
                    return true
                }
                if changed { emit(.data(dependency, answer.data)) }
                return
            } catch {
                if Task.isCancelled || error is CancellationError { return }
                attempt += 1
                emit(.failed(dependency, error: String(describing: error), attempt: attempt))
                try? await Task.sleep(for: policy.retry.delay(attempt: attempt))
            }
        }
    }
}
