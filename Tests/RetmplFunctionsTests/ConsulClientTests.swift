import Foundation
import Glibc
import RetmplRegistry
import RetmplTestSupport
import Testing

/// A tiny HTTP server on a unix socket: `/chunked` answers with a chunked body.
private let unixServerScript = #"""
import http.server, socketserver, sys, threading
class H(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *a): pass
    def do_GET(self):
        self.send_response(200)
        if self.path == "/chunked":
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            for part in (b"hello ", b"over ", b"a unix socket" * 1000):
                self.wfile.write(b"%x\r\n%s\r\n" % (len(part), part))
                self.wfile.flush()
            self.wfile.write(b"0\r\n\r\n")
        else:
            body = self.path.encode()
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
class S(socketserver.ThreadingMixIn, socketserver.UnixStreamServer):
    daemon_threads = True
    def get_request(self):
        sock, _ = self.socket.accept()
        return sock, ("unix", 0)
server = S(sys.argv[1], H)
threading.Thread(target=server.serve_forever, daemon=True).start()
print("LISTENING 0", flush=True)
sys.stdin.read()
"""#


private func json(_ bytes: [UInt8]) throws -> Any {
    try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
}

private func registerWeb(_ client: ConsulClient, node: String, address: String, port: Int) async throws {
    let body = """
        {"Node": "\(node)", "Address": "\(address)",
         "Service": {"Service": "web", "Port": \(port), "Tags": ["v1"]}}
        """
    let response = try await client.put(path: "/v1/catalog/register", body: Array(body.utf8))
    #expect(String(decoding: response.body, as: UTF8.self) == "true")
}

private func seconds(_ d: Duration) -> Double {
    Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
}

@Suite(.serialized)
struct ConsulClientTests {
    // MARK: Response parser (no server)

    struct ParserCase: Sendable, CustomStringConvertible {
        var name: String
        var wire: String
        var status: Int
        var body: String
        var description: String { name }
    }

    static let parserCases: [ParserCase] = [
        ParserCase(name: "content-length",
                   wire: "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", status: 200, body: "hello"),
        ParserCase(name: "chunked",
                   wire: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n",
                   status: 200, body: "hello, world"),
        ParserCase(name: "chunked with extensions, uppercase hex and trailers",
                   wire: "HTTP/1.1 201 Created\r\ntransfer-encoding: Chunked\r\n\r\nA;ext=1\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n",
                   status: 201, body: "0123456789"),
        ParserCase(name: "interim 100 Continue skipped",
                   wire: "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok", status: 200, body: "ok"),
        ParserCase(name: "204 has no body",
                   wire: "HTTP/1.1 204 No Content\r\n\r\n", status: 204, body: ""),
        ParserCase(name: "empty chunked body",
                   wire: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", status: 200, body: ""),
    ]

    @Test(arguments: parserCases)
    func parsesWholeAndByteByByte(_ c: ParserCase) throws {
        let bytes = Array(c.wire.utf8)
        var whole = HTTPResponseParser(maxBodyBytes: 1 << 20)
        #expect(try whole.feed(bytes))
        #expect(whole.response?.status == c.status)
        #expect(whole.response.map { String(decoding: $0.body, as: UTF8.self) } == c.body)
        #expect(!whole.hasLeftover)

        var split = HTTPResponseParser(maxBodyBytes: 1 << 20)
        var complete = false
        for (i, byte) in bytes.enumerated() {
            complete = try split.feed(CollectionOfOne(byte))
            #expect(complete == (i == bytes.count - 1))
        }
        #expect(split.response.map { String(decoding: $0.body, as: UTF8.self) } == c.body)
    }

    @Test func bodyUntilCloseAndKeepAlive() throws {
        var p = HTTPResponseParser(maxBodyBytes: 100)
        #expect(try !p.feed(Array("HTTP/1.0 200 OK\r\nServer: x\r\n\r\nabc".utf8)))
        #expect(try p.finish())
        #expect(p.response?.body == Array("abc".utf8))
        #expect(!p.keepAlive)

        var q = HTTPResponseParser(maxBodyBytes: 100)
        #expect(try q.feed(Array("HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n".utf8)))
        #expect(!q.keepAlive)
        #expect(q.response?.headers["connection"] == "close")
        #expect(q.response?.headers["CONTENT-LENGTH"] == "0")
    }

    struct BadCase: Sendable, CustomStringConvertible {
        var name: String
        var wire: String
        var error: HTTPResponseParser.ParseError
        var description: String { name }
    }

    static let badCases: [BadCase] = [
        BadCase(name: "not HTTP", wire: "SSH-2.0-OpenSSH\r\n\r\n",
                error: .malformed(#"malformed status line "SSH-2.0-OpenSSH""#)),
        BadCase(name: "letters in status code", wire: "HTTP/1.1 2x0 OK\r\n\r\n",
                error: .malformed(#"malformed status line "HTTP/1.1 2x0 OK""#)),
        BadCase(name: "bad chunk size", wire: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                error: .malformed("invalid chunk size")),
        BadCase(name: "missing CRLF after chunk", wire: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nabXY",
                error: .malformed("missing CRLF after chunk data")),
        BadCase(name: "chunked body over the cap",
                wire: "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n8\r\n12345678\r\n8\r\n12345678\r\n",
                error: .tooLarge(limit: 10)),
        BadCase(name: "content-length over the cap", wire: "HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n",
                error: .tooLarge(limit: 10)),
        BadCase(name: "bad content-length", wire: "HTTP/1.1 200 OK\r\nContent-Length: -1\r\n\r\n",
                error: .malformed(#"invalid Content-Length "-1""#)),
    ]

    @Test(arguments: badCases)
    func rejectsMalformed(_ c: BadCase) {
        var p = HTTPResponseParser(maxBodyBytes: 10)
        #expect(throws: c.error) { try p.feed(Array(c.wire.utf8)) }
    }

    @Test func truncatedBodyIsAnError() throws {
        var p = HTTPResponseParser(maxBodyBytes: 100)
        #expect(try !p.feed(Array("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc".utf8)))
        #expect(throws: HTTPResponseParser.ParseError.truncated) { try p.finish() }
    }

    @Test(arguments: [
        ("http://127.0.0.1:8500", "127.0.0.1:8500"),
        ("127.0.0.1:8500", "127.0.0.1:8500"),
        ("http://[::1]:8500/", "[::1]:8500"),
        ("localhost", "localhost:80"),
        ("unix:///var/run/consul.sock", "unix:///var/run/consul.sock"),
        ("https://consul.example:8501", "https://consul.example:8501"),
        ("https://[::1]", "https://[::1]:443"),
    ])
    func parsesEndpoints(_ address: String, _ expected: String) throws {
        #expect(try HTTPEndpoint(parsing: address).description == expected)
    }

    @Test func refusesBadEndpoints() {
        #expect(throws: HTTPTransportError.self) { try HTTPEndpoint(parsing: "https://http://x:8501") }
        #expect(throws: HTTPTransportError.self) { try HTTPEndpoint(parsing: "http://x:99999") }
        #expect(throws: HTTPTransportError.self) { try HTTPEndpoint(parsing: "unix://relative") }
    }

    // MARK: Against the fake Consul

    @Test func registersServiceAndReadsHealth() async throws {
        try await withFakeConsul { fake in
            let client = try ConsulClient(address: fake.address)
            try await registerWeb(client, node: "node-a", address: "10.0.0.1", port: 8080)
            let response = try await client.get(path: "/v1/health/service/web")
            #expect(response.status == 200)
            #expect((response.index ?? 0) > 10)
            #expect(response.knownLeader)
            #expect(response.lastContact == .zero)
            let entries = try #require(try json(response.body) as? [[String: Any]])
            #expect(entries.count == 1)
            let service = try #require(entries.first?["Service"] as? [String: Any])
            #expect(service["Service"] as? String == "web")
            #expect(service["Port"] as? Int == 8080)
            #expect((entries.first?["Node"] as? [String: Any])?["Node"] as? String == "node-a")
        }
    }

    @Test func kvMissingKeyIsAbsentNotAnError() async throws {
        try await withFakeConsul { fake in
            let client = try ConsulClient(address: fake.address)
            let missing = try await client.get(path: "/v1/kv/app/x")
            #expect(!missing.exists)
            #expect(missing.status == 404)
            #expect((missing.index ?? 0) >= 1)
            _ = try await client.put(path: "/v1/kv/app/x", body: Array("hello world".utf8))
            let present = try await client.get(path: "/v1/kv/app/x", query: [("raw", "")])
            #expect(present.exists)
            #expect(present.body == Array("hello world".utf8))
            #expect((present.index ?? 0) > (missing.index ?? 0))
        }
    }

    @Test func blockingQueryReturnsPromptlyAfterChange() async throws {
        try await withFakeConsul { fake in
            let client = try ConsulClient(address: fake.address)
            try await registerWeb(client, node: "node-a", address: "10.0.0.1", port: 8080)
            let first = try await client.get(path: "/v1/health/service/web")
            let index = try #require(first.index)
            let parked = Task { try await client.get(path: "/v1/health/service/web", index: index, wait: .seconds(120)) }
            _ = try await client.get(path: "/_fake/await", query: [("parked", "1"), ("timeout", "5s")])
            let start = ContinuousClock.now
            try await registerWeb(client, node: "node-b", address: "10.0.0.2", port: 8080)
            let woken = try await parked.value
            // Woken by the change, far before the 120 s wait.
            #expect(ContinuousClock.now - start < .seconds(30))
            #expect((woken.index ?? 0) > index)
            #expect((try json(woken.body) as? [Any])?.count == 2)
        }
    }

    @Test func reusesKeepAliveConnection() async throws {
        try await withFakeConsul { fake in
            let transport = SocketHTTPTransport()
            let client = try ConsulClient(address: fake.address, transport: transport)
            for _ in 0..<3 { _ = try await client.get(path: "/v1/catalog/services") }
            _ = try await client.put(path: "/v1/kv/k", body: [0x61])
            _ = try await client.get(path: "/v1/kv/k")
            #expect(transport.statistics == .init(connectionsOpened: 1, connectionsReused: 4))
        }
    }

    @Test func capsResponseSize() async throws {
        try await withFakeConsul { fake in
            let client = try ConsulClient(address: fake.address, transport: SocketHTTPTransport(maxResponseBytes: 64))
            let error = await #expect(throws: HTTPTransportError.self) {
                try await client.get(path: "/v1/agent/self")
            }
            #expect(error == .responseTooLarge(endpoint: "127.0.0.1:\(fake.port)", limit: 64))
            #expect(error?.description == "response too large from 127.0.0.1:\(fake.port) (limit 64 bytes)")
        }
    }

    @Test func timesOutOnHungServer() async throws {
        try await withFakeConsul { fake in
            let control = try ConsulClient(address: fake.address)
            _ = try await control.put(path: "/_fake/fail", query: [("mode", "hang"), ("seconds", "60")])
            let client = try ConsulClient(address: fake.address, requestTimeout: .milliseconds(300))
            let start = ContinuousClock.now
            let error = await #expect(throws: HTTPTransportError.self) { try await client.get(path: "/v1/kv/x") }
            // Well before the server would answer (60 s), whatever the machine's load.
            #expect(ContinuousClock.now - start < .seconds(30))
            #expect(error?.description == "timeout after 300ms talking to 127.0.0.1:\(fake.port)")
        }
    }

    @Test func cancellingParkedQueryReturnsAtOnce() async throws {
        try await withFakeConsul { fake in
            let client = try ConsulClient(address: fake.address)
            let index = try #require(try await client.get(path: "/v1/catalog/services").index)
            let parked = Task { try await client.get(path: "/v1/catalog/services", index: index, wait: .seconds(120)) }
            _ = try await client.get(path: "/_fake/await", query: [("parked", "1"), ("timeout", "5s")])
            let start = ContinuousClock.now
            parked.cancel()
            let result = await parked.result
            let elapsed = ContinuousClock.now - start
            // Far before the query's 120 s wait (it took ~1 ms on an idle machine),
            // without a tight bound that a loaded CI machine could miss.
            #expect(elapsed < .seconds(30), "cancellation took \(elapsed)")
            #expect(throws: CancellationError.self) { try result.get() }
        }
    }

    @Test func wrongTokenIs403WithConsulMessage() async throws {
        try await withFakeConsul(["--token", "s3cret-token"]) { fake in
            let bad = try ConsulClient(address: fake.address, token: "wrong")
            let error = await #expect(throws: ConsulError.self) { try await bad.get(path: "/v1/kv/app/x") }
            #expect(error?.status == 403)
            #expect(error?.body == "ACL not found")
            #expect(error?.description == "Unexpected response code: 403 (ACL not found) for GET /v1/kv/app/x")

            let good = try ConsulClient(address: fake.address, token: "s3cret-token", datacenter: "dc1")
            #expect(try await good.get(path: "/v1/kv/app/x").exists == false)
            #expect(!"\(good)".contains("s3cret"))
            #expect(!String(reflecting: good).contains("s3cret"))
        }
    }

    @Test func serverErrorsCarryTheBody() async throws {
        try await withFakeConsul { fake in
            let client = try ConsulClient(address: fake.address)
            _ = try await client.put(path: "/_fake/fail",
                                     query: [("path", "/v1/catalog/"), ("status", "500"), ("body", "rpc error: no leader")])
            let error = await #expect(throws: ConsulError.self) { try await client.get(path: "/v1/catalog/services") }
            #expect(error?.status == 500)
            #expect(error?.body == "rpc error: no leader")
        }
    }

    @Test func garbageIsAMalformedResponse() async throws {
        try await withFakeConsul { fake in
            let client = try ConsulClient(address: fake.address)
            _ = try await client.put(path: "/_fake/fail", query: [("mode", "garbage")])
            let error = await #expect(throws: HTTPTransportError.self) { try await client.get(path: "/v1/catalog/services") }
            guard case .malformedResponse? = error else {
                Issue.record("expected malformedResponse, got \(String(describing: error))")
                return
            }
            // The connection is not reused after garbage; the next request works.
            #expect(try await client.get(path: "/v1/catalog/services").status == 200)
        }
    }

    @Test func connectionRefusedNamesTheAddress() async throws {
        // A bound socket that does not listen refuses connections; holding it keeps the port ours.
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        try #require(fd >= 0)
        defer { _ = close(fd) }
        var addr = sockaddr_in()
        addr.sin_family = sa_family_t(AF_INET)
        addr.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &addr) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0
            }
        }
        try #require(bound)
        let port = UInt16(bigEndian: addr.sin_port)
        let client = try ConsulClient(address: "http://127.0.0.1:\(port)")
        let error = await #expect(throws: HTTPTransportError.self) { try await client.get(path: "/v1/status/leader") }
        #expect(error?.description == "connection refused to 127.0.0.1:\(port)")
    }

    @Test func unixSocketWithChunkedBody() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("retmpl-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("http.sock").path
        let server = try FakeConsulProcess(python: ["-c", unixServerScript, path])
        defer { server.stop() }
        let transport = SocketHTTPTransport()
        let endpoint = try HTTPEndpoint(parsing: "unix://\(path)")
        let chunked = try await transport.send(HTTPRequest(endpoint: endpoint, target: "/chunked"), timeout: .seconds(5))
        #expect(chunked.status == 200)
        #expect(chunked.body == Array(("hello over " + String(repeating: "a unix socket", count: 1000)).utf8))
        let plain = try await transport.send(HTTPRequest(endpoint: endpoint, target: "/v1/x?y=1"), timeout: .seconds(5))
        #expect(plain.bodyText == "/v1/x?y=1")
        #expect(transport.statistics == .init(connectionsOpened: 1, connectionsReused: 1))
    }

    @Test func manyParkedQueriesAtOnce() async throws {
        try await withFakeConsul { fake in
            let transport = SocketHTTPTransport()
            let client = try ConsulClient(address: fake.address, transport: transport)
            let index = try #require(try await client.get(path: "/v1/kv/app/", query: [("recurse", "")]).index)
            let count = 8
            let parked = (0..<count).map { _ in
                Task { try await client.get(path: "/v1/kv/app/", query: [("recurse", "")], index: index, wait: .seconds(20)) }
            }
            _ = try await client.get(path: "/_fake/await", query: [("parked", "\(count)"), ("timeout", "5s")])
            _ = try await client.put(path: "/v1/kv/app/a", body: Array("1".utf8))
            for task in parked {
                let woken = try await task.value
                #expect((woken.index ?? 0) > index)
            }
            // Every parked query held its own connection; they all went back to the pool (capped).
            #expect(transport.statistics.connectionsOpened >= count)
        }
    }

    @Test func lineBreaksInHeadersAreRefused() async throws {
        let client = try ConsulClient(address: "http://127.0.0.1:1", token: "abc\r\nX-Evil: 1")
        let error = await #expect(throws: HTTPTransportError.self) { try await client.get(path: "/v1/kv/x") }
        #expect(error == .invalidRequest(#"header "X-Consul-Token" contains a line break"#))
    }
}
