import Foundation
import Testing
import RetmplTemplate
import RetmplRegistry
import RetmplFunctions

/// The ready-to-use templates in `templates/` render the demo snapshot
/// exactly as consul-template does (goldens made with Go's text/template).
@Suite struct ShippedTemplatesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()

    @Test(arguments: ["haproxy", "nginx", "haproxy-mysql"])
    func rendersLikeConsulTemplate(_ name: String) throws {
        let template = try String(contentsOf: Self.root.appendingPathComponent("templates/\(name).ctmpl"), encoding: .utf8)
        let snapshot = try Snapshot.load(path: Self.root.appendingPathComponent("examples/snapshot/registry.json").path)
        let golden = try String(
            contentsOf: Self.root.appendingPathComponent("Tests/RetmplFunctionsTests/Templates/\(name).out"), encoding: .utf8)
        let result = OfflineRender(source: template, name: "\(name).ctmpl", options: .init(), data: SnapshotSource(snapshot: snapshot))
        #expect(result.message == nil)
        #expect(String(decoding: result.output, as: UTF8.self) == golden)
    }
}
