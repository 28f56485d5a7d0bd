import RetmplRegistry
import RetmplRuntime
import RetmplTemplate

/// Turns merged daemon options into the runtime's configuration.
enum RuntimeBuilder {
    static func configuration(_ options: DaemonOptions, environment: [String: String]) throws(DaemonFailure) -> Runner.Configuration {
        var templates: [TemplateConfig] = []
        for (n, t) in options.templates.enumerated() {
            templates.append(try template(t, number: n + 1, options))
        }
        let feed: Runner.Feed
        var commandEnvironment: [String: String] = [:]
        if let snapshot = options.snapshot {
            feed = .snapshotFile(path: snapshot)
        } else {
            let address = options.resolvedConsulAddress(environment)
            let token: String?
            do { token = try options.resolvedToken(environment) } catch { throw .config(error.description) }
            let tls: TLSConfiguration?
            do { tls = try options.resolvedTLS(address: address, environment) } catch { throw .config(error.description) }
            let client: ConsulClient
            do {
                client = try ConsulClient(address: address, token: token, basicAuth: options.consulAuth, tls: tls)
            } catch {
                throw .config("consul address \"\(address)\": \(error)")
            }
            do { try tls?.validate() } catch { throw .config("consul ssl: \(error)") }
            let policy = WatchPolicy(blockQueryWait: options.blockQueryWait, maxStale: options.maxStale, retry: options.retry)
            feed = .registry(ConsulReader(client: client), policy)
            // What consul-template exports to commands.
            commandEnvironment["CONSUL_HTTP_ADDR"] = address
            if let token { commandEnvironment["CONSUL_HTTP_TOKEN"] = token }
            if let auth = options.consulAuth { commandEnvironment["CONSUL_HTTP_AUTH"] = auth }
            if let tls {
                commandEnvironment["CONSUL_HTTP_SSL"] = "true"
                if !tls.verify { commandEnvironment["CONSUL_HTTP_SSL_VERIFY"] = "false" }
            }
        }
        var configuration = Runner.Configuration(
            templates: templates, feed: feed, wait: options.wait, once: options.once, dry: options.dry,
            missingDataGrace: options.missingTimeout, templateErrorFatal: options.templateErrorFatal,
            commandFailureFatal: options.commandFailureFatal, commandEnvironment: commandEnvironment)
        configuration.diff = options.diff
        if let exec = options.exec, !exec.command.isEmpty {
            var base = environment
            for (k, v) in commandEnvironment { base[k] = v }
            configuration.exec = ChildSupervisor.Configuration(
                command: exec.command, environment: exec.environment(base), reloadSignal: exec.reloadSignal,
                killSignal: exec.killSignal, killTimeout: exec.killTimeout, splay: exec.splay)
        }
        return configuration
    }

    private static func template(_ t: DaemonOptions.Template, number: Int, _ options: DaemonOptions) throws(DaemonFailure) -> TemplateConfig {
        let source: TemplateConfig.Source
        if let contents = t.contents {
            if t.source != nil { throw .config("template \(number): source and contents are mutually exclusive") }
            source = .text(contents, name: "template \(number) (contents)")
        } else if let path = t.source {
            source = .file(path)
        } else {
            throw .config("template \(number): needs a source or contents")
        }
        let destination: TemplateConfig.Destination
        if let path = t.destination {
            destination = .file(path)
        } else if options.dry {
            destination = .file("(template \(number))")
        } else {
            throw .config("template \(number): needs a destination")
        }
        var textOptions = TextTemplate.Options()
        if let left = t.leftDelimiter ?? options.defaultLeftDelimiter { textOptions.leftDelimiter = left }
        if let right = t.rightDelimiter ?? options.defaultRightDelimiter { textOptions.rightDelimiter = right }
        if t.errorOnMissingKey || options.errOnFailedLookup { textOptions.missingKey = .error }
        return TemplateConfig(
            source: source, destination: destination,
            check: action(t.checkCommand, shell: t.checkIsShell),
            command: action(t.command, shell: t.commandIsShell),
            commandTimeout: t.commandTimeout, wait: t.wait,
            writeOptions: AtomicFileWriter.Options(
                permissions: t.perms, backup: t.backup, createDirectories: t.createDestDirs, owner: t.user, group: t.group),
            options: textOptions, rollbackOnFailure: t.rollbackOnFailure)
    }

    private static func action(_ argv: [String]?, shell: Bool) -> TemplateConfig.Action? {
        guard let argv, !argv.isEmpty, !(argv.count == 1 && argv[0].isEmpty) else { return nil }
        if shell && argv.count == 1 { return .shell(argv[0]) }
        return .arguments(argv)
    }
}
