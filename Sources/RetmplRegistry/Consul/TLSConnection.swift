import COpenSSL
import Glibc

/// One TLS client session over a connected non-blocking socket.
///
/// OpenSSL never blocks here: each `WANT_READ`/`WANT_WRITE` becomes a wait in
/// ``SocketIO/wait(_:until:limitTimeout:)``, so TLS keeps plain HTTP's
/// deadline and cancellation (self-pipe) semantics and a parked read costs no CPU.
/// Used by one thread at a time (the connection pool hands it over).
final class TLSSession {
    /// `SSL *`
    private let ssl: OpaquePointer
    private let endpoint: String

    /// Prepares a session on `fd` for `host`: SNI, and host name or IP checks when verifying.
    init(context: TLSContext, fd: Int32, host: String, endpoint: String) throws(HTTPTransportError) {
        ERR_clear_error()
        guard let ssl = SSL_new(context.pointer) else {
            throw .tlsSetup("cannot create a TLS session: \(OpenSSLError.drain())")
        }
        self.ssl = ssl
        self.endpoint = endpoint
        guard SSL_set_fd(ssl, fd) == 1 else {
            throw .tlsSetup("cannot attach TLS to the socket: \(OpenSSLError.drain())")
        }
        let name = context.configuration.serverName ?? host
        let isIP = Self.isIPAddress(name)
        // RFC 6066: SNI carries DNS names only.
        if !isIP && retmpl_ssl_set_sni(ssl, name) != 1 {
            throw .tlsSetup("invalid TLS server name \"\(name)\": \(OpenSSLError.drain())")
        }
        if context.configuration.verify {
            let ok: Bool
            if isIP {
                ok = X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name) == 1
            } else {
                X509_VERIFY_PARAM_set_hostflags(SSL_get0_param(ssl), UInt32(X509_CHECK_FLAG_NO_PARTIAL_WILDCARDS))
                ok = SSL_set1_host(ssl, name) == 1
            }
            guard ok else { throw .tlsSetup("invalid TLS server name \"\(name)\": \(OpenSSLError.drain())") }
        }
        SSL_set_connect_state(ssl)
    }

    deinit { SSL_free(ssl) }

    /// Runs the handshake, bounded by `limit` (the connect timeout) inside the request's deadline.
    func handshake(_ io: SocketIO, until limit: ContinuousClock.Instant, limitTimeout: Duration) throws {
        while true {
            ERR_clear_error()
            let rc = SSL_connect(ssl)
            if rc == 1 { return }
            let code = SSL_get_error(ssl, rc)
            switch code {
            case SSL_ERROR_WANT_READ: try io.wait(Int32(POLLIN), until: limit, limitTimeout: limitTimeout)
            case SSL_ERROR_WANT_WRITE: try io.wait(Int32(POLLOUT), until: limit, limitTimeout: limitTimeout)
            default:
                let verdict = SSL_get_verify_result(ssl)
                if verdict != X509_V_OK {
                    ERR_clear_error()
                    let reason = X509_verify_cert_error_string(verdict).map { String(cString: $0) } ?? "error \(verdict)"
                    throw HTTPTransportError.certificateVerifyFailed(endpoint: endpoint, reason: reason)
                }
                throw failure(code, rc: rc, operation: "handshake")
            }
        }
    }

    /// Writes all of `bytes`.
    func writeAll(_ bytes: [UInt8], _ io: SocketIO) throws {
        var offset = 0
        while offset < bytes.count {
            ERR_clear_error()
            let chunk = Int32(clamping: bytes.count - offset)
            let n = bytes.withUnsafeBytes { raw in SSL_write(ssl, raw.baseAddress.map { $0 + offset }, chunk) }
            if n > 0 {
                offset += Int(n)
                continue
            }
            let code = SSL_get_error(ssl, n)
            switch code {
            case SSL_ERROR_WANT_WRITE: try io.wait(Int32(POLLOUT))
            case SSL_ERROR_WANT_READ: try io.wait(Int32(POLLIN))
            // The transport retries a reused connection after a failed write.
            case SSL_ERROR_ZERO_RETURN: throw HTTPTransportError.io(endpoint: endpoint, operation: "write", message: "connection closed")
            case SSL_ERROR_SYSCALL:
                let err = errno
                // A server that refused us after our side of a TLS 1.3 handshake
                // (no client certificate) sent an alert before closing: report that.
                if let alert = pendingAlert() { throw alert }
                throw HTTPTransportError.io(endpoint: endpoint, operation: "write",
                                            message: err == 0 ? "connection closed" : errnoText(err))
            default: throw failure(code, rc: n, operation: "write")
            }
        }
    }

    /// Reads decrypted bytes into `buffer`, waiting as needed; 0 means end of stream.
    func readSome(into buffer: UnsafeMutableRawBufferPointer, _ io: SocketIO) throws -> Int {
        while true {
            ERR_clear_error()
            let n = SSL_read(ssl, buffer.baseAddress, Int32(clamping: buffer.count))
            if n > 0 { return Int(n) }
            let code = SSL_get_error(ssl, n)
            switch code {
            case SSL_ERROR_WANT_READ: try io.wait(Int32(POLLIN))
            case SSL_ERROR_WANT_WRITE: try io.wait(Int32(POLLOUT))
            case SSL_ERROR_ZERO_RETURN: return 0
            case SSL_ERROR_SYSCALL:
                let err = errno
                if err == 0 { return 0 }
                if err == ECONNRESET { throw HTTPTransportError.connectionClosed(endpoint: endpoint) }
                throw HTTPTransportError.io(endpoint: endpoint, operation: "read", message: errnoText(err))
            default: throw failure(code, rc: n, operation: "read")
            }
        }
    }

    /// A TLS alert already received on a connection whose write failed, as an error; nil if none.
    private func pendingAlert() -> HTTPTransportError? {
        ERR_clear_error()
        var byte: UInt8 = 0
        let n = SSL_read(ssl, &byte, 1)
        guard n <= 0, SSL_get_error(ssl, n) == SSL_ERROR_SSL else {
            ERR_clear_error()
            return nil
        }
        return failure(SSL_ERROR_SSL, rc: n, operation: "write")
    }

    /// Decrypted bytes OpenSSL holds that no read has taken yet.
    var hasBufferedData: Bool { SSL_pending(ssl) > 0 }

    /// Whether an idle session can carry a request: nothing but TLS housekeeping
    /// (TLS 1.3 session tickets) may have arrived since the last response.
    func looksAlive(fd: Int32) -> Bool {
        if hasBufferedData { return false }
        var p = pollfd(fd: fd, events: Int16(POLLIN), revents: 0)
        if poll(&p, 1, 0) == 0 { return true }
        ERR_clear_error()
        var byte: UInt8 = 0
        let n = SSL_peek(ssl, &byte, 1)
        let alive = n <= 0 && SSL_get_error(ssl, n) == SSL_ERROR_WANT_READ
        ERR_clear_error()
        return alive
    }

    private func failure(_ code: Int32, rc: Int32, operation: String) -> HTTPTransportError {
        if code == SSL_ERROR_SYSCALL {
            let err = errno
            ERR_clear_error()
            if err == 0 || err == ECONNRESET || err == EPIPE {
                return .tlsFailed(endpoint: endpoint, operation: operation, message: "the server closed the connection")
            }
            return .tlsFailed(endpoint: endpoint, operation: operation, message: errnoText(err))
        }
        var message = OpenSSLError.drain()
        if message.contains("certificate required") {
            message += " (the server requires a client certificate: -consul-ssl-cert and -consul-ssl-key)"
        } else if message.contains("wrong version number") || message.contains("packet length too long") {
            message += " (is the server speaking HTTPS?)"
        }
        return .tlsFailed(endpoint: endpoint, operation: operation, message: message)
    }

    private static func isIPAddress(_ name: String) -> Bool {
        var v4 = in_addr()
        var v6 = in6_addr()
        return inet_pton(AF_INET, name, &v4) == 1 || inet_pton(AF_INET6, name, &v6) == 1
    }
}
