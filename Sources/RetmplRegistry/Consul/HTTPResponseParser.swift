/// Incremental HTTP/1.x response parser: feed it bytes as they arrive.
///
/// Handles `Content-Length`, chunked and read-until-close bodies, skips interim
/// 1xx responses, and enforces a body-size cap so a misbehaving server cannot
/// exhaust memory.
public struct HTTPResponseParser: Sendable {
    public enum ParseError: Error, Sendable, Equatable {
        case malformed(String)
        case tooLarge(limit: Int)
        case truncated
    }

    private enum State: Sendable {
        case head
        case fixed(remaining: Int)
        case chunkSize
        case chunkData(remaining: Int)
        case chunkDataEnd
        case trailers
        case untilClose
        case done
    }

    private let maxBodyBytes: Int
    private let maxHeadBytes: Int
    private let bodyless: Bool
    private var buffer: [UInt8] = []
    private var position = 0
    private var state = State.head
    private var status = 0
    private var reason = ""
    private var headers = HTTPHeaders()
    private var body: [UInt8] = []
    private var http10 = false

    /// - Parameter bodyless: the request was `HEAD`, so no body follows any status.
    public init(maxBodyBytes: Int, maxHeadBytes: Int = 64 * 1024, bodyless: Bool = false) {
        self.maxBodyBytes = maxBodyBytes
        self.maxHeadBytes = maxHeadBytes
        self.bodyless = bodyless
    }

    /// True once a whole response has been parsed.
    public var isComplete: Bool { if case .done = state { true } else { false } }

    /// Bytes received past the end of the response (a pipelining server's next answer).
    public var hasLeftover: Bool { position < buffer.count }

    /// Whether the connection may carry another request after this response.
    public var keepAlive: Bool {
        let connection = headers.values("Connection").joined(separator: ",").lowercased()
        if http10 { return connection.contains("keep-alive") }
        return !connection.contains("close")
    }

    /// The parsed response, once `isComplete`.
    public var response: HTTPResponse? {
        guard isComplete else { return nil }
        return HTTPResponse(status: status, reason: reason, headers: headers, body: body)
    }

    /// Consumes `bytes`; returns true when the response is complete.
    @discardableResult
    public mutating func feed(_ bytes: some Collection<UInt8>) throws(ParseError) -> Bool {
        if position > 0 && position == buffer.count {
            buffer.removeAll(keepingCapacity: true)
            position = 0
        }
        buffer.append(contentsOf: bytes)
        try advance()
        if position > 4096 && position * 2 > buffer.count {
            buffer.removeSubrange(0..<position)
            position = 0
        }
        return isComplete
    }

    /// Reports end of stream: completes a read-until-close body, fails anything else.
    public mutating func finish() throws(ParseError) -> Bool {
        switch state {
        case .done: return true
        case .untilClose:
            state = .done
            return true
        default: throw .truncated
        }
    }

    private mutating func advance() throws(ParseError) {
        while true {
            switch state {
            case .done:
                return
            case .head:
                guard let end = findHeadEnd() else {
                    if buffer.count - position > maxHeadBytes { throw .malformed("response head larger than \(maxHeadBytes) bytes") }
                    return
                }
                try parseHead(position..<end)
                position = end + 4
            case let .fixed(remaining):
                let take = min(remaining, buffer.count - position)
                if take == 0 { return }
                body.append(contentsOf: buffer[position..<position + take])
                position += take
                state = remaining == take ? .done : .fixed(remaining: remaining - take)
            case .chunkSize:
                guard let line = nextLine() else {
                    if buffer.count - position > 1024 { throw .malformed("chunk size line too long") }
                    return
                }
                var size = 0
                var digits = 0
                for byte in buffer[line] {
                    guard let v = Self.hexValue(byte) else {
                        if byte == UInt8(ascii: ";") || byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") { break }
                        throw .malformed("invalid chunk size")
                    }
                    digits += 1
                    guard digits <= 15 else { throw .malformed("chunk size too large") }
                    size = size << 4 | Int(v)
                }
                guard digits > 0 else { throw .malformed("invalid chunk size") }
                if size == 0 {
                    state = .trailers
                } else {
                    guard body.count + size <= maxBodyBytes else { throw .tooLarge(limit: maxBodyBytes) }
                    state = .chunkData(remaining: size)
                }
            case let .chunkData(remaining):
                let take = min(remaining, buffer.count - position)
                if take == 0 { return }
                body.append(contentsOf: buffer[position..<position + take])
                position += take
                state = remaining == take ? .chunkDataEnd : .chunkData(remaining: remaining - take)
            case .chunkDataEnd:
                guard let line = nextLine() else {
                    if buffer.count - position >= 2 { throw .malformed("missing CRLF after chunk data") }
                    return
                }
                guard line.isEmpty else { throw .malformed("missing CRLF after chunk data") }
                state = .chunkSize
            case .trailers:
                guard let line = nextLine() else {
                    if buffer.count - position > maxHeadBytes { throw .malformed("trailer section too large") }
                    return
                }
                if line.isEmpty { state = .done }
            case .untilClose:
                let available = buffer.count - position
                if available == 0 { return }
                guard body.count + available <= maxBodyBytes else { throw .tooLarge(limit: maxBodyBytes) }
                body.append(contentsOf: buffer[position...])
                position = buffer.count
                return
            }
        }
    }

