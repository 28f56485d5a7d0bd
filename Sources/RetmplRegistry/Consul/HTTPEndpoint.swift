/// Where an HTTP server listens: TCP `host:port` or a unix socket path.
public enum HTTPEndpoint: Sendable, Hashable, CustomStringConvertible {
    case tcp(host: String, port: UInt16)
    case unix(path: String)

    /// Parses `http://host:port`, `host:port`, `http://[::1]:8500` or `unix:///path`.
    ///
    /// Without a port, HTTP's 80 is used. `https` is refused: this transport has no TLS.
    public init(parsing address: String) throws(HTTPTransportError) {
        var rest = Substring(address)
        if rest.hasPrefix("unix://") {
            let path = rest.dropFirst("unix://".count)
            guard path.hasPrefix("/"), path.utf8.count < 108 else {
                throw .invalidAddress(address, "a unix socket address is unix:///absolute/path (under 108 bytes)")
            }
            self = .unix(path: String(path))
            return
        }
        if rest.hasPrefix("https://") { throw .invalidAddress(address, "https is not supported") }
        if rest.hasPrefix("http://") { rest = rest.dropFirst("http://".count) }
        if let slash = rest.firstIndex(of: "/") {
            guard rest[slash...].allSatisfy({ $0 == "/" }) else {
                throw .invalidAddress(address, "an address may not carry a path")
            }
            rest = rest[..<slash]
        }
        var host: Substring
        var portText: Substring? = nil
        if rest.hasPrefix("[") {
            guard let close = rest.firstIndex(of: "]") else { throw .invalidAddress(address, "missing ']' in IPv6 host") }
            host = rest[rest.index(after: rest.startIndex)..<close]
            let after = rest[rest.index(after: close)...]
            if !after.isEmpty {
                guard after.hasPrefix(":") else { throw .invalidAddress(address, "junk after IPv6 host") }
                portText = after.dropFirst()
            }
        } else if let colon = rest.lastIndex(of: ":") {
            host = rest[..<colon]
            portText = rest[rest.index(after: colon)...]
        } else {
            host = rest
        }
        guard !host.isEmpty else { throw .invalidAddress(address, "missing host") }
        var port: UInt16 = 80
        if let portText {
            guard let p = UInt16(portText), p > 0 else { throw .invalidAddress(address, "invalid port \"\(portText)\"") }
            port = p
        }
        self = .tcp(host: String(host), port: port)
    }

    /// `127.0.0.1:8500`, `[::1]:8500` or `unix:///path`: the form error messages use.
    public var description: String {
        switch self {
        case let .tcp(host, port): host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        case let .unix(path): "unix://\(path)"
        }
    }

    var hostHeader: String {
        switch self {
        case .tcp: description
        case .unix: "localhost"
        }
    }
}
