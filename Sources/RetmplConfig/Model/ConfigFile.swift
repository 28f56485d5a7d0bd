/// One configuration file (or several merged), as consul-template reads it.
///
/// Every setting is optional: `nil` means "not set here", so files (and the
/// command line, built as another `ConfigFile`) can be merged left to right
/// with ``merging(_:)`` before defaults are applied. Keys and meanings follow
/// consul-template's `docs/configuration.md`; Vault, Nomad and telemetry
/// blocks are accepted but only listed in ``unsupported``.
public struct ConfigFile: Sendable, Hashable {
    /// `consul { … }` (or the older `consul = "host:port"`).
    public var consul: ConsulConfig?
    /// `reload_signal`: the signal that makes retmpl reload (default SIGHUP).
    public var reloadSignal: ConfigSignal?
    /// `kill_signal`: the signal for a graceful stop (default SIGINT).
    public var killSignal: ConfigSignal?
    /// `max_stale`: how stale Consul data may be when read from a follower.
    public var maxStale: Duration?
    /// `block_query_wait`: the `wait` of Consul blocking queries.
    public var blockQueryWait: Duration?
    /// `log_level`: trace, debug, info, warn, err (case as written).
    public var logLevel: String?
    /// `log_file { … }`.
    public var logFile: LogFileConfig?
    /// `pid_file`: where to write the process id.
    public var pidFile: String?
    /// `syslog { … }` (accepted; whether it is honoured is the runtime's call).
    public var syslog: SyslogConfig?
    /// `wait { min max }` or `wait = "5s:10s"`: global quiescence timers.
    public var wait: WaitConfig?
    /// `exec { … }`: supervise a child process.
    public var exec: ExecConfig?
    /// `deduplicate { … }` (accepted; de-duplication mode is not implemented).
    public var deduplicate: DedupConfig?
    /// `default_delimiters { left right }`: delimiters for templates that set none.
    public var defaultDelimiters: DelimiterConfig?
    /// `template_error_fatal`: whether a template error stops retmpl.
    public var templateErrorFatal: Bool?
    /// `err_on_failed_lookup`: fail when a lookup finds nothing.
    public var errOnFailedLookup: Bool?
    /// `once`: render once and exit.
    public var once: Bool?
    /// Every `template { … }` block, in file order; merging appends.
    public var templates: [TemplateConfig]
    /// Blocks consul-template knows but retmpl does not implement (`vault`,
    /// `nomad`, `telemetry`), so the caller can warn about them.
    public var unsupported: [UnsupportedSetting]

    public init() {
        templates = []
        unsupported = []
    }
}

/// Where a block came from, so later errors (a template with neither source
/// nor contents) can point at it.
public struct ConfigOrigin: Sendable, Hashable, CustomStringConvertible {
    public var path: String
    public var position: ConfigPosition

    public init(path: String, position: ConfigPosition) {
        self.path = path
        self.position = position
    }

    /// `path:line:col`.
    public var description: String { "\(path):\(position)" }
}

/// A setting retmpl accepts but ignores.
public struct UnsupportedSetting: Sendable, Hashable {
    /// The top-level key, e.g. `vault`.
    public var key: String
    public var origin: ConfigOrigin

    public init(key: String, origin: ConfigOrigin) {
        self.key = key
        self.origin = origin
    }
}

/// `consul { … }`.
public struct ConsulConfig: Sendable, Hashable {
    /// `address`: `host:port` or a URL of the Consul agent.
    public var address: String?
    /// `token`: the ACL token.
    public var token: String?
    /// `token_file`: a file holding the ACL token.
    public var tokenFile: String?
    /// `namespace`: the Consul Enterprise namespace.
    public var namespace: String?
    /// `auth { … }`: HTTP basic authentication.
    public var auth: AuthConfig?
    /// `retry { … }`: back-off after errors.
    public var retry: RetryConfig?
    /// `ssl { … }`: TLS to the agent.
    public var ssl: SSLConfig?
    /// `transport { … }`: connection tuning.
    public var transport: TransportConfig?
    /// `rate_limit { … }`.
    public var rateLimit: RateLimitConfig?

    public init() {}
}

/// `consul { auth { … } }`: HTTP basic authentication.
public struct AuthConfig: Sendable, Hashable {
    public var enabled: Bool?
    public var username: String?
    public var password: String?

    public init() {}
}

/// `consul { retry { … } }`: exponential back-off after Consul errors.
public struct RetryConfig: Sendable, Hashable {
    public var enabled: Bool?
    /// `attempts`: 0 retries forever.
    public var attempts: Int?
    /// `backoff`: the first sleep; each retry doubles it.
    public var backoff: Duration?
    /// `max_backoff`: the cap on one sleep; 0 means none.
    public var maxBackoff: Duration?

    public init() {}
}

/// `consul { ssl { … } }`.
public struct SSLConfig: Sendable, Hashable {
    public var enabled: Bool?
    public var verify: Bool?
    public var cert: String?
    public var key: String?
    /// `ca_cert`
    public var caCert: String?
    /// `ca_path`
    public var caPath: String?
    /// `server_name`: the SNI name to verify.
    public var serverName: String?

    public init() {}
}

/// `consul { transport { … } }`: connection tuning.
public struct TransportConfig: Sendable, Hashable {
    public var dialKeepAlive: Duration?
    public var dialTimeout: Duration?
    public var disableKeepAlives: Bool?
    public var idleConnTimeout: Duration?
    public var maxIdleConns: Int?
    public var maxIdleConnsPerHost: Int?
    public var maxConnsPerHost: Int?
    public var tlsHandshakeTimeout: Duration?

