import Testing
import RetmplTemplate
import RetmplRegistry
@testable import RetmplFunctions

/// A data source with no registry data, a fixed clock and one variable.
private final class FixedSource: DataSource {
    func recall(_ dependency: Dependency) -> TemplateValue? { nil }
    func environmentValue(_ name: String) -> String? { name == "HOME" ? "/home/x" : nil }
    /// 2026-01-02T03:04:05.123456789Z, the oracle snapshot's `now`.
    let now = Timestamp(seconds: 1_767_323_045, nanoseconds: 123_456_789)
}

/// Renders `source` with consul-template's functions; the error's text on failure.
private enum Rendered {
    case success(String)
    case failure(String)
}

private func render(_ source: String) -> Rendered {
    do {
        let template = try TextTemplate(source: source, name: "", functions: ConsulFunctions.table)
        let bytes = try template.execute(data: .noValue, environment: RenderState(source: FixedSource()))
        return .success(String(decoding: bytes, as: UTF8.self))
    } catch {
        return .failure("\(error)")
    }
}

/// Templates rendered by the oracle (Go text/template + consul-template's functions).
@Suite struct OracleFunctionTests {
    @Test(arguments: OracleCases.rendered)
    func renders(_ c: (template: String, expected: String)) {
        switch render(c.template) {
        case .success(let out): #expect(out == c.expected, "\(c.template)")
        case .failure(let e): Issue.record("\(c.template): \(e)")
        }
    }

    @Test(arguments: OracleCases.failing)
    func fails(_ c: (template: String, message: String)) {
        switch render(c.template) {
        case .success(let out): Issue.record("\(c.template) rendered \(out)")
        case .failure(let e): #expect(e.contains(c.message), "\(c.template): \(e)")
        }
    }

    @Test(arguments: OracleCases.unparsable)
    func doesNotParse(_ c: (template: String, message: String)) {
        if case .success(let out) = render(c.template) { Issue.record("\(c.template) rendered \(out)") }
    }
}

/// The building blocks, against values printed by Go.
@Suite struct FunctionUnitTests {
    @Test(arguments: [
        (-62_135_596_800, "0001-01-01T00:00:00.000005Z Mon Jan 1   1 01 12AM"),
        (-1, "1969-12-31T23:59:59.000005Z Wed Dec 31 365 69 11PM"),
        (0, "1970-01-01T00:00:00.000005Z Thu Jan 1   1 70 12AM"),
        (951_782_400, "2000-02-29T00:00:00.000005Z Tue Feb 29  60 00 12AM"),
        (253_402_300_800, "10000-01-01T00:00:00.000005Z Sat Jan 1   1 00 12AM"),
        (-62_167_219_200, "0000-01-01T00:00:00.000005Z Sat Jan 1   1 00 12AM"),
        (1_767_323_045, "2026-01-02T03:04:05.000005Z Fri Jan 2   2 26 3AM"),
    ] as [(Int64, String)])
    func timeFormat(_ c: (seconds: Int64, expected: String)) {
        let layout = "2006-01-02T15:04:05.999999999Z07:00 Mon Jan 2 __2 06 3PM"
        #expect(GoTime.format(Timestamp(seconds: c.seconds, nanoseconds: 5000), layout: layout) == c.expected)
    }

    @Test(arguments: [
        (0.0, "0", "0e+00", "0"), (1, "1", "1e+00", "1"), (-1.5, "-1.5", "-1.5e+00", "-1.5"),
        (1e6, "1e+06", "1e+06", "1000000"), (123456, "123456", "1.23456e+05", "123456"),
        (1234567, "1.234567e+06", "1.234567e+06", "1234567"), (0.0001, "0.0001", "1e-04", "0.0001"),
        (0.00001, "1e-05", "1e-05", "0.00001"), (1e21, "1e+21", "1e+21", "1000000000000000000000"),
        (123456789, "1.23456789e+08", "1.23456789e+08", "123456789"),
        (1.0 / 3, "0.3333333333333333", "3.333333333333333e-01", "0.3333333333333333"),
        (5e-324, "5e-324", "5e-324", "0." + String(repeating: "0", count: 323) + "5"),
        (100, "100", "1e+02", "100"),
    ] as [(Double, String, String, String)])
    func floatFormat(_ c: (value: Double, g: String, e: String, f: String)) {
        #expect(GoText.formatFloat(c.value, UInt8(ascii: "g")) == c.g)
        #expect(GoText.formatFloat(c.value, UInt8(ascii: "e")) == c.e)
        #expect(GoText.formatFloat(c.value, UInt8(ascii: "f")) == c.f)
    }

    @Test func float32Format() {
        #expect(GoText.formatFloat(Double(Float(0.1)), UInt8(ascii: "g"), float32: true) == "0.1")
        #expect(GoText.jsonFloat(Double(Float(1e-7)), float32: true) == "1e-7")
    }

    @Test func digests() {
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        #expect(Hashes.hex(Hashes.sha256(million)) == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(Hashes.hex(Hashes.sha1(Array("".utf8))) == "da39a3ee5e6b4b0d3255bfef95601890afd80709")
        #expect(Hashes.hex(Hashes.md5(Array("".utf8))) == "d41d8cd98f00b204e9800998ecf8427e")
        #expect(Hashes.hex(Hashes.sha512(Array("".utf8))).hasPrefix("cf83e1357eefb8bdf1542850d66d8007"))
        #expect(Hashes.adler32(Array("Wikipedia".utf8)) == 300_286_872)
    }

    @Test func quoting() {
        #expect(GoText.quote("a\"b\\c\n\u{7}\u{7f}\u{FEFF}é😀") == "\"a\\\"b\\\\c\\n\\a\\x7f\\ufeffé😀\"")
        #expect(GoText.quoteRune(97) == "'a'")
        #expect(GoText.quoteRune(-1) == "'�'")
    }

    @Test func scratchIsPerExecution() throws {
        let template = try TextTemplate(source: "{{ scratch.Get \"a\" }}{{ scratch.Set \"a\" 1 }}", name: "", functions: ConsulFunctions.table)
        for _ in 0 ..< 2 {
            let out = try template.render(data: .noValue, environment: RenderState(source: FixedSource()))
            #expect(out == "<no value>")
        }
    }

    @Test func regexTranslation() throws {
        #expect(try RegexSyntax.parse("a.b").icuPattern == "a[^\\x{a}]b")
        #expect(try RegexSyntax.parse("(?P<name>x)").groupNames == ["", "name"])
        #expect(throws: RegexSyntax.ParseError.self) { try RegexSyntax.parse("a{2}{3}") }
    }
}

/// parseYAML / toYAML / toTOML are not in the oracle; expectations follow
/// gopkg.in/yaml.v2 and BurntSushi/toml output.
@Suite struct YAMLTOMLTests {
    private func ok(_ template: String) -> String {
        switch render(template) {
        case .success(let s): return s
        case .failure(let e): return "ERROR: " + e
        }
    }

