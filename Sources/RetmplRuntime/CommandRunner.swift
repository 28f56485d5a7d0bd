#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import CRetmplSystem
import Dispatch

/// Runs reload and check commands the way a config reloader must.
///
/// Foundation.Process never reports the exit of a shell that leaves a
/// background process behind (`haproxy -f … -sf $(pidof haproxy) &`): the
/// background child keeps the output pipe open and the shell is never
/// reaped. Here the command is started with `posix_spawn` in a new process
/// group, its own pid is reaped with `waitpid`, and output is collected only
/// until that pid exits, so such commands finish when their shell does. A
/// timeout stops the whole group: SIGTERM, then SIGKILL after a grace period.
public struct CommandRunner: Sendable {
    /// A command line to run.
    public struct Command: Sendable {
        /// argv; `arguments[0]` is looked up in PATH.
        public var arguments: [String]
        /// Complete environment, or nil to inherit the current one.
        public var environment: [String: String]?
        public var timeout: Duration
        /// How long a timed-out group gets between SIGTERM and SIGKILL.
        public var killGrace: Duration

        public init(arguments: [String], environment: [String: String]? = nil, timeout: Duration = .seconds(30), killGrace: Duration = .seconds(2)) {
            self.arguments = arguments
            self.environment = environment
            self.timeout = timeout
            self.killGrace = killGrace
        }

        /// consul-template's rule: a command string runs under `sh -c`.
        public static func shell(_ line: String, environment: [String: String]? = nil, timeout: Duration = .seconds(30)) -> Command {
            Command(arguments: ["/bin/sh", "-c", line], environment: environment, timeout: timeout)
        }
    }

    public enum Termination: Sendable, Equatable {
        case exited(Int32)
        case signaled(Int32)
        /// The timeout expired and the group was killed.
        case timedOut
        /// The calling task was cancelled (the daemon is stopping) and the group was killed.
        case cancelled
    }

    public struct Outcome: Sendable {
        public let termination: Termination
        /// Combined stdout and stderr, at most the last `outputLimit` bytes.
        public let output: [UInt8]
        public var succeeded: Bool { termination == .exited(0) }
        /// The last `count` lines of output, for logs.
        public func tail(lines count: Int) -> String {
            let text = String(decoding: output, as: UTF8.self)
            return text.split(separator: "\n", omittingEmptySubsequences: false).suffix(count).joined(separator: "\n")
        }
    }

    /// The command could not be started.
    public struct SpawnError: Error, Sendable, CustomStringConvertible {
        public let command: String
        public let errno: Int32
        public var description: String { "cannot start \(command): \(String(cString: strerror(errno)))" }
    }

    /// Output beyond this is dropped from the front (the end of a log matters most).
    public let outputLimit: Int

    public init(outputLimit: Int = 64 << 10) { self.outputLimit = outputLimit }

