import Foundation
import Glibc

/// Wakes a worker thread parked in `poll()` when its task is cancelled.
///
/// A self-pipe: the cancellation handler writes one byte, the worker polls the
/// read end next to its socket. The lock keeps a late `fire()` from writing to
/// a descriptor number that `close()` has already released for reuse.
final class CancelSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var readFD: Int32 = -1
    private var writeFD: Int32 = -1
    private var fired = false

    init() throws(HTTPTransportError) {
        var fds: [Int32] = [-1, -1]
        guard pipe(&fds) == 0 else {
            throw .io(endpoint: "self-pipe", operation: "pipe", message: errnoText(errno))
        }
        for fd in fds {
            _ = fcntl(fd, F_SETFD, FD_CLOEXEC)
            _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) | O_NONBLOCK)
        }
        readFD = fds[0]
        writeFD = fds[1]
    }

    /// The descriptor to poll for `POLLIN`; valid until `close()`.
    var pollFD: Int32 { lock.withLock { readFD } }

    var isFired: Bool { lock.withLock { fired } }

    func fire() {
        lock.withLock {
            guard !fired else { return }
            fired = true
            if writeFD >= 0 {
                var byte: UInt8 = 1
                _ = write(writeFD, &byte, 1)
            }
        }
    }

    func close() {
        lock.withLock {
            if readFD >= 0 { _ = Glibc.close(readFD) }
            if writeFD >= 0 { _ = Glibc.close(writeFD) }
            readFD = -1
            writeFD = -1
        }
    }
}

/// `strerror` text for an errno value.
func errnoText(_ code: Int32) -> String {
    guard let text = strerror(code) else { return "errno \(code)" }
    return String(cString: text)
}
