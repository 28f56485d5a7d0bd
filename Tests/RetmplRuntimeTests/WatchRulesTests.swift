import Foundation
@testable import RetmplRegistry
import RetmplTestSupport
import Testing

@Suite("Blocking-query and retry rules")
struct WatchRuleTests {
    @Test func blockingIndexFollowsConsulsRules() {
        var index = BlockingIndex()
        #expect(index.current == 0)
        #expect(index.advance(to: 5) == false && index.current == 5)
        #expect(index.advance(to: 9) == false && index.current == 9)
        // Backwards (snapshot restore): start over without blocking.
        #expect(index.advance(to: 3) == true && index.current == 0)
        // Below 1 is treated as 1, or Consul would answer at once forever.
        #expect(index.advance(to: 0) == false && index.current == 1)
        // An endpoint without an index does not block.
        #expect(index.advance(to: nil) == false && index.current == 0)
    }

    @Test func backoffDoublesFromItsBaseUpToItsCapWithJitter() {
        let policy = RetryPolicy()
        #expect(policy.delay(attempt: 1, jitter: 1) == .milliseconds(250))
        #expect(policy.delay(attempt: 3, jitter: 1) == .seconds(1))
        #expect(policy.delay(attempt: 30, jitter: 1) == .seconds(60))
        #expect(policy.delay(attempt: 30, jitter: 1.25) == .seconds(60))
        #expect(policy.delay(attempt: 2, jitter: 0.75) == .milliseconds(375))
        #expect(policy.allows(failures: 1_000_000))
        let finite = RetryPolicy(attempts: 3)
        #expect(finite.allows(failures: 3) && !finite.allows(failures: 4))
        #expect(!RetryPolicy(enabled: false).allows(failures: 1))
    }
}

/// The watcher against the fake Consul, observed through its request log.
@Suite("Watcher against the fake Consul", .serialized)
struct WatcherTests {
    private func requests(_ fake: FakeConsulProcess, _ path: String) async throws -> [JSONValue] {
        let log = try JSONValue.parse(try await fake.control("GET", "/_fake/requests", [("path", path), ("limit", "100")]))
        if case .array(let items) = log { return items }
        if case .array(let items)? = log["requests"] { return items }
        return []
    }

    private func query(_ entry: JSONValue) -> String {
        switch entry["query"] {
        case .string(let s)?: return s
        case let other?: return String(decoding: JSONWriter.bytes(other), as: UTF8.self)
        case nil: return ""
        }
    }

    @Test func tooStaleAnAnswerIsReadAgainFromTheLeader() async throws {
        try await withFakeConsul { fake in
            try await fake.putKey("app/v", "1")
            try await fake.control("PUT", "/_fake/lastcontact", [("ms", "5000")])
            let events = EventRecorder<WatchEvent>()
            let watcher = Watcher(reader: ConsulReader(client: try fake.client()), policy: WatchPolicy(maxStale: .seconds(2))) { events.record($0) }
            defer { watcher.stop() }
            watcher.update([Dependency(.kvGet(key: "app/v", scope: Dependency.Scope(), blocking: true))])
            #expect(await events.first { if case .data = $0 { return true } else { return false } } != nil)
            let log = try await requests(fake, "/v1/kv/app/v")
            let gets = log.filter { $0["method"] == .string("GET") }
            let queries = gets.map(query).prefix(2)  // oldest first
            #expect(queries.count == 2)
            #expect(queries.first?.contains("stale") == true, "\(log.map(query))")
            #expect(queries.dropFirst().first?.contains("stale") == false, "\(queries)")
        }
    }

    @Test func aNewIndexWithIdenticalDataDeliversNothing() async throws {
        try await withFakeConsul { fake in
            try await fake.register(node: "n1", address: "10.0.0.1", service: "web", id: "web-1", port: 80)
            let events = EventRecorder<WatchEvent>()
            let watcher = Watcher(reader: ConsulReader(client: try fake.client()), policy: WatchPolicy()) { events.record($0) }
            defer { watcher.stop() }
            let web = Dependency(.healthService(Dependency.HealthServiceQuery(name: "web")))
            watcher.update([web])
            _ = await events.first { _ in true }
            try await fake.awaitParked(1, path: "/v1/health/service/web")
            let before = try await requests(fake, "/v1/health/service/web").count
            // The index moves (here: backwards, as after a restore) while web's answer stays the same.
            try await fake.control("PUT", "/_fake/index-reset", [("index", "2")])
            try await fake.control("GET", "/_fake/await", [("requests", String(before + 2)), ("path", "/v1/health/service/web"), ("timeout", "10s")])
            try await fake.awaitParked(1, path: "/v1/health/service/web")
            let after = try await requests(fake, "/v1/health/service/web").count
            #expect(after > before, "the watch was woken")
            #expect(events.all.count == 1, "events: \(events.all.map { "\($0)".prefix(300) })")
        }
    }

    @Test func finiteRetriesGiveUpAndUnusedWatchesStop() async throws {
        try await withFakeConsul { fake in
            try await fake.control("PUT", "/_fake/fail", [("path", "/v1/kv/broken"), ("count", "-1"), ("status", "500"), ("body", "boom")])
            let events = EventRecorder<WatchEvent>()
            let policy = WatchPolicy(retry: RetryPolicy(attempts: 2, backoff: .milliseconds(10), maxBackoff: .milliseconds(50)))
            let watcher = Watcher(reader: ConsulReader(client: try fake.client()), policy: policy) { events.record($0) }
            defer { watcher.stop() }
            let broken = Dependency(.kvGet(key: "broken", scope: Dependency.Scope(), blocking: true))
            let fine = Dependency(.kvGet(key: "fine", scope: Dependency.Scope(), blocking: true))
            watcher.update([broken, fine])
            let gaveUp = await events.first { if case .gaveUp = $0 { return true } else { return false } }
            if case .gaveUp(let d, let error)? = gaveUp {
                #expect(d == broken)
                #expect(error.contains("500"))
            } else {
                Issue.record("no gaveUp event: \(events.all)")
            }
            let failures = events.all.filter { if case .failed(broken, _, _) = $0 { return true } else { return false } }
            #expect(failures.count == 2)

            try await fake.awaitParked(1, path: "/v1/kv/fine")
            watcher.update([])
            #expect(watcher.watching.isEmpty)
            // The cancelled long-poll leaves the server (bounded wait: it notices within 250 ms).
            var parked = true
            for _ in 0..<300 where parked {
                let stats = try JSONValue.parse(try await fake.control("GET", "/_fake/stats"))
                parked = stats["parked_by_path"]?["/v1/kv/fine"] != nil
                if parked { try await Task.sleep(for: .milliseconds(10)) }
            }
            #expect(!parked, "the unused watch still holds its long-poll")
        }
    }
}
