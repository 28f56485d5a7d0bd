#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Writes a rendered destination so that readers see the old file or the new
/// one, never a mix, an empty file, or a half-written one — even across a
/// crash or power loss.
///
/// The candidate goes to a hidden temporary file in the destination's own
/// directory (so `conf.d/*.conf` globs never load it, and `rename` stays on
/// one file system); it is written, `fsync`ed, given its mode and owner, then
/// renamed over the destination, and the directory is `fsync`ed so the
/// rename itself is durable. A destination that cannot be replaced by rename
/// (a single-file bind mount gives `EBUSY`/`EXDEV`) is written in place instead.
public struct AtomicFileWriter: Sendable {
    public struct Options: Sendable {
        /// File mode; nil keeps the existing file's mode, or 0644 for a new file.
        public var permissions: UInt32?
        /// Keep the previous contents as `<destination>.bak`.
        public var backup: Bool
        /// Create missing parent directories (mode 0755).
        public var createDirectories: Bool
        /// Owner and group to set; nil keeps the existing file's (when running as root).
        public var owner: UInt32?
        public var group: UInt32?

        public init(
            permissions: UInt32? = nil, backup: Bool = false, createDirectories: Bool = true,
            owner: UInt32? = nil, group: UInt32? = nil
        ) {
            self.permissions = permissions
            self.backup = backup
            self.createDirectories = createDirectories
            self.owner = owner
            self.group = group
        }
    }

    /// What a write did.
    public enum Outcome: Sendable, Equatable {
        /// The destination already held these bytes: nothing was touched.
        case unchanged
        /// Replaced by rename (the normal path).
        case replaced
        /// Written in place because the destination cannot be renamed over.
        case writtenInPlace
    }

    /// A write that failed; the destination is untouched.
    public struct WriteError: Error, Sendable, CustomStringConvertible {
        public let path: String
        public let operation: String
        public let errno: Int32
        public var description: String {
            "\(path): \(operation): \(String(cString: strerror(errno)))"
        }
    }

    public init() {}

    /// A candidate file staged next to its destination, for validation
    /// before it replaces the live file (`check_command` reads it from
    /// `RETMPL_CANDIDATE`).
    public struct Candidate: Sendable {
        public let destination: String
        /// The hidden temporary file holding the new contents.
        public let path: String
        let mode: mode_t
    }

    /// Writes `bytes` to `destination` atomically, unless it already holds them.
    public func write(_ bytes: [UInt8], to destination: String, options: Options = Options()) throws(WriteError) -> Outcome {
        if let current = Self.read(destination), current == bytes { return .unchanged }
        let candidate = try stage(bytes, for: destination, options: options)
        return try commit(candidate, options: options)
    }

