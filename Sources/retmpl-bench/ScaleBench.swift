import Foundation
import RetmplRegistry
import RetmplRuntime
import RetmplTestSupport

/// The `{{range services}}{{range service .Name}}` idiom over many services:
/// time to the first render, long-polls held and requests per second at
/// steady state, RSS, idle CPU, and one change's latency.
enum ScaleBench {
    static let template = """
        {{ range services }}backend {{ .Name }}
        {{ range service .Name }}  server {{ .ID }} {{ .Address }}:{{ .Port }}
        {{ end }}{{ end }}
        """

    static func run(_ args: [String]) async -> Int32 {
        let services = args.count > 0 ? Int(args[0]) ?? 10_000 : 10_000
        let instances = args.count > 1 ? Int(args[1]) ?? 10 : 10
        let window = args.count > 2 ? Int(args[2]) ?? 20 : 20
        do {
            let fake = try LiveBench.startFakeConsul(["--fast-writes"])
            defer { fake.stop() }
            let dir = ScratchDirectory("retmpl-scale")
            defer { dir.remove() }

            var t = ContinuousClock.now
            try await register(fake, services: services, instances: instances)
            print(String(format: "registered %d services × %d instances in %.1f s", services, instances,
                         LiveBench.milliseconds(ContinuousClock.now - t) / 1000))

            if ProcessInfo.processInfo.environment["RETMPL_SCALE_READS_ONLY"] != nil {
                // Diagnostics: the reader alone, no runtime.
                let reader = ConsulReader(client: try fake.client())
                for round in 1...3 {
                    let r0 = ContinuousClock.now
                    for s in 0..<services {
                        _ = try await reader.read(Dependency(.healthService(.init(name: "svc-\(s)"))), index: nil, wait: .seconds(1), stale: false)
                    }
                    print(String(format: "reads round %d: %.1f s, RSS %.1f MB", round, LiveBench.milliseconds(ContinuousClock.now - r0) / 1000, LiveBench.memory().rss))
                }
                return 0
            }
            let events = EventRecorder<(RuntimeEvent, ContinuousClock.Instant)>()
            // RETMPL_FEED_THRESHOLD=off: one long-poll per service, as consul-template.
            var policy = WatchPolicy()
            if let t = ProcessInfo.processInfo.environment["RETMPL_FEED_THRESHOLD"] { policy.serviceFeedThreshold = Int(t) }
            let before = LiveBench.memory()
            t = ContinuousClock.now
            let task = try LiveBench.start(Runner.Configuration(
                templates: [TemplateConfig(source: .text(template, name: "scale.ctmpl"), destination: .file(dir.file("out.cfg")))],
                feed: .registry(ConsulReader(client: try fake.client()), policy)), events: events)
            defer { task.cancel() }
            guard let first = await events.first(within: .seconds(600), where: { $0.0.kind == .rendered }) else {
                print("no render within 600 s")
                return 1
            }
            let size = (try? FileManager.default.attributesOfItem(atPath: dir.file("out.cfg"))[.size] as? Int) ?? 0
            print(String(format: "first render after %.1f s (%d bytes)", LiveBench.milliseconds(first.1 - t) / 1000, size))

            // Steady state: let the start-up reads finish, then measure a quiet window.
            try await fake.awaitParked(3)
            try await fake.control("PUT", "/_fake/stats")
            let cpu0 = LiveBench.cpuSeconds()
            try await Task.sleep(for: .seconds(window))
            let cpu1 = LiveBench.cpuSeconds()
            let stats = try JSONValue.parse(try await fake.control("GET", "/_fake/stats"))
            var requests = 0.0, parked = 0.0
            if case .number(let v, _)? = stats["requests_total"] { requests = v }
            if case .number(let v, _)? = stats["parked"] { parked = v }
            let memory = LiveBench.memory()
            print(String(format: "steady state over %d s: %.0f long-polls parked, %.2f requests/s to Consul, CPU %.3f s (%.2f%% of a core)",
                         window, parked, requests / Double(window), cpu1 - cpu0, (cpu1 - cpu0) / Double(window) * 100))
            print(String(format: "memory: RSS %.1f MB (before start %.1f MB), peak %.1f MB", memory.rss, before.rss, memory.peak))

            // One change.
            try await fake.awaitParked(3)
            let mark = events.count
            t = ContinuousClock.now
            try await fake.register(node: "scale-node-0", address: "10.9.9.9", service: "svc-\(services / 2)", id: "svc-new", port: 9999, status: "passing")
            if let hit = await events.first(from: mark, within: .seconds(60), where: { $0.0.kind == .rendered }) {
                print(String(format: "one registration → written: %.1f ms", LiveBench.milliseconds(hit.1 - t)))
            }
            return 0
        } catch {
            print("retmpl-bench scale: \(error)")
            return 1
        }
    }

    /// Registers services × instances with a passing check each, 8 requests in flight.
    static func register(_ fake: FakeConsulProcess, services: Int, instances: Int) async throws {
        let total = services * instances
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            func add() {
                guard next < total else { return }
                let i = next
                next += 1
                let s = i / instances, k = i % instances
                group.addTask {
                    try await fake.register(node: "scale-node-\(k)", address: "10.\(k).\(s / 250).\(s % 250)", service: "svc-\(s)",
                                            id: "svc-\(s)-\(k)", port: 8000 + k, status: "passing")
                }
            }
            for _ in 0..<8 { add() }
            while try await group.next() != nil { add() }
        }
    }
}
