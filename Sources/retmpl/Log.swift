import Foundation
import RetmplRuntime

/// Leveled log lines on stderr: `2026-11-23T02:30:00.123Z [INFO] message`.
final class Log: @unchecked Sendable {
    private let lock = NSLock()
    private var _level: RuntimeEvent.Level
    var level: RuntimeEvent.Level {
        get { lock.withLock { _level } }
        set { lock.withLock { _level = newValue } }
    }

    init(level: RuntimeEvent.Level) { _level = level }

    func event(_ event: RuntimeEvent) { write(event.level, event.description) }
    func info(_ message: String) { write(.info, message) }
    func error(_ message: String) { write(.error, message) }

    func write(_ level: RuntimeEvent.Level, _ message: String) {
        guard level >= self.level else { return }
        let name: String
        switch level {
        case .trace: name = "TRACE"
        case .debug: name = "DEBUG"
        case .info: name = "INFO"
        case .warn: name = "WARN"
        case .error: name = "ERR"
        }
        // One line per event: a multi-line message (command output) stays on it.
        let line = message.replacingOccurrences(of: "\n", with: " | ")
        lock.withLock { Console.err("\(Log.timestamp()) [\(name)] \(line)\n") }
    }

    private static func timestamp() -> String {
        var ts = timespec()
        clock_gettime(CLOCK_REALTIME, &ts)
        var t = ts.tv_sec
        var parts = tm()
        gmtime_r(&t, &parts)
        return String(format: "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1,
                      Int(parts.tm_mday), Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec), Int(ts.tv_nsec / 1_000_000))
    }
}
