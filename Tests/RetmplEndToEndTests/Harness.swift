import Foundation
import Glibc
import Testing

/// Where things are: the repository, the helper scripts, the built binary.
enum Paths {
    /// Tests/RetmplEndToEndTests/Harness.swift → the repository root.
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().path
    static let helpers = root + "/Tests/EndToEnd"
    static let templates = root + "/templates"
    /// `swift build --build-tests` puts `retmpl` beside the test bundle (as CLITests finds it).
    static let retmpl = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        .appendingPathComponent("retmpl").path
}

struct HarnessError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The absolute path of a tool on PATH (plus /usr/sbin, where Debian puts
/// haproxy and nginx); a missing proxy is an error, never a skip.
func requireTool(_ name: String) throws -> String {
    let path = (ProcessInfo.processInfo.environment["PATH"] ?? "") + ":/usr/sbin:/usr/local/sbin"
    for dir in path.split(separator: ":") where FileManager.default.isExecutableFile(atPath: "\(dir)/\(name)") {
        return "\(dir)/\(name)"
    }
    throw HarnessError("\(name) is not installed: the end-to-end tests need it (apt-get install -y haproxy nginx wrk)")
}

/// A command run under Tests/EndToEnd/guard.py: its own process group,
/// ended (SIGTERM, then SIGKILL) when `stop()` closes the guard's stdin or
/// when this test process dies. Output goes to `log`.
final class GuardedProcess: @unchecked Sendable {
    let name: String
    let log: String
    private let process = Process()
    private let stdin = Pipe()

    init(_ name: String, _ arguments: [String], in dir: String, environment: [String: String] = [:]) throws {
        self.name = name
        log = dir + "/" + name + ".log"
        _ = FileManager.default.createFile(atPath: log, contents: nil)
        guard let output = FileHandle(forWritingAtPath: log) else { throw HarnessError("cannot open \(log)") }
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", Paths.helpers + "/guard.py", "--"] + arguments
        var env = ProcessInfo.processInfo.environment
        for (k, v) in environment { env[k] = v }
        process.environment = env
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        process.standardInput = stdin
        process.standardOutput = output
        process.standardError = output
        try process.run()
        try output.close()
    }

    var isRunning: Bool { process.isRunning }
    var output: String { (try? String(contentsOfFile: log, encoding: .utf8)) ?? "" }

    /// Ends the process group and waits (bounded) for the guard to exit.
    func stop() async {
        try? stdin.fileHandleForWriting.close()
        _ = try? await waitUntil("\(name) to exit", timeout: .seconds(10)) { !self.process.isRunning }
        if process.isRunning { kill(process.processIdentifier, SIGKILL) }
    }
}

/// Polls `condition` every 10 ms until it holds; throws after `timeout`.
@discardableResult
func waitUntil(_ what: String, timeout: Duration = .seconds(15), _ condition: () throws -> Bool) async throws -> Duration {
    let clock = ContinuousClock()
    let start = clock.now
    while true {
        if try condition() { return clock.now - start }
        if clock.now - start > timeout { throw HarnessError("timed out after \(timeout) waiting for \(what)") }
        try await Task.sleep(for: .milliseconds(10))
    }
}

/// Free TCP ports on 127.0.0.1 (bound to port 0 then released).
func freePorts(_ count: Int) throws -> [Int] {
    var fds: [Int32] = []
    defer { for fd in fds { close(fd) } }
    var ports: [Int] = []
    for _ in 0..<count {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw HarnessError("socket: errno \(errno)") }
        fds.append(fd)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { p -> Bool in
                bind(fd, p, length) == 0 && getsockname(fd, p, &length) == 0
            }
        }
        guard bound else { throw HarnessError("bind: errno \(errno)") }
        ports.append(Int(UInt16(bigEndian: address.sin_port)))
    }
    return ports
}

