import RetmplTemplate

/// Template functions that put registry values (service names, tags, meta,
/// addresses, KV) into haproxy and nginx configurations without letting a
/// value change the configuration's structure.
///
/// Three kinds, one rule — a value either becomes exactly one safe token or
/// the render fails with an error naming it, so a broken configuration is
/// never published:
/// - sanitisers (`haproxyName`, `nginxName`, `proxyComment`) always succeed
///   on a non-empty value and keep distinct inputs distinct;
/// - quoters (`haproxyString`, `nginxString`) produce one quoted argument
///   that the proxy's parser reads back as the original value;
/// - validators (`proxyHost`, `proxyHostPort`, `proxyInt`, `proxyMatch`)
///   return the value unchanged when it is already a safe raw token and fail
///   otherwise.
enum ProxyTokenFunctions {
    static let all: [TemplateFunction] = [
        TemplateFunction("haproxyName", [.string]) { a, _ in .string(try ProxyTokens.haproxyName(a.bytes(0))) },
        TemplateFunction("haproxyString", [.string]) { a, _ in .string(try ProxyTokens.haproxyString(a.text(0))) },
        TemplateFunction("nginxName", [.string]) { a, _ in .string(try ProxyTokens.nginxName(a.bytes(0))) },
        TemplateFunction("nginxString", [.string]) { a, _ in .string(try ProxyTokens.nginxString(a.text(0))) },
        TemplateFunction("proxyComment", [.string]) { a, _ in .string(ProxyTokens.comment(a.bytes(0))) },
        TemplateFunction("proxyHost", [.string]) { a, _ in .string(try ProxyTokens.host(a.text(0))) },
        TemplateFunction("proxyHostPort", [.string, .interface]) { a, _ in
            .string(try ProxyTokens.hostPort(a.text(0), port: a[1]))
        },
        TemplateFunction("proxyInt", [.int, .int, .interface]) { a, _ in
            .int(try ProxyTokens.integer(a[2], min: a.int(0), max: a.int(1)), .int)
        },
        TemplateFunction("proxyMatch", [.string, .string]) { a, _ in
            .string(try ProxyTokens.match(a.text(1), pattern: a.string(0)))
        },
    ]
}

/// The rules behind ``ProxyTokenFunctions``, on plain Swift values.
enum ProxyTokens {
    // MARK: Sanitisers

