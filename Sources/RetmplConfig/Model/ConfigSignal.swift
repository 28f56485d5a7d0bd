#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A signal named in a configuration file (`"SIGHUP"`, `"hup"`), or none.
///
/// consul-template reads an empty string as "no signal": `reload_signal = ""`
/// stops listening for reloads, and an exec `reload_signal = ""` restarts the
/// child instead of signalling it. ``disabled`` keeps that apart from "not set"
/// (a `nil` property).
public struct ConfigSignal: Sendable, Hashable, CustomStringConvertible {
    /// The canonical name with its `SIG` prefix (`"SIGHUP"`), or `""` when disabled.
    public let name: String
    /// The platform's number for the signal; 0 when disabled.
    public let number: Int32

    /// An explicit empty string: no signal.
    public static let disabled = ConfigSignal(name: "", number: 0)

    public var isDisabled: Bool { name.isEmpty }
    public var description: String { isDisabled ? "(none)" : name }

    private init(name: String, number: Int32) {
        self.name = name
        self.number = number
    }

    /// Reads a signal name case-insensitively, with or without `SIG`; `""` is ``disabled``.
    ///
    /// - Returns: nil for a name this platform does not know.
    public init?(parsing text: String) {
        if text.isEmpty {
            self = .disabled
            return
        }
        var upper = text.uppercased()
        if !upper.hasPrefix("SIG") { upper = "SIG" + upper }
        guard let number = Self.known.first(where: { $0.0 == upper })?.1 else { return nil }
        self.init(name: upper, number: number)
    }

    /// Names consul-template's `signals` package accepts on Unix.
    static let known: [(String, Int32)] = [
        ("SIGABRT", SIGABRT), ("SIGALRM", SIGALRM), ("SIGBUS", SIGBUS), ("SIGCHLD", SIGCHLD),
        ("SIGCONT", SIGCONT), ("SIGFPE", SIGFPE), ("SIGHUP", SIGHUP), ("SIGILL", SIGILL),
        ("SIGINT", SIGINT), ("SIGIO", SIGIO), ("SIGIOT", SIGIOT), ("SIGKILL", SIGKILL),
        ("SIGPIPE", SIGPIPE), ("SIGPROF", SIGPROF), ("SIGQUIT", SIGQUIT), ("SIGSEGV", SIGSEGV),
        ("SIGSTOP", SIGSTOP), ("SIGSYS", SIGSYS), ("SIGTERM", SIGTERM), ("SIGTRAP", SIGTRAP),
        ("SIGTSTP", SIGTSTP), ("SIGTTIN", SIGTTIN), ("SIGTTOU", SIGTTOU), ("SIGURG", SIGURG),
        ("SIGUSR1", SIGUSR1), ("SIGUSR2", SIGUSR2), ("SIGWINCH", SIGWINCH), ("SIGXCPU", SIGXCPU),
        ("SIGXFSZ", SIGXFSZ),
    ]

    /// The accepted names, for error messages.
    static var knownNames: [String] { known.map(\.0) }
}