    public init() {}
}

/// `consul { rate_limit { … } }`.
public struct RateLimitConfig: Sendable, Hashable {
    public var enabled: Bool?
    public var randomBackoff: Duration?
    public var minDelayBetweenUpdates: Duration?

    public init() {}
}

/// `log_file { … }`.
public struct LogFileConfig: Sendable, Hashable {
    public var path: String?
    public var logRotateBytes: Int?
    public var logRotateDuration: Duration?
    public var logRotateMaxFiles: Int?

    public init() {}
}

/// `syslog { … }`.
public struct SyslogConfig: Sendable, Hashable {
    public var enabled: Bool?
    public var facility: String?
    public var name: String?

    public init() {}
}

/// Quiescence timers: render only after data has been still for `min`, but
/// no later than `max` after the first change.
///
/// The string form `"min:max"` sets both; `"min"` alone sets `max` to four
/// times `min`, as consul-template does.
public struct WaitConfig: Sendable, Hashable {
    public var min: Duration?
    public var max: Duration?

    public init(min: Duration? = nil, max: Duration? = nil) {
        self.min = min
        self.max = max
    }
}

/// `exec { … }`, at the top level (supervised child) or in a template (the
/// command run after a render).
public struct ExecConfig: Sendable, Hashable {
    /// `command`: a string is one element, run by the shell; a list is argv.
    /// An empty string gives an empty list (no command).
    public var command: [String]?
    /// `enabled`: consul-template derives it from `command` when unset.
    public var enabled: Bool?
    /// `env { … }`: the child's environment.
    public var env: EnvConfig?
    /// `kill_signal`: sent to stop the child gracefully.
    public var killSignal: ConfigSignal?
    /// `kill_timeout`: how long to wait before SIGKILL.
    public var killTimeout: Duration?
    /// `reload_signal`: sent on change; ``ConfigSignal/disabled`` (or unset)
    /// means restart the child instead.
    public var reloadSignal: ConfigSignal?
    /// `splay`: random delay before signalling, up to this.
    public var splay: Duration?
    /// `timeout`: how long a command may run; 0 means no limit.
    public var timeout: Duration?

    public init() {}
}

/// `exec { env { … } }`: the child's environment.
public struct EnvConfig: Sendable, Hashable {
    /// `pristine`: start from an empty environment.
    public var pristine: Bool?
    /// `custom`: `NAME=value` entries added last.
    public var custom: [String]?
    /// `allowlist` (and the older `whitelist`, folded in): glob patterns to keep.
    public var allowlist: [String]?
    /// `denylist` (and the older `blacklist`, folded in): glob patterns to drop.
    public var denylist: [String]?

    public init() {}
}

/// `deduplicate { … }`.
public struct DedupConfig: Sendable, Hashable {
    public var enabled: Bool?
    public var prefix: String?
    public var maxStale: Duration?
    /// `ttl`
    public var ttl: Duration?
    /// `block_query_wait`
    public var blockQueryWait: Duration?

    public init() {}
}

/// `default_delimiters { left right }`.
public struct DelimiterConfig: Sendable, Hashable {
    public var left: String?
    public var right: String?

    public init() {}
}

/// One `template { … }` block.
public struct TemplateConfig: Sendable, Hashable {
    /// Where the block was declared (nil for templates not read from a file).
    public var origin: ConfigOrigin?
    /// `source`: the template file.
    public var source: String?
    /// `destination`: the file to render to.
    public var destination: String?
    /// `contents`: the template text inline, instead of `source`.
    public var contents: String?
    /// `command`: run after a render that changed the file (older form of
    /// `exec { command }`). A string is one shell command line.
    public var command: [String]?
    /// `command_timeout` (older form of `exec { timeout }`).
    public var commandTimeout: Duration?
    /// `perms`: the file mode, from `"0644"` (octal text) or a number
    /// (`0644` in HCL is octal, as in Go).
    public var perms: UInt32?
    /// `backup`: keep the previous file as `<destination>.bak`.
    public var backup: Bool?
    /// `left_delimiter`, default `{{`.
    public var leftDelimiter: String?
    /// `right_delimiter`, default `}}`.
    public var rightDelimiter: String?
    /// `wait`: this template's quiescence, overriding the global one.
    public var wait: WaitConfig?
    /// `create_dest_dirs`
    public var createDestDirs: Bool?
    /// `error_on_missing_key`
    public var errorOnMissingKey: Bool?
    /// `error_fatal`
    public var errorFatal: Bool?
    /// `function_denylist` (and the older `function_blacklist`, folded in).
    public var functionDenylist: [String]?
    /// `sandbox_path`: the directory `file` may read under.
    public var sandboxPath: String?
    /// `user` (or the older numeric `uid`): owner of the rendered file, name or id.
    public var user: String?
    /// `group` (or the older numeric `gid`).
    public var group: String?
    /// `exec { … }`: the command to run after a render that changed the file.
    public var exec: ExecConfig?
    /// retmpl's `check_command`: validates the candidate file before it
    /// replaces the destination. A string is one shell command line.
    public var checkCommand: [String]?
    /// retmpl's `rollback_on_failure`: restore the previous file when the
    /// reload command fails.
    public var rollbackOnFailure: Bool?

    public init() {}
}
