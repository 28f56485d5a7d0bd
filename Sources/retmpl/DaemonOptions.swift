#if canImport(Glibc)
import Glibc
#endif
import RetmplRegistry
import RetmplRuntime
import RetmplTemplate

/// Everything the daemon is told by config files and flags, merged
/// (files left to right, then flags), before it becomes a runtime configuration.
struct DaemonOptions {
    struct Template {
        var source: String?
        var contents: String?
        var destination: String?
        var command: [String]?
        /// True when `command` is one shell line (string form).
        var commandIsShell = true
        var commandTimeout: Duration = .seconds(30)
        var checkCommand: [String]?
        var checkIsShell = true
        var perms: UInt32?
        var backup = false
        var createDestDirs = true
        var leftDelimiter: String?
        var rightDelimiter: String?
        var errorOnMissingKey = false
        var wait: WaitWindow?
        var rollbackOnFailure = false
        var user: UInt32?
        var group: UInt32?
    }

    /// Exec mode (`-exec`, `exec {}`).
    struct Exec {
        var command: [String] = []
        var reloadSignal: Int32?
        var killSignal: Int32 = SIGINT
        var killTimeout: Duration = .seconds(30)
        var splay: Duration = .zero
        var pristine = false
        var custom: [String] = []
        var allowlist: [String] = []
        var denylist: [String] = []

        /// The child's environment under consul-template's `exec.env` rules.
        func environment(_ base: [String: String]) -> [String: String] {
            var out: [String: String] = [:]
            if !pristine {
                for (k, v) in base {
                    if !allowlist.isEmpty && !allowlist.contains(where: { fnmatch($0, k, 0) == 0 }) { continue }
                    if denylist.contains(where: { fnmatch($0, k, 0) == 0 }) { continue }
                    out[k] = v
                }
            }
            for pair in custom {
                guard let eq = pair.firstIndex(of: "=") else { continue }
                out[String(pair[..<eq])] = String(pair[pair.index(after: eq)...])
            }
            return out
        }
    }

    /// `-consul-ssl*` and `consul { ssl { … } }`; unset fields fall back to Consul's environment variables.
    struct SSL {
        var enabled: Bool?
        var verify: Bool?
        var cert: String?
        var key: String?
        var caCert: String?
        var caPath: String?
        var serverName: String?
    }

    var exec: Exec?
    var ssl = SSL()
    var templates: [Template] = []
    var consulAddress: String?
    var consulToken: String?
    var consulTokenFile: String?
    var consulAuth: String?
    var retry = RetryPolicy()
    var maxStale: Duration = .seconds(2)
    var blockQueryWait: Duration = .seconds(60)
    var wait: WaitWindow?
    var once = false
    var dry = false
    var diff = false
    /// Settings accepted but ignored, reported once at start.
    var warnings: [String] = []
    var parseOnly = false
    var logLevel: RuntimeEvent.Level = .info
    var pidFile: String?
    var reloadSignal: Int32? = SIGHUP
    var killSignal: Int32? = SIGINT
    var defaultLeftDelimiter: String?
    var defaultRightDelimiter: String?
    var templateErrorFatal = false
    var commandFailureFatal = false
    var errOnFailedLookup = false
    var snapshot: String?
    var missingTimeout: Duration = .seconds(30)

    /// The Consul address: flag or config, then `CONSUL_HTTP_ADDR`, then the local agent.
    func resolvedConsulAddress(_ env: [String: String]) -> String {
        consulAddress ?? env["CONSUL_HTTP_ADDR"].flatMap { $0.isEmpty ? nil : $0 } ?? "127.0.0.1:8500"
    }

