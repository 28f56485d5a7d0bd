#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Watches a snapshot file and yields a new ``Snapshot`` whenever the file
/// changes — edited in place or replaced by rename — and a failure (with the
/// JSON path of the problem) when the new contents are invalid, so the
/// consumer can keep its last good data.
///
/// It compares the file's identity and metadata (device, inode, size,
/// modification time) on a short interval: cheap, and it sees a rename over
/// the path, which an inotify watch on the old inode would miss.
public struct SnapshotFileWatcher: Sendable {
    public let path: String
    public let interval: Duration

    /// A change seen on disk: the new snapshot, or why it was rejected.
    public typealias Update = Result<Snapshot, SnapshotFileError>

    public init(path: String, interval: Duration = .milliseconds(100)) {
        self.path = path
        self.interval = interval
    }

    /// The current snapshot first, then one element per change, until the
    /// consuming task is cancelled.
    public func updates() -> AsyncStream<Update> {
        let path = self.path
        let interval = self.interval
        return AsyncStream { continuation in
            let task = Task {
                var last: FileStamp? = nil
                var first = true
                while !Task.isCancelled {
                    let stamp = FileStamp(path: path)
                    if first || stamp != last {
                        first = false
                        last = stamp
                        continuation.yield(Self.load(path))
                    }
                    do {
                        try await Task.sleep(for: interval)
                    } catch {
                        break
                    }
                }
                continuation.finish()
            }
            continuation.onTermination = { _ in task.cancel() }
        }
    }

    static func load(_ path: String) -> Update {
        do {
            return .success(try Snapshot.load(path: path))
        } catch {
            return .failure(SnapshotFileError(path: path, message: "\(error)"))
        }
    }
}

/// A snapshot file that could not be read or parsed; `message` names the JSON path.
public struct SnapshotFileError: Error, Sendable, CustomStringConvertible, Equatable {
    public let path: String
    public let message: String
    public var description: String { "\(path): \(message)" }
}

/// What identifies one version of a file on disk.
struct FileStamp: Equatable {
    let device: UInt64
    let inode: UInt64
    let size: Int64
    let modified: Int64
    let modifiedNanoseconds: Int64

    /// nil-like stamp (all zero) when the file is missing.
    init(path: String) {
        var st = stat()
        if stat(path, &st) != 0 {
            device = 0
            inode = 0
            size = -1
            modified = 0
            modifiedNanoseconds = 0
            return
        }
        device = UInt64(st.st_dev)
        inode = UInt64(st.st_ino)
        size = Int64(st.st_size)
        modified = Int64(st.st_mtim.tv_sec)
        modifiedNanoseconds = Int64(st.st_mtim.tv_nsec)
    }
}
