import COpenSSL
import Foundation
import Glibc

/// An OpenSSL client context built from one ``TLSConfiguration``: trust
/// store, client certificate and protocol floor, loaded once and shared by
/// every connection under that configuration.
final class TLSContext: @unchecked Sendable {
    /// `SSL_CTX *`; read-only after `init`, which OpenSSL allows from any thread.
    let pointer: OpaquePointer
    let configuration: TLSConfiguration

    init(_ configuration: TLSConfiguration) throws(HTTPTransportError) {
        ERR_clear_error()
        guard let ctx = SSL_CTX_new(TLS_client_method()) else {
            throw .tlsSetup("cannot create a TLS context: \(OpenSSLError.drain())")
        }
        do {
            try Self.configure(ctx, configuration)
        } catch {
            SSL_CTX_free(ctx)
            throw error
        }
        self.pointer = ctx
        self.configuration = configuration
    }

    deinit { SSL_CTX_free(pointer) }

    private static func configure(_ ctx: OpaquePointer, _ c: TLSConfiguration) throws(HTTPTransportError) {
        guard retmpl_ssl_ctx_configure(ctx) == 1 else {
            throw .tlsSetup("cannot set TLS options: \(OpenSSLError.drain())")
        }
        SSL_CTX_set_verify(ctx, c.verify ? SSL_VERIFY_PEER : SSL_VERIFY_NONE, nil)
        if c.caFile == nil && c.caPath == nil {
            guard SSL_CTX_set_default_verify_paths(ctx) == 1 else {
                throw .tlsSetup("cannot load the system trust store: \(OpenSSLError.drain())")
            }
        }
        if let file = c.caFile {
            try readable(file, kind: "CA certificate")
            guard SSL_CTX_load_verify_file(ctx, file) == 1 else {
                throw .tlsFile(kind: "CA certificate", path: file, message: OpenSSLError.drain())
            }
        }
        if let dir = c.caPath {
            for file in try caFiles(in: dir) {
                guard SSL_CTX_load_verify_file(ctx, file) == 1 else {
                    throw .tlsFile(kind: "CA certificate", path: file, message: OpenSSLError.drain())
                }
            }
        }
        switch (c.certificateFile, c.keyFile) {
        case (nil, nil):
            break
        case let (cert?, key?):
            try readable(cert, kind: "client certificate")
            try readable(key, kind: "client key")
            guard SSL_CTX_use_certificate_chain_file(ctx, cert) == 1 else {
                throw .tlsFile(kind: "client certificate", path: cert, message: OpenSSLError.drain())
            }
            guard SSL_CTX_use_PrivateKey_file(ctx, key, SSL_FILETYPE_PEM) == 1 else {
                let reason = OpenSSLError.drain()
                throw .tlsFile(kind: "client key", path: key, message: reason.contains("key values mismatch")
                    ? "does not match the certificate \(cert) (\(reason))" : reason)
            }
            guard SSL_CTX_check_private_key(ctx) == 1 else {
                throw .tlsFile(kind: "client key", path: key,
                               message: "does not match the certificate \(cert) (\(OpenSSLError.drain()))")
            }
        case let (cert?, nil):
            throw .tlsFile(kind: "client certificate", path: cert, message: "no key given for it (-consul-ssl-key)")
        case let (nil, key?):
            throw .tlsFile(kind: "client key", path: key, message: "no certificate given for it (-consul-ssl-cert)")
        }
    }

    /// Checks the file is there and readable, for an errno message OpenSSL would bury.
    private static func readable(_ path: String, kind: String) throws(HTTPTransportError) {
        var info = stat()
        guard stat(path, &info) == 0 else { throw .tlsFile(kind: kind, path: path, message: errnoText(errno)) }
        guard (info.st_mode & S_IFMT) != S_IFDIR else { throw .tlsFile(kind: kind, path: path, message: "is a directory") }
        guard access(path, R_OK) == 0 else { throw .tlsFile(kind: kind, path: path, message: errnoText(errno)) }
    }

    /// Every regular file under `dir`, sorted: Consul loads a CA path that way.
    private static func caFiles(in dir: String) throws(HTTPTransportError) -> [String] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: dir, isDirectory: &isDirectory) else {
            throw .tlsFile(kind: "CA path", path: dir, message: errnoText(ENOENT))
        }
        guard isDirectory.boolValue else { throw .tlsFile(kind: "CA path", path: dir, message: "is not a directory") }
        let entries: [String]
        do {
            entries = try FileManager.default.subpathsOfDirectory(atPath: dir)
        } catch {
            throw .tlsFile(kind: "CA path", path: dir, message: "\(error.localizedDescription)")
        }
        var files: [String] = []
        for entry in entries.sorted() {
            let path = dir.hasSuffix("/") ? dir + entry : dir + "/" + entry
            var info = stat()
            if stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG { files.append(path) }
        }
        return files
    }
}

/// A cache of contexts, one per configuration, so a trust store is parsed once
/// per transport rather than once per connection.
final class TLSContextCache: @unchecked Sendable {
    private let lock = NSLock()
    private var contexts: [TLSConfiguration: TLSContext] = [:]

    func context(for configuration: TLSConfiguration) throws(HTTPTransportError) -> TLSContext {
        if let cached = lock.withLock({ contexts[configuration] }) { return cached }
        let made = try TLSContext(configuration)
        return lock.withLock {
            if let raced = contexts[configuration] { return raced }
            contexts[configuration] = made
            return made
        }
    }
}

/// Reading OpenSSL's per-thread error queue into messages.
enum OpenSSLError {
    /// The reasons queued on this thread, oldest first, and clears the queue.
    static func drain() -> String {
        var reasons: [String] = []
        while true {
            let code = ERR_get_error()
            if code == 0 { break }
            let text = ERR_reason_error_string(code).map { String(cString: $0) } ?? "error \(code)"
            if !reasons.contains(text) { reasons.append(text) }
        }
        return reasons.isEmpty ? "unknown error" : reasons.joined(separator: ": ")
    }
}
