import Testing
import RetmplTemplate
import RetmplRegistry
@testable import RetmplFunctions

/// The proxy token functions: every value either becomes one safe token or
/// fails with an error naming it. Hash suffixes were checked against an
/// independent FNV-1a implementation.
@Suite struct ProxyTokenTests {
    // MARK: Sanitisers

    @Test(arguments: [
        ("web", "web"),
        ("be_Web-1.a:b", "be_Web-1.a:b"),
        ("a b", "a_b-10a3f9f2"),
        ("a_b", "a_b"),
        ("x\n    server evil", "x_____server_evil-529d3b7a"),
        ("$HOME", "_HOME-8dc9dba0"),
        ("é", "_-1e9de8c1"),
    ])
    func haproxyName(_ c: (input: String, expected: String)) throws {
        #expect(try ProxyTokens.haproxyName(Array(c.input.utf8)) == c.expected)
    }

    @Test(arguments: [
        ("web", "web"),
        ("web-1.a_b", "web-1.a_b"),
        ("Web", "web-72645431"),
        ("Shop_Admin", "shop_admin-004bbb21"),
        ("a:b", "a_b-08bd8540"),
        ("a b", "a_b-10a3f9f2"),
    ])
    func nginxName(_ c: (input: String, expected: String)) throws {
        #expect(try ProxyTokens.nginxName(Array(c.input.utf8)) == c.expected)
    }

    @Test func emptyNamesFail() {
        #expect(throws: TemplateFunctionError.self) { try ProxyTokens.haproxyName([]) }
        #expect(throws: TemplateFunctionError.self) { try ProxyTokens.nginxName([]) }
    }

    @Test func namesOfInvalidUTF8AreSanitised() throws {
        #expect(try ProxyTokens.haproxyName([0x61, 0xFF]) == "a_-" + String(ProxyTokens.fnv1a([0x61, 0xFF]), radix: 16))
    }

    @Test(arguments: [
        ("version 1.2", "version 1.2"),
        ("a\nb\rc\u{0}d\u{7F}e\tf", "a?b?c?d?e?f"),
        ("é # ; { } $HOME", "é # ; { } $HOME"),
    ])
    func comment(_ c: (input: String, expected: String)) {
        #expect(ProxyTokens.comment(Array(c.input.utf8)) == c.expected)
    }

    // MARK: Quoters

