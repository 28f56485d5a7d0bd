public import RetmplTemplate
import Foundation

/// A ``DataSource`` over a static ``Snapshot``: every dependency is fetched
/// on first use and its template value cached, so repeated renders reuse
/// the same values (conversion happens once per dependency).
///
/// Thread-safe: renders may share one source.
public final class SnapshotSource: DataSource, @unchecked Sendable {
    public let snapshot: Snapshot
    private let lock = NSLock()
    /// Fetched data; an inner nil records "never available". Guarded by
    /// `lock`, so dynamic exclusivity checks would only add cost.
    @exclusivity(unchecked) private var cache: [Dependency: TemplateValue?] = [:]

    public init(snapshot: Snapshot) {
        self.snapshot = snapshot
    }

    /// Loads `path` and wraps it. Throws ``SnapshotError``.
    public convenience init(path: String) throws {
        self.init(snapshot: try Snapshot.load(path: path))
    }

    public func recall(_ dependency: Dependency) -> TemplateValue? {
        lock.lock()
        defer { lock.unlock() }
        if let hit = cache[dependency] { return hit }
        let value = snapshot.fetch(dependency.query)
        cache[dependency] = value
        return value
    }

    public func environmentValue(_ name: String) -> String? { snapshot.environmentValue(name) }

    public var now: Timestamp { snapshot.now }
}