    /// The ACL token: flag or config, token file, then the environment
    /// (`CONSUL_HTTP_TOKEN`, `CONSUL_TOKEN` and their `_FILE` forms).
    func resolvedToken(_ env: [String: String]) throws(FlagError) -> String? {
        if let consulToken, !consulToken.isEmpty { return consulToken }
        if let file = consulTokenFile ?? env["CONSUL_HTTP_TOKEN_FILE"] ?? env["CONSUL_TOKEN_FILE"] {
            switch Console.readFile(file) {
            case .success(let bytes):
                return String(decoding: bytes, as: UTF8.self).trimmingWhitespace()
            case .failure(let error):
                throw FlagError("consul token file: \(error)")
            }
        }
        return env["CONSUL_HTTP_TOKEN"] ?? env["CONSUL_TOKEN"]
    }
}

extension DaemonOptions {
    /// TLS settings for `address`: nil when it is plain HTTP. HTTPS is an `https://`
    /// address, or `-consul-ssl` / `CONSUL_HTTP_SSL` with a `host:port` one; the
    /// files and checks come from flags or config, then Consul's variables
    /// (`CONSUL_HTTP_SSL_VERIFY`, `CONSUL_CACERT`, `CONSUL_CAPATH`, `CONSUL_CLIENT_CERT`,
    /// `CONSUL_CLIENT_KEY`, `CONSUL_TLS_SERVER_NAME`).
    func resolvedTLS(address: String, _ env: [String: String]) throws(FlagError) -> TLSConfiguration? {
        func variable(_ name: String) -> String? { env[name].flatMap { $0.isEmpty ? nil : $0 } }
        func flag(_ name: String) throws(FlagError) -> Bool? {
            guard let text = variable(name) else { return nil }
            guard let value = goBool(text) else { throw FlagError("invalid \(name) \"\(text)\": expected true or false") }
            return value
        }
        let enabledByEnv = try flag("CONSUL_HTTP_SSL")
        let enabled = ssl.enabled ?? enabledByEnv ?? false
        guard address.hasPrefix("https://") || (enabled && !address.hasPrefix("http://") && !address.hasPrefix("unix://")) else {
            return nil
        }
        let verifyByEnv = try flag("CONSUL_HTTP_SSL_VERIFY")
        return TLSConfiguration(
            verify: ssl.verify ?? verifyByEnv ?? true,
            caFile: ssl.caCert ?? variable("CONSUL_CACERT"),
            caPath: ssl.caPath ?? variable("CONSUL_CAPATH"),
            certificateFile: ssl.cert ?? variable("CONSUL_CLIENT_CERT"),
            keyFile: ssl.key ?? variable("CONSUL_CLIENT_KEY"),
            serverName: ssl.serverName ?? variable("CONSUL_TLS_SERVER_NAME"))
    }

    /// Go's `strconv.ParseBool`.
    private func goBool(_ text: String) -> Bool? {
        switch text {
        case "1", "t", "T", "true", "TRUE", "True": true
        case "0", "f", "F", "false", "FALSE", "False": false
        default: nil
        }
    }
}

extension String {
    func trimmingWhitespace() -> String {
        var s = Substring(self)
        while let f = s.first, f == " " || f == "\n" || f == "\r" || f == "\t" { s = s.dropFirst() }
        while let l = s.last, l == " " || l == "\n" || l == "\r" || l == "\t" { s = s.dropLast() }
        return String(s)
    }
}

/// Parses `-wait` values: `5s` or `5s:10s` (max defaults to 4×min).
func parseWait(_ text: String) throws(FlagError) -> WaitWindow {
    let parts = text.split(separator: ":", omittingEmptySubsequences: false).map(String.init)
    guard parts.count <= 2 else { throw FlagError("invalid wait \"\(text)\": expected MIN or MIN:MAX") }
    let min = try parseDuration(parts[0], what: "wait")
    let max = try parts.count == 2 ? parseDuration(parts[1], what: "wait") : nil
    if let max, max < min { throw FlagError("invalid wait \"\(text)\": max is less than min") }
    return WaitWindow(min: min, max: max)
}

/// A Go duration (`250ms`, `1m30s`).
func parseDuration(_ text: String, what: String) throws(FlagError) -> Duration {
    do {
        return .nanoseconds(try GoDuration.parse(text))
    } catch {
        throw FlagError("invalid \(what) \"\(text)\": \(error.message)")
    }
}
