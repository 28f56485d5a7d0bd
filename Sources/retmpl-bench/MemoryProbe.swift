import Foundation
import RetmplRuntime
import RetmplRegistry
import RetmplFunctions
import RetmplTemplate

/// Where the synthetic registry's memory goes: each stage decodes every
/// service's answer and keeps what that stage keeps, reporting malloc's
/// in-use bytes (`mallinfo2`) and RSS.
///
///   retmpl-bench memprobe [SERVICES] [INSTANCES]
enum MemoryProbe {
    static func heap() -> Double { Double(ProcessMemory.heapInUse) / 1_048_576 }

    static func run(_ args: [String]) -> Int32 {
        let services = args.count > 0 ? Int(args[0]) ?? 10_000 : 10_000
        let instances = args.count > 1 ? Int(args[1]) ?? 10 : 10
        print("sizes: TemplateValue \(MemoryLayout<TemplateValue>.size)/\(MemoryLayout<TemplateValue>.stride), GoType \(MemoryLayout<GoType>.size), JSONValue \(MemoryLayout<JSONValue>.stride)")
        let dependencies = (0..<services).map { Dependency(.healthService(.init(name: "svc-\($0)"))) }
        let bodies = dependencies.map { Array(SyntheticBench.Reader.body($0, services: services, instances: instances).utf8) }
        let bodyBytes = bodies.reduce(0) { $0 + $1.count }
        print(String(format: "bodies: %.1f MB of JSON (%d B per instance)", Double(bodyBytes) / 1_048_576, bodyBytes / max(1, services * instances)))
        func stage<T>(_ name: String, _ make: (Dependency, [UInt8]) throws -> T) rethrows {
            let h0 = heap(), r0 = LiveBench.memory().rss
            var kept: [T] = []
            kept.reserveCapacity(services)
            for (d, b) in zip(dependencies, bodies) { kept.append(try make(d, b)) }
            let h1 = heap(), r1 = LiveBench.memory().rss
            print(String(format: "%@: heap +%.1f MB (%.0f B per instance), RSS +%.1f MB", name, h1 - h0, (h1 - h0) * 1_048_576 / Double(services * instances), r1 - r0))
            withExtendedLifetime(kept) {}
            kept = []
            print(String(format: "  after release: heap %.1f MB, RSS %.1f MB", heap(), LiveBench.memory().rss))
        }
        do {
            try stage("JSONValue tree") { _, b in try JSONValue.parse(bytes: b) }
            try stage("decoded template values") { d, b in try ConsulAnswer.decode(for: d.query, body: b).value }
            try stage("packed values") { d, b in try ConsulAnswer.decode(for: d.query, body: b).value.map(PackedValue.init) }
            let values = try zip(dependencies, bodies).map { d, b in try ConsulAnswer.decode(for: d.query, body: b).value }
            var t = ContinuousClock.now
            let packed = values.map { $0.map(PackedValue.init) }
            print(String(format: "pack: %.1f ms", LiveBench.milliseconds(ContinuousClock.now - t)))
            t = ContinuousClock.now
            var count = 0
            for p in packed { if case .list(let l)? = p?.value { count += l.elements.count } }
            print(String(format: "rebuild: %.1f ms (%d instances)", LiveBench.milliseconds(ContinuousClock.now - t), count))
            t = ContinuousClock.now
            for (d, b) in zip(dependencies, bodies) { _ = try ConsulAnswer.decode(for: d.query, body: b) }
            print(String(format: "decode: %.1f ms", LiveBench.milliseconds(ContinuousClock.now - t)))
            // The scale template rendered from plain values and from packed ones (rebuilt per render).
            let catalog = Dependency(.catalogServices(Dependency.Scope()))
            let catalogValue = try ConsulAnswer.decode(
                for: catalog.query, body: Array(SyntheticBench.Reader.body(catalog, services: services, instances: instances).utf8)).value
            let renderer = try TemplateRenderer(source: ScaleBench.template, name: "scale.ctmpl")
            let plain = Source(values: Dictionary(uniqueKeysWithValues: zip(dependencies, values)), catalog: (catalog, catalogValue))
            let rebuilt = Source(packed: Dictionary(uniqueKeysWithValues: zip(dependencies, packed)), catalog: (catalog, catalogValue))
            for (name, source) in [("plain", plain), ("packed", rebuilt), ("plain", plain), ("packed", rebuilt)] {
                t = ContinuousClock.now
                let result = renderer.render(source: source)
                guard case .rendered(let bytes) = result.outcome else { print("render: not rendered"); return 1 }
                print(String(format: "render from %@ values: %.1f ms (%d bytes)", name, LiveBench.milliseconds(ContinuousClock.now - t), bytes.count))
            }
        } catch {
            print("memprobe: \(error)")
            return 1
        }
        return 0
    }
}

/// A data source over decoded (or packed) answers, for the render timings.
private final class Source: DataSource {
    let values: [Dependency: TemplateValue?]
    let packed: [Dependency: PackedValue?]
    let catalog: (Dependency, TemplateValue?)

    init(values: [Dependency: TemplateValue?] = [:], packed: [Dependency: PackedValue?] = [:], catalog: (Dependency, TemplateValue?)) {
        self.values = values
        self.packed = packed
        self.catalog = catalog
    }

    func recall(_ dependency: Dependency) -> TemplateValue? {
        if dependency == catalog.0 { return catalog.1 }
        if let v = values[dependency] { return v }
        return packed[dependency]??.value
    }

    func environmentValue(_ name: String) -> String? { nil }
    var now: Timestamp { Timestamp(seconds: 0) }
}
