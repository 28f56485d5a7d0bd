public import RetmplTemplate

/// One template the runtime keeps rendered: where it comes from, where it
/// goes, how the candidate is checked and what runs after a change.
public struct TemplateConfig: Sendable {
    /// Where the template text comes from.
    public enum Source: Sendable {
        /// A `.ctmpl` file, read when the runtime starts.
        case file(String)
        /// Template text given in code (`contents` in consul-template's config).
        case text(String, name: String)
    }

    /// Where a rendering goes.
    public enum Destination: Sendable {
        /// A file, written atomically.
        case file(String)
        /// An in-memory sink for proxies that embed retmpl; called with each
        /// new rendering (never twice in a row with the same bytes).
        case sink(name: String, @Sendable ([UInt8]) async -> Void)
    }

    /// A command or closure run to check a candidate or after a change.
    public enum Action: Sendable {
        /// A line for `/bin/sh -c` (consul-template's string form).
        case shell(String)
        /// An argv run directly (consul-template's list form).
        case arguments([String])
        /// Swift code; throwing fails the check or the reload. The context
        /// names the candidate file for checks.
        case closure(name: String, @Sendable (ActionContext) async throws -> Void)
    }

    /// What an ``Action/closure(name:_:)`` is told.
    public struct ActionContext: Sendable {
        /// The candidate file a check should validate (nil after a change).
        public let candidate: String?
        /// The destination the candidate will replace.
        public let destination: String
    }

    public var source: Source
    public var destination: Destination
    /// Validates the candidate before it replaces the live file; the
    /// candidate's path is in `RETMPL_CANDIDATE`.
    public var check: Action?
    /// Runs after the destination changed; templates sharing a command run it once per pass.
    public var command: Action?
    public var commandTimeout: Duration
    /// Quiescence for this template; nil uses the runtime's.
    public var wait: WaitWindow?
    public var writeOptions: AtomicFileWriter.Options
    public var options: TextTemplate.Options
    /// Restore the previous file and run the command again when the command fails.
    public var rollbackOnFailure: Bool

    public init(
        source: Source, destination: Destination, check: Action? = nil, command: Action? = nil,
        commandTimeout: Duration = .seconds(30), wait: WaitWindow? = nil,
        writeOptions: AtomicFileWriter.Options = AtomicFileWriter.Options(),
        options: TextTemplate.Options = TextTemplate.Options(), rollbackOnFailure: Bool = false
    ) {
        self.source = source
        self.destination = destination
        self.check = check
        self.command = command
        self.commandTimeout = commandTimeout
        self.wait = wait
        self.writeOptions = writeOptions
        self.options = options
        self.rollbackOnFailure = rollbackOnFailure
    }

    /// `source -> destination`, as logs name a template.
    public var name: String {
        let from: String
        switch source {
        case .file(let path): from = path
        case .text(_, let name): from = name
        }
        return from + " -> " + destination.name
    }
}

extension TemplateConfig.Destination {
    /// The path, or the sink's name.
    public var name: String {
        switch self {
        case .file(let path): return path
        case .sink(let name, _): return name
        }
    }
}

extension TemplateConfig.Action {
    /// How logs and de-duplication name the action.
    public var name: String {
        switch self {
        case .shell(let line): return line
        case .arguments(let argv): return argv.joined(separator: " ")
        case .closure(let name, _): return name
        }
    }
}

/// consul-template's quiescence `wait`: render once the data has been quiet
/// for `min`, but at most `max` after the first change.
public struct WaitWindow: Sendable, Equatable {
    public var min: Duration
    public var max: Duration

    /// - Parameter max: defaults to 4×`min`, as consul-template.
    public init(min: Duration, max: Duration? = nil) {
        self.min = min
        self.max = max ?? min * 4
    }
}
