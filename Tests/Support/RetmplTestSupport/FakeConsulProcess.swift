public import Foundation
import RetmplRegistry
import Glibc

/// A fake Consul (Tests/Support/fake-consul) run as a child process for one test.
public final class FakeConsulProcess: @unchecked Sendable {
    public let process = Process()
    private let stdinPipe = Pipe()
    private let exited = DispatchSemaphore(value: 0)
    public private(set) var port = 0
    private let driverLock = NSLock()
    private var driverClient: ConsulClient?

    public var address: String { "http://127.0.0.1:\(port)" }

    public convenience init(_ extraArguments: [String] = []) throws {
        let script = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("fake-consul/fake_consul.py").path
        try self.init(python: [script, "--port", "0", "--exit-on-stdin-eof", "--no-jitter"] + extraArguments)
    }

    /// Starts `python3 ARGS`, which must print `LISTENING <port>` and exit on stdin EOF.
    public init(python arguments: [String]) throws {
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3"] + arguments
        let stdoutPipe = Pipe()
        process.standardInput = stdinPipe
        process.standardOutput = stdoutPipe
        process.standardError = FileHandle.nullDevice
        let exited = self.exited
        process.terminationHandler = { _ in exited.signal() }
        try process.run()
        // Bounded start-up: a server that never says LISTENING is killed, which ends the read.
        let process = self.process
        let watchdog = DispatchWorkItem { if process.isRunning { process.terminate() } }
        DispatchQueue.global().asyncAfter(deadline: .now() + 10, execute: watchdog)
        defer { watchdog.cancel() }
        var text = ""
        while !text.contains("\n") {
            let data = stdoutPipe.fileHandleForReading.availableData
            if data.isEmpty { break }
            text += String(decoding: data, as: UTF8.self)
        }
        guard let line = text.split(separator: "\n").first, line.hasPrefix("LISTENING "),
              let port = Int(line.dropFirst("LISTENING ".count)) else {
            stop()
            throw FakeConsulStartError(output: text)
        }
        self.port = port
    }

    /// The client the driver's calls share, so its connections are kept
    /// alive between calls as a real Consul client's are (a new connection
    /// costs the Python server a thread per call).
    func driver() throws -> ConsulClient {
        try driverLock.withLock {
            if let driverClient { return driverClient }
            let made = try ConsulClient(address: address, requestTimeout: .seconds(10))
            driverClient = made
            return made
        }
    }

    /// Closes the server's stdin (it exits on EOF); kills it if it lingers.
    public func stop() {
        try? stdinPipe.fileHandleForWriting.close()
        if exited.wait(timeout: .now() + 5) == .timedOut {
            kill(process.processIdentifier, SIGKILL)
            _ = exited.wait(timeout: .now() + 5)
        }
    }
}

public struct FakeConsulStartError: Error, CustomStringConvertible {
    public var output: String
    public var description: String { "fake consul did not start; stdout: \(output)" }
}

/// Runs `body` against a fresh fake Consul and always stops it.
public func withFakeConsul<T>(
    _ arguments: [String] = [], _ body: (FakeConsulProcess) async throws -> T
) async throws -> T {
    let fake = try FakeConsulProcess(arguments)
    do {
        let result = try await body(fake)
        fake.stop()
        return result
    } catch {
        fake.stop()
        throw error
    }
}
