import Foundation
import Testing
import RetmplTemplate
import RetmplRegistry
import RetmplFunctions

/// The oracle-generated conformance cases under `Cases/` (see its README):
/// each renders byte for byte as Go's text/template with consul-template's
/// functions, or fails with the oracle's exit status.
struct ConformanceCase: CustomStringConvertible, Sendable {
    let name: String
    let directory: URL
    var description: String { name }

    static let all: [ConformanceCase] = {
        guard let root = Bundle.module.url(forResource: "Cases", withExtension: nil),
            let names = try? FileManager.default.contentsOfDirectory(atPath: root.path)
        else { return [] }
        return names.sorted().compactMap { name in
            let dir = root.appendingPathComponent(name)
            var isDir: ObjCBool = false
            guard FileManager.default.fileExists(atPath: dir.path, isDirectory: &isDir), isDir.boolValue else { return nil }
            return ConformanceCase(name: name, directory: dir)
        }
    }()

    func file(_ name: String) -> Data? { try? Data(contentsOf: directory.appendingPathComponent(name)) }

    /// The one-line `args` file: delimiters and `-error-on-missing-key`.
    var options: TextTemplate.Options {
        var o = TextTemplate.Options()
        guard let data = file("args") else { return o }
        let words = String(decoding: data, as: UTF8.self).split(whereSeparator: { $0 == " " || $0 == "\n" }).map(String.init)
        var i = 0
        while i < words.count {
            switch words[i] {
            case "-left-delim": i += 1; o.leftDelimiter = words[i]
            case "-right-delim": i += 1; o.rightDelimiter = words[i]
            case "-error-on-missing-key": o.missingKey = .error
            default: break
            }
            i += 1
        }
        return o
    }
}

@Suite struct ConformanceTests {
    @Test func casesArePresent() {
        #expect(ConformanceCase.all.count >= 300)
    }

    @Test(arguments: ConformanceCase.all)
    func conformance(_ c: ConformanceCase) throws {
        let template = String(decoding: try #require(c.file("template.ctmpl")), as: UTF8.self)
        let snapshotBytes = try #require(c.file("snapshot.json"))
        let snapshot: Snapshot
        do {
            snapshot = try Snapshot.load(json: String(decoding: snapshotBytes, as: UTF8.self))
        } catch {
            let code = c.file("expected.code").map { String(decoding: $0, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
            #expect(code == "3", "snapshot rejected: \(error)")
            return
        }
        let result = OfflineRender(source: template, name: "template.ctmpl", options: c.options, data: SnapshotSource(snapshot: snapshot))
        if let expected = c.file("expected.out") {
            #expect(result.status == 0, "\(result.message ?? "")")
            if result.status == 0 {
                // Bytes, not decoded strings: invalid UTF-8 must survive as it is.
                #expect(
                    result.output == Array(expected),
                    "got \(String(decoding: result.output, as: UTF8.self)) want \(String(decoding: expected, as: UTF8.self))")
            }
        } else {
            let code = String(decoding: try #require(c.file("expected.code")), as: UTF8.self)
                .trimmingCharacters(in: .whitespacesAndNewlines)
            let oracle = c.file("expected.err").map { String(decoding: $0, as: UTF8.self) } ?? ""
            #expect(String(result.status) == code, "oracle: \(oracle) ours: \(result.message ?? "rendered")")
            if result.status != 0 {
                // Our wording differs from Go's, but it must carry a location or name the missing data.
                let message = result.message ?? ""
                #expect(message.contains("template.ctmpl"), "no location in: \(message)")
            }
        }
    }
}
