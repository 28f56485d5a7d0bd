// Merging, as consul-template's `Merge` methods do it: a later value wins when
// it is set, nested blocks merge field by field, lists of patterns and
// `template` blocks append.

/// Later block merged field-wise into earlier, either side possibly absent.
private func merge<T: ConfigMergeable>(_ earlier: T?, _ later: T?) -> T? {
    guard let later else { return earlier }
    guard let earlier else { return later }
    return earlier.merging(later)
}

/// Later list appended to earlier; absent stays absent.
private func append(_ earlier: [String]?, _ later: [String]?) -> [String]? {
    guard let later else { return earlier }
    guard let earlier else { return later }
    return earlier + later
}

/// A configuration block that can take a later block's settings.
public protocol ConfigMergeable: Sendable {
    /// `self` with every setting of `later` that is set laid over it.
    func merging(_ later: Self) -> Self
}

extension ConfigFile: ConfigMergeable {
    /// This file with `later` laid over it: later scalars win, nested blocks
    /// merge field-wise, templates are appended.
    public func merging(_ later: ConfigFile) -> ConfigFile {
        var r = self
        r.consul = merge(consul, later.consul)
        r.reloadSignal = later.reloadSignal ?? reloadSignal
        r.killSignal = later.killSignal ?? killSignal
        r.maxStale = later.maxStale ?? maxStale
        r.blockQueryWait = later.blockQueryWait ?? blockQueryWait
        r.logLevel = later.logLevel ?? logLevel
        r.logFile = merge(logFile, later.logFile)
        r.pidFile = later.pidFile ?? pidFile
        r.syslog = merge(syslog, later.syslog)
        r.wait = merge(wait, later.wait)
        r.exec = merge(exec, later.exec)
        r.deduplicate = merge(deduplicate, later.deduplicate)
        r.defaultDelimiters = merge(defaultDelimiters, later.defaultDelimiters)
        r.templateErrorFatal = later.templateErrorFatal ?? templateErrorFatal
        r.errOnFailedLookup = later.errOnFailedLookup ?? errOnFailedLookup
        r.once = later.once ?? once
        r.templates = templates + later.templates
        r.unsupported = unsupported + later.unsupported
        return r
    }
}

extension ConsulConfig: ConfigMergeable {
    public func merging(_ later: ConsulConfig) -> ConsulConfig {
        var r = self
        r.address = later.address ?? address
        r.token = later.token ?? token
        r.tokenFile = later.tokenFile ?? tokenFile
        r.namespace = later.namespace ?? namespace
        r.auth = merge(auth, later.auth)
        r.retry = merge(retry, later.retry)
        r.ssl = merge(ssl, later.ssl)
        r.transport = merge(transport, later.transport)
        r.rateLimit = merge(rateLimit, later.rateLimit)
        return r
    }
}

extension AuthConfig: ConfigMergeable {
    public func merging(_ later: AuthConfig) -> AuthConfig {
        var r = self
        r.enabled = later.enabled ?? enabled
        r.username = later.username ?? username
        r.password = later.password ?? password
        return r
    }
}

extension RetryConfig: ConfigMergeable {
    public func merging(_ later: RetryConfig) -> RetryConfig {
        var r = self
        r.enabled = later.enabled ?? enabled
        r.attempts = later.attempts ?? attempts
        r.backoff = later.backoff ?? backoff
        r.maxBackoff = later.maxBackoff ?? maxBackoff
        return r
    }
}

extension SSLConfig: ConfigMergeable {
    public func merging(_ later: SSLConfig) -> SSLConfig {
        var r = self
        r.enabled = later.enabled ?? enabled
        r.verify = later.verify ?? verify
        r.cert = later.cert ?? cert
        r.key = later.key ?? key
        r.caCert = later.caCert ?? caCert
        r.caPath = later.caPath ?? caPath
        r.serverName = later.serverName ?? serverName
        return r
    }
}

extension TransportConfig: ConfigMergeable {
    public func merging(_ later: TransportConfig) -> TransportConfig {
        var r = self
        r.dialKeepAlive = later.dialKeepAlive ?? dialKeepAlive
        r.dialTimeout = later.dialTimeout ?? dialTimeout
        r.disableKeepAlives = later.disableKeepAlives ?? disableKeepAlives
        r.idleConnTimeout = later.idleConnTimeout ?? idleConnTimeout
        r.maxIdleConns = later.maxIdleConns ?? maxIdleConns
        r.maxIdleConnsPerHost = later.maxIdleConnsPerHost ?? maxIdleConnsPerHost
        r.maxConnsPerHost = later.maxConnsPerHost ?? maxConnsPerHost
        r.tlsHandshakeTimeout = later.tlsHandshakeTimeout ?? tlsHandshakeTimeout
        return r
    }
}

extension RateLimitConfig: ConfigMergeable {
    public func merging(_ later: RateLimitConfig) -> RateLimitConfig {
        var r = self
        r.enabled = later.enabled ?? enabled
        r.randomBackoff = later.randomBackoff ?? randomBackoff
        r.minDelayBetweenUpdates = later.minDelayBetweenUpdates ?? minDelayBetweenUpdates
        return r
    }
}

extension LogFileConfig: ConfigMergeable {
    public func merging(_ later: LogFileConfig) -> LogFileConfig {
        var r = self
        r.path = later.path ?? path
        r.logRotateBytes = later.logRotateBytes ?? logRotateBytes
        r.logRotateDuration = later.logRotateDuration ?? logRotateDuration
        r.logRotateMaxFiles = later.logRotateMaxFiles ?? logRotateMaxFiles
        return r
    }
}

extension SyslogConfig: ConfigMergeable {
    public func merging(_ later: SyslogConfig) -> SyslogConfig {
        var r = self
        r.enabled = later.enabled ?? enabled
        r.facility = later.facility ?? facility
        r.name = later.name ?? name
        return r
    }
}

extension WaitConfig: ConfigMergeable {
    public func merging(_ later: WaitConfig) -> WaitConfig {
        WaitConfig(min: later.min ?? min, max: later.max ?? max)
    }
}

extension ExecConfig: ConfigMergeable {
    public func merging(_ later: ExecConfig) -> ExecConfig {
        var r = self
        r.command = later.command ?? command
        r.enabled = later.enabled ?? enabled
        r.env = merge(env, later.env)
        r.killSignal = later.killSignal ?? killSignal
        r.killTimeout = later.killTimeout ?? killTimeout
        r.reloadSignal = later.reloadSignal ?? reloadSignal
        r.splay = later.splay ?? splay
        r.timeout = later.timeout ?? timeout
        return r
    }
}

extension EnvConfig: ConfigMergeable {
    public func merging(_ later: EnvConfig) -> EnvConfig {
        var r = self
        r.pristine = later.pristine ?? pristine
        r.custom = append(custom, later.custom)
        r.allowlist = append(allowlist, later.allowlist)
        r.denylist = append(denylist, later.denylist)
        return r
    }
}

extension DedupConfig: ConfigMergeable {
    public func merging(_ later: DedupConfig) -> DedupConfig {
        var r = self
        r.enabled = later.enabled ?? enabled
        r.prefix = later.prefix ?? prefix
        r.maxStale = later.maxStale ?? maxStale
        r.ttl = later.ttl ?? ttl
        r.blockQueryWait = later.blockQueryWait ?? blockQueryWait
        return r
    }
}

extension DelimiterConfig: ConfigMergeable {
    public func merging(_ later: DelimiterConfig) -> DelimiterConfig {
        var r = self
        r.left = later.left ?? left
        r.right = later.right ?? right
        return r
    }
}
