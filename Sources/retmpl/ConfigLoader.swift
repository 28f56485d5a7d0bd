#if canImport(Glibc)
import Glibc
#endif
import RetmplConfig
import RetmplRegistry
import RetmplRuntime

/// Reads `-config` files and directories (consul-template's HCL or JSON)
/// into daemon options; flags are applied on top afterwards.
enum ConfigLoader {
    static func options(paths: [String]) throws(DaemonFailure) -> DaemonOptions {
        var options = DaemonOptions()
        guard !paths.isEmpty else { return options }
        let file: ConfigFile
        do {
            file = try ConfigFile.load(paths: paths)
        } catch {
            throw .config(error.description)
        }
        try apply(file, to: &options)
        return options
    }

    static func apply(_ file: ConfigFile, to options: inout DaemonOptions) throws(DaemonFailure) {
        if let consul = file.consul {
            if let v = consul.address { options.consulAddress = v }
            if let v = consul.token { options.consulToken = v }
            if let v = consul.tokenFile { options.consulTokenFile = v }
            if let auth = consul.auth, auth.enabled ?? (auth.username != nil) {
                options.consulAuth = (auth.username ?? "") + (auth.password.map { ":" + $0 } ?? "")
            }
            if let retry = consul.retry {
                if let v = retry.enabled { options.retry.enabled = v }
                if let v = retry.attempts { options.retry.attempts = v }
                if let v = retry.backoff { options.retry.backoff = v }
                if let v = retry.maxBackoff { options.retry.maxBackoff = v }
            }
            if let ssl = consul.ssl {
                if let v = ssl.enabled { options.ssl.enabled = v }
                if let v = ssl.verify { options.ssl.verify = v }
                if let v = ssl.cert { options.ssl.cert = v }
                if let v = ssl.key { options.ssl.key = v }
                if let v = ssl.caCert { options.ssl.caCert = v }
                if let v = ssl.caPath { options.ssl.caPath = v }
                if let v = ssl.serverName { options.ssl.serverName = v }
            }
        }
        if file.deduplicate?.enabled == true { throw .config("deduplicate: de-duplication mode is not supported") }
        if file.syslog?.enabled == true { options.warnings.append("syslog is not supported: logs go to stderr") }
        if file.consul?.transport != nil { options.warnings.append("consul.transport is accepted for compatibility and ignored") }
        for setting in file.unsupported { options.warnings.append("\(setting.origin): \(setting.key) is not supported and ignored") }
        if let s = file.reloadSignal { options.reloadSignal = s.isDisabled ? nil : s.number }
        if let s = file.killSignal { options.killSignal = s.isDisabled ? nil : s.number }
        if let v = file.maxStale { options.maxStale = v }
        if let v = file.blockQueryWait { options.blockQueryWait = v }
        if let v = file.logLevel {
            do { options.logLevel = try DaemonFlags.parseLogLevel(v) } catch { throw .config("log_level: \(error.description)") }
        }
        if let v = file.pidFile { options.pidFile = v }
        if let w = file.wait, let window = window(w) { options.wait = window }
        if let exec = file.exec, exec.enabled != false, let command = exec.command, !command.isEmpty {
            var out = options.exec ?? DaemonOptions.Exec()
            out.command = command
            if let s = exec.reloadSignal { out.reloadSignal = s.isDisabled ? nil : s.number }
            if let s = exec.killSignal, !s.isDisabled { out.killSignal = s.number }
            if let v = exec.killTimeout { out.killTimeout = v }
            if let v = exec.splay { out.splay = v }
            if let env = exec.env {
                if let v = env.pristine { out.pristine = v }
                out.custom += env.custom ?? []
                out.allowlist += env.allowlist ?? []
                out.denylist += env.denylist ?? []
            }
            options.exec = out
        }
        if let d = file.defaultDelimiters {
            if let v = d.left { options.defaultLeftDelimiter = v }
            if let v = d.right { options.defaultRightDelimiter = v }
        }
        if let v = file.templateErrorFatal { options.templateErrorFatal = v }
        if let v = file.errOnFailedLookup { options.errOnFailedLookup = v }
        if let v = file.once { options.once = v }
        for t in file.templates {
            options.templates.append(try template(t))
        }
    }

    private static func template(_ t: RetmplConfig.TemplateConfig) throws(DaemonFailure) -> DaemonOptions.Template {
        let at = t.origin.map { "\($0): " } ?? ""
        var out = DaemonOptions.Template()
        out.source = t.source
        out.contents = t.contents
        out.destination = t.destination
        if let command = t.command, !command.isEmpty {
            out.command = command
            out.commandIsShell = command.count == 1
        }
        if let v = t.commandTimeout { out.commandTimeout = v }
        if let check = t.checkCommand, !check.isEmpty {
            out.checkCommand = check
            out.checkIsShell = check.count == 1
        }
        out.perms = t.perms
        if let v = t.backup { out.backup = v }
        if let v = t.createDestDirs { out.createDestDirs = v }
        out.leftDelimiter = t.leftDelimiter
        out.rightDelimiter = t.rightDelimiter
        if let v = t.errorOnMissingKey { out.errorOnMissingKey = v }
        if let w = t.wait { out.wait = window(w) }
        if let v = t.rollbackOnFailure { out.rollbackOnFailure = v }
        if let user = t.user { out.user = try id(user, kind: "user", at: at) }
        if let group = t.group { out.group = try id(group, kind: "group", at: at) }
        if let exec = t.exec, let command = exec.command, !command.isEmpty {
            throw .config("\(at)template exec: exec mode is not supported yet")
        }
        if let denied = t.functionDenylist, !denied.isEmpty {
            throw .config("\(at)function_denylist is not supported yet")
        }
        if t.sandboxPath != nil {
            throw .config("\(at)sandbox_path is not supported yet")
        }
        return out
    }

    /// `wait { min max }`: max defaults to 4×min; nil when neither is set.
    private static func window(_ w: WaitConfig) -> WaitWindow? {
        guard let min = w.min ?? w.max else { return nil }
        return WaitWindow(min: min, max: w.max)
    }

    /// A user or group name (or number) as a numeric id.
    private static func id(_ name: String, kind: String, at: String) throws(DaemonFailure) -> UInt32 {
        if let n = UInt32(name) { return n }
        if kind == "user", let entry = getpwnam(name) { return entry.pointee.pw_uid }
        if kind == "group", let entry = getgrnam(name) { return entry.pointee.gr_gid }
        throw .config("\(at)unknown \(kind) \"\(name)\"")
    }
}
