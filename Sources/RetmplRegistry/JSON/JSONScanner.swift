import RetmplTemplate

/// Token-level JSON reading over UTF-8 bytes with Go's `encoding/json`
/// acceptance rules and error messages; shared by the tree parser
/// (``JSONValue/parse(_:)``) and the streaming snapshot reader.
///
/// Strings are decoded like Go's `unquote`: invalid UTF-8 becomes U+FFFD per
/// bad byte, and a `\u` surrogate that does not pair becomes U+FFFD.
struct JSONScanner: ~Copyable {
    let base: UnsafePointer<UInt8>
    let count: Int
    var pos = 0
    /// Reused strings for object keys and long ASCII strings.
    var strings = StringCache()
    /// Holds the unescaped bytes of the last key read with escapes.
    private var scratch = ByteBuffer()

    /// Go's `maxNestingDepth`.
    static let maxDepth = 10_000

    init(base: UnsafePointer<UInt8>, count: Int) {
        self.base = base
        self.count = count
    }

    // MARK: - Bytes

    @inline(__always)
    mutating func skipSpace() {
        var p = pos
        while p < count {
            let c = base[p]
            guard c == 0x20 || c == 0x0A || c == 0x0D || c == 0x09 else { break }
            p += 1
        }
        pos = p
    }

    /// The byte at `pos`, or a space at the end of input: Go's scanner feeds
    /// a space at EOF, which decides the message for a truncated token.
    @inline(__always)
    func peek() -> UInt8 { pos < count ? base[pos] : 0x20 }

    /// Skips white space and returns the next byte; end of input is an error.
    @inline(__always)
    mutating func next() throws(JSONError) -> UInt8 {
        skipSpace()
        guard pos < count else { throw endOfInput() }
        return base[pos]
    }

    /// After a member's value: true for `,` (consumed, then the next key
    /// must follow), false for `}` (consumed).
    @inline(__always)
    mutating func afterMember() throws(JSONError) -> Bool {
        let c = try next()
        pos += 1
        if c == UInt8(ascii: ",") { return true }
        if c == UInt8(ascii: "}") { return false }
        pos -= 1
        throw syntaxError(c, "after object key:value pair")
    }

    /// After an array element: true for `,`, false for `]` (both consumed).
    @inline(__always)
    mutating func afterElement() throws(JSONError) -> Bool {
        let c = try next()
        pos += 1
        if c == UInt8(ascii: ",") { return true }
        if c == UInt8(ascii: "]") { return false }
        pos -= 1
        throw syntaxError(c, "after array element")
    }

    /// At `{` (consumed by the caller): true when a first key follows,
    /// false for an empty object (the `}` is consumed).
    @inline(__always)
    mutating func objectHasMembers() throws(JSONError) -> Bool {
        let c = try next()
        if c == UInt8(ascii: "}") {
            pos += 1
            return false
        }
        return true
    }

    /// At `[` (consumed by the caller): true when a first element follows,
    /// false for an empty array (the `]` is consumed).
    @inline(__always)
    mutating func arrayHasElements() throws(JSONError) -> Bool {
        let c = try next()
        if c == UInt8(ascii: "]") {
            pos += 1
            return false
        }
        return true
    }

    // MARK: - Keys

    /// Reads `"key" :` and returns the key's bytes (unescaped). The buffer
    /// is valid until the next key is read.
    mutating func readKeyBytes() throws(JSONError) -> UnsafeBufferPointer<UInt8> {
        let c = try next()
        guard c == UInt8(ascii: "\"") else { throw syntaxError(c, "looking for beginning of object key string") }
        let key: UnsafeBufferPointer<UInt8>
        if let raw = try scanPlainString() {
            key = raw
        } else {
            key = scratch.replace(with: try unescapeString())
        }
        try expectColon()
        return key
    }

    /// Reads `"key" :` and returns the key as a string.
    mutating func readKey() throws(JSONError) -> String {
        let c = try next()
        guard c == UInt8(ascii: "\"") else { throw syntaxError(c, "looking for beginning of object key string") }
        let key = try readString(cacheable: true)
        try expectColon()
        return key
    }

