import Dispatch
import Foundation
import RetmplFunctions
import RetmplRegistry
import RetmplTemplate

/// `retmpl snapshot`: captures what templates (or named services and KV
/// prefixes) read from Consul into a snapshot file for `retmpl render`.
enum SnapshotCommand {
    static let usage = """
        Usage: retmpl snapshot [flags] [-template T]... [-service NAME]... [-kv-prefix P]...

        Reads from Consul everything the templates use (rendering them until
        complete), plus the named services and KV prefixes, and writes a snapshot
        that `retmpl render -snapshot` replays offline: production state in CI.
        Exit status: 0 written, 1 Consul or template error, 13 bad flags.

        """

    static func run(_ args: [String]) -> Int32 {
        var f = GoFlags()
        f.value("template", "FILE", topic: "What", "template whose data to capture; repeatable")
        f.value("service", "NAME", topic: "What", "service to capture whole; repeatable")
        f.value("kv-prefix", "PREFIX", topic: "What", "KV prefix to capture; repeatable")
        f.value("env", "NAME", topic: "What", "environment variable to record for `env`; repeatable")
        f.value("o", "FILE", topic: "Output", "write the snapshot to FILE (atomically) instead of stdout")
        f.value("consul-addr", "ADDR", topic: "Consul", "Consul address (CONSUL_HTTP_ADDR)")
        f.value("consul-token", "TOKEN", topic: "Consul", "ACL token (CONSUL_HTTP_TOKEN)")
        f.value("consul-token-file", "PATH", topic: "Consul", "file holding the ACL token")
        DaemonFlags.defineSSL(&f)
        if let status = f.parse(args, usage: usage, rejected: { error, _ in ("retmpl snapshot: \(error)\n", 13) }) {
            return status
        }
        if f.all("template").isEmpty && f.all("service").isEmpty && f.all("kv-prefix").isEmpty {
            Console.err("retmpl snapshot: nothing to capture: give -template, -service or -kv-prefix\n" + usage)
            return 13
        }
        let environment = ProcessInfo.processInfo.environment
        var options = DaemonOptions()
        options.consulAddress = f.string("consul-addr")
        options.consulToken = f.string("consul-token")
        options.consulTokenFile = f.string("consul-token-file")
        DaemonFlags.applySSL(f, to: &options)
        let client: ConsulClient
        do {
            let address = options.resolvedConsulAddress(environment)
            let tls = try options.resolvedTLS(address: address, environment)
            try tls?.validate()
            client = try ConsulClient(address: address, token: try options.resolvedToken(environment), tls: tls)
        } catch {
            Console.err("retmpl snapshot: \(error)\n")
            return 13
        }
        let status = Box<Int32>(0)
        let done = DispatchSemaphore(value: 0)
        let flags = f
        Task {
            do {
                var dependencies: [Dependency] = []
                for path in flags.all("template") {
                    dependencies += try await dependenciesOf(template: path, reader: ConsulReader(client: client))
                }
                var recorded: [String: String] = [:]
                for name in flags.all("env") { recorded[name] = environment[name] }
                let text = try await SnapshotCapture(client: client).capture(
                    dependencies, services: flags.all("service"), kvPrefixes: flags.all("kv-prefix"), environment: recorded)
                if let out = flags.string("o") {
                    try text.write(toFile: out, atomically: true, encoding: .utf8)
                } else {
                    Console.out(text)
                }
            } catch {
                Console.err("retmpl snapshot: \(error)\n")
                status.value = 1
            }
            done.signal()
        }
        done.wait()
        return status.value
    }

    /// Renders the template against Consul, reading what each pass misses,
    /// until a pass is complete; returns every dependency it used.
    static func dependenciesOf(template path: String, reader: ConsulReader) async throws -> [Dependency] {
        let text: String
        switch Console.readFile(path) {
        case .success(let bytes): text = String(decoding: bytes, as: UTF8.self)
        case .failure(let error): throw error
        }
        let renderer = try TemplateRenderer(source: text, name: path)
        let source = FetchedData()
        for _ in 0..<64 {
            let result = renderer.render(source: source)
            switch result.outcome {
            case .rendered, .failed:
                return result.dependencies
            case .incomplete(let missing, _):
                let unread = missing.filter { !source.has($0) }
                // Missing data that was read does not exist (an absent key): the pass cannot complete.
                if unread.isEmpty { return result.dependencies }
                for dependency in unread {
                    let answer = try await reader.read(dependency, index: nil, wait: .seconds(1), stale: false)
                    source.set(dependency, answer.value)
                }
            }
        }
        throw FileError(path: path, message: "dependencies kept growing after 64 passes")
    }
}

/// What `dependenciesOf` has read so far.
final class FetchedData: DataSource, @unchecked Sendable {
    private let lock = NSLock()
    private var values: [Dependency: TemplateValue?] = [:]
    func has(_ d: Dependency) -> Bool { lock.withLock { values[d] != nil } }
    func set(_ d: Dependency, _ v: TemplateValue?) { lock.withLock { values[d] = .some(v) } }
    func recall(_ dependency: Dependency) -> TemplateValue? { lock.withLock { values[dependency] ?? nil } }
    func environmentValue(_ name: String) -> String? { ProcessInfo.processInfo.environment[name] }
    var now: Timestamp { Timestamp(seconds: Int64(Date().timeIntervalSince1970)) }
}
