import RetmplRegistry
import RetmplRuntime

/// consul-template's command-line flags (minus Vault and Nomad), parsed by
/// Go's `flag` rules onto ``DaemonOptions``.
enum DaemonFlags {
    static func definitions() -> GoFlags {
        var f = GoFlags()
        f.value("config", "PATH", "config file or directory (HCL or JSON); repeatable, merged left to right")
        f.value("template", "SRC[:DEST[:CMD]]", topic: "Templates", "template to render; repeatable")
        f.value("wait", "MIN[:MAX]", topic: "Templates", "quiescence: render after MIN quiet, at most MAX after a change (MAX = 4×MIN)")
        f.bool("once", "render every template once, run the commands, and exit")
        f.bool("dry", "print renderings to stdout (\"> destination\" then the contents) instead of writing")
        f.bool("diff", "with -dry: print a unified diff against each destination's current contents")
        f.bool("parse-only", "parse the templates and configuration, then exit")
        f.value("default-left-delimiter", "X", topic: "Templates", "left delimiter for templates that set none")
        f.value("default-right-delimiter", "Y", topic: "Templates", "right delimiter for templates that set none")
        f.bool("template-error-fatal", topic: "Templates", "exit when a template fails to render (default false: keep the last good output)")
        f.bool("err-on-failed-lookup", topic: "Templates", "a missing map key is an error")
        f.value("log-level", "LEVEL", "trace, debug, info, warn or err (also CONSUL_TEMPLATE_LOG)")
        f.value("pid-file", "PATH", "write the process id to PATH")
        f.value("kill-signal", "SIG", "signal that stops retmpl (default SIGINT)")
        f.value("reload-signal", "SIG", "signal that reloads the configuration (default SIGHUP)")
        f.value("snapshot", "FILE", topic: "Data", "read registry data from a snapshot file (re-read when it changes) instead of Consul")
        f.value("missing-timeout", "DURATION", topic: "Data", "log data still missing after this long; with -once, fail (default 30s)")
        f.value("consul-addr", "ADDR", topic: "Consul", "Consul address: host:port, http://host:port or unix:///path (CONSUL_HTTP_ADDR)")
        f.value("consul-token", "TOKEN", topic: "Consul", "ACL token (CONSUL_HTTP_TOKEN)")
        f.value("consul-token-file", "PATH", topic: "Consul", "file holding the ACL token (CONSUL_HTTP_TOKEN_FILE)")
        f.value("consul-auth", "USER[:PASS]", topic: "Consul", "HTTP basic auth")
        f.bool("consul-retry", topic: "Consul", "retry failed reads (default true)")
        f.value("consul-retry-attempts", "N", topic: "Consul", "attempts before giving up; 0 = forever (default 0)")
        f.value("consul-retry-backoff", "DURATION", topic: "Consul", "first retry delay, doubled each attempt (default 250ms)")
        f.value("consul-retry-max-backoff", "DURATION", topic: "Consul", "longest retry delay (default 1m)")
        f.value("max-stale", "DURATION", topic: "Consul", "allow stale reads this old; 0 = consistent reads (default 2s)")
        f.value("block-query-wait", "DURATION", topic: "Consul", "wait of blocking queries (default 60s)")
        defineSSL(&f)
        // Accepted so consul-template command lines keep working; retmpl's own
        // HTTP client has no such knobs, so they are reported and ignored.
        f.value("consul-transport-dial-keep-alive", "DURATION", topic: "Consul", "accepted, ignored")
        f.value("consul-transport-dial-timeout", "DURATION", topic: "Consul", "accepted, ignored")
        f.bool("consul-transport-disable-keep-alives", topic: "Consul", "accepted, ignored")
        f.value("consul-transport-max-idle-conns-per-host", "N", topic: "Consul", "accepted, ignored")
        f.value("consul-transport-tls-handshake-timeout", "DURATION", topic: "Consul", "accepted, ignored")
        f.bool("syslog", topic: "Logging", "not supported: logs go to stderr (journald collects them under systemd)")
        f.value("syslog-facility", "NAME", topic: "Logging", "accepted, ignored")
        f.value("syslog-name", "NAME", topic: "Logging", "accepted, ignored")
        f.bool("dedup", topic: "Consul", "not supported (de-duplication mode)")
        f.bool("command-failure-fatal", topic: "Commands", "exit when a command fails (consul-template's behaviour; default false)")
        f.value("exec", "COMMAND", topic: "Exec", "run COMMAND (under sh -c) once every template rendered; signal or restart it on change")
        f.value("exec-reload-signal", "SIG", topic: "Exec", "signal sent to the child on change (default: none, restart it)")
        f.value("exec-kill-signal", "SIG", topic: "Exec", "signal that stops the child (default SIGINT)")
        f.value("exec-kill-timeout", "DURATION", topic: "Exec", "wait this long for the child to stop, then SIGKILL (default 30s)")
        f.value("exec-splay", "DURATION", topic: "Exec", "random delay before signalling or restarting the child (default 0)")
        f.bool("exec-env-pristine", topic: "Exec", "start the child with an empty environment (plus -exec-env-custom)")
        f.value("exec-env-custom", "K=V", topic: "Exec", "environment variable for the child; repeatable")
        f.value("exec-env-allowlist", "GLOB", topic: "Exec", "only pass variables matching GLOB; repeatable")
        f.value("exec-env-denylist", "GLOB", topic: "Exec", "never pass variables matching GLOB; repeatable")
        f.bool("v", "print the version and exit")
        f.bool("version", "print the version and exit")
        return f
    }