    @Test(arguments: [
        ("abc", #""abc""#),
        ("a b#c;{}'", #""a b#c;{}'""#),
        (#""q" \ $HOME ${X}"#, #""\"q\" \\ \$HOME \${X}""#),
        ("l1\nl2\r\tend", #""l1\nl2\r\tend""#),
        ("\u{1}\u{1B}\u{7F}", #""\x01\x1b\x7f""#),
        ("é", #""é""#),
    ])
    func haproxyString(_ c: (input: String, expected: String)) throws {
        #expect(try ProxyTokens.haproxyString(c.input) == c.expected)
    }

    @Test(arguments: ["", "a\u{0}b"])
    func haproxyStringRejects(_ input: String) {
        #expect(throws: TemplateFunctionError.self) { try ProxyTokens.haproxyString(input) }
    }

    @Test(arguments: [
        ("", #""""#),
        ("abc", #""abc""#),
        (#"a "b" \ ;{}#'"#, #""a \"b\" \\ ;{}#'""#),
        ("l1\nl2\r\tend", #""l1\nl2\r\tend""#),
        ("é\u{1}", "\"é\u{1}\""),
    ])
    func nginxString(_ c: (input: String, expected: String)) throws {
        #expect(try ProxyTokens.nginxString(c.input) == c.expected)
    }

    @Test(arguments: ["$host", "costs $5", "${x}", "a\u{0}b"])
    func nginxStringRejects(_ input: String) {
        #expect(throws: TemplateFunctionError.self) { try ProxyTokens.nginxString(input) }
    }

    // MARK: Validators

    @Test(arguments: [
        "example.com", "a-b.example.com", "localhost", "10.0.0.1", "xn--bcher-kva.example", "Shop.Example.COM",
        String(repeating: "a", count: 63) + ".com", "a1.b2", "123.example",
    ])
    func acceptsHost(_ host: String) throws {
        #expect(try ProxyTokens.host(host) == host)
    }

    @Test(arguments: [
        "", "a..b", ".a", "example.com.", "-a.com", "a-.com", "a b", "a;b", "a_b.com", "~^.*$", "*.example.com",
        "$hostname", "a\nb", "1.2.3.999", "010.0.0.1", "a:80", String(repeating: "a", count: 64) + ".com",
        Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: "."),
    ])
    func rejectsHost(_ host: String) {
        #expect(throws: TemplateFunctionError.self) { try ProxyTokens.host(host) }
    }

    @Test(arguments: [
        ("10.0.0.1", TemplateValue.int(80), "10.0.0.1:80"),
        ("::1", .int(80), "[::1]:80"),
        ("[fd00::2]", .string("8080"), "[fd00::2]:8080"),
        ("::ffff:10.0.0.1", .int(1), "[::ffff:10.0.0.1]:1"),
        ("1:2:3:4:5:6:7:8", .uint(65535, .uint16), "[1:2:3:4:5:6:7:8]:65535"),
        ("1:2:3:4:5:6:7::", .int(9), "[1:2:3:4:5:6:7::]:9"),
        ("::", .int(9), "[::]:9"),
        ("db.example.com", .int(3306), "db.example.com:3306"),
    ])
    func hostPort(_ c: (address: String, port: TemplateValue, expected: String)) throws {
        #expect(try ProxyTokens.hostPort(c.address, port: c.port) == c.expected)
    }

    @Test(arguments: [
        ("", TemplateValue.int(80)),
        ("10.0.0.1", .int(0)),
        ("10.0.0.1", .int(65536)),
        ("10.0.0.1", .string("80 backup")),
        ("10.0.0.1", .float(80, .float64)),
        ("10.0.0.1:80", .int(80)),
        ("10.0.0.1 backup", .int(80)),
        ("10.0.0.1\n    server evil 6.6.6.6", .int(80)),
        ("1:2:3:4:5:6:7:8:9", .int(80)),
        ("1::2::3", .int(80)),
        (":::", .int(80)),
        ("1.2.3.4::", .int(80)),
        ("fe80::1%eth0", .int(80)),
        ("[::1", .int(80)),
        ("[10.0.0.1]", .int(80)),
        ("12345::1", .int(80)),
        ("256.0.0.1", .int(80)),
    ])
    func hostPortRejects(_ c: (address: String, port: TemplateValue)) {
        #expect(throws: TemplateFunctionError.self) { try ProxyTokens.hostPort(c.address, port: c.port) }
    }

    @Test(arguments: [
        (TemplateValue.string("10"), Int64(0), Int64(256), Int64(10)),
        (.int(0, .int), 0, 256, 0),
        (.string("-5"), -10, 10, -5),
        (.uint(7, .uint8), 0, 10, 7),
        (.string("256"), 0, 256, 256),
    ])
    func integer(_ c: (value: TemplateValue, min: Int64, max: Int64, expected: Int64)) throws {
        #expect(try ProxyTokens.integer(c.value, min: c.min, max: c.max) == c.expected)
    }

    @Test(arguments: [
        TemplateValue.string(""), .string(" 10"), .string("10 "), .string("10\n"), .string("+1"), .string("1.5"),
        .string("0x10"), .string("257"), .string("-"), .string("99999999999999999999"), .string("10 maxconn 1"),
        .int(-1, .int), .uint(UInt64.max, .uint64), .float(1, .float64), .bool(true), .noValue,
    ])
    func integerRejects(_ value: TemplateValue) {
        #expect(throws: TemplateFunctionError.self) { try ProxyTokens.integer(value, min: 0, max: 256) }
    }

    @Test(arguments: [
        ("3s", "[0-9]+(ms|s)?", true),
        ("250ms", "[0-9]+(ms|s)?", true),
        ("3s\n", "[0-9]+(ms|s)?", false),
        ("x3s", "[0-9]+(ms|s)?", false),
        ("3s", "a|3s", true),
        ("3sa", "a|3s", false),
        ("5s\n    bind :6666", "[0-9]+s", false),
    ])
    func match(_ c: (value: String, pattern: String, matches: Bool)) throws {
        if c.matches {
            #expect(try ProxyTokens.match(c.value, pattern: c.pattern) == c.value)
        } else {
            #expect(throws: TemplateFunctionError.self) { try ProxyTokens.match(c.value, pattern: c.pattern) }
        }
    }

    // MARK: From templates

    /// Registered in consul-template's table, with consul-template's argument conversions.
    @Test(arguments: [
        (#"{{ haproxyName "a b" }}"#, "a_b-10a3f9f2"),
        (#"{{ "$x" | haproxyString }}"#, #""\$x""#),
        (#"{{ nginxName "Web" }}"#, "web-72645431"),
        (#"{{ nginxString "a;b" }}"#, #""a;b""#),
        (#"{{ proxyComment "a\nb" }}"#, "a?b"),
        (#"{{ proxyHost "example.com" }}"#, "example.com"),
        (#"{{ proxyHostPort "::1" 80 }}"#, "[::1]:80"),
        (#"{{ "7" | proxyInt 1 9 }} {{ if eq (proxyInt 0 9 "0") 0 }}zero{{ end }}"#, "7 zero"),
        (#"{{ proxyMatch "[0-9]+s" "3s" }}"#, "3s"),
    ])
    func rendersInTemplates(_ c: (template: String, expected: String)) throws {
        #expect(try render(c.template) == c.expected)
    }

    /// Errors name the function and show the offending value Go-quoted.
    @Test(arguments: [
        (#"{{ proxyHostPort "10.0.0.1:80 backup\n    server evil 6.6.6.6:80" 80 }}"#,
         #"error calling proxyHostPort: "10.0.0.1:80 backup\n    server evil 6.6.6.6:80" is not an IPv4 address"#),
        (#"{{ proxyInt 0 256 "10 maxconn 1" }}"#, #"error calling proxyInt: "10 maxconn 1" is not a decimal integer"#),
        (#"{{ proxyInt 0 256 "999" }}"#, #"error calling proxyInt: "999" is not in the range 0...256"#),
        (#"{{ proxyHostPort "10.0.0.1" 0 }}"#, #"error calling proxyHostPort: port of "10.0.0.1": 0 is not in the range 1...65535"#),
        (#"{{ proxyHost "~^evil$" }}"#, #"error calling proxyHost: "~^evil$" is not a host name: character "~" is not allowed"#),
        (#"{{ nginxString "costs $5" }}"#, #"error calling nginxString: "costs $5" contains '$'"#),
        (#"{{ haproxyString "" }}"#, "error calling haproxyString: an empty value would vanish"),
        (#"{{ haproxyName "" }}"#, "error calling haproxyName: an empty value cannot be a name"),
        (#"{{ proxyMatch "[0-9]+s" "5s\n#" }}"#, #"error calling proxyMatch: "5s\n#" does not match "[0-9]+s""#),
    ])
    func failsInTemplates(_ c: (template: String, message: String)) {
        do {
            let out = try render(c.template)
            Issue.record("\(c.template) rendered \(out)")
        } catch {
            #expect("\(error)".contains(c.message), "\(error)")
        }
    }

    private func render(_ source: String) throws -> String {
        let template = try TextTemplate(source: source, name: "t", functions: ConsulFunctions.table)
        let bytes = try template.execute(data: .noValue, environment: RenderState(source: EmptySource()))
        return String(decoding: bytes, as: UTF8.self)
    }
}

/// No registry data and no environment.
private final class EmptySource: DataSource {
    func recall(_ dependency: Dependency) -> TemplateValue? { nil }
    func environmentValue(_ name: String) -> String? { nil }
    let now = Timestamp(seconds: 0, nanoseconds: 0)
}
