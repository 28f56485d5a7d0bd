import Testing

@testable import RetmplConfig

/// The syntax tree, through its printed form: values, comments, heredocs,
/// labels, lists and numbers, in HCL and in JSON.
@Suite struct HCLSyntaxTests {
    /// A compact rendering of a tree: `{k=v,…}`, `[a,b]`, `"s"`, `1`, `1.5`, `true`.
    static func render(_ n: ConfigNode) -> String {
        switch n.value {
        case .string(let s): return "\"\(s)\""
        case .integer(let v): return String(v)
        case .float(let d): return String(d)
        case .bool(let b): return String(b)
        case .list(let items): return "[" + items.map(render).joined(separator: ",") + "]"
        case .object(let es): return "{" + es.map { "\($0.key)=\(render($0.value))" }.joined(separator: ",") + "}"
        }
    }

    static let trees: [(String, String)] = [
        ("a = \"b\"", #"{a="b"}"#),
        ("", "{}"),
        ("# only a comment\n", "{}"),
        ("\u{FEFF}a = 1", "{a=1}"),
        ("a = 1 b = 2, c = 3", "{a=1,b=2,c=3}"),
        ("a = 1\nb = -2\nc = 0644\nd = 0x1F\ne = 1.5\nf = 1e3", "{a=1,b=-2,c=420,d=31,e=1.5,f=1000.0}"),
        ("t = true\nf = false", "{t=true,f=false}"),
        ("l = [\"a\", \"b\",]\ne = []", #"{l=["a","b"],e=[]}"#),
        ("l = [\n  1,\n  [2, 3],\n  { x = 1 },\n]", "{l=[1,[2,3],{x=1}]}"),
        ("b {\n  x = 1\n  y = \"z\"\n}", #"{b={x=1,y="z"}}"#),
        ("b = { x = 1, y = 2 }", "{b={x=1,y=2}}"),
        ("b \"label\" { x = 1 }", "{b={label={x=1}}}"),
        ("b \"l1\" \"l2\" { }", "{b={l1={l2={}}}}"),
        ("\"quoted key\" = 1", "{quoted key=1}"),
        ("# hash\n// slashes\n/* block\n comment */ a = 1 # trailing", "{a=1}"),
        ("template {}\ntemplate {}", "{template={},template={}}"),
        ("dotted.key-name_1 = 1", "{dotted.key-name_1=1}"),
        (#"s = "tab\there \"q\" \\ \u00e9 \x41 \101 \U0001F600""#, "{s=\"tab\there \"q\" \\ é A A 😀\"}"),
        (#"s = "${foo("bar")} \n""#, "{s=\"${foo(\"bar\")} \n\"}"),
        ("s = <<EOF\nline 1\n  line \"2\" \\n\nEOF\nafter = 1", "{s=\"line 1\n  line \"2\" \\n\n\",after=1}"),
        ("s = <<-EOT\n    one\n      two\n    EOT\n", "{s=\"one\n  two\n\"}"),
        ("s = <<EOF\nEOF", "{s=\"\"}"),
        ("s = <<EOF\r\nwin\r\nEOF\r\n", "{s=\"win\n\"}"),
        // JSON: the same model.
        (#"{"a": "b", "n": 1, "f": 1.5, "t": true, "l": ["x", {"y": 2}], "o": {"k": "v"}}"#,
         #"{a="b",n=1,f=1.5,t=true,l=["x",{y=2}],o={k="v"}}"#),
        (#"{"template": [{"source": "a"}, {"source": "b"}], "template": {}}"#,
         #"{template=[{source="a"},{source="b"}],template={}}"#),
        (#"  {"s": "\u00e9\ud83d\ude00 \"q\" \/ \n"}"#, "{s=\"é😀 \"q\" / \n\"}"),
    ]

    @Test(arguments: trees)
    func parsesTree(source: String, expected: String) throws {
        #expect(Self.render(try ConfigSyntax.parse(source, path: "t.hcl")) == expected)
    }

    static let positions: [(String, String, ConfigPosition)] = [
        ("a = 1\n  bb = \"x\"", "bb", ConfigPosition(line: 2, column: 8)),
        ("x {\n\ty = [1,\n\t  2]\n}", "x.y", ConfigPosition(line: 2, column: 6)),
        ("/* c\n c */ k = <<EOF\nv\nEOF\n", "k", ConfigPosition(line: 2, column: 11)),
        ("{\n  \"o\": {\n    \"k\": true\n  }\n}", "o.k", ConfigPosition(line: 3, column: 10)),
    ]

    /// Every value carries the line and byte column where it starts.
    @Test(arguments: positions)
    func valuePositions(source: String, keyPath: String, expected: ConfigPosition) throws {
        var node = try ConfigSyntax.parse(source, path: "t")
        for key in keyPath.split(separator: ".") {
            guard case .object(let entries) = node.value, let e = entries.first(where: { $0.key == key }) else {
                Issue.record("no \(key) in \(HCLSyntaxTests.render(node))")
                return
            }
            node = e.value
        }
        #expect(node.position == expected)
    }

    static let syntaxErrors: [(String, String)] = [
        ("a = \"unterminated\nb = 1", "t.hcl:1:5: string literal not terminated"),
        ("a = 1\nb = \"x", "t.hcl:2:5: string literal not terminated"),
        ("a = 1 /* never closed", "t.hcl:1:7: comment not terminated"),
        ("s = <<EOF\nbody\n", "t.hcl:1:5: heredoc not terminated (expected a line with EOF)"),
        ("s = <<EOF body\nEOF", "t.hcl:1:5: heredoc anchor must be followed by a newline"),
        ("a 1", "t.hcl:1:3: expected '=' or '{' after key \"a\", found number"),
        ("a = b", "t.hcl:1:5: unexpected identifier \"b\" as a value (strings need double quotes)"),
        ("a = [1 2]", "t.hcl:1:8: expected ',' or ']' in list, found number"),
        ("a {\n  b = 1\n", "t.hcl:1:3: block not terminated (expected '}')"),
        ("a = \"bad \\q escape\"", "t.hcl:1:10: invalid escape sequence \\q"),
        ("a = 09", "t.hcl:1:5: invalid number 09"),
        ("a = 5s", "t.hcl:1:5: invalid number (strings need double quotes)"),
        ("a \"l\" = 1", "t.hcl:1:7: '=' after several keys; a block with labels needs '{'"),
        ("}", "t.hcl:1:1: expected a key, found '}'"),
        ("a = @", "t.hcl:1:5: unexpected '@'"),
        ("{\"a\": 1,}", "t.hcl:1:9: expected a quoted key"),
        ("{\"a\": [1, 2}", "t.hcl:1:12: expected ',' or ']', found '}'"),
        ("{\"a\": \"x}", "t.hcl:1:7: string literal not terminated"),
        ("{\"a\": null}", "t.hcl:1:7: null is not a valid configuration value"),
        ("{} x", "t.hcl:1:4: unexpected 'x' after the top-level object"),
        ("{\"a\": 1", "t.hcl:1:8: expected ',' or '}', found end of file"),
    ]

    @Test(arguments: syntaxErrors)
    func syntaxError(source: String, expected: String) {
        #expect(throws: ConfigError.self) { try ConfigSyntax.parse(source, path: "t.hcl") }
        do {
            _ = try ConfigSyntax.parse(source, path: "t.hcl")
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func deepNestingIsAnErrorNotACrash() {
        let source = "a = " + String(repeating: "[", count: 500) + String(repeating: "]", count: 500)
        #expect(throws: ConfigError.self) { try ConfigSyntax.parse(source, path: "t") }
    }
}
