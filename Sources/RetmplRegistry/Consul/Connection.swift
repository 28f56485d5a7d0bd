import Glibc

/// One open connection: its socket and, for `https` endpoints, the TLS session over it.
///
/// Used by one thread at a time; the pool hands it from request to request.
final class Connection: @unchecked Sendable {
    let fd: Int32
    private var tls: TLSSession?

    init(fd: Int32, tls: TLSSession? = nil) {
        self.fd = fd
        self.tls = tls
    }

    /// The TLS handshake (nothing to do in plain HTTP).
    func handshake(_ io: SocketIO, until limit: ContinuousClock.Instant, limitTimeout: Duration) throws {
        try tls?.handshake(io, until: limit, limitTimeout: limitTimeout)
    }

    func writeAll(_ bytes: [UInt8], _ io: SocketIO) throws {
        if let tls { try tls.writeAll(bytes, io) } else { try io.writeAll(bytes) }
    }

    /// 0 means end of stream.
    func readSome(into buffer: UnsafeMutableRawBufferPointer, _ io: SocketIO) throws -> Int {
        if let tls { try tls.readSome(into: buffer, io) } else { try io.readSome(into: buffer) }
    }

    /// Bytes already received but not yet read (decrypted TLS data).
    var hasBufferedData: Bool { tls?.hasBufferedData ?? false }

    /// An idle HTTP connection has nothing to read; readable means the peer closed it
    /// (or sent something unasked), so it must not carry a request.
    var looksAlive: Bool {
        if let tls { return tls.looksAlive(fd: fd) }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        return poll(&p, 1, 0) == 0
    }

    /// Frees the TLS session (without a close_notify, which could block) and closes the socket.
    func close() {
        tls = nil
        _ = Glibc.close(fd)
    }
}
