import RetmplRegistry
import RetmplTemplate
import Foundation

/// The latest data per dependency (consul-template's "brain"): what the
/// watches delivered, or a whole snapshot. Templates render against it.
final class DataBrain: DataSource, @unchecked Sendable {
    private let lock = NSLock()
    /// Delivered data; an inner nil means "answered, does not exist".
    private var values: [Dependency: TemplateValue?] = [:]
    private var snapshot: SnapshotSource?
    private let processEnvironment: [String: String]

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        processEnvironment = environment
    }

    func recall(_ dependency: Dependency) -> TemplateValue? {
        lock.lock()
        defer { lock.unlock() }
        if let snapshot { return snapshot.recall(dependency) }
        return values[dependency] ?? nil
    }

    /// The snapshot's `env` first (so renders match `retmpl render`), then the process's.
    func environmentValue(_ name: String) -> String? {
        let fromSnapshot = lock.withLock { snapshot?.snapshot.environment[name] }
        return fromSnapshot ?? processEnvironment[name]
    }

    var now: Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(seconds: Int64(ts.tv_sec), nanoseconds: Int32(ts.tv_nsec))
    }

    func set(_ dependency: Dependency, _ value: TemplateValue?) {
        lock.withLock { values[dependency] = .some(value) }
    }

    func forget(_ dependency: Dependency) {
        lock.withLock { values[dependency] = nil }
    }

    func replace(with snapshot: Snapshot) {
        let source = SnapshotSource(snapshot: snapshot)
        lock.withLock { self.snapshot = source }
    }
}
