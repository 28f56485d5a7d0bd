import Foundation
import RetmplRuntime
import RetmplTestSupport

/// Shared pieces of the live benchmarks (fake Consul, measurements).
enum LiveBench {
    /// The fake Consul script: `RETMPL_FAKE_CONSUL`, else the repository's copy (run from its root).
    static var fakeConsulScript: String {
        ProcessInfo.processInfo.environment["RETMPL_FAKE_CONSUL"] ?? "Tests/Support/fake-consul/fake_consul.py"
    }

    static func startFakeConsul(_ extra: [String] = []) throws -> FakeConsulProcess {
        try FakeConsulProcess(python: [fakeConsulScript, "--port", "0", "--exit-on-stdin-eof", "--no-jitter"] + extra)
    }

    static func percentile(_ sorted: [Double], _ p: Double) -> Double {
        guard !sorted.isEmpty else { return .nan }
        let rank = Int((p / 100 * Double(sorted.count - 1)).rounded())
        return sorted[min(max(rank, 0), sorted.count - 1)]
    }

    /// `VmRSS` and `VmHWM` of this process, in MB.
    static func memory() -> (rss: Double, peak: Double) {
        guard let text = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return (0, 0) }
        func field(_ name: String) -> Double {
            for line in text.split(separator: "\n") where line.hasPrefix(name + ":") {
                let digits = line.split(separator: " ").compactMap { Double($0) }.first ?? 0
                return digits / 1024
            }
            return 0
        }
        return (field("VmRSS"), field("VmHWM"))
    }

    /// User + system CPU seconds of this process.
    static func cpuSeconds() -> Double {
        var usage = rusage()
        getrusage(RUSAGE_SELF.rawValue, &usage)
        func s(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
        return s(usage.ru_utime) + s(usage.ru_stime)
    }

    static func milliseconds(_ d: Duration) -> Double {
        Double(d.components.seconds) * 1000 + Double(d.components.attoseconds) / 1e15
    }

    /// Starts a runner whose events are recorded.
    static func start(_ configuration: Runner.Configuration, events: EventRecorder<(RuntimeEvent, ContinuousClock.Instant)>) throws -> Task<Void, Never> {
        var configuration = configuration
        configuration.observer = { events.record(($0, ContinuousClock.now)) }
        let runner = try Runner(configuration)
        return Task {
            do throws(RuntimeError) {
                try await runner.run()
            } catch {
                print("runner failed: \(error)")
            }
        }
    }
}


extension LiveBench {
    /// `CLOCK_MONOTONIC` in nanoseconds: the clock the fake Consul's request log uses (`time.monotonic_ns`).
    static func monotonicNanoseconds() -> UInt64 {
        var ts = timespec()
        clock_gettime(CLOCK_MONOTONIC, &ts)
        return UInt64(ts.tv_sec) * 1_000_000_000 + UInt64(ts.tv_nsec)
    }
}
