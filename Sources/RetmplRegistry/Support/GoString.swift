/// Go's string ordering on Swift strings: Go orders strings by their bytes,
/// while Swift's `<` uses Unicode canonical equivalence. (Equality and
/// hashing by bytes: `GoFormat.sameBytes` and `GoStringKey`.)
enum GoString {
    /// Byte-wise `a < b`, as Go's `<` and `sort.Strings` order strings.
    @inline(__always)
    static func less(_ a: String, _ b: String) -> Bool { compare(a, b) < 0 }

    /// Byte-wise three-way comparison: negative, zero or positive.
    static func compare(_ a: String, _ b: String) -> Int {
        var a = a, b = b
        return a.withUTF8 { x in
            b.withUTF8 { y in
                let n = min(x.count, y.count)
                if n > 0, let xp = x.baseAddress, let yp = y.baseAddress {
                    let c = memcmpBytes(xp, yp, n)
                    if c != 0 { return c }
                }
                return x.count - y.count
            }
        }
    }

    /// A fast (non-cryptographic) hash of the string's bytes, mixed into `seed`.
    static func fastHash(_ s: String, _ seed: UInt64) -> UInt64 {
        var s = s
        return s.withUTF8 { b in
            var h = (seed ^ UInt64(b.count)) &* 0x9E37_79B9_7F4A_7C15
            guard let p = b.baseAddress else { return h }
            var i = 0
            while i + 8 <= b.count {
                h = (h ^ UnsafeRawPointer(p + i).loadUnaligned(as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
                h ^= h >> 32
                i += 8
            }
            var tail: UInt64 = 0
            var shift: UInt64 = 0
            while i < b.count {
                tail |= UInt64(p[i]) << shift
                shift += 8
                i += 1
            }
            h = (h ^ tail) &* 0xFF51_AFD7_ED55_8CCD
            return h ^ (h >> 29)
        }
    }

    /// Compares 8 bytes at a time, then the rest.
    @inline(__always)
    private static func memcmpBytes(_ a: UnsafePointer<UInt8>, _ b: UnsafePointer<UInt8>, _ n: Int) -> Int {
        var i = 0
        while i + 8 <= n {
            let x = UnsafeRawPointer(a + i).loadUnaligned(as: UInt64.self)
            let y = UnsafeRawPointer(b + i).loadUnaligned(as: UInt64.self)
            if x != y { break }
            i += 8
        }
        while i < n {
            if a[i] != b[i] { return a[i] < b[i] ? -1 : 1 }
            i += 1
        }
        return 0
    }

    /// Go's `strings.TrimSpace`: trims Unicode white space (`unicode.IsSpace`).
    static func trimSpace(_ s: String) -> String {
        let scalars = s.unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }) else { return "" }
        guard let last = scalars.lastIndex(where: { !isSpace($0) }) else { return "" }
        if first == scalars.startIndex && last == scalars.index(before: scalars.endIndex) { return s }
        return String(scalars[first...last])
    }

    /// Go's `unicode.IsSpace`.
    static func isSpace(_ c: Unicode.Scalar) -> Bool {
        switch c.value {
        case 0x09...0x0D, 0x20, 0x85, 0xA0, 0x1680, 0x2000...0x200A, 0x2028, 0x2029, 0x202F, 0x205F, 0x3000:
            return true
        default:
            return false
        }
    }

    /// Whether `s` lower-cases (Go's `strings.ToLower`) to `asciiLower`, an
    /// already lower-case ASCII string. Only ASCII letters, U+0130 (İ → i)
    /// and U+212A (Kelvin sign → k) lower-case to ASCII.
    static func lowersTo(_ s: String, _ asciiLower: String) -> Bool {
        var it = asciiLower.utf8.makeIterator()
        for scalar in s.unicodeScalars {
            guard let want = it.next() else { return false }
            let got: UInt32
            switch scalar.value {
            case 0x41...0x5A: got = scalar.value + 0x20
            case 0x130: got = 0x69
            case 0x212A: got = 0x6B
            default: got = scalar.value
            }
            if got != UInt32(want) { return false }
        }
        return it.next() == nil
    }

    /// ASCII lower-casing (query names and tags are ASCII by grammar).
    static func asciiLower(_ s: String) -> String {
        guard s.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) else { return s }
        return String(decoding: s.utf8.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 0x20 : $0 }, as: UTF8.self)
    }

    /// Go's `strings.EqualFold` (Unicode simple case folding). Non-ASCII
    /// letters are matched through their single-scalar lower/upper mappings,
    /// which agrees with Go's fold orbits except for the dotted and dotless i
    /// (U+0130, U+0131), which Go folds only to themselves.
    static func equalFold(_ a: String, _ b: String) -> Bool {
        var x = a.unicodeScalars.makeIterator()
        var y = b.unicodeScalars.makeIterator()
        while true {
            switch (x.next(), y.next()) {
            case (nil, nil): return true
            case (let p?, let q?):
                if p == q { continue }
                if p.isASCII && q.isASCII {
                    let lp = p.value | 0x20, lq = q.value | 0x20
                    if lp == lq && lp >= 0x61 && lp <= 0x7A { continue }
                    return false
                }
                if !foldEqual(p, q) { return false }
            default: return false
            }
        }
    }

    private static func foldEqual(_ p: Unicode.Scalar, _ q: Unicode.Scalar) -> Bool {
        if p.value == 0x130 || p.value == 0x131 || q.value == 0x130 || q.value == 0x131 { return false }
        func single(_ s: String) -> Unicode.Scalar? {
            var it = s.unicodeScalars.makeIterator()
            guard let first = it.next(), it.next() == nil else { return nil }
            return first
        }
        if let lp = single(p.properties.lowercaseMapping), let lq = single(q.properties.lowercaseMapping), lp == lq {
            return true
        }
        if let up = single(p.properties.uppercaseMapping), let uq = single(q.properties.uppercaseMapping), up == uq {
            return true
        }
        return false
    }
}
