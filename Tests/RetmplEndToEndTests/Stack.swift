import Foundation
import Glibc
import RetmplTestSupport

/// The proxies under test.
enum Proxy: String, CustomStringConvertible, Sendable {
    case haproxy, nginx
    var description: String { rawValue }
}

/// One `web` instance in the snapshot registry.
struct Instance: Sendable {
    var id: String
    var port: Int
    var address = "127.0.0.1"
    var status = "passing"
}

/// Stand-in backends, a snapshot registry, the proxy and the retmpl daemon
/// (check_command + reload command that stamps each completed reload),
/// all on 127.0.0.1 ports and one scratch directory.
final class Stack: @unchecked Sendable {
    let proxy: Proxy
    let dir: ScratchDirectory
    let port: Int
    let backendPorts: [Int]
    private var processes: [GuardedProcess] = []
    var retmplLog: String { dir.file("retmpl.log") }

    var registry: String { dir.file("registry.json") }
    var config: String { dir.file(proxy == .haproxy ? "haproxy.cfg" : "nginx.conf") }
    var stamps: String { dir.file("reloads") }
    var masterSocket: String { dir.file("master.sock") }
    var prefix: String { dir.file("nginx") }

    private init(_ proxy: Proxy) throws {
        self.proxy = proxy
        dir = ScratchDirectory("retmpl-e2e-\(proxy)")
        let ports = try freePorts(6)
        port = ports[0]
        backendPorts = Array(ports[1...])
    }

    /// `web-1` … `web-n` at their backends, passing.
    func web(_ n: Int, status: String = "passing") -> [Instance] {
        (1...n).map { Instance(id: "web-\($0)", port: backendPorts[$0 - 1], status: status) }
    }

    static func names(_ instances: [Instance]) -> Set<String> {
        Set(instances.filter { $0.status == "passing" }.map(\.id))
    }

    /// Starts everything with `web-1` registered; throws (after stopping what started) if a part fails.
    static func start(_ proxy: Proxy) async throws -> Stack {
        let stack = try Stack(proxy)
        do {
            try await stack.boot()
            return stack
        } catch {
            await stack.stop(dumpLogs: true)
            throw error
        }
    }

    private var environment: [String: String] {
        switch proxy {
        case .haproxy: ["RETMPL_HAPROXY_BIND": "127.0.0.1:\(port)"]
        case .nginx: ["RETMPL_NGINX_LISTEN": "127.0.0.1:\(port)", "NGINX_PREFIX": prefix]
        }
    }

    private func boot() async throws {
        let binary = try requireTool(proxy.rawValue)
        guard FileManager.default.isExecutableFile(atPath: Paths.retmpl) else {
            throw HarnessError("\(Paths.retmpl) missing: build it first (swift build --build-tests)")
        }
        let backends = try GuardedProcess(
            "backends", ["python3", Paths.helpers + "/backends.py"] + web(5).map { "\($0.id)=\($0.port)" }, in: dir.path)
        processes.append(backends)
        try await waitUntil("the backends") { backends.output.contains("READY") }
        _ = try setWeb(web(1))
        if proxy == .nginx { try FileManager.default.createDirectory(atPath: prefix, withIntermediateDirectories: true) }

        // First render, so the proxy has a configuration to start with.
        let template = Paths.templates + (proxy == .haproxy ? "/haproxy.ctmpl" : "/nginx.ctmpl")
        let first = try GuardedProcess(
            "render", [Paths.retmpl, "-snapshot", registry, "-template", "\(template):\(config)", "-once"],
            in: dir.path, environment: environment)
        try await waitUntil("the first render") { !first.isRunning }
        guard FileManager.default.fileExists(atPath: config) else { throw HarnessError("first render failed: \(first.output)") }

        let check: String
        let reload: String
        switch proxy {
        case .haproxy:
            processes.append(try GuardedProcess(
                "haproxy", [binary, "-W", "-S", masterSocket, "-f", config, "-p", dir.file("haproxy.pid")], in: dir.path))
            check = #"\#(binary) -c -f \"$RETMPL_CANDIDATE\""#
            reload = "python3 \(Paths.helpers)/reload.py haproxy --master-socket \(masterSocket) --stamp \(stamps)"
        case .nginx:
            let flags = "-p \(prefix) -e \(prefix)/error.log"
            processes.append(try GuardedProcess(
                "nginx", [binary, "-g", "daemon off;", "-p", prefix, "-e", prefix + "/error.log", "-c", config], in: dir.path))
            check = #"\#(binary) -t -q \#(flags) -c \"$RETMPL_CANDIDATE\""#
            reload = "python3 \(Paths.helpers)/reload.py nginx --pid-file \(prefix)/nginx.pid --stamp \(stamps)"
        }
        try await waitUntil("\(proxy) to answer on \(port)") { get(port: self.port) != nil }

        try dir.write("retmpl.hcl", """
            template {
              source = "\(template)"
              destination = "\(config)"
              check_command = "\(check)"
              command = "\(reload)"
              command_timeout = "15s"
              rollback_on_failure = true
            }
            """)
        let daemon = try GuardedProcess(
            "retmpl", [Paths.retmpl, "-config", dir.file("retmpl.hcl"), "-snapshot", registry, "-log-level", "debug"],
            in: dir.path, environment: environment)
        processes.append(daemon)
        try await waitUntil("retmpl's first pass") { daemon.output.contains("[") || !daemon.isRunning }
        guard daemon.isRunning else { throw HarnessError("retmpl exited: \(daemon.output)") }
    }

