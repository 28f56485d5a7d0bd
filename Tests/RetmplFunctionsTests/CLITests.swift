import Foundation
import Testing

/// The `retmpl` binary's contract: output on stdout, exit 0 rendered,
/// 1 template error, 2 would never render, 3 usage or snapshot error.
@Suite struct CLITests {
    /// `swift build --build-tests` (what .ci/run does) puts `retmpl` beside the test bundle.
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("retmpl").path

    struct Run {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String], files: [String: String]) throws -> Run {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("retmpl-cli-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        for (name, text) in files {
            try text.write(to: dir.appendingPathComponent(name), atomically: true, encoding: .utf8)
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = dir
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Run(
            status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
            stderr: String(decoding: stderr, as: UTF8.self))
    }

    static let snapshot = #"{"services": {"web": [{"Node": "n1", "Address": "10.0.0.1", "Port": 80}]}, "kv": {"a": "1"}}"#

    @Test func binaryIsBuilt() {
        #expect(FileManager.default.isExecutableFile(atPath: Self.binary), "build it first: swift build --build-tests")
    }

    @Test func rendersWithSnapshotFlag() throws {
        let r = try Self.run(
            ["render", "-snapshot", "s.json", "t.ctmpl"],
            files: ["s.json": Self.snapshot, "t.ctmpl": #"{{ range service "web" }}{{ .Address }}:{{ .Port }}{{ end }} {{ key "a" }}"#])
        #expect(r.status == 0)
        #expect(r.stdout == "10.0.0.1:80 1")
    }

    @Test func templateErrorIsExit1WithLocation() throws {
        let r = try Self.run(["render", "--snapshot=s.json", "t.ctmpl"], files: ["s.json": Self.snapshot, "t.ctmpl": "ok\n{{ servce \"web\" }}"])
        #expect(r.status == 1)
        #expect(r.stderr.hasPrefix(#"t.ctmpl:2:4: function "servce" not defined (did you mean "service"?)"#))
        #expect(r.stdout.isEmpty)
    }

    @Test func missingDataIsExit2NamingIt() throws {
        let r = try Self.run(["render", "t.ctmpl", "s.json"], files: ["s.json": Self.snapshot, "t.ctmpl": #"{{ key "app/maxconn" }}"#])
        #expect(r.status == 2)
        #expect(r.stderr.contains("kv.block(app/maxconn)"))
    }

    @Test func badSnapshotAndBadFlagAreExit3() throws {
        let bad = try Self.run(["render", "-snapshot", "s.json", "t.ctmpl"], files: ["s.json": #"{"servics": {}}"#, "t.ctmpl": "x"])
        #expect(bad.status == 3)
        #expect(bad.stderr.contains("servics"))
        let flag = try Self.run(["render", "-snapshto", "s.json", "t.ctmpl"], files: ["t.ctmpl": "x"])
        #expect(flag.status == 3)
        #expect(flag.stderr.contains("flag provided but not defined: -snapshto"))
    }

    @Test func checkReportsEveryBrokenTemplate() throws {
        let r = try Self.run(
            ["check", "good.ctmpl", "bad1.ctmpl", "bad2.ctmpl"],
            files: ["good.ctmpl": "{{ service \"web\" }}", "bad1.ctmpl": "{{ if 1 }}", "bad2.ctmpl": "{{ .x }"])
        #expect(r.status == 1)
        #expect(r.stderr.contains("bad1.ctmpl:1:"))
        #expect(r.stderr.contains("bad2.ctmpl:1:"))
        #expect(r.stdout.contains("good.ctmpl: ok"))
    }
}
