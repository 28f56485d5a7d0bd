#if canImport(Glibc)
import Glibc
#endif
import Foundation
import RetmplTestSupport
import Testing
@testable import RetmplRuntime

/// `kill -9` the daemon at random moments while it renders a ~1 MB file:
/// the destination must always be absent (before the first write) or one
/// complete version, byte for byte, never older than one seen before.
///
/// A test cannot SIGKILL itself, so it drives the real `retmpl` binary
/// (built beside the test bundle by `swift build --build-tests`) with
/// `-snapshot`, supervised by `ChildSupervisor`. Each iteration writes a
/// new snapshot version and either
/// - starts a fresh daemon (its first render is the new version), or
/// - starts a daemon, waits until it has written the current version, then
///   changes the snapshot so the kill lands in a re-render of a running daemon,
/// and SIGKILLs it after a random delay (the sleep is the randomisation,
/// not synchronisation) spanning startup, render, write, rename and idle;
/// half of the fresh starts are killed close to the measured time of their
/// first write, where a torn file would show.
///
/// Iterations: 200 by default (about 30–50 s here); the issue's 1,000 with
/// `RETMPL_CRASH_ITERATIONS=1000 swift test --filter CrashSafetyTests`.
///
/// A daemon killed between creating its hidden temporary file and renaming
/// it leaves that file behind (`.<name>.retmpl-<pid>-<random>-<attempt>`):
/// nothing removes it later. The test allows at most one per killed daemon,
/// each named with that daemon's pid, and prints how many it found.
@Suite struct CrashSafetyTests {
    static let binary = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("retmpl").path

    static var iterations: Int {
        ProcessInfo.processInfo.environment["RETMPL_CRASH_ITERATIONS"].flatMap(Int.init) ?? 200
    }

    /// The numbered lines every version draws from, built once (the test
    /// must spend its time killing daemons, not building megabytes), with
    /// the byte offset where each line ends, raw and JSON-escaped.
    static let lines: (raw: [UInt8], rawEnds: [Int], escaped: [UInt8], escapedEnds: [Int]) = {
        var raw: [UInt8] = []
        var escaped: [UInt8] = []
        var rawEnds: [Int] = []
        var escapedEnds: [Int] = []
        let pad = " " + String(repeating: "x", count: 30)
        for i in 0..<(20_000 + 97) {
            let line = Array("line \(i)\(pad)".utf8)
            raw += line
            raw.append(UInt8(ascii: "\n"))
            escaped += line
            escaped += "\\n".utf8
            rawEnds.append(raw.count)
            escapedEnds.append(escaped.count)
        }
        return (raw, rawEnds, escaped, escapedEnds)
    }()

    /// Version `v`'s line count: it varies, so versions differ in size too.
    static func lineCount(_ version: Int) -> Int { 20_000 + version % 97 }

    /// Version `v` of the rendered file (~1 MB): a header and a footer naming
    /// the version and line count around that many numbered lines.
    static func rendering(_ version: Int) -> [UInt8] {
        let count = lineCount(version)
        return Array("BEGIN v=\(version) lines=\(count)\n".utf8) + lines.raw[..<lines.rawEnds[count - 1]]
            + Array("END v=\(version) lines=\(count)\n".utf8)
    }

