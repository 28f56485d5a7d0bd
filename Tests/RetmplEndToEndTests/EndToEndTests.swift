import Foundation
import RetmplTestSupport
import Testing

/// Real haproxy and nginx, driven by the built `retmpl` daemon from a snapshot
/// registry, under steady load from Tests/EndToEnd/load.py. A missing proxy
/// fails these tests (never a skip). Serialized: they share two cores.
@Suite(.serialized) struct EndToEndTests {
    /// 1→5 first (the seed scenario), then up and down; consecutive sizes differ.
    static let sizes = (0..<100).map { [5, 1, 4, 2, 3][$0 % 5] }

    @Test(arguments: [Proxy.haproxy, .nginx])
    func scalingUnderLoadDropsNothing(_ proxy: Proxy) async throws {
        try await withStack(proxy) { stack in
            let load = try await Load(port: stack.port, in: stack.dir.path)
            var latencies: [Double] = []
            var reloads = stack.reloadTimes().count
            do {
                for size in Self.sizes {
                    let written = try stack.setWeb(stack.web(size))
                    reloads += 1
                    let reloaded = try await stack.awaitReload(reloads)
                    latencies.append((reloaded - written) * 1000)
                    try await stack.converge(on: Stack.names(stack.web(size)))
                }
            } catch {
                _ = try? await load.finish()
                throw error
            }
            let report = try await load.finish()
            print("E2E \(proxy) " + String(format: "scale x%d: reloads %d, change→reload p50 %.0f ms p99 %.0f ms max %.0f ms; requests %d served (2xx) %d, non-2xx %d, socket errors %d in %.1f s, slowest %.0f ms, unanswered at stop %d",
                         Self.sizes.count, stack.reloadTimes().count, percentile(latencies, 50), percentile(latencies, 99),
                         latencies.max() ?? .nan, report.requests, report.ok, report.requests - report.ok - report.failed, report.failed, report.seconds,
                         report.max_latency_ms, report.unanswered_at_stop.count))
            print("E2E \(proxy) statuses \(report.status) (maintenance pages \(report.maintenance)), socket errors \(report.errors), first error: \(report.first_error ?? "-")")
            #expect(stack.reloadTimes().count == Self.sizes.count, "one reload per registry change")
            #expect(report.failed == 0, "socket errors \(report.errors), first: \(report.first_error ?? "-")")
            #expect(report.ok == report.requests, "non-2xx answers: \(report.status)")
            #expect(report.requests > 1000)
            #expect(report.unanswered_at_stop.allSatisfy { $0 < 2 }, "requests stalled: \(report.unanswered_at_stop)")
            #expect(Set(report.backends.keys) == Stack.names(stack.web(5)))
        }
    }

    @Test(arguments: [Proxy.haproxy, .nginx])
    func allInstancesFailingServesTheMaintenancePageThenRecovers(_ proxy: Proxy) async throws {
        try await withStack(proxy) { stack in
            let load = try await Load(port: stack.port, in: stack.dir.path)
            var report: LoadReport
            do {
                try stack.setWeb(stack.web(3))
                _ = try await stack.awaitReload(1)
                try await stack.converge(on: ["web-1", "web-2", "web-3"])

                try stack.setWeb(stack.web(3, status: "critical"))
                _ = try await stack.awaitReload(2)
                // nginx's old workers may still accept briefly: wait for the first maintenance answer.
                try await waitUntil("the maintenance page", timeout: .seconds(30)) { get(port: stack.port)?.isMaintenance == true }
                for _ in 0..<20 {
                    let answer = try #require(get(port: stack.port), "connection error with every instance down")
                    #expect(answer.isMaintenance, "expected the 503 maintenance page, got \(answer.status): \(answer.body)")
                }
                try stack.setWeb(stack.web(3))
                _ = try await stack.awaitReload(3)
                try await stack.converge(on: ["web-1", "web-2", "web-3"])
                report = try await load.finish()
            } catch {
                _ = try? await load.finish()
                throw error
            }
            print("E2E \(proxy) maintenance: requests \(report.requests), 2xx \(report.ok), maintenance 503 \(report.maintenance), status \(report.status), socket errors \(report.failed)")
            #expect(report.failed == 0, "socket errors \(report.errors), first: \(report.first_error ?? "-")")
            #expect(report.maintenance > 0, "the load saw no maintenance page")
            #expect(report.ok + report.maintenance == report.requests, "answers other than 2xx or the maintenance page: \(report.status)")
        }
    }

    @Test(arguments: [Proxy.haproxy, .nginx])
    func configTheProxyRejectsLeavesTheLiveConfigAndProxyUntouched(_ proxy: Proxy) async throws {
        try await withStack(proxy) { stack in
            try stack.setWeb(stack.web(2))
            _ = try await stack.awaitReload(1)
            try await stack.converge(on: ["web-1", "web-2"])
            let live = try #require(stack.dir.read(URL(fileURLWithPath: stack.config).lastPathComponent))
            let masterReloads = stack.haproxyMasterReloads()

            // The template accepts a host name; neither proxy can resolve it.
            var bad = stack.web(2)
            bad.append(Instance(id: "web-9", port: 8080, address: "no-such-host.invalid"))
            try stack.setWeb(bad)
            let rejection = proxy == .haproxy ? "could not resolve address 'no-such-host.invalid'" : "host not found in upstream"
            try await waitUntil("retmpl to report the failed check") {
                ((try? String(contentsOfFile: stack.retmplLog, encoding: .utf8)) ?? "").contains(rejection)
            }
            #expect(stack.dir.read(URL(fileURLWithPath: stack.config).lastPathComponent) == live, "live config changed")
            #expect(stack.reloadTimes().count == 1, "a reload ran after a failed check")
            if proxy == .haproxy { #expect(stack.haproxyMasterReloads() == masterReloads) }
            try await stack.converge(on: ["web-1", "web-2"])

            // The next good change goes through.
            try stack.setWeb(stack.web(3))
            _ = try await stack.awaitReload(2)
            try await stack.converge(on: ["web-1", "web-2", "web-3"])
        }
    }
}
