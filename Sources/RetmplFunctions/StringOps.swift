/// Go's `strings` package operations on UTF-8 bytes.
enum StringOps {
    /// Byte offsets of the non-overlapping occurrences of `sep` (non-empty) in `s`, at most `limit`.
    static func occurrences(of sep: [UInt8], in s: UnsafeBufferPointer<UInt8>, limit: Int = .max) -> [Int] {
        var result: [Int] = []
        let n = s.count, m = sep.count
        guard m > 0, m <= n, limit > 0 else { return result }
        let first = sep[0]
        var i = 0
        outer: while i <= n - m {
            if s[i] != first { i += 1; continue }
            var j = 1
            while j < m {
                if s[i + j] != sep[j] { i += 1; continue outer }
                j += 1
            }
            result.append(i)
            if result.count == limit { break }
            i += m
        }
        return result
    }

    private static func substring(_ s: UnsafeBufferPointer<UInt8>, _ from: Int, _ to: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: s[from ..< to]), as: UTF8.self)
    }

    /// `strings.SplitN(s, sep, n)` (n < 0: all; n == 0: nil).
    static func split(_ s: String, _ sep: String, limit n: Int = -1) -> [String] {
        if n == 0 { return [] }
        if sep.isEmpty { return explodeRunes(s, limit: n) }
        var s = s
        let sepBytes = Array(sep.utf8)
        return s.withUTF8 { buf in
            let hits = occurrences(of: sepBytes, in: buf, limit: n < 0 ? .max : n - 1)
            var parts: [String] = []
            parts.reserveCapacity(hits.count + 1)
            var start = 0
            for h in hits {
                parts.append(substring(buf, start, h))
                start = h + sepBytes.count
            }
            parts.append(substring(buf, start, buf.count))
            return parts
        }
    }

    /// Go's `explode`: one string per rune, the last holding the rest when limited.
    static func explodeRunes(_ s: String, limit n: Int) -> [String] {
        var parts: [String] = []
        let scalars = s.unicodeScalars
        var idx = scalars.startIndex
        while idx != scalars.endIndex {
            if n > 0 && parts.count == n - 1 {
                parts.append(String(scalars[idx...]))
                break
            }
            parts.append(String(scalars[idx]))
            idx = scalars.index(after: idx)
        }
        return parts
    }

    /// `strings.Cut`.
    static func cut(_ s: String, _ sep: String) -> (before: String, after: String, found: Bool) {
        let parts = split(s, sep, limit: 2)
        if parts.count == 2 { return (parts[0], parts[1], true) }
        return (s, "", false)
    }

    /// `strings.Replace(s, old, new, -1)`; an empty `old` inserts `new` around every rune.
    static func replaceAll(_ s: String, _ old: String, _ new: String) -> String {
        if old.isEmpty {
            var out = new
            for r in s.unicodeScalars {
                out.unicodeScalars.append(r)
                out += new
            }
            return out
        }
        if old == new { return s }
        var s = s
        let oldBytes = Array(old.utf8)
        return s.withUTF8 { buf in
            let hits = occurrences(of: oldBytes, in: buf)
            if hits.isEmpty { return String(decoding: buf, as: UTF8.self) }
            var out: [UInt8] = []
            out.reserveCapacity(buf.count + hits.count * (new.utf8.count - oldBytes.count))
            var start = 0
            for h in hits {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start ..< h]))
                out.append(contentsOf: new.utf8)
                start = h + oldBytes.count
            }
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[start...]))
            return String(decoding: out, as: UTF8.self)
        }
    }

    /// `strings.Contains`.
    static func contains(_ s: String, _ sub: String) -> Bool {
        if sub.isEmpty { return true }
        var s = s
        let subBytes = Array(sub.utf8)
        return s.withUTF8 { !occurrences(of: subBytes, in: $0, limit: 1).isEmpty }
    }

    /// `unicode.IsSpace`.
    static func isSpace(_ r: Unicode.Scalar) -> Bool {
        switch r.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0: return true
        case 0..<0x100: return false
        default: return r.properties.isWhitespace
        }
    }

    /// `strings.TrimSpace`.
    static func trimSpace(_ s: String) -> String {
        trimFunc(s, isSpace)
    }

    /// `strings.Trim(s, cutset)`.
    static func trim(_ s: String, cutset: String) -> String {
        if s.isEmpty || cutset.isEmpty { return s }
        let set = Set(cutset.unicodeScalars.map(\.value))
        return trimFunc(s) { set.contains($0.value) }
    }

    static func trimFunc(_ s: String, _ drop: (Unicode.Scalar) -> Bool) -> String {
        let scalars = s.unicodeScalars
        var lo = scalars.startIndex
        var hi = scalars.endIndex
        while lo < hi && drop(scalars[lo]) { lo = scalars.index(after: lo) }
        while hi > lo {
            let prev = scalars.index(before: hi)
            if !drop(scalars[prev]) { break }
            hi = prev
        }
        if lo == scalars.startIndex && hi == scalars.endIndex { return s }
        return String(scalars[lo ..< hi])
    }

    static func trimPrefix(_ s: String, _ prefix: String) -> String {
        guard !prefix.isEmpty, s.utf8.starts(with: prefix.utf8) else { return s }
        let idx = s.utf8.index(s.utf8.startIndex, offsetBy: prefix.utf8.count)
        return String(s[idx...])
    }

    static func trimSuffix(_ s: String, _ suffix: String) -> String {
        guard !suffix.isEmpty, hasSuffix(s, suffix) else { return s }
        let idx = s.utf8.index(s.utf8.endIndex, offsetBy: -suffix.utf8.count)
        return String(s[..<idx])
    }

    static func hasPrefix(_ s: String, _ prefix: String) -> Bool { s.utf8.starts(with: prefix.utf8) }

    static func hasSuffix(_ s: String, _ suffix: String) -> Bool {
        let a = s.utf8, b = suffix.utf8
        guard b.count <= a.count else { return false }
        return a.suffix(b.count).elementsEqual(b)
    }

    /// `strings.Repeat` (count must be non-negative).
    static func repeated(_ s: String, _ count: Int) -> String {
        String(repeating: s, count: max(count, 0))
    }

    /// Byte-wise order, as Go compares strings.
    static func less(_ a: String, _ b: String) -> Bool { a.utf8.lexicographicallyPrecedes(b.utf8) }
}
