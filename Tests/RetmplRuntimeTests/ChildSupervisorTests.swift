#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Testing
@testable import RetmplRuntime

/// Exec mode against real processes. Children report through a file they
/// append to (`$F`); tests wait on its contents with bounded polling, never
/// on a fixed sleep.
@Suite struct ChildSupervisorTests {
    /// A scratch directory with the file children write to.
    final class Scratch: Sendable {
        let dir: String
        var file: String { dir + "/events" }
        init() throws {
            dir = FileManager.default.temporaryDirectory.appendingPathComponent("retmpl-child-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        }
        deinit { try? FileManager.default.removeItem(atPath: dir) }

        var lines: [String] {
            ((try? String(contentsOfFile: file, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
        }

        /// Polls until `condition` holds on the file's lines, for at most `limit`.
        func wait(for limit: Duration = .seconds(10), _ condition: ([String]) -> Bool) async -> Bool {
            let clock = ContinuousClock()
            let deadline = clock.now + limit
            while clock.now < deadline {
                if condition(lines) { return true }
                try? await Task.sleep(for: .milliseconds(10))
            }
            return condition(lines)
        }

        func count(_ line: String) -> ([String]) -> Bool { { $0.filter { $0 == line }.count >= 1 } }
    }

    /// A shell child that appends `ready` to `$F`, runs `traps` first, then idles.
    static func idle(_ scratch: Scratch, traps: String = "", prelude: String = "") -> [String] {
        ["F=\(scratch.file); \(traps) \(prelude) echo ready >> \"$F\"; while :; do sleep 0.05; done"]
    }

    /// Whether `pid` no longer runs (gone, or a zombie awaiting its new parent).
    static func isGone(_ pid: Int32) -> Bool {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
        // pid (comm) S ...: the state follows the last ')'.
        guard let close = stat.lastIndex(of: ")") else { return true }
        return stat[stat.index(after: close)...].trimmingPrefix(" ").first == "Z"
    }

    static func waitGone(_ pid: Int32) async -> Bool {
        for _ in 0..<1000 {
            if isGone(pid) { return true }
            try? await Task.sleep(for: .milliseconds(10))
        }
        return isGone(pid)
    }

    /// The next exit on `exits`, or nil after `limit`.
    static func nextExit(_ supervisor: ChildSupervisor, within limit: Duration = .seconds(10)) async -> ChildSupervisor.Termination? {
        await withTaskGroup(of: ChildSupervisor.Termination?.self) { group in
            group.addTask {
                for await exit in supervisor.exits { return exit }
                return nil
            }
            group.addTask {
                try? await Task.sleep(for: limit)
                return nil
            }
            let first = await group.next() ?? nil
            group.cancelAll()
            return first
        }
    }

    static func elapsed(since start: ContinuousClock.Instant) -> Double {
        let d = ContinuousClock.now - start
        return Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    // MARK: - start and exits

    @Test func exitCodeOfAChildThatExitsByItselfIsReported() async throws {
        let scratch = try Scratch()
        let supervisor = ChildSupervisor(.init(command: ["echo ready >> \(scratch.file); exit 7"]))
        let pid = try supervisor.start()
        #expect(pid > 0)
        let exit = await Self.nextExit(supervisor)
        #expect(exit == .exited(7))
        #expect(exit?.exitCode == 7)
        #expect(scratch.lines == ["ready"])
        #expect(supervisor.pid == nil)
        #expect(await supervisor.stop() == nil)
    }

    @Test func deathBySignalIsReportedAs128PlusSignal() async throws {
        let supervisor = ChildSupervisor(.init(command: ["kill -TERM $$"]))
        try supervisor.start()
        let exit = await Self.nextExit(supervisor)
        #expect(exit == .signaled(SIGTERM))
        #expect(exit?.exitCode == 128 + SIGTERM)
    }

    @Test func argumentListRunsWithoutAShellAndWithTheGivenEnvironment() async throws {
        let scratch = try Scratch()
        let supervisor = ChildSupervisor(
            .init(command: ["/bin/sh", "-c", "echo \"$RETMPL_X:$HOME\" > \"$1\"", "sh", scratch.file], environment: ["RETMPL_X": "y"]))
        try supervisor.start()
        #expect(await Self.nextExit(supervisor) == .exited(0))
        #expect(scratch.lines == ["y:"])
    }

    @Test func nullStandardInputReadsEndOfFile() async throws {
        let scratch = try Scratch()
        let supervisor = ChildSupervisor(.init(command: ["cat > \(scratch.file); echo eof >> \(scratch.file)"], standardInput: .null))
        try supervisor.start()
        #expect(await Self.nextExit(supervisor) == .exited(0))
        #expect(scratch.lines == ["eof"])
    }

    /// The daemon ignores signals it handles through dispatch sources;
    /// ignored dispositions survive exec, so the child must get defaults.
    @Test func childStartsWithDefaultSignalDispositions() async throws {
        // SIGURG's default action is to be ignored, so ignoring it here
        // changes nothing else in this process, but it shows in SigIgn.
        signal(SIGURG, SIG_IGN)
        #expect(Self.signalMask("SigIgn", of: getpid()).map { $0 & (1 << (UInt64(SIGURG) - 1)) != 0 } == true)
        let supervisor = ChildSupervisor(.init(command: ["/bin/sleep", "60"], killTimeout: .seconds(5)))
        let pid = try supervisor.start()
        // glibc's posix_spawn leaves its two internal signals (32, 33) at
        // SIG_IGN, which cannot be requested otherwise; glibc programs
        // reinstall their handlers for them at start, and SIGRTMIN is 34.
        let glibcInternal: UInt64 = 0b11 << 31
        #expect(Self.signalMask("SigIgn", of: pid).map { $0 & ~glibcInternal } == 0)
        #expect(Self.signalMask("SigBlk", of: pid) == 0)
        #expect(await supervisor.stop() == .signaled(SIGINT))
    }

    /// A signal mask line of /proc/PID/status (`SigIgn`, `SigBlk`), once `pid` runs `sleep`.
    static func signalMask(_ field: String, of pid: Int32) -> UInt64? {
        for _ in 0..<1000 {
            guard let status = try? String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8) else { return nil }
            let lines = status.split(separator: "\n")
            // posix_spawn returns after exec, but be sure the image is sleep's.
            if pid != getpid() && lines.first != "Name:\tsleep" {
                usleep(1000)
                continue
            }
            for line in lines where line.hasPrefix(field + ":") {
                return UInt64(line.dropFirst(field.count + 1).trimmingCharacters(in: .whitespaces), radix: 16)
            }
        }
        return nil
    }

    @Test func startIsIdempotentWhileRunning() async throws {
        let scratch = try Scratch()
        let supervisor = ChildSupervisor(.init(command: Self.idle(scratch), killTimeout: .seconds(5)))
        let first = try supervisor.start()
        #expect(try supervisor.start() == first)
        #expect(await scratch.wait(scratch.count("ready")))
        #expect(await supervisor.stop() != nil)
        #expect(scratch.lines == ["ready"])
    }

    @Test func missingProgramIsAStartError() {
        let supervisor = ChildSupervisor(.init(command: ["/nonexistent/retmpl-no-such-program", "x"]))
        #expect {
            try supervisor.start()
        } throws: { error in
            (error as? ChildSupervisor.StartError)?.errno == ENOENT
        }
        #expect(supervisor.pid == nil)
    }

    @Test func startAfterStopIsRefused() async {
        let supervisor = ChildSupervisor(.init(command: ["true"]))
        #expect(await supervisor.stop() == nil)
        #expect {
            try supervisor.start()
        } throws: { error in
            (error as? ChildSupervisor.StartError)?.errno == ECANCELED
        }
    }

    // MARK: - reload

    @Test func reloadSendsTheReloadSignal() async throws {
        let scratch = try Scratch()
        let supervisor = ChildSupervisor(
            .init(command: Self.idle(scratch, traps: "trap 'echo HUP >> \"$F\"' HUP;"), reloadSignal: SIGHUP, killTimeout: .seconds(5)))
        let pid = try supervisor.start()
        #expect(await scratch.wait(scratch.count("ready")))
        try await supervisor.reload()
        #expect(await scratch.wait(scratch.count("HUP")))
        #expect(supervisor.pid == pid)
        await supervisor.stop()
    }

    @Test func reloadWaitsARandomSplayThenSignals() async throws {
        let scratch = try Scratch()
        let supervisor = ChildSupervisor(
            .init(
                command: Self.idle(scratch, traps: "trap 'echo USR2 >> \"$F\"' USR2;"), reloadSignal: SIGUSR2, killTimeout: .seconds(5),
                splay: .milliseconds(200)))
        try supervisor.start()
        #expect(await scratch.wait(scratch.count("ready")))
        try await supervisor.reload()
        #expect(await scratch.wait(scratch.count("USR2")))
        await supervisor.stop()
    }

    @Test func reloadWithoutSignalRestartsTheChild() async throws {
        let scratch = try Scratch()
        let supervisor = ChildSupervisor(.init(command: Self.idle(scratch, traps: "trap 'echo INT >> \"$F\"; exit 0' INT;"), killTimeout: .seconds(5)))
        let old = try supervisor.start()
        #expect(await scratch.wait(scratch.count("ready")))
        try await supervisor.reload()
        let new = try #require(supervisor.pid)
        #expect(new != old)
        #expect(await Self.waitGone(old))
        // The old child got the kill signal; the new one started.
        #expect(await scratch.wait { $0 == ["ready", "INT", "ready"] })
        #expect(await supervisor.stop() == .exited(0))
        // Neither the restart's nor the stop's exit is an exit of the child's own.
        var reported: [ChildSupervisor.Termination] = []
        for await exit in supervisor.exits { reported.append(exit) }
        #expect(reported.isEmpty)
    }

    @Test func stopDuringSplayCancelsTheReload() async throws {
        let scratch = try Scratch()
        let supervisor = ChildSupervisor(
            .init(
                command: Self.idle(scratch, traps: "trap 'echo HUP >> \"$F\"' HUP;"), reloadSignal: SIGHUP, killTimeout: .seconds(5),
                splay: .seconds(3600)))
        try supervisor.start()
        #expect(await scratch.wait(scratch.count("ready")))
        let start = ContinuousClock.now
        let reload = Task { try await supervisor.reload() }
        #expect(await supervisor.stop() != nil)
        try await reload.value
        #expect(Self.elapsed(since: start) < 10)
        // The child is gone, so its file is final: no reload signal reached it.
        #expect(!scratch.lines.contains("HUP"))
    }

    @Test func reloadDoesNotResurrectAnExitedChild() async throws {
        let supervisor = ChildSupervisor(.init(command: ["exit 4"]))
        try supervisor.start()
        #expect(await Self.nextExit(supervisor) == .exited(4))
        try await supervisor.reload()
        #expect(supervisor.pid == nil)
    }

    // MARK: - signals and stop

    @Test func forwardedSignalReachesTheChild() async throws {
        let scratch = try Scratch()
        let supervisor = ChildSupervisor(.init(command: Self.idle(scratch, traps: "trap 'echo USR1 >> \"$F\"' USR1;"), killTimeout: .seconds(5)))
        #expect(!supervisor.forward(signal: SIGUSR1))
        try supervisor.start()
        #expect(await scratch.wait(scratch.count("ready")))
        #expect(supervisor.forward(signal: SIGUSR1))
        #expect(await scratch.wait(scratch.count("USR1")))
        await supervisor.stop()
    }

    @Test func stopSendsTheConfiguredKillSignal() async throws {
        let scratch = try Scratch()
        let supervisor = ChildSupervisor(
            .init(command: Self.idle(scratch, traps: "trap 'echo TERM >> \"$F\"; exit 3' TERM;"), killSignal: SIGTERM, killTimeout: .seconds(5)))
        let pid = try supervisor.start()
        #expect(await scratch.wait(scratch.count("ready")))
        #expect(await supervisor.stop() == .exited(3))
        #expect(scratch.lines == ["ready", "TERM"])
        #expect(Self.isGone(pid))
        var reported: [ChildSupervisor.Termination] = []
        for await exit in supervisor.exits { reported.append(exit) }
        #expect(reported.isEmpty)
    }

    @Test func childIgnoringTheKillSignalIsKilledAfterTheTimeout() async throws {
        let scratch = try Scratch()
        let supervisor = ChildSupervisor(.init(command: Self.idle(scratch, traps: "trap '' INT;"), killTimeout: .milliseconds(300)))
        try supervisor.start()
        #expect(await scratch.wait(scratch.count("ready")))
        let start = ContinuousClock.now
        #expect(await supervisor.stop() == .signaled(SIGKILL))
        let took = Self.elapsed(since: start)
        #expect(took >= 0.29 && took < 10, "took \(took) s")
    }

    @Test func stopKillsABackgroundGrandchild() async throws {
        let scratch = try Scratch()
        let grandchild = scratch.dir + "/grandchild"
        let supervisor = ChildSupervisor(
            .init(command: Self.idle(scratch, prelude: "sleep 1000 & echo $! > \(grandchild);"), killTimeout: .seconds(5)))
        try supervisor.start()
        #expect(await scratch.wait(scratch.count("ready")))
        let text = try String(contentsOfFile: grandchild, encoding: .utf8)
        let pid = try #require(Int32(text.trimmingCharacters(in: .whitespacesAndNewlines)))
        #expect(!Self.isGone(pid))
        #expect(await supervisor.stop() != nil)
        #expect(await Self.waitGone(pid))
    }
}
