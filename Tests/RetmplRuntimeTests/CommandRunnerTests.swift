#if canImport(Glibc)
import Glibc
#endif
import Testing
@testable import RetmplRuntime

@Suite struct CommandRunnerTests {
    let runner = CommandRunner()

    @Test func reportsExitStatusAndOutput() async throws {
        let ok = try await runner.run(.shell("echo hello; echo oops >&2"))
        #expect(ok.termination == .exited(0))
        #expect(String(decoding: ok.output, as: UTF8.self) == "hello\noops\n")
        let failed = try await runner.run(.shell("echo bad config; exit 3"))
        #expect(failed.termination == .exited(3))
        #expect(failed.tail(lines: 2) == "bad config\n")
    }

    /// The seeds' reload line leaves a background process holding stdout:
    /// the command must finish when its shell does, not when that child exits.
    @Test func backgroundChildDoesNotBlockCompletion() async throws {
        let start = CommandRunner.monotonicNow()
        let outcome = try await runner.run(.shell("sleep 30 & echo reloaded $!", timeout: .seconds(20)))
        let elapsed = Double(CommandRunner.monotonicNow() - start) / 1e9
        #expect(outcome.termination == .exited(0))
        let text = String(decoding: outcome.output, as: UTF8.self)
        #expect(text.hasPrefix("reloaded "))
        #expect(elapsed < 10, "took \(elapsed) s")
        // Leave nothing behind: stop the background sleep by its pid.
        if let pid = Int32(text.dropFirst("reloaded ".count).trimmingPrefix(" ").prefix(while: { $0.isNumber })) {
            kill(pid, SIGKILL)
        }
    }

    @Test func timeoutKillsTheWholeGroup() async throws {
        let outcome = try await runner.run(
            CommandRunner.Command(arguments: ["/bin/sh", "-c", "sleep 60 & sleep 60"], timeout: .milliseconds(300), killGrace: .milliseconds(200)))
        #expect(outcome.termination == .timedOut)
    }

    @Test func argumentListRunsWithoutAShell() async throws {
        let outcome = try await runner.run(CommandRunner.Command(arguments: ["printf", "%s|%s", "a b", "$HOME"]))
        #expect(String(decoding: outcome.output, as: UTF8.self) == "a b|$HOME")
    }

    @Test func environmentIsExactlyWhatIsGiven() async throws {
        let outcome = try await runner.run(.shell("echo \"$RETMPL_CANDIDATE:$HOME\"", environment: ["RETMPL_CANDIDATE": "/etc/x/.cfg.tmp", "PATH": "/usr/bin:/bin"]))
        #expect(String(decoding: outcome.output, as: UTF8.self) == "/etc/x/.cfg.tmp:\n")
    }

    @Test func missingProgramIsASpawnError() async {
        await #expect(throws: CommandRunner.SpawnError.self) {
            try await runner.run(CommandRunner.Command(arguments: ["/nonexistent/retmpl-no-such-program"]))
        }
    }

    @Test func outputIsCappedToItsTail() async throws {
        let small = CommandRunner(outputLimit: 100)
        let outcome = try await small.run(.shell("seq 1 1000"))
        #expect(outcome.output.count == 100)
        #expect(String(decoding: outcome.output, as: UTF8.self).hasSuffix("999\n1000\n"))
    }
}
