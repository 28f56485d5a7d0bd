/// Turns a syntax tree into a ``ConfigFile``, key by key, with
/// consul-template's names and conversions. Unknown keys are errors (as
/// consul-template's `ErrorUnused`), with a suggestion when one is close.
struct ConfigDecoder {
    private let read: ValueReader

    init(path: String) {
        read = ValueReader(path: path)
    }

    static let topKeys = [
        "consul", "reload_signal", "kill_signal", "max_stale", "block_query_wait", "log_level",
        "log_file", "pid_file", "syslog", "wait", "exec", "deduplicate", "default_delimiters",
        "template_error_fatal", "err_on_failed_lookup", "once", "template",
        "vault", "nomad", "telemetry",
    ]

    func decode(_ root: ConfigNode) throws(ConfigError) -> ConfigFile {
        guard case .object(let entries) = root.value else {
            throw read.error("a configuration file must be a set of keys", at: root.position)
        }
        var file = ConfigFile()
        try read.fields(entries, in: "", keys: Self.topKeys) { f throws(ConfigError) in
            switch f.key {
            case "consul": file.consul = merged(file.consul, try consul(f))
            case "reload_signal": file.reloadSignal = try read.signal(f)
            case "kill_signal": file.killSignal = try read.signal(f)
            case "max_stale": file.maxStale = try read.duration(f)
            case "block_query_wait": file.blockQueryWait = try read.duration(f)
            case "log_level": file.logLevel = try read.string(f)
            case "log_file": file.logFile = merged(file.logFile, try logFile(f))
            case "pid_file": file.pidFile = try read.string(f)
            case "syslog": file.syslog = merged(file.syslog, try syslog(f))
            case "wait": file.wait = merged(file.wait, try wait(f))
            case "exec": file.exec = merged(file.exec, try exec(f))
            case "deduplicate": file.deduplicate = merged(file.deduplicate, try dedup(f))
            case "default_delimiters": file.defaultDelimiters = merged(file.defaultDelimiters, try delimiters(f))
            case "template_error_fatal": file.templateErrorFatal = try read.bool(f)
            case "err_on_failed_lookup": file.errOnFailedLookup = try read.bool(f)
            case "once": file.once = try read.bool(f)
            case "template": file.templates += try templates(f)
            default:
                file.unsupported.append(
                    UnsupportedSetting(key: f.key, origin: ConfigOrigin(path: read.path, position: f.node.position)))
            }
        }
        return file
    }

    private func merged<T: ConfigMergeable>(_ earlier: T?, _ later: T) -> T {
        earlier.map { $0.merging(later) } ?? later
    }

    /// Reads a block (or each of a list of blocks, merged) into `T`.
    private func block<T: ConfigMergeable>(
        _ f: Field, _ empty: T, keys: [String], _ set: (inout T, Field) throws(ConfigError) -> Void
    ) throws(ConfigError) -> T {
        var result: T?
        for entries in try read.objects(f) {
            var item = empty
            try read.fields(entries, in: f.name, keys: keys) { g throws(ConfigError) in try set(&item, g) }
            result = merged(result, item)
        }
        return result ?? empty
    }

    private func consul(_ f: Field) throws(ConfigError) -> ConsulConfig {
        // consul-template still accepts the pre-0.19 `consul = "host:port"`.
        if case .string(let address) = f.node.value {
            var c = ConsulConfig()
            c.address = address
            return c
        }
        let keys = ["address", "token", "token_file", "namespace", "auth", "retry", "ssl", "transport", "rate_limit"]
        return try block(f, ConsulConfig(), keys: keys) { c, g throws(ConfigError) in
            switch g.key {
            case "address": c.address = try read.string(g)
            case "token": c.token = try read.string(g)
            case "token_file": c.tokenFile = try read.string(g)
            case "namespace": c.namespace = try read.string(g)
            case "auth": c.auth = merged(c.auth, try auth(g))
            case "retry": c.retry = merged(c.retry, try retry(g))
            case "ssl": c.ssl = merged(c.ssl, try ssl(g))
            case "transport": c.transport = merged(c.transport, try transport(g))
            default: c.rateLimit = merged(c.rateLimit, try rateLimit(g))
            }
        }
    }

    private func auth(_ f: Field) throws(ConfigError) -> AuthConfig {
        try block(f, AuthConfig(), keys: ["enabled", "username", "password"]) { a, g throws(ConfigError) in
            switch g.key {
            case "enabled": a.enabled = try read.bool(g)
            case "username": a.username = try read.string(g)
            default: a.password = try read.string(g)
            }
        }
    }

