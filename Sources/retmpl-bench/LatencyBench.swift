import Foundation
import Glibc
import RetmplRegistry
import RetmplRuntime
import RetmplTestSupport

/// Change → destination written, on loopback with no quiescence: a KV write
/// and a service registration, each N times, measured from just before the
/// write to Consul until the runtime reports the new file written.
///
/// The fake Consul logs when it read each request, woke each parked query,
/// built its answer and finished sending it (`CLOCK_MONOTONIC`), so the total
/// splits into the test server's share and retmpl's: from the moment the
/// answer's bytes were sent to the file written.
enum LatencyBench {
    /// One measured change, as `CLOCK_MONOTONIC` nanoseconds.
    struct Sample {
        var start: UInt64
        var acked: UInt64
        var written: UInt64
    }

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
            // Event times are ContinuousClock instants; this maps them onto CLOCK_MONOTONIC.
            let reference = (ContinuousClock.now, LiveBench.monotonicNanoseconds())
            func monotonic(_ instant: ContinuousClock.Instant) -> UInt64 {
                let d = instant - reference.0
                return UInt64(Int64(reference.1) + d.components.seconds * 1_000_000_000 + d.components.attoseconds / 1_000_000_000)
            }

            var kv: [Sample] = [], svc: [Sample] = []
            for i in 1...n {
                if i % 10 == 0 { FileHandle.standardError.write(Data("  \(i)/\(n)\n".utf8)) }
                try await fake.awaitParked(2)
                var mark = events.count
                var t0 = LiveBench.monotonicNanoseconds()
                try await fake.putKey("bench/v", String(i))
                var acked = LiveBench.monotonicNanoseconds()
                if let hit = await events.first(from: mark, where: { $0.0.kind == .rendered && $0.0.template?.hasPrefix("kv") == true }) {
                    kv.append(Sample(start: t0, acked: acked, written: monotonic(hit.1)))
                } else {
                    FileHandle.standardError.write(Data("  kv \(i): no render; events: \(events.all.suffix(4).map { $0.0.description })\n".utf8))
                }
                try await fake.awaitParked(2)
                mark = events.count
                t0 = LiveBench.monotonicNanoseconds()
                try await fake.register(node: "n\(i % 7)", address: "10.0.0.\(i % 200 + 1)", service: "web", id: "web-\(i % 5)", port: 80 + i, status: "passing")
                acked = LiveBench.monotonicNanoseconds()
                if let hit = await events.first(from: mark, where: { $0.0.kind == .rendered && $0.0.template?.hasPrefix("web") == true }) {
                    svc.append(Sample(start: t0, acked: acked, written: monotonic(hit.1)))
                } else {
                    FileHandle.standardError.write(Data("  registration \(i): no render; events: \(events.all.suffix(4).map { $0.0.description })\n".utf8))
                }
            }
            let kvLog = try await answers(fake, path: "/v1/kv/bench/v")
            let svcLog = try await answers(fake, path: "/v1/health/service/web")
            report("kv write", kv, kvLog)
            report("registration", svc, svcLog)
            return kv.count == n && svc.count == n ? 0 : 1
        } catch {
            print("retmpl-bench latency: \(error)")
            return 1
        }
    }

    /// A blocking query the fake Consul answered after a write woke it.
    struct Answer {
        var woken: UInt64
        var answered: UInt64
        var sent: UInt64
    }

    /// The woken blocking queries of `path`, from the fake's request log.
    static func answers(_ fake: FakeConsulProcess, path: String) async throws -> [Answer] {
        let text = try await fake.control("GET", "/_fake/requests", [("path", path), ("limit", "2000")])
        guard case .array(let entries) = try JSONValue.parse(text) else { return [] }
        func number(_ v: JSONValue?) -> UInt64 {
            if case .number(let d, _)? = v { return UInt64(d) }
            return 0
        }
        return entries.compactMap { entry in
            guard case .bool(true)? = entry["blocked"], number(entry["woken_ns"]) > 0, number(entry["sent_ns"]) > 0 else { return nil }
            return Answer(woken: number(entry["woken_ns"]), answered: number(entry["answered_ns"]), sent: number(entry["sent_ns"]))
        }
    }

    static func report(_ label: String, _ samples: [Sample], _ answers: [Answer]) {
        func line(_ what: String, _ values: [Double]) {
            let sorted = values.sorted()
            let label = what.count < 44 ? what + String(repeating: " ", count: 44 - what.count) : what
            print(String(format: "  %@ n=%3d  p50 %6.2f ms  p99 %6.2f ms  max %6.2f ms", label as NSString, sorted.count,
                         LiveBench.percentile(sorted, 50), LiveBench.percentile(sorted, 99), sorted.last ?? .nan))
        }
        func ms(_ a: UInt64, _ b: UInt64) -> Double { b >= a ? Double(b - a) / 1e6 : -Double(a - b) / 1e6 }
        print("change → written (\(label)):")
        line("total (write sent → file written)", samples.map { ms($0.start, $0.written) })
        line("after Consul's ack", samples.map { ms($0.acked, $0.written) })
        // The answer each change woke: the one the fake sent between the write and the file.
        let matched = samples.compactMap { s in answers.first { $0.sent > s.start && $0.sent <= s.written }.map { (s, $0) } }
        line("fake: write sent → parked query woken", matched.map { ms($0.0.start, $0.1.woken) })
        line("fake: woken → answer built", matched.map { ms($0.1.woken, $0.1.answered) })
        line("fake: answer built → bytes sent", matched.map { ms($0.1.answered, $0.1.sent) })
        line("retmpl: answer bytes sent → file written", matched.map { ms($0.1.sent, $0.0.written) })
    }
}
