#if canImport(Glibc)
import Glibc
#endif
import Dispatch
import Foundation
import RetmplRegistry
import RetmplRuntime
import RetmplTemplate

/// `retmpl [flags]`: consul-template's daemon — watch, render, write, reload.
///
/// Exit status as consul-template: 0 done or stopped by a signal, 13 bad
/// flags, 14 the runner failed, 15 bad configuration.
enum DaemonCommand {
    static let usage = """
        Usage: retmpl [flags]

        Renders templates from Consul (or a snapshot file with -snapshot), keeps
        them up to date, and runs each template's command after a change. Flags
        are consul-template's; a config file (-config) takes its HCL or JSON form.

        Example:
          retmpl -snapshot examples/snapshot/registry.json \\
                 -template "templates/haproxy.ctmpl:/tmp/haproxy.cfg:echo reload" -once

        """

    static func run(_ args: [String]) -> Int32 {
        var f = DaemonFlags.definitions()
        if let status = f.parse(args, usage: usage, rejected: { error, _ in ("retmpl: \(error)\nRun \"retmpl -h\" for the flags.\n", 13) }) {
            return status
        }
        if f.flag("v") || f.flag("version") {
            Console.out("retmpl \(retmplVersion)\n")
            return 0
        }
        if !f.arguments.isEmpty {
            Console.err("retmpl: unexpected argument \"\(f.arguments[0])\"\nRun \"retmpl -h\" for the flags.\n")
            return 13
        }
        let environment = ProcessInfo.processInfo.environment
        let parsed = f
        let load = { @Sendable () throws(DaemonFailure) -> DaemonOptions in
            var options = try ConfigLoader.options(paths: parsed.all("config"))
            if let level = environment["CONSUL_TEMPLATE_LOG"], !level.isEmpty {
                do throws(FlagError) { options.logLevel = try DaemonFlags.parseLogLevel(level) } catch { throw .config(error.description) }
            }
            do throws(FlagError) { try DaemonFlags.apply(parsed, to: &options) } catch { throw .flags(error.description) }
            guard !options.templates.isEmpty else {
                throw .flags("no templates: give -template SRC:DEST[:CMD] or a config file with a template block")
            }
            return options
        }
        let options: DaemonOptions
        let configuration: Runner.Configuration
        do {
            options = try load()
            configuration = try RuntimeBuilder.configuration(options, environment: environment)
        } catch {
            Console.err("retmpl: \(error.message)\n")
            return error.status
        }
        let log = Log(level: options.logLevel)
        for warning in options.warnings { log.write(.warn, warning) }
        if options.parseOnly {
            do {
                _ = try Runner(configuration)
                Console.err("retmpl: configuration and \(options.templates.count) template(s) parsed\n")
                return 0
            } catch {
                Console.err("retmpl: \(error)\n")
                return 15
            }
        }
        if let pidFile = options.pidFile {
            do {
                try "\(getpid())\n".write(toFile: pidFile, atomically: true, encoding: .utf8)
            } catch {
                Console.err("retmpl: cannot write pid file \(pidFile): \(error)\n")
                return 15
            }
        }
        defer { if let pidFile = options.pidFile { unlink(pidFile) } }

        let status = Box<Int32>(0)
        let done = DispatchSemaphore(value: 0)
        Task {
            status.value = await supervise(configuration, log: log, reload: { () throws(DaemonFailure) -> Runner.Configuration in
                let next = try load()
                log.level = next.logLevel
                return try RuntimeBuilder.configuration(next, environment: environment)
            }, reloadSignal: options.reloadSignal, killSignal: options.killSignal)
            done.signal()
        }
        done.wait()
        return status.value
    }

    /// Runs the runtime until it finishes, a stop signal arrives, or it
    /// fails; the reload signal swaps in a new configuration when it is valid.
    static func supervise(
        _ initial: Runner.Configuration, log: Log,
        reload: @escaping @Sendable () throws(DaemonFailure) -> Runner.Configuration,
        reloadSignal: Int32?, killSignal: Int32?
    ) async -> Int32 {
        enum Wake: Sendable { case signal(Int32), finished(generation: Int, Result<Runner.Completion, RuntimeError>) }
        var stops: Set<Int32> = [SIGINT, SIGTERM]
        if let killSignal { stops.insert(killSignal) }
        // Other signals go on to the exec child, as consul-template forwards them.
        let forwarded = Set([SIGUSR1, SIGUSR2, SIGWINCH, SIGQUIT]).subtracting(stops).subtracting(reloadSignal.map { [$0] } ?? [])
        let signals = SignalStream(Array(stops) + (reloadSignal.map { [$0] } ?? []) + (initial.exec == nil ? [] : Array(forwarded)))
        var runner: Runner?
        let (wakes, wake) = AsyncStream.makeStream(of: Wake.self)
        let forward = Task { for await s in signals.signals { wake.yield(.signal(s)) } }
        defer { forward.cancel() }

        var generation = 0
        func start(_ configuration: Runner.Configuration) throws(RuntimeError) -> Task<Void, Never> {
            generation += 1
            let mine = generation
            var configuration = configuration
            configuration.observer = { event in
                log.event(event)
                if event.kind == .ready { notifySystemd("READY=1") }
            }
            let made = try Runner(configuration)
            runner = made
            return Task {
                do throws(RuntimeError) {
                    wake.yield(.finished(generation: mine, .success(try await made.run())))
                } catch {
                    wake.yield(.finished(generation: mine, .failure(error)))
                }
            }
        }

        var current: Task<Void, Never>
        do {
            current = try start(initial)
        } catch {
            log.error("\(error)")
            return 15
        }
        for await event in wakes {
            switch event {
            case .finished(let g, _) where g != generation:
                continue  // a runner replaced by a reload
            case .finished(_, .success(.finished)):
                return 0
            case .finished(_, .success(.childExited(let termination))):
                log.info("child \(termination); exiting with its status")
                return termination.exitCode
            case .finished(_, .failure(let error)):
                log.error("\(error)")
                return error.kind == .template ? 15 : 14
            case .signal(let s) where forwarded.contains(s) && s != reloadSignal:
                if let runner { await runner.forward(signal: s) }
            case .signal(let s) where stops.contains(s):
                log.info("received \(signalName(s)), stopping")
                current.cancel()
                await current.value
                notifySystemd("STOPPING=1")
                return 0
            case .signal:
                log.info("received reload signal, reloading configuration and templates")
                do {
                    let next = try reload()
                    var checked = next
                    checked.observer = nil
                    _ = try Runner(checked)
                    current.cancel()
                    await current.value
                    current = try start(next)
                } catch let error as DaemonFailure {
                    log.error("reload failed, keeping the running configuration: \(error.message)")
                } catch {
                    log.error("reload failed, keeping the running configuration: \(error)")
                }
            }
        }
        return 0
    }

    static func signalName(_ s: Int32) -> String {
        switch s {
        case SIGINT: return "SIGINT"
        case SIGTERM: return "SIGTERM"
        case SIGHUP: return "SIGHUP"
        case SIGQUIT: return "SIGQUIT"
        default: return "signal \(s)"
        }
    }
}

/// Why the daemon could not start, with its exit status.
enum DaemonFailure: Error {
    case flags(String)
    case config(String)

    var message: String {
        switch self {
        case .flags(let m), .config(let m): return m
        }
    }
    var status: Int32 {
        switch self {
        case .flags: return 13
        case .config: return 15
        }
    }
}

final class Box<T>: @unchecked Sendable {
    var value: T
    init(_ value: T) { self.value = value }
}
