import Foundation
import Testing

@testable import RetmplConfig

/// A fresh directory under the system temporary directory, removed by `cleanup`.
struct TemporaryDirectory {
    let path: String

    init() throws {
        path = NSTemporaryDirectory() + "retmpl-config-" + UUID().uuidString
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    @discardableResult
    func write(_ relative: String, _ text: String) throws -> String {
        let full = path + "/" + relative
        let parent = (full as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: full))
        return full
    }

    func cleanup() {
        try? FileManager.default.removeItem(atPath: path)
    }
}

@Suite struct MergeAndLoadTests {
    struct MergeCase: Sendable, CustomTestStringConvertible {
        let name: String
        let earlier: String
        let later: String
        let expected: ConfigFile
        var testDescription: String { name }
    }

    static let merges: [MergeCase] = [
        MergeCase(
            name: "later scalar wins, unset keeps earlier",
            earlier: "log_level = \"info\"\npid_file = \"/a\"",
            later: "log_level = \"debug\"",
            expected: config {
                $0.logLevel = "debug"
                $0.pidFile = "/a"
            }),
        MergeCase(
            name: "nested blocks merge field-wise",
            earlier: "consul {\n  address = \"a:1\"\n  ssl {\n    enabled = true\n    cert = \"c\"\n  }\n}",
            later: "consul {\n  token = \"t\"\n  ssl {\n    cert = \"d\"\n  }\n}",
            expected: config {
                $0.consul = ConsulConfig()
                $0.consul?.address = "a:1"
                $0.consul?.token = "t"
                $0.consul?.ssl = SSLConfig()
                $0.consul?.ssl?.enabled = true
                $0.consul?.ssl?.cert = "d"
            }),
        MergeCase(
            name: "templates append",
            earlier: "template { source = \"one\" }",
            later: "template { source = \"two\" }\ntemplate { source = \"three\" }",
            expected: config {
                $0.templates = ["one", "two", "three"].map { s in template { $0.source = s } }
            }),
        MergeCase(
            name: "wait merges; exec command replaced; env lists append",
            earlier: "wait { min = \"1s\" }\nexec {\n  command = [\"a\"]\n  env { custom = [\"A=1\"] }\n}",
            later: "wait = \"2s:5s\"\nexec {\n  command = \"b\"\n  env { custom = [\"B=2\"] }\n}",
            expected: config {
                $0.wait = WaitConfig(min: .seconds(2), max: .seconds(5))
                $0.exec = ExecConfig()
                $0.exec?.command = ["b"]
                $0.exec?.env = EnvConfig()
                $0.exec?.env?.custom = ["A=1", "B=2"]
            }),
        MergeCase(
            name: "an explicitly empty signal overrides",
            earlier: "reload_signal = \"SIGUSR1\"\nkill_signal = \"SIGTERM\"",
            later: "reload_signal = \"\"",
            expected: config {
                $0.reloadSignal = .disabled
                $0.killSignal = signal("SIGTERM")
            }),
    ]

    @Test(arguments: merges)
    func merging(_ c: MergeCase) throws {
        let a = try ConfigFile.parse(c.earlier, path: "a.hcl")
        let b = try ConfigFile.parse(c.later, path: "b.hcl")
        #expect(withoutOrigins(a.merging(b)) == c.expected)
    }

    @Test func mergingWithEmptyIsIdentity() throws {
        let a = try ConfigFile.parse("consul { address = \"x\" }\ntemplate {}\nonce = true", path: "a.hcl")
        #expect(a.merging(ConfigFile()) == a)
        #expect(ConfigFile().merging(a) == a)
    }

    @Test func loadMergesFilesLeftToRight() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        let first = try dir.write("first.hcl", "log_level = \"info\"\nconsul { address = \"a\" }\ntemplate { source = \"1\" }")
        let second = try dir.write("second.json", #"{"log_level": "debug", "consul": {"token": "t"}, "template": {"source": "2"}}"#)
        let c = try ConfigFile.load(paths: [first, second])
        #expect(c.logLevel == "debug")
        #expect(c.consul?.address == "a")
        #expect(c.consul?.token == "t")
        #expect(c.templates.map(\.source) == ["1", "2"])
        #expect(c.templates.map { $0.origin?.path } == [first, second])
        let reversed = try ConfigFile.load(paths: [second, first])
        #expect(reversed.logLevel == "info")
        #expect(reversed.templates.map(\.source) == ["2", "1"])
    }

