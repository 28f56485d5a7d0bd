import Testing

@testable import RetmplConfig

/// Decoding errors: each names the file, line and column of the offending key
/// or value, and says what was expected.
@Suite struct ConfigErrorTests {
    static let cases: [(String, String, String)] = [
        // Unknown keys, with a suggestion when one is close.
        ("app.hcl", "template {\n  source = \"a\"\n  destinaton = \"b\"\n}",
         #"app.hcl:3:3: unknown key "destinaton" in template (did you mean "destination"?)"#),
        ("app.hcl", "log_levle = \"info\"",
         #"app.hcl:1:1: unknown key "log_levle" (did you mean "log_level"?)"#),
        ("app.hcl", "consul {\n  ssl {\n    verfy = true\n  }\n}",
         #"app.hcl:3:5: unknown key "verfy" in consul.ssl (did you mean "verify"?)"#),
        ("app.hcl", "not_a_valid_key = \"hello\"", #"app.hcl:1:1: unknown key "not_a_valid_key""#),
        ("app.hcl", "template \"web\" {\n  source = \"a\"\n}", #"app.hcl:1:10: unknown key "web" in template"#),
        ("app.json", "{\n  \"exec\": {\"comand\": \"x\"}\n}",
         #"app.json:2:12: unknown key "comand" in exec (did you mean "command"?)"#),
        // Wrong types.
        ("app.hcl", "consul = true", "app.hcl:1:10: consul: expected a block, found bool"),
        ("app.hcl", "consul {\n  address = 8500\n}", "app.hcl:2:13: consul.address: expected a string, found number"),
        ("app.hcl", "once = \"yes\"", "app.hcl:1:8: once: expected a bool, found string"),
        ("app.hcl", "consul { retry { attempts = \"3\" } }",
         "app.hcl:1:29: consul.retry.attempts: expected an integer, found string"),
        ("app.hcl", "template {\n  command = [\"a\", 1]\n}",
         "app.hcl:2:19: template.command: expected a list of strings, found a number in it"),
        ("app.hcl", "template {\n  backup = [true]\n}", "app.hcl:2:12: template.backup: expected a bool, found list"),
        ("app.json", "{\"template\": [{\"source\": \"a\"}, 3]}",
         "app.json:1:32: template: expected a block, found number"),
        ("app.json", "{\n \"wait\": {\"min\": true}}", "app.json:2:18: wait.min: expected a duration string such as \"5s\", found bool"),
        // Bad durations.
        ("app.hcl", "max_stale = \"10 minutes\"",
         #"app.hcl:1:13: max_stale: invalid duration "10 minutes" (expected a number with a unit, e.g. "5s", "1m30s", "250ms")"#),
        ("app.hcl", "template {\n  wait {\n    min = \"5\"\n  }\n}",
         #"app.hcl:3:11: template.wait.min: invalid duration "5" (expected a number with a unit, e.g. "5s", "1m30s", "250ms")"#),
        ("app.hcl", "wait = \"5s:1s\"", "app.hcl:1:8: wait: wait min must not exceed max"),
        ("app.hcl", "wait = \"1s:2s:3s\"", #"app.hcl:1:8: wait: invalid wait "1s:2s:3s" (expected "min" or "min:max")"#),
        ("app.hcl", "wait = \"\"", "app.hcl:1:8: wait: wait cannot be empty"),
        // Bad signals.
        ("app.hcl", "reload_signal = \"SIGHUPP\"",
         #"app.hcl:1:17: reload_signal: unknown signal "SIGHUPP" (did you mean "SIGHUP"?)"#),
        ("app.hcl", "exec {\n  kill_signal = \"usr3\"\n}",
         #"app.hcl:2:17: exec.kill_signal: unknown signal "usr3" (did you mean "SIGUSR1"?)"#),
        ("app.hcl", "kill_signal = \"nope\"",
         #"app.hcl:1:15: kill_signal: unknown signal "nope" (valid signals are SIGABRT, SIGALRM, SIGBUS, SIGCHLD, SIGCONT, SIGFPE, SIGHUP, SIGILL, SIGINT, SIGIO, SIGIOT, SIGKILL, SIGPIPE, SIGPROF, SIGQUIT, SIGSEGV, SIGSTOP, SIGSYS, SIGTERM, SIGTRAP, SIGTSTP, SIGTTIN, SIGTTOU, SIGURG, SIGUSR1, SIGUSR2, SIGWINCH, SIGXCPU, SIGXFSZ)"#),
        // Modes.
        ("app.hcl", "template {\n  perms = \"0899\"\n}",
         #"app.hcl:2:11: template.perms: invalid file mode "0899" (expected octal, e.g. "0644")"#),
        ("app.hcl", "template {\n  perms = 70000\n}",
         "app.hcl:2:11: template.perms: file mode 70000 is out of range (expected at most 07777)"),
        // Syntax errors come out of the same entry point.
        ("app.hcl", "template {\n  source = \"in.ctmpl\n}", "app.hcl:2:12: string literal not terminated"),
    ]

    @Test(arguments: cases)
    func reportsLocation(path: String, source: String, expected: String) {
        #expect(throws: ConfigError.self) { try ConfigFile.parse(source, path: path) }
        do {
            _ = try ConfigFile.parse(source, path: path)
        } catch {
            #expect(error.description == expected)
        }
    }

    @Test func errorFields() {
        do {
            _ = try ConfigFile.parse("a = 1\n  b = 2", path: "/etc/x.hcl")
            Issue.record("no error")
        } catch {
            #expect(error.path == "/etc/x.hcl")
            #expect(error.line == 1)
            #expect(error.column == 1)
            #expect(error.message == #"unknown key "a""#)
        }
    }
}
