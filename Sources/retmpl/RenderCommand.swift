import RetmplTemplate
import RetmplRegistry
import RetmplFunctions

/// `retmpl render [-snapshot FILE] [-left-delim X] [-right-delim Y] [-error-on-missing-key] TEMPLATE [SNAPSHOT]`
///
/// Renders once to stdout. Exit status: 0 rendered; 1 template error;
/// 2 the template would never render (missing dependencies, listed by name);
/// 3 usage or snapshot error.
enum RenderCommand {
    static let usage = """
        Usage: retmpl render [flags] TEMPLATE [SNAPSHOT]

        Renders TEMPLATE once and prints the result. With -snapshot (or a second
        argument) the registry data comes from a snapshot file: no Consul needed.
        Exit status: 0 rendered, 1 template error, 2 would never render (missing
        data, listed), 3 usage or snapshot error.

        """

    static func flags() -> GoFlags {
        var f = GoFlags()
        f.value("snapshot", "FILE", topic: "Data", "registry snapshot (JSON) to render against")
        f.value("left-delim", "X", topic: "Template", "left delimiter (default \"{{\")")
        f.value("right-delim", "Y", topic: "Template", "right delimiter (default \"}}\")")
        f.bool("error-on-missing-key", topic: "Template", "a missing map key is an error instead of its zero value")
        f.bool("single-pass", topic: "Template", "accepted for compatibility with the oracle: complete-pass rendering is always on")
        return f
    }

    static func run(_ args: [String]) -> Int32 {
        var f = flags()
        if let status = f.parse(args, usage: usage, rejected: { ("retmpl render: \($0)\n" + usage + $1, 3) }) {
            return status
        }
        var positional = f.arguments
        guard !positional.isEmpty, positional.count <= 2 else {
            Console.err("retmpl render: expected TEMPLATE [SNAPSHOT], got \(positional.count) arguments\n" + usage)
            return 3
        }
        let templatePath = positional.removeFirst()
        let snapshotPath = positional.first ?? f.string("snapshot")

        // Without a snapshot there is no registry data: only env and pure functions render.
        let source: any DataSource
        do {
            if let path = snapshotPath {
                source = SnapshotSource(snapshot: try Snapshot.load(path: path))
            } else {
                source = SnapshotSource(snapshot: try Snapshot.load(json: "{}"))
            }
        } catch {
            Console.err("retmpl render: snapshot \(snapshotPath ?? "-"): \(error)\n")
            return 3
        }

        let text: String
        switch Console.readFile(templatePath) {
        case .success(let bytes): text = String(decoding: bytes, as: UTF8.self)
        case .failure(let e):
            Console.err("retmpl render: \(e)\n")
            return 3
        }
        var options = TextTemplate.Options()
        if let l = f.string("left-delim"), !l.isEmpty { options.leftDelimiter = l }
        if let r = f.string("right-delim"), !r.isEmpty { options.rightDelimiter = r }
        if f.flag("error-on-missing-key") { options.missingKey = .error }

        let result = OfflineRender(source: text, name: templatePath, options: options, data: source)
        if result.status == 0 {
            Console.out(result.output)
        } else if let message = result.message {
            Console.err(message + "\n")
        }
        return result.status
    }
}