    @inline(__always)
    private mutating func expectColon() throws(JSONError) {
        let c = try next()
        guard c == UInt8(ascii: ":") else { throw syntaxError(c, "after object key") }
        pos += 1
    }

    // MARK: - Strings

    /// Reads the string literal at `pos`. Object keys (`cacheable`) and long
    /// ASCII strings go through the string cache.
    mutating func readString(cacheable: Bool = false) throws(JSONError) -> String {
        if let raw = try scanPlainString() {
            if cacheable || raw.count > 15 { return strings.string(raw) }
            return String(decoding: raw, as: UTF8.self)
        }
        let bytes = try unescapeString()
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Scans a string literal at `pos` that needs no unescaping (plain ASCII,
    /// or valid UTF-8 without escapes) and returns its contents, leaving
    /// `pos` after the closing quote. Returns nil (with `pos` unchanged)
    /// when the slow path is needed.
    @inline(__always)
    private mutating func scanPlainString() throws(JSONError) -> UnsafeBufferPointer<UInt8>? {
        let start = pos + 1
        var p = start
        var ascii = true
        while true {
            // Jump 8 bytes at a time to the first quote, backslash, control or
            // non-ASCII byte (the lowest flagged byte is always a real one).
            if p + 8 <= count {
                let flags = JSONScanner.needsAttention(UnsafeRawPointer(base + p).loadUnaligned(as: UInt64.self))
                if flags == 0 {
                    p += 8
                    continue
                }
                p += flags.trailingZeroBitCount >> 3
            } else {
                while p < count {
                    let c = base[p]
                    if c == UInt8(ascii: "\"") || c == UInt8(ascii: "\\") || c < 0x20 || c >= 0x80 { break }
                    p += 1
                }
                guard p < count else {
                    pos = count
                    throw endOfInput()
                }
            }
            let c = base[p]
            if c == UInt8(ascii: "\"") {
                let raw = UnsafeBufferPointer(start: base + start, count: p - start)
                if ascii || UTF8Scan.isValid(raw) {
                    pos = p + 1
                    return raw
                }
                return nil
            }
            if c >= 0x80 {
                ascii = false
                p += 1
                continue
            }
            return nil  // a backslash or a control character
        }
    }

    /// Non-zero when some byte of `w` is `"`, `\`, below 0x20 or above 0x7F
    /// (may also flag bytes after such a byte, never before it).
    @inline(__always)
    private static func needsAttention(_ w: UInt64) -> UInt64 {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let high: UInt64 = 0x8080_8080_8080_8080
        let quote = w ^ (ones &* 0x22)
        let backslash = w ^ (ones &* 0x5C)
        let zeroQuote = (quote &- ones) & ~quote
        let zeroBackslash = (backslash &- ones) & ~backslash
        let control = w &- (ones &* 0x20)
        return (zeroQuote | zeroBackslash | control | w) & high
    }

    /// Unescapes the string literal at `pos` (escapes, control characters,
    /// invalid UTF-8) and leaves `pos` after it.
    private mutating func unescapeString() throws(JSONError) -> [UInt8] {
        pos += 1
        var out: [UInt8] = []
        out.reserveCapacity(32)
        while pos < count {
            let c = base[pos]
            switch c {
            case UInt8(ascii: "\""):
                pos += 1
                return out
            case UInt8(ascii: "\\"):
                pos += 1
                let e = peek()
                switch e {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"):
                    out.append(e)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    pos += 1
                    var scalar = try readHex4()
                    if scalar >= 0xD800 && scalar < 0xE000 {
                        // Pair only with a following \u low surrogate; otherwise U+FFFD.
                        if scalar < 0xDC00, let low = peekEscapedUnit(), low >= 0xDC00 && low < 0xE000 {
                            pos += 6
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            scalar = 0xFFFD
                        }
                    }
                    UTF8Scan.append(scalar, to: &out)
                    continue
                default:
                    throw syntaxError(e, "in string escape code")
                }
                pos += 1
            default:
                if c < 0x20 { throw syntaxError(c, "in string literal") }
                if c < 0x80 {
                    out.append(c)
                    pos += 1
                } else if let size = UTF8Scan.sequenceLength(UnsafeBufferPointer(start: base, count: count), at: pos) {
                    out.append(contentsOf: UnsafeBufferPointer(start: base + pos, count: size))
                    pos += size
                } else {
                    out.append(contentsOf: [0xEF, 0xBF, 0xBD])
                    pos += 1
                }
            }
        }
        throw endOfInput()
    }

    /// Reads the 4 hex digits of a `\u` escape at `pos`.
    private mutating func readHex4() throws(JSONError) -> UInt32 {
        var v: UInt32 = 0
        for _ in 0..<4 {
            let c = peek()
            guard let d = JSONScanner.hexValue(c) else { throw syntaxError(c, "in \\u hexadecimal character escape") }
            v = v << 4 | d
            pos += 1
        }
        return v
    }

    /// The code unit of a well-formed `\uXXXX` at `pos`, without consuming it.
    private func peekEscapedUnit() -> UInt32? {
        guard pos + 6 <= count, base[pos] == UInt8(ascii: "\\"), base[pos + 1] == UInt8(ascii: "u") else {
            return nil
        }
        var v: UInt32 = 0
        for i in 2..<6 {
            guard let d = JSONScanner.hexValue(base[pos + i]) else { return nil }
            v = v << 4 | d
        }
        return v
    }

    @inline(__always)
    private static func hexValue(_ c: UInt8) -> UInt32? {
        switch c {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): return UInt32(c - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): return UInt32(c - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): return UInt32(c - UInt8(ascii: "A") + 10)
        default: return nil
        }
    }

    // MARK: - Numbers and literals

    /// A number literal's bytes, plus its value when it is a plain integer
    /// of at most 15 digits (exact in both Int and Double).
    struct NumberToken {
        var text: UnsafeBufferPointer<UInt8>
        var smallInteger: Int?

        var string: String { String(decoding: text, as: UTF8.self) }

        /// Go's `strconv.ParseFloat(text, 64)` (±infinity when out of range).
        var double: Double {
            if let i = smallInteger {
                // -0 keeps its sign, as in Go.
                return i == 0 && text.first == UInt8(ascii: "-") ? -0.0 : Double(i)
            }
            return Double(string) ?? .nan
        }

        /// Go's `strconv.ParseInt(text, 10, 64)`, or nil.
        var int64: Int64? {
            if let i = smallInteger { return Int64(i) }
            return Int64(string, radix: 10)
        }

        /// Go's `strconv.ParseUint(text, 10, 64)`, or nil.
        var uint64: UInt64? {
            if text.first == UInt8(ascii: "-") { return nil }
            return UInt64(string, radix: 10)
        }
    }

    /// Reads the number literal at `pos` (Go's grammar: no leading zeros,
    /// no `+`, digits required after `.` and `e`).
    mutating func readNumber() throws(JSONError) -> NumberToken {
        let start = pos
        var p = pos
        var negative = false
        if base[p] == UInt8(ascii: "-") {
            negative = true
            p += 1
            let c = p < count ? base[p] : 0x20
            guard isDigit(c) else {
                pos = p
                throw syntaxError(c, "in numeric literal")
            }
        }
        var integer = 0
        var digits = 0
        if base[p] == UInt8(ascii: "0") {
            p += 1
            digits = 1
        } else {
            while p < count, isDigit(base[p]) {
                integer = integer &* 10 &+ Int(base[p] &- 0x30)
                digits += 1
                p += 1
            }
        }
        var isInteger = true
        if p < count && base[p] == UInt8(ascii: ".") {
            isInteger = false
            p += 1
            let c = p < count ? base[p] : 0x20
            guard isDigit(c) else {
                pos = p
                throw syntaxError(c, "after decimal point in numeric literal")
            }
            while p < count, isDigit(base[p]) { p += 1 }
        }
        if p < count && (base[p] == UInt8(ascii: "e") || base[p] == UInt8(ascii: "E")) {
            isInteger = false
            p += 1
            if p < count && (base[p] == UInt8(ascii: "+") || base[p] == UInt8(ascii: "-")) { p += 1 }
            let c = p < count ? base[p] : 0x20
            guard isDigit(c) else {
                pos = p
                throw syntaxError(c, "in exponent of numeric literal")
            }
            while p < count, isDigit(base[p]) { p += 1 }
        }
        pos = p
        let text = UnsafeBufferPointer(start: base + start, count: p - start)
        let small = isInteger && digits <= 15 ? (negative ? -integer : integer) : nil
        return NumberToken(text: text, smallInteger: small)
    }

    @inline(__always)
    private func isDigit(_ c: UInt8) -> Bool { c &- 0x30 < 10 }

    /// Reads `true`, `false` or `null` at `pos` (its first byte is known).
    mutating func readLiteral() throws(JSONError) -> JSONValue {
        switch base[pos] {
        case UInt8(ascii: "t"):
            try expectLiteral("true")
            return .bool(true)
        case UInt8(ascii: "f"):
            try expectLiteral("false")
            return .bool(false)
        default:
            try expectLiteral("null")
            return .null
        }
    }

    private mutating func expectLiteral(_ word: StaticString) throws(JSONError) {
        pos += 1
        let bytes = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for expected in bytes.dropFirst() {
            let c = peek()
            guard c == expected else {
                throw syntaxError(c, "in literal \(word) (expecting '\(Character(Unicode.Scalar(expected)))')")
            }
            pos += 1
        }
    }

    // MARK: - Skipping

    /// Reads and discards one value (validating it, with the depth limit
    /// counted from `depth`).
    mutating func skipValue(depth: Int = 0) throws(JSONError) {
        var open: [Bool] = []  // true = object
        while true {
            let c = try next()
            switch c {
            case UInt8(ascii: "{"), UInt8(ascii: "["):
                if depth + open.count >= JSONScanner.maxDepth { throw syntaxError(c, "exceeded max depth") }
                pos += 1
                let isObject = c == UInt8(ascii: "{")
                if try (isObject ? objectHasMembers() : arrayHasElements()) {
                    open.append(isObject)
                    if isObject { _ = try readKeyBytes() }
                    continue
                }
            case UInt8(ascii: "\""):
                if try scanPlainString() == nil { _ = try unescapeString() }
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                _ = try readNumber()
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                _ = try readLiteral()
            default:
                throw syntaxError(c, "looking for beginning of value")
            }
            // Close finished containers.
            while let isObject = open.last {
                if isObject {
                    if try afterMember() {
                        _ = try readKeyBytes()
                        break
                    }
                } else if try afterElement() {
                    break
                }
                open.removeLast()
            }
            if open.isEmpty { return }
        }
    }

    // MARK: - Errors

    func syntaxError(_ c: UInt8, _ context: String) -> JSONError {
        makeError("invalid character \(JSONScanner.quoteChar(c)) \(context)", at: min(pos, count))
    }

    func endOfInput() -> JSONError {
        makeError("unexpected end of JSON input", at: count)
    }

    func makeError(_ message: String, at offset: Int) -> JSONError {
        let (line, column, _) = SourceLocation.locate(offset, in: UnsafeBufferPointer(start: base, count: count))
        return JSONError(message: message, offset: offset, line: line, column: column)
    }

    /// Go's `quoteChar`: the byte as a quoted rune literal (a byte >= 0x80
    /// is shown as the Latin-1 character of that value, as Go does).
    static func quoteChar(_ c: UInt8) -> String {
        if c == UInt8(ascii: "'") { return "'\\''" }
        if c == UInt8(ascii: "\"") { return "'\"'" }
        // strconv.Quote of the one-character string, with single quotes instead.
        let quoted = GoFormat.quote(String(Character(Unicode.Scalar(c))))
        return "'" + quoted.dropFirst().dropLast() + "'"
    }
}
