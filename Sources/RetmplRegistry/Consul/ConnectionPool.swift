import Foundation
import Glibc

/// Idle keep-alive connections, a few per endpoint.
final class ConnectionPool: @unchecked Sendable {
    private struct Idle {
        var connection: Connection
        var since: ContinuousClock.Instant
    }

    private let lock = NSLock()
    /// Keyed by endpoint, which for `https` includes its TLS configuration.
    private var idle: [HTTPEndpoint: [Idle]] = [:]
    private let maxIdlePerEndpoint: Int
    private let idleTimeout: Duration

    init(maxIdlePerEndpoint: Int, idleTimeout: Duration) {
        self.maxIdlePerEndpoint = maxIdlePerEndpoint
        self.idleTimeout = idleTimeout
    }

    deinit {
        for list in idle.values { for entry in list { entry.connection.close() } }
    }

    /// A live idle connection to `endpoint`, most recently used first.
    func checkout(_ endpoint: HTTPEndpoint) -> Connection? {
        while true {
            let candidate: Idle? = lock.withLock {
                guard var list = idle[endpoint], let last = list.popLast() else { return nil }
                idle[endpoint] = list.isEmpty ? nil : list
                return last
            }
            guard let entry = candidate else { return nil }
            if ContinuousClock.now - entry.since < idleTimeout && entry.connection.looksAlive { return entry.connection }
            entry.connection.close()
        }
    }

    /// Returns a connection whose last response was fully read and allows reuse.
    func checkin(_ endpoint: HTTPEndpoint, _ connection: Connection) {
        let keep: Bool = lock.withLock {
            var list = idle[endpoint] ?? []
            guard list.count < maxIdlePerEndpoint else { return false }
            list.append(Idle(connection: connection, since: .now))
            idle[endpoint] = list
            return true
        }
        if !keep { connection.close() }
    }
}
