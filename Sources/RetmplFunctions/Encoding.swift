import RetmplTemplate

/// `base64Encode base64Decode base64URLEncode base64URLDecode sha256Hex
/// md5sum hmacSHA256Hex`.
///
/// Decoded bytes become a Swift string; invalid UTF-8 in them is replaced
/// by U+FFFD, where Go keeps the raw bytes.
enum EncodingFunctions {
    static let all: [TemplateFunction] = [
        TemplateFunction("base64Encode", [.string]) { a, _ in .string(Base64.encode(Array(a.string(0).utf8), url: false)) },
        TemplateFunction("base64URLEncode", [.string]) { a, _ in .string(Base64.encode(Array(a.string(0).utf8), url: true)) },
        TemplateFunction("base64Decode", [.string]) { a, _ in
            do {
                return .string(String(decoding: try Base64.decode(a.string(0), url: false), as: UTF8.self))
            } catch let error as CorruptInput {
                throw TemplateFunctionError("base64Decode: \(error.message)")
            }
        },
        TemplateFunction("base64URLDecode", [.string]) { a, _ in
            do {
                return .string(String(decoding: try Base64.decode(a.string(0), url: true), as: UTF8.self))
            } catch let error as CorruptInput {
                throw TemplateFunctionError("base64URLDecode: \(error.message)")
            }
        },
        TemplateFunction("sha256Hex", [.string]) { a, _ in .string(Hashes.hex(Hashes.sha256(Array(a.string(0).utf8)))) },
        TemplateFunction("md5sum", [.string]) { a, _ in .string(Hashes.hex(Hashes.md5(Array(a.string(0).utf8)))) },
        TemplateFunction("hmacSHA256Hex", [.string, .string]) { a, _ in
            .string(Hashes.hex(Hashes.hmacSHA256(key: Array(a.string(1).utf8), message: Array(a.string(0).utf8))))
        },
    ]
}

/// Go's `CorruptInputError`.
struct CorruptInput: Error {
    let offset: Int
    let alphabet: String
    var message: String { "illegal \(alphabet) data at input byte \(offset)" }
}

/// RFC 4648 base64 with padding, decoding exactly as Go's `encoding/base64`
/// (CR and LF are skipped, error offsets match).
enum Base64 {
    private static let std: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let urlAlphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_".utf8)
    private static let stdDecode = decodeMap(std)
    private static let urlDecode = decodeMap(urlAlphabet)

    private static func decodeMap(_ alphabet: [UInt8]) -> [UInt8] {
        var m = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { m[Int(c)] = UInt8(i) }
        return m
    }

