#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif
import Foundation

/// One spawned child: its pid, its process group, and the thread that reaps it.
///
/// The child leads its own process group (`posix_spawn` with
/// `POSIX_SPAWN_SETPGROUP`), so every signal goes to the whole group and
/// reaches what a wrapper script started. Only this pid is ever waited for
/// (never `waitpid(-1)`: `CommandRunner` reaps its own commands concurrently).
///
/// Signals can never hit a recycled pid: the reaper first waits with
/// `WNOWAIT`, which leaves the child a zombie (its pid, and so its group id,
/// stay reserved), and then reaps it under the same lock that every
/// `signal(_:)` takes after checking the child is not yet reaped.
final class ChildProcess: @unchecked Sendable {
    let pid: pid_t
    /// Set once, by the reaper, with how the child ended.
    let exit = ChildOneShot<ChildSupervisor.Termination>()

    private let lock = NSLockLite()
    private var reaped = false
    private var stopRequested = false

    private init(pid: pid_t) { self.pid = pid }

    /// Spawns `arguments` in a new process group with default signal
    /// dispositions and an empty signal mask, and starts its reaper.
    ///
    /// - Parameter onExit: called once on the reaper thread after the child
    ///   was reaped, with whether its exit was requested through `requestStop`.
    static func spawn(
        _ arguments: [String], environment: [String: String]?, standardInput: ChildSupervisor.StandardInput,
        onExit: @escaping @Sendable (ChildProcess, ChildSupervisor.Termination, _ requested: Bool) -> Void
    ) throws(ChildSupervisor.StartError) -> ChildProcess {
        let name = arguments.joined(separator: " ")
        guard let program = arguments.first else { throw ChildSupervisor.StartError(command: "(empty)", errno: EINVAL) }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        if standardInput == .null {
            posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        }

        var attr = posix_spawnattr_t()
        posix_spawnattr_init(&attr)
        defer { posix_spawnattr_destroy(&attr) }
        // Own group; dispositions back to default because ignored signals
        // survive exec (a daemon that ignores SIGHUP to handle it itself
        // must not hand a child that ignores its reload signal).
        posix_spawnattr_setflags(&attr, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        posix_spawnattr_setpgroup(&attr, 0)
        var empty = sigset_t()
        sigemptyset(&empty)
        posix_spawnattr_setsigmask(&attr, &empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigdefault(&attr, &all)

        let argv: [UnsafeMutablePointer<CChar>?] = arguments.map { strdup($0) } + [nil]
        defer { for p in argv { free(p) } }
        let envp = environment.map { env in env.map { strdup("\($0.key)=\($0.value)") } + [nil] }
        defer { envp?.forEach { free($0) } }

        var pid: pid_t = 0
        let rc: Int32
        if let envp {
            rc = posix_spawnp(&pid, program, &actions, &attr, argv, envp)
        } else {
            rc = posix_spawnp(&pid, program, &actions, &attr, argv, environ)
        }
        if rc != 0 { throw ChildSupervisor.StartError(command: name, errno: rc) }

        let child = ChildProcess(pid: pid)
        let reaper = Thread { child.reap(onExit: onExit) }
        reaper.name = "retmpl-child-\(pid)"
        reaper.start()
        return child
    }

    /// Sends `signal` to the child's whole process group, unless it was reaped.
    ///
    /// - Returns: whether the signal was sent.
    @discardableResult
    func signal(_ signal: Int32) -> Bool {
        lock.withLock {
            guard !reaped else { return false }
            return kill(-pid, signal) == 0
        }
    }

    /// Marks the coming exit as requested (not reported as the child's own),
    /// and makes the reaper kill what is left of the group once the leader
    /// is gone.
    ///
    /// - Returns: false when the child had already been reaped.
    @discardableResult
    func requestStop() -> Bool {
        lock.withLock {
            guard !reaped else { return false }
            stopRequested = true
            return true
        }
    }

    /// Blocks this (dedicated) thread until the child exits, then reaps it.
    private func reap(onExit: (ChildProcess, ChildSupervisor.Termination, Bool) -> Void) {
        var info = siginfo_t()
        // Wait without reaping: the zombie keeps pid and group id reserved.
        while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) != 0 {
            if errno == EINTR { continue }
            break  // ECHILD: someone else reaped it (should not happen); report what waitpid says
        }
        let (termination, requested): (ChildSupervisor.Termination, Bool) = lock.withLock {
            // A stopped child's background helpers would outlive it (a
            // non-interactive shell starts `cmd &` with SIGINT ignored):
            // kill the rest of the group while the leader's zombie still
            // pins the group id.
            if stopRequested { kill(-pid, SIGKILL) }
            var status: Int32 = 0
            var result: pid_t
            repeat { result = waitpid(pid, &status, 0) } while result < 0 && errno == EINTR
            reaped = true
            let termination: ChildSupervisor.Termination = result == pid ? ChildSupervisor.Termination(waitStatus: status) : .exited(-1)
            return (termination, stopRequested)
        }
        exit.set(termination)
        onExit(self, termination, requested)
    }
}
