import Foundation
import RetmplRegistry
@testable import RetmplRuntime
import RetmplTemplate
import RetmplTestSupport
import Testing

/// A runner under test: its task, its events, its scratch directory.
struct RunningRuntime {
    let runner: Runner
    let task: Task<RuntimeError?, Never>
    let events: EventRecorder<RuntimeEvent>
    let dir: ScratchDirectory

    /// Waits for the next event of `kind` after position `from`; fails the test if none comes.
    @discardableResult
    func next(_ kind: RuntimeEvent.Kind, from: Int = 0, containing text: String? = nil,
              sourceLocation: Testing.SourceLocation = #_sourceLocation) async -> RuntimeEvent? {
        let hit = await events.first(from: from) { $0.kind == kind && (text.map($0.message.contains) ?? true) }
        if hit == nil {
            Issue.record("no \(kind) event\(text.map { " containing \"\($0)\"" } ?? ""); events: \(events.all.map(\.description))",
                         sourceLocation: sourceLocation)
        }
        return hit
    }

    func stop() async -> RuntimeError? {
        task.cancel()
        let error = await task.value
        dir.remove()
        return error
    }
}

func startRuntime(
    templates: (ScratchDirectory) throws -> [TemplateConfig], feed: (ScratchDirectory) throws -> Runner.Feed,
    wait: WaitWindow? = nil, once: Bool = false, missingDataGrace: Duration = .seconds(30)
) throws -> RunningRuntime {
    let dir = ScratchDirectory("retmpl-runner")
    let events = EventRecorder<RuntimeEvent>()
    let configuration = Runner.Configuration(
        templates: try templates(dir), feed: try feed(dir), wait: wait, once: once,
        missingDataGrace: missingDataGrace, observer: { events.record($0) })
    let runner = try Runner(configuration)
    let task = Task { () -> RuntimeError? in
        do throws(RuntimeError) {
            try await runner.run()
            return nil
        } catch {
            return error
        }
    }
    return RunningRuntime(runner: runner, task: task, events: events, dir: dir)
}

let webTemplate = """
    {{ range service "web" }}server {{ .ID }} {{ .Address }}:{{ .Port }}
    {{ end }}
    """

/// A reader over the fake Consul with short blocking waits, so tests that
/// inject faults see them within a fraction of a second.
private func consulFeed(_ fake: FakeConsulProcess, token: String? = nil, blockWait: Duration = .seconds(60)) throws -> Runner.Feed {
    let policy = WatchPolicy(blockQueryWait: blockWait, retry: RetryPolicy(backoff: .milliseconds(50), maxBackoff: .seconds(2)))
    return .registry(ConsulReader(client: try fake.client(token: token)), policy)
}

private func fileTemplate(_ dir: ScratchDirectory, _ text: String, _ out: String = "out.txt",
                          check: TemplateConfig.Action? = nil, command: TemplateConfig.Action? = nil,
                          rollback: Bool = false) throws -> TemplateConfig {
    TemplateConfig(source: .text(text, name: "t.ctmpl"), destination: .file(dir.file(out)), check: check,
                   command: command, rollbackOnFailure: rollback)
}

@Suite("Runner against the fake Consul", .serialized)
struct RunnerConsulTests {
    @Test func registrationAndDeregistrationReachTheFile() async throws {
        try await withFakeConsul { fake in
            try await fake.register(node: "n1", address: "10.0.0.1", service: "web", id: "web-1", port: 80)
            let rt = try startRuntime(templates: { [try fileTemplate($0, webTemplate)] }, feed: { _ in try consulFeed(fake) })
            await rt.next(.rendered)
            #expect(rt.dir.read("out.txt") == "server web-1 10.0.0.1:80\n")

            try await fake.awaitParked(1, path: "/v1/health/service/web")
            let mark = rt.events.count
            try await fake.register(node: "n2", address: "10.0.0.2", service: "web", id: "web-2", port: 81)
            await rt.next(.rendered, from: mark)
            #expect(rt.dir.read("out.txt") == "server web-1 10.0.0.1:80\nserver web-2 10.0.0.2:81\n")

            let mark2 = rt.events.count
            try await fake.deregister(node: "n1", id: "web-1")
            await rt.next(.rendered, from: mark2)
            #expect(rt.dir.read("out.txt") == "server web-2 10.0.0.2:81\n")
            #expect(await rt.stop() == nil)
        }
    }

