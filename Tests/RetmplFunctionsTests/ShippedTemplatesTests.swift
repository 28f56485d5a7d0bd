import Foundation
import Testing
import RetmplTemplate
import RetmplRegistry
@testable import RetmplFunctions

/// The ready-to-use templates in `templates/`: goldens for the demo registry
/// and for a hostile one, a grammar check showing that hostile registry values
/// never change a rendered configuration's structure, and renders that must
/// fail naming the value that cannot be made safe.
///
/// The goldens come from retmpl itself (the Go oracle does not know the proxy
/// token functions); each was also checked with `haproxy -c` / `nginx -t`.
@Suite struct ShippedTemplatesTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .deletingLastPathComponent().deletingLastPathComponent()
    static let templateNames = ["haproxy", "nginx", "haproxy-mysql"]

    /// A snapshot the templates are rendered against, and its goldens' suffix.
    enum Fixture: String, CaseIterable, Sendable {
        case registry, hostile

        var path: String {
            switch self {
            case .registry: return "examples/snapshot/registry.json"
            case .hostile: return "Tests/RetmplFunctionsTests/Templates/hostile.json"
            }
        }

        func golden(_ name: String) -> String {
            switch self {
            case .registry: return "Tests/RetmplFunctionsTests/Templates/\(name).out"
            case .hostile: return "Tests/RetmplFunctionsTests/Templates/\(name).hostile.out"
            }
        }
    }

    static func read(_ path: String) throws -> String {
        try String(contentsOf: root.appendingPathComponent(path), encoding: .utf8)
    }

    static func render(_ name: String, json: String) throws -> OfflineRender {
        let template = try read("templates/\(name).ctmpl")
        let snapshot = try Snapshot.load(json: json)
        return OfflineRender(source: template, name: "\(name).ctmpl", options: .init(), data: SnapshotSource(snapshot: snapshot))
    }

    /// The rendering of `name` against `fixture`, or the render error as a test failure.
    static func rendered(_ name: String, _ fixture: Fixture) throws -> String {
        let result = try render(name, json: read(fixture.path))
        try #require(result.message == nil, "\(result.message ?? "")")
        return String(decoding: result.output, as: UTF8.self)
    }

    @Test(arguments: templateNames, Fixture.allCases)
    func matchesGolden(_ name: String, _ fixture: Fixture) throws {
        #expect(try Self.rendered(name, fixture) == Self.read(fixture.golden(name)))
    }

    // MARK: Structure

    /// Each section (haproxy) or block (nginx) with the keywords of its
    /// statements in order: an injected line, section or block shows up here.
    static let skeletons: [String: [String]] = [
        "haproxy registry": [
            "global: log maxconn",
            "defaults: mode log option option retries option timeout timeout timeout timeout http-error",
            "frontend http-in: bind acl use_backend use_backend acl use_backend use_backend acl acl use_backend use_backend default_backend",
            "backend be_api: balance option default-server server server",
            "backend be_billing: balance option default-server",
            "backend be_metrics: balance option default-server server",
            "backend be_web: balance option default-server server server",
            "backend retmpl_maintenance: http-request",
            "backend retmpl_no_route: http-request",
            "listen stats: bind stats stats stats",
        ],
        "haproxy hostile": [
            "global: log maxconn",
            "defaults: mode log option option retries option timeout timeout timeout timeout http-error",
            "frontend http-in: bind acl use_backend use_backend acl use_backend use_backend default_backend",
            "backend be_Shop_Admin: balance option default-server server server server",
            "backend be_legacy_v2: balance option default-server",
            "backend retmpl_maintenance: http-request",
            "backend retmpl_no_route: http-request",
            "listen stats: bind stats stats stats",
        ],
        "haproxy-mysql registry": [
            "global: log maxconn",
            "defaults: mode log option timeout timeout timeout timeout default-server",
            "listen mysql-write: bind server",
            "listen mysql-read: bind balance server server server",
        ],
        "haproxy-mysql hostile": [
            "global: log maxconn",
            "defaults: mode log option timeout timeout timeout timeout default-server",
            "listen mysql-write: bind server server",
            "listen mysql-read: bind balance server server server",
        ],
        "nginx registry": [
            ": worker_processes pid error_log events http",
            "events: worker_connections",
            "http: access_log client_body_temp_path proxy_temp_path fastcgi_temp_path uwsgi_temp_path scgi_temp_path"
                + " default_type server_names_hash_bucket_size keepalive_timeout proxy_http_version proxy_set_header proxy_set_header"
                + " proxy_set_header proxy_connect_timeout proxy_read_timeout proxy_next_upstream"
                + " upstream server upstream server upstream upstream server server server",
            "upstream api: zone server server server",
            "server: listen server_name location",
            "location /: proxy_pass",
            "upstream billing: zone server",
            "server: listen server_name location",
            "location /: proxy_pass",
            "upstream metrics: zone server server",
            "upstream web: zone server server server",
            "server: listen server_name location",
            "location /: proxy_pass",
            "server: listen server_name default_type location",
            "location /: return",
            "server: listen default_type location",
            "location /: return",
        ],
        "nginx hostile": [
            ": worker_processes pid error_log events http",
            "events: worker_connections",
            "http: access_log client_body_temp_path proxy_temp_path fastcgi_temp_path uwsgi_temp_path scgi_temp_path"
                + " default_type server_names_hash_bucket_size keepalive_timeout proxy_http_version proxy_set_header proxy_set_header"
                + " proxy_set_header proxy_connect_timeout proxy_read_timeout proxy_next_upstream"
                + " upstream server upstream server server server",
            "upstream shop_admin-004bbb21: zone server server server server",
            "server: listen server_name location",
            "location /: proxy_pass",
            "upstream legacy_v2: zone server",
            "server: listen server_name location",
            "location /: proxy_pass",
            "server: listen server_name default_type location",
            "location /: return",
            "server: listen default_type location",
            "location /: return",
        ],
    ]

    @Test(arguments: templateNames, Fixture.allCases)
    func keepsItsStructure(_ name: String, _ fixture: Fixture) throws {
        let output = try Self.rendered(name, fixture)
        let skeleton = name == "nginx" ? try NginxGrammar.skeleton(output) : try HaproxyGrammar.skeleton(output)
        #expect(skeleton == Self.skeletons["\(name) \(fixture.rawValue)"])
    }

    /// The grammar checks themselves catch what an unescaped value would do.
    @Test(arguments: [
        "backend b\n    server a 10.0.0.1:80 weight 1 evil\n",
        "backend b\n    server a\"b 10.0.0.1:80\n",
        "backend b\n    server a 10.0.0.1:80 backup\\\n",
        "backend b\n    http-request return string \"$HOME\"\n",
        "backend b\n  server a 10.0.0.1:80\n",
        "backend b\n    server a 10.0.0.1:80 # x\nlisten evil extra args\n",
        "backend b\n    evil directive\n",
        "backend b\n    acl host_b req.hdr(host),field(1,:) -m str -i -- \"~evil\"\n",
        "backend b\n    use_backend b if host_b { nbsrv(c) gt 0 } || host_b { stopping }\n",
        "backend b\n    use_backend b if host_b { nbsrv(b) gt 0 } || host_c { stopping }\n",
    ])
    func haproxyGrammarRejects(_ text: String) {
        #expect(throws: HaproxyGrammar.Violation.self) { try HaproxyGrammar.skeleton(text) }
    }

    @Test(arguments: [
        "http { upstream u { server 10.0.0.1:80; server evil; } }",
        "http { upstream u { server 10.0.0.1:80 weight=1 evil; } }",
        "http { upstream U { server 10.0.0.1:80; } }",
        "http { return 503 \"$secret\"; }",
        "http { server_name \"a\" b; } }",
        "http { server { server_name \"a\"b; } }",
        "http { server { server_name \"~evil\"; } }",
        "http { server_name \"unterminated; }",
    ])
    func nginxGrammarRejects(_ text: String) {
        #expect(throws: NginxGrammar.Violation.self) { try NginxGrammar.skeleton(text) }
    }

    // MARK: Values that cannot be made safe

    /// One hostile value put into the demo registry; the render must fail
    /// and the message must show the value (Go-quoted).
    struct Poison: Sendable, CustomStringConvertible {
        let template: String
        let path: [JSONPath]
        let value: String
        let message: String
        var description: String { "\(template) \(path) = \(value.debugDescription)" }
    }

    static let poisons: [Poison] = [
        Poison(template: "haproxy", path: ["services", "web", 0, "Address"], value: "10.0.1.11:8080 backup\n    server evil 6.6.6.6:80",
               message: #"error calling proxyHostPort: "10.0.1.11:8080 backup\n    server evil 6.6.6.6:80" is not an IPv4 address"#),
        Poison(template: "nginx", path: ["services", "web", 0, "Address"], value: "10.0.1.11; } server { listen 6666",
               message: #"error calling proxyHostPort: "10.0.1.11; } server { listen 6666" is not an IPv4 address"#),
        Poison(template: "haproxy-mysql", path: ["services", "mysql", 1, "NodeAddress"], value: "10.0.3.2 backup",
               message: #"error calling proxyHostPort: "10.0.3.2 backup" is not"#),
        Poison(template: "haproxy", path: ["services", "web", 0, "Meta", "weight"], value: "10 maxconn 1",
               message: #"error calling proxyInt: "10 maxconn 1" is not a decimal integer"#),
        Poison(template: "nginx", path: ["services", "web", 0, "Meta", "maxconn"], value: "100;\n}",
               message: #"error calling proxyInt: "100;\n}" is not a decimal integer"#),
        Poison(template: "haproxy-mysql", path: ["services", "mysql", 2, "Meta", "weight"], value: "999",
               message: #"error calling proxyInt: "999" is not in the range 0...256"#),
        Poison(template: "haproxy", path: ["services", "api", 0, "Tags", 1], value: "host=api.example.com\n    use_backend evil",
               message: #"error calling proxyHost: "api.example.com\n    use_backend evil" is not a host name"#),
        Poison(template: "nginx", path: ["services", "api", 0, "Tags", 1], value: "host=~^(?<x>.+)$",
               message: #"error calling proxyHost: "~^(?<x>.+)$" is not a host name"#),
        Poison(template: "haproxy", path: ["kv", "haproxy/timeout/connect"], value: "5s\n    bind :6666",
               message: #"error calling proxyMatch: "5s\n    bind :6666" does not match"#),
        Poison(template: "haproxy", path: ["kv", "haproxy/maintenance/message"], value: "a\u{0}b",
               message: "error calling haproxyString: "),
        Poison(template: "nginx", path: ["kv", "nginx/maintenance/message"], value: "costs $5",
               message: "costs $5</p>\" contains '$', which nginx cannot escape"),
        Poison(template: "haproxy", path: ["env", "HAPROXY_STATS_PORT"], value: "8404 # x",
               message: #"error calling proxyInt: "8404 # x" is not a decimal integer"#),
        Poison(template: "haproxy-mysql", path: ["kv", "mysql/maxconn"], value: "1e6",
               message: #"error calling proxyInt: "1e6" is not a decimal integer"#),
        // consul-template's own query syntax refuses such a service name.
        Poison(template: "haproxy", path: ["services", "evil name;{}", 0, "Tags", 0], value: "http",
               message: #"health.service: invalid format: "evil name;{}|passing""#),
    ]

    @Test(arguments: poisons)
    func failsNamingTheValue(_ poison: Poison) throws {
        let json = try JSONPath.setting(poison.value, at: poison.path, in: Self.read(Fixture.registry.path))
        let result = try Self.render(poison.template, json: json)
        #expect(result.status == 1)
        #expect(result.output.isEmpty)
        #expect(result.message?.contains(poison.message) == true, "\(result.message ?? "rendered")")
    }

    // MARK: Conventions

    @Test func warningInstancesAreOptIn() throws {
        let json = try JSONPath.setting("true", at: ["env", "RETMPL_INCLUDE_WARNING"], in: Self.read(Fixture.registry.path))
        let haproxy = String(decoding: try Self.render("haproxy", json: json).output, as: UTF8.self)
        let nginx = String(decoding: try Self.render("nginx", json: json).output, as: UTF8.self)
        // web-3 is "warning": in with its Consul warning weight, not by default.
        #expect(haproxy.contains("    server node-c_web-3 10.0.1.13:8080 weight 1 # version 2.4.1\n"))
        #expect(nginx.contains("        server 10.0.1.13:8080 weight=1; # version 2.4.1\n"))
        #expect(!(try Self.rendered("haproxy", .registry)).contains("web-3"))
        #expect(!(try Self.rendered("nginx", .registry)).contains("10.0.1.13"))
    }

    @Test func listenAddressesComeFromTheEnvironment() throws {
        var json = try Self.read(Fixture.registry.path)
        for (name, value) in [("RETMPL_HAPROXY_BIND", "127.0.0.1:18080"), ("RETMPL_NGINX_LISTEN", "127.0.0.1:18081"),
                              ("RETMPL_MYSQL_WRITE_BIND", "127.0.0.1:13306"), ("NGINX_PREFIX", "/srv/ngx")] {
            json = try JSONPath.setting(value, at: ["env", .key(name)], in: json)
        }
        let haproxy = String(decoding: try Self.render("haproxy", json: json).output, as: UTF8.self)
        let nginx = String(decoding: try Self.render("nginx", json: json).output, as: UTF8.self)
        let mysql = String(decoding: try Self.render("haproxy-mysql", json: json).output, as: UTF8.self)
        #expect(haproxy.contains("    bind \"127.0.0.1:18080\"\n"))
        #expect(nginx.contains("        listen \"127.0.0.1:18081\";\n"))
        #expect(nginx.contains("pid \"/srv/ngx/nginx.pid\";\n"))
        #expect(nginx.contains("        server \"unix:/srv/ngx/maintenance.sock\" backup max_fails=0;\n"))
        #expect(mysql.contains("    bind \"127.0.0.1:13306\"\n"))
    }
}

/// A step into a JSON document: an object key or an array index.
enum JSONPath: Sendable, Hashable, ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, CustomStringConvertible {
    case key(String)
    case index(Int)

    init(stringLiteral value: String) { self = .key(value) }
    init(integerLiteral value: Int) { self = .index(value) }

    var description: String {
        switch self {
        case .key(let k): return k
        case .index(let i): return "\(i)"
        }
    }

    struct PathError: Error, CustomStringConvertible {
        let description: String
    }

    /// `json` with the string at `path` set to `value` (objects are created
    /// along the way; an array index must exist or be one past the end).
    static func setting(_ value: String, at path: [JSONPath], in json: String) throws -> String {
        let document = try JSONSerialization.jsonObject(with: Data(json.utf8), options: [])
        let updated = try set(value, at: path[...], in: document)
        let data = try JSONSerialization.data(withJSONObject: updated, options: [.sortedKeys])
        return String(decoding: data, as: UTF8.self)
    }

    private static func set(_ value: String, at path: ArraySlice<JSONPath>, in node: Any?) throws -> Any {
        guard let step = path.first else { return value }
        switch step {
        case .key(let key):
            var object = node as? [String: Any] ?? [:]
            object[key] = try set(value, at: path.dropFirst(), in: object[key])
            return object
        case .index(let index):
            var array = node as? [Any] ?? []
            if index == array.count {
                array.append(try set(value, at: path.dropFirst(), in: nil))
            } else if array.indices.contains(index) {
                array[index] = try set(value, at: path.dropFirst(), in: array[index])
            } else {
                throw PathError(description: "index \(index) outside an array of \(array.count)")
            }
            return array
        }
    }
}

/// haproxy's configuration grammar as the shipped templates use it: section
/// headers at column 0, statements indented by four spaces, arguments split
/// like haproxy's `parse_line` (quotes, backslash escapes, `#` comments).
enum HaproxyGrammar {
    struct Violation: Error, CustomStringConvertible {
        let description: String
    }

    static let sections: Set<String> = ["global", "defaults", "frontend", "backend", "listen"]
    static let keywords: Set<String> = [
        "log", "maxconn", "mode", "option", "retries", "timeout", "http-error", "bind", "acl", "use_backend",
        "default_backend", "balance", "default-server", "server", "http-request", "stats",
    ]

    /// `"header: keyword keyword ..."` per section, after checking every line.
    static func skeleton(_ text: String) throws -> [String] {
        var result: [String] = []
        var header: String?
        var keywordsSoFar: [String] = []
        func flush() {
            if let header { result.append(([header + ":"] + keywordsSoFar).joined(separator: " ")) }
        }
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let (args, _) = try split(String(line), line: number + 1)
            if args.isEmpty { continue }
            if !line.hasPrefix(" ") {
                guard sections.contains(args[0]), args.count <= 2 else {
                    throw Violation(description: "line \(number + 1): not a section header: \(line)")
                }
                flush()
                header = args.joined(separator: " ")
                keywordsSoFar = []
                continue
            }
            guard line.hasPrefix("    "), !line.hasPrefix("     "), keywords.contains(args[0]), header != nil else {
                throw Violation(description: "line \(number + 1): unexpected statement: \(line)")
            }
            try check(args, line: number + 1)
            keywordsSoFar.append(args[0])
        }
        flush()
        return result
    }

    /// The statements that carry registry values have a fixed shape.
    static func check(_ args: [String], line: Int) throws {
        func fail(_ why: String) -> Violation { Violation(description: "line \(line): \(why): \(args)") }
        switch args[0] {
        case "server":
            guard args.count >= 3, isName(args[1]), isHostPort(args[2]) else { throw fail("bad server") }
            var rest = args[3...]
            while let option = rest.first {
                rest = rest.dropFirst()
                switch option {
                case "backup": continue
                case "weight", "maxconn":
                    guard let n = rest.first, Int(n) != nil else { throw fail("bad \(option)") }
                    rest = rest.dropFirst()
                default: throw fail("unexpected server option \(option)")
                }
            }
        case "acl":
            guard args.count == 8, isName(args[1]), args[2...6] == ["req.hdr(host),field(1,:)", "-m", "str", "-i", "--"],
                  (try? ProxyTokens.host(args[7])) != nil
            else { throw fail("bad host acl") }
        case "use_backend":
            let plain = args.count == 4
            // `if host_x { nbsrv(x) gt 0 } || host_x { stopping }`
            let guarded = args.count == 14 && args[4...8] == ["{", "nbsrv(\(args[1]))", "gt", "0", "}"]
                && args[9] == "||" && args[10] == args[3] && args[11...13] == ["{", "stopping", "}"]
            guard plain || guarded, isName(args[1]), args[2] == "if", args[3].hasPrefix("host_"), isName(args[3]) else {
                throw fail("bad use_backend")
            }
        default:
            break
        }
    }

    static func isName(_ s: String) -> Bool {
        !s.isEmpty && s.utf8.allSatisfy { b in
            (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5A) || (b >= 0x61 && b <= 0x7A) || "-_.:".utf8.contains(b)
        }
    }

    static func isHostPort(_ s: String) -> Bool {
        s.range(of: #"^(\[[0-9a-fA-F:.]+\]|[0-9A-Za-z.-]+):[0-9]{1,5}$"#, options: .regularExpression) != nil
    }

    /// The arguments of one line, and whether it had a comment. Unbalanced
    /// quotes and a `$` that haproxy would expand are violations.
    static func split(_ line: String, line number: Int) throws -> (args: [String], comment: Bool) {
        var args: [String] = []
        var current: [UInt8] = []
        var inArg = false, single = false, double = false
        let bytes = Array(line.utf8)
        var i = 0
        func fail(_ why: String) -> Violation { Violation(description: "line \(number): \(why): \(line)") }
        while i < bytes.count {
            let b = bytes[i]
            switch b {
            case UInt8(ascii: "#") where !single && !double:
                if inArg { args.append(String(decoding: current, as: UTF8.self)) }
                return (args, true)
            case UInt8(ascii: "\"") where !single:
                double.toggle()
                inArg = true
            case UInt8(ascii: "'") where !double:
                single.toggle()
                inArg = true
            case UInt8(ascii: "\\") where !single:
                guard i + 1 < bytes.count else { throw fail("backslash at the end") }
                let next = bytes[i + 1]
                switch next {
                case UInt8(ascii: " "), UInt8(ascii: "\\"), UInt8(ascii: "#"), UInt8(ascii: "'"), UInt8(ascii: "\""):
                    current.append(next); i += 1
                case UInt8(ascii: "$") where double:
                    current.append(next); i += 1
                case UInt8(ascii: "t"): current.append(0x09); i += 1
                case UInt8(ascii: "n"): current.append(0x0A); i += 1
                case UInt8(ascii: "r"): current.append(0x0D); i += 1
                case UInt8(ascii: "x"):
                    guard i + 3 < bytes.count, let v = UInt8(String(decoding: bytes[(i + 2)...(i + 3)], as: UTF8.self), radix: 16) else {
                        throw fail("bad \\x escape")
                    }
                    current.append(v); i += 3
                default:
                    current.append(b)
                }
                inArg = true
            case UInt8(ascii: "$") where double:
                throw fail("haproxy would expand an environment variable")
            case 0x20 where !single && !double, 0x09 where !single && !double:
                if inArg { args.append(String(decoding: current, as: UTF8.self)) }
                current = []
                inArg = false
            case 0x00, 0x0D:
                throw fail("NUL or carriage return in a line")
            default:
                current.append(b)
                inArg = true
            }
            i += 1
        }
        if single || double { throw fail("unbalanced quote") }
        if inArg { args.append(String(decoding: current, as: UTF8.self)) }
        return (args, false)
    }
}

/// nginx's configuration grammar (`ngx_conf_read_token`): tokens split on
/// white space, `;` ends a directive, `{ }` delimit blocks, `#` starts a
/// comment at a token's start, quoted tokens with `\"`, `\\`, `\t`, `\r`, `\n`.
enum NginxGrammar {
    struct Violation: Error, CustomStringConvertible {
        let description: String
    }

    struct Directive {
        var name: String
        var args: [String]
        var block: [Directive]?
    }

    /// Variables the nginx template itself uses; any other `$` came from a value.
    static let variables: Set<String> = ["$host", "$proxy_add_x_forwarded_for"]
    static let serverParameters = #"^(weight=[0-9]+|max_conns=[0-9]+|max_fails=0|down|backup)$"#

    /// `"name args: child child ..."` per block, depth first, after checking
    /// the directives that carry registry values.
    static func skeleton(_ text: String) throws -> [String] {
        var tokens = try tokenize(text)[...]
        let main = try parseBlock(&tokens, closed: false)
        var result: [String] = []
        try walk(Directive(name: "", args: [], block: main), into: &result)
        return result
    }

    private static func walk(_ directive: Directive, into result: inout [String]) throws {
        guard let block = directive.block else { return }
        // Names of upstreams (sanitised) and locations are shown; server blocks are not.
        let label = directive.name == "server" ? "server" : ([directive.name] + directive.args).joined(separator: " ")
        result.append(([label + ":"] + block.map(\.name)).joined(separator: " "))
        for child in block {
            try check(child, parent: directive.name)
            try walk(child, into: &result)
        }
    }

    private static func check(_ d: Directive, parent: String) throws {
        func fail(_ why: String) -> Violation { Violation(description: "\(why): \(d.name) \(d.args)") }
        for arg in d.args where arg.contains("$") && !variables.contains(arg) {
            throw fail("a value names an nginx variable")
        }
        switch (parent, d.name) {
        case ("upstream", "server"):
            guard let address = d.args.first,
                  address.hasPrefix("unix:") || HaproxyGrammar.isHostPort(address),
                  d.args.dropFirst().allSatisfy({ $0.range(of: serverParameters, options: .regularExpression) != nil })
            else { throw fail("bad upstream server") }
        case ("server", "server_name"):
            guard !d.args.isEmpty, d.args.allSatisfy({ $0 == "_" || (try? ProxyTokens.host($0)) != nil }) else {
                throw fail("bad server_name")
            }
        case (_, "upstream"):
            guard d.args.count == 1, d.args[0].range(of: "^[a-z0-9_.-]+$", options: .regularExpression) != nil else {
                throw fail("bad upstream name")
            }
        default:
            break
        }
    }

    private enum Token: Equatable {
        case word(String)
        case semicolon, open, close
    }

    private static func parseBlock(_ tokens: inout ArraySlice<Token>, closed: Bool) throws -> [Directive] {
        var directives: [Directive] = []
        var words: [String] = []
        while let token = tokens.popFirst() {
            switch token {
            case .word(let w):
                words.append(w)
            case .semicolon:
                guard let name = words.first else { throw Violation(description: "empty directive") }
                directives.append(Directive(name: name, args: Array(words.dropFirst()), block: nil))
                words = []
            case .open:
                guard let name = words.first else { throw Violation(description: "block without a name") }
                let block = try parseBlock(&tokens, closed: true)
                directives.append(Directive(name: name, args: Array(words.dropFirst()), block: block))
                words = []
            case .close:
                guard closed, words.isEmpty else { throw Violation(description: "unexpected }") }
                return directives
            }
        }
        guard !closed, words.isEmpty else { throw Violation(description: "unexpected end of file") }
        return directives
    }

    private static func tokenize(_ text: String) throws -> [Token] {
        let bytes = Array(text.utf8)
        var tokens: [Token] = []
        var i = 0
        func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0A || b == 0x0D }
        while i < bytes.count {
            let b = bytes[i]
            if isSpace(b) { i += 1; continue }
            switch b {
            case UInt8(ascii: "#"):
                while i < bytes.count && bytes[i] != 0x0A { i += 1 }
            case UInt8(ascii: ";"): tokens.append(.semicolon); i += 1
            case UInt8(ascii: "{"): tokens.append(.open); i += 1
            case UInt8(ascii: "}"): tokens.append(.close); i += 1
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                var word: [UInt8] = []
                i += 1
                var closed = false
                while i < bytes.count {
                    let c = bytes[i]
                    if c == b { closed = true; i += 1; break }
                    if c == UInt8(ascii: "\\"), i + 1 < bytes.count {
                        let n = bytes[i + 1]
                        switch n {
                        case UInt8(ascii: "\""), UInt8(ascii: "'"), UInt8(ascii: "\\"): word.append(n)
                        case UInt8(ascii: "t"): word.append(0x09)
                        case UInt8(ascii: "r"): word.append(0x0D)
                        case UInt8(ascii: "n"): word.append(0x0A)
                        default: word += [c, n]
                        }
                        i += 2
                        continue
                    }
                    word.append(c)
                    i += 1
                }
                guard closed else { throw Violation(description: "unterminated quoted token") }
                guard i >= bytes.count || isSpace(bytes[i]) || bytes[i] == UInt8(ascii: ";") || bytes[i] == UInt8(ascii: "{") else {
                    throw Violation(description: "a quoted token must be followed by a space, ';' or '{'")
                }
                tokens.append(.word(String(decoding: word, as: UTF8.self)))
            default:
                var word: [UInt8] = []
                while i < bytes.count, !isSpace(bytes[i]), ![UInt8(ascii: ";"), UInt8(ascii: "{"), UInt8(ascii: "}")].contains(bytes[i]) {
                    if bytes[i] == UInt8(ascii: "\\"), i + 1 < bytes.count { word.append(bytes[i + 1]); i += 2; continue }
                    word.append(bytes[i])
                    i += 1
                }
                tokens.append(.word(String(decoding: word, as: UTF8.self)))
            }
        }
        return tokens
    }
}