    /// haproxy's identifier characters (proxy, server, ACL names): `[A-Za-z0-9-_.:]`.
    static func isHaproxyNameByte(_ b: UInt8) -> Bool {
        isAlnum(b) || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".") || b == UInt8(ascii: ":")
    }

    /// nginx upstream names end up as the host of `proxy_pass http://NAME`
    /// and are compared case-insensitively: `[a-z0-9-_.]`.
    static func isNginxNameByte(_ b: UInt8) -> Bool {
        (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || isDigit(b)
            || b == UInt8(ascii: "-") || b == UInt8(ascii: "_") || b == UInt8(ascii: ".")
    }

    /// `haproxyName`: the value as a haproxy identifier. Other characters
    /// become `_`, and a changed value gets `-` plus the FNV-1a hash of the
    /// original, so `a b` and `a_b` stay different backends.
    static func haproxyName(_ value: [UInt8]) throws -> String {
        try name(value, allowed: isHaproxyNameByte, fold: { _ in nil })
    }

    /// `nginxName`: the value as an nginx upstream/zone name (same scheme as
    /// ``haproxyName(_:)``; upper case is lowered and counts as a change,
    /// since nginx would merge `Web` and `web`).
    static func nginxName(_ value: [UInt8]) throws -> String {
        try name(value, allowed: isNginxNameByte) { b in
            b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z") ? b + 0x20 : nil
        }
    }

    /// `fold` maps a disallowed ASCII byte to an allowed one (else `_`).
    private static func name(_ value: [UInt8], allowed: (UInt8) -> Bool, fold: (UInt8) -> UInt8?) throws -> String {
        if value.isEmpty { throw TemplateFunctionError("an empty value cannot be a name") }
        if value.allSatisfy(allowed) { return String(decoding: value, as: UTF8.self) }
        var out = ""
        for scalar in String(decoding: value, as: UTF8.self).unicodeScalars {
            let b = scalar.isASCII ? UInt8(scalar.value) : nil
            if let b, allowed(b) {
                out.unicodeScalars.append(scalar)
            } else if let b, let folded = fold(b) {
                out.unicodeScalars.append(Unicode.Scalar(folded))
            } else {
                out.append("_")
            }
        }
        return out + "-" + hex32(fnv1a(value))
    }

    /// `proxyComment`: text that stays inside a `#` comment in both proxies —
    /// control characters (newline, carriage return, NUL, ...) become `?`.
    static func comment(_ value: [UInt8]) -> String {
        let cleaned = value.map { $0 < 0x20 || $0 == 0x7F ? UInt8(ascii: "?") : $0 }
        return String(decoding: cleaned, as: UTF8.self)
    }

    // MARK: Quoters

    /// `haproxyString`: one double-quoted haproxy argument (configuration
    /// manual 2.2/2.3) that reads back as `value`: `\`, `"` and `$` (which
    /// would expand an environment variable) are escaped, tab/CR/LF become
    /// `\t \r \n` and other control bytes `\xHH`. Fails on NUL (haproxy would
    /// cut the argument there) and on the empty string (haproxy drops an empty
    /// last argument). The result is literal only where haproxy takes a plain
    /// string (ACL patterns, `string`, paths), not in log-format arguments.
    static func haproxyString(_ value: String) throws -> String {
        if value.isEmpty {
            throw TemplateFunctionError("an empty value would vanish at the end of a haproxy line")
        }
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(value.utf8.count + 2)
        for b in value.utf8 {
            switch b {
            case 0:
                throw TemplateFunctionError("\(GoFormat.quote(value)) contains a NUL byte, which haproxy cannot represent")
            case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "$"):
                out += [UInt8(ascii: "\\"), b]
            case 0x09: out += Array("\\t".utf8)
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            case ..<0x20, 0x7F:
                out += Array("\\x".utf8) + hexByte(b)
            default:
                out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    /// `nginxString`: one double-quoted nginx token that reads back as
    /// `value` (`\` and `"` escaped, tab/CR/LF as `\t \r \n`, per
    /// `ngx_conf_read_token`). Fails on `$`, which nginx cannot escape and
    /// which would name a variable in every argument that expands them, and
    /// on NUL.
    static func nginxString(_ value: String) throws -> String {
        var out: [UInt8] = [UInt8(ascii: "\"")]
        out.reserveCapacity(value.utf8.count + 2)
        for b in value.utf8 {
            switch b {
            case 0:
                throw TemplateFunctionError("\(GoFormat.quote(value)) contains a NUL byte, which nginx cannot represent")
            case UInt8(ascii: "$"):
                throw TemplateFunctionError(
                    "\(GoFormat.quote(value)) contains '$', which nginx cannot escape (it would name a variable)")
            case UInt8(ascii: "\\"), UInt8(ascii: "\""):
                out += [UInt8(ascii: "\\"), b]
            case 0x09: out += Array("\\t".utf8)
            case 0x0A: out += Array("\\n".utf8)
            case 0x0D: out += Array("\\r".utf8)
            default:
                out.append(b)
            }
        }
        out.append(UInt8(ascii: "\""))
        return String(decoding: out, as: UTF8.self)
    }

    // MARK: Validators

    /// `proxyHost`: a DNS host name (RFC 1123 labels of letters, digits and
    /// inner hyphens, 1–63 bytes each, at most 253 in all, no trailing dot,
    /// a non-numeric last label) or a dotted IPv4 address, unchanged. Safe unquoted in both proxies and never a pattern: no `~`
    /// (nginx regex), `*` (wildcard) or `$` (nginx `$hostname`).
    static func host(_ value: String) throws -> String {
        let bytes = Array(value.utf8)
        if !isIPv4(bytes[...]), let problem = hostProblem(bytes) {
            throw TemplateFunctionError("\(GoFormat.quote(value)) is not a host name: \(problem)")
        }
        return value
    }

    /// `proxyHostPort`: `address:port` for a server line in either proxy.
    /// The address is a dotted IPv4 address, an IPv6 address (bare or in
    /// brackets; printed in brackets) or a host name; the port is 1–65535 as
    /// an integer or decimal string.
    static func hostPort(_ address: String, port: TemplateValue) throws -> String {
        let portNumber: Int64
        do {
            portNumber = try integer(port, min: 1, max: 65535)
        } catch let error as TemplateFunctionError {
            throw TemplateFunctionError("port of \(GoFormat.quote(address)): \(error.message)")
        }
        let bytes = Array(address.utf8)
        if bytes.first == UInt8(ascii: "["), bytes.last == UInt8(ascii: "]"), isIPv6(bytes.dropFirst().dropLast()) {
            return "\(address):\(portNumber)"
        }
        if isIPv6(bytes[...]) { return "[\(address)]:\(portNumber)" }
        if isIPv4(bytes[...]) || hostProblem(bytes) == nil { return "\(address):\(portNumber)" }
        throw TemplateFunctionError(
            "\(GoFormat.quote(address)) is not an IPv4 address, IPv6 address or host name")
    }

    /// `proxyInt`: an integer in `min...max`, from an integer or a decimal
    /// string (optional `-`, digits only: no spaces, `+`, or fractions).
    static func integer(_ value: TemplateValue, min: Int64, max: Int64) throws -> Int64 {
        let number: Int64
        switch value {
        case .int(let v, _):
            number = v
        case .uint(let v, _):
            guard let v = Int64(exactly: v) else { throw outOfRange(GoFormat.quote("\(v)"), min: min, max: max) }
            number = v
        case .string(let s):
            guard let v = parseDecimal(s) else {
                throw TemplateFunctionError("\(GoFormat.quote(s)) is not a decimal integer")
            }
            number = v
        default:
            throw TemplateFunctionError("expected an integer or a decimal string, got \(value.goTypeName)")
        }
        guard number >= min && number <= max else {
            let shown: String
            if case .string(let s) = value { shown = GoFormat.quote(s) } else { shown = "\(number)" }
            throw outOfRange(shown, min: min, max: max)
        }
        return number
    }

    /// `proxyMatch`: `value` unchanged when the Go regular expression
    /// `pattern` matches all of it, for values with a format of their own
    /// (timeouts, paths, sizes).
    static func match(_ value: String, pattern: String) throws -> String {
        let regex = try GoRegex.compile("^(?:" + pattern + ")$")
        guard regex.matches(value) else {
            throw TemplateFunctionError("\(GoFormat.quote(value)) does not match \(GoFormat.quote(pattern))")
        }
        return value
    }

    // MARK: Building blocks

    private static func outOfRange(_ shown: String, min: Int64, max: Int64) -> TemplateFunctionError {
        TemplateFunctionError("\(shown) is not in the range \(min)...\(max)")
    }

    /// Optional `-` then 1–18 digits (no overflow possible); nil otherwise.
    static func parseDecimal(_ s: String) -> Int64? {
        var digits = Substring(s)
        let negative = digits.first == "-"
        if negative { digits = digits.dropFirst() }
        guard !digits.isEmpty, digits.count <= 18, digits.utf8.allSatisfy(isDigit) else { return nil }
        guard let magnitude = Int64(digits) else { return nil }
        return negative ? -magnitude : magnitude
    }

    /// Why `bytes` is not an RFC 1123 host name, or nil when it is one.
    static func hostProblem(_ bytes: [UInt8]) -> String? {
        if bytes.isEmpty { return "it is empty" }
        if bytes.count > 253 { return "longer than 253 bytes" }
        for label in bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false) {
            if label.isEmpty { return "empty label" }
            if label.count > 63 { return "label longer than 63 bytes" }
            if let bad = label.first(where: { !isAlnum($0) && $0 != UInt8(ascii: "-") }) {
                return "character \(GoFormat.quote(String(decoding: [bad], as: UTF8.self))) is not allowed"
            }
            if label.first == UInt8(ascii: "-") || label.last == UInt8(ascii: "-") {
                return "a label starts or ends with '-'"
            }
        }
        if let last = bytes.split(separator: UInt8(ascii: ".")).last, last.allSatisfy(isDigit) {
            return "the last label is numeric (not a valid IPv4 address either)"
        }
        return nil
    }

    /// Four dotted decimals 0–255 without leading zeros.
    static func isIPv4(_ bytes: ArraySlice<UInt8>) -> Bool {
        let parts = bytes.split(separator: UInt8(ascii: "."), omittingEmptySubsequences: false)
        guard parts.count == 4 else { return false }
        return parts.allSatisfy { part in
            guard (1...3).contains(part.count), part.allSatisfy(isDigit) else { return false }
            if part.count > 1 && part.first == UInt8(ascii: "0") { return false }
            return part.reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) } <= 255
        }
    }

    /// RFC 4291 text form: eight groups of 1–4 hex digits, one `::` for a
    /// run of zero groups, optionally an IPv4 address as the last 32 bits.
    /// Zone indexes (`%eth0`) are not accepted.
    static func isIPv6(_ bytes: ArraySlice<UInt8>) -> Bool {
        guard bytes.contains(UInt8(ascii: ":")) else { return false }
        let doubleColon: [UInt8] = [UInt8(ascii: ":"), UInt8(ascii: ":")]
        guard let range = firstRange(of: doubleColon, in: bytes) else {
            return groups(bytes, allowIPv4Tail: true) == 8
        }
        let tail = bytes[range.upperBound...]
        if firstRange(of: doubleColon, in: tail) != nil { return false }
        guard let headGroups = groups(bytes[..<range.lowerBound], allowIPv4Tail: false),
              let tailGroups = groups(tail, allowIPv4Tail: true)
        else { return false }
        return headGroups + tailGroups <= 7
    }

    /// The number of 16-bit groups in a `:`-separated run (an IPv4 tail
    /// counts two), or nil when malformed. An empty run has zero groups.
    private static func groups(_ run: ArraySlice<UInt8>, allowIPv4Tail: Bool) -> Int? {
        if run.isEmpty { return 0 }
        let parts = run.split(separator: UInt8(ascii: ":"), omittingEmptySubsequences: false)
        var count = 0
        for (i, part) in parts.enumerated() {
            if i == parts.count - 1, allowIPv4Tail, part.contains(UInt8(ascii: ".")) {
                guard isIPv4(part) else { return nil }
                count += 2
                continue
            }
            guard (1...4).contains(part.count), part.allSatisfy(isHex) else { return nil }
            count += 1
        }
        return count
    }

    private static func firstRange(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Range<Int>? {
        guard haystack.count >= needle.count else { return nil }
        var i = haystack.startIndex
        while i + needle.count <= haystack.endIndex {
            if haystack[i..<(i + needle.count)].elementsEqual(needle) { return i..<(i + needle.count) }
            i += 1
        }
        return nil
    }

    static func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }

    static func isAlnum(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "z")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "Z"))
    }

    static func isHex(_ b: UInt8) -> Bool {
        isDigit(b) || (b >= UInt8(ascii: "a") && b <= UInt8(ascii: "f")) || (b >= UInt8(ascii: "A") && b <= UInt8(ascii: "F"))
    }

    /// 32-bit FNV-1a: a short, stable suffix that tells sanitised names apart.
    static func fnv1a(_ bytes: [UInt8]) -> UInt32 {
        var hash: UInt32 = 0x811C_9DC5
        for b in bytes {
            hash ^= UInt32(b)
            hash = hash &* 0x0100_0193
        }
        return hash
    }

    private static func hexByte(_ b: UInt8) -> [UInt8] {
        let digits = Array("0123456789abcdef".utf8)
        return [digits[Int(b >> 4)], digits[Int(b & 0x0F)]]
    }

    private static func hex32(_ v: UInt32) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 8 - s.count) + s
    }
}

extension Array where Element == TemplateValue {
    /// A string argument's bytes, including a Go string that is not UTF-8.
    fileprivate func bytes(_ i: Int) -> [UInt8] {
        guard i < count else { return [] }
        switch self[i] {
        case .string(let s): return [UInt8](s.utf8)
        case .bytes(let b): return b
        default: return []
        }
    }

    /// A string argument that must be valid UTF-8 to be put in a config.
    fileprivate func text(_ i: Int) throws -> String {
        if i < count, case .bytes(let b) = self[i] {
            throw TemplateFunctionError("\(GoFormat.quote(String(decoding: b, as: UTF8.self))) is not valid UTF-8")
        }
        return string(i)
    }
}
