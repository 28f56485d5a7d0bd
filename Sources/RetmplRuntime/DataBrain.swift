import RetmplRegistry
import RetmplTemplate
import Foundation

/// The latest data per dependency (consul-template's "brain"): what the
/// watches delivered, or a whole snapshot. Templates render against it.
final class DataBrain: DataSource, @unchecked Sendable {
    private let lock = NSLock()
    /// Delivered data, packed (it waits between renders, which are rare);
    /// nil data means "answered, does not exist".
    private var values: [Dependency: Entry] = [:]
    private var snapshot: SnapshotSource?
    private let processEnvironment: [String: String]

    init(environment: [String: String] = ProcessInfo.processInfo.environment) {
        processEnvironment = environment
    }

    func recall(_ dependency: Dependency) -> TemplateValue? {
        lock.lock()
        defer { lock.unlock() }
        if let snapshot { return snapshot.recall(dependency) }
        return values[dependency]?.value
    }

    /// True when data for `dependency` has arrived (without rebuilding it).
    func has(_ dependency: Dependency) -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if let snapshot { return snapshot.recall(dependency) != nil }
        return values[dependency]?.data != nil
    }

    /// The snapshot's `env` first (so renders match `retmpl render`), then the process's.
    func environmentValue(_ name: String) -> String? {
        let fromSnapshot = lock.withLock { snapshot?.snapshot.environmentValue(name) }
        return fromSnapshot ?? processEnvironment[name]
    }

    var now: Timestamp {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        return Timestamp(seconds: Int64(ts.tv_sec), nanoseconds: Int32(ts.tv_nsec))
    }

    func set(_ dependency: Dependency, _ data: PackedValue?) {
        lock.withLock { values[dependency] = Entry(data: data) }
    }

    func forget(_ dependency: Dependency) {
        lock.withLock { values[dependency] = nil }
    }

    func replace(with snapshot: Snapshot) {
        let source = SnapshotSource(snapshot: snapshot)
        lock.withLock { self.snapshot = source }
    }
}

extension DataBrain {
    /// One dependency's data (used under the brain's lock). The value last rebuilt is reused while anyone
    /// still holds it, so a render that keeps `service "web"` in a variable
    /// and asks again gets the same records (Go's pointer equality holds).
    fileprivate final class Entry {
        let data: PackedValue?
        private weak var list: TemplateList?
        private weak var record: TemplateRecord?

        init(data: PackedValue?) { self.data = data }

        /// Nil when the data does not exist (the pass waits for it).
        var value: TemplateValue? {
            if let list { return .list(list) }
            if let record { return .record(record) }
            guard let data else { return nil }
            let value = data.value
            switch value {
            case .list(let l): list = l
            case .record(let r): record = r
            default: break
            }
            return value
        }
    }
}
