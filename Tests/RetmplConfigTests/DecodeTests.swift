import Testing

@testable import RetmplConfig

/// One configuration written in HCL and in JSON, and the model both must give.
struct DecodeCase: Sendable, CustomTestStringConvertible {
    let name: String
    let hcl: String
    let json: String
    let expected: ConfigFile
    var testDescription: String { name }
}

func config(_ build: (inout ConfigFile) -> Void) -> ConfigFile {
    var c = ConfigFile()
    build(&c)
    return c
}

func template(_ build: (inout TemplateConfig) -> Void) -> TemplateConfig {
    var t = TemplateConfig()
    build(&t)
    return t
}

func signal(_ name: String) -> ConfigSignal {
    ConfigSignal(parsing: name) ?? .disabled
}

/// The model without template origins (positions are tested on their own).
func withoutOrigins(_ c: ConfigFile) -> ConfigFile {
    var c = c
    for i in c.templates.indices { c.templates[i].origin = nil }
    c.unsupported = c.unsupported.map { UnsupportedSetting(key: $0.key, origin: ConfigOrigin(path: "", position: ConfigPosition(line: 0, column: 0))) }
    return c
}

@Suite struct DecodeTests {
    static let cases: [DecodeCase] = [
        DecodeCase(
            name: "top-level settings",
            hcl: """
                reload_signal = "SIGUSR1"
                kill_signal = "term"
                max_stale = "10m"
                block_query_wait = "61s"
                log_level = "warn"
                pid_file = "/var/run/retmpl.pid"
                template_error_fatal = false
                err_on_failed_lookup = true
                once = true
                """,
            json: """
                {"reload_signal": "SIGUSR1", "kill_signal": "term", "max_stale": "10m",
                 "block_query_wait": "61s", "log_level": "warn", "pid_file": "/var/run/retmpl.pid",
                 "template_error_fatal": false, "err_on_failed_lookup": true, "once": true}
                """,
            expected: config {
                $0.reloadSignal = signal("SIGUSR1")
                $0.killSignal = signal("SIGTERM")
                $0.maxStale = .seconds(600)
                $0.blockQueryWait = .seconds(61)
                $0.logLevel = "warn"
                $0.pidFile = "/var/run/retmpl.pid"
                $0.templateErrorFatal = false
                $0.errOnFailedLookup = true
                $0.once = true
            }),
        DecodeCase(
            name: "consul block, every key",
            hcl: """
                consul {
                  address = "127.0.0.1:8500"
                  token = "t0k"
                  token_file = "/etc/token"
                  namespace = "ns"
                  auth {
                    enabled = true
                    username = "u"
                    password = "p"
                  }
                  retry {
                    enabled = true
                    attempts = 12
                    backoff = "250ms"
                    max_backoff = "1m"
                  }
                  ssl {
                    enabled = true
                    verify = false
                    cert = "c.pem"
                    key = "k.pem"
                    ca_cert = "ca.pem"
                    ca_path = "/certs"
                    server_name = "consul.local"
                  }
                  transport {
                    dial_keep_alive = "10s"
                    dial_timeout = "11s"
                    disable_keep_alives = true
                    idle_conn_timeout = "12s"
                    max_idle_conns = 5
                    max_idle_conns_per_host = 100
                    max_conns_per_host = 7
                    tls_handshake_timeout = "30s"
                  }
                  rate_limit {
                    enabled = false
                    random_backoff = "33ms"
                    min_delay_between_updates = "500ms"
                  }
                }
                """,
            json: """
                {"consul": {"address": "127.0.0.1:8500", "token": "t0k", "token_file": "/etc/token", "namespace": "ns",
                  "auth": {"enabled": true, "username": "u", "password": "p"},
                  "retry": {"enabled": true, "attempts": 12, "backoff": "250ms", "max_backoff": "1m"},
                  "ssl": {"enabled": true, "verify": false, "cert": "c.pem", "key": "k.pem", "ca_cert": "ca.pem",
                          "ca_path": "/certs", "server_name": "consul.local"},
                  "transport": {"dial_keep_alive": "10s", "dial_timeout": "11s", "disable_keep_alives": true,
                                "idle_conn_timeout": "12s", "max_idle_conns": 5, "max_idle_conns_per_host": 100,
                                "max_conns_per_host": 7, "tls_handshake_timeout": "30s"},
                  "rate_limit": {"enabled": false, "random_backoff": "33ms", "min_delay_between_updates": "500ms"}}}
                """,
            expected: config {
                var c = ConsulConfig()
                c.address = "127.0.0.1:8500"
                c.token = "t0k"
                c.tokenFile = "/etc/token"
                c.namespace = "ns"
                c.auth = AuthConfig()
                c.auth?.enabled = true
                c.auth?.username = "u"
                c.auth?.password = "p"
                c.retry = RetryConfig()
                c.retry?.enabled = true
                c.retry?.attempts = 12
                c.retry?.backoff = .milliseconds(250)
                c.retry?.maxBackoff = .seconds(60)
                c.ssl = SSLConfig()
                c.ssl?.enabled = true
                c.ssl?.verify = false
                c.ssl?.cert = "c.pem"
                c.ssl?.key = "k.pem"
                c.ssl?.caCert = "ca.pem"
                c.ssl?.caPath = "/certs"
                c.ssl?.serverName = "consul.local"
                c.transport = TransportConfig()
                c.transport?.dialKeepAlive = .seconds(10)
                c.transport?.dialTimeout = .seconds(11)
                c.transport?.disableKeepAlives = true
                c.transport?.idleConnTimeout = .seconds(12)
                c.transport?.maxIdleConns = 5
                c.transport?.maxIdleConnsPerHost = 100
                c.transport?.maxConnsPerHost = 7
                c.transport?.tlsHandshakeTimeout = .seconds(30)
                c.rateLimit = RateLimitConfig()
                c.rateLimit?.enabled = false
                c.rateLimit?.randomBackoff = .milliseconds(33)
                c.rateLimit?.minDelayBetweenUpdates = .milliseconds(500)
                $0.consul = c
            }),
        DecodeCase(
            name: "consul as a string (pre-0.19 form)",
            hcl: #"consul = "10.0.0.1:8500""#,
            json: #"{"consul": "10.0.0.1:8500"}"#,
            expected: config {
                $0.consul = ConsulConfig()
                $0.consul?.address = "10.0.0.1:8500"
            }),
        DecodeCase(
            name: "wait block",
            hcl: "wait {\n  min = \"5s\"\n  max = \"10s\"\n}",
            json: #"{"wait": {"min": "5s", "max": "10s"}}"#,
            expected: config { $0.wait = WaitConfig(min: .seconds(5), max: .seconds(10)) }),
        DecodeCase(
            name: "wait string min:max",
            hcl: #"wait = "5s:10s""#,
            json: #"{"wait": "5s:10s"}"#,
            expected: config { $0.wait = WaitConfig(min: .seconds(5), max: .seconds(10)) }),
        DecodeCase(
            name: "wait string min only: max is 4x",
            hcl: #"wait = "1.5s""#,
            json: #"{"wait": "1.5s"}"#,
            expected: config { $0.wait = WaitConfig(min: .milliseconds(1500), max: .seconds(6)) }),
        DecodeCase(
            name: "exec block, every key",
            hcl: """
                exec {
                  command = "/usr/bin/app --flag"
                  enabled = true
                  splay = "5s"
                  reload_signal = "SIGHUP"
                  kill_signal = "SIGTERM"
                  kill_timeout = "2s"
                  timeout = "0"
                  env {
                    pristine = true
                    custom = ["PATH=/bin", "A=b"]
                    allowlist = ["CONSUL_*"]
                    whitelist = ["OLD_*", "CONSUL_*"]
                    denylist = ["VAULT_*"]
                    blacklist = ["SECRET_*"]
                  }
                }
                """,
            json: """
                {"exec": {"command": "/usr/bin/app --flag", "enabled": true, "splay": "5s", "reload_signal": "SIGHUP",
                  "kill_signal": "SIGTERM", "kill_timeout": "2s", "timeout": "0",
                  "env": {"pristine": true, "custom": ["PATH=/bin", "A=b"], "allowlist": ["CONSUL_*"],
                          "whitelist": ["OLD_*", "CONSUL_*"], "denylist": ["VAULT_*"], "blacklist": ["SECRET_*"]}}}
                """,
            expected: config {
                var e = ExecConfig()
                e.command = ["/usr/bin/app --flag"]
                e.enabled = true
                e.splay = .seconds(5)
                e.reloadSignal = signal("SIGHUP")
                e.killSignal = signal("SIGTERM")
                e.killTimeout = .seconds(2)
                e.timeout = .zero
                var env = EnvConfig()
                env.pristine = true
                env.custom = ["PATH=/bin", "A=b"]
                env.allowlist = ["CONSUL_*", "OLD_*"]
                env.denylist = ["VAULT_*", "SECRET_*"]
                e.env = env
                $0.exec = e
            }),
        DecodeCase(
            name: "exec command as a list, empty reload signal",
            hcl: "exec {\n  command = [\"/usr/bin/app\", \"-c\", \"x y\"]\n  reload_signal = \"\"\n}",
            json: #"{"exec": {"command": ["/usr/bin/app", "-c", "x y"], "reload_signal": ""}}"#,
            expected: config {
                $0.exec = ExecConfig()
                $0.exec?.command = ["/usr/bin/app", "-c", "x y"]
                $0.exec?.reloadSignal = .disabled
            }),
        DecodeCase(
            name: "syslog, log_file, deduplicate, default_delimiters",
            hcl: """
                syslog {
                  enabled = true
                  facility = "LOCAL5"
                  name = "retmpl"
                }
                log_file {
                  path = "/var/log/retmpl.log"
                  log_rotate_bytes = 1024000
                  log_rotate_duration = "3h"
                  log_rotate_max_files = 10
                }
                deduplicate {
                  enabled = true
                  prefix = "consul-template/dedup/"
                  max_stale = "100s"
                  TTL = "500s"
                  block_query_wait = "200s"
                }
                default_delimiters {
                  left = "<<"
                  right = ">>"
                }
                """,
            json: """
                {"syslog": {"enabled": true, "facility": "LOCAL5", "name": "retmpl"},
                 "log_file": {"path": "/var/log/retmpl.log", "log_rotate_bytes": 1024000,
                              "log_rotate_duration": "3h", "log_rotate_max_files": 10},
                 "deduplicate": {"enabled": true, "prefix": "consul-template/dedup/", "max_stale": "100s",
                                 "TTL": "500s", "block_query_wait": "200s"},
                 "default_delimiters": {"left": "<<", "right": ">>"}}
                """,
            expected: config {
                $0.syslog = SyslogConfig()
                $0.syslog?.enabled = true
                $0.syslog?.facility = "LOCAL5"
                $0.syslog?.name = "retmpl"
                $0.logFile = LogFileConfig()
                $0.logFile?.path = "/var/log/retmpl.log"
                $0.logFile?.logRotateBytes = 1_024_000
                $0.logFile?.logRotateDuration = .seconds(3 * 3600)
                $0.logFile?.logRotateMaxFiles = 10
                $0.deduplicate = DedupConfig()
                $0.deduplicate?.enabled = true
                $0.deduplicate?.prefix = "consul-template/dedup/"
                $0.deduplicate?.maxStale = .seconds(100)
                $0.deduplicate?.ttl = .seconds(500)
                $0.deduplicate?.blockQueryWait = .seconds(200)
                $0.defaultDelimiters = DelimiterConfig()
                $0.defaultDelimiters?.left = "<<"
                $0.defaultDelimiters?.right = ">>"
            }),
        DecodeCase(
            name: "template block, every key",
            hcl: """
                template {
                  source = "in.ctmpl"
                  destination = "out.conf"
                  contents = "{{ key \\"a\\" }}"
                  command = "service nginx reload"
                  command_timeout = "60s"
                  perms = 0600
                  backup = true
                  left_delimiter = "[["
                  right_delimiter = "]]"
                  wait {
                    min = "2s"
                    max = "10s"
                  }
                  create_dest_dirs = false
                  error_on_missing_key = true
                  error_fatal = false
                  function_denylist = ["plugin", "writeToFile"]
                  function_blacklist = ["env", "plugin"]
                  sandbox_path = "/srv"
                  user = "www"
                  group = "www-data"
                  exec {
                    command = ["restart", "service", "foo"]
                    timeout = "30s"
                  }
                  check_command = "nginx -t -c out.conf"
                  rollback_on_failure = true
                }
                """,
            json: """
                {"template": {"source": "in.ctmpl", "destination": "out.conf", "contents": "{{ key \\"a\\" }}",
                  "command": "service nginx reload", "command_timeout": "60s", "perms": "0600", "backup": true,
                  "left_delimiter": "[[", "right_delimiter": "]]", "wait": {"min": "2s", "max": "10s"},
                  "create_dest_dirs": false, "error_on_missing_key": true, "error_fatal": false,
                  "function_denylist": ["plugin", "writeToFile"], "function_blacklist": ["env", "plugin"],
                  "sandbox_path": "/srv", "user": "www", "group": "www-data",
                  "exec": {"command": ["restart", "service", "foo"], "timeout": "30s"},
                  "check_command": "nginx -t -c out.conf", "rollback_on_failure": true}}
                """,
            expected: config {
                $0.templates = [
                    template {
                        $0.source = "in.ctmpl"
                        $0.destination = "out.conf"
                        $0.contents = #"{{ key "a" }}"#
                        $0.command = ["service nginx reload"]
                        $0.commandTimeout = .seconds(60)
                        $0.perms = 0o600
                        $0.backup = true
                        $0.leftDelimiter = "[["
                        $0.rightDelimiter = "]]"
                        $0.wait = WaitConfig(min: .seconds(2), max: .seconds(10))
                        $0.createDestDirs = false
                        $0.errorOnMissingKey = true
                        $0.errorFatal = false
                        $0.functionDenylist = ["plugin", "writeToFile", "env"]
                        $0.sandboxPath = "/srv"
                        $0.user = "www"
                        $0.group = "www-data"
                        $0.exec = ExecConfig()
                        $0.exec?.command = ["restart", "service", "foo"]
                        $0.exec?.timeout = .seconds(30)
                        $0.checkCommand = ["nginx -t -c out.conf"]
                        $0.rollbackOnFailure = true
                    }
                ]
            }),
        DecodeCase(
            name: "several templates and their older spellings",
            hcl: """
                template {
                  perms = "644"
                  user = 1000
                  group = 1001
                  wait = "1s:3s"
                  check_command = ["haproxy", "-c", "-f", "cfg"]
                  function_blacklist = "env,file"
                }
                template {
                  uid = 33
                  gid = 34
                  command = ""
                }
                """,
            json: """
                {"template": [
                  {"perms": "644", "user": 1000, "group": 1001, "wait": "1s:3s",
                   "check_command": ["haproxy", "-c", "-f", "cfg"], "function_blacklist": "env,file"},
                  {"uid": 33, "gid": 34, "command": ""}]}
                """,
            expected: config {
                $0.templates = [
                    template {
                        $0.perms = 0o644
                        $0.user = "1000"
                        $0.group = "1001"
                        $0.wait = WaitConfig(min: .seconds(1), max: .seconds(3))
                        $0.checkCommand = ["haproxy", "-c", "-f", "cfg"]
                        $0.functionDenylist = ["env", "file"]
                    },
                    template {
                        $0.user = "33"
                        $0.group = "34"
                        $0.command = []
                    },
                ]
            }),
        DecodeCase(
            name: "a bare number for a duration is nanoseconds, as in consul-template",
            hcl: "max_stale = 1500000000\nexec { kill_timeout = 0 }",
            json: #"{"max_stale": 1500000000, "exec": {"kill_timeout": 0}}"#,
            expected: config {
                $0.maxStale = .milliseconds(1500)
                $0.exec = ExecConfig()
                $0.exec?.killTimeout = .zero
            }),
        DecodeCase(
            name: "repeated blocks in one file merge; keys ignore case",
            hcl: "consul { address = \"a\" }\nconsul { TOKEN = \"t\" }\nLog_Level = \"debug\"",
            json: #"{"consul": [{"address": "a"}, {"TOKEN": "t"}], "Log_Level": "debug"}"#,
            expected: config {
                $0.consul = ConsulConfig()
                $0.consul?.address = "a"
                $0.consul?.token = "t"
                $0.logLevel = "debug"
            }),
    ]

