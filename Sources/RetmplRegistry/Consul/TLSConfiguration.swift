/// How to check a Consul server over HTTPS, and how to prove who we are to it.
///
/// Mirrors Consul's own client settings (`CONSUL_CACERT`, `CONSUL_CAPATH`,
/// `CONSUL_CLIENT_CERT`, `CONSUL_CLIENT_KEY`, `CONSUL_TLS_SERVER_NAME`,
/// `CONSUL_HTTP_SSL_VERIFY`). Part of an `https` endpoint's identity, so
/// keep-alive connections are only reused under the same settings.
public struct TLSConfiguration: Sendable, Hashable, CustomStringConvertible {
    /// Check the certificate chain and that it names the server; false accepts
    /// any certificate (Consul's `-ssl-verify=false`, for tests only).
    public var verify: Bool
    /// PEM file of trusted CA certificates; with `caPath`, replaces the system trust store.
    public var caFile: String?
    /// Directory whose every file is PEM CA certificates (as Consul reads it, not a hashed dir).
    public var caPath: String?
    /// PEM client certificate (chain) for servers that require one (`verify_incoming`).
    public var certificateFile: String?
    /// PEM private key of `certificateFile`; unencrypted.
    public var keyFile: String?
    /// The name to send (SNI) and to verify instead of the address's host.
    public var serverName: String?

    public init(
        verify: Bool = true, caFile: String? = nil, caPath: String? = nil,
        certificateFile: String? = nil, keyFile: String? = nil, serverName: String? = nil
    ) {
        self.verify = verify
        self.caFile = caFile.flatMap { $0.isEmpty ? nil : $0 }
        self.caPath = caPath.flatMap { $0.isEmpty ? nil : $0 }
        self.certificateFile = certificateFile.flatMap { $0.isEmpty ? nil : $0 }
        self.keyFile = keyFile.flatMap { $0.isEmpty ? nil : $0 }
        self.serverName = serverName.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Loads the CA, certificate and key files now, so a bad path or a key
    /// that does not match its certificate fails at startup, not on the first request.
    /// Without files there is nothing to check (and the system trust store, ~50 ms
    /// of CPU to parse, is left to the transport, which loads it once).
    public func validate() throws(HTTPTransportError) {
        guard caFile != nil || caPath != nil || certificateFile != nil || keyFile != nil else { return }
        _ = try TLSContext(self)
    }

    public var description: String {
        var parts: [String] = []
        if !verify { parts.append("verify=false") }
        if let caFile { parts.append("ca=\(caFile)") }
        if let caPath { parts.append("capath=\(caPath)") }
        if let certificateFile { parts.append("cert=\(certificateFile)") }
        if let serverName { parts.append("server-name=\(serverName)") }
        return "TLS(\(parts.joined(separator: ", ")))"
    }
}