    private func retry(_ f: Field) throws(ConfigError) -> RetryConfig {
        try block(f, RetryConfig(), keys: ["enabled", "attempts", "backoff", "max_backoff"]) { r, g throws(ConfigError) in
            switch g.key {
            case "enabled": r.enabled = try read.bool(g)
            case "attempts": r.attempts = try read.int(g)
            case "backoff": r.backoff = try read.duration(g)
            default: r.maxBackoff = try read.duration(g)
            }
        }
    }

    private func ssl(_ f: Field) throws(ConfigError) -> SSLConfig {
        let keys = ["enabled", "verify", "cert", "key", "ca_cert", "ca_path", "server_name"]
        return try block(f, SSLConfig(), keys: keys) { s, g throws(ConfigError) in
            switch g.key {
            case "enabled": s.enabled = try read.bool(g)
            case "verify": s.verify = try read.bool(g)
            case "cert": s.cert = try read.string(g)
            case "key": s.key = try read.string(g)
            case "ca_cert": s.caCert = try read.string(g)
            case "ca_path": s.caPath = try read.string(g)
            default: s.serverName = try read.string(g)
            }
        }
    }

    private func transport(_ f: Field) throws(ConfigError) -> TransportConfig {
        let keys = [
            "dial_keep_alive", "dial_timeout", "disable_keep_alives", "idle_conn_timeout", "max_idle_conns",
            "max_idle_conns_per_host", "max_conns_per_host", "tls_handshake_timeout",
        ]
        return try block(f, TransportConfig(), keys: keys) { t, g throws(ConfigError) in
            switch g.key {
            case "dial_keep_alive": t.dialKeepAlive = try read.duration(g)
            case "dial_timeout": t.dialTimeout = try read.duration(g)
            case "disable_keep_alives": t.disableKeepAlives = try read.bool(g)
            case "idle_conn_timeout": t.idleConnTimeout = try read.duration(g)
            case "max_idle_conns": t.maxIdleConns = try read.int(g)
            case "max_idle_conns_per_host": t.maxIdleConnsPerHost = try read.int(g)
            case "max_conns_per_host": t.maxConnsPerHost = try read.int(g)
            default: t.tlsHandshakeTimeout = try read.duration(g)
            }
        }
    }

    private func rateLimit(_ f: Field) throws(ConfigError) -> RateLimitConfig {
        let keys = ["enabled", "random_backoff", "min_delay_between_updates"]
        return try block(f, RateLimitConfig(), keys: keys) { r, g throws(ConfigError) in
            switch g.key {
            case "enabled": r.enabled = try read.bool(g)
            case "random_backoff": r.randomBackoff = try read.duration(g)
            default: r.minDelayBetweenUpdates = try read.duration(g)
            }
        }
    }

    private func logFile(_ f: Field) throws(ConfigError) -> LogFileConfig {
        let keys = ["path", "log_rotate_bytes", "log_rotate_duration", "log_rotate_max_files"]
        return try block(f, LogFileConfig(), keys: keys) { l, g throws(ConfigError) in
            switch g.key {
            case "path": l.path = try read.string(g)
            case "log_rotate_bytes": l.logRotateBytes = try read.int(g)
            case "log_rotate_duration": l.logRotateDuration = try read.duration(g)
            default: l.logRotateMaxFiles = try read.int(g)
            }
        }
    }

    private func syslog(_ f: Field) throws(ConfigError) -> SyslogConfig {
        try block(f, SyslogConfig(), keys: ["enabled", "facility", "name"]) { s, g throws(ConfigError) in
            switch g.key {
            case "enabled": s.enabled = try read.bool(g)
            case "facility": s.facility = try read.string(g)
            default: s.name = try read.string(g)
            }
        }
    }

    private func wait(_ f: Field) throws(ConfigError) -> WaitConfig {
        if case .string(let s) = f.node.value { return try read.waitString(f, s) }
        return try block(f, WaitConfig(), keys: ["min", "max"]) { w, g throws(ConfigError) in
            if g.key == "min" { w.min = try read.duration(g) } else { w.max = try read.duration(g) }
        }
    }

    private func exec(_ f: Field) throws(ConfigError) -> ExecConfig {
        let keys = ["command", "enabled", "env", "kill_signal", "kill_timeout", "reload_signal", "splay", "timeout"]
        return try block(f, ExecConfig(), keys: keys) { e, g throws(ConfigError) in
            switch g.key {
            case "command": e.command = try read.command(g)
            case "enabled": e.enabled = try read.bool(g)
            case "env": e.env = merged(e.env, try env(g))
            case "kill_signal": e.killSignal = try read.signal(g)
            case "kill_timeout": e.killTimeout = try read.duration(g)
            case "reload_signal": e.reloadSignal = try read.signal(g)
            case "splay": e.splay = try read.duration(g)
            default: e.timeout = try read.duration(g)
            }
        }
    }

