public import RetmplRegistry
import RetmplTemplate
import RetmplFunctions
import Foundation

/// Keeps templates rendered from live data: the watch → render → write →
/// check → reload loop.
///
/// Data flows one way. Each pass reports the dependencies a template used;
/// the runner keeps one watch per unique dependency and an index from
/// dependency to templates, so new data re-renders only the templates that
/// use it. Output is written only after a complete pass, only when it
/// differs from the destination, and only after the check passed; commands
/// of templates that changed in one pass run once each, after every write.
///
/// ```swift
/// let runner = try Runner(Runner.Configuration(
///     templates: [TemplateConfig(source: .file("haproxy.ctmpl"), destination: .file("haproxy.cfg"),
///                                command: .shell("systemctl reload haproxy"))],
///     feed: .snapshotFile(path: "registry.json")))
/// try await runner.run()   // until cancelled
/// ```
public actor Runner {
    /// Where data comes from.
    public enum Feed: Sendable {
        /// A live registry read through watches (Consul).
        case registry(any RegistryReader, WatchPolicy)
        /// A snapshot file, re-read when it changes (replace-by-rename included).
        case snapshotFile(path: String, pollInterval: Duration = .milliseconds(100))
        /// A fixed snapshot.
        case snapshot(Snapshot)
    }

    public struct Configuration: Sendable {
        public var templates: [TemplateConfig]
        public var feed: Feed
        /// Quiescence for templates that set none; nil renders at once.
        public var wait: WaitWindow?
        /// Render every template once, run the commands, and return.
        public var once: Bool
        /// Print renderings (`> destination` and the contents) instead of writing them.
        public var dry: Bool
        /// With `dry`: print a unified diff against the destination's current
        /// contents instead of the whole rendering.
        public var diff: Bool = false
        /// Where `dry` output goes (default: standard output).
        public var dryOutput: @Sendable (String) -> Void
        /// How long a dependency may stay missing before it is logged (then
        /// again with doubling intervals); in `once` mode, how long to wait
        /// for missing data before failing.
        public var missingDataGrace: Duration
        /// Stop when a complete pass fails (consul-template's default); when
        /// false the last good output stays and the error is reported.
        public var templateErrorFatal: Bool
        /// Stop when a command fails (consul-template's behaviour); when false
        /// the failure is reported and the daemon keeps running.
        public var commandFailureFatal: Bool
        /// Added to the environment of commands and checks (`CONSUL_HTTP_ADDR`, …).
        public var commandEnvironment: [String: String]
        /// Called for every event, in order, before it is queued on ``Runner/events``.
        public var observer: (@Sendable (RuntimeEvent) -> Void)?
        /// Exec mode: the child to start once every template has rendered,
        /// signal (or restart) after each change, and stop with the runtime.
        /// The runtime ends when the child exits.
        public var exec: ChildSupervisor.Configuration?

        /// Writes `text` to standard output, unbuffered.
        public static func printToStandardOutput(_ text: String) {
            FileHandle.standardOutput.write(Data(text.utf8))
        }

        public init(
            templates: [TemplateConfig], feed: Feed, wait: WaitWindow? = nil, once: Bool = false, dry: Bool = false,
            dryOutput: @escaping @Sendable (String) -> Void = Configuration.printToStandardOutput,
            missingDataGrace: Duration = .seconds(30), templateErrorFatal: Bool = false,
            commandFailureFatal: Bool = false, commandEnvironment: [String: String] = [:],
            observer: (@Sendable (RuntimeEvent) -> Void)? = nil
        ) {
            self.templates = templates
            self.feed = feed
            self.wait = wait
            self.once = once
            self.dry = dry
            self.dryOutput = dryOutput
            self.missingDataGrace = missingDataGrace
            self.templateErrorFatal = templateErrorFatal
            self.commandFailureFatal = commandFailureFatal
            self.commandEnvironment = commandEnvironment
            self.observer = observer
            self.exec = nil
        }
    }

    /// Everything the runtime does, as it happens (the newest 4,096 are kept
    /// when nobody reads).
    public nonisolated let events: AsyncStream<RuntimeEvent>
    private let eventSink: AsyncStream<RuntimeEvent>.Continuation

    private let configuration: Configuration
    private var templates: [ManagedTemplate]
    private let brain: DataBrain
    private let queue = EventQueue<Input>()
    private let clock = ContinuousClock()
    private let writer = AtomicFileWriter()
    private let commands = CommandRunner()
    /// Dependency → indices of the templates that used it in their last pass.
    private var users: [Dependency: [Int]] = [:]
    private var watcher: Watcher?
    private var announcedReady = false
    /// Passes of the main loop (diagnostics: an idle runner makes none).
    private(set) var loopPasses = 0
    private var fatal: RuntimeError?

    enum Input: Sendable {
        case watch(WatchEvent)
        case snapshot(SnapshotFileWatcher.Update)
        case childExited(ChildSupervisor.Termination)
    }

    /// How ``run()`` ended without an error.
    public enum Completion: Sendable, Equatable {
        /// Cancelled, or `once` finished.
        case finished
        /// Exec mode: the child exited on its own (the daemon exits with its code).
        case childExited(ChildSupervisor.Termination)
    }

    private var child: ChildSupervisor?
    private var childExit: ChildSupervisor.Termination?

    /// Reads and parses every template.
    /// - Throws: ``RuntimeError`` (kind `.template`) naming the file, line and column.
    public init(_ configuration: Configuration) throws(RuntimeError) {
        self.configuration = configuration
        var parsed: [ManagedTemplate] = []
        for config in configuration.templates {
            parsed.append(try ManagedTemplate(config))
        }
        self.templates = parsed
        self.brain = DataBrain()
        (events, eventSink) = AsyncStream.makeStream(of: RuntimeEvent.self, bufferingPolicy: .bufferingNewest(4096))
    }

    /// Runs until cancelled (returns normally), until `once` is done, until
    /// the exec child exits, or until a fatal error.
    /// - Throws: ``RuntimeError``.
    @discardableResult
    public func run() async throws(RuntimeError) -> Completion {
        let result: Result<Completion, RuntimeError>
        do {
            result = .success(try await loop())
        } catch {
            result = .failure(error)
        }
        // The exec child is stopped (kill signal, then SIGKILL after its
        // timeout) before the runtime reports that it ended.
        if let child { await child.stop() }
        child = nil
        watcher?.stop()
        watcher = nil
        eventSink.finish()
        return try result.get()
    }

    private func loop() async throws(RuntimeError) -> Completion {
        let feedTask = try await startFeed()
        defer { feedTask?.cancel() }
        var timer: Task<Void, Never>?
        var timerDeadline: ContinuousClock.Instant?
        defer { timer?.cancel() }
        let started = clock.now
        for i in templates.indices {
            templates[i].quiescence.change(at: started)
            if case .file(let path) = templates[i].config.destination, !configuration.dry {
                let removed = writer.removeStaleCandidates(of: path)
                if removed > 0 {
                    emit(RuntimeEvent(.staleCandidatesRemoved, .warn, template: templates[i].name,
                                      "removed \(removed) candidate file(s) left by an interrupted write"))
                }
            }
        }

        while !Task.isCancelled {
            loopPasses += 1
            apply(queue.drain())
            let changed = await processDue()
            if let fatal { throw fatal }
            if let childExit { return .childExited(childExit) }
            if let exec = configuration.exec, announcedReady {
                try superviseChild(exec, changed: changed)
            }
            if configuration.once {
                if templates.allSatisfy(\.hasRendered) && configuration.exec == nil { return .finished }
                if let failure = onceFailure(since: started) { throw failure }
            }
            // One timer for the earliest deadline; kept when the deadline did not move.
            let deadline = nextDeadline(started: started)
            if deadline != timerDeadline {
                timer?.cancel()
                timer = nil
                timerDeadline = deadline
                if let deadline {
                    let queue = self.queue
                    timer = Task {
                        // A cancelled timer must not wake the loop: it would make a new
                        // timer, cancel this one, and spin.
                        guard (try? await Task.sleep(until: deadline, clock: .continuous)) != nil else { return }
                        queue.wake()
                    }
                }
            }
            await queue.wait()
            if let due = timerDeadline, due <= clock.now {
                // Fired (or due): the next pass computes a new one.
                timerDeadline = nil
                timer = nil
            }
        }
        return .finished
    }

    /// Exec mode: starts the child after the first complete render, then
    /// signals (or restarts) it when a pass changed something.
    private func superviseChild(_ exec: ChildSupervisor.Configuration, changed: Bool) throws(RuntimeError) {
        if let child {
            guard changed else { return }
            emit(RuntimeEvent(.childReloaded, .info, exec.reloadSignal == nil ? "restarting the child" : "signalling the child"))
            let name = exec.command.joined(separator: " ")
            Task {
                do throws(ChildSupervisor.StartError) {
                    try await child.reload()
                } catch {
                    self.queue.push(.childExited(.exited(127)))
                    _ = name
                }
            }
            return
        }
        let supervisor = ChildSupervisor(exec)
        do {
            let pid = try supervisor.start()
            emit(RuntimeEvent(.childStarted, .info, "started \(exec.command.joined(separator: " ")) (pid \(pid))"))
        } catch {
            throw RuntimeError(.command, "exec: \(error)")
        }
        child = supervisor
        let queue = self.queue
        Task {
            for await exit in supervisor.exits {
                queue.push(.childExited(exit))
                return
            }
        }
    }

    /// Sends a signal the daemon received on to the exec child; false when there is none.
    @discardableResult
    public func forward(signal: Int32) -> Bool {
        child?.forward(signal: signal) ?? false
    }

    // MARK: - Feed

    private func startFeed() async throws(RuntimeError) -> Task<Void, Never>? {
        let queue = self.queue
        switch configuration.feed {
        case .registry(let reader, let policy):
            watcher = Watcher(reader: reader, policy: policy) { queue.push(.watch($0)) }
            return nil
        case .snapshot(let snapshot):
            brain.replace(with: snapshot)
            return nil
        case .snapshotFile(let path, let interval):
            let updates = SnapshotFileWatcher(path: path, interval: interval).updates()
            var iterator = updates.makeAsyncIterator()
            // The first version must be good: there is no last good data yet.
            switch await iterator.next() {
            case .success(let snapshot)?:
                brain.replace(with: snapshot)
            case .failure(let error)?:
                throw RuntimeError(.registry, error.description)
            case nil:
                throw RuntimeError(.registry, "\(path): snapshot watch ended")
            }
            return Task {
                for await update in updates { queue.push(.snapshot(update)) }
            }
        }
    }

    private func apply(_ inputs: [Input]) {
        let now = clock.now
        for input in inputs {
            switch input {
            case .watch(.data(let dependency, let value)):
                brain.set(dependency, value)
                for i in users[dependency] ?? [] {
                    templates[i].quiescence.change(at: now)
                    templates[i].changed.insert(dependency)
                }
            case .watch(.failed(let dependency, let error, let attempt)):
                emit(RuntimeEvent(.registryError, attempt == 1 ? .warn : .debug,
                                  "\(dependency): \(error) (attempt \(attempt), retrying)"))
            case .watch(.gaveUp(let dependency, let error)):
                emit(RuntimeEvent(.registryGaveUp, .error, "\(dependency): \(error) (giving up)"))
                fatal = RuntimeError(.registry, "\(dependency): \(error)")
            case .snapshot(.success(let snapshot)):
                brain.replace(with: snapshot)
                emit(RuntimeEvent(.snapshotLoaded, .info, "snapshot reloaded"))
                // A new snapshot version changes everything at once; only the
                // templates whose output moves count as changed, so edits to
                // unrelated data never push a template's quiescence back.
                for i in templates.indices {
                    if templates[i].hasRendered, case .rendered(let bytes) = templates[i].renderer.render(source: brain).outcome,
                       bytes == templates[i].lastPublished {
                        continue
                    }
                    templates[i].quiescence.change(at: now)
                    templates[i].changedAll = true
                }
            case .snapshot(.failure(let error)):
                emit(RuntimeEvent(.snapshotInvalid, .error, "\(error) (keeping the last good snapshot)"))
            case .childExited(let termination):
                emit(RuntimeEvent(.childExited, termination == .exited(0) ? .info : .warn, "child \(termination)"))
                childExit = termination
            }
        }
    }

    // MARK: - Render

    private func window(_ t: ManagedTemplate) -> WaitWindow? {
        // The first render is never delayed (consul-template's rule).
        t.hasRendered ? (t.config.wait ?? configuration.wait) : nil
    }

    /// Renders what is due; true when a destination changed.
    private func processDue() async -> Bool {
        let now = clock.now
        var changed: [(index: Int, previous: [UInt8]?)] = []
        var dependenciesMoved = false
        for i in templates.indices {
            guard let due = templates[i].quiescence.deadline(window(templates[i])), due <= now else { continue }
            templates[i].quiescence.reset()
            // When only data the last pass missed has arrived and some of it is
            // still missing, the pass cannot complete: wait for the rest instead
            // of re-rendering per arrival (10,000 services arriving one by one
            // would be 10,000 passes). A change to data the pass did use still
            // renders at once (it may make the missing data unnecessary).
            let missing = Set(templates[i].missing)
            if !templates[i].changedAll, templates[i].changed.isSubset(of: missing),
               missing.contains(where: { !brain.has($0) }) {
                continue
            }
            templates[i].changed.removeAll()
            templates[i].changedAll = false
            let result = templates[i].renderer.render(source: brain, sizeHint: templates[i].lastSize)
            if case .rendered(let bytes) = result.outcome { templates[i].lastSize = bytes.count }
            if templates[i].dependencies != result.dependencies {
                templates[i].dependencies = result.dependencies
                dependenciesMoved = true
            }
            switch result.outcome {
            case .rendered(let bytes):
                templates[i].missing = []
                templates[i].missingSince = nil
                templates[i].nextMissingReport = nil
                if let published = await publish(i, bytes) { changed.append((i, published.previous)) }
            case .incomplete(let missing, _):
                templates[i].missing = missing
                if templates[i].missingSince == nil {
                    templates[i].missingSince = now
                    templates[i].nextMissingReport = now + configuration.missingDataGrace
                    templates[i].missingReportInterval = configuration.missingDataGrace
                }
            case .failed(let error):
                templates[i].missing = []
                templates[i].missingSince = nil
                templates[i].nextMissingReport = nil
                emit(RuntimeEvent(.templateFailed, .error, template: templates[i].name, error.description))
                if configuration.templateErrorFatal || configuration.once {
                    fatal = RuntimeError(.template, error.description)
                }
            }
        }
        if dependenciesMoved { rebuildIndex() }
        reportMissing(now)
        if !changed.isEmpty { await runCommands(changed) }
        if !announcedReady && templates.allSatisfy(\.hasRendered) {
            announcedReady = true
            emit(RuntimeEvent(.ready, .info, "all templates rendered"))
        }
        return !changed.isEmpty
    }

    /// Rebuilds the dependency → template index and tells the watcher what to watch.
    private func rebuildIndex() {
        var index: [Dependency: [Int]] = [:]
        for (i, t) in templates.enumerated() {
            for d in t.dependencies where index[d]?.last != i { index[d, default: []].append(i) }
        }
        for dropped in users.keys where index[dropped] == nil { brain.forget(dropped) }
        users = index
        watcher?.update(Set(index.keys))
    }

    private func reportMissing(_ now: ContinuousClock.Instant) {
        for i in templates.indices {
            guard let since = templates[i].missingSince, let next = templates[i].nextMissingReport, next <= now,
                  !templates[i].missing.isEmpty else { continue }
            let waited = GoDuration.format(now - since)
            let names = templates[i].missing.map(\.description).joined(separator: ", ")
            emit(RuntimeEvent(.waiting, .warn, template: templates[i].name, "waiting for \(names) (missing \(waited))"))
            templates[i].missingReportInterval *= 2
            templates[i].nextMissingReport = now + templates[i].missingReportInterval
        }
    }

    // MARK: - Write

    /// A destination that changed, with what it held before (nil: nothing).
    private struct Published {
        let previous: [UInt8]?
    }

    /// Publishes a complete rendering: dry-run print, sink, or check and
    /// atomic write. Nil when nothing changed or the write was refused.
    /// `bytes` in a buffer of their size: a rendering's buffer grew by
    /// doubling, and the last one published is kept until the next.
    private static func exactCopy(_ bytes: [UInt8]) -> [UInt8] {
        guard bytes.capacity - bytes.count > 4096 else { return bytes }
        return [UInt8](unsafeUninitializedCapacity: bytes.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: bytes)
        }
    }

    private func publish(_ i: Int, _ bytes: [UInt8]) async -> Published? {
        let t = templates[i]
        if configuration.dry {
            templates[i].hasRendered = true
            guard t.lastPublished != bytes else { return nil }
            templates[i].lastPublished = Self.exactCopy(bytes)
            let name = t.config.destination.name
            if configuration.diff {
                let current = FileManager.default.contents(atPath: name).map { String(decoding: $0, as: UTF8.self) } ?? ""
                let text = UnifiedDiff.diff(old: current, new: String(decoding: bytes, as: UTF8.self), oldName: name, newName: name + " (rendered)")
                configuration.dryOutput(text.isEmpty ? "> \(name): no change\n" : text)
            } else {
                configuration.dryOutput("> \(name)\n" + String(decoding: bytes, as: UTF8.self))
            }
            emit(RuntimeEvent(.dryRun, .info, template: t.name, "rendered (dry run)"))
            return nil
        }
        switch t.config.destination {
        case .sink(_, let sink):
            templates[i].hasRendered = true
            guard t.lastPublished != bytes else { return nil }
            let previous = t.lastPublished
            templates[i].lastPublished = Self.exactCopy(bytes)
            await sink(bytes)
            emit(RuntimeEvent(.rendered, .info, template: t.name, "delivered \(bytes.count) bytes"))
            return Published(previous: previous)
        case .file(let path):
            let previous = FileManager.default.contents(atPath: path).map { [UInt8]($0) }
            if previous == bytes {
                templates[i].hasRendered = true
                templates[i].lastPublished = Self.exactCopy(bytes)
                emit(RuntimeEvent(.unchanged, .debug, template: t.name, "unchanged"))
                return nil
            }
            do {
                let outcome: AtomicFileWriter.Outcome
                if let check = t.config.check {
                    let candidate = try writer.stage(bytes, for: path, options: t.config.writeOptions)
                    if let failure = await runCheck(check, candidate: candidate.path, destination: path, timeout: t.config.commandTimeout) {
                        writer.discard(candidate)
                        emit(RuntimeEvent(.checkFailed, .error, template: t.name,
                                          "check \"\(check.name)\" rejected the new contents; \(path) left untouched: \(failure)"))
                        if configuration.once { fatal = RuntimeError(.template, "\(t.name): check failed: \(failure)") }
                        return nil
                    }
                    outcome = try writer.commit(candidate, options: t.config.writeOptions)
                } else {
                    outcome = try writer.write(bytes, to: path, options: t.config.writeOptions)
                }
                templates[i].hasRendered = true
                templates[i].lastPublished = Self.exactCopy(bytes)
                let how = outcome == .writtenInPlace ? " (in place: the destination cannot be renamed over)" : ""
                emit(RuntimeEvent(.rendered, .info, template: t.name, "wrote \(bytes.count) bytes\(how)"))
                return Published(previous: previous)
            } catch {
                emit(RuntimeEvent(.writeFailed, .error, template: t.name, "\(error); \(path) left untouched"))
                if configuration.once { fatal = RuntimeError(.write, "\(t.name): \(error)") }
                return nil
            }
        }
    }

    // MARK: - Commands

    /// Runs each distinct command of the changed templates once, in the
    /// order the templates are configured.
    private func runCommands(_ changed: [(index: Int, previous: [UInt8]?)]) async {
        var order: [String] = []
        var groups: [String: (action: TemplateConfig.Action, timeout: Duration, members: [(index: Int, previous: [UInt8]?)])] = [:]
        for entry in changed {
            guard let action = templates[entry.index].config.command else { continue }
            let key = action.name
            if groups[key] == nil {
                order.append(key)
                groups[key] = (action, templates[entry.index].config.commandTimeout, [])
            }
            groups[key]?.members.append(entry)
        }
        for key in order {
            guard let group = groups[key] else { continue }
            let names = group.members.map { templates[$0.index].name }.joined(separator: ", ")
            guard let failure = await runAction(group.action, candidate: nil, destination: templates[group.members[0].index].config.destination.name, timeout: group.timeout) else {
                emit(RuntimeEvent(.commandSucceeded, .info, "command \"\(key)\" succeeded (for \(names))"))
                continue
            }
            if Task.isCancelled {
                // Shutting down is not the command's failure: no rollback, no second run.
                emit(RuntimeEvent(.commandFailed, .warn, "command \"\(key)\" (for \(names)): \(failure)"))
                return
            }
            emit(RuntimeEvent(.commandFailed, .error, "command \"\(key)\" failed (for \(names)): \(failure)"))
            let rollback = group.members.filter { templates[$0.index].config.rollbackOnFailure }
            var restored = 0
            for member in rollback where restore(member.index, member.previous) { restored += 1 }
            if restored > 0 {
                if let again = await runAction(group.action, candidate: nil, destination: "", timeout: group.timeout) {
                    emit(RuntimeEvent(.commandFailed, .error, "command \"\(key)\" failed again after rollback: \(again)"))
                } else {
                    emit(RuntimeEvent(.commandSucceeded, .info, "command \"\(key)\" succeeded after rollback"))
                }
            }
            if configuration.commandFailureFatal || configuration.once {
                fatal = RuntimeError(.command, "command \"\(key)\" failed: \(failure)")
            }
        }
    }

    /// Puts the previous contents back; false when there were none (a first
    /// render has nothing to roll back to) or the write failed.
    private func restore(_ i: Int, _ previous: [UInt8]?) -> Bool {
        guard case .file(let path) = templates[i].config.destination else { return false }
        guard let previous else {
            emit(RuntimeEvent(.rolledBack, .warn, template: templates[i].name, "no previous \(path) to roll back to; keeping the new one"))
            return false
        }
        do {
            _ = try writer.write(previous, to: path, options: templates[i].config.writeOptions)
            templates[i].lastPublished = previous
            emit(RuntimeEvent(.rolledBack, .warn, template: templates[i].name, "restored the previous \(path)"))
            return true
        } catch {
            emit(RuntimeEvent(.writeFailed, .error, template: templates[i].name, "rollback failed: \(error)"))
            return false
        }
    }

    private func runCheck(_ action: TemplateConfig.Action, candidate: String, destination: String, timeout: Duration) async -> String? {
        await runAction(action, candidate: candidate, destination: destination, timeout: timeout)
    }

    /// Runs an action; nil on success, else what went wrong (exit status and output tail).
    private func runAction(_ action: TemplateConfig.Action, candidate: String?, destination: String, timeout: Duration) async -> String? {
        var environment = ProcessInfo.processInfo.environment
        for (k, v) in configuration.commandEnvironment { environment[k] = v }
        if let candidate { environment["RETMPL_CANDIDATE"] = candidate }
        if !destination.isEmpty { environment["RETMPL_DESTINATION"] = destination }
        let command: CommandRunner.Command
        switch action {
        case .closure(_, let body):
            do {
                try await body(TemplateConfig.ActionContext(candidate: candidate, destination: destination))
                return nil
            } catch {
                return String(describing: error)
            }
        case .shell(let line):
            command = .shell(line, environment: environment, timeout: timeout)
        case .arguments(let argv):
            command = CommandRunner.Command(arguments: argv, environment: environment, timeout: timeout)
        }
        do {
            // Stopping the daemon lets a command in flight finish (within its
            // timeout): killing a reload halfway could leave the proxy down.
            let runner = commands
            let result = await Task { () -> Result<CommandRunner.Outcome, CommandRunner.SpawnError> in
                do throws(CommandRunner.SpawnError) { return .success(try await runner.run(command)) } catch { return .failure(error) }
            }.value
            let outcome = try result.get()
            if outcome.succeeded { return nil }
            let status: String
            switch outcome.termination {
            case .exited(let code): status = "exit status \(code)"
            case .signaled(let signal): status = "killed by signal \(signal)"
            case .timedOut: status = "timed out after \(GoDuration.format(timeout)); process group killed"
            case .cancelled: status = "interrupted: retmpl is stopping"
            }
            let tail = outcome.tail(lines: 10).trimmingCharacters(in: .whitespacesAndNewlines)
            return tail.isEmpty ? status : "\(status): \(tail)"
        } catch {
            return error.description
        }
    }

    // MARK: - Timing

    private func nextDeadline(started: ContinuousClock.Instant) -> ContinuousClock.Instant? {
        let now = clock.now
        var next: ContinuousClock.Instant?
        func consider(_ d: ContinuousClock.Instant?) {
            guard let d else { return }
            next = next.map { min($0, d) } ?? d
        }
        for t in templates {
            consider(t.quiescence.deadline(window(t)))
            if t.missingSince != nil, let report = t.nextMissingReport, report > now { consider(report) }
        }
        // Deadlines already past would wake the loop at once, forever.
        if configuration.once, started + configuration.missingDataGrace > now { consider(started + configuration.missingDataGrace) }
        return next
    }

    /// In `once` mode: data that cannot arrive (a snapshot is complete) or
    /// did not arrive within the grace period.
    private func onceFailure(since started: ContinuousClock.Instant) -> RuntimeError? {
        let waiting = templates.filter { !$0.hasRendered && !$0.missing.isEmpty }
        guard !waiting.isEmpty else { return nil }
        let complete: Bool
        switch configuration.feed {
        case .registry: complete = false
        case .snapshot, .snapshotFile: complete = true
        }
        guard complete || clock.now >= started + configuration.missingDataGrace else { return nil }
        let lines = waiting.map { "\($0.name): missing \($0.missing.map(\.description).joined(separator: ", "))" }
        return RuntimeError(.missingData, "templates would not render: " + lines.joined(separator: "; "))
    }

    private func emit(_ event: RuntimeEvent) {
        configuration.observer?(event)
        eventSink.yield(event)
    }
}

