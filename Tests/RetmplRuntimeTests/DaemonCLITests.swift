import Foundation
import Glibc
import RetmplTestSupport
import Testing

/// The daemon's command line, run as the built binary: consul-template's
/// flags and exit statuses, -once/-dry, signals, config reload.
@Suite("retmpl daemon CLI", .serialized)
struct DaemonCLITests {
    /// `swift build --build-tests` puts `retmpl` beside the test bundle.
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("retmpl").path

    struct Finished {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    /// Runs the binary to completion in `dir`.
    static func run(_ arguments: [String], in dir: ScratchDirectory, executable: String = binary) throws -> Finished {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: dir.path)
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Finished(status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
                        stderr: String(decoding: stderr, as: UTF8.self))
    }

    /// Starts the daemon with stderr going to `dir/daemon.log`.
    static func start(_ arguments: [String], in dir: ScratchDirectory) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: dir.path)
        FileManager.default.createFile(atPath: dir.file("daemon.log"), contents: nil)
        process.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: dir.file("daemon.log")))
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        return process
    }

    /// Polls (bounded: 10 s) until `condition` holds.
    static func eventually(_ what: String, _ condition: () -> Bool, sourceLocation: SourceLocation = #_sourceLocation) async throws {
        for _ in 0..<1000 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("timed out waiting for \(what)", sourceLocation: sourceLocation)
    }

    static let snapshot = #"{"kv": {"v": "1"}, "services": {"web": [{"Node": "n1", "Address": "10.0.0.1", "Port": 80}]}}"#

    struct BadFlags: Sendable, CustomStringConvertible {
        let arguments: [String]
        let message: String
        var description: String { arguments.joined(separator: " ") }
    }

    @Test(arguments: [
        BadFlags(arguments: ["-bogus"], message: "flag provided but not defined: -bogus"),
        BadFlags(arguments: ["-template", "t:o", "-wait", "abc"], message: "invalid wait \"abc\""),
        BadFlags(arguments: ["-template", "t:o", "-wait", "5s:1s"], message: "max is less than min"),
        BadFlags(arguments: ["-template", "t:o", "-consul-retry-attempts", "x"], message: "-consul-retry-attempts"),
        BadFlags(arguments: ["-template", "t:o", "-kill-signal", "SIGFOO"], message: "unknown signal"),
        BadFlags(arguments: ["-template", "t:o", "-log-level", "loud"], message: "invalid log level"),
        BadFlags(arguments: ["-template", "t:o", "-exec-splay", "1s"], message: "needs -exec"),
        BadFlags(arguments: ["-template", "t:o", "-consul-ssl-verify=maybe"], message: "invalid boolean value"),
        BadFlags(arguments: ["-once"], message: "no templates"),
        BadFlags(arguments: ["-template"], message: "flag needs an argument: -template"),
        BadFlags(arguments: ["-once=maybe", "-template", "t:o"], message: "invalid boolean value"),
    ])
    func badFlagsExit13(_ c: BadFlags) throws {
        let dir = ScratchDirectory("retmpl-cli")
        defer { dir.remove() }
        let result = try Self.run(c.arguments, in: dir)
        #expect(result.status == 13)
        #expect(result.stderr.contains(c.message), "stderr: \(result.stderr)")
    }

    @Test func configErrorsExit15WithTheirLocation() throws {
        let dir = ScratchDirectory("retmpl-cli")
        defer { dir.remove() }
        try dir.write("c.hcl", "template {\n  source = \"t\"\n  destinaton = \"o\"\n}\n")
        let result = try Self.run(["-config", "c.hcl"], in: dir)
        #expect(result.status == 15)
        #expect(result.stderr.contains("c.hcl:3:3: unknown key \"destinaton\""), "stderr: \(result.stderr)")
        #expect(result.stderr.contains("did you mean \"destination\"?"))
    }

    @Test func validateChecksConfigAndTemplates() throws {
        let dir = ScratchDirectory("retmpl-cli")
        defer { dir.remove() }
        try dir.write("t.ctmpl", "{{ servce \"web\" }}")
        try dir.write("c.hcl", "template {\n  source = \"t.ctmpl\"\n  destination = \"o\"\n}\n")
        let result = try Self.run(["validate", "-config", "c.hcl"], in: dir)
        #expect(result.status == 15)
        #expect(result.stderr.contains("t.ctmpl:1:4: function \"servce\" not defined"), "stderr: \(result.stderr)")
        try dir.write("t.ctmpl", "{{ service \"web\" }}")
        #expect(try Self.run(["validate", "-config", "c.hcl"], in: dir).status == 0)
    }

    @Test func onceDryPrintsDestinationAndContentsWithoutWriting() throws {
        let dir = ScratchDirectory("retmpl-cli")
        defer { dir.remove() }
        try dir.write("snap.json", Self.snapshot)
        try dir.write("t.ctmpl", "v={{ key \"v\" }}\n")
        let result = try Self.run(["-snapshot", "snap.json", "-template", "t.ctmpl:out.txt:touch ran", "-once", "-dry"], in: dir)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(result.stdout == "> out.txt\nv=1\n")
        #expect(dir.read("out.txt") == nil)
        #expect(dir.read("ran") == nil)
    }

    @Test func onceWritesRunsTheCommandAndExits0() throws {
        let dir = ScratchDirectory("retmpl-cli")
        defer { dir.remove() }
        try dir.write("snap.json", Self.snapshot)
        try dir.write("t.ctmpl", "{{ range service \"web\" }}{{ .Address }}{{ end }}\n")
        try dir.write("c.hcl", """
            template {
              source = "t.ctmpl"
              destination = "sub/out.txt"
              perms = "0600"
              command = ["sh", "-c", "echo ran > ran.txt"]
            }
            """)
        let result = try Self.run(["-config", "c.hcl", "-snapshot", "snap.json", "-once"], in: dir)
        #expect(result.status == 0, "stderr: \(result.stderr)")
        #expect(dir.read("sub/out.txt") == "10.0.0.1\n")
        #expect(dir.read("ran.txt") == "ran\n")
        let mode = (try FileManager.default.attributesOfItem(atPath: dir.file("sub/out.txt"))[.posixPermissions] as? Int) ?? 0
        #expect(mode == 0o600)
    }

    @Test func onceWithDataThatNeverArrivesFailsNamingIt() throws {
        let dir = ScratchDirectory("retmpl-cli")
        defer { dir.remove() }
        try dir.write("snap.json", Self.snapshot)
        try dir.write("t.ctmpl", "{{ key \"app/maxconn\" }}")
        let result = try Self.run(["-snapshot", "snap.json", "-template", "t.ctmpl:out.txt", "-once"], in: dir)
        #expect(result.status == 14)
        #expect(result.stderr.contains("kv.block(app/maxconn)"), "stderr: \(result.stderr)")
        #expect(dir.read("out.txt") == nil)
    }

    @Test func sigtermStopsGracefullyWithExit0AndRemovesThePidFile() async throws {
        let dir = ScratchDirectory("retmpl-cli")
        defer { dir.remove() }
        try dir.write("snap.json", Self.snapshot)
        try dir.write("t.ctmpl", "v={{ key \"v\" }}\n")
        let daemon = try Self.start(["-snapshot", "snap.json", "-template", "t.ctmpl:out.txt", "-pid-file", "retmpl.pid"], in: dir)
        try await Self.eventually("the first render") { dir.read("out.txt") == "v=1\n" }
        #expect(dir.read("retmpl.pid") == "\(daemon.processIdentifier)\n")
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        #expect(dir.read("retmpl.pid") == nil)
    }

    @Test func sighupWithABadConfigKeepsTheRunningOneAndAGoodOneIsTakenUp() async throws {
        let dir = ScratchDirectory("retmpl-cli")
        defer { dir.remove() }
        try dir.write("snap.json", Self.snapshot)
        try dir.write("a.ctmpl", "a={{ key \"v\" }}\n")
        try dir.write("b.ctmpl", "b={{ key \"v\" }}\n")
        try dir.write("c.hcl", "template {\n  source = \"a.ctmpl\"\n  destination = \"out.txt\"\n}\n")
        let daemon = try Self.start(["-config", "c.hcl", "-snapshot", "snap.json"], in: dir)
        defer { if daemon.isRunning { kill(daemon.processIdentifier, SIGKILL) } }
        try await Self.eventually("the first render") { dir.read("out.txt") == "a=1\n" }

        try dir.write("c.hcl", "template {\n  sorce = \"b.ctmpl\"\n}\n")
        kill(daemon.processIdentifier, SIGHUP)
        try await Self.eventually("the reload error") { dir.read("daemon.log")?.contains("keeping the running configuration") == true }
        #expect(dir.read("daemon.log")?.contains("c.hcl:2:3") == true)
        #expect(daemon.isRunning)
        try dir.write("snap.json", #"{"kv": {"v": "2"}}"#)
        try await Self.eventually("the old configuration to keep working") { dir.read("out.txt") == "a=2\n" }

        try dir.write("c.hcl", "template {\n  source = \"b.ctmpl\"\n  destination = \"out.txt\"\n}\n")
        kill(daemon.processIdentifier, SIGHUP)
        try await Self.eventually("the new configuration") { dir.read("out.txt") == "b=2\n" }
        kill(daemon.processIdentifier, SIGINT)
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
    }

    @Test func snapshotOfLiveConsulReplaysToTheSameBytes() async throws {
        try await withFakeConsul { fake in
            let dir = ScratchDirectory("retmpl-cli")
            defer { dir.remove() }
            try await fake.register(node: "n1", address: "10.0.0.1", service: "web", id: "web-1", port: 80, tags: ["http", "b"], status: "passing")
            try await fake.register(node: "n2", address: "10.0.0.2", service: "web", id: "web-2", port: 81, status: "critical")
            try await fake.register(node: "n3", address: "10.0.0.3", service: "db", id: "db-1", port: 5432, meta: ["role": "primary"])
            try await fake.putKey("app/ver", "v1")
            try await fake.putKey("app/sub/y", "x")
            try dir.write("t.ctmpl", """
                {{ range services }}{{ .Name }} {{ .Tags }}
                {{ range service .Name }}  {{ .ID }} {{ .Address }}:{{ .Port }} {{ .Status }} {{ .ServiceMeta }} {{ len .Checks }}
                {{ end }}{{ end }}{{ range service "web|any" }}any {{ .ID }} {{ .Status }}
                {{ end }}ver={{ key "app/ver" }} {{ range tree "app" }}{{ .Key }}={{ .Value }};{{ end }}
                node={{ with node }}{{ .Node.Node }} {{ len .Services }}{{ end }} {{ range nodes }}{{ .Node }},{{ end }}
                """)
            let address = "127.0.0.1:\(fake.port)"
            let live = try Self.run(["-consul-addr", address, "-template", "t.ctmpl:live.txt", "-once"], in: dir)
            #expect(live.status == 0, "stderr: \(live.stderr)")
            let capture = try Self.run(["snapshot", "-consul-addr", address, "-template", "t.ctmpl", "-o", "snap.json"], in: dir)
            #expect(capture.status == 0, "stderr: \(capture.stderr)")
            let replay = try Self.run(["render", "-snapshot", "snap.json", "t.ctmpl"], in: dir)
            #expect(replay.status == 0, "stderr: \(replay.stderr)")
            #expect(replay.stdout == dir.read("live.txt"))
            #expect(replay.stdout.contains("any web-2 critical"))
        }
    }

    @Test func stoppingLetsTheCommandInFlightFinishWithoutRollback() async throws {
        let dir = ScratchDirectory("retmpl-cli")
        defer { dir.remove() }
        try dir.write("snap.json", Self.snapshot)
        try dir.write("t.ctmpl", "v={{ key \"v\" }}\n")
        try dir.write("c.hcl", """
            template {
              source = "t.ctmpl"
              destination = "out.txt"
              command = "touch started; sleep 0.5; touch finished"
              rollback_on_failure = true
            }
            """)
        let daemon = try Self.start(["-config", "c.hcl", "-snapshot", "snap.json"], in: dir)
        try await Self.eventually("the command to start") { dir.read("started") != nil }
        kill(daemon.processIdentifier, SIGTERM)
        daemon.waitUntilExit()
        #expect(daemon.terminationStatus == 0)
        #expect(dir.read("finished") != nil, "the command was cut short")
        #expect(dir.read("out.txt") == "v=1\n")
        #expect(dir.read("daemon.log")?.contains("restored") == false)
    }

    /// Disk full, stood in for by a file-size limit (`ulimit -f`: writes past
    /// it fail with EFBIG, as they fail with ENOSPC on a full disk).
    @Test func aWriteThatCannotCompleteLeavesTheLiveFileUntouched() throws {
        let dir = ScratchDirectory("retmpl-cli")
        defer { dir.remove() }
        try dir.write("snap.json", Self.snapshot)
        try dir.write("t.ctmpl", "{{ range loop 20000 }}line {{ . }}\n{{ end }}")
        try dir.write("out.txt", "the good old config\n")
        let line = "ulimit -f 16; exec '\(Self.binary)' -snapshot snap.json -template t.ctmpl:out.txt -once"
        let result = try Self.run(["-c", line], in: dir, executable: "/bin/sh")
        #expect(result.status == 14, "stderr: \(result.stderr)")
        #expect(result.stderr.contains("out.txt left untouched"), "stderr: \(result.stderr)")
        #expect(dir.read("out.txt") == "the good old config\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == ["out.txt", "snap.json", "t.ctmpl"])
    }
}
