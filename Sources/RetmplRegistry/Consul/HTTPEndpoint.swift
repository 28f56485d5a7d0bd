/// Where an HTTP server listens: TCP `host:port`, HTTPS (TLS over TCP) or a unix socket path.
public enum HTTPEndpoint: Sendable, Hashable, CustomStringConvertible {
    case tcp(host: String, port: UInt16)
    /// HTTPS: TLS to `host:port`, checked and authenticated as `configuration` says.
    case tls(host: String, port: UInt16, configuration: TLSConfiguration)
    case unix(path: String)

    /// Parses `http://host:port`, `host:port`, `https://host:port`, `http://[::1]:8500` or `unix:///path`.
    ///
    /// Without a port, 80 is used (443 for `https`). An `https` address gets the
    /// default ``TLSConfiguration`` (system trust store); see ``withTLS(_:)``.
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
        let secure = rest.hasPrefix("https://")
        if secure {
            rest = rest.dropFirst("https://".count)
        } else if rest.hasPrefix("http://") {
            rest = rest.dropFirst("http://".count)
        }
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
        var port: UInt16 = secure ? 443 : 80
        if let portText {
            guard let p = UInt16(portText), p > 0 else { throw .invalidAddress(address, "invalid port \"\(portText)\"") }
            port = p
        }
        self = secure ? .tls(host: String(host), port: port, configuration: TLSConfiguration()) : .tcp(host: String(host), port: port)
    }

    /// This TCP endpoint over TLS under `configuration` (an `https` one gets the new configuration).
    /// A unix socket is refused: Consul serves HTTPS on TCP only.
    public func withTLS(_ configuration: TLSConfiguration) throws(HTTPTransportError) -> HTTPEndpoint {
        switch self {
        case let .tcp(host, port), let .tls(host, port, _): return .tls(host: host, port: port, configuration: configuration)
        case .unix: throw .invalidAddress(description, "TLS over a unix socket is not supported")
        }
    }

    /// `127.0.0.1:8500`, `https://127.0.0.1:8501`, `[::1]:8500` or `unix:///path`: the form error messages use.
    public var description: String {
        switch self {
        case let .tcp(host, port): Self.authority(host, port)
        case let .tls(host, port, _): "https://" + Self.authority(host, port)
        case let .unix(path): "unix://\(path)"
        }
    }

    var hostHeader: String {
        switch self {
        case let .tcp(host, port), let .tls(host, port, _): Self.authority(host, port)
        case .unix: "localhost"
        }
    }

    private static func authority(_ host: String, _ port: UInt16) -> String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
