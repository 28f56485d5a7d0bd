#if canImport(Glibc)
import Glibc
#endif
import Dispatch

/// A signal name as consul-template accepts it (`SIGHUP`, `HUP`, `hup`), or nil.
func signalNumber(_ name: String) -> Int32? {
    var n = name.uppercased()
    if n.hasPrefix("SIG") { n.removeFirst(3) }
    let table: [String: Int32] = [
        "HUP": SIGHUP, "INT": SIGINT, "QUIT": SIGQUIT, "TERM": SIGTERM, "USR1": SIGUSR1, "USR2": SIGUSR2,
        "KILL": SIGKILL, "ALRM": SIGALRM, "CHLD": SIGCHLD, "CONT": SIGCONT, "STOP": SIGSTOP, "TSTP": SIGTSTP,
        "TTIN": SIGTTIN, "TTOU": SIGTTOU, "WINCH": SIGWINCH, "PIPE": SIGPIPE,
    ]
    return table[n]
}

/// Delivers signals as an async stream (the handlers run on a dispatch
/// queue, never in signal context).
final class SignalStream: @unchecked Sendable {
    let signals: AsyncStream<Int32>
    private var sources: [any DispatchSourceSignal] = []

    init(_ numbers: [Int32]) {
        let (stream, continuation) = AsyncStream.makeStream(of: Int32.self)
        signals = stream
        for number in numbers {
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            sources.append(source)
        }
    }
}

/// Tells systemd the service is ready (`READY=1` on `$NOTIFY_SOCKET`).
func notifySystemd(_ state: String) {
    guard let path = getenv("NOTIFY_SOCKET").map({ String(cString: $0) }), !path.isEmpty else { return }
    let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
    guard fd >= 0 else { return }
    defer { close(fd) }
    var address = sockaddr_un()
    address.sun_family = sa_family_t(AF_UNIX)
    var bytes = Array(path.utf8)
    if bytes.first == UInt8(ascii: "@") { bytes[0] = 0 }  // abstract namespace
    let capacity = MemoryLayout.size(ofValue: address.sun_path)
    guard bytes.count < capacity else { return }
    withUnsafeMutableBytes(of: &address.sun_path) { raw in
        for (i, b) in bytes.enumerated() { raw[i] = b }
    }
    let length = socklen_t(MemoryLayout<sa_family_t>.size + bytes.count)
    let message = Array(state.utf8)
    _ = withUnsafePointer(to: &address) { p in
        p.withMemoryRebound(to: sockaddr.self, capacity: 1) { sa in
            message.withUnsafeBytes { m in sendto(fd, m.baseAddress, m.count, 0, sa, length) }
        }
    }
}