    /// The snapshot whose `{{ key "body" }}` renders `rendering(version)`.
    static func snapshot(_ version: Int) -> Data {
        let count = lineCount(version)
        let json = Array(#"{"kv": {"body": "BEGIN v=\#(version) lines=\#(count)\n"#.utf8) + lines.escaped[..<lines.escapedEnds[count - 1]]
            + Array(#"END v=\#(version) lines=\#(count)\n"}}"#.utf8)
        return Data(json)
    }

    /// The version `bytes` hold when they are exactly one complete rendering.
    static func completeVersion(_ bytes: [UInt8], renderings: [Int: [UInt8]]) -> Int? {
        guard let newline = bytes.firstIndex(of: UInt8(ascii: "\n")) else { return nil }
        let header = String(decoding: bytes[..<newline], as: UTF8.self)
        guard header.hasPrefix("BEGIN v="), let version = Int(header.dropFirst(8).prefix(while: \.isNumber)) else { return nil }
        return renderings[version] == bytes ? version : nil
    }

    static func contents(_ path: String) -> [UInt8]? {
        FileManager.default.contents(atPath: path).map(Array.init)
    }

    /// Polls (bounded) until `path` holds exactly `expected`.
    static func waitForContents(_ expected: [UInt8], at path: String, within limit: Duration = .seconds(20)) async -> Bool {
        let clock = ContinuousClock()
        let deadline = clock.now + limit
        while clock.now < deadline {
            var st = stat()
            if stat(path, &st) == 0 && Int(st.st_size) == expected.count && contents(path) == expected { return true }
            try? await Task.sleep(for: .milliseconds(5))
        }
        return false
    }

    @Test func destinationIsAlwaysACompleteVersionAcrossSIGKILLs() async throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.binary), "build it first: swift build --build-tests")
        let scratch = ScratchDirectory("retmpl-crash")
        defer { scratch.remove() }
        // Snapshot and template live apart from the output directory, so
        // everything in `out/` besides the destination is the writer's.
        let snapshot = scratch.file("snap.json")
        let template = try scratch.write("t.ctmpl", #"{{ key "body" }}"#)
        let outDir = scratch.file("out")
        try FileManager.default.createDirectory(atPath: outDir, withIntermediateDirectories: true)
        let destination = outDir + "/dest.txt"
        let log = scratch.file("daemon.log")
        let line = "exec '\(Self.binary)' -snapshot '\(snapshot)' -template '\(template):\(destination)' >> '\(log)' 2>&1"

        var version = 0
        var newestSeen = 0
        // The versions the destination may still hold: the newest seen and later.
        var renderings: [Int: [UInt8]] = [:]
        func publish(_ v: Int) throws {
            renderings[v] = Self.rendering(v)
            try Self.snapshot(v).write(to: URL(fileURLWithPath: snapshot), options: .atomic)
        }
        var killedPids: Set<Int32> = []
        // From spawning a daemon to its first write being visible (~100 ms here).
        var startupToWrite: Duration = .milliseconds(100)
        for iteration in 0..<Self.iterations {
            version += 1
            try publish(version)
            let daemon = ChildSupervisor(.init(command: [line], standardInput: .null))
            let started = ContinuousClock.now
            let pid = try daemon.start()
            let reRender = iteration % 2 == 1
            let delay: Duration
            if reRender {
                let wrote = await Self.waitForContents(renderings[version] ?? [], at: destination)
                #expect(wrote, "iteration \(iteration): daemon never wrote v\(version)")
                if wrote {
                    newestSeen = version
                    startupToWrite = (startupToWrite * 3 + (ContinuousClock.now - started)) / 4
                }
                version += 1
                try publish(version)
                // Anywhere in the 100 ms poll, the render and the write.
                delay = .microseconds(Int.random(in: 0..<250_000))
            } else if iteration % 4 == 0 {
                // Anywhere from exec to well after the first write.
                delay = .microseconds(Int.random(in: 0..<150_000))
            } else {
                // Around the first write, as measured by the re-render iterations.
                delay = startupToWrite * Double.random(in: 0.6..<1.15)
            }
            try await Task.sleep(for: delay)
            daemon.forward(signal: SIGKILL)
            var exits = daemon.exits.makeAsyncIterator()
            let exit = await exits.next()
            #expect(exit == .signaled(SIGKILL), "iteration \(iteration): \(String(describing: exit))")
            await daemon.stop()
            killedPids.insert(pid)

            if let bytes = Self.contents(destination) {
                let found = Self.completeVersion(bytes, renderings: renderings)
                #expect(found != nil, "iteration \(iteration): destination is not a complete version v\(newestSeen)...v\(version) (\(bytes.count) bytes)")
                if let found {
                    #expect(found >= newestSeen && found <= version, "iteration \(iteration): v\(found) after v\(newestSeen), newest written v\(version)")
                    newestSeen = max(newestSeen, found)
                }
            } else {
                #expect(newestSeen == 0, "iteration \(iteration): destination vanished after v\(newestSeen)")
            }
            // Older versions may no longer appear (that is checked above): keep memory flat.
            renderings = renderings.filter { $0.key >= newestSeen }
            if Task.isCancelled { break }
        }

        // What a killed write leaves: at most one temporary file per killed daemon.
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: outDir).filter { $0 != "dest.txt" }
        var leftoverPids: [Int32] = []
        for name in leftovers {
            // .dest.txt.retmpl-<pid>-<random>-<attempt>
            let prefix = ".dest.txt.retmpl-"
            #expect(name.hasPrefix(prefix), "unexpected file \(name)")
            let pid = Int32(name.dropFirst(prefix.count).prefix(while: \.isNumber))
            #expect(pid.map(killedPids.contains) == true, "\(name) is not from a killed daemon")
            if let pid { leftoverPids.append(pid) }
        }
        #expect(Set(leftoverPids).count == leftoverPids.count, "more than one leftover from one daemon: \(leftovers)")
        print("CrashSafetyTests: \(Self.iterations) kills, newest complete version v\(newestSeen) of v\(version), \(leftovers.count) temporary files left by killed writes; spawn to first write ≈ \(startupToWrite)")
    }
}
