import RetmplTemplate
import RetmplFunctions

/// `retmpl check [-left-delim X] [-right-delim Y] TEMPLATE...`: parses every
/// template and reports every error with its location; exit 1 if any failed.
enum CheckCommand {
    static let usage = """
        Usage: retmpl check [flags] TEMPLATE...

        Parses each TEMPLATE with consul-template's functions and reports every
        error with file, line and column. Exit status 0 when all parse, 1 when
        any does not, 3 on usage errors.

        """

    static func run(_ args: [String]) -> Int32 {
        var f = GoFlags()
        f.value("left-delim", "X", topic: "Template", "left delimiter (default \"{{\")")
        f.value("right-delim", "Y", topic: "Template", "right delimiter (default \"}}\")")
        if let status = f.parse(args, usage: usage, rejected: { ("retmpl check: \($0)\n" + usage + $1, 3) }) {
            return status
        }
        guard !f.arguments.isEmpty else {
            Console.err("retmpl check: no templates given\n" + usage)
            return 3
        }
        var options = TextTemplate.Options()
        if let l = f.string("left-delim"), !l.isEmpty { options.leftDelimiter = l }
        if let r = f.string("right-delim"), !r.isEmpty { options.rightDelimiter = r }
        var failures = 0
        for path in f.arguments {
            switch Console.readFile(path) {
            case .failure(let e):
                Console.err("\(e)\n")
                failures += 1
            case .success(let bytes):
                do {
                    _ = try TemplateRenderer(source: String(decoding: bytes, as: UTF8.self), name: path, options: options)
                    Console.out("\(path): ok\n")
                } catch {
                    Console.err("\(error)\n")
                    failures += 1
                }
            }
        }
        return failures == 0 ? 0 : 1
    }
}