    @Test(arguments: cases)
    func hcl(_ c: DecodeCase) throws {
        let parsed = try ConfigFile.parse(c.hcl, path: "test.hcl")
        #expect(withoutOrigins(parsed) == c.expected)
    }

    @Test(arguments: cases)
    func json(_ c: DecodeCase) throws {
        let parsed = try ConfigFile.parse(c.json, path: "test.json")
        #expect(withoutOrigins(parsed) == c.expected)
    }

    @Test func vaultNomadAndTelemetryAreListedAsUnsupported() throws {
        let c = try ConfigFile.parse(
            "vault {\n  address = \"https://v:8200\"\n}\nnomad { address = \"n\" }\ntelemetry {}\n", path: "v.hcl")
        #expect(c.unsupported.map(\.key) == ["vault", "nomad", "telemetry"])
        #expect(c.unsupported.map(\.origin.description) == ["v.hcl:1:7", "v.hcl:4:7", "v.hcl:5:11"])
    }

    @Test func templateOriginsPointAtTheirBlocks() throws {
        let c = try ConfigFile.parse("log_level = \"info\"\n\ntemplate {\n}\n  template {}", path: "o.hcl")
        #expect(c.templates.map { $0.origin?.description } == ["o.hcl:3:10", "o.hcl:5:12"])
        let j = try ConfigFile.parse("{\"template\": [\n {},\n {}]}", path: "o.json")
        #expect(j.templates.map { $0.origin?.description } == ["o.json:2:2", "o.json:3:2"])
    }

