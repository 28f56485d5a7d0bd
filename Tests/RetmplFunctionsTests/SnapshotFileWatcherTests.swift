import Foundation
import Testing
import RetmplRegistry

/// Waits for the next update, failing after `seconds` instead of hanging.
private func next(
    _ iterator: inout AsyncStream<SnapshotFileWatcher.Update>.Iterator, seconds: Double = 5
) async -> SnapshotFileWatcher.Update? {
    let deadline = Date().addingTimeInterval(seconds)
    let box = IteratorBox(iterator)
    let result = await withTaskGroup(of: SnapshotFileWatcher.Update?.self) { group in
        group.addTask { await box.next() }
        group.addTask {
            try? await Task.sleep(for: .seconds(max(0, deadline.timeIntervalSinceNow)))
            return nil
        }
        let first = await group.next() ?? nil
        group.cancelAll()
        return first
    }
    iterator = box.iterator
    return result
}

private final class IteratorBox: @unchecked Sendable {
    var iterator: AsyncStream<SnapshotFileWatcher.Update>.Iterator
    init(_ iterator: AsyncStream<SnapshotFileWatcher.Update>.Iterator) { self.iterator = iterator }
    func next() async -> SnapshotFileWatcher.Update? { await iterator.next() }
}

@Suite struct SnapshotFileWatcherTests {
    @Test func yieldsChangesAndRejectsInvalidFiles() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("retmpl-watch-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("snapshot.json")
        try #"{"env": {"A": "1"}}"#.write(to: path, atomically: false, encoding: .utf8)

        let watcher = SnapshotFileWatcher(path: path.path, interval: .milliseconds(20))
        var updates = watcher.updates().makeAsyncIterator()

        let first = try #require(await next(&updates))
        #expect(try first.get().environmentValue("A") == "1")

        // Replace by rename, as editors and config management do.
        let staged = dir.appendingPathComponent(".snapshot.json.new")
        try #"{"env": {"A": "2", "B": "3"}}"#.write(to: staged, atomically: false, encoding: .utf8)
        _ = rename(staged.path, path.path)
        let second = try #require(await next(&updates))
        #expect(try second.get().environmentValue("B") == "3")

        // An invalid file is reported with its JSON path; the consumer keeps the last good data.
        try #"{"env": {"A": "2"}, "servics": {}}"#.write(to: path, atomically: false, encoding: .utf8)
        let third = try #require(await next(&updates))
        guard case .failure(let error) = third else {
            Issue.record("expected a failure, got \(third)")
            return
        }
        #expect(error.message.contains("servics"))
    }
}