/// A template the runner manages: parsed once, with the state of its last pass.
struct ManagedTemplate {
    let config: TemplateConfig
    let renderer: TemplateRenderer
    let name: String
    var dependencies: [Dependency] = []
    var missing: [Dependency] = []
    var missingSince: ContinuousClock.Instant?
    var nextMissingReport: ContinuousClock.Instant?
    var missingReportInterval: Duration = .seconds(30)
    var quiescence = Quiescence()
    /// Dependencies whose data changed since the last pass (all of them
    /// after a new snapshot version or at start).
    var changed: Set<Dependency> = []
    var changedAll = true
    var hasRendered = false
    /// What the runner last published (sinks and dry runs compare against it).
    var lastPublished: [UInt8]?
    /// Size of the last complete rendering: the next one's buffer starts that big.
    var lastSize = 0

    init(_ config: TemplateConfig) throws(RuntimeError) {
        self.config = config
        self.name = config.name
        let text: String, sourceName: String
        switch config.source {
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else {
                throw RuntimeError(.template, "\(path): cannot read template: \(String(cString: strerror(errno)))")
            }
            text = String(decoding: data, as: UTF8.self)
            sourceName = path
        case .text(let source, let name):
            text = source
            sourceName = name
        }
        do {
            renderer = try TemplateRenderer(source: text, name: sourceName, options: config.options)
        } catch {
            throw RuntimeError(.template, error.description)
        }
    }
}