    /// Replaces the registry (temporary file + rename) with `web`; returns the wall-clock time just before.
    @discardableResult
    func setWeb(_ instances: [Instance]) throws -> Double {
        let entries = instances.map { i in
            #"{"Node": "node-\#(i.id)", "NodeAddress": "127.0.0.1", "Address": "\#(i.address)", "ID": "\#(i.id)", "#
                + #""Tags": ["http", "host=localhost"], "Port": \#(i.port), "Status": "\#(i.status)", "Weights": {"Passing": 1, "Warning": 1}}"#
        }
        let text = #"{"datacenter": "dc1", "services": {"web": [\#(entries.joined(separator: ", "))]}}"#
        let now = Date().timeIntervalSince1970
        try dir.write("registry.json", text + "\n")
        return now
    }

    /// Wall-clock times of the completed reloads, in order.
    func reloadTimes() -> [Double] {
        (dir.read("reloads") ?? "").split(separator: "\n").compactMap { $0.split(separator: " ").first.flatMap { Double($0) } }
    }

    /// Waits for reload number `n` (1-based) and returns its time.
    func awaitReload(_ n: Int) async throws -> Double {
        try await waitUntil("reload #\(n) (retmpl log: \(retmplLog))") { self.reloadTimes().count >= n }
        return reloadTimes()[n - 1]
    }

    /// haproxy's servers in `be_web`, from its runtime API (through the master CLI).
    func haproxyServers() -> Set<String>? {
        guard let state = exchange(unixPath: masterSocket, "@1 show servers state be_web\n") else { return nil }
        var names: Set<String> = []
        for line in state.split(separator: "\n") where !line.hasPrefix("#") {
            let fields = line.split(separator: " ")
            if fields.count > 5, fields[1] == "be_web" { names.insert(String(fields[3])) }
        }
        return names
    }

    /// haproxy's master reload counter (`show proc`).
    func haproxyMasterReloads() -> Int? {
        guard let proc = exchange(unixPath: masterSocket, "show proc\n") else { return nil }
        for line in proc.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            if fields.count > 2, fields[1] == "master" { return Int(fields[2]) }
        }
        return nil
    }

    /// Waits until new connections are answered by exactly `expected` (sampled
    /// round-robin), and for haproxy until its runtime API lists exactly those
    /// servers. Every sampled answer must be a 200.
    func converge(on expected: Set<String>) async throws {
        if proxy == .haproxy {
            let servers = Set(expected.map { "node-\($0)_\($0)" })
            try await waitUntil("haproxy's be_web to list \(servers.sorted())", timeout: .seconds(30)) { self.haproxyServers() == servers }
        }
        var last: [String] = []
        try await waitUntil("answers from exactly \(expected.sorted()) (last sample: \(last))", timeout: .seconds(30)) {
            var seen: Set<String> = []
            last = []
            for _ in 0..<(2 * expected.count + 2) {
                // nginx's old workers may accept a few connections after the reload: sample again.
                guard let answer = get(port: self.port) else { throw HarnessError("connection error while sampling") }
                seen.insert(answer.status == 200 ? answer.backend : "status \(answer.status)")
                last.append(answer.backend)
            }
            return seen == expected
        }
    }

    /// Stops every process (process groups), newest first; removes the directory.
    func stop(dumpLogs: Bool = false) async {
        for process in processes.reversed() { await process.stop() }
        if dumpLogs {
            for process in processes {
                print("---- \(process.name).log (\(proxy)) ----\n\(process.output.suffix(3000))")
            }
            if proxy == .nginx { print("---- nginx error.log ----\n\(dir.read("nginx/error.log")?.suffix(3000) ?? "")") }
        }
        processes.removeAll()
        dir.remove()
    }
}

/// Runs `body` on a started stack and always stops it (printing its logs on failure).
func withStack(_ proxy: Proxy, _ body: (Stack) async throws -> Void) async throws {
    let stack = try await Stack.start(proxy)
    do {
        try await body(stack)
        await stack.stop()
    } catch {
        await stack.stop(dumpLogs: true)
        throw error
    }
}