    @Test func loadWalksADirectoryRecursivelyInLexicalOrder() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try dir.write("b.hcl", "pid_file = \"b\"\ntemplate { source = \"b\" }")
        try dir.write("a.hcl", "pid_file = \"a\"\nlog_level = \"a\"\ntemplate { source = \"a\" }")
        try dir.write("a.d/z.hcl", "log_level = \"a.d/z\"\ntemplate { source = \"a.d/z\" }")
        try dir.write("c/nested/x.json", #"{"template": {"source": "c/nested/x"}}"#)
        // Go's filepath.Walk order: "a.d" < "a.hcl" < "b.hcl" < "c" bytewise.
        #expect(try ConfigFile.configFiles(at: dir.path) == [
            dir.path + "/a.d/z.hcl", dir.path + "/a.hcl", dir.path + "/b.hcl", dir.path + "/c/nested/x.json",
        ])
        let c = try ConfigFile.load(paths: [dir.path])
        #expect(c.templates.map(\.source) == ["a.d/z", "a", "b", "c/nested/x"])
        #expect(c.pidFile == "b")
        #expect(c.logLevel == "a")
        // A later file overrides the whole directory.
        let override = try dir.write("../\(UUID().uuidString).hcl", "pid_file = \"override\"")
        defer { try? FileManager.default.removeItem(atPath: override) }
        #expect(try ConfigFile.load(paths: [dir.path, override]).pidFile == "override")
    }

    @Test func loadOfAnEmptyDirectoryIsEmpty() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        #expect(try ConfigFile.load(paths: [dir.path]) == ConfigFile())
        #expect(try ConfigFile.load(paths: []) == ConfigFile())
    }

    @Test func loadReportsTheFileThatFailed() throws {
        let dir = try TemporaryDirectory()
        defer { dir.cleanup() }
        try dir.write("1.hcl", "once = true")
        let bad = try dir.write("2.hcl", "\n\ntemplate {\n  sorce = \"x\"\n}")
        #expect(throws: ConfigError(path: bad, line: 4, column: 3, message: #"unknown key "sorce" in template (did you mean "source"?)"#)) {
            try ConfigFile.load(paths: [dir.path])
        }
        let missing = dir.path + "/missing.hcl"
        #expect(throws: ConfigError(path: missing, line: 0, column: 0, message: "no such file or directory")) {
            try ConfigFile.load(paths: [missing])
        }
        #expect(ConfigError(path: missing, line: 0, column: 0, message: "no such file or directory").description
            == "\(missing): no such file or directory")
    }

    /// The example in consul-template's docs/configuration.md.
    @Test func consulTemplateDocumentationExampleParses() throws {
        let example = """
            consul {
              address = "127.0.0.1:8500"

              auth {
                enabled = true
                username = "test"
                password = "test"
              }
            }

            log_level = "warn"

            template {
              contents = "{{key \\"hello\\"}}"
              destination = "out.txt"
              exec {
                command = "cat out.txt"
              }
            }
            """
        let c = try ConfigFile.parse(example, path: "config.hcl")
        #expect(c.consul?.address == "127.0.0.1:8500")
        #expect(c.consul?.auth?.enabled == true)
        #expect(c.consul?.auth?.username == "test")
        #expect(c.consul?.auth?.password == "test")
        #expect(c.logLevel == "warn")
        #expect(c.templates.count == 1)
        #expect(c.templates.first?.contents == #"{{key "hello"}}"#)
        #expect(c.templates.first?.destination == "out.txt")
        #expect(c.templates.first?.exec?.command == ["cat out.txt"])
    }

    /// The long reference blocks of docs/configuration.md, comments included
    /// (Vault and Nomad left out; `retry { # ... }` placeholders kept).
    @Test func consulTemplateReferenceBlocksParse() throws {
        let reference = """
            # This is the signal to listen for to trigger a reload event.
            reload_signal = "SIGHUP"
            kill_signal = "SIGINT"
            max_stale = "10m"
            block_query_wait = "60s"
            log_level = "warn"
            template_error_fatal = true
            err_on_failed_lookup = true
            wait {
              min = "5s"
              max = "10s"
            }
            pid_file = "/path/to/pid"
            syslog {
              # This enables syslog logging.
              enabled = true
              facility = "LOCAL5"
            }
            consul {
              auth {
                enabled  = true
                username = "test"
                password = "test"
              }
              address = "127.0.0.1:8500"
              namespace = ""
              token = ""
              token_file = ""
              retry {
                enabled = true
                attempts = 12
                backoff = "250ms"
                max_backoff = "1m"
              }
              transport {
                dial_keep_alive = "10s"
                dial_timeout = "10s"
                disable_keep_alives = true
                max_idle_conns_per_host = 100
                tls_handshake_timeout = "30s"
              }
              ssl {
                enabled = true
                verify = false
                cert = "/path/to/client/cert"
                key  = "/path/to/client/key"
                ca_cert = "/path/to/ca"
                ca_path = "path/to/certs/"
                server_name = "my-server.com"
              }
            }
            template {
              source = "/path/on/disk/to/template.ctmpl"
              destination = "/path/on/disk/where/template/will/render.txt"
              create_dest_dirs = true
              contents = "{{ keyOrDefault \\"service/redis/maxconns@east-aws\\" \\"5\\" }}"
              error_on_missing_key = false
              error_fatal = true
              perms = 0600
              user = 1000
              group = 1000
              backup = true
              left_delimiter  = "{{"
              right_delimiter = "}}"
              function_denylist = []
              sandbox_path = ""
              wait {
                min = "2s"
                max = "10s"
              }
              exec {
                  command = ["restart", "service", "foo"]
                  timeout = "30s"
              }
              command = ["restart", "service", "foo"]
              command_timeout = "60s"
            }
            once = true
            deduplicate {
              enabled = true
              prefix = "consul-template/dedup/"
            }
            exec {
              command = ["/usr/bin/app"]
              timeout = "0"
              splay = "5s"
              env {
                pristine = false
                custom = ["PATH=$PATH:/etc/myapp/bin"]
                allowlist = ["CONSUL_*"]
                denylist = ["VAULT_*"]
              }
              reload_signal = ""
              kill_signal = "SIGINT"
              kill_timeout = "2s"
            }
            """
        let c = try ConfigFile.parse(reference, path: "reference.hcl")
        #expect(c.templates.first?.perms == 0o600)
        #expect(c.templates.first?.user == "1000")
        #expect(c.templates.first?.functionDenylist == [])
        #expect(c.exec?.reloadSignal == .disabled)
        #expect(c.exec?.env?.custom == ["PATH=$PATH:/etc/myapp/bin"])
        #expect(c.consul?.transport?.maxIdleConnsPerHost == 100)
        #expect(c.wait == WaitConfig(min: .seconds(5), max: .seconds(10)))
        #expect(c.unsupported.isEmpty)
    }
}