    /// Applies parsed flags on top of `options` (flags win over config files).
    static func apply(_ f: GoFlags, to options: inout DaemonOptions) throws(FlagError) {
        for value in f.all("template") {
            let parsed = try TemplateFlag(parsing: value)
            var t = DaemonOptions.Template()
            t.source = parsed.source
            t.destination = parsed.destination
            t.command = parsed.command.map { [$0] }
            options.templates.append(t)
        }
        if let v = f.string("wait") { options.wait = try parseWait(v) }
        if f.isSet("once") { options.once = f.flag("once") }
        if f.isSet("dry") { options.dry = f.flag("dry") }
        if f.isSet("diff") { options.diff = f.flag("diff") }
        for name in ["consul-transport-dial-keep-alive", "consul-transport-dial-timeout", "consul-transport-disable-keep-alives",
                     "consul-transport-max-idle-conns-per-host", "consul-transport-tls-handshake-timeout",
                     "syslog", "syslog-facility", "syslog-name"] where f.isSet(name) {
            options.warnings.append("-\(name) is accepted for compatibility and ignored")
        }
        if f.flag("dedup") { throw FlagError("-dedup (de-duplication mode) is not supported") }
        if f.isSet("parse-only") { options.parseOnly = f.flag("parse-only") }
        if let v = f.string("default-left-delimiter") { options.defaultLeftDelimiter = v }
        if let v = f.string("default-right-delimiter") { options.defaultRightDelimiter = v }
        if f.isSet("template-error-fatal") { options.templateErrorFatal = f.flag("template-error-fatal") }
        if f.isSet("err-on-failed-lookup") { options.errOnFailedLookup = f.flag("err-on-failed-lookup") }
        if f.isSet("command-failure-fatal") { options.commandFailureFatal = f.flag("command-failure-fatal") }
        if let v = f.string("log-level") { options.logLevel = try parseLogLevel(v) }
        if let v = f.string("pid-file") { options.pidFile = v }
        if let v = f.string("kill-signal") { options.killSignal = try signal(v, "kill-signal") }
        if let v = f.string("reload-signal") { options.reloadSignal = try signal(v, "reload-signal") }
        if let v = f.string("snapshot") { options.snapshot = v }
        if let v = f.string("missing-timeout") { options.missingTimeout = try parseDuration(v, what: "-missing-timeout") }
        if let v = f.string("consul-addr") { options.consulAddress = v }
        if let v = f.string("consul-token") { options.consulToken = v }
        if let v = f.string("consul-token-file") { options.consulTokenFile = v }
        if let v = f.string("consul-auth") { options.consulAuth = v }
        if f.isSet("consul-retry") { options.retry.enabled = f.flag("consul-retry") }
        if let v = f.string("consul-retry-attempts") {
            guard let n = Int(v), n >= 0 else { throw FlagError("invalid -consul-retry-attempts \"\(v)\": expected a whole number") }
            options.retry.attempts = n
        }
        if let v = f.string("consul-retry-backoff") { options.retry.backoff = try parseDuration(v, what: "-consul-retry-backoff") }
        if let v = f.string("consul-retry-max-backoff") { options.retry.maxBackoff = try parseDuration(v, what: "-consul-retry-max-backoff") }
        if let v = f.string("max-stale") { options.maxStale = try parseDuration(v, what: "-max-stale") }
        if let v = f.string("block-query-wait") { options.blockQueryWait = try parseDuration(v, what: "-block-query-wait") }
        applySSL(f, to: &options)
        if let command = f.string("exec") {
            var exec = options.exec ?? DaemonOptions.Exec()
            exec.command = [command]
            options.exec = exec
        }
        let execFlags = ["exec-reload-signal", "exec-kill-signal", "exec-kill-timeout", "exec-splay", "exec-env-pristine",
                         "exec-env-custom", "exec-env-allowlist", "exec-env-denylist"]
        if execFlags.contains(where: f.isSet) {
            guard var exec = options.exec else { throw FlagError("-\(execFlags.first(where: f.isSet) ?? "exec-*") needs -exec or an exec block") }
            if let v = f.string("exec-reload-signal") { exec.reloadSignal = try signal(v, "exec-reload-signal") }
            if let v = f.string("exec-kill-signal") {
                guard let n = try signal(v, "exec-kill-signal") else { throw FlagError("-exec-kill-signal cannot be empty") }
                exec.killSignal = n
            }
            if let v = f.string("exec-kill-timeout") { exec.killTimeout = try parseDuration(v, what: "-exec-kill-timeout") }
            if let v = f.string("exec-splay") { exec.splay = try parseDuration(v, what: "-exec-splay") }
            if f.isSet("exec-env-pristine") { exec.pristine = f.flag("exec-env-pristine") }
            exec.custom += f.all("exec-env-custom")
            exec.allowlist += f.all("exec-env-allowlist")
            exec.denylist += f.all("exec-env-denylist")
            options.exec = exec
        }
    }

