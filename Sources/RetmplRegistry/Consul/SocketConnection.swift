import Glibc

/// Thrown inside a worker when its task was cancelled; mapped to `CancellationError`.
struct WorkerCancelled: Error {}

/// Blocking-style I/O on one non-blocking socket, with every wait done by
/// `poll()` on the socket plus the cancellation pipe, under one deadline.
struct SocketIO {
    let fd: Int32
    let endpoint: String
    let cancel: CancelSignal
    let deadline: ContinuousClock.Instant
    let timeout: Duration

    /// Waits until `events` are ready on the socket, the deadline passes, or the task is cancelled.
    func wait(_ events: Int32, until limit: ContinuousClock.Instant? = nil, limitTimeout: Duration? = nil) throws {
        let until = min(limit ?? deadline, deadline)
        let cancelFD = cancel.pollFD
        while true {
            let remaining = until - ContinuousClock.now
            if remaining <= .zero {
                let after = limit != nil && until < deadline ? (limitTimeout ?? timeout) : timeout
                throw HTTPTransportError.timedOut(endpoint: endpoint, after: after)
            }
            // Round up so a wake-up never comes a hair early and spins.
            let ms = min(remaining.nanosecondsClamped / 1_000_000 + 1, Int64(Int32.max))
            var fds = [
                pollfd(fd: fd, events: Int16(events), revents: 0),
                pollfd(fd: cancelFD, events: Int16(POLLIN), revents: 0),
            ]
            let rc = poll(&fds, 2, Int32(ms))
            if rc < 0 {
                if errno == EINTR { continue }
                throw HTTPTransportError.io(endpoint: endpoint, operation: "poll", message: errnoText(errno))
            }
            if fds[1].revents != 0 || cancel.isFired { throw WorkerCancelled() }
            if fds[0].revents != 0 { return }
        }
    }

    /// Writes all of `bytes`.
    func writeAll(_ bytes: [UInt8]) throws {
        var offset = 0
        while offset < bytes.count {
            let n = bytes.withUnsafeBytes { raw in
                send(fd, raw.baseAddress.map { $0 + offset }, raw.count - offset, Int32(MSG_NOSIGNAL))
            }
            if n >= 0 {
                offset += n
                continue
            }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                try wait(Int32(POLLOUT))
                continue
            }
            throw HTTPTransportError.io(endpoint: endpoint, operation: "write", message: errnoText(code))
        }
    }

    /// Reads what is available into `buffer`, waiting as needed; 0 means end of stream.
    func readSome(into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let n = recv(fd, buffer.baseAddress, buffer.count, 0)
            if n >= 0 { return n }
            let code = errno
            if code == EINTR { continue }
            if code == EAGAIN || code == EWOULDBLOCK {
                try wait(Int32(POLLIN))
                continue
            }
            if code == ECONNRESET { throw HTTPTransportError.connectionClosed(endpoint: endpoint) }
            throw HTTPTransportError.io(endpoint: endpoint, operation: "read", message: errnoText(code))
        }
    }
}

