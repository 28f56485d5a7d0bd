import Foundation
import Glibc

/// HTTP/1.1 over POSIX sockets (TCP, TLS via the system's OpenSSL, or unix), with keep-alive reuse.
///
/// Each in-flight request runs on its own thread, blocked in `poll()`, so a
/// parked long poll costs no CPU and never ties up Swift's cooperative pool.
/// Cancelling the task wakes the thread through a self-pipe at once.
public final class SocketHTTPTransport: HTTPTransport, @unchecked Sendable {
    /// Connection counters, for tests and diagnostics.
    public struct Statistics: Sendable, Equatable {
        public var connectionsOpened = 0
        public var connectionsReused = 0

        public init(connectionsOpened: Int = 0, connectionsReused: Int = 0) {
            self.connectionsOpened = connectionsOpened
            self.connectionsReused = connectionsReused
        }
    }

    /// Largest accepted response body; larger ones fail with `responseTooLarge`.
    public let maxResponseBytes: Int
    /// Bound on establishing one connection (within the request's own timeout).
    public let connectTimeout: Duration

    private let pool: ConnectionPool
    private let tlsContexts = TLSContextCache()
    private let statsLock = NSLock()
    private var stats = Statistics()

    public init(
        maxResponseBytes: Int = 64 << 20, connectTimeout: Duration = .seconds(5),
        maxIdlePerEndpoint: Int = 4, idleTimeout: Duration = .seconds(90)
    ) {
        self.maxResponseBytes = maxResponseBytes
        self.connectTimeout = connectTimeout
        self.pool = ConnectionPool(maxIdlePerEndpoint: maxIdlePerEndpoint, idleTimeout: idleTimeout)
    }

    public var statistics: Statistics { statsLock.withLock { stats } }