    /// The `-consul-ssl*` flags, shared with `retmpl snapshot`.
    static func defineSSL(_ f: inout GoFlags) {
        f.bool("consul-ssl", topic: "Consul TLS", "use HTTPS with a host:port address; an https:// address needs no flag (CONSUL_HTTP_SSL)")
        f.bool("consul-ssl-verify", topic: "Consul TLS", "verify the server certificate and name (default true; CONSUL_HTTP_SSL_VERIFY)")
        f.value("consul-ssl-cert", "PATH", topic: "Consul TLS", "PEM client certificate, for servers with verify_incoming (CONSUL_CLIENT_CERT)")
        f.value("consul-ssl-key", "PATH", topic: "Consul TLS", "PEM key of the client certificate (CONSUL_CLIENT_KEY)")
        f.value("consul-ssl-ca-cert", "PATH", topic: "Consul TLS", "PEM CA certificates to trust instead of the system's (CONSUL_CACERT)")
        f.value("consul-ssl-ca-path", "PATH", topic: "Consul TLS", "directory of PEM CA certificates to trust (CONSUL_CAPATH)")
        f.value("consul-ssl-server-name", "NAME", topic: "Consul TLS", "name to send (SNI) and verify instead of the address's host (CONSUL_TLS_SERVER_NAME)")
    }

    static func applySSL(_ f: GoFlags, to options: inout DaemonOptions) {
        if f.isSet("consul-ssl") { options.ssl.enabled = f.flag("consul-ssl") }
        if f.isSet("consul-ssl-verify") { options.ssl.verify = f.flag("consul-ssl-verify") }
        if let v = f.string("consul-ssl-cert") { options.ssl.cert = v }
        if let v = f.string("consul-ssl-key") { options.ssl.key = v }
        if let v = f.string("consul-ssl-ca-cert") { options.ssl.caCert = v }
        if let v = f.string("consul-ssl-ca-path") { options.ssl.caPath = v }
        if let v = f.string("consul-ssl-server-name") { options.ssl.serverName = v }
    }

    /// A signal name; "" disables the signal.
    private static func signal(_ v: String, _ flag: String) throws(FlagError) -> Int32? {
        if v.isEmpty { return nil }
        guard let n = signalNumber(v) else { throw FlagError("invalid -\(flag) \"\(v)\": unknown signal") }
        return n
    }

    static func parseLogLevel(_ text: String) throws(FlagError) -> RuntimeEvent.Level {
        switch text.lowercased() {
        case "trace": return .trace
        case "debug": return .debug
        case "info": return .info
        case "warn", "warning": return .warn
        case "err", "error": return .error
        default: throw FlagError("invalid log level \"\(text)\": expected trace, debug, info, warn or err")
        }
    }
}
