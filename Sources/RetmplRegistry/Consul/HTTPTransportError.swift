/// Why an HTTP exchange failed; `description` is the message shown to users.
public enum HTTPTransportError: Error, Sendable, Equatable, CustomStringConvertible {
    case invalidAddress(String, String)
    case invalidRequest(String)
    case resolveFailed(host: String, message: String)
    case connectionRefused(endpoint: String)
    case connectFailed(endpoint: String, message: String)
    /// The whole exchange (connect, send, receive) outlived its deadline.
    case timedOut(endpoint: String, after: Duration)
    case responseTooLarge(endpoint: String, limit: Int)
    case malformedResponse(endpoint: String, detail: String)
    /// The server closed the connection before the response was complete.
    case connectionClosed(endpoint: String)
    case io(endpoint: String, operation: String, message: String)
    /// The server's certificate was refused; `reason` is OpenSSL's ("self-signed certificate", "hostname mismatch").
    case certificateVerifyFailed(endpoint: String, reason: String)
    /// TLS failed during `operation` (handshake, read, write) for a reason other than the certificate.
    case tlsFailed(endpoint: String, operation: String, message: String)
    /// A CA, client certificate or key file could not be used.
    case tlsFile(kind: String, path: String, message: String)
    /// OpenSSL refused a setting or ran out of resources.
    case tlsSetup(String)

    public var description: String {
        switch self {
        case let .invalidAddress(address, why): "invalid address \"\(address)\": \(why)"
        case let .invalidRequest(why): "invalid request: \(why)"
        case let .resolveFailed(host, message): "cannot resolve \(host): \(message)"
        case let .connectionRefused(endpoint): "connection refused to \(endpoint)"
        case let .connectFailed(endpoint, message): "cannot connect to \(endpoint): \(message)"
        case let .timedOut(endpoint, after): "timeout after \(GoDuration.format(after.nanosecondsClamped)) talking to \(endpoint)"
        case let .responseTooLarge(endpoint, limit): "response too large from \(endpoint) (limit \(limit) bytes)"
        case let .malformedResponse(endpoint, detail): "malformed response from \(endpoint): \(detail)"
        case let .connectionClosed(endpoint): "connection closed by \(endpoint) before the response was complete"
        case let .io(endpoint, operation, message): "\(operation) failed on \(endpoint): \(message)"
        case let .certificateVerifyFailed(endpoint, reason): "certificate verify failed for \(endpoint): \(reason)"
        case let .tlsFailed(endpoint, operation, message): "TLS \(operation) with \(endpoint) failed: \(message)"
        case let .tlsFile(kind, path, message): "cannot use \(kind) \(path): \(message)"
        case let .tlsSetup(message): "TLS: \(message)"
        }
    }
}

extension Duration {
    /// Whole nanoseconds, saturating at `Int64` bounds.
    var nanosecondsClamped: Int64 {
        let (seconds, attoseconds) = components
        let (ns, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        if overflow { return seconds < 0 ? .min : .max }
        let (sum, overflow2) = ns.addingReportingOverflow(attoseconds / 1_000_000_000)
        return overflow2 ? (seconds < 0 ? .min : .max) : sum
    }
}