    /// The watched data is kept packed and rebuilt on recall; one render
    /// must still see the same records from two calls, as Go's pointer `eq` does.
    @Test func twoCallsInOneRenderSeeTheSameRecords() async throws {
        try await withFakeConsul { fake in
            try await fake.register(node: "n1", address: "10.0.0.1", service: "web", id: "web-1", port: 80)
            let text = """
                {{ $a := index (service "web") 0 }}{{ $b := index (service "web") 0 }}\
                {{ if eq $a $b }}same{{ else }}different{{ end }}
                """
            let rt = try startRuntime(templates: { [try fileTemplate($0, text)] }, feed: { _ in try consulFeed(fake) })
            await rt.next(.rendered)
            #expect(rt.dir.read("out.txt") == "same")
            #expect(await rt.stop() == nil)
        }
    }

    @Test func healthFlappingFollowsThePassingFilter() async throws {
        try await withFakeConsul { fake in
            try await fake.register(node: "n1", address: "10.0.0.1", service: "web", id: "web-1", port: 80, status: "passing")
            try await fake.register(node: "n2", address: "10.0.0.2", service: "web", id: "web-2", port: 80, status: "passing")
            let rt = try startRuntime(templates: { [try fileTemplate($0, webTemplate)] }, feed: { _ in try consulFeed(fake) })
            await rt.next(.rendered)
            #expect(rt.dir.read("out.txt")?.contains("web-2") == true)

            var mark = rt.events.count
            try await fake.register(node: "n2", address: "10.0.0.2", service: "web", id: "web-2", port: 80, status: "critical")
            await rt.next(.rendered, from: mark)
            #expect(rt.dir.read("out.txt") == "server web-1 10.0.0.1:80\n")

            mark = rt.events.count
            try await fake.register(node: "n2", address: "10.0.0.2", service: "web", id: "web-2", port: 80, status: "passing")
            await rt.next(.rendered, from: mark)
            #expect(rt.dir.read("out.txt")?.contains("web-2") == true)
            _ = await rt.stop()
        }
    }

    @Test func missingKeyIsReportedByNameThenRendersWhenItArrives() async throws {
        try await withFakeConsul { fake in
            let rt = try startRuntime(
                templates: { [try fileTemplate($0, "max={{ key \"app/maxconn\" }}\n")] }, feed: { _ in try consulFeed(fake) },
                missingDataGrace: .milliseconds(200))
            let waiting = await rt.next(.waiting)
            #expect(waiting?.message.contains("kv.block(app/maxconn)") == true)
            #expect(rt.dir.read("out.txt") == nil)
            try await fake.putKey("app/maxconn", "512")
            await rt.next(.rendered)
            #expect(rt.dir.read("out.txt") == "max=512\n")
            _ = await rt.stop()
        }
    }

    /// A pass waits for missing data only while nothing it used changed: a
    /// change can make the missing data unnecessary.
    @Test func aChangeToUsedDataRendersEvenWhileOtherDataIsMissing() async throws {
        try await withFakeConsul { fake in
            try await fake.putKey("flag", "on")
            let rt = try startRuntime(
                templates: { [try fileTemplate($0, "{{ if eq (key \"flag\") \"on\" }}{{ key \"x\" }}{{ else }}off{{ end }}\n")] },
                feed: { _ in try consulFeed(fake) }, missingDataGrace: .milliseconds(100))
            // Reports repeat (100 ms, then doubling); wait for the one naming x.
            let waiting = await rt.next(.waiting, containing: "kv.block(x)")
            #expect(waiting?.message.contains("kv.block(flag)") == false)
            try await fake.putKey("flag", "off")
            await rt.next(.rendered)
            #expect(rt.dir.read("out.txt") == "off\n")
            _ = await rt.stop()
        }
    }

