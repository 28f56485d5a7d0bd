#if canImport(Glibc)
import Glibc
#endif
import RetmplTemplate
import RetmplRegistry
import RetmplFunctions

/// Fuzz target for lex + parse + execute (+ the snapshot decoder).
///
/// Build and run with libFuzzer (see README, "Fuzzing"):
///
///     swift build -c release --product retmpl-fuzz -Xswiftc -sanitize=fuzzer -Xswiftc -DRETMPL_FUZZ
///     .build/release/retmpl-fuzz -runs=1000000 Fuzz/corpus
///
/// Input layout: the template text, optionally followed by a NUL byte and a
/// snapshot JSON. Any crash is a bug: bad input must be an error value.
enum FuzzTarget {
    static let fallback: Snapshot? = try? Snapshot.load(json: """
        {"services": {"web": [{"Node": "n1", "Address": "10.0.0.1", "Port": 80, "Tags": ["a", "b"], "Meta": {"k": "v"}}]},
         "kv": {"a/b": "1", "a/c": "{\\"x\\": [1, 2]}"}, "nodes": [{"Node": "n1", "Address": "10.0.0.1"}],
         "env": {"HOME": "/root"}, "files": {"f.txt": "hello"}}
        """)

    static func run(_ bytes: [UInt8]) {
        var template = bytes
        var snapshot = fallback
        if let nul = bytes.firstIndex(of: 0) {
            template = Array(bytes[..<nul])
            snapshot = try? Snapshot.load(json: String(decoding: bytes[(nul + 1)...], as: UTF8.self))
        }
        guard let snapshot else { return }
        let text = String(decoding: template, as: UTF8.self)
        for options in [TextTemplate.Options(), TextTemplate.Options(missingKey: .error)] {
            guard let renderer = try? TemplateRenderer(source: text, name: "fuzz.ctmpl", options: options) else { continue }
            _ = renderer.render(source: SnapshotSource(snapshot: snapshot))
            _ = renderer.template.sourceDescription
        }
    }
}

#if RETMPL_FUZZ
@_silgen_name("LLVMFuzzerRunDriver")
func LLVMFuzzerRunDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// SwiftPM links an executable's entry point as `<module>_main`; hand control to libFuzzer's driver.
@_cdecl("retmpl_fuzz_main")
func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return LLVMFuzzerRunDriver(&count, &vector) { data, size in
        guard let data else { return 0 }
        FuzzTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
}
#else
/// Without libFuzzer: replay the files given as arguments (crash reproduction).
@main
struct FuzzReplay {
    static func main() {
        for path in CommandLine.arguments.dropFirst() {
            guard let f = fopen(path, "rb") else { continue }
            var bytes: [UInt8] = []
            var buf = [UInt8](repeating: 0, count: 65536)
            while true {
                let n = fread(&buf, 1, buf.count, f)
                if n <= 0 { break }
                bytes.append(contentsOf: buf[0..<n])
            }
            fclose(f)
            FuzzTarget.run(bytes)
            print("ok \(path)")
        }
    }
}
#endif
