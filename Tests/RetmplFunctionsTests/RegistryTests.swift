import Testing
import RetmplTemplate
import RetmplRegistry
import RetmplFunctions

// Expected values come from the oracle (Go 1.26.4 + the oracle's
// dependency package) and from Go's standard library.

// MARK: - Query grammar

@Suite("Dependency query grammar")
struct QueryGrammarTests {
    /// `service` query strings and their identity (or error), from the oracle.
    @Test(arguments: [
        ("web", "health.service(web|passing)"),
        ("Web", "health.service(Web|passing)"),
        ("web|passing,warning", "health.service(web|passing,warning)"),
        ("web|warning,passing", "health.service(web|passing,warning)"),
        ("web|any", "health.service(web|any)"),
        ("web|passing,passing", "health.service(web|passing,passing)"),
        ("web|,", "health.service(web)"),
        ("v1.web", "health.service(v1.web|passing)"),
        ("a.b.web", "health.service(a.b.web|passing)"),
        ("tag=x:y.web", "health.service(tag=x:y.web|passing)"),
        ("x:y.web", "health.service(x:y.web|passing)"),
        ("web@dc2", "health.service(web@dc2|passing)"),
        ("web@dc2~agent", "health.service(web@dc2~agent|passing)"),
        ("web~agent", "health.service(web~agent|passing)"),
        ("web?ns=team", "health.service(web@ns=team|passing)"),
        ("web?ns=a&partition=p@dc1~n|critical", "health.service(web@dc1@partition=p@ns=a~n|critical)"),
        ("web?peer=p1", "health.service(web@peer=p1|passing)"),
        ("web?sameness-group=g", "health.service(web@sameness-group=g|passing)"),
        ("web?ns", "health.service(web|passing)"),
        ("web?ns=a&ns=b", "health.service(web@ns=a|passing)"),
        ("we_b-1", "health.service(we_b-1|passing)"),
        ("web@d.c-1_2", "health.service(web@d.c-1_2|passing)"),
        ("web|", #"ERR health.service: invalid format: "web|""#),
        (".web", #"ERR health.service: invalid format: ".web""#),
        ("web.", #"ERR health.service: invalid format: "web.""#),
        ("web app", #"ERR health.service: invalid format: "web app""#),
        ("web@dc1?ns=a", #"ERR health.service: invalid format: "web@dc1?ns=a""#),
        ("web@", #"ERR health.service: invalid format: "web@""#),
        ("web~", #"ERR health.service: invalid format: "web~""#),
        ("web?", #"ERR health.service: invalid format: "web?""#),
        ("a.web:x", #"ERR health.service: invalid format: "a.web:x""#),
        ("ünï", #"ERR health.service: invalid format: "ünï""#),
        ("web?peer=p&sameness-group=g", "ERR health.service: cannot specify both peer and sameness-group"),
        ("web?region=eu", #"ERR health.service: invalid query parameter key "region" in query "region=eu": supported keys: ns,peer,partition,sameness-group"#),
        ("web?ns=a&bad=1&worse=2", #"ERR health.service: invalid query parameter key "bad" in query "ns=a&bad=1&worse=2": supported keys: ns,peer,partition,sameness-group"#),
        ("web?=x", #"ERR health.service: invalid query parameter key "" in query "=x": supported keys: ns,peer,partition,sameness-group"#),
        ("web|healthy", #"ERR health.service: invalid filter: "healthy" in "web|healthy""#),
        ("web|passing,nope", #"ERR health.service: invalid filter: "nope" in "web|passing,nope""#),
        ("web|PASSING", #"ERR health.service: invalid filter: "PASSING" in "web|PASSING""#),
    ])
    func healthService(_ input: String, _ expected: String) {
        #expect(identity { () throws(DependencyError) in try Dependency.healthService(input, connect: false) } == expected)
    }

    @Test func connectIdentity() throws {
        #expect(try Dependency.healthService("v1.web@dc2|any", connect: true).description == "health.connect(v1.web@dc2|any)")
        // Same text, different function: different dependencies.
        #expect(try Dependency.healthService("web", connect: true) != Dependency.healthService("web", connect: false))
    }

    @Test(arguments: [
        ("", "catalog.services"),
        ("@dc2", "catalog.services(@dc2)"),
        ("?ns=x", "catalog.services(@ns=x)"),
        ("?ns=x&partition=p@dc2", "catalog.services(@dc2@partition=p@ns=x)"),
        ("?peer=x", "catalog.services"),
        ("dc2", #"ERR catalog.services: invalid format: "dc2""#),
        ("@dc2?ns=x", #"ERR catalog.services: invalid format: "@dc2?ns=x""#),
        ("?bad=1", #"ERR catalog.services: invalid query parameter key "bad" in query "bad=1": supported keys: ns,peer,partition,sameness-group"#),
    ])
    func catalogServices(_ input: String, _ expected: String) {
        #expect(identity { () throws(DependencyError) in try Dependency.catalogServices(input) } == expected)
    }

    @Test(arguments: [
        ("", "catalog.node"),
        ("node1", "catalog.node(node1)"),
        ("node1@dc2", "catalog.node(node1@dc2)"),
        ("n.1-a_b", "catalog.node(n.1-a_b)"),
        ("node1?ns=x@dc2", "catalog.node(node1@dc2@ns=x)"),
        ("@dc2", #"ERR catalog.node: invalid format: "@dc2""#),
        ("node 1", #"ERR catalog.node: invalid format: "node 1""#),
        ("node1?bad=x", #"ERR catalog.node: invalid query parameter key "bad" in query "bad=x": supported keys: ns,peer,partition,sameness-group"#),
    ])
    func catalogNode(_ input: String, _ expected: String) {
        #expect(identity { () throws(DependencyError) in try Dependency.catalogNode(input) } == expected)
    }

    @Test(arguments: [
        ("", "catalog.nodes"),
        ("@dc2", "catalog.nodes(@dc2)"),
        ("~agent", "catalog.nodes(~agent)"),
        ("@dc2~agent", "catalog.nodes(@dc2~agent)"),
        ("?partition=p", "catalog.nodes(@partition=p)"),
        ("x", #"ERR catalog.nodes: invalid format: "x""#),
        ("~", #"ERR catalog.nodes: invalid format: "~""#),
    ])
    func catalogNodes(_ input: String, _ expected: String) {
        #expect(identity { () throws(DependencyError) in try Dependency.catalogNodes(input) } == expected)
    }

    /// Key grammar: `kv.get` / `kv.block` / `kv.list` identities for one input.
    @Test(arguments: [
        ("a/b", "a/b"),
        ("/a/b", "a/b"),
        ("/", "/"),
        ("//a", "/a"),
        ("/@dc2", "/@dc2"),
        ("a@dc2", "a@dc2"),
        ("a?ns=x", "a@ns=x"),
        ("a?ns=x&partition=p@dc2", "a@dc2@partition=p@ns=x"),
        ("a b/c d", "a b/c d"),
        ("ké/y", "ké/y"),
        ("a\nb", "a\nb"),
    ])
    func kvIdentity(_ input: String, _ name: String) throws {
        #expect(try Dependency.kvGet(input, blocking: false).description == "kv.get(\(name))")
        #expect(try Dependency.kvGet(input, blocking: true).description == "kv.block(\(name))")
        #expect(try Dependency.kvList(input).description == "kv.list(\(name))")
    }

    @Test(arguments: [
        ("a@b@c", #"kv.get: invalid format: "a@b@c""#, #"kv.list: invalid format: "a@b@c""#),
        ("a@", #"kv.get: invalid format: "a@""#, #"kv.list: invalid format: "a@""#),
        ("a?bad=1", #"kv.get: invalid query parameter key "bad" in query "bad=1": supported keys: ns,peer,partition,sameness-group"#,
         #"kv.list: invalid query parameter key "bad" in query "bad=1": supported keys: ns,peer,partition,sameness-group"#),
    ])
    func kvErrors(_ input: String, _ getError: String, _ listError: String) {
        #expect(identity { () throws(DependencyError) in try Dependency.kvGet(input, blocking: true) } == "ERR " + getError)
        #expect(identity { () throws(DependencyError) in try Dependency.kvList(input) } == "ERR " + listError)
    }

    @Test func otherIdentities() throws {
        #expect(Dependency.catalogDatacenters(ignoreFailing: true).description == "catalog.datacenters")
        #expect(Dependency.catalogDatacenters(ignoreFailing: true) == Dependency.catalogDatacenters(ignoreFailing: false))
        #expect(try Dependency.file("conf/app.conf").description == "file(conf/app.conf)")
    }

    @Test func equalityIsByIdentity() throws {
        let a = try Dependency.healthService("web|warning,passing", connect: false)
        let b = try Dependency.healthService("web|passing,warning", connect: false)
        let c = Dependency(a.query)
        #expect(a == b)
        #expect(a == c)
        #expect(a.hashValue == c.hashValue)
        #expect(Set([a, b, c]).count == 1)
        guard case .healthService(let q) = a.query else {
            Issue.record("not a health query")
            return
        }
        #expect(q.name == "web")
        #expect(q.filters == ["passing", "warning"])
    }

    private func identity(_ parse: () throws(DependencyError) -> Dependency) -> String {
        do { return try parse().description } catch { return "ERR " + error.message }
    }
}

// MARK: - JSON

@Suite("JSON parser")
struct JSONParserTests {
    @Test func scalarsAndEscapes() throws {
        #expect(try JSONValue.parse(#""a\u00e9\ud83d\ude00b""#) == .string("aé😀b"))
        #expect(try JSONValue.parse(#""\ud800x""#) == .string("\u{FFFD}x"))
        #expect(try JSONValue.parse(#""\udc00\ud800\udc00""#) == .string("\u{FFFD}\u{10000}"))
        #expect(try JSONValue.parse(#""\/\b\f\n\r\t\\\"""#) == .string("/\u{8}\u{C}\n\r\t\\\""))
        #expect(try JSONValue.parse(" true ") == .bool(true))
        #expect(try JSONValue.parse("null") == .null)
        // Invalid UTF-8: one U+FFFD per bad byte, as Go decodes it.
        let bytes: [UInt8] = [0x22, 0x61, 0xE2, 0x82, 0x22]
        #expect(try JSONValue.parse(bytes: bytes) == .string("a\u{FFFD}\u{FFFD}"))
    }

    @Test func numbersKeepTextAndValue() throws {
        let v = try JSONValue.parse("[1, -0, 1.5e3, 1E-2, 12345678901234567890, 0.1, 1e400]")
        guard case .array(let items) = v else {
            Issue.record("not an array")
            return
        }
        let expected: [(Double, String)] = [
            (1, "1"), (-0.0, "-0"), (1500, "1.5e3"), (0.01, "1E-2"),
            (1.2345678901234567e19, "12345678901234567890"), (0.1, "0.1"), (.infinity, "1e400"),
        ]
        #expect(items.count == expected.count)
        for (item, (value, text)) in zip(items, expected) {
            guard case .number(let d, let t) = item else {
                Issue.record("not a number: \(item)")
                continue
            }
            #expect(d == value && d.sign == value.sign)
            #expect(t == text)
        }
    }

    @Test func objectsKeepOrderAndDuplicates() throws {
        let v = try JSONValue.parse(#"{"b":1,"a":{"c":[true,false,null]},"b":3}"#)
        guard case .object(let members) = v else {
            Issue.record("not an object")
            return
        }
        #expect(members.map(\.key) == ["b", "a", "b"])
        #expect(v["a"] == .object([(key: "c", value: .array([.bool(true), .bool(false), .null]))]))
    }

    /// Go's `json.Unmarshal` messages for invalid input, plus our position.
    @Test(arguments: [
        ("1.", "invalid character ' ' after decimal point in numeric literal", 1, 3),
        ("-", "invalid character ' ' in numeric literal", 1, 2),
        ("1e", "invalid character ' ' in exponent of numeric literal", 1, 3),
        ("tr", "invalid character ' ' in literal true (expecting 'u')", 1, 3),
        ("nul", "invalid character ' ' in literal null (expecting 'l')", 1, 4),
        ("\"abc", "unexpected end of JSON input", 1, 5),
        ("{", "unexpected end of JSON input", 1, 2),
        ("[1,", "unexpected end of JSON input", 1, 4),
        ("", "unexpected end of JSON input", 1, 1),
        ("  ", "unexpected end of JSON input", 1, 3),
        ("01", "invalid character '1' after top-level value", 1, 2),
        ("1 2", "invalid character '2' after top-level value", 1, 3),
        ("[1x]", "invalid character 'x' after array element", 1, 3),
        ("{\"a\" 1}", "invalid character '1' after object key", 1, 6),
        ("{\"a\":1 \"b\"}", "invalid character '\"' after object key:value pair", 1, 8),
        ("{1:2}", "invalid character '1' looking for beginning of object key string", 1, 2),
        ("\"a\u{1}\"", "invalid character '\\x01' in string literal", 1, 3),
        ("\"\\x\"", "invalid character 'x' in string escape code", 1, 3),
        ("\"\\u12g4\"", "invalid character 'g' in \\u hexadecimal character escape", 1, 6),
        ("[1,]", "invalid character ']' looking for beginning of value", 1, 4),
        ("{\n  \"a\": ]\n}", "invalid character ']' looking for beginning of value", 2, 8),
        ("'x'", "invalid character '\\'' looking for beginning of value", 1, 1),
        ("\u{C3}", "invalid character 'Ã' looking for beginning of value", 1, 1),
    ])
    func syntaxErrors(_ input: String, _ message: String, _ line: Int, _ column: Int) {
        // "\u{C3}" stands for the single byte 0xC3.
        let bytes: [UInt8] = input == "\u{C3}" ? [0xC3] : Array(input.utf8)
        do {
            _ = try JSONValue.parse(bytes: bytes)
            Issue.record("parsed \(input)")
        } catch let error as JSONError {
            #expect(error.message == message)
            #expect(error.line == line)
            #expect(error.column == column)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func nestingLimit() throws {
        let ok = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: Never.self) { try JSONValue.parse(ok) }
        let deep = String(repeating: "[", count: 10_001) + String(repeating: "]", count: 10_001)
        do {
            _ = try JSONValue.parse(deep)
            Issue.record("parsed 10,001 levels")
        } catch let error as JSONError {
            #expect(error.message == "invalid character '[' exceeded max depth")
        }
    }

    @Test func prefixParsingStopsAfterTheValue() throws {
        let bytes = Array(#"{"a":1} trailing"#.utf8)
        let result = try bytes.withUnsafeBufferPointer { try JSONValue.parsePrefix(buffer: $0) }
        #expect(result.end == 7)
        #expect(result.value["a"] == .number(1, "1"))
    }

    @Test func templateValueFollowsGoInterfaceDecoding() throws {
        let v = try JSONValue.parse(#"{"b":1,"a":[true,null,"s"],"b":2.5}"#).toTemplateValue()
        guard case .map(let m) = v else {
            Issue.record("not a map")
            return
        }
        #expect(m.type == .stringAnyMap)
        #expect(m.entries.map(\.key) == [.string("a"), .string("b")])
        guard case .float(let b, .float64)? = m["b"] else {
            Issue.record("b is not float64")
            return
        }
        #expect(b == 2.5)
        guard case .list(let a)? = m["a"] else {
            Issue.record("a is not a list")
            return
        }
        #expect(a.type == .anySlice)
        if case .noValue = a.elements[1] {} else { Issue.record("null is not the nil interface") }
        if case .noValue = try JSONValue.parse("null").toTemplateValue() {} else { Issue.record("top-level null") }
        do {
            _ = try JSONValue.parse("[1e400]").toTemplateValue()
            Issue.record("1e400 accepted")
        } catch let error as JSONError {
            #expect(error.message == "json: cannot unmarshal number 1e400 into Go value of type float64")
        }
    }
}

// MARK: - Durations

@Suite("Go durations")
struct GoDurationTests {
    @Test(arguments: [
        (Int64(0), "0s"), (1, "1ns"), (999, "999ns"), (1000, "1µs"), (1500, "1.5µs"), (1_000_000, "1ms"),
        (1_500_000, "1.5ms"), (1_000_000_000, "1s"), (90_000_000_000, "1m30s"), (3_723_500_000_000, "1h2m3.5s"),
        (-60_000_000_000, "-1m0s"), (360_000_000_000_000, "100h0m0s"),
        (Int64.max, "2562047h47m16.854775807s"), (Int64.min, "-2562047h47m16.854775808s"),
    ])
    func format(_ ns: Int64, _ text: String) {
        #expect(GoDuration.format(ns) == text)
    }

    @Test(arguments: [
        ("10s", "10000000000"), ("1h2m3.5s", "3723500000000"), ("1.5ms", "1500000"), ("-1m", "-60000000000"),
        ("+5us", "5000"), ("3µs", "3000"), ("3μs", "3000"), ("0", "0"), ("-0", "0"), ("1.s", "1000000000"),
        (".5s", "500000000"), ("9223372036854775807ns", "9223372036854775807"), ("2562047h", "9223369200000000000"),
        ("-9223372036854775808ns", "-9223372036854775808"),
        ("", #"time: invalid duration """#), ("5", #"time: missing unit in duration "5""#),
        (".s", #"time: invalid duration ".s""#), ("5x", #"time: unknown unit "x" in duration "5x""#),
        ("9223372036854775808ns", #"time: invalid duration "9223372036854775808ns""#),
        ("2562048h", #"time: invalid duration "2562048h""#), ("1d", #"time: unknown unit "d" in duration "1d""#),
    ])
    func parse(_ text: String, _ expected: String) {
        do {
            let ns = try GoDuration.parse(text)
            #expect(String(ns) == expected)
        } catch {
            #expect(error.message == expected)
        }
    }
}

// MARK: - Snapshot loading

@Suite("Snapshot loading")
struct SnapshotLoadingTests {
    /// Strict decoding: the oracle rejects these (exit 3); our messages name the JSON path.
    @Test(arguments: [
        (#"{"services":{"web":[{"Prot":1}]}}"#, "snapshot: services.web[0].Prot: unknown field"),
        (#"{"servicez":1}"#, "snapshot: servicez: unknown field"),
        (#"{"nodes":[{"Node":"a","Bogus":{"x":[1,2]}}]}"#, "snapshot: nodes[0].Bogus: unknown field"),
        (#"{"services":{"web":[{"Checks":[{"CheckID":"a","Bogus":1}]}]}}"#, "snapshot: services.web[0].Checks[0].Bogus: unknown field"),
        (#"{"services":{"web":[{"Weights":{"Passing":1,"Failing":1}}]}}"#, "snapshot: services.web[0].Weights.Failing: unknown field"),
        (#"{"services":{"web":[{"port":"x"}]}}"#, "snapshot: services.web[0].port: cannot unmarshal string into Go value of type int"),
        (#"{"services":{"web":[{"Port":1.5}]}}"#, "snapshot: services.web[0].Port: cannot unmarshal number 1.5 into Go value of type int"),
        (#"{"services":{"web":[{"Port":1e2}]}}"#, "snapshot: services.web[0].Port: cannot unmarshal number 1e2 into Go value of type int"),
        (#"{"services":{"web":[{"Tags":"x"}]}}"#, "snapshot: services.web[0].Tags: cannot unmarshal string into Go value of type []string"),
        (#"{"services":{"web":{"Port":1}}}"#, "snapshot: services.web: cannot unmarshal object into Go value of type []*dependency.ServiceInstance"),
        (#"{"kv":{"a":1}}"#, "snapshot: kv.a: cannot unmarshal number into Go value of type string"),
        ("[]", "snapshot: cannot unmarshal array into Go value of type dependency.Snapshot"),
        ("", "snapshot: EOF"),
        (#"{"services":{"web":[{"Prot":1,"Port":"x"}]}}"#, "snapshot: services.web[0].Prot: unknown field"),
        // A syntax error anywhere wins over an earlier unknown field.
        (#"{"services":{"web":[{"Prot":1}]}, "x": }"#, "snapshot: invalid character '}' looking for beginning of value (line 1, column 40)"),
        (#"{"services":{"web":[{"Port":1},]}}"#, "snapshot: invalid character ']' looking for beginning of value (line 1, column 32)"),
        // Health check durations fail hard, like the Consul API's UnmarshalJSON.
        (#"{"services":{"web":[{"Checks":[{"Definition":{"Interval":"5x"}}]}]}}"#,
         #"snapshot: services.web[0].Checks[0].Definition.Interval: time: unknown unit "x" in duration "5x""#),
        (#"{"now":"bad"}"#, #"snapshot: now: parsing time "bad" as "2006-01-02T15:04:05.999999999Z07:00": cannot parse "bad" as "2006""#),
        (#"{"now":"2026-13-01T00:00:00Z"}"#, #"snapshot: now: parsing time "2026-13-01T00:00:00Z": month out of range"#),
        (#"{"now":"2026-02-30T00:00:00Z"}"#, #"snapshot: now: parsing time "2026-02-30T00:00:00Z": day out of range"#),
    ])
    func strictErrors(_ json: String, _ message: String) {
        do {
            _ = try Snapshot.load(json: json)
            Issue.record("loaded \(json)")
        } catch let error as SnapshotError {
            #expect(error.message == message)
        } catch {
            Issue.record("unexpected \(error)")
        }
    }

    @Test func acceptedLikeGo() throws {
        // Case-insensitive field names (also ſ for S), unknown Definition fields,
        // trailing bytes after the document.
        let s = try Snapshot.load(json: #"{"services":{"web":[{"port":1,"ſtatus":"warning","Checks":[{"Definition":{"Foo":1}}]}]}} trailing"#)
        let list = try services(s, "web|warning")
        #expect(list.count == 1)
        #expect(list.first?["Port"].map(describe) == "1")
    }

    @Test func defaults() throws {
        let empty = try Snapshot.load(json: "{}")
        #expect(empty.datacenter == "dc1")
        #expect(empty.now == Timestamp.goZero)
        #expect(empty.environmentValue("A") == nil)
        let s = try Snapshot.load(json: #"{"datacenter":"east","now":"2026-01-02T03:04:05.123456789+01:30","env":{"A":"1","E":""}}"#)
        #expect(s.datacenter == "east")
        // 2026-01-02T01:34:05.123456789Z
        #expect(s.now == Timestamp(seconds: 1_767_317_645, nanoseconds: 123_456_789))
        #expect(s.environmentValue("A") == "1" && s.environmentValue("E") == "" && s.environmentValue("B") == nil)
        let comma = try Snapshot.load(json: #"{"now":"2026-01-02T3:04:05,5Z"}"#)
        #expect(comma.now == Timestamp(seconds: 1_767_323_045, nanoseconds: 500_000_000))
    }

    @Test func statusFromChecks() throws {
        let json = #"""
        {"services":{"app":[
          {"Node":"a","ID":"1","Checks":[{"CheckID":"serfHealth","Status":"passing"},{"CheckID":"s","Status":"warning"}]},
          {"Node":"b","ID":"2","Checks":[{"CheckID":"_service_maintenance:x","Status":"critical"},{"CheckID":"s","Status":"passing"}]},
          {"Node":"c","ID":"3","Checks":[{"CheckID":"serfHealth","Status":"critical"},{"CheckID":"s","Status":"warning"}]},
          {"Node":"d","ID":"4","Status":"warning","Checks":[{"CheckID":"s","Status":"passing"}]},
          {"Node":"e","ID":"5"},
          {"Node":"f","ID":"6","Checks":[{"CheckID":"s","Status":"weird"}]}
        ]}}
        """#
        let list = try services(try Snapshot.load(json: json), "app|any")
        #expect(list.map { describe($0["Status"] ?? .noValue) } == ["warning", "maintenance", "critical", "warning", "passing", ""])
    }
}

// MARK: - Fetch semantics and the data functions

/// Renders `template` against `snapshot` with the consul-template function
/// table, returning the output and the dependencies still missing.
private func render(_ template: String, _ snapshot: Snapshot) throws -> (output: String, missing: [String]) {
    var table = ConsulFunctions.table
    table.merge(FunctionTable(DataFunctions.all))
    let parsed = try TextTemplate(source: template, name: "", functions: table)
    let state = RenderState(source: SnapshotSource(snapshot: snapshot))
    let bytes = try parsed.execute(data: .noValue, environment: state)
    return (String(decoding: bytes, as: UTF8.self), state.missing.map(\.description))
}

/// The records of `service query`, fetched directly.
private func services(_ snapshot: Snapshot, _ query: String) throws -> [TemplateRecord] {
    guard case .list(let list)? = snapshot.fetch(try Dependency.healthService(query, connect: false).query) else { return [] }
    return list.elements.compactMap { if case .record(let r) = $0 { return r } else { return nil } }
}

private func describe(_ v: TemplateValue) -> String {
    switch v {
    case .string(let s): return s
    case .int(let i, _): return String(i)
    case .list(let l): return "[" + l.elements.map(describe).joined(separator: " ") + "]"
    default: return "\(v)"
    }
}

private let fixture = #"""
{
  "datacenter": "dc1",
  "now": "2026-01-02T03:04:05.123456789+01:30",
  "env": {"HOME": "/root", "EMPTY": ""},
  "services": {
    "web": [
      {"Node": "n2", "NodeAddress": "10.0.0.2", "Address": "", "ID": "web-b", "Tags": ["v2", "HTTP", "b", "a", "b"], "Port": 80, "Status": "passing", "Meta": {"k": "v"}},
      {"Node": "n10", "NodeAddress": "10.0.0.10", "Address": "10.1.0.10", "ID": "web-a", "Tags": ["http"], "Port": 81, "Status": "warning", "ServiceMeta": {"alias": "yes"}},
      {"Node": "N1", "NodeAddress": "10.0.0.100", "Address": "10.1.0.100", "ID": "web-z", "Port": 82, "Status": "critical"},
      {"Node": "n1", "NodeAddress": "10.0.0.1", "ID": "web-y", "Port": 83, "Checks": [{"CheckID": "_node_maintenance", "Status": "passing"}]},
      {"Node": "n1", "NodeAddress": "10.0.0.1", "ID": "web-x", "Port": 84, "Weights": {"Passing": 3, "Warning": 1}},
      {"Node": "n3", "NodeAddress": "10.0.0.3", "NodeDatacenter": "dc2", "ID": "web-dc2", "Port": 85},
      {"Node": "n4", "NodeAddress": "10.0.0.4", "ID": "web-ns", "Namespace": "team", "Port": 86},
      {"Node": "n5", "NodeAddress": "10.0.0.5", "ID": "web-peer", "PeerName": "p1", "Port": 87}
    ],
    "WEB": [
      {"Node": "n0", "NodeAddress": "10.0.0.50", "Port": 90, "Tags": ["Http"]}
    ],
    "db": [
      {"Node": "n1", "NodeAddress": "10.0.0.1", "Port": 5432, "Tags": ["primary"]},
      {"Node": "n2", "NodeAddress": "10.0.0.2", "Name": "db", "ID": "db-2", "Port": 5433, "Tags": ["replica", "primary"]}
    ],
    "cache": [
      {"Node": "n9", "NodeDatacenter": "dc3", "Port": 6379}
    ]
  },
  "connect": {
    "web": [{"Node": "n1", "NodeAddress": "10.0.0.1", "ID": "web-proxy", "Port": 21000}]
  },
  "kv": {"app/config/": "", "app/config/max": "10", "app/config/empty": "", "app/config/sub/": "", "app/config/sub/x": "1", "app/configuration": "legacy", "app/name": "shop", "top": "t"},
  "nodes": [
    {"Node": "n2", "Address": "10.0.0.2", "Meta": {"rack": "r2"}},
    {"Node": "n10", "Address": "10.0.0.10"},
    {"Node": "N1", "Address": "10.0.0.100"},
    {"Node": "n1", "Address": "10.0.0.1", "TaggedAddresses": {"lan": "10.0.0.1"}},
    {"Node": "n1", "Address": "10.0.0.0"},
    {"Node": "n3", "Address": "10.0.0.3", "Datacenter": "dc2"}
  ],
  "files": {"./conf/../app.conf": "hello", "/abs//path": "abs"}
}
"""#

@Suite("Registry data functions")
struct DataFunctionTests {
    let snapshot: Snapshot

    init() throws {
        snapshot = try Snapshot.load(json: fixture)
    }

    /// Templates and the oracle's output for them on `fixture`.
    @Test(arguments: [
        // Default filter passing; sort by Node then ID in byte order (N1 < n1 < n10 < n2);
        // case-insensitive name ("WEB" key); Address falls back to NodeAddress; tags sorted, not deduplicated.
        (#"{{ range service "web" }}[{{ .Node }} {{ .ID }} {{ .Address }} {{ .Status }} {{ .Tags }} {{ .Port }} {{ .Weights.Passing }}]{{ end }}"#,
         "[n0 WEB 10.0.0.50 passing [Http] 90 0][n1 web-x 10.0.0.1 passing [] 84 3][n2 web-b 10.0.0.2 passing [HTTP a b b v2] 80 0]"),
        (#"{{ range service "web|any" }}[{{ .Node }} {{ .ID }} {{ .Address }} {{ .Status }} {{ .Tags }} {{ .ServiceMeta }}]{{ end }}"#,
         "[N1 web-z 10.1.0.100 critical [] map[]][n0 WEB 10.0.0.50 passing [Http] map[]][n1 web-x 10.0.0.1 passing [] map[]][n1 web-y 10.0.0.1 maintenance [] map[]][n10 web-a 10.1.0.10 warning [http] map[alias:yes]][n2 web-b 10.0.0.2 passing [HTTP a b b v2] map[k:v]]"),
        (#"{{ range service "web|warning,passing" }}{{ .ID }} {{ end }}"#, "WEB web-x web-a web-b "),
        (#"{{ range service "web|maintenance" }}{{ .ID }} {{ end }}"#, "web-y "),
        (#"{{ range service "HTTP.web|any" }}{{ .ID }} {{ end }}"#, "WEB web-a web-b "),
        (#"{{ range service "web~n1|any" }}{{ .ID }} {{ end }}"#, "WEB web-b web-a web-z web-y web-x "),
        (#"{{ range service "web@dc2|any" }}{{ .ID }} {{ end }}"#, "web-dc2 "),
        (#"{{ range service "web?ns=team|any" }}{{ .ID }} {{ end }}|{{ range service "web?ns=default|any" }}{{ .ID }} {{ end }}"#,
         "web-ns |web-z WEB web-x web-y web-a web-b "),
        (#"{{ range service "web?peer=p1|any" }}{{ .ID }} {{ end }}"#, "web-peer "),
        (#"{{ range service "web" "any" }}{{ .ID }} {{ end }}"#, "web-z WEB web-x web-y web-a web-b "),
        (#"{{ range connect "web" }}{{ .ID }} {{ .Address }} {{ end }}"#, "web-proxy 10.0.0.1 "),
        (#"{{ range services }}{{ .Name }}={{ .Tags }};{{ end }}"#, "WEB=[Http];db=[primary replica];web=[HTTP a b http v2];"),
        (#"{{ range services "@dc3" }}{{ .Name }}={{ .Tags }};{{ end }}"#, "cache=[];"),
        (#"{{ range nodes }}{{ .Node }}/{{ .Address }}/{{ .Datacenter }} {{ end }}"#,
         "N1/10.0.0.100/dc1 n1/10.0.0.0/dc1 n1/10.0.0.1/dc1 n10/10.0.0.10/dc1 n2/10.0.0.2/dc1 "),
        (#"{{ range nodes "~x" }}{{ .Node }}/{{ .Address }} {{ end }}"#, "n2/10.0.0.2 n10/10.0.0.10 N1/10.0.0.100 n1/10.0.0.1 n1/10.0.0.0 "),
        (#"{{ range nodes "@dc2" }}{{ .Node }} {{ end }}"#, "n3 "),
        (#"{{ with node }}{{ .Node.Node }} {{ .Node.Address }} {{ range .Services }}{{ .Service }}/{{ .ID }}/{{ .Address }}/{{ .Tags }} {{ end }}{{ end }}"#,
         "n2 10.0.0.2 db/db-2//[primary replica] web/web-b//[HTTP a b b v2] "),
        (#"{{ with node "N1" }}{{ .Node.Node }} {{ .Node.Address }} {{ range .Services }}{{ .Service }}/{{ .ID }} {{ end }}{{ end }}"#,
         "N1 10.0.0.100 db/db web/web-x web/web-y web/web-z "),
        (#"{{ with node "nope" }}{{ .Node }} {{ .Services }}{{ end }}"#, "<nil> []"),
        (#"{{ datacenters }} {{ datacenters true }}"#, "[dc1 dc2 dc3] [dc1 dc2 dc3]"),
        (#"{{ range ls "app/config" }}{{ .Key }}={{ .Value }};{{ end }}"#, "empty=;max=10;uration=legacy;"),
        (#"{{ range ls "app/config/" }}{{ .Key }}={{ .Value }};{{ end }}"#, "empty=;max=10;"),
        (#"{{ range tree "app/config/" }}{{ .Key }}={{ .Value }}@{{ .Path }};{{ end }}"#,
         "empty=@app/config/empty;max=10@app/config/max;sub/x=1@app/config/sub/x;"),
        (#"{{ range tree "/app" }}{{ .Key }};{{ end }}"#, "config/empty;config/max;config/sub/x;configuration;name;"),
        (#"{{ range ls "app@dc2" }}{{ .Key }};{{ end }}."#, "."),
        (#"{{ key "app/name" }} {{ key "/app/name" }} {{ keyExists "app/config/empty" }} {{ keyExists "nope" }} [{{ keyOrDefault "app/config/empty" "def" }}] [{{ keyOrDefault "nope" "def" }}] [{{ keyOrDefault "app/name@dc2" "def2" }}] [{{ key "" }}] {{ keyExists "" }} [{{ keyOrDefault "" "d" }}]"#,
         "shop shop true false [def] [def] [def2] [] false [d]"),
        (#"{{ file "app.conf" }} {{ file " ./app.conf " }} {{ file "/abs/path" }} [{{ file "" }}]"#, "hello hello abs []"),
        (#"[{{ env "HOME" }}] [{{ env "NOPE" }}] [{{ envOrDefault "EMPTY" "d" }}] [{{ envOrDefault "NOPE" "d" }}]"#, "[/root] [] [] [d]"),
        (#"{{ printf "%T %T %T %T %T %T %T" (service "web") (services) (nodes) (node) (ls "app") (datacenters) (index (service "web") 0).Tags }}"#,
         "[]*dependency.HealthService []*dependency.CatalogSnippet []*dependency.Node *dependency.CatalogNode []*dependency.KeyPair []string dependency.ServiceTags"),
        (#"{{ printf "%#v" (index (service "web") 0).Weights }}"#, "api.AgentWeights{Passing:0, Warning:0}"),
    ])
    func rendersLikeTheOracle(_ template: String, _ expected: String) throws {
        let result = try render(template, snapshot)
        #expect(result.output == expected)
        #expect(result.missing.isEmpty)
    }

    /// Data that never arrives keeps the template from rendering; the oracle
    /// lists the dependencies in first-use order.
    @Test func missingDependencies() throws {
        let template = #"{{ key "app/nope" }}{{ keyOrDefault "app/nope2" "x" }}{{ file "nope.txt" }}{{ safeLs "empty/" }}{{ safeTree "app/config/" }}{{ safeLs "app/config" }}"#
        let result = try render(template, snapshot)
        #expect(result.missing == ["kv.block(app/nope)", "file(nope.txt)", "kv.list(empty/)"])
    }

    @Test func usedDependenciesAreTracked() throws {
        var table = ConsulFunctions.table
        table.merge(FunctionTable(DataFunctions.all))
        let parsed = try TextTemplate(
            source: #"{{ len (service "web") }}{{ len (service "web|passing") }}{{ env "HOME" }}{{ keyOrDefault "a" "b" }}{{ datacenters }}"#,
            name: "", functions: table)
        let state = RenderState(source: SnapshotSource(snapshot: snapshot))
        _ = try parsed.execute(data: .noValue, environment: state)
        #expect(state.used.map(\.description) == ["health.service(web|passing)", "kv.get(a)", "catalog.datacenters"])
    }

    @Test(arguments: [
        (#"{{ service "web|healthy" }}"#, #"health.service: invalid filter: "healthy" in "web|healthy""#),
        (#"{{ service "web app" }}"#, #"health.service: invalid format: "web app""#),
        (#"{{ mustEnv "EMPTY" }}"#, "required environment variable EMPTY is empty"),
        (#"{{ mustEnv "NOPE" }}"#, "required environment variable NOPE is empty"),
        (#"{{ datacenters true false }}"#, "datacenters: wrong number of arguments, expected 0 or 1, but got 2"),
        (#"{{ key "a@b@c" }}"#, #"kv.get: invalid format: "a@b@c""#),
        (#"{{ ls "a?x=1" }}"#, #"kv.list: invalid query parameter key "x" in query "x=1": supported keys: ns,peer,partition,sameness-group"#),
    ])
    func functionErrors(_ template: String, _ message: String) {
        do {
            _ = try render(template, snapshot)
            Issue.record("rendered \(template)")
        } catch {
            #expect(String(describing: error).contains(message))
        }
    }

    @Test func emptyArgumentsNeedNoData() throws {
        let result = try render(#"{{ len (service "") }}{{ len (connect) }}{{ len (ls "") }}{{ len (tree "") }}"#, snapshot)
        #expect(result.output == "0000")
    }

    @Test func fetchedValuesAreCached() throws {
        let source = SnapshotSource(snapshot: snapshot)
        let dependency = try Dependency.healthService("web|any", connect: false)
        guard case .list(let first)? = source.recall(dependency), case .list(let second)? = source.recall(dependency) else {
            Issue.record("no list")
            return
        }
        #expect(first === second)
        // A key that does not exist is received (nil data) unless the query blocks.
        #expect(source.recall(try Dependency.kvGet("nope", blocking: true)) == nil)
        if case .noValue? = source.recall(try Dependency.kvGet("nope", blocking: false)) {} else {
            Issue.record("kv.get of a missing key should be received")
        }
        #expect(source.environmentValue("HOME") == "/root")
        #expect(source.now == Timestamp(seconds: 1_767_317_645, nanoseconds: 123_456_789))
    }
}

// MARK: - Model

@Suite("Registry types")
struct RegistryTypeTests {
    @Test func healthServiceLayout() {
        #expect(RegistryTypes.healthService.name == "dependency.HealthService")
        #expect(RegistryTypes.healthService.fields.map(\.name) == [
            "Node", "NodeID", "NodeAddress", "NodeTaggedAddresses", "NodeMeta", "ServiceMeta", "Address",
            "ServiceTaggedAddresses", "ID", "Name", "Tags", "Checks", "Status", "Port", "Weights",
        ])
        #expect(RegistryTypes.healthService.fields.map(\.type.description) == [
            "string", "string", "string", "map[string]string", "map[string]string", "map[string]string", "string",
            "map[string]api.ServiceAddress", "string", "string", "dependency.ServiceTags", "api.HealthChecks",
            "string", "int", "api.AgentWeights",
        ])
        #expect(RegistryTypes.healthServiceList.description == "[]*dependency.HealthService")
        #expect(RegistryTypes.catalogNodePointer.description == "*dependency.CatalogNode")
    }

    @Test func checksKeepConsulJSONShape() throws {
        let json = #"""
        {"services":{"web":[{"Checks":[{"CheckID":"c","Namespace":"ns","Definition":{"HTTP":"http://x","IntervalDuration":"10s","timeout":"2s","Header":{"A":["1"]}}}]}]}}
        """#
        let list = try services(try Snapshot.load(json: json), "web|any")
        guard case .list(let checks)? = list.first?["Checks"], case .record(let check) = checks.elements[0],
              case .record(let definition)? = check["Definition"]
        else {
            Issue.record("no check")
            return
        }
        #expect(check.type.fields.first { $0.name == "Namespace" }?.omitEmpty == true)
        #expect(definition["IntervalDuration"]?.intValue == 10_000_000_000)
        #expect(definition["Interval"]?.intValue == 10_000_000_000)
        #expect(definition["Timeout"]?.intValue == 2_000_000_000)
        #expect(definition["TimeoutDuration"]?.intValue == 2_000_000_000)
        let members = RegistryTypes.jsonMembers(of: definition) ?? []
        #expect(members.map(\.key) == [
            "Interval", "Timeout", "DeregisterCriticalServiceAfter", "HTTP", "Header", "Method", "Body", "TLSServerName",
            "TLSSkipVerify", "TCP", "TCPUseTLS", "UDP", "GRPC", "OSService", "GRPCUseTLS",
        ])
        #expect(members.prefix(3).map { describe($0.value) } == ["10s", "2s", "0s"])
        #expect(RegistryTypes.jsonMembers(of: check) == nil)
    }

    @Test(arguments: [
        ("./a/../b", "b"), ("", "."), ("//a//b/", "/a/b"), ("/../a", "/a"), ("../../a/", "../../a"),
        ("a/./b/.", "a/b"), ("a/b/../../..", ".."), ("/a/b/../../../c", "/c"),
    ])
    func pathClean(_ path: String, _ cleaned: String) {
        #expect(RegistryPaths.clean(path) == cleaned)
    }

    @Test func trimSpaceIsUnicode() {
        #expect(RegistryPaths.trimSpace("\u{85} a \u{A0}\u{3000}") == "a")
    }
}
