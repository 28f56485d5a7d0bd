import Foundation

/// A fresh directory under /tmp for one test; `remove()` deletes it.
public struct ScratchDirectory: Sendable {
    public let path: String

    public init(_ label: String = "retmpl") {
        path = NSTemporaryDirectory() + "\(label)-\(UUID().uuidString.prefix(8))"
        try? FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    /// `path/name`.
    public func file(_ name: String) -> String { path + "/" + name }

    /// Writes `text` to `name` (atomically, by rename) and returns its path.
    @discardableResult
    public func write(_ name: String, _ text: String) throws -> String {
        let target = file(name)
        try text.write(toFile: target, atomically: true, encoding: .utf8)
        return target
    }

    /// The file's text, or nil when it does not exist.
    public func read(_ name: String) -> String? {
        FileManager.default.contents(atPath: file(name)).map { String(decoding: $0, as: UTF8.self) }
    }

    public func remove() { try? FileManager.default.removeItem(atPath: path) }
}

/// Collects events from a callback and lets a test await one, with a bound
/// so a missing event fails the test instead of hanging it.
public final class EventRecorder<Event: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [Event] = []
    private var waiters: [(id: Int, match: (Event) -> Bool, continuation: CheckedContinuation<Event?, Never>)] = []
    private var nextID = 0
    private var expired: Set<Int> = []

    public init() {}

    /// Records an event; wakes a waiter it matches.
    public func record(_ event: Event) {
        let woken: [CheckedContinuation<Event?, Never>] = lock.withLock {
            events.append(event)
            let matched = waiters.filter { $0.match(event) }
            waiters.removeAll { w in matched.contains { $0.id == w.id } }
            return matched.map(\.continuation)
        }
        for c in woken { c.resume(returning: event) }
    }

    /// Every event so far.
    public var all: [Event] { lock.withLock { events } }

    /// The first event at or after position `from` that matches, waiting up to `timeout`.
    /// - Returns: nil when none arrived in time.
    public func first(from: Int = 0, within timeout: Duration = .seconds(15), where match: @escaping @Sendable (Event) -> Bool) async -> Event? {
        let id: Int? = lock.withLock {
            if events.count > from, let hit = events[from...].first(where: match) { _ = hit; return nil }
            nextID += 1
            return nextID
        }
        guard let id else { return lock.withLock { events[from...].first(where: match) } }
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            self?.expire(id)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let (hit, late): (Event?, Bool) = lock.withLock {
                // Recheck: the event may have arrived between the two locks.
                if events.count > from, let hit = events[from...].first(where: match) { return (hit, false) }
                if expired.remove(id) != nil { return (nil, true) }
                waiters.append((id, match, continuation))
                return (nil, false)
            }
            if let hit { continuation.resume(returning: hit) } else if late { continuation.resume(returning: nil) }
        }
    }

    /// How many events have been recorded.
    public var count: Int { lock.withLock { events.count } }

    private func expire(_ id: Int) {
        let waiter: CheckedContinuation<Event?, Never>? = lock.withLock {
            guard let i = waiters.firstIndex(where: { $0.id == id }) else {
                expired.insert(id)
                return nil
            }
            return waiters.remove(at: i).continuation
        }
        waiter?.resume(returning: nil)
    }
}