/// Opening sockets: TCP through `getaddrinfo` (IPv4 and IPv6), or unix paths.
enum SocketConnector {
    /// Connects to `endpoint`, trying each resolved address in turn.
    static func connect(
        _ endpoint: HTTPEndpoint, cancel: CancelSignal, deadline: ContinuousClock.Instant,
        timeout: Duration, connectTimeout: Duration
    ) throws -> Int32 {
        let name = endpoint.description
        let connectDeadline = ContinuousClock.now + connectTimeout
        switch endpoint {
        case let .unix(path):
            let fd = socket(AF_UNIX, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
            guard fd >= 0 else { throw HTTPTransportError.io(endpoint: name, operation: "socket", message: errnoText(errno)) }
            var addr = sockaddr_un()
            addr.sun_family = sa_family_t(AF_UNIX)
            let capacity = MemoryLayout.size(ofValue: addr.sun_path)
            let bytes = Array(path.utf8)
            guard bytes.count < capacity else {
                _ = close(fd)
                throw HTTPTransportError.invalidAddress(name, "socket path too long")
            }
            withUnsafeMutableBytes(of: &addr.sun_path) { raw in
                raw.copyBytes(from: bytes)
                raw[bytes.count] = 0
            }
            let length = socklen_t(MemoryLayout<sockaddr_un>.size)
            let rc = withUnsafePointer(to: &addr) {
                $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { Glibc.connect(fd, $0, length) }
            }
            do {
                try finishConnect(fd: fd, rc: rc, name: name, cancel: cancel, deadline: deadline,
                                  timeout: timeout, connectDeadline: connectDeadline, connectTimeout: connectTimeout)
            } catch {
                _ = close(fd)
                throw error
            }
            return fd
        case let .tcp(host, port), let .tls(host, port, _):
            var hints = addrinfo()
            hints.ai_family = AF_UNSPEC
            hints.ai_socktype = Int32(SOCK_STREAM.rawValue)
            hints.ai_flags = AI_ADDRCONFIG | AI_NUMERICSERV
            var list: UnsafeMutablePointer<addrinfo>? = nil
            let gai = getaddrinfo(host, String(port), &hints, &list)
            guard gai == 0, let first = list else {
                let message = gai == EAI_SYSTEM ? errnoText(errno) : String(cString: gai_strerror(gai))
                throw HTTPTransportError.resolveFailed(host: host, message: message)
            }
            defer { freeaddrinfo(first) }
            var lastError: any Error = HTTPTransportError.connectFailed(endpoint: name, message: "no addresses")
            var cursor: UnsafeMutablePointer<addrinfo>? = first
            while let info = cursor {
                cursor = info.pointee.ai_next
                let fd = socket(info.pointee.ai_family,
                                Int32(SOCK_STREAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
                if fd < 0 {
                    lastError = HTTPTransportError.io(endpoint: name, operation: "socket", message: errnoText(errno))
                    continue
                }
                let rc = Glibc.connect(fd, info.pointee.ai_addr, info.pointee.ai_addrlen)
                do {
                    try finishConnect(fd: fd, rc: rc, name: name, cancel: cancel, deadline: deadline,
                                      timeout: timeout, connectDeadline: connectDeadline, connectTimeout: connectTimeout)
                    var one: Int32 = 1
                    _ = setsockopt(fd, Int32(IPPROTO_TCP), TCP_NODELAY, &one, socklen_t(MemoryLayout<Int32>.size))
                    return fd
                } catch {
                    _ = close(fd)
                    if error is WorkerCancelled { throw error }
                    if case HTTPTransportError.timedOut = error, ContinuousClock.now >= deadline { throw error }
                    lastError = error
                }
            }
            throw lastError
        }
    }

    private static func finishConnect(
        fd: Int32, rc: Int32, name: String, cancel: CancelSignal, deadline: ContinuousClock.Instant,
        timeout: Duration, connectDeadline: ContinuousClock.Instant, connectTimeout: Duration
    ) throws {
        var code: Int32 = rc == 0 ? 0 : errno
        if code == EINPROGRESS || code == EAGAIN {
            let io = SocketIO(fd: fd, endpoint: name, cancel: cancel, deadline: deadline, timeout: timeout)
            try io.wait(Int32(POLLOUT), until: connectDeadline, limitTimeout: connectTimeout)
            var length = socklen_t(MemoryLayout<Int32>.size)
            code = 0
            if getsockopt(fd, SOL_SOCKET, SO_ERROR, &code, &length) != 0 { code = errno }
        }
        switch code {
        case 0: return
        case ECONNREFUSED: throw HTTPTransportError.connectionRefused(endpoint: name)
        default: throw HTTPTransportError.connectFailed(endpoint: name, message: errnoText(code))
        }
    }
}
