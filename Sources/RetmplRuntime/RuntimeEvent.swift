/// Something the runtime did or saw, for logs and for embedding code.
public struct RuntimeEvent: Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A destination was written (or a sink called) with new contents.
        case rendered
        /// A complete render produced what the destination already holds.
        case unchanged
        /// `-dry`: the rendering was printed instead of written.
        case dryRun
        /// A template's pass is waiting for data that has not arrived.
        case waiting
        /// A complete pass failed (template error); the last good output stays.
        case templateFailed
        /// The check command rejected a candidate; the live file is untouched.
        case checkFailed
        /// Writing the destination failed; the live file is untouched.
        case writeFailed
        case commandSucceeded
        case commandFailed
        /// Candidate files left by an interrupted write (a `kill -9`) were removed at start.
        case staleCandidatesRemoved
        /// The previous file was restored after a failed command.
        case rolledBack
        /// A registry read failed and will be retried.
        case registryError
        /// A watch stopped retrying.
        case registryGaveUp
        /// A new snapshot file version was rejected; the last good data stays.
        case snapshotInvalid
        case snapshotLoaded
        /// Every template has rendered at least once.
        case ready
        /// Exec mode: the child was started, signalled or restarted, or exited.
        case childStarted, childReloaded, childExited
    }

    public enum Level: Int, Sendable, Comparable {
        case trace, debug, info, warn, error
        public static func < (a: Level, b: Level) -> Bool { a.rawValue < b.rawValue }
    }

    public let kind: Kind
    public let level: Level
    /// The template's `source -> destination` name, when the event is about one.
    public let template: String?
    public let message: String

    public init(_ kind: Kind, _ level: Level, template: String? = nil, _ message: String) {
        self.kind = kind
        self.level = level
        self.template = template
        self.message = message
    }

    public var description: String {
        template.map { "\($0): \(message)" } ?? message
    }
}

/// Why the runtime stopped before its work was done.
public struct RuntimeError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A template could not be read or parsed, or failed with `template_error_fatal`.
        case template
        /// `-once`: data never arrived.
        case missingData
        /// The registry could not be read (retries exhausted, snapshot invalid).
        case registry
        /// A command failed with `command_failure_fatal` (consul-template's behaviour).
        case command
        /// A destination could not be written in `-once` mode.
        case write
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
