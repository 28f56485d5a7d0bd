import Foundation
import RetmplRegistry
import RetmplRuntime
import RetmplTestSupport

/// Change → destination written, on loopback with no quiescence: a KV write
/// and a service registration, each N times, measured from just before the
/// write to Consul until the runtime reports the new file written.
enum LatencyBench {
    static func run(_ args: [String]) async -> Int32 {
        let n = args.first.flatMap { Int($0) } ?? 200
        do {
            let fake = try LiveBench.startFakeConsul()
            defer { fake.stop() }
            let dir = ScratchDirectory("retmpl-latency")
            defer { dir.remove() }
            try await fake.putKey("bench/v", "0")
            try await fake.register(node: "n0", address: "10.0.0.1", service: "web", id: "web-0", port: 80, status: "passing")
            let events = EventRecorder<(RuntimeEvent, ContinuousClock.Instant)>()
            let configuration = Runner.Configuration(
                templates: [
                    TemplateConfig(source: .text("v={{ key \"bench/v\" }}\n", name: "kv.ctmpl"), destination: .file(dir.file("kv.txt"))),
                    TemplateConfig(source: .text("{{ range service \"web\" }}{{ .ID }} {{ .Node }} {{ .Address }}:{{ .Port }}\n{{ end }}", name: "web.ctmpl"), destination: .file(dir.file("web.txt"))),
                ],
                feed: .registry(ConsulReader(client: try fake.client()), WatchPolicy()))
            let task = try LiveBench.start(configuration, events: events)
            defer { task.cancel() }
            _ = await events.first { $0.0.kind == .ready }

            var kv: [Double] = [], kvAcked: [Double] = []
            var svc: [Double] = [], svcAcked: [Double] = []
            for i in 1...n {
                if i % 10 == 0 { FileHandle.standardError.write(Data("  \(i)/\(n)\n".utf8)) }
                try await fake.awaitParked(2)
                var mark = events.count
                var t0 = ContinuousClock.now
                try await fake.putKey("bench/v", String(i))
                var acked = ContinuousClock.now
                if let hit = await events.first(from: mark, where: { $0.0.kind == .rendered && $0.0.template?.hasPrefix("kv") == true }) {
                    kv.append(LiveBench.milliseconds(hit.1 - t0))
                    kvAcked.append(LiveBench.milliseconds(hit.1 - acked))
                } else {
                    FileHandle.standardError.write(Data("  kv \(i): no render; events: \(events.all.suffix(4).map { $0.0.description })\n".utf8))
                }
                try await fake.awaitParked(2)
                mark = events.count
                t0 = ContinuousClock.now
                try await fake.register(node: "n\(i % 7)", address: "10.0.0.\(i % 200 + 1)", service: "web", id: "web-\(i % 5)", port: 80 + i, status: "passing")
                acked = ContinuousClock.now
                if let hit = await events.first(from: mark, where: { $0.0.kind == .rendered && $0.0.template?.hasPrefix("web") == true }) {
                    svc.append(LiveBench.milliseconds(hit.1 - t0))
                    svcAcked.append(LiveBench.milliseconds(hit.1 - acked))
                } else {
                    FileHandle.standardError.write(Data("  registration \(i): no render; events: \(events.all.suffix(4).map { $0.0.description })\n".utf8))
                }
            }
            for (label, samples) in [("kv write", kv.sorted()), ("registration", svc.sorted()),
                                     ("kv write, after Consul's ack", kvAcked.sorted()), ("registration, after Consul's ack", svcAcked.sorted())] {
                print(String(format: "change → written (%@): n=%d  p50 %.2f ms  p99 %.2f ms  max %.2f ms", label as NSString, samples.count,
                             LiveBench.percentile(samples, 50), LiveBench.percentile(samples, 99), samples.last ?? .nan))
            }
            return kv.count == n && svc.count == n ? 0 : 1
        } catch {
            print("retmpl-bench latency: \(error)")
            return 1
        }
    }
}