    @Test func indexGoingBackwardsStillDeliversChanges() async throws {
        try await withFakeConsul { fake in
            try await fake.putKey("app/v", "1")
            let rt = try startRuntime(templates: { [try fileTemplate($0, "v={{ key \"app/v\" }}\n")] }, feed: { _ in try consulFeed(fake) })
            await rt.next(.rendered)
            try await fake.awaitParked(1, path: "/v1/kv/app/v")
            try await fake.control("PUT", "/_fake/index-reset", [("index", "2")])
            try await fake.awaitParked(1, path: "/v1/kv/app/v")
            let mark = rt.events.count
            try await fake.putKey("app/v", "2")
            await rt.next(.rendered, from: mark)
            #expect(rt.dir.read("out.txt") == "v=2\n")
            _ = await rt.stop()
        }
    }

    @Test func outageKeepsTheLastGoodOutputAndRecovers() async throws {
        try await withFakeConsul { fake in
            try await fake.register(node: "n1", address: "10.0.0.1", service: "web", id: "web-1", port: 80)
            let rt = try startRuntime(
                templates: { [try fileTemplate($0, webTemplate)] },
                feed: { _ in try consulFeed(fake, blockWait: .milliseconds(300)) })
            await rt.next(.rendered)
            let good = rt.dir.read("out.txt")
            try await fake.control("PUT", "/_fake/fail", [("path", "/v1/health/"), ("count", "-1"), ("status", "500"), ("body", "boom")])
            let failure = await rt.next(.registryError)
            #expect(failure?.message.contains("500") == true)
            #expect(rt.dir.read("out.txt") == good)

            try await fake.control("DELETE", "/_fake/fail")
            let mark = rt.events.count
            try await fake.register(node: "n2", address: "10.0.0.2", service: "web", id: "web-2", port: 81)
            await rt.next(.rendered, from: mark)
            #expect(rt.dir.read("out.txt")?.contains("web-2") == true)
            _ = await rt.stop()
        }
    }

    @Test func wholeRegistryDownThenBackRecoversThroughTheProbe() async throws {
        try await withFakeConsul { fake in
            try await fake.putKey("app/v", "1")
            let rt = try startRuntime(
                templates: { [try fileTemplate($0, "v={{ key \"app/v\" }}\n")] },
                feed: { _ in try consulFeed(fake, blockWait: .milliseconds(200)) })
            await rt.next(.rendered)
            try await fake.control("PUT", "/_fake/down", [("seconds", "60")])
            await rt.next(.registryError)
            #expect(rt.dir.read("out.txt") == "v=1\n")
            try await fake.control("PUT", "/_fake/down", [("seconds", "0")])
            let mark = rt.events.count
            try await fake.putKey("app/v", "2")
            await rt.next(.rendered, from: mark)
            #expect(rt.dir.read("out.txt") == "v=2\n")
            _ = await rt.stop()
        }
    }

    @Test func aclDenialIsAClearError() async throws {
        try await withFakeConsul(["--token", "SECRET"]) { fake in
            let rt = try startRuntime(templates: { [try fileTemplate($0, webTemplate)] }, feed: { _ in try consulFeed(fake, token: "wrong") })
            let error = await rt.next(.registryError)
            #expect(error?.message.contains("403") == true)
            #expect(error?.message.contains("health.service(web|passing)") == true)
            #expect(rt.dir.read("out.txt") == nil)
            _ = await rt.stop()
        }
    }

    @Test func quiescenceCoalescesABurstIntoOneRender() async throws {
        try await withFakeConsul { fake in
            try await fake.register(node: "n1", address: "10.0.0.1", service: "web", id: "web-1", port: 80)
            let rt = try startRuntime(
                templates: { [try fileTemplate($0, webTemplate)] }, feed: { _ in try consulFeed(fake) },
                wait: WaitWindow(min: .milliseconds(1500), max: .seconds(30)))
            await rt.next(.rendered)  // the first render is not delayed
            try await fake.awaitParked(1, path: "/v1/health/service/web")
            let mark = rt.events.count
            for n in 2...4 {
                try await fake.register(node: "n\(n)", address: "10.0.0.\(n)", service: "web", id: "web-\(n)", port: 80)
            }
            await rt.next(.rendered, from: mark)
            #expect(rt.dir.read("out.txt")?.split(separator: "\n").count == 4)
            let renders = rt.events.all[mark...].filter { $0.kind == .rendered }
            #expect(renders.count == 1)
            _ = await rt.stop()
        }
    }
}

