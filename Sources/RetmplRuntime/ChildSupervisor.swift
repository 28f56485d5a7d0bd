#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// Runs and supervises the one long-lived child of exec mode (consul-template's
/// `exec {}`): the daemon renders configuration for this process, tells it
/// about changes, relays signals to it, and exits with its exit code.
///
/// Semantics, and why:
/// - **Process group.** The child leads a new process group and every signal
///   (reload, forwarded, kill) goes to the whole group, as consul-template
///   does with `setpgid`: a wrapper script and what it started are reached
///   together. A terminal's Ctrl-C therefore reaches the daemon only, which
///   forwards it (`forward(signal:)`).
/// - **Standard streams.** stdout and stderr are the daemon's own (logs go
///   where the daemon's go). stdin is inherited by default, as in
///   consul-template; `.null` detaches it (a background group that reads a
///   terminal would be stopped with SIGTTIN).
/// - **Reload.** With a `reloadSignal`, after a random splay in
///   `0..<splay`, the signal is sent. Without one, the child is restarted:
///   stopped exactly as `stop()` does, then spawned again (after the same
///   splay, which spreads a fleet's restarts).
/// - **Stop.** No splay (splay guards against stampeding starts, not stops):
///   `killSignal` to the group, up to `killTimeout` for the child to exit,
///   then SIGKILL to the group. Once the child is gone, whatever is left of
///   its group is SIGKILLed too, so no helper outlives a stop or restart.
/// - **Exits.** An exit the supervisor did not cause (the child died or
///   quit by itself) is delivered on `exits`; the daemon should exit with
///   `Termination.exitCode`. Exits caused by `stop()` or a restart are not
///   delivered there. A child that exited is not started again by `reload()`.
/// - **Reaping.** Each child is reaped by its own thread with `waitpid` on
///   its pid only, never `waitpid(-1)`, so `CommandRunner` can run commands
///   at the same time. The daemon must not set SIGCHLD to `SIG_IGN` (the
///   kernel would then reap children itself and their status is lost: the
///   exit is still noticed, reported as `.exited(-1)`), and should not
///   forward SIGCHLD to the child.
/// - **Signal dispositions.** The child starts with every signal at its
///   default action and none blocked, whatever the daemon ignores or blocks
///   to handle signals itself.
public final class ChildSupervisor: Sendable {
    /// What to run and how to treat it.
    public struct Configuration: Sendable {
        /// argv, `command[0]` looked up in PATH. A single element is a shell
        /// line run with `/bin/sh -c`, as consul-template does.
        public var command: [String]
        /// Complete environment, or nil to inherit the daemon's.
        public var environment: [String: String]?
        /// Sent on `reload()`; nil restarts the child instead.
        public var reloadSignal: Int32?
        /// Sent by `stop()` to ask the child to exit.
        public var killSignal: Int32
        /// How long `stop()` waits after `killSignal` before SIGKILL.
        public var killTimeout: Duration
        /// Upper bound of the random delay before a reload signal or restart.
        public var splay: Duration
        public var standardInput: StandardInput

        public init(
            command: [String], environment: [String: String]? = nil, reloadSignal: Int32? = nil,
            killSignal: Int32 = 2 /* SIGINT */, killTimeout: Duration = .seconds(30), splay: Duration = .zero,
            standardInput: StandardInput = .inherit
        ) {
            self.command = command
            self.environment = environment
            self.reloadSignal = reloadSignal
            self.killSignal = killSignal
            self.killTimeout = killTimeout
            self.splay = splay
            self.standardInput = standardInput
        }

        /// The argv actually spawned.
        var argv: [String] { command.count == 1 ? ["/bin/sh", "-c", command[0]] : command }
    }

    /// Where the child's stdin comes from.
    public enum StandardInput: Sendable, Equatable {
        /// The daemon's own stdin (consul-template's behaviour).
        case inherit
        /// `/dev/null`.
        case null
    }

    /// How a child ended.
    public enum Termination: Sendable, Equatable, CustomStringConvertible {
        case exited(Int32)
        case signaled(Int32)

        /// The status for the daemon to exit with: the child's own code, or
        /// 128 + signal as shells report a signal death.
        public var exitCode: Int32 {
            switch self {
            case .exited(let code): code
            case .signaled(let signal): 128 + signal
            }
        }

        public var description: String {
            switch self {
            case .exited(let code): "exited with code \(code)"
            case .signaled(let signal): "killed by signal \(signal)"
            }
        }

        init(waitStatus status: Int32) {
            let signal = status & 0x7F
            self = signal == 0 ? .exited((status >> 8) & 0xFF) : .signaled(signal)
        }
    }

    /// The child could not be started.
    public struct StartError: Error, Sendable, CustomStringConvertible {
        public let command: String
        /// The `posix_spawn` error; `ECANCELED` when the supervisor was already stopped.
        public let errno: Int32
        public var description: String {
            errno == ECANCELED ? "cannot start \(command): supervisor is stopped" : "cannot start \(command): \(String(cString: strerror(errno)))"
        }
    }

