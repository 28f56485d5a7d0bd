import Foundation
import RetmplTemplate
import RetmplRegistry
import RetmplFunctions

/// retmpl-bench render [BENCH_DIR] [N_A N_B N_C]
///
/// Renders the benchmark template against the three snapshots of the oracle's
/// bench folder (generate them with its gen.py) and prints, per case: snapshot
/// load time, the first (cold) render, ns/render and MB/s for parse+execute
/// (a new template per render, what consul-template does on every change) and
/// for execute only (parsed once, what retmpl does), and checks the output
/// against expected.sha256.
enum RenderBench {
static func run(_ args: [String]) -> Int32 {
let dir = args.first ?? "../shared/oracle/bench"
var counts = [200, 20, 5]
if args.count == 4 { counts = args.dropFirst().compactMap { Int($0) } }
let cases = ["a-100x10", "b-1000x20", "c-5000x20"]

func report(_ label: String, _ nanos: UInt64, _ n: Int, _ bytes: Int) {
    let per = Double(nanos) / Double(n)
    let mbs = Double(bytes) / (per / 1e9) / 1e6
    print(String(format: "  %-16@ %12.0f ns/render  %8.3f ms  %8.1f MB/s  (n=%d)", label as NSString, per, per / 1e6, mbs, n))
}

let templatePath = ProcessInfo.processInfo.environment["RETMPL_BENCH_TEMPLATE"] ?? (dir + "/haproxy.ctmpl")
guard let templateText = try? String(contentsOfFile: templatePath, encoding: .utf8) else {
    FileHandle.standardError.write(Data("retmpl-bench: cannot read \(templatePath); pass the oracle's bench folder\n".utf8))
    return 3
}
let expected = (try? String(contentsOfFile: dir + "/expected.sha256", encoding: .utf8)) ?? ""
var status: Int32 = 0

func runCase(_ i: Int, _ c: String, hasher: TextTemplate) throws {
    print("== \(c)")
    let t0 = now()
    let snapshot: Snapshot
    do {
        snapshot = try Snapshot.load(path: "\(dir)/\(c)/snapshot.json")
    } catch {
        print("  cannot load snapshot: \(error) (run gen.py in \(dir))")
        status = 3
        return
    }
    let t1 = now()
    print(String(format: "  snapshot load    %8.1f ms", Double(t1 - t0) / 1e6))
    let source = SnapshotSource(snapshot: snapshot)
    let renderer = try TemplateRenderer(source: templateText, name: "haproxy.ctmpl")
    let t2 = now()
    guard case .rendered(let first) = renderer.render(source: source).outcome else {
        print("  render failed")
        status = 1
        return
    }
    let t3 = now()
    print(String(format: "  first render     %8.1f ms (dependency data converted and cached)", Double(t3 - t2) / 1e6))

    let n = counts[i]
    var start = now()
    for _ in 0..<n {
        let r = try TemplateRenderer(source: templateText, name: "haproxy.ctmpl")
        _ = r.render(source: source)
    }
    report("parse+execute", now() - start, n, first.count)
    start = now()
    // As the daemon re-renders: the last rendering's size as the buffer's start.
    for _ in 0..<n { _ = renderer.render(source: source, sizeHint: first.count) }
    report("execute only", now() - start, n, first.count)

    let sum = try hasher.render(data: .string(String(decoding: first, as: UTF8.self)))
    if expected.contains("\(sum)  \(c) \(first.count)") {
        print("  output: \(first.count) bytes, sha256 OK")
    } else {
        print("  output: \(first.count) bytes, sha256 MISMATCH (\(sum))")
        status = 1
    }
}

do {
    let hasher = try TextTemplate(source: "{{ sha256Hex . }}", functions: ConsulFunctions.table)
    // RETMPL_BENCH_CASES=b runs only case b (for profiling).
    let only = ProcessInfo.processInfo.environment["RETMPL_BENCH_CASES"]
    for (i, c) in cases.enumerated() where (only.map { $0.contains(c.prefix(1)) } ?? true) {
        try runCase(i, c, hasher: hasher)
    }
} catch {
    print("retmpl-bench: \(error)")
    status = 1
}
return status
}
}

func now() -> UInt64 { DispatchTime.now().uptimeNanoseconds }
