import Foundation
import Glibc
import RetmplRegistry
import RetmplTestSupport
import Testing

/// Certificates made with the `openssl` CLI once per test run: a CA, a server
/// certificate for `localhost` and 127.0.0.1 signed by it, a client certificate,
/// and a second CA that signed nothing the server presents.
private struct TestPKI: Sendable {
    let dir: ScratchDirectory
    var caCert: String { dir.file("ca.pem") }
    var caKey: String { dir.file("ca.key") }
    var serverCert: String { dir.file("server.pem") }
    var serverKey: String { dir.file("server.key") }
    var clientCert: String { dir.file("client.pem") }
    var clientKey: String { dir.file("client.key") }
    var otherCA: String { dir.file("other-ca.pem") }
    var caDirectory: String { dir.file("cas") }

    static let shared = Result { try TestPKI() }

    init() throws {
        dir = ScratchDirectory("retmpl-tls")
        let ec = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try Self.openssl(["req", "-x509"] + ec + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "2",
                                                 "-subj", "/CN=retmpl test CA"], in: dir.path)
        try Self.openssl(["req", "-x509"] + ec + ["-keyout", "other-ca.key", "-out", "other-ca.pem", "-days", "2",
                                                 "-subj", "/CN=retmpl other CA"], in: dir.path)
        try dir.write("server.ext", "subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        try dir.write("client.ext", "extendedKeyUsage=clientAuth\n")
        for (name, subject) in [("server", "/CN=localhost"), ("client", "/CN=retmpl client")] {
            try Self.openssl(["req"] + ec + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", subject], in: dir.path)
            try Self.openssl(["x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial",
                              "-out", "\(name).pem", "-days", "2", "-extfile", "\(name).ext"], in: dir.path)
        }
        // A CA path as Consul reads it: every file in the directory, any names.
        try FileManager.default.createDirectory(atPath: caDirectory, withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: otherCA, toPath: caDirectory + "/a-other.crt")
        try FileManager.default.copyItem(atPath: caCert, toPath: caDirectory + "/b-ours.pem")
    }

    static func openssl(_ arguments: [String], in dir: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["openssl"] + arguments
        process.currentDirectoryURL = URL(fileURLWithPath: dir)
        process.standardOutput = FileHandle.nullDevice
        let err = Pipe()
        process.standardError = err
        try process.run()
        let text = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw OpenSSLCLIError(arguments: arguments, output: String(decoding: text, as: UTF8.self))
        }
    }
}

private struct OpenSSLCLIError: Error, CustomStringConvertible {
    var arguments: [String]
    var output: String
    var description: String { "openssl \(arguments.joined(separator: " ")) failed: \(output)" }
}

/// Runs `body` against the fake Consul behind TLS (Tests/Support/fake-consul/fake_consul_tls.py).
private func withTLSFake<T>(
    cert: String? = nil, key: String? = nil, requireClientCert: Bool = false,
    _ body: (FakeConsulProcess, TestPKI) async throws -> T
) async throws -> T {
    let pki = try TestPKI.shared.get()
    let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Support/fake-consul/fake_consul_tls.py").path
    var arguments = [script, "--cert", cert ?? pki.serverCert, "--key", key ?? pki.serverKey]
    if requireClientCert { arguments += ["--client-ca", pki.caCert] }
    let fake = try FakeConsulProcess(python: arguments)
    do {
        let result = try await body(fake, pki)
        fake.stop()
        return result
    } catch {
        fake.stop()
        throw error
    }
}

private func https(_ fake: FakeConsulProcess, host: String = "127.0.0.1") -> String { "https://\(host):\(fake.port)" }

/// The error a request fails with, or nil when it succeeds.
private func failure(_ client: ConsulClient, path: String = "/v1/catalog/services") async -> HTTPTransportError? {
    do {
        _ = try await client.get(path: path)
        return nil
    } catch let error as HTTPTransportError {
        return error
    } catch {
        return .tlsSetup("unexpected error \(error)")
    }
}

private func statsField(_ client: ConsulClient, _ name: String) async throws -> Int? {
    let response = try await client.get(path: "/_fake/stats")
    let object = try JSONSerialization.jsonObject(with: Data(response.body)) as? [String: Any]
    return object?[name] as? Int
}

@Suite(.serialized)
struct TLSTests {
    // MARK: Addresses