@Suite("Quiescence per template", .serialized)
struct QuiescenceTests {
    /// consul-template shares one timer: a stream of changes to data only B
    /// uses keeps pushing A's render back. Here A renders `min` after its own
    /// last change while B is still changing.
    @Test func unrelatedChangesDoNotDelayATemplate() async throws {
        try await withFakeConsul { fake in
            try await fake.putKey("a", "0")
            try await fake.putKey("b", "0")
            let rt = try startRuntime(
                templates: { dir in [
                    TemplateConfig(source: .text("a={{ key \"a\" }}", name: "A"), destination: .file(dir.file("a.txt"))),
                    TemplateConfig(source: .text("b={{ key \"b\" }}", name: "B"), destination: .file(dir.file("b.txt"))),
                ] },
                feed: { _ in .registry(ConsulReader(client: try fake.client()), WatchPolicy()) },
                wait: WaitWindow(min: .milliseconds(800), max: .seconds(30)))
            _ = await rt.events.first { $0.kind == .ready }
            try await fake.awaitParked(2)
            let mark = rt.events.count
            try await fake.putKey("a", "1")
            // B's data keeps changing, 100 ms apart (pacing, not synchronisation),
            // for well over A's quiet period.
            for n in 1...20 {
                try await fake.putKey("b", String(n))
                try await Task.sleep(for: .milliseconds(100))
            }
            let endMark = rt.events.count
            let aRender = rt.events.all[mark..<endMark].firstIndex { $0.kind == .rendered && $0.template?.hasPrefix("A") == true }
            #expect(aRender != nil, "A waited for B's changes to stop: \(rt.events.all[mark...].map(\.description))")
            #expect(rt.dir.read("a.txt") == "a=1")
            // B renders once its own data is quiet.
            _ = await rt.events.first(from: endMark) { $0.kind == .rendered && $0.template?.hasPrefix("B") == true }
            #expect(rt.dir.read("b.txt") == "b=20")
            _ = await rt.stop()
        }
    }
}

@Suite("Runner writes, checks and commands")
struct RunnerPublishTests {
    private func snapshot(_ kv: [String: String]) throws -> Snapshot {
        let pairs = kv.sorted { $0.key < $1.key }.map { "\"\($0.key)\": \"\($0.value)\"" }.joined(separator: ", ")
        return try Snapshot.load(json: "{\"kv\": {\(pairs)}}")
    }

    @Test func failingCheckLeavesTheLiveFileUntouched() async throws {
        let rt = try startRuntime(
            templates: { dir in
                try dir.write("out.txt", "old\n")
                return [try fileTemplate(dir, "{{ key \"v\" }}\n", check: .shell("grep -q good \"$RETMPL_CANDIDATE\""))]
            },
            feed: { _ in .snapshot(try self.snapshot(["v": "bad"])) })
        let failed = await rt.next(.checkFailed)
        #expect(failed?.message.contains("left untouched") == true)
        #expect(rt.dir.read("out.txt") == "old\n")
        // No candidate is left behind.
        #expect(try FileManager.default.contentsOfDirectory(atPath: rt.dir.path) == ["out.txt"])
        _ = await rt.stop()
    }

    @Test func passingCheckSeesTheCandidateThenTheFileIsReplaced() async throws {
        let rt = try startRuntime(
            templates: { dir in
                [try fileTemplate(dir, "{{ key \"v\" }}\n", check: .shell("grep -q good \"$RETMPL_CANDIDATE\" && test \"$RETMPL_CANDIDATE\" != \"$RETMPL_DESTINATION\""))]
            },
            feed: { _ in .snapshot(try self.snapshot(["v": "good"])) })
        await rt.next(.rendered)
        #expect(rt.dir.read("out.txt") == "good\n")
        _ = await rt.stop()
    }