    /// The range of the next line (without its CRLF or bare LF), consuming it.
    private mutating func nextLine() -> Range<Int>? {
        var i = position
        while i < buffer.count {
            if buffer[i] == UInt8(ascii: "\n") {
                let end = i > position && buffer[i - 1] == UInt8(ascii: "\r") ? i - 1 : i
                let line = position..<end
                position = i + 1
                return line
            }
            i += 1
        }
        return nil
    }

    private func findHeadEnd() -> Int? {
        var i = position
        while i + 3 < buffer.count {
            if buffer[i] == UInt8(ascii: "\r") && buffer[i + 1] == UInt8(ascii: "\n")
                && buffer[i + 2] == UInt8(ascii: "\r") && buffer[i + 3] == UInt8(ascii: "\n") {
                return i
            }
            i += 1
        }
        return nil
    }

    private mutating func parseHead(_ range: Range<Int>) throws(ParseError) {
        let head = buffer[range]
        var lines = head.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).makeIterator()
        guard let first = lines.next() else { throw .malformed("empty response") }
        let statusLine = Self.trimCR(first)
        // "HTTP/1.1 200 OK": version, three-digit code, optional reason.
        guard statusLine.count >= 12,
              statusLine.starts(with: "HTTP/1.".utf8),
              statusLine[statusLine.startIndex + 8] == UInt8(ascii: " ") else {
            throw .malformed("malformed status line \(Self.quote(statusLine))")
        }
        let minor = statusLine[statusLine.startIndex + 7]
        guard minor == UInt8(ascii: "0") || minor == UInt8(ascii: "1") else {
            throw .malformed("malformed status line \(Self.quote(statusLine))")
        }
        var code = 0
        for byte in statusLine[(statusLine.startIndex + 9)..<(statusLine.startIndex + 12)] {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else {
                throw .malformed("malformed status line \(Self.quote(statusLine))")
            }
            code = code * 10 + Int(byte - UInt8(ascii: "0"))
        }
        let afterCode = statusLine.dropFirst(12)
        if let sep = afterCode.first, sep != UInt8(ascii: " ") {
            throw .malformed("malformed status line \(Self.quote(statusLine))")
        }
        guard code >= 100 else { throw .malformed("malformed status line \(Self.quote(statusLine))") }
        var parsed = HTTPHeaders()
        while let raw = lines.next() {
            let line = Self.trimCR(raw)
            guard let colon = line.firstIndex(of: UInt8(ascii: ":")), colon > line.startIndex else {
                throw .malformed("malformed header line \(Self.quote(line))")
            }
            let name = String(decoding: line[..<colon], as: UTF8.self)
            guard !name.utf8.contains(where: { $0 == 0x20 || $0 == 0x09 }) else {
                throw .malformed("malformed header line \(Self.quote(line))")
            }
            let value = String(decoding: Self.trimSpace(line[(colon + 1)...]), as: UTF8.self)
            parsed.append(name: name, value: value)
        }
        if code < 200 && code != 101 {
            // Interim response (100 Continue, 103 Early Hints): the real one follows.
            return
        }
        status = code
        reason = String(decoding: afterCode.dropFirst(), as: UTF8.self)
        headers = parsed
        http10 = minor == UInt8(ascii: "0")
        if bodyless || code == 204 || code == 304 {
            state = .done
            return
        }
        if let te = parsed["Transfer-Encoding"], te.lowercased().contains("chunked") {
            state = .chunkSize
            return
        }
        if let lengths = Optional(parsed.values("Content-Length")), let first = lengths.first {
            guard lengths.allSatisfy({ $0 == first }), let n = Int(first), n >= 0 else {
                throw .malformed("invalid Content-Length \"\(first)\"")
            }
            guard n <= maxBodyBytes else { throw .tooLarge(limit: maxBodyBytes) }
            body.reserveCapacity(n)
            state = n == 0 ? .done : .fixed(remaining: n)
            return
        }
        state = .untilClose
    }

    private static func trimCR(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        s.last == UInt8(ascii: "\r") ? s.dropLast() : s
    }

    private static func trimSpace(_ s: ArraySlice<UInt8>) -> ArraySlice<UInt8> {
        var s = s
        while let f = s.first, f == 0x20 || f == 0x09 { s = s.dropFirst() }
        while let l = s.last, l == 0x20 || l == 0x09 { s = s.dropLast() }
        return s
    }

    private static func hexValue(_ b: UInt8) -> UInt8? {
        switch b {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): b - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): b - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): b - UInt8(ascii: "A") + 10
        default: nil
        }
    }

    private static func quote(_ s: ArraySlice<UInt8>) -> String {
        var out = "\""
        for b in s.prefix(64) {
            if b >= 0x20 && b < 0x7F && b != UInt8(ascii: "\"") && b != UInt8(ascii: "\\") {
                out.unicodeScalars.append(Unicode.Scalar(b))
            } else {
                out += "\\x" + String(b, radix: 16, uppercase: false).leftPad2
            }
        }
        return out + (s.count > 64 ? "...\"" : "\"")
    }
}

private extension String {
    var leftPad2: String { count < 2 ? "0" + self : self }
}