    private func env(_ f: Field) throws(ConfigError) -> EnvConfig {
        let keys = ["pristine", "custom", "allowlist", "denylist", "whitelist", "blacklist"]
        var whitelist: [String]?
        var blacklist: [String]?
        var env = try block(f, EnvConfig(), keys: keys) { e, g throws(ConfigError) in
            switch g.key {
            case "pristine": e.pristine = try read.bool(g)
            case "custom": e.custom = try read.stringList(g)
            case "allowlist": e.allowlist = try read.stringList(g)
            case "denylist": e.denylist = try read.stringList(g)
            case "whitelist": whitelist = try read.stringList(g)
            default: blacklist = try read.stringList(g)
            }
        }
        env.allowlist = combined(env.allowlist, whitelist)
        env.denylist = combined(env.denylist, blacklist)
        return env
    }

    private func dedup(_ f: Field) throws(ConfigError) -> DedupConfig {
        let keys = ["enabled", "prefix", "max_stale", "ttl", "block_query_wait"]
        return try block(f, DedupConfig(), keys: keys) { d, g throws(ConfigError) in
            switch g.key {
            case "enabled": d.enabled = try read.bool(g)
            case "prefix": d.prefix = try read.string(g)
            case "max_stale": d.maxStale = try read.duration(g)
            case "ttl": d.ttl = try read.duration(g)
            default: d.blockQueryWait = try read.duration(g)
            }
        }
    }

    private func delimiters(_ f: Field) throws(ConfigError) -> DelimiterConfig {
        try block(f, DelimiterConfig(), keys: ["left", "right"]) { d, g throws(ConfigError) in
            if g.key == "left" { d.left = try read.string(g) } else { d.right = try read.string(g) }
        }
    }

    static let templateKeys = [
        "source", "destination", "contents", "command", "command_timeout", "perms", "backup",
        "left_delimiter", "right_delimiter", "wait", "create_dest_dirs", "error_on_missing_key",
        "error_fatal", "function_denylist", "function_blacklist", "sandbox_path", "user", "group",
        "uid", "gid", "exec", "check_command", "rollback_on_failure",
    ]

    /// Each `template` block is its own template (never merged with another).
    private func templates(_ f: Field) throws(ConfigError) -> [TemplateConfig] {
        var result: [TemplateConfig] = []
        let objects = try read.objects(f)
        for (index, entries) in objects.enumerated() {
            var t = TemplateConfig()
            var position = f.node.position
            if case .list(let items) = f.node.value { position = items[index].position }
            t.origin = ConfigOrigin(path: read.path, position: position)
            var uid: String?
            var gid: String?
            var blacklist: [String]?
            try read.fields(entries, in: f.name, keys: Self.templateKeys) { g throws(ConfigError) in
                switch g.key {
                case "source": t.source = try read.string(g)
                case "destination": t.destination = try read.string(g)
                case "contents": t.contents = try read.string(g)
                case "command": t.command = try read.command(g)
                case "command_timeout": t.commandTimeout = try read.duration(g)
                case "perms": t.perms = try read.perms(g)
                case "backup": t.backup = try read.bool(g)
                case "left_delimiter": t.leftDelimiter = try read.string(g)
                case "right_delimiter": t.rightDelimiter = try read.string(g)
                case "wait": t.wait = merged(t.wait, try wait(g))
                case "create_dest_dirs": t.createDestDirs = try read.bool(g)
                case "error_on_missing_key": t.errorOnMissingKey = try read.bool(g)
                case "error_fatal": t.errorFatal = try read.bool(g)
                case "function_denylist": t.functionDenylist = try read.stringList(g)
                case "function_blacklist": blacklist = try read.stringList(g)
                case "sandbox_path": t.sandboxPath = try read.string(g)
                case "user": t.user = try read.stringOrNumber(g)
                case "group": t.group = try read.stringOrNumber(g)
                case "uid": uid = String(try read.int(g))
                case "gid": gid = String(try read.int(g))
                case "exec": t.exec = merged(t.exec, try exec(g))
                case "check_command": t.checkCommand = try read.command(g)
                default: t.rollbackOnFailure = try read.bool(g)
                }
            }
            // The older spellings fill in only what the newer ones leave unset.
            t.user = t.user ?? uid
            t.group = t.group ?? gid
            t.functionDenylist = combined(t.functionDenylist, blacklist)
            result.append(t)
        }
        return result
    }

    /// `primary` followed by the entries of `older` it lacks (consul-template's
    /// `combineLists`); nil only when both are.
    private func combined(_ primary: [String]?, _ older: [String]?) -> [String]? {
        guard let older else { return primary }
        var result = primary ?? []
        for v in older where !result.contains(v) { result.append(v) }
        return result
    }
}