/// Sends `request` over a fresh stream socket and reads the reply to EOF
/// (3 s receive timeout); nil when nothing could be exchanged.
/// Over a unix socket (haproxy's master CLI) the write side is shut after the
/// request, which makes the CLI answer and close; over TCP it is not, since
/// nginx takes a half-closed client for one that went away.
func exchange(tcpPort: Int? = nil, unixPath: String? = nil, _ request: String) -> String? {
    let fd = socket(unixPath == nil ? AF_INET : AF_UNIX, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var timeout = timeval(tv_sec: 3, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    let connected: Bool
    if let unixPath {
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        let bytes = Array(unixPath.utf8)
        guard bytes.count < MemoryLayout.size(ofValue: address.sun_path) else { return nil }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            for (i, b) in bytes.enumerated() { raw[i] = b }
        }
        connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size)) == 0 }
        }
    } else {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(tcpPort ?? 0).bigEndian
        connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
    guard connected else { return nil }
    let bytes = Array(request.utf8)
    guard bytes.withUnsafeBytes({ send(fd, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }) == bytes.count else { return nil }
    if unixPath != nil { shutdown(fd, Int32(SHUT_WR)) }
    var reply: [UInt8] = []
    var buffer = [UInt8](repeating: 0, count: 65536)
    while true {
        let n = buffer.withUnsafeMutableBytes { recv(fd, $0.baseAddress, $0.count, 0) }
        if n < 0 { return nil }
        if n == 0 { break }
        reply.append(contentsOf: buffer[0..<n])
    }
    return String(decoding: reply, as: UTF8.self)
}

/// One HTTP answer through the proxy.
struct Answer: Equatable {
    var status: Int
    var body: String
    /// The first body line: the stand-in backend's name on a 200.
    var backend: String { String(body.split(separator: "\n", omittingEmptySubsequences: false).first ?? "") }
    var isMaintenance: Bool { status == 503 && body.contains("Maintenance") }
}

/// GET / with Host `host` on a new connection; nil on a connection error.
func get(port: Int, host: String = "localhost") -> Answer? {
    guard let reply = exchange(tcpPort: port, "GET / HTTP/1.1\r\nHost: \(host)\r\nConnection: close\r\n\r\n"),
          let split = reply.range(of: "\r\n\r\n") else { return nil }
    let statusLine = reply[..<split.lowerBound].split(separator: "\r\n").first ?? ""
    let fields = statusLine.split(separator: " ")
    guard fields.count >= 2, let status = Int(fields[1]) else { return nil }
    return Answer(status: status, body: String(reply[split.upperBound...]))
}

/// The load generator's final report (Tests/EndToEnd/load.py).
struct LoadReport: Decodable {
    var requests: Int
    var ok: Int
    var status: [String: Int]
    var maintenance: Int
    var errors: [String: Int]
    var backends: [String: Int]
    var seconds: Double
    var first_error: String?
    var max_latency_ms: Double
    /// How long requests still unanswered when the load stopped had waited (seconds).
    var unanswered_at_stop: [Double]

    var failed: Int { errors.values.reduce(0, +) }
}

/// Runs load.py against `port` until `finish()`.
final class Load: Sendable {
    let process: GuardedProcess

    init(port: Int, in dir: String, connections: Int = 4, rate: Int? = nil) async throws {
        var arguments = ["python3", Paths.helpers + "/load.py", "--port", String(port), "--connections", String(connections),
                         "--max-seconds", "170"]
        if let rate { arguments += ["--rate", String(rate)] }
        process = try GuardedProcess("load", arguments, in: dir)
        let process = self.process
        try await waitUntil("the load generator's first answer") { process.output.contains("STARTED") }
    }

    /// Stops the load and returns its counts.
    func finish() async throws -> LoadReport {
        await process.stop()
        guard let line = process.output.split(separator: "\n").last(where: { $0.hasPrefix("{") }) else {
            throw HarnessError("load.py printed no report: \(process.output.suffix(2000))")
        }
        return try JSONDecoder().decode(LoadReport.self, from: Data(line.utf8))
    }
}

/// Percentile (nearest rank) of durations in milliseconds.
func percentile(_ values: [Double], _ p: Double) -> Double {
    guard !values.isEmpty else { return .nan }
    let sorted = values.sorted()
    let rank = Int((p / 100 * Double(sorted.count)).rounded(.up)) - 1
    return sorted[min(max(rank, 0), sorted.count - 1)]
}