    @Test func templatesSharingACommandReloadOncePerPass() async throws {
        let rt = try startRuntime(
            templates: { dir in
                let command = TemplateConfig.Action.shell("echo run >> \(dir.file("runs.log"))")
                return [
                    try fileTemplate(dir, "a={{ key \"v\" }}\n", "a.txt", command: command),
                    try fileTemplate(dir, "b={{ key \"v\" }}\n", "b.txt", command: command),
                    try fileTemplate(dir, "c={{ key \"v\" }}\n", "c.txt", command: .shell("echo other >> \(dir.file("runs.log"))")),
                ]
            },
            feed: { _ in .snapshot(try self.snapshot(["v": "1"])) }, once: true)
        #expect(await rt.task.value == nil)
        #expect(rt.dir.read("runs.log") == "run\nother\n")
        #expect(rt.dir.read("a.txt") == "a=1\n" && rt.dir.read("b.txt") == "b=1\n")
        rt.dir.remove()
    }

    @Test func failedCommandRollsBackAndTheRuntimeKeepsGoing() async throws {
        let rt = try startRuntime(
            templates: { dir in
                try dir.write("out.txt", "previous\n")
                return [try fileTemplate(dir, "{{ key \"v\" }}\n", command: .shell("echo reload failed >&2; exit 3"), rollback: true)]
            },
            feed: { _ in .snapshot(try self.snapshot(["v": "new"])) })
        let failed = await rt.next(.commandFailed)
        #expect(failed?.message.contains("exit status 3") == true)
        #expect(failed?.message.contains("reload failed") == true)
        await rt.next(.rolledBack)
        #expect(rt.dir.read("out.txt") == "previous\n")
        // Still running: only cancellation ends it.
        #expect(await rt.stop() == nil)
    }

    @Test func closureCommandsAndSinksForEmbedding() async throws {
        let delivered = EventRecorder<String>()
        let reloads = EventRecorder<String>()
        let rt = try startRuntime(
            templates: { _ in
                [TemplateConfig(
                    source: .text("v={{ key \"v\" }}", name: "inline"),
                    destination: .sink(name: "memory") { delivered.record(String(decoding: $0, as: UTF8.self)) },
                    command: .closure(name: "reload proxy") { _ in reloads.record("reload") })]
            },
            feed: { _ in .snapshot(try self.snapshot(["v": "7"])) })
        #expect(await delivered.first { _ in true } == "v=7")
        #expect(await reloads.first { _ in true } == "reload")
        _ = await rt.stop()
    }

    @Test func onceFailsNamingDataThatNeverArrives() async throws {
        let rt = try startRuntime(
            templates: { [try fileTemplate($0, "{{ key \"absent/key\" }}")] },
            feed: { _ in .snapshot(try self.snapshot([:])) }, once: true)
        let error = await rt.task.value
        #expect(error?.kind == .missingData)
        #expect(error?.message.contains("kv.block(absent/key)") == true)
        rt.dir.remove()
    }