    @Test func httpsAddressesAndTheSSLSwitch() throws {
        let tls = TLSConfiguration(caFile: "/ca.pem")
        #expect(try ConsulClient(address: "https://consul:8501").endpoint
            == .tls(host: "consul", port: 8501, configuration: TLSConfiguration()))
        #expect(try ConsulClient(address: "https://consul:8501", tls: tls).endpoint
            == .tls(host: "consul", port: 8501, configuration: tls))
        // CONSUL_HTTP_SSL=true upgrades a scheme-less address...
        #expect(try ConsulClient(address: "consul:8501", tls: tls).endpoint
            == .tls(host: "consul", port: 8501, configuration: tls))
        // ...but, as in Consul's client, not an explicit http:// one or a unix socket.
        #expect(try ConsulClient(address: "http://consul:8500", tls: tls).endpoint == .tcp(host: "consul", port: 8500))
        #expect(try ConsulClient(address: "unix:///run/consul.sock", tls: tls).endpoint == .unix(path: "/run/consul.sock"))
        #expect(throws: HTTPTransportError.self) { try HTTPEndpoint.unix(path: "/x").withTLS(tls) }
    }

    // MARK: Verification

    @Test func getsWithTheCAByIPAndByName() async throws {
        try await withTLSFake { fake, pki in
            let tls = TLSConfiguration(caFile: pki.caCert)
            let byIP = try ConsulClient(address: https(fake), tls: tls)
            _ = try await byIP.put(path: "/v1/kv/app/x", body: Array("over tls".utf8))
            let value = try await byIP.get(path: "/v1/kv/app/x", query: [("raw", "")])
            #expect(value.body == Array("over tls".utf8))
            // A DNS name: sent as SNI and matched against the certificate's DNS SAN.
            let byName = try ConsulClient(address: https(fake, host: "localhost"), tls: tls)
            #expect(try await byName.get(path: "/v1/kv/app/x", query: [("raw", "")]).body == Array("over tls".utf8))
            // The same trust from a CA directory holding several CAs.
            let byPath = try ConsulClient(address: https(fake), tls: TLSConfiguration(caPath: pki.caDirectory))
            #expect(try await byPath.get(path: "/v1/kv/app/x", query: [("raw", "")]).body == Array("over tls".utf8))
        }
    }

    @Test func unknownCAFailsWithOpenSSLReason() async throws {
        try await withTLSFake { fake, pki in
            let endpoint = https(fake)
            // No CA given: the system trust store, which does not know the test CA.
            let system = await failure(try ConsulClient(address: endpoint))
            #expect(system == .certificateVerifyFailed(endpoint: endpoint, reason: "unable to get local issuer certificate"))
            #expect(system?.description == "certificate verify failed for \(endpoint): unable to get local issuer certificate")
            let wrong = await failure(try ConsulClient(address: endpoint, tls: TLSConfiguration(caFile: pki.otherCA)))
            #expect(wrong == .certificateVerifyFailed(endpoint: endpoint, reason: "unable to get local issuer certificate"))
        }
    }

    @Test func selfSignedServerIsRefused() async throws {
        let pki = try TestPKI.shared.get()
        try await withTLSFake(cert: pki.otherCA, key: pki.dir.file("other-ca.key")) { fake, pki in
            let error = await failure(try ConsulClient(address: https(fake), tls: TLSConfiguration(caFile: pki.caCert)))
            #expect(error == .certificateVerifyFailed(endpoint: https(fake), reason: "self-signed certificate"))
        }
    }

    @Test func serverNameMustMatchTheCertificate() async throws {
        try await withTLSFake { fake, pki in
            let dns = await failure(try ConsulClient(
                address: https(fake), tls: TLSConfiguration(caFile: pki.caCert, serverName: "consul.example")))
            #expect(dns == .certificateVerifyFailed(endpoint: https(fake), reason: "hostname mismatch"))
            let ip = await failure(try ConsulClient(
                address: https(fake), tls: TLSConfiguration(caFile: pki.caCert, serverName: "10.9.8.7")))
            #expect(ip == .certificateVerifyFailed(endpoint: https(fake), reason: "IP address mismatch"))
            // The override that does match: the certificate's DNS name at an IP address.
            let matching = try ConsulClient(address: https(fake), tls: TLSConfiguration(caFile: pki.caCert, serverName: "localhost"))
            #expect(try await matching.get(path: "/v1/status/leader").status == 200)
        }
    }

    @Test func verifyFalseAcceptsAnyCertificate() async throws {
        try await withTLSFake { fake, _ in
            let client = try ConsulClient(address: https(fake), tls: TLSConfiguration(verify: false, serverName: "consul.example"))
            #expect(try await client.get(path: "/v1/status/leader").status == 200)
        }
    }

    @Test func plainHTTPServerGetsAClearHandshakeError() async throws {
        try await withFakeConsul { fake in
            let endpoint = "https://127.0.0.1:\(fake.port)"
            let error = await failure(try ConsulClient(address: endpoint))
            guard case let .tlsFailed(at, operation, message) = error else {
                Issue.record("expected a TLS failure, got \(String(describing: error))")
                return
            }
            #expect(at == endpoint && operation == "handshake")
            #expect(message.hasSuffix("(is the server speaking HTTPS?)"), "\(message)")
        }
    }

    // MARK: Client certificates

    @Test func clientCertificateWhenTheServerRequiresOne() async throws {
        try await withTLSFake(requireClientCert: true) { fake, pki in
            let with = try ConsulClient(address: https(fake), tls: TLSConfiguration(
                caFile: pki.caCert, certificateFile: pki.clientCert, keyFile: pki.clientKey))
            #expect(try await with.get(path: "/v1/status/leader").status == 200)

            let without = await failure(try ConsulClient(address: https(fake), tls: TLSConfiguration(caFile: pki.caCert)))
            // TLS 1.3 reports the refusal after the client's side of the handshake, on the first read.
            guard case let .tlsFailed(_, _, message) = without else {
                Issue.record("expected a TLS failure, got \(String(describing: without))")
                return
            }
            #expect(message.contains("certificate required"), "\(message)")
            #expect(message.contains("-consul-ssl-cert"), "\(message)")
        }
    }

    @Test func badFilesNameThePathAndTheReason() throws {
        let pki = try TestPKI.shared.get()
        let missing = pki.dir.file("nope.pem")
        #expect(throws: HTTPTransportError.tlsFile(kind: "CA certificate", path: missing, message: "No such file or directory")) {
            try TLSConfiguration(caFile: missing).validate()
        }
        let garbage = try pki.dir.write("garbage.pem", "not a certificate\n")
        let notPEM = #expect(throws: HTTPTransportError.self) { try TLSConfiguration(caFile: garbage).validate() }
        guard case let .tlsFile("CA certificate", path, message) = notPEM else {
            Issue.record("expected a CA file error, got \(String(describing: notPEM))")
            return
        }
        #expect(path == garbage && !message.isEmpty)
        let mismatch = #expect(throws: HTTPTransportError.self) {
            try TLSConfiguration(certificateFile: pki.clientCert, keyFile: pki.serverKey).validate()
        }
        #expect(mismatch?.description.hasPrefix(
            "cannot use client key \(pki.serverKey): does not match the certificate \(pki.clientCert)") == true,
                "\(String(describing: mismatch))")
        #expect(throws: HTTPTransportError.tlsFile(kind: "client certificate", path: pki.clientCert,
                                                   message: "no key given for it (-consul-ssl-key)")) {
            try TLSConfiguration(certificateFile: pki.clientCert).validate()
        }
        #expect(throws: HTTPTransportError.tlsFile(kind: "CA path", path: missing, message: "No such file or directory")) {
            try TLSConfiguration(caPath: missing).validate()
        }
        try TLSConfiguration(caFile: pki.caCert, caPath: pki.caDirectory, certificateFile: pki.clientCert,
                             keyFile: pki.clientKey).validate()
    }

    @Test func badFileFailsTheRequestWithoutConnecting() async throws {
        let pki = try TestPKI.shared.get()
        let missing = pki.dir.file("missing-key.pem")
        // Port 9 on loopback is closed: a connection attempt would say "refused" instead.
        let client = try ConsulClient(address: "https://127.0.0.1:9", tls: TLSConfiguration(
            certificateFile: pki.clientCert, keyFile: missing))
        #expect(await failure(client) == .tlsFile(kind: "client key", path: missing, message: "No such file or directory"))
    }

    // MARK: Connections

    @Test func keepAliveReusesTLSConnectionsPerConfiguration() async throws {
        try await withTLSFake { fake, pki in
            let transport = SocketHTTPTransport()
            let tls = TLSConfiguration(caFile: pki.caCert)
            let client = try ConsulClient(address: https(fake), tls: tls, transport: transport)
            for _ in 0..<3 { _ = try await client.get(path: "/v1/catalog/services") }
            _ = try await client.put(path: "/v1/kv/k", body: [0x61])
            #expect(try await statsField(client, "tls_connections") == 1)
            #expect(transport.statistics == .init(connectionsOpened: 1, connectionsReused: 4))
            // Other TLS settings to the same address never borrow that connection.
            let other = try ConsulClient(address: https(fake), tls: TLSConfiguration(caFile: pki.caCert, serverName: "localhost"),
                                         transport: transport)
            #expect(try await statsField(other, "tls_connections") == 2)
            #expect(try await statsField(client, "tls_connections") == 2)
            #expect(transport.statistics == .init(connectionsOpened: 2, connectionsReused: 5))
        }
    }

    @Test func cancellingParkedQueryOverTLSReturnsAtOnce() async throws {
        try await withTLSFake { fake, pki in
            let client = try ConsulClient(address: https(fake), tls: TLSConfiguration(caFile: pki.caCert))
            let index = try #require(try await client.get(path: "/v1/catalog/services").index)
            let parked = Task { try await client.get(path: "/v1/catalog/services", index: index, wait: .seconds(120)) }
            _ = try await client.get(path: "/_fake/await", query: [("parked", "1"), ("timeout", "5s")])
            let start = ContinuousClock.now
            parked.cancel()
            let result = await parked.result
            let elapsed = ContinuousClock.now - start
            // Far before the 120 s wait, without a bound a loaded CI machine could miss.
            #expect(elapsed < .seconds(30), "cancellation took \(elapsed)")
            #expect(throws: CancellationError.self) { try result.get() }
            // The cancelled connection is dropped, not pooled: the next request works.
            #expect(try await client.get(path: "/v1/status/leader").status == 200)
        }
    }

    @Test func blockingQueryOverTLSWakesOnChange() async throws {
        try await withTLSFake { fake, pki in
            let client = try ConsulClient(address: https(fake), tls: TLSConfiguration(caFile: pki.caCert))
            let index = try #require(try await client.get(path: "/v1/kv/w").index)
            let parked = Task { try await client.get(path: "/v1/kv/w", index: index, wait: .seconds(20)) }
            _ = try await client.get(path: "/_fake/await", query: [("parked", "1"), ("timeout", "5s")])
            _ = try await client.put(path: "/v1/kv/w", body: Array("v".utf8))
            let woken = try await parked.value
            #expect((woken.index ?? 0) > index)
            #expect(woken.exists)
        }
    }

    // MARK: The retmpl binary

    /// Runs the built `retmpl` in `dir` with `environment` added to a clean one.
    private func retmpl(_ arguments: [String], in dir: ScratchDirectory, environment: [String: String] = [:]) throws
        -> (status: Int32, stderr: String)
    {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = arguments
        process.currentDirectoryURL = URL(fileURLWithPath: dir.path)
        process.environment = ["PATH": "/usr/bin:/bin"].merging(environment) { $1 }
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        process.standardInput = FileHandle.nullDevice
        try process.run()
        let text = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: text, as: UTF8.self))
    }

    @Test func daemonRendersOverTLSFromFlagsEnvironmentAndConfig() async throws {
        try await withTLSFake(requireClientCert: true) { fake, pki in
            let dir = ScratchDirectory("retmpl-tls-cli")
            defer { dir.remove() }
            let client = try ConsulClient(address: https(fake), tls: TLSConfiguration(
                caFile: pki.caCert, certificateFile: pki.clientCert, keyFile: pki.clientKey))
            _ = try await client.put(path: "/v1/kv/greeting", body: Array("hello".utf8))
            try dir.write("t.ctmpl", "{{ key \"greeting\" }} over tls")

            let flags = try retmpl([
                "-consul-addr", https(fake), "-consul-ssl-ca-cert", pki.caCert, "-consul-ssl-cert", pki.clientCert,
                "-consul-ssl-key", pki.clientKey, "-template", "t.ctmpl:flags.txt", "-once",
            ], in: dir)
            #expect(flags.status == 0, "stderr: \(flags.stderr)")
            #expect(dir.read("flags.txt") == "hello over tls")

            // Consul's variables, with CONSUL_HTTP_SSL turning host:port into HTTPS.
            let env = try retmpl(["-template", "t.ctmpl:env.txt", "-once"], in: dir, environment: [
                "CONSUL_HTTP_ADDR": "localhost:\(fake.port)", "CONSUL_HTTP_SSL": "true", "CONSUL_CAPATH": pki.caDirectory,
                "CONSUL_CLIENT_CERT": pki.clientCert, "CONSUL_CLIENT_KEY": pki.clientKey,
                "CONSUL_TLS_SERVER_NAME": "localhost",
            ])
            #expect(env.status == 0, "stderr: \(env.stderr)")
            #expect(dir.read("env.txt") == "hello over tls")

            try dir.write("c.hcl", """
                consul {
                  address = "127.0.0.1:\(fake.port)"
                  ssl {
                    enabled = true
                    ca_cert = "\(pki.caCert)"
                    cert = "\(pki.clientCert)"
                    key = "\(pki.clientKey)"
                  }
                }
                template {
                  source = "t.ctmpl"
                  destination = "config.txt"
                }
                """)
            let config = try retmpl(["-config", "c.hcl", "-once"], in: dir)
            #expect(config.status == 0, "stderr: \(config.stderr)")
            #expect(dir.read("config.txt") == "hello over tls")

            // A bad key fails at startup as a configuration error naming the file.
            let missing = dir.file("missing.key")
            let bad = try retmpl(["-config", "c.hcl", "-consul-ssl-key", missing, "-once"], in: dir)
            #expect(bad.status == 15)
            #expect(bad.stderr.contains("cannot use client key \(missing): No such file or directory"), "stderr: \(bad.stderr)")
        }
    }
}