    public let configuration: Configuration
    /// Exits the supervisor did not cause, in order; finishes after `stop()`.
    public let exits: AsyncStream<Termination>

    private let exitsContinuation: AsyncStream<Termination>.Continuation
    private let state = Locked()
    /// Set by `stop()`: interrupts a pending splay.
    private let stopping = ChildOneShot<Void>()

    /// The mutable part, behind a lock.
    private final class Locked: @unchecked Sendable {
        let lock = NSLockLite()
        var current: ChildProcess?
        var stopped = false
    }

    public init(_ configuration: Configuration) {
        self.configuration = configuration
        (exits, exitsContinuation) = AsyncStream.makeStream(of: Termination.self)
    }

    /// The running child's pid (also its process group id), if any.
    public var pid: Int32? { state.lock.withLock { state.current?.pid } }

    /// Starts the child unless one is running.
    ///
    /// - Returns: the child's pid.
    /// - Throws: `StartError` when it cannot be spawned or `stop()` was called.
    @discardableResult
    public func start() throws(StartError) -> Int32 {
        try state.lock.withLock { () -> Result<Int32, StartError> in
            if let current = state.current { return .success(current.pid) }
            return spawnLocked()
        }.get()
    }

    /// Tells the child its configuration changed: the reload signal after a
    /// random splay, or a restart when there is no reload signal.
    ///
    /// Returns early, doing nothing, when no child is running, or when
    /// `stop()` is called or the calling task is cancelled during the splay.
    /// Concurrent restarts of one child start one new child.
    ///
    /// - Throws: `StartError` when the restarted child cannot be spawned (the
    ///   old one is stopped by then; no child runs).
    public func reload() async throws(StartError) {
        guard let child = state.lock.withLock({ state.stopped ? nil : state.current }) else { return }
        let splay = CommandRunner.nanoseconds(configuration.splay)
        if splay > 0 {
            let delay = Duration.nanoseconds(Int64(clamping: UInt64.random(in: 0..<splay)))
            // A stop, or the caller's cancellation, abandons the reload.
            if await stopping.wait(timeout: delay) != nil || Task.isCancelled { return }
        }
        if let signal = configuration.reloadSignal {
            child.signal(signal)
            return
        }
        _ = await terminate(child)
        _ = try state.lock.withLock { () -> Result<Int32, StartError> in
            // Another restart or a stop got here first.
            guard !state.stopped, state.current === child else { return .success(0) }
            state.current = nil
            return spawnLocked()
        }.get()
    }

    /// Relays a signal the daemon received to the child's process group.
    ///
    /// - Returns: whether a running child was signalled.
    @discardableResult
    public func forward(signal: Int32) -> Bool {
        state.lock.withLock { state.current }?.signal(signal) ?? false
    }

    /// Stops the child for good: `killSignal`, then SIGKILL after
    /// `killTimeout`; no splay. Later `start()` and `reload()` calls do
    /// nothing, and `exits` finishes.
    ///
    /// - Returns: how the stopped child ended, or nil if none was running.
    @discardableResult
    public func stop() async -> Termination? {
        let child: ChildProcess? = state.lock.withLock {
            state.stopped = true
            defer { state.current = nil }
            return state.current
        }
        stopping.set(())
        let termination = if let child { await terminate(child) } else { Termination?.none }
        exitsContinuation.finish()
        return termination
    }

    // MARK: - internals

    /// Spawns the child; the caller holds the state lock.
    private func spawnLocked() -> Result<Int32, StartError> {
        let argv = configuration.argv
        guard !state.stopped else { return .failure(StartError(command: argv.joined(separator: " "), errno: ECANCELED)) }
        do throws(StartError) {
            let child = try ChildProcess.spawn(argv, environment: configuration.environment, standardInput: configuration.standardInput) {
                [weak self] child, termination, requested in
                self?.childExited(child, termination, requested: requested)
            }
            state.current = child
            return .success(child.pid)
        } catch {
            return .failure(error)
        }
    }

    /// The reaper's report. A requested exit belongs to whoever requested
    /// it (`stop()` or a restart replaces `current` itself); any other exit
    /// forgets the child and is delivered on `exits`.
    private func childExited(_ child: ChildProcess, _ termination: Termination, requested: Bool) {
        guard !requested else { return }
        state.lock.withLock {
            if state.current === child { state.current = nil }
        }
        exitsContinuation.yield(termination)
    }

    /// `killSignal`, up to `killTimeout`, SIGKILL; waits for the exit.
    private func terminate(_ child: ChildProcess) async -> Termination? {
        if child.requestStop() {
            child.signal(configuration.killSignal)
            if let termination = await child.exit.wait(timeout: configuration.killTimeout) { return termination }
            child.signal(SIGKILL)
        }
        // SIGKILL cannot be caught: the exit follows (or it had already happened).
        return await child.exit.wait(timeout: nil)
    }
}