    public func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse {
        try Task.checkCancellation()
        try Self.validate(request)
        let cancel = try CancelSignal()
        defer { cancel.close() }
        let deadline = ContinuousClock.now + timeout
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<HTTPResponse, any Error>) in
                let thread = Thread { [self] in
                    Self.blockSIGPIPE()
                    do {
                        let response = try self.exchange(request, cancel: cancel, deadline: deadline, timeout: timeout)
                        continuation.resume(returning: response)
                    } catch is WorkerCancelled {
                        continuation.resume(throwing: CancellationError())
                    } catch {
                        continuation.resume(throwing: error)
                    }
                }
                thread.name = "retmpl-http"
                thread.start()
            }
        } onCancel: {
            cancel.fire()
        }
    }

    /// OpenSSL writes to the socket with `write()`, which raises SIGPIPE on a
    /// closed peer; blocked on this short-lived worker thread, the signal stays
    /// pending on it and dies with it, and the write fails with EPIPE instead.
    private static func blockSIGPIPE() {
        var set = sigset_t()
        sigemptyset(&set)
        sigaddset(&set, SIGPIPE)
        pthread_sigmask(SIG_BLOCK, &set, nil)
    }

    /// Refuses line breaks in the request head, which would let a header value
    /// (a token, say) smuggle in extra header lines.
    private static func validate(_ request: HTTPRequest) throws(HTTPTransportError) {
        func bad(_ s: String) -> Bool { s.utf8.contains { $0 == 0x0D || $0 == 0x0A || $0 == 0 } }
        if bad(request.method) || request.method.isEmpty || bad(request.target) || !request.target.hasPrefix("/") {
            throw .invalidRequest("invalid method or target")
        }
        for (name, value) in request.headers where bad(name) || bad(value) || name.isEmpty {
            throw .invalidRequest("header \"\(name)\" contains a line break")
        }
    }

    /// One request on a pooled or new connection; a reused connection that the
    /// server had already closed gets one retry on a fresh one.
    private func exchange(
        _ request: HTTPRequest, cancel: CancelSignal, deadline: ContinuousClock.Instant, timeout: Duration
    ) throws -> HTTPResponse {
        let wire = request.encoded()
        if let connection = pool.checkout(request.endpoint) {
            statsLock.withLock { stats.connectionsReused += 1 }
            switch try attempt(request, wire: wire, connection: connection, cancel: cancel, deadline: deadline, timeout: timeout, reused: true) {
            case let .done(response): return response
            case .stale: break
            }
        }
        let connection = try open(request.endpoint, cancel: cancel, deadline: deadline, timeout: timeout)
        statsLock.withLock { stats.connectionsOpened += 1 }
        switch try attempt(request, wire: wire, connection: connection, cancel: cancel, deadline: deadline, timeout: timeout, reused: false) {
        case let .done(response): return response
        case .stale: throw HTTPTransportError.connectionClosed(endpoint: request.endpoint.description)
        }
    }

    /// A new connection; for `https`, with the TLS handshake done (bounded by `connectTimeout`).
    private func open(
        _ endpoint: HTTPEndpoint, cancel: CancelSignal, deadline: ContinuousClock.Instant, timeout: Duration
    ) throws -> Connection {
        // A bad CA or key file fails before any connection is made.
        var context: TLSContext? = nil
        if case let .tls(_, _, configuration) = endpoint { context = try tlsContexts.context(for: configuration) }
        let fd = try SocketConnector.connect(endpoint, cancel: cancel, deadline: deadline,
                                             timeout: timeout, connectTimeout: connectTimeout)
        guard let context, case let .tls(host, _, _) = endpoint else { return Connection(fd: fd) }
        let connection: Connection
        do {
            connection = Connection(fd: fd, tls: try TLSSession(context: context, fd: fd, host: host, endpoint: endpoint.description))
        } catch {
            _ = Glibc.close(fd)
            throw error
        }
        do {
            let io = SocketIO(fd: connection.fd, endpoint: endpoint.description, cancel: cancel, deadline: deadline, timeout: timeout)
            try connection.handshake(io, until: ContinuousClock.now + connectTimeout, limitTimeout: connectTimeout)
        } catch {
            connection.close()
            throw error
        }
        return connection
    }

    private enum Outcome {
        case done(HTTPResponse)
        /// A reused connection died before any response byte: safe to retry.
        case stale
    }

    private func attempt(
        _ request: HTTPRequest, wire: [UInt8], connection: Connection, cancel: CancelSignal,
        deadline: ContinuousClock.Instant, timeout: Duration, reused: Bool
    ) throws -> Outcome {
        let name = request.endpoint.description
        // Only a request that may be repeated is retried after the server had it.
        let retryable = reused && (request.method == "GET" || request.method == "HEAD")
        let io = SocketIO(fd: connection.fd, endpoint: name, cancel: cancel, deadline: deadline, timeout: timeout)
        var parser = HTTPResponseParser(maxBodyBytes: maxResponseBytes, bodyless: request.method == "HEAD")
        var received = 0
        do {
            do {
                try connection.writeAll(wire, io)
            } catch HTTPTransportError.io(_, "write", _) where reused {
                connection.close()
                return .stale
            }
            try withUnsafeTemporaryAllocation(byteCount: 16 * 1024, alignment: 1) { buffer in
                while true {
                    let n = try connection.readSome(into: buffer, io)
                    if n == 0 {
                        if received == 0 && retryable { throw StaleConnection() }
                        _ = try parser.finish()
                        return
                    }
                    received += n
                    if try parser.feed(UnsafeRawBufferPointer(rebasing: buffer[0..<n])) { return }
                }
            }
        } catch is StaleConnection {
            connection.close()
            return .stale
        } catch HTTPTransportError.connectionClosed(_) where retryable && received == 0 {
            connection.close()
            return .stale
        } catch let error as HTTPResponseParser.ParseError {
            connection.close()
            switch error {
            case let .malformed(detail): throw HTTPTransportError.malformedResponse(endpoint: name, detail: detail)
            case let .tooLarge(limit): throw HTTPTransportError.responseTooLarge(endpoint: name, limit: limit)
            case .truncated: throw HTTPTransportError.connectionClosed(endpoint: name)
            }
        } catch {
            connection.close()
            throw error
        }
        guard let response = parser.response else {
            connection.close()
            throw HTTPTransportError.connectionClosed(endpoint: name)
        }
        if parser.keepAlive && !parser.hasLeftover && !connection.hasBufferedData && !cancel.isFired {
            pool.checkin(request.endpoint, connection)
        } else {
            connection.close()
        }
        return .done(response)
    }
}

private struct StaleConnection: Error {}