    @Test func snapshotFileChangesReRenderAndBadVersionsAreIgnored() async throws {
        let snapDir = ScratchDirectory("retmpl-snap")
        defer { snapDir.remove() }
        let path = try snapDir.write("registry.json", #"{"kv": {"v": "1"}}"#)
        let rt = try startRuntime(
            templates: { [try fileTemplate($0, "v={{ key \"v\" }}\n")] },
            feed: { _ in .snapshotFile(path: path, pollInterval: .milliseconds(20)) })
        await rt.next(.rendered)
        #expect(rt.dir.read("out.txt") == "v=1\n")

        var mark = rt.events.count
        try snapDir.write("registry.json", #"{"kv": {"v": 2}}"#)
        let invalid = await rt.next(.snapshotInvalid, from: mark)
        #expect(invalid?.message.contains("kv") == true)
        #expect(rt.dir.read("out.txt") == "v=1\n")

        mark = rt.events.count
        try snapDir.write("registry.json", #"{"kv": {"v": "3"}}"#)
        await rt.next(.rendered, from: mark)
        #expect(rt.dir.read("out.txt") == "v=3\n")
        _ = await rt.stop()
    }

    @Test func templateParseErrorsNameTheLocation() throws {
        #expect(throws: RuntimeError.self) {
            _ = try Runner(Runner.Configuration(
                templates: [TemplateConfig(source: .text("a\n{{ servce \"x\" }}", name: "bad.ctmpl"), destination: .file("/tmp/never"))],
                feed: .snapshot(try Snapshot.load(json: "{}"))))
        }
        do {
            _ = try Runner(Runner.Configuration(
                templates: [TemplateConfig(source: .text("a\n{{ servce \"x\" }}", name: "bad.ctmpl"), destination: .file("/tmp/never"))],
                feed: .snapshot(try Snapshot.load(json: "{}"))))
        } catch let error as RuntimeError {
            #expect(error.message.contains("bad.ctmpl:2:4"))
            #expect(error.message.contains("did you mean \"service\"?"))
        }
    }
}

@Suite("Runner exec mode")
struct RunnerExecTests {
    @Test func childStartsAfterTheFirstRenderIsSignalledOnChangeAndItsExitEndsTheRun() async throws {
        let snapDir = ScratchDirectory("retmpl-exec")
        defer { snapDir.remove() }
        let path = try snapDir.write("registry.json", #"{"kv": {"v": "1"}}"#)
        let log = snapDir.file("child.log")
        let events = EventRecorder<RuntimeEvent>()
        var configuration = Runner.Configuration(
            templates: [TemplateConfig(source: .text("v={{ key \"v\" }}\n", name: "t"), destination: .file(snapDir.file("out.txt")))],
            feed: .snapshotFile(path: path, pollInterval: .milliseconds(20)), observer: { events.record($0) })
        // The child proves the file existed when it started, then exits 3 on the reload signal.
        configuration.exec = ChildSupervisor.Configuration(
            command: ["trap 'exit 3' USR1; cat \(snapDir.file("out.txt")) > \(log).tmp; mv \(log).tmp \(log); while :; do sleep 0.02; done"],
            reloadSignal: SIGUSR1)
        let runner = try Runner(configuration)
        let task = Task { () -> Runner.Completion? in try? await runner.run() }
        #expect(await events.first { $0.kind == .childStarted } != nil)
        // Bounded wait for the child to be ready for its signal.
        for _ in 0..<500 where snapDir.read("child.log") == nil { try await Task.sleep(for: .milliseconds(10)) }
        try snapDir.write("registry.json", #"{"kv": {"v": "2"}}"#)
        let completion = await task.value
        #expect(completion == .childExited(.exited(3)))
        #expect(snapDir.read("child.log") == "v=1\n")
        #expect(snapDir.read("out.txt") == "v=2\n")
    }
}

@Suite("Runner loop")
struct RunnerLoopTests {
    /// A pending deadline (here: the missing-data report) must not make the
    /// loop spin after an event: a cancelled timer once woke the loop, which
    /// made a new timer and cancelled it, forever (100% CPU, memory growth).
    @Test func aPendingDeadlineDoesNotMakeTheLoopSpin() async throws {
        let dir = ScratchDirectory("retmpl-loop")
        defer { dir.remove() }
        let path = try dir.write("registry.json", #"{"kv": {"a": "1"}}"#)
        let events = EventRecorder<RuntimeEvent>()
        let runner = try Runner(Runner.Configuration(
            templates: [TemplateConfig(source: .text("{{ key \"a\" }}{{ key \"absent\" }}", name: "t"), destination: .file(dir.file("out")))],
            feed: .snapshotFile(path: path, pollInterval: .milliseconds(10)), missingDataGrace: .seconds(30),
            observer: { events.record($0) }))
        let task = Task { try? await runner.run() }
        defer { task.cancel() }
        // The first version is loaded before the loop's first pass.
        for _ in 0..<500 where await runner.loopPasses == 0 { try await Task.sleep(for: .milliseconds(10)) }
        try dir.write("registry.json", #"{"kv": {"a": "2"}}"#)
        #expect(await events.first { $0.kind == .snapshotLoaded } != nil)
        let before = await runner.loopPasses
        // An interval to count passes in (nothing else happens meanwhile).
        try await Task.sleep(for: .milliseconds(300))
        let after = await runner.loopPasses
        #expect(after - before < 5, "the loop made \(after - before) passes while idle")
    }
}