    static func encode(_ bytes: [UInt8], url: Bool) -> String {
        let alphabet = url ? urlAlphabet : std
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var i = 0
        while i + 3 <= bytes.count {
            let v = UInt32(bytes[i]) << 16 | UInt32(bytes[i + 1]) << 8 | UInt32(bytes[i + 2])
            out.append(alphabet[Int(v >> 18 & 0x3F)])
            out.append(alphabet[Int(v >> 12 & 0x3F)])
            out.append(alphabet[Int(v >> 6 & 0x3F)])
            out.append(alphabet[Int(v & 0x3F)])
            i += 3
        }
        let rest = bytes.count - i
        if rest > 0 {
            var v = UInt32(bytes[i]) << 16
            if rest == 2 { v |= UInt32(bytes[i + 1]) << 8 }
            out.append(alphabet[Int(v >> 18 & 0x3F)])
            out.append(alphabet[Int(v >> 12 & 0x3F)])
            out.append(rest == 2 ? alphabet[Int(v >> 6 & 0x3F)] : UInt8(ascii: "="))
            out.append(UInt8(ascii: "="))
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ s: String, url: Bool) throws(CorruptInput) -> [UInt8] {
        let map = url ? urlDecode : stdDecode
        let src = Array(s.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(src.count / 4 * 3)
        var si = 0
        let pad = UInt8(ascii: "=")
        func isNewline(_ c: UInt8) -> Bool { c == 0x0A || c == 0x0D }
        func fail(_ offset: Int) -> CorruptInput { CorruptInput(offset: offset, alphabet: "base64") }
        while si < src.count {
            var dbuf: [UInt8] = [0, 0, 0, 0]
            var dlen = 4
            var trailing: Int? = nil
            var j = 0
            quantum: while j < 4 {
                if si == src.count {
                    if j == 0 { return out }
                    throw fail(si - j)
                }
                let c = src[si]
                si += 1
                let d = map[Int(c)]
                if d != 0xFF {
                    dbuf[j] = d
                    j += 1
                    continue
                }
                if isNewline(c) { continue }
                if c != pad { throw fail(si - 1) }
                switch j {
                case 0, 1: throw fail(si - 1)
                case 2:
                    while si < src.count && isNewline(src[si]) { si += 1 }
                    if si == src.count { throw fail(src.count) }
                    if src[si] != pad { throw fail(si - 1) }
                    si += 1
                default: break
                }
                while si < src.count && isNewline(src[si]) { si += 1 }
                if si < src.count { trailing = si }
                dlen = j
                break quantum
            }
            let v = UInt32(dbuf[0]) << 18 | UInt32(dbuf[1]) << 12 | UInt32(dbuf[2]) << 6 | UInt32(dbuf[3])
            let bytes = [UInt8(truncatingIfNeeded: v >> 16), UInt8(truncatingIfNeeded: v >> 8), UInt8(truncatingIfNeeded: v)]
            out.append(contentsOf: bytes[0 ..< dlen - 1])
            if let t = trailing { throw fail(t) }
            if dlen < 4 { break }
        }
        return out
    }
}

/// RFC 4648 base32 with padding (sprig's `b32enc`/`b32dec`), as Go's `encoding/base32`.
enum Base32 {
    private static let alphabet: [UInt8] = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var i = 0
        while i < bytes.count {
            let chunk = Array(bytes[i ..< min(i + 5, bytes.count)])
            var v: UInt64 = 0
            for k in 0 ..< 5 { v = v << 8 | UInt64(k < chunk.count ? chunk[k] : 0) }
            let chars = [2, 4, 5, 7, 8][chunk.count - 1]
            for k in 0 ..< 8 {
                if k < chars {
                    out.append(alphabet[Int(v >> UInt64(35 - 5 * k) & 0x1F)])
                } else {
                    out.append(UInt8(ascii: "="))
                }
            }
            i += 5
        }
        return String(decoding: out, as: UTF8.self)
    }

    static func decode(_ s: String) throws(CorruptInput) -> [UInt8] {
        var map = [UInt8](repeating: 0xFF, count: 256)
        for (i, c) in alphabet.enumerated() { map[Int(c)] = UInt8(i) }
        let src = Array(s.utf8).filter { $0 != 0x0A && $0 != 0x0D }
        let olen = src.count
        var rest = src[...]
        var out: [UInt8] = []
        var end = false
        let pad = UInt8(ascii: "=")
        func fail(_ offset: Int) -> CorruptInput { CorruptInput(offset: offset, alphabet: "base32") }
        while !rest.isEmpty && !end {
            var dbuf = [UInt8](repeating: 0, count: 8)
            var dlen = 8
            var j = 0
            while j < 8 {
                guard let c = rest.first else { throw fail(olen - rest.count - j) }
                rest = rest.dropFirst()
                if c == pad && j >= 2 && rest.count < 8 {
                    if rest.count + j < 7 { throw fail(olen) }
                    for k in 0 ..< 7 - j where rest.count > k && rest[rest.startIndex + k] != pad {
                        throw fail(olen - rest.count + k - 1)
                    }
                    dlen = j
                    end = true
                    if dlen == 1 || dlen == 3 || dlen == 6 { throw fail(olen - rest.count - 1) }
                    break
                }
                dbuf[j] = map[Int(c)]
                if dbuf[j] == 0xFF { throw fail(olen - rest.count - 1) }
                j += 1
            }
            var v: UInt64 = 0
            for d in dbuf { v = v << 5 | UInt64(d) }
            let produced = [8: 5, 7: 4, 5: 3, 4: 2, 2: 1][dlen] ?? 0
            for k in 0 ..< produced { out.append(UInt8(truncatingIfNeeded: v >> UInt64(32 - 8 * k))) }
        }
        return out
    }
}