    /// Writes `bytes` to a hidden temporary file beside `destination` and syncs it.
    public func stage(_ bytes: [UInt8], for destination: String, options: Options = Options()) throws(WriteError) -> Candidate {
        let dir = Self.directory(of: destination)
        if options.createDirectories { try Self.makeDirectories(dir) }
        var existing = stat()
        let exists = stat(destination, &existing) == 0
        let mode = mode_t(options.permissions ?? (exists ? UInt32(existing.st_mode & 0o7777) : 0o644))
        let prefix = Self.candidatePrefix(for: destination)
        var fd: Int32 = -1
        var temp = ""
        for attempt in 0..<16 {
            temp = "\(dir)/\(prefix)\(getpid())-\(UInt32.random(in: 0...UInt32.max))-\(attempt)"
            fd = open(temp, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
            if fd >= 0 || errno != EEXIST { break }
        }
        if fd < 0 { throw WriteError(path: destination, operation: "create temporary file in \(dir)", errno: errno) }
        do throws(WriteError) {
            try Self.writeAll(fd, bytes, path: destination)
            // Mode and owner are set before the rename: the file appears complete.
            if fchmod(fd, mode) != 0 { throw WriteError(path: destination, operation: "chmod", errno: errno) }
            let uid = options.owner ?? (exists ? existing.st_uid : getuid())
            let gid = options.group ?? (exists ? existing.st_gid : getgid())
            if (uid != getuid() || gid != getgid()) && fchown(fd, uid, gid) != 0 {
                throw WriteError(path: destination, operation: "chown", errno: errno)
            }
            if fsync(fd) != 0 { throw WriteError(path: destination, operation: "fsync", errno: errno) }
        } catch {
            close(fd)
            unlink(temp)
            throw error
        }
        close(fd)
        return Candidate(destination: destination, path: temp, mode: mode)
    }

    /// The hidden name candidates of `destination` start with:
    /// `.<base>.retmpl-`, the base cut to 200 bytes so the name stays under
    /// the file system's 255-byte limit.
    static func candidatePrefix(for destination: String) -> String {
        var base = Substring(baseName(of: destination))
        while base.utf8.count > 200 { base = base.dropLast() }
        return ".\(base).retmpl-"
    }

    /// Removes candidates of `destination` left by writers that died before
    /// their rename (a `kill -9` mid-write); candidates of live processes
    /// are left alone. Returns how many were removed.
    @discardableResult
    public func removeStaleCandidates(of destination: String) -> Int {
        let dir = Self.directory(of: destination)
        let prefix = Self.candidatePrefix(for: destination)
        guard let handle = opendir(dir) else { return 0 }
        var stale: [String] = []
        while let entry = readdir(handle) {
            let name = withUnsafePointer(to: entry.pointee.d_name) {
                String(cString: UnsafeRawPointer($0).assumingMemoryBound(to: CChar.self))
            }
            guard name.hasPrefix(prefix),
                  let pid = Int32(name.dropFirst(prefix.count).prefix { $0 != "-" }) else { continue }
            // Alive (or not ours to signal) means the candidate may still be in use.
            if kill(pid, 0) == 0 || errno == EPERM { continue }
            stale.append(name)
        }
        closedir(handle)
        if stale.isEmpty { return 0 }
        var removed = 0
        for name in stale where unlink("\(dir)/\(name)") == 0 { removed += 1 }
        return removed
    }

    /// Replaces the destination with a staged candidate.
    public func commit(_ candidate: Candidate, options: Options = Options()) throws(WriteError) -> Outcome {
        let destination = candidate.destination
        if options.backup, let old = Self.read(destination) {
            do throws(WriteError) {
                _ = try write(old, to: destination + ".bak", options: Options(permissions: UInt32(candidate.mode)))
            } catch {
                discard(candidate)
                throw error
            }
        }
        if rename(candidate.path, destination) == 0 {
            Self.syncDirectory(Self.directory(of: destination))
            return .replaced
        }
        let renameErrno = errno
        guard renameErrno == EBUSY || renameErrno == EXDEV else {
            discard(candidate)
            throw WriteError(path: destination, operation: "rename", errno: renameErrno)
        }
        // A bind-mounted single file cannot be renamed over: write it in place.
        defer { discard(candidate) }
        guard let bytes = Self.read(candidate.path) else {
            throw WriteError(path: destination, operation: "read candidate", errno: errno)
        }
        let fd = open(destination, O_WRONLY | O_TRUNC | O_CLOEXEC)
        if fd < 0 { throw WriteError(path: destination, operation: "open for in-place write", errno: errno) }
        defer { close(fd) }
        try Self.writeAll(fd, bytes, path: destination)
        if fsync(fd) != 0 { throw WriteError(path: destination, operation: "fsync", errno: errno) }
        return .writtenInPlace
    }

    /// Removes a staged candidate that will not be committed.
    public func discard(_ candidate: Candidate) {
        unlink(candidate.path)
    }

    // MARK: - helpers

    static func read(_ path: String) -> [UInt8]? {
        let fd = open(path, O_RDONLY | O_CLOEXEC)
        if fd < 0 { return nil }
        defer { close(fd) }
        var out: [UInt8] = []
        var buf = [UInt8](repeating: 0, count: 65_536)
        while true {
            let n = buf.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return nil
            }
            if n == 0 { return out }
            out.append(contentsOf: buf[0..<n])
        }
    }

    private static func writeAll(_ fd: Int32, _ bytes: [UInt8], path: String) throws(WriteError) {
        var offset = 0
        while offset < bytes.count {
            let n = bytes[offset...].withUnsafeBytes { Glibc.write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                throw WriteError(path: path, operation: "write", errno: errno)
            }
            offset += n
        }
    }

    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let dir = String(path[..<slash])
        return dir.isEmpty ? "/" : dir
    }

    static func baseName(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return path }
        return String(path[path.index(after: slash)...])
    }

    private static func makeDirectories(_ dir: String) throws(WriteError) {
        var st = stat()
        if stat(dir, &st) == 0 { return }
        let parent = directory(of: dir)
        if parent != dir { try makeDirectories(parent) }
        if mkdir(dir, 0o755) != 0 && errno != EEXIST {
            throw WriteError(path: dir, operation: "create directory", errno: errno)
        }
    }

    private static func syncDirectory(_ dir: String) {
        let fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if fd < 0 { return }
        fsync(fd)
        close(fd)
    }
}