    @Test func parseYAMLValues() {
        let doc = #"a: 1\nb:\n  - x\n  - w: 2\n    z: 3\nc: |\n  l1\n  l2\nd: >-\n  f1\n  f2\ne: 'q''s'\nf: \"t\\tx\"\ng: [1, two, {k: v}]\nh: ~\ni: yes\nj: 0x1F\nk: 1e3\nl: 2001-01-01\nm: -7 # comment\n"#
        let out = ok("{{ with parseYAML \"\(doc)\" }}{{ printf \"%T\" . }}|{{ range $k, $v := . }}{{ $k }}={{ printf \"%v %T\" $v $v }};{{ end }}{{ end }}")
        #expect(out == "map[interface {}]interface {}|a=1 int;b=[x map[w:2 z:3]] []interface {};c=l1\nl2\n string;d=f1 f2 string;e=q's string;f=t\tx string;g=[1 two map[k:v]] []interface {};h=<nil> <nil>;i=true bool;j=31 int;k=1000 float64;l=2001-01-01 string;m=-7 int;")
    }

    @Test func parseYAMLEdges() {
        #expect(ok(#"{{ printf "%T %d" (parseYAML "") (len (parseYAML "")) }}"#) == "map[string]interface {} 0")
        #expect(ok(#"{{ parseYAML "- a\n- - b\n  - c\n- {x: 1}\n" }}"#) == "[a [b c] map[x:1]]")
        #expect(ok(#"{{ parseYAML "---\nplain scalar\n" }}"#) == "plain scalar")
        #expect(ok(#"{{ parseYAML "k:\n- 1\n- 2\nz: 3" }}"#) == "map[k:[1 2] z:3]")
        #expect(ok(#"{{ parseYAML "a: *ref" }}"#).hasPrefix("ERROR"))
    }

