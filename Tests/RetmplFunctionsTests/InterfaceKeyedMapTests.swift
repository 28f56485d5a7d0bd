import Testing
import RetmplTemplate
import RetmplRegistry
import RetmplFunctions

/// parseYAML returns `map[interface {}]interface {}`: Go lets `.key` and
/// `index m "key"` reach it, because a string is assignable to interface{}.
@Test func interfaceKeyedMapsAreReachable() throws {
    let source = #"{{ $y := parseYAML "a: 1\nb:\n  c: x\n" }}{{ $y.a }} {{ $y.b.c }} {{ index $y "a" }} {{ index $y.b "c" }}"#
    let result = OfflineRender(
        source: source, name: "y.ctmpl", options: .init(), data: SnapshotSource(snapshot: try Snapshot.load(json: "{}")))
    #expect(result.message == nil)
    #expect(String(decoding: result.output, as: UTF8.self) == "1 x 1 x")
}
