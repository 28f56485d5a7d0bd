import Foundation
import Glibc

/// Idle keep-alive connections, a few per endpoint.
final class ConnectionPool: @unchecked Sendable {
    private struct Idle {
        var fd: Int32
        var since: ContinuousClock.Instant
    }

    private let lock = NSLock()
    private var idle: [HTTPEndpoint: [Idle]] = [:]
    private let maxIdlePerEndpoint: Int
    private let idleTimeout: Duration

    init(maxIdlePerEndpoint: Int, idleTimeout: Duration) {
        self.maxIdlePerEndpoint = maxIdlePerEndpoint
        self.idleTimeout = idleTimeout
    }

    deinit {
        for list in idle.values { for entry in list { _ = close(entry.fd) } }
    }

    /// A live idle connection to `endpoint`, most recently used first.
    func checkout(_ endpoint: HTTPEndpoint) -> Int32? {
        while true {
            let candidate: Idle? = lock.withLock {
                guard var list = idle[endpoint], let last = list.popLast() else { return nil }
                idle[endpoint] = list.isEmpty ? nil : list
                return last
            }
            guard let entry = candidate else { return nil }
            if ContinuousClock.now - entry.since < idleTimeout && Self.looksAlive(entry.fd) { return entry.fd }
            _ = close(entry.fd)
        }
    }

    /// Returns a connection whose last response was fully read and allows reuse.
    func checkin(_ endpoint: HTTPEndpoint, fd: Int32) {
        let keep: Bool = lock.withLock {
            var list = idle[endpoint] ?? []
            guard list.count < maxIdlePerEndpoint else { return false }
            list.append(Idle(fd: fd, since: .now))
            idle[endpoint] = list
            return true
        }
        if !keep { _ = close(fd) }
    }

    /// An idle HTTP connection has nothing to read; readable means the peer closed it
    /// (or sent something unasked), so it must not carry a request.
    private static func looksAlive(_ fd: Int32) -> Bool {
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) == 0
    }
}