    @Test func toYAMLStyles() {
        let input = #"{\"b\":[1,\"two\",{\"x\":true}],\"a\":{\"n\":null,\"s\":\"hello world\",\"e\":\"\",\"t\":\"true\",\"num\":\"123\"},\"c\":[],\"d\":{}}"#
        #expect(ok("{{ toYAML (parseJSON \"\(input)\") }}") == """
            a:
              e: ""
              "n": null
              num: "123"
              s: hello world
              t: "true"
            b:
            - 1
            - two
            - x: true
            c: []
            d: {}
            """)
        let strings = ##"{\"k\":\"line1\\nline2\\n\",\"j\":\"a\\nb\",\"q\":\"it's: here\",\"h\":\"#x\",\"z\":\"- a\",\"a10\":1e6,\"a9\":1.5,\"a1\":\"2001-01-01\",\"t\":\"tab\\there\",\"u\":\"😀\"}"##
        #expect(ok("{{ toYAML (parseJSON \"\(strings)\") }}") == """
            a1: "2001-01-01"
            a9: 1.5
            a10: 1e+06
            h: '#x'
            j: |-
              a
              b
            k: |
              line1
              line2
            q: 'it''s: here'
            t: "tab\\there"
            u: "\\U0001F600"
            z: '- a'
            """)
        #expect(ok(#"{{ toYAML (parseJSON "{}") }}"#) == "{}")
        #expect(ok(#"{{ toYAML (parseJSON "{\"l\":[[1,2],[]]}") }}"#) == "l:\n- - 1\n  - 2\n- []")
    }

    @Test func toYAMLFoldsLongLines() {
        let words = Array(repeating: "word", count: 30).joined(separator: " ")
        let out = ok("{{ toYAML (parseJSON \"{\\\"k\\\":\\\"\(words)\\\"}\") }}")
        let lines = out.split(separator: "\n")
        #expect(lines.count == 2)
        #expect(lines.first.map { $0.count > 80 } == true)
        #expect(lines.last?.hasPrefix("  word") == true)
    }

    @Test func toTOMLTables() {
        let input = #"{\"title\":\"x\",\"owner\":{\"name\":\"T\",\"dob\":1979},\"ports\":[8000,8001],\"servers\":[{\"ip\":\"10.0.0.1\"},{\"ip\":\"10.0.0.2\"}],\"f\":1.5,\"b\":true,\"n\":null,\"nested\":{\"a\":{\"b\":1}},\"q k\":\"v\\\"\"}"#
        #expect(ok("{{ toTOML (parseJSON \"\(input)\") }}") == """
            b = true
            f = 1.5
            ports = [8000.0, 8001.0]
            "q k" = "v\\""
            title = "x"

            [nested]
              [nested.a]
                b = 1.0

            [owner]
              dob = 1979.0
              name = "T"

            [[servers]]
              ip = "10.0.0.1"

            [[servers]]
              ip = "10.0.0.2"
            """)
        #expect(ok(#"{{ toTOML (parseJSON "{\"a\":[1,null]}") }}"#).contains("toml: cannot encode array with nil element"))
    }
}

/// Generated from the oracle; regenerate rather than edit.
enum OracleCases {
    static let rendered: [(String, String)] = [
        ("{{ 10 | subtract 3 }}|{{ subtract 2 10 }}|{{ add 1 2 }}|{{ add 1.5 2 }}|{{ multiply 3 4 }}|{{ divide 2 10 }}|{{ divide 4 10.0 }}", "7|8|3|3.5|12|5|2.5"),
        ("{{ modulo 3 10 }}|{{ modulo 2 -7 }}|{{ minimum 3 5 }}|{{ maximum 3 5 }}|{{ minimum 2.5 3 }}|{{ maximum 2.5 3 }}", "1|-1|3|5|2.5|3"),
        ("{{ printf \"%T\" (add 1 2) }} {{ printf \"%T\" (add 1.0 2) }} {{ printf \"%T\" (add (parseUint \"5\") (parseUint \"7\")) }} {{ subtract (parseUint \"7\") (parseUint \"5\") }}", "int64 float64 uint64 18446744073709551614"),
        ("{{ printf \"%T %T\" (minimum 1 2.5) (maximum 1 2.5) }} {{ printf \"%T\" (minimum (parseUint \"3\") 2) }}", "int64 float64 int64"),
        ("{{ divide 0 10.0 }}|{{ divide 0.0 -1 }}|{{ multiply 1e300 1e300 }}", "+Inf|-Inf|+Inf"),
        ("{{ add (parseInt \"9223372036854775807\") 1 }}", "-9223372036854775808"),
        ("{{ indent 4 \"a\\nb\\n\\nc\" }}|{{ indent 0 \"x\" }}|{{ indent 2 \"\" }}|{{ indent 2 \"\\n\" }}", "    a\n    b\n\n    c|x||\n"),
        ("{{ join \",\" (split \":\" \"a:b:c\") }}|{{ split \",\" \"\" | len }}|{{ split \"\" \"abc\" }}|{{ split \",\" \"  a,b  \" }}|{{ printf \"%q\" (split \", \" \"a, b,c\") }}", "a,b,c|0|[a b c]|[a b]|[\"a\" \"b,c\"]"),
        ("{{ printf \"%#v\" (split \",\" \"a,,b\") }}|{{ printf \"%T\" (split \",\" \"x\") }}", "[]string{\"a\", \"\", \"b\"}|[]string"),
        ("{{ splitToMap \",\" \"=\" \"a=1,b=2,c,d=x=y,a=3\" }}|{{ printf \"%#v\" (splitToMap \",\" \"=\" \"\") }}|{{ printf \"%T\" (splitToMap \",\" \"=\" \"x=y\") }}", "map[a:3 b:2 d:x=y]|map[string]string{}|map[string]string"),
        ("{{ trim \"xy\" \"xyhixyx\" }}|{{ trimPrefix \"ab\" \"abab\" }}|{{ trimSuffix \"b\" \"abb\" }}|{{ trimSpace \"  \\t x y \\n \" }}|{{ trim \"\" \" x \" }}", "hi|ab|ab|x y| x "),
        ("{{ replaceAll \"a\" \"b\" \"banana\" }}|{{ replaceAll \"\" \"-\" \"abc\" }}|{{ replaceAll \"ana\" \"X\" \"bananana\" }}", "bbnbnb|-a-b-c-|bXnX"),
        ("{{ toLower \"HeLLo ÀÉ İ\" }}|{{ toUpper \"hello ß ﬁ àé ǅ ᾳ\" }}|{{ toTitle \"hello world-foo bar_baz o'neil x.y ßa ﬁsh\" }}", "hello àé i|HELLO ß ﬁ ÀÉ Ǆ ᾼ|Hello World-Foo Bar_baz O'neil X.y Ssa Fish"),
        ("{{ toTitle \"élan vital\" }}|{{ toTitle \"123abc def\" }}|{{ toTitle \"don't stop\" }}|{{ toTitle \"a..b a.b\" }}|{{ toTitle \"HELLO wORLD\" }}|{{ toTitle \"日本語 text\" }}", "Élan Vital|123Abc Def|Don't Stop|A..B A.b|HELLO WORLD|日本語 Text"),
        ("{{ range loop 3 }}{{ . }},{{ end }}|{{ range loop 2 5 }}{{ . }},{{ end }}|{{ range loop \"1\" \"3\" }}{{ . }}{{ end }}|{{ printf \"%T\" (loop 2) }}|{{ range $i := loop 5 3 }}x{{ end }}", "0,1,2,|2,3,4,|12|<-chan int64|"),
        ("{{ parseBool \"true\" }} {{ parseBool \"\" }} {{ parseBool \"T\" }} {{ parseBool \"0\" }}", "true false true false"),
        ("{{ parseInt \"42\" }} {{ parseInt \"-9223372036854775808\" }} {{ parseInt \"\" }} {{ parseInt \"+7\" }} {{ printf \"%T\" (parseInt \"1\") }}", "42 -9223372036854775808 0 7 int64"),
        ("{{ parseUint \"18446744073709551615\" }} {{ printf \"%T\" (parseUint \"1\") }}", "18446744073709551615 uint64"),
        ("{{ parseFloat \"1.5\" }} {{ parseFloat \"1e6\" }} {{ parseFloat \"1_000.5\" }} {{ parseFloat \"0x1p-2\" }} {{ parseFloat \"inf\" }} {{ parseFloat \"-Infinity\" }} {{ parseFloat \"NaN\" }} {{ parseFloat \".5\" }} {{ parseFloat \"1e-400\" }}", "1.5 1e+06 1000.5 0.25 +Inf -Inf NaN 0.5 0"),
        ("{{ parseJSON \"{\\\"a\\\":1,\\\"b\\\":[true,null,\\\"x\\\"],\\\"c\\\":{\\\"d\\\":1.5e3}}\" }}|{{ printf \"%T\" (parseJSON \"\") }}|{{ parseJSON \"123456789\" }}|{{ (parseJSON \"[1,2]\") | len }}", "map[a:1 b:[true <nil> x] c:map[d:1500]]|map[string]interface {}|1.23456789e+08|2"),
        ("{{ toJSON (parseJSON \"{\\\"b\\\":\\\"<&>\\\",\\\"a\\\":[1,2.5,100000000000000000000,1e21,0.000001,1e-7,-0.0]}\") }}", "{\"a\":[1,2.5,100000000000000000000,1e+21,0.000001,1e-7,-0],\"b\":\"\\u003c\\u0026\\u003e\"}"),
        ("{{ toUnescapedJSON (parseJSON \"{\\\"b\\\":\\\"<&>\\\",\\\"a\\\":\\\"\\u2028\\\"}\") }}|{{ toJSON \"\\u2028\\t\\u0001\\\"\\\\\" }}", "{\"a\":\"\\u2028\",\"b\":\"<&>\"}|\"\\u2028\\t\\u0001\\\"\\\\\""),
        ("{{ toJSONPretty (parseJSON \"{\\\"b\\\":[1,{\\\"x\\\":[]}],\\\"a\\\":{},\\\"c\\\":[]}\") }}", "{\n  \"a\": {},\n  \"b\": [\n    1,\n    {\n      \"x\": []\n    }\n  ],\n  \"c\": []\n}"),
        ("{{ toUnescapedJSONPretty (parseJSON \"{\\\"b\\\":\\\"<x>\\\",\\\"a\\\":[1]}\") }}", "{\n  \"a\": [\n    1\n  ],\n  \"b\": \"<x>\"\n}"),
        ("{{ toJSON nil }}|{{ toJSON (split \",\" \"\") }}|{{ toJSON (splitToMap \",\" \"=\" \"b=1,a=2\") }}|{{ toJSON 1.5 }}|{{ toJSON 3 }}|{{ toJSON \"x\" }}|{{ toJSON true }}|{{ toJSON (parseUint \"18446744073709551615\") }}", "null|[]|{\"a\":\"2\",\"b\":\"1\"}|1.5|3|\"x\"|true|18446744073709551615"),
        ("{{ toJSON (parseFloat \"123456789012345678\") }}|{{ toJSON (parseFloat \"0.1\") }}|{{ toJSON (parseFloat \"1e20\") }}|{{ toJSON (parseFloat \"12345e-10\") }}", "123456789012345680|0.1|100000000000000000000|0.0000012345"),
        ("{{ base64Encode \"hello world\" }}|{{ base64Decode \"aGVsbG8gd29ybGQ=\" }}|{{ base64URLEncode \"\\u00ff\\u00fe?>\" }}|{{ base64Encode \"\" }}|{{ base64Encode \"a\" }}|{{ base64Encode \"ab\" }}", "aGVsbG8gd29ybGQ=|hello world|w7_Dvj8-||YQ==|YWI="),
        ("{{ base64Decode \"aGVs\\nbG8=\" }}|{{ base64URLDecode \"Pz4-\" }}", "hello|?>>"),
        ("{{ sha256Hex \"hello\" }}|{{ sha256Hex \"\" }}|{{ md5sum \"hello\" }}|{{ hmacSHA256Hex \"message\" \"key\" }}", "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824|e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855|5d41402abc4b2a76b9719d911017c592|6e9ef29b75fffc5b7abae527d58fdadb2fe42e7219011976917343065f58ed4a"),
        ("{{ sha256Hex \"The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog.\" }}|{{ md5sum \"The quick brown fox jumps over the lazy dog. The quick brown fox jumps over the lazy dog.\" }}", "635241ac823ee4a81fbb410c92be616b0a89191083d8d7b5d232c823dc8df4f5|f168d89e05b664041ee6745f050caa4b"),
        ("{{ hmacSHA256Hex \"msg\" \"a very long key that is definitely longer than sixty four bytes in total, yes indeed it is\" }}", "23e7fbe948111d2c2dd7ef33f07e2dc9446d5b31a46476ca7c62a5f686d9f603"),
        ("{{ timestamp }}|{{ timestamp \"unix\" }}|{{ timestamp \"2006-01-02\" }}|{{ timestamp \"Mon Jan _2 15:04:05 MST 2006\" }}|{{ timestamp \"3:04PM\" }}", "2026-01-02T03:04:05Z|1767323045|2026-01-02|Fri Jan  2 03:04:05 UTC 2026|3:04AM"),
        ("{{ timestamp \"2006-01-02T15:04:05.000Z07:00\" }}|{{ timestamp \".999999999 .000000 ,999 __2 002 -0700 -07:00 -07 Z07 Z0700 Z07:00:00 -07:00:00 -070000 pm PM Monday January 06 1 01 2 02 _2 3 03 15 4 04 5 05\" }}", "2026-01-02T03:04:05.123Z|.123456789 .123456 ,123   2 002 +0000 +00:00 +00 Z Z Z +00:00:00 +000000 am AM Friday January 26 1 01 2 02  2 3 03 03 4 04 5 05"),
        ("{{ timestamp \"Jan Janx Mon Monx MST Mo\" }}", "Jan Janx Fri Monx UTC Mo"),
        ("{{ regexMatch \"^a.c$\" \"abc\" }} {{ regexMatch \"a+\" \"xyz\" }} {{ regexMatch \"(?i)HELLO\" \"say hello\" }} {{ regexMatch \"\\\\d+\" \"x42\" }} {{ regexMatch \"^$\" \"\" }}", "true false true true true"),
        ("{{ regexReplaceAll \"a(x*)b\" \"${1}W\" \"-ab-axxb-\" }}|{{ regexReplaceAll \"a(x*)b\" \"$1W\" \"-ab-axxb-\" }}|{{ regexReplaceAll \"(?P<first>\\\\w+) (?P<last>\\\\w+)\" \"$last $first\" \"John Smith\" }}", "-W-xxW-|---|Smith John"),
        ("{{ regexReplaceAll \"a*\" \"X\" \"baaac\" }}|{{ regexReplaceAll \"\" \"-\" \"abc\" }}|{{ regexReplaceAll \"x*\" \"-\" \"abc\" }}|{{ regexReplaceAll \"b*\" \"X\" \"abbbc\" }}", "XbXcX|-a-b-c-|-a-b-c-|XaXcX"),
        ("{{ regexReplaceAll \"(a)(b)?\" \"[$2|$1|$3|$$|${1}x|$1x]\" \"a ab\" }}", "[|a||$|ax|] [b|a||$|ax|]"),
        ("{{ regexReplaceAll \"\\\\s+\" \" \" \"a \\t\\n b\" }}|{{ regexReplaceAll \"[[:alpha:]]+\" \"W\" \"abc 123 déf\" }}|{{ regexReplaceAll \"\\\\w+\" \"W\" \"héllo wörld\" }}|{{ regexReplaceAll \".\" \"X\" \"a\\nb\" }}|{{ regexReplaceAll \"(?s).\" \"X\" \"a\\nb\" }}", "a b|W 123 WéW|WéW WöW|X\nX|XXX"),
        ("{{ regexReplaceAll \"^\" \"> \" \"l1\\nl2\" }}|{{ regexReplaceAll \"(?m)^\" \"> \" \"l1\\nl2\" }}|{{ regexReplaceAll \"$\" \"!\" \"l1\\nl2\\n\" }}|{{ regexReplaceAll \"(?m)$\" \"!\" \"l1\\nl2\\n\" }}", "> l1\nl2|> l1\n> l2|l1\nl2\n!|l1!\nl2!\n!"),
        ("{{ regexReplaceAll \"\\\\bfoo\\\\b\" \"X\" \"foo foobar barfoo éfoo\" }}|{{ regexReplaceAll \"\\\\Bo\\\\B\" \"0\" \"foo boo\" }}|{{ regexReplaceAll \"a{2,3}\" \"X\" \"aaaaaaa\" }}|{{ regexReplaceAll \"a{2,3}?\" \"X\" \"aaaaaaa\" }}|{{ regexReplaceAll \"(?U)a+\" \"X\" \"aaa\" }}", "X foobar barfoo éX|f0o b0o|XXa|XXXa|XXX"),
        ("{{ regexReplaceAll \"[^a-c]\" \".\" \"abcdef\\n\" }}|{{ regexReplaceAll \"\\\\pL+\" \"L\" \"abc déf 123\" }}|{{ regexReplaceAll \"\\\\p{Greek}\" \"G\" \"αβγ abc\" }}|{{ regexReplaceAll \"\\\\PL\" \"_\" \"a1b2\" }}|{{ regexReplaceAll \"[\\\\d\\\\-]+\" \"#\" \"a1-2b\" }}", "abc....|L L 123|GGG abc|a_b_|a#b"),
        ("{{ regexReplaceAll \"\\\\Q.*\\\\E\" \"X\" \"a.*b\" }}|{{ regexReplaceAll \"\\\\x41\\\\x{42}\\\\101\" \"X\" \"ABA\" }}|{{ regexReplaceAll \"a{,2}\" \"X\" \"a{,2}\" }}|{{ regexReplaceAll \"x{\" \"Y\" \"x{\" }}|{{ regexReplaceAll \"[]a]\" \"X\" \"]a\" }}|{{ regexReplaceAll \"(?i)straße\" \"X\" \"STRASSE straße\" }}", "aXb|X|X|Y|XX|STRASSE X"),
        ("{{ regexMatch \"(?i)(?-i)A\" \"a\" }} {{ regexMatch \"(?i:A)a\" \"aa\" }} {{ regexMatch \"(?i:A)a\" \"aA\" }} {{ regexMatch \"(?P<x_1>a)(?<y>b)\" \"ab\" }} {{ regexMatch \"\\\\123\" \"S\" }} {{ regexMatch \"[[:^digit:]]\" \"5\" }}", "false true false true true false"),
        ("{{ contains \"b\" \"abc\" }} {{ contains \"x\" (split \",\" \"x,y\") }} {{ \"abc\" | contains \"bc\" }} {{ in (split \",\" \"a,b\") \"b\" }} {{ in (parseJSON \"[1,2]\") 1 }} {{ in (parseJSON \"[1,2]\") 1.0 }} {{ in \"abc\" 1 }} {{ in 5 5 }}", "true true true true false true false false"),
        ("{{ containsAll (parseJSON \"[\\\"a\\\",\\\"b\\\"]\") (split \",\" \"a,b,c\") }} {{ containsAll (parseJSON \"[\\\"a\\\",\\\"z\\\"]\") (split \",\" \"a,b,c\") }} {{ containsAny (parseJSON \"[\\\"z\\\",\\\"b\\\"]\") (split \",\" \"a,b,c\") }} {{ containsNone (parseJSON \"[\\\"z\\\"]\") (split \",\" \"a,b\") }} {{ containsNotAll (parseJSON \"[\\\"a\\\",\\\"z\\\"]\") (split \",\" \"a,b\") }} {{ containsAll (parseJSON \"[]\") (split \",\" \"a\") }}", "true false true true true true"),
        ("{{ explodeMap (parseJSON \"{\\\"a/b/c\\\":1,\\\"a/d\\\":\\\"x\\\",\\\"e\\\":true,\\\"f/\\\":2}\") }}|{{ printf \"%T\" (explodeMap (parseJSON \"{}\")) }}", "map[a:map[b:map[c:1] d:x] e:true f:map[]]|map[string]interface {}"),
        ("{{ mergeMap (parseJSON \"{\\\"a\\\":1,\\\"b\\\":{\\\"x\\\":1},\\\"e\\\":\\\"\\\",\\\"l\\\":[1]}\") (parseJSON \"{\\\"a\\\":2,\\\"b\\\":{\\\"y\\\":2,\\\"x\\\":5},\\\"c\\\":3,\\\"e\\\":\\\"filled\\\",\\\"l\\\":[2],\\\"n\\\":null}\") }}", "map[a:1 b:map[x:1 y:2] c:3 e:filled l:[1]]"),
        ("{{ mergeMapWithOverride (parseJSON \"{\\\"a\\\":1,\\\"b\\\":{\\\"x\\\":1},\\\"e\\\":\\\"\\\",\\\"l\\\":[1],\\\"n\\\":1}\") (parseJSON \"{\\\"a\\\":2,\\\"b\\\":{\\\"y\\\":2,\\\"x\\\":5},\\\"c\\\":3,\\\"e\\\":\\\"filled\\\",\\\"l\\\":[2],\\\"n\\\":null}\") }}", "map[a:2 b:map[x:5 y:2] c:3 e:filled l:[2] n:<nil>]"),
        ("{{ mergeMap (parseJSON \"{\\\"b\\\":{}}\") (parseJSON \"{\\\"b\\\":{\\\"x\\\":1}}\") }}|{{ mergeMap (parseJSON \"{\\\"b\\\":1}\") (parseJSON \"{\\\"b\\\":{\\\"x\\\":1}}\") }}|{{ mergeMapWithOverride (parseJSON \"{\\\"b\\\":{\\\"q\\\":1}}\") (parseJSON \"{\\\"b\\\":\\\"s\\\"}\") }}|{{ mergeMap (parseJSON \"{\\\"b\\\":{\\\"q\\\":1}}\") (parseJSON \"{\\\"b\\\":\\\"s\\\"}\") }}", "map[b:map[x:1]]|map[b:1]|map[b:s]|map[b:map[q:1]]"),
        ("{{ with $s := scratch }}{{ $s.Set \"a\" 1 }}{{ $s.SetX \"a\" 2 }}{{ $s.Get \"a\" }} {{ $s.Key \"a\" }} {{ $s.Key \"b\" }} {{ $s.Get \"b\" }} {{ $s.MapSet \"m\" \"z\" 1 }}{{ $s.MapSet \"m\" \"a\" 2 }}{{ $s.MapSetX \"m\" \"a\" 3 }}{{ $s.MapValues \"m\" }} {{ $s.Get \"m\" }} {{ $s.MapValues \"a\" }} {{ printf \"%T\" $s }}{{ end }}", "1 true false <no value> [2 1] map[a:2 z:1] [] *template.Scratch"),
        ("{{ scratch.Set \"k\" (parseJSON \"{\\\"x\\\":1}\") }}{{ scratch.MapSet \"k\" \"y\" 2 }}{{ scratch.Get \"k\" }}", "map[x:1 y:2]"),
        ("{{ define \"t\" }}[{{ . }}]{{ end }}{{ executeTemplate \"t\" }}|{{ executeTemplate \"t\" 5 }}", "[<no value>]|[5]"),
        ("{{ sprig_hello }}|{{ sprig_trunc 3 \"abcdef\" }}|{{ sprig_trunc -2 \"abcdef\" }}|{{ sprig_trunc 10 \"ab\" }}|{{ sprig_trim \"  x \" }}|{{ sprig_upper \"aß\" }}|{{ sprig_lower \"AB\" }}|{{ sprig_title \"hello wORLD foo_bar a-b\" }}", "Hello!|abc|ef|ab|x|Aß|ab|Hello WORLD Foo_bar A-B"),
        ("{{ sprig_substr 1 3 \"abcdef\" }}|{{ sprig_substr -1 2 \"abcdef\" }}|{{ sprig_substr 2 -1 \"abcdef\" }}|{{ sprig_substr 2 99 \"abcdef\" }}|{{ sprig_repeat 3 \"ab\" }}|{{ sprig_trimall \"$\" \"$$5$\" }}|{{ sprig_trimAll \"x\" \"xax\" }}|{{ sprig_trimSuffix \"-\" \"a-\" }}|{{ sprig_trimPrefix \"-\" \"-a\" }}", "bc|ab|cdef|cdef|ababab|5|a|a|a"),
        ("{{ sprig_contains \"b\" \"abc\" }}|{{ sprig_hasPrefix \"a\" \"abc\" }}|{{ sprig_hasSuffix \"c\" \"abc\" }}|{{ sprig_quote \"a\" 1 nil \"b\\\"\" }}|{{ sprig_squote \"a\" 1 nil 2.5 }}|{{ sprig_cat \"a\" 1 nil true 2.5 }}|{{ sprig_indent 2 \"a\\nb\" }}|{{ sprig_nindent 2 \"a\" }}", "true|true|true|\"a\" \"1\" \"b\\\"\"|'a' '1' '2.5'|a 1 true 2.5|  a\n  b|\n  a"),
        ("{{ sprig_replace \"a\" \"b\" \"aaa\" }}|{{ sprig_plural \"one\" \"many\" 1 }}|{{ sprig_plural \"one\" \"many\" 2 }}|{{ sprig_toString 1.5 }}|{{ sprig_toString nil }}|{{ sprig_toString (split \",\" \"a,b\") }}|{{ sprig_toStrings (parseJSON \"[1,\\\"a\\\",null,true]\") }}|{{ printf \"%T\" (sprig_toStrings 5) }}", "bbb|one|many|1.5|<nil>|[a b]|[1 a true]|[]string"),
        ("{{ sprig_split \",\" \"a,b\" }}|{{ sprig_splitn \",\" 2 \"a,b,c\" }}|{{ sprig_splitList \",\" \"a,b\" }}|{{ sprig_join \"-\" (parseJSON \"[1,\\\"a\\\",null]\") }}|{{ sprig_join \"-\" \"x\" }}|{{ sprig_sortAlpha (split \",\" \"b,a,C\") }}|{{ sprig_sortAlpha 5 }}|{{ sprig_atoi \"42\" }}|{{ sprig_atoi \"x\" }}", "map[_0:a _1:b]|map[_0:a _1:b,c]|[a b]|1-a|x|[C a b]|[5]|42|0"),
        ("{{ sprig_until 3 }}|{{ sprig_until -3 }}|{{ sprig_untilStep 0 10 3 }}|{{ sprig_untilStep 10 0 -4 }}|{{ sprig_untilStep 0 10 0 }}|{{ printf \"%T\" (sprig_until 1) }}", "[0 1 2]|[0 -1 -2]|[0 3 6 9]|[10 6 2]|[]|[]int"),
        ("{{ sprig_sha1sum \"abc\" }}|{{ sprig_sha256sum \"abc\" }}|{{ sprig_sha512sum \"abc\" }}|{{ sprig_adler32sum \"Wikipedia\" }}|{{ sprig_b64enc \"hi\" }}|{{ sprig_b64dec \"aGk=\" }}|{{ sprig_b64dec \"!!\" }}|{{ sprig_b32enc \"hello\" }}|{{ sprig_b32dec \"NBSWY3DP\" }}|{{ sprig_b32dec \"NBSW\" }}", "a9993e364706816aba3e25717850c26c9cd0d89d|ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad|ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f|300286872|aGk=|hi|illegal base64 data at input byte 0|NBSWY3DP|hello|illegal base32 data at input byte 0"),
        ("{{ sprig_b32enc \"a\" }}|{{ sprig_b32enc \"ab\" }}|{{ sprig_b32enc \"abc\" }}|{{ sprig_b32enc \"abcd\" }}|{{ sprig_b32dec \"ME======\" }}|{{ sprig_b32dec \"MFRA====\" }}|{{ sprig_b32dec \"MFRGG===\" }}|{{ sprig_b32dec \"MFRGGZA=\" }}|{{ sprig_b32dec \"M1======\" }}", "ME======|MFRA====|MFRGG===|MFRGGZA=|a|ab|abc|abcd|illegal base32 data at input byte 1"),
        ("{{ sprig_default \"d\" \"\" }}|{{ sprig_default \"d\" \"x\" }}|{{ sprig_default \"d\" }}|{{ sprig_default \"d\" 0 }}|{{ sprig_default \"d\" (split \",\" \"\") }}|{{ sprig_empty \"\" }}|{{ sprig_empty 0 }}|{{ sprig_empty \"a\" }}|{{ sprig_empty nil }}|{{ sprig_coalesce \"\" 0 \"x\" }}|{{ sprig_coalesce \"\" }}|{{ sprig_all 1 \"a\" }}|{{ sprig_all 1 \"\" }}|{{ sprig_any 0 \"\" }}|{{ sprig_any 0 \"a\" }}", "d|x|d|d|d|true|true|false|true|x|<no value>|true|false|false|true"),
        ("{{ sprig_ternary \"y\" \"n\" true }}|{{ sprig_ternary \"y\" \"n\" false }}|{{ sprig_fromJson \"{\\\"a\\\":1}\" }}|{{ sprig_fromJson \"{\" }}|{{ sprig_toJson (parseJSON \"{\\\"a\\\":\\\"<\\\"}\") }}|{{ sprig_toPrettyJson (parseJSON \"{\\\"a\\\":[1]}\") }}|{{ sprig_toRawJson (parseJSON \"{\\\"a\\\":\\\"<\\\"}\") }}|{{ sprig_toJson (loop 2) }}", "y|n|map[a:1]|<no value>|{\"a\":\"\\u003c\"}|{\n  \"a\": [\n    1\n  ]\n}|{\"a\":\"<\"}|"),
        ("{{ sprig_typeOf 1 }}|{{ sprig_typeOf nil }}|{{ sprig_typeOf (split \",\" \"a\") }}|{{ sprig_typeIs \"int\" 1 }}|{{ sprig_typeIsLike \"template.Scratch\" scratch }}|{{ sprig_kindOf 1 }}|{{ sprig_kindOf (split \",\" \"\") }}|{{ sprig_kindOf nil }}|{{ sprig_kindOf scratch }}|{{ sprig_kindIs \"map\" (parseJSON \"{}\") }}|{{ sprig_kindOf (loop 1) }}", "int|<nil>|[]string|true|true|int|slice|invalid|ptr|true|chan"),
        ("{{ sprig_deepEqual (parseJSON \"[1,{\\\"a\\\":2}]\") (parseJSON \"[1,{\\\"a\\\":2}]\") }}|{{ sprig_deepEqual 1 1.0 }}|{{ sprig_deepEqual (split \",\" \"\") (sprig_splitList \",\" \"\") }}|{{ sprig_deepEqual \"a\" \"a\" }}", "true|false|false|true"),
        ("{{ sprig_base \"/a/b.txt\" }}|{{ sprig_dir \"/a/b.txt\" }}|{{ sprig_clean \"a//b/../c/.\" }}|{{ sprig_ext \"x.tar.gz\" }}|{{ sprig_isAbs \"/x\" }}|{{ sprig_base \"\" }}|{{ sprig_base \"/\" }}|{{ sprig_dir \"x\" }}|{{ sprig_clean \"\" }}|{{ sprig_clean \"/../a\" }}|{{ sprig_osBase \"a/b/\" }}|{{ sprig_osDir \"/a/\" }}|{{ sprig_osExt \"a.b/c\" }}|{{ sprig_osIsAbs \"x\" }}|{{ sprig_osClean \"./x/\" }}", "b.txt|/a|a/c|.gz|true|.|/|.|.|/a|b|/a||false|x"),
        ("{{ sprig_list 1 \"a\" nil }}|{{ sprig_tuple }}|{{ sprig_dict \"a\" 1 \"b\" }}|{{ sprig_dict 1 2 }}|{{ sprig_get (sprig_dict \"a\" 1) \"a\" }}|{{ sprig_get (sprig_dict \"a\" 1) \"z\" }}|{{ sprig_hasKey (sprig_dict \"a\" 1) \"a\" }}|{{ sprig_pluck \"a\" (sprig_dict \"a\" 1) (sprig_dict \"b\" 2) (sprig_dict \"a\" 3) }}|{{ sprig_keys (sprig_dict \"b\" 1 \"a\" 2) | sprig_sortAlpha }}", "[1 a <nil>]|[]|map[a:1 b:]|map[1:2]|1||true|[1 3]|[a b]"),
        ("{{ sprig_pick (sprig_dict \"a\" 1 \"b\" 2 \"c\" 3) \"a\" \"c\" \"z\" }}|{{ sprig_omit (sprig_dict \"a\" 1 \"b\" 2 \"c\" 3) \"a\" }}|{{ sprig_set (sprig_dict \"a\" 1) \"b\" 2 }}|{{ sprig_unset (sprig_dict \"a\" 1 \"b\" 2) \"a\" }}", "map[a:1 c:3]|map[b:2 c:3]|map[a:1 b:2]|map[b:2]"),
        ("{{ sprig_regexMatch \"^a\" \"abc\" }}|{{ sprig_regexMatch \"(\" \"abc\" }}|{{ sprig_regexFindAll \"a.\" \"axbyaz\" -1 }}|{{ sprig_regexFindAll \"a.\" \"axbyaz\" 1 }}|{{ sprig_regexFind \"b.\" \"abcbd\" }}|{{ sprig_regexReplaceAll \"a(.)\" \"axay\" \"<$1>\" }}|{{ sprig_regexReplaceAllLiteral \"a(.)\" \"axay\" \"<$1>\" }}|{{ sprig_regexSplit \"[,;]\" \"a,b;c\" -1 }}|{{ sprig_regexSplit \"[,;]\" \"a,b;c\" 2 }}|{{ sprig_regexQuoteMeta \"a.b*c\" }}", "true|false|[ax az]|[ax]|bc|<x><y>|<$1><$1>|[a b c]|[a b;c]|a\\.b\\*c"),
        ("{{ sprig_regexSplit \"\" \"abc\" -1 }}|{{ sprig_regexSplit \"x*\" \"axbc\" -1 }}|{{ sprig_regexSplit \",\" \"\" -1 }}|{{ sprig_regexFindAll \"\" \"abc\" -1 }}|{{ sprig_regexFindAll \"x\" \"abc\" -1 | len }}|{{ printf \"%#v\" (sprig_regexFindAll \"x\" \"abc\" -1) }}", "[a b c]|[a b c]|[]|[   ]|0|[]string(nil)"),
        ("{{ regexReplaceAll \"(?i)k\" \"X\" \"kK\\u212a\" }}|{{ regexReplaceAll \"(?i)ſ\" \"X\" \"sSſ\" }}|{{ regexReplaceAll \"(?i)[a-c]+\" \"X\" \"ABCabc\" }}|{{ regexReplaceAll \"(?i)é\" \"X\" \"éÉ\" }}|{{ regexReplaceAll \"\" \"-\" \"\" }}|{{ regexMatch \"\" \"\" }}", "XXX|XXX|X|XX|-|true"),
        ("{{ regexReplaceAll \"(a|ab)(c|bcd)(d*)\" \"[$1,$2,$3]\" \"abcd\" }}|{{ regexReplaceAll \"(?:a+)+b\" \"X\" \"aaab\" }}|{{ regexReplaceAll \"a{0}\" \"X\" \"aa\" }}|{{ regexReplaceAll \"(a)|b\" \"[$1]\" \"ab\" }}|{{ regexReplaceAll \"${1\" \"X\" \"${1\" }}", "[a,bcd,]|X|XaXaX|[a][]|${1"),
        ("{{ regexReplaceAll \"(?P<n>a)\" \"${n}${n}$n1${nope}\" \"a\" }}|{{ regexReplaceAll \"(x)\" \"$01 ${01}\" \"x\" }}|{{ regexReplaceAll \"\\\\.\" \"$\" \"a.b\" }}|{{ regexReplaceAll \"[[:space:]]+\" \"_\" \"a \\t\\nb\" }}|{{ regexReplaceAll \"[^[:alnum:]]\" \"\" \"a-b_c!\" }}", "aa| |a$b|a_b|abc"),
        ("{{ regexReplaceAll \"😀+\" \"X\" \"a😀😀b\" }}|{{ regexReplaceAll \".\" \".\" \"😀é\" }}|{{ regexReplaceAll \"^.|.$\" \"#\" \"😀ab😀\" }}|{{ regexReplaceAll \"\\\\w*\" \"<$0>\" \"ab cd\" }}|{{ regexReplaceAll \"[\\\\p{Lu}]\" \"U\" \"aBcD\" }}", "aXb|..|#ab#|<ab> <cd>|aUcU"),
    ]

    static let failing: [(String, String)] = [
        ("{{ modulo 7.5 3 }}", "error calling modulo: modulo: unknown type for %!q(float64=7.5) (float64)"),
        ("{{ modulo 3 7.5 }}", "error calling modulo: modulo: unknown type for %!q(float64=7.5) (float64)"),
        ("{{ add \"a\" 1 }}", "error calling add: add: unknown type for \"a\" (string)"),
        ("{{ add 1 \"a\" }}", "error calling add: add: unknown type for \"a\" (string)"),
        ("{{ add true 1 }}", "error calling add: add: unknown type for %!q(bool=true) (bool)"),
        ("{{ add nil 1 }}", "error calling add: add: unknown type for <invalid reflect.Value> (<nil>)"),
        ("{{ divide 0 10 }}", "error calling divide: runtime error: integer divide by zero"),
        ("{{ modulo 0 10 }}", "error calling modulo: runtime error: integer divide by zero"),
        ("{{ indent -1 \"a\" }}", "error calling indent: indent value must be a positive integer"),
        ("{{ loop 1.5 }}", "error calling loop: loop: bad argument type: float64"),
        ("{{ loop 1 2 3 }}", "error calling loop: loop: wrong number of arguments, expected 1 or 2, but got 3"),
        ("{{ loop \"x\" }}", "error calling loop: parseInt: strconv.ParseInt: parsing \"x\": invalid syntax"),
        ("{{ parseBool \"yes\" }}", "error calling parseBool: parseBool: strconv.ParseBool: parsing \"yes\": invalid syntax"),
        ("{{ parseInt \"9223372036854775808\" }}", "error calling parseInt: parseInt: strconv.ParseInt: parsing \"9223372036854775808\": value out of range"),
        ("{{ parseInt \"1_000\" }}", "error calling parseInt: parseInt: strconv.ParseInt: parsing \"1_000\": invalid syntax"),
        ("{{ parseInt \"0x10\" }}", "error calling parseInt: parseInt: strconv.ParseInt: parsing \"0x10\": invalid syntax"),
        ("{{ parseUint \"-1\" }}", "error calling parseUint: parseUint: strconv.ParseUint: parsing \"-1\": invalid syntax"),
        ("{{ parseUint \"18446744073709551616\" }}", "error calling parseUint: parseUint: strconv.ParseUint: parsing \"18446744073709551616\": value out of range"),
        ("{{ parseFloat \"1e400\" }}", "error calling parseFloat: parseFloat: strconv.ParseFloat: parsing \"1e400\": value out of range"),
        ("{{ parseFloat \"abc\" }}", "error calling parseFloat: parseFloat: strconv.ParseFloat: parsing \"abc\": invalid syntax"),
        ("{{ parseFloat \"0x1.8\" }}", "error calling parseFloat: parseFloat: strconv.ParseFloat: parsing \"0x1.8\": invalid syntax"),
        ("{{ parseFloat \"1__0\" }}", "error calling parseFloat: parseFloat: strconv.ParseFloat: parsing \"1__0\": invalid syntax"),
        ("{{ parseJSON \"{\\\"a\\\":\" }}", "error calling parseJSON: unexpected end of JSON input"),
        ("{{ parseJSON \"[1,]\" }}", "error calling parseJSON: invalid character ']' looking for beginning of value"),
        ("{{ parseJSON \"1e400\" }}", "error calling parseJSON: json: cannot unmarshal number 1e400 into Go value of type float64"),
        ("{{ toJSON (loop 3) }}", "error calling toJSON: toJSON: json: unsupported type: <-chan int64"),
        ("{{ toJSONPretty (loop 3) }}", "error calling toJSONPretty: toJSONPretty: json: unsupported type: <-chan int64"),
        ("{{ toJSON (parseFloat \"inf\") }}", "error calling toJSON: toJSON: json: unsupported value: +Inf"),
        ("{{ base64Decode \"aGVsbG8\" }}", "error calling base64Decode: base64Decode: illegal base64 data at input byte 4"),
        ("{{ base64Decode \"aGVs!G8=\" }}", "error calling base64Decode: base64Decode: illegal base64 data at input byte 4"),
        ("{{ base64Decode \"aGVsbA==x\" }}", "error calling base64Decode: base64Decode: illegal base64 data at input byte 8"),
        ("{{ base64Decode \"a===\" }}", "error calling base64Decode: base64Decode: illegal base64 data at input byte 1"),
        ("{{ timestamp \"a\" \"b\" }}", "error calling timestamp: timestamp: wrong number of arguments, expected 0 or 1, but got 2"),
        ("{{ regexMatch \"(\" \"x\" }}", "error calling regexMatch: error parsing regexp: missing closing ): `(`"),
        ("{{ regexMatch \")\" \"x\" }}", "error calling regexMatch: error parsing regexp: unexpected ): `)`"),
        ("{{ regexMatch \"a**\" \"x\" }}", "error calling regexMatch: error parsing regexp: invalid nested repetition operator: `**`"),
        ("{{ regexMatch \"*a\" \"x\" }}", "error calling regexMatch: error parsing regexp: missing argument to repetition operator: `*`"),
        ("{{ regexMatch \"a{1001}\" \"x\" }}", "error calling regexMatch: error parsing regexp: invalid repeat count: `{1001}`"),
        ("{{ regexMatch \"(a{500}){3}\" \"x\" }}", "error calling regexMatch: error parsing regexp: invalid repeat count: `{3}`"),
        ("{{ regexMatch \"[z-a]\" \"x\" }}", "error calling regexMatch: error parsing regexp: invalid character class range: `z-a`"),
        ("{{ regexMatch \"[a\" \"x\" }}", "error calling regexMatch: error parsing regexp: missing closing ]: `[a`"),
        ("{{ regexMatch \"\\\\8\" \"x\" }}", "error calling regexMatch: error parsing regexp: invalid escape sequence: `\\8`"),
        ("{{ regexMatch \"x\\\\\" \"x\" }}", "error calling regexMatch: error parsing regexp: trailing backslash at end of expression: ``"),
        ("{{ regexMatch \"(?=a)\" \"x\" }}", "error calling regexMatch: error parsing regexp: invalid or unsupported Perl syntax: `(?=`"),
        ("{{ regexMatch \"(?<=a)b\" \"x\" }}", "error calling regexMatch: error parsing regexp: invalid named capture: `(?<=a)b`"),
        ("{{ regexMatch \"(?P<n!>a)\" \"x\" }}", "error calling regexMatch: error parsing regexp: invalid named capture: `(?P<n!>`"),
        ("{{ regexMatch \"\\\\p{Foo}\" \"x\" }}", "error calling regexMatch: error parsing regexp: invalid character class range: `\\p{Foo}`"),
        ("{{ regexMatch \"[[:foo:]]\" \"x\" }}", "error calling regexMatch: error parsing regexp: invalid character class range: `[:foo:]`"),
        ("{{ regexMatch \"\\\\C\" \"x\" }}", "error calling regexMatch: error parsing regexp: invalid escape sequence: `\\C`"),
        ("{{ regexMatch \"\\\\1\" \"x\" }}", "error calling regexMatch: error parsing regexp: invalid escape sequence: `\\1`"),
        ("{{ regexMatch \"(?z)\" \"x\" }}", "error calling regexMatch: error parsing regexp: invalid or unsupported Perl syntax: `(?z`"),
        ("{{ regexMatch \"a|*\" \"x\" }}", "error calling regexMatch: error parsing regexp: missing argument to repetition operator: `*`"),
        ("{{ regexMatch \"\\\\Z\" \"x\" }}", "error calling regexMatch: error parsing regexp: invalid escape sequence: `\\Z`"),
        ("{{ regexMatch \"\\\\p\" \"x\" }}", "error calling regexMatch: error parsing regexp: invalid character class range: `\\p`"),
        ("{{ regexMatch \"x{2}{3}\" \"x\" }}", "error calling regexMatch: error parsing regexp: invalid nested repetition operator: `{2}{3}`"),
        ("{{ regexMatch \"a++\" \"x\" }}", "error calling regexMatch: error parsing regexp: invalid nested repetition operator: `++`"),
        ("{{ containsAll (split \",\" \"a\") (split \",\" \"a\") }}", "wrong type for value; expected []interface {}; got []string"),
        ("{{ join \",\" (parseJSON \"[\\\"a\\\"]\") }}", "wrong type for value; expected []string; got []interface {}"),
        ("{{ in \"abc\" nil }}", "error calling in: reflect: call of reflect.Value.Type on zero Value"),
        ("{{ explodeMap (parseJSON \"{\\\"a\\\":1.5,\\\"a/b\\\":2}\") }}", "error calling explodeMap: explodeMap: not a map: \"a/b\": \"a\" already has value %!q(float64=1.5)"),
        ("{{ explodeMap (parseJSON \"{\\\"a\\\":\\\"s\\\",\\\"a/b\\\":2}\") }}", "error calling explodeMap: explodeMap: not a map: \"a/b\": \"a\" already has value \"s\""),
        ("{{ scratch.Set \"a\" 1 }}{{ scratch.MapSet \"a\" \"b\" 1 }}", "error calling MapSet: \"a\" is not a map"),
        ("{{ executeTemplate \"t\" }}", "error calling executeTemplate: template: no template \"t\" associated with template \"\""),
        ("{{ define \"t\" }}x{{ end }}{{ executeTemplate \"t\" 1 2 }}", "error calling executeTemplate: executeTemplate: wrong number of arguments, expected 1 or 2, but got 3"),
        ("{{ secret \"x\" }}", "error calling secret: secret is not supported by retmpl"),
        ("{{ sprig_mustFromJson \"{\" }}", "error calling sprig_mustFromJson: unexpected end of JSON input"),
        ("{{ sprig_mustToJson (loop 2) }}", "error calling sprig_mustToJson: json: unsupported type: <-chan int64"),
        ("{{ sprig_toRawJson (loop 2) }}", "error calling sprig_toRawJson: json: unsupported type: <-chan int64"),
        ("{{ sprig_fail \"boom\" }}", "error calling sprig_fail: boom"),
        ("{{ sprig_mustRegexMatch \"(\" \"x\" }}", "error calling sprig_mustRegexMatch: error parsing regexp: missing closing ): `(`"),
        ("{{ sprig_regexFind \"(\" \"x\" }}", "error calling sprig_regexFind: regexp: Compile(`(`): error parsing regexp: missing closing ): `(`"),
        ("{{ sprig_mustRegexReplaceAll \"[\" \"x\" \"y\" }}", "error calling sprig_mustRegexReplaceAll: error parsing regexp: missing closing ]: `[`"),
        ("{{ sprig_semver \"1.2.3\" }}", "error calling sprig_semver: sprig_semver is not supported by retmpl"),
    ]

    static let unparsable: [(String, String)] = [
        ("{{ sprig_now }}", "parse: template: :1: function \"sprig_now\" not defined"),
    ]
}
