import Foundation
import RetmplRegistry
import RetmplRuntime
import RetmplTestSupport
import Testing

/// The `{{range services}}{{range service .Name}}` idiom through the change
/// feed: few long-polls, yet every kind of change reaches the file.
@Suite("Service change feed", .serialized)
struct ServiceFeedTests {
    private let template = """
        {{ range services }}{{ range service .Name }}{{ .Name }} {{ .ID }} {{ .Address }}
        {{ end }}{{ end }}
        """

    private func parkedPaths(_ fake: FakeConsulProcess) async throws -> [String: Int] {
        let stats = try JSONValue.parse(try await fake.control("GET", "/_fake/stats"))
        var out: [String: Int] = [:]
        if case .object(let members)? = stats["parked_by_path"] {
            for m in members { if case .number(let n, _) = m.value, n > 0 { out[m.key] = Int(n) } }
        }
        return out
    }

    @Test func manyServicesShareThreeLongPollsAndEveryChangeArrives() async throws {
        try await withFakeConsul { fake in
            for n in 1...6 {
                try await fake.register(node: "node\(n)", address: "10.0.0.\(n)", service: "svc\(n)", id: "svc\(n)-a", port: 80, status: "passing")
            }
            let policy = WatchPolicy(serviceFeedThreshold: 4)
            let rt = try startRuntime(
                templates: { dir in [TemplateConfig(source: .text(self.template, name: "all.ctmpl"), destination: .file(dir.file("out.txt")))] },
                feed: { _ in .registry(ConsulReader(client: try fake.client()), policy) })
            await rt.next(.rendered)
            #expect(rt.dir.read("out.txt")?.contains("svc6 svc6-a 10.0.0.6") == true)

            // Steady state: `services` itself, plus the feed's two views.
            try await fake.awaitParked(3)
            let parked = try await parkedPaths(fake)
            #expect(parked.values.reduce(0, +) == 3, "parked: \(parked)")
            #expect(Set(parked.keys) == ["/v1/catalog/services", "/v1/health/state/any"], "parked: \(parked)")

            // A new instance with a check.
            var mark = rt.events.count
            try await fake.register(node: "node7", address: "10.0.0.7", service: "svc3", id: "svc3-b", port: 80, status: "passing")
            await rt.next(.rendered, from: mark)
            #expect(rt.dir.read("out.txt")?.contains("svc3 svc3-b 10.0.0.7") == true)

            // A check going critical removes the instance (default passing filter).
            try await fake.awaitParked(3)
            mark = rt.events.count
            try await fake.register(node: "node2", address: "10.0.0.2", service: "svc2", id: "svc2-a", port: 80, status: "critical")
            await rt.next(.rendered, from: mark)
            #expect(rt.dir.read("out.txt")?.contains("svc2-a") == false)

            // An instance registered without any check: only a sweep can see it.
            try await fake.awaitParked(3)
            mark = rt.events.count
            try await fake.register(node: "node8", address: "10.0.0.8", service: "svc5", id: "svc5-b", port: 80)
            await rt.next(.rendered, from: mark)
            #expect(rt.dir.read("out.txt")?.contains("svc5 svc5-b 10.0.0.8") == true)

            // A new service appears in the catalog.
            try await fake.awaitParked(3)
            mark = rt.events.count
            try await fake.register(node: "node9", address: "10.0.0.9", service: "svc9", id: "svc9-a", port: 80, status: "passing")
            await rt.next(.rendered, from: mark)
            #expect(rt.dir.read("out.txt")?.contains("svc9 svc9-a 10.0.0.9") == true)
            _ = await rt.stop()
        }
    }
}