    @Test func signalsParseWithOrWithoutPrefixAnyCase() {
        #expect(ConfigSignal(parsing: "SIGHUP")?.name == "SIGHUP")
        #expect(ConfigSignal(parsing: "hup")?.name == "SIGHUP")
        #expect(ConfigSignal(parsing: "sigusr2")?.name == "SIGUSR2")
        #expect(ConfigSignal(parsing: "SIGHUP")?.number == 1)
        #expect(ConfigSignal(parsing: "TERM")?.number == 15)
        #expect(ConfigSignal(parsing: "KILL")?.number == 9)
        #expect(ConfigSignal(parsing: "") == .disabled)
        #expect(ConfigSignal(parsing: "SIGFOO") == nil)
    }

    static let durations: [(String, Duration?)] = [
        ("5s", .seconds(5)), ("1m30s", .seconds(90)), ("250ms", .milliseconds(250)),
        ("1h2m3s4ms5us6ns", .nanoseconds(3_723_004_005_006)), ("1.5h", .seconds(5400)),
        ("-2s", .seconds(-2)), ("+3m", .seconds(180)), ("0", .zero), ("0s", .zero), (".5s", .milliseconds(500)),
        ("1µs", .microseconds(1)), ("1μs", .microseconds(1)), ("1.0000000001s", .seconds(1)),
        ("", nil), ("5", nil), ("s", nil), ("5 s", nil), ("5sec", nil), ("5d", nil), ("1.s", .seconds(1)),
        ("-", nil), ("9999999999h", nil),
    ]

    @Test(arguments: durations)
    func goDurations(text: String, expected: Duration?) {
        #expect(GoDuration.parse(text) == expected)
    }
}