    /// Runs `command` to completion, timeout or task cancellation.
    public func run(_ command: Command) async throws(SpawnError) -> Outcome {
        let cancel = CancelFlag()
        let limit = outputLimit
        let result: Result<Outcome, SpawnError> = await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                // Blocking waits stay off the cooperative thread pool.
                DispatchQueue.global().async {
                    continuation.resume(returning: Self.runBlocking(command, outputLimit: limit, cancel: cancel))
                }
            }
        } onCancel: {
            cancel.set()
        }
        return try result.get()
    }

    final class CancelFlag: @unchecked Sendable {
        private let lock = NSLockLite()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    static func runBlocking(_ command: Command, outputLimit: Int, cancel: CancelFlag) -> Result<Outcome, SpawnError> {
        let name = command.arguments.joined(separator: " ")
        guard !command.arguments.isEmpty else { return .failure(SpawnError(command: "(empty)", errno: EINVAL)) }
        var fds: [Int32] = [-1, -1]
        if cretmpl_pipe_cloexec(&fds) != 0 { return .failure(SpawnError(command: name, errno: errno)) }
        let readEnd = fds[0]
        let writeEnd = fds[1]

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 1)
        posix_spawn_file_actions_adddup2(&actions, writeEnd, 2)

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // Own process group (so a timeout can stop everything the command
        // started), default signal dispositions and an empty signal mask.
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attr, 0)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attr, &all)

        let argv: [UnsafeMutablePointer<CChar>?] = command.arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let environment = command.environment.map { env in env.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { environment?.forEach { free($0) } }

        var pid: pid_t = 0
        let rc: Int32
        if let environment {
            rc = posix_spawnp(&pid, command.arguments[0], &actions, &attr, argv, environment)
        } else {
            rc = posix_spawnp(&pid, command.arguments[0], &actions, &attr, argv, environ)
        }
        close(writeEnd)
        if rc != 0 {
            close(readEnd)
            return .failure(SpawnError(command: name, errno: rc))
        }
        defer { close(readEnd) }

        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 16_384)
        var pipeOpen = true
        func drain(wait milliseconds: Int32) {
            guard pipeOpen else { return }
            var p = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
            let ready = poll(&p, 1, milliseconds)
            guard ready > 0 else { return }
            let n = buffer.withUnsafeMutableBytes { read(readEnd, $0.baseAddress, $0.count) }
            if n > 0 {
                output.append(contentsOf: buffer[0..<n])
                if output.count > outputLimit { output.removeFirst(output.count - outputLimit) }
            } else if n == 0 {
                pipeOpen = false
            }
        }

        let deadline = monotonicNow() + nanoseconds(command.timeout)
        var status: Int32 = 0
        while true {
            let reaped = waitpid(pid, &status, WNOHANG)
            if reaped == pid {
                // The command is done; take what is already written, but do not
                // wait for background children that still hold the pipe.
                for _ in 0..<64 where pipeOpen {
                    var p = pollfd(fd: readEnd, events: Int16(POLLIN), revents: 0)
                    if poll(&p, 1, 0) <= 0 { break }
                    drain(wait: 0)
                }
                return .success(Outcome(termination: decode(status), output: output))
            }
            if reaped < 0 && errno != EINTR {
                return .success(Outcome(termination: .exited(-1), output: output))
            }
            if monotonicNow() >= deadline || cancel.isSet {
                stopGroup(pid, grace: command.killGrace)
                return .success(Outcome(termination: cancel.isSet ? .cancelled : .timedOut, output: output))
            }
            if pipeOpen {
                drain(wait: 20)
            } else {
                usleep(10_000)
            }
        }
    }

    /// SIGTERM to the whole group, SIGKILL after `grace`, and reap the leader.
    static func stopGroup(_ pid: pid_t, grace: Duration) {
        kill(-pid, SIGTERM)
        let deadline = monotonicNow() + nanoseconds(grace)
        var status: Int32 = 0
        while monotonicNow() < deadline {
            if waitpid(pid, &status, WNOHANG) == pid {
                kill(-pid, SIGKILL)  // stragglers of the group
                return
            }
            usleep(10_000)
        }
        kill(-pid, SIGKILL)
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    }

    static func decode(_ status: Int32) -> Termination {
        let signal = status & 0x7F
        if signal == 0 { return .exited((status >> 8) & 0xFF) }
        return .signaled(signal)
    }

    static func monotonicNow() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }

    static func nanoseconds(_ d: Duration) -> UInt64 {
        let (s, attos) = d.components
        return UInt64(max(0, s)) * 1_000_000_000 + UInt64(max(0, attos) / 1_000_000_000)
    }
}

/// A minimal mutex over pthread (Foundation's NSLock is not imported here).
final class NSLockLite: @unchecked Sendable {
    private var mutex = pthread_mutex_t()
    init() { pthread_mutex_init(&mutex, nil) }
    deinit { pthread_mutex_destroy(&mutex) }
    func withLock<T>(_ body: () -> T) -> T {
        pthread_mutex_lock(&mutex)
        defer { pthread_mutex_unlock(&mutex) }
        return body()
    }
}
