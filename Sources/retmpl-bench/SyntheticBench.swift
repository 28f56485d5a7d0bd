import Foundation
import RetmplRegistry
import RetmplRuntime
import RetmplTestSupport

/// The services idiom against an in-process registry (no network): isolates
/// the runtime's own cost (renders, watches) from the registry's.
actor SerialRegistry {
    static let shared = SerialRegistry()
    private var busyUntil = ContinuousClock.now
    func serve(after delay: Duration) async throws {
        busyUntil = max(busyUntil, .now) + delay
        let until = busyUntil
        try await Task.sleep(until: until, clock: .continuous)
    }
}

enum SyntheticBench {
    struct Reader: RegistryReader {
        let services: Int
        let instances: Int

        func read(_ dependency: Dependency, index: UInt64?, wait: Duration, stale: Bool) async throws -> RegistryAnswer {
            // Nothing changes: a blocking read waits out `wait`, then answers the same.
            if index != nil { try await Task.sleep(for: wait) }
            if let delay = Self.delay {
                // One answer at a time, as a single-threaded registry serves them.
                try await SerialRegistry.shared.serve(after: delay)
            }
            return try answer(dependency)
        }

        /// `RETMPL_SYNTHETIC_DELAY_MS`: how long the registry takes per answer.
        static let delay: Duration? = ProcessInfo.processInfo.environment["RETMPL_SYNTHETIC_DELAY_MS"]
            .flatMap(Int.init).map { .milliseconds($0) }

        /// The decoded answer (synchronous: a parked read's frame stays small, as a real client's).
        @inline(never)
        private func answer(_ dependency: Dependency) throws -> RegistryAnswer {
            let body = Self.body(dependency, services: services, instances: instances)
            let decoded = try ConsulAnswer.decode(for: dependency.query, body: Array(body.utf8))
            return RegistryAnswer(value: decoded.value, index: 1, fingerprint: decoded.fingerprint)
        }

        /// Consul's answer for `dependency` in the synthetic registry.
        static func body(_ dependency: Dependency, services: Int, instances: Int) -> String {
            let body: String
            switch dependency.query {
            case .catalogServices:
                body = "{" + (0..<services).map { "\"svc-\($0)\": [\"http\"]" }.joined(separator: ",") + "}"
            case .healthService(let q):
                let s = Int(q.name.dropFirst(4)) ?? 0
                let checks = ProcessInfo.processInfo.environment["RETMPL_SYNTHETIC_NO_CHECKS"] == nil
                body = "[" + (0..<instances).map { k in
                    !checks ? #"{"Node":{"Node":"node-\#(k)","Address":"10.0.0.\#(k)","Datacenter":"dc1"},"Service":{"ID":"\#(q.name)-\#(k)","Service":"\#(q.name)","Port":\#(8000 + s),"Tags":["http"]}}"# :
                    #"{"Node":{"Node":"node-\#(k)","Address":"10.0.0.\#(k)","Datacenter":"dc1"},"Service":{"ID":"\#(q.name)-\#(k)","Service":"\#(q.name)","Port":\#(8000 + s),"Tags":["http"]},"Checks":[{"Node":"node-\#(k)","CheckID":"c","Status":"passing","ServiceName":"\#(q.name)"}]}"#
                }.joined(separator: ",") + "]"
            default:
                body = "null"
            }
            return body
        }

        func probe() async throws {}
        var serviceFeed: (any ServiceFeedSource)? { nil }
    }

    static func run(_ args: [String]) async -> Int32 {
        let services = args.count > 0 ? Int(args[0]) ?? 300 : 300
        let instances = args.count > 1 ? Int(args[1]) ?? 10 : 10
        do {
            let dir = ScratchDirectory("retmpl-synthetic")
            defer { dir.remove() }
            let events = EventRecorder<(RuntimeEvent, ContinuousClock.Instant)>()
            let before = LiveBench.memory()
            let t = ContinuousClock.now
            let task = try LiveBench.start(Runner.Configuration(
                templates: [TemplateConfig(source: .text(ScaleBench.template, name: "scale.ctmpl"), destination: .file(dir.file("out.cfg")))],
                feed: .registry(Reader(services: services, instances: instances), WatchPolicy(serviceFeedThreshold: nil))), events: events)
            defer { task.cancel() }
            guard let first = await events.first(within: .seconds(600), where: { $0.0.kind == .rendered }) else { return 1 }
            let memory = LiveBench.memory()
            let heap = Double(ProcessMemory.heapInUse) / 1_048_576
            print(String(format: "first render after %.1f s; RSS %.1f MB (before %.1f), peak %.1f MB, heap in use %.1f MB; %d events",
                         LiveBench.milliseconds(first.1 - t) / 1000, memory.rss, before.rss, memory.peak, heap, events.count))
            if ProcessInfo.processInfo.environment["RETMPL_SYNTHETIC_TRIM"] != nil {
                ProcessMemory.trim()
                print(String(format: "after malloc_trim: RSS %.1f MB, heap in use %.1f MB", LiveBench.memory().rss, Double(ProcessMemory.heapInUse) / 1_048_576))
            }
            return 0
        } catch {
            print("retmpl-bench synthetic: \(error)")
            return 1
        }
    }
}
