/// Go's simple (one rune to one rune) case mappings, as `unicode.ToUpper`,
/// `unicode.ToLower` and `unicode.ToTitle` apply them. Swift exposes only
/// full mappings, which differ where a rune maps to several (`ß` → `SS`).
enum GoCase {
    static func upper(_ r: Unicode.Scalar) -> Unicode.Scalar {
        let v = r.value
        if v < 0x80 { return (v >= 0x61 && v <= 0x7A) ? Unicode.Scalar(UInt8(v - 32)) : r }
        return single(r.properties.uppercaseMapping) ?? simpleGreekUpper(r)
    }

    static func lower(_ r: Unicode.Scalar) -> Unicode.Scalar {
        let v = r.value
        if v < 0x80 { return (v >= 0x41 && v <= 0x5A) ? Unicode.Scalar(UInt8(v + 32)) : r }
        if v == 0x130 { return "i" }  // full mapping is i + U+0307
        return single(r.properties.lowercaseMapping) ?? r
    }

    static func title(_ r: Unicode.Scalar) -> Unicode.Scalar {
        let v = r.value
        if v < 0x80 { return (v >= 0x61 && v <= 0x7A) ? Unicode.Scalar(UInt8(v - 32)) : r }
        return single(r.properties.titlecaseMapping) ?? simpleGreekUpper(r)
    }

    private static func single(_ s: String) -> Unicode.Scalar? {
        var it = s.unicodeScalars.makeIterator()
        guard let first = it.next(), it.next() == nil else { return nil }
        return first
    }

    /// Greek letters with ypogegrammeni: full uppercase splits off the iota,
    /// the simple mapping goes to the prosgegrammeni form.
    private static func simpleGreekUpper(_ r: Unicode.Scalar) -> Unicode.Scalar {
        let v = r.value
        switch v {
        case 0x1F80...0x1F87, 0x1F90...0x1F97, 0x1FA0...0x1FA7:
            return Unicode.Scalar(v + 8) ?? r
        case 0x1FB3: return "\u{1FBC}"
        case 0x1FC3: return "\u{1FCC}"
        case 0x1FF3: return "\u{1FFC}"
        default: return r
        }
    }

    /// `strings.ToUpper` / `strings.ToLower`, with an ASCII fast path.
    static func map(_ s: String, _ transform: (Unicode.Scalar) -> Unicode.Scalar) -> String {
        var ascii = true
        for b in s.utf8 where b >= 0x80 { ascii = false; break }
        if ascii {
            var bytes = Array(s.utf8)
            for i in bytes.indices {
                let mapped = transform(Unicode.Scalar(bytes[i])).value
                bytes[i] = UInt8(truncatingIfNeeded: mapped)
            }
            return String(decoding: bytes, as: UTF8.self)
        }
        var out = String.UnicodeScalarView()
        for r in s.unicodeScalars { out.append(transform(r)) }
        return String(out)
    }

    /// Go's case-folding orbit of `r` (what `(?i)` lets a literal match):
    /// the closure under the simple mappings plus the folds they miss.
    static func foldOrbit(_ r: Unicode.Scalar) -> [UInt32] {
        var members: [UInt32] = [r.value]
        var i = 0
        while i < members.count {
            guard let s = Unicode.Scalar(members[i]) else { i += 1; continue }
            var next = [lower(s).value, upper(s).value, title(s).value]
            next += extraFolds[s.value] ?? []
            for n in next where !members.contains(n) { members.append(n) }
            i += 1
        }
        return members.sorted()
    }

    private static let extraFolds: [UInt32: [UInt32]] = [
        0x4B: [0x212A], 0x53: [0x17F], 0x6B: [0x212A], 0x73: [0x17F], 0xC5: [0x212B], 0xDF: [0x1E9E], 0xE5: [0x212B], 0x345: [0x1FBE], 0x392: [0x3D0], 0x395: [0x3F5], 0x398: [0x3D1, 0x3F4], 0x399: [0x1FBE, 0x345], 0x39A: [0x3F0], 0x39C: [0xB5], 0x3A0: [0x3D6], 0x3A1: [0x3F1], 0x3A3: [0x3C2], 0x3A6: [0x3D5], 0x3A9: [0x2126], 0x3B2: [0x3D0], 0x3B5: [0x3F5], 0x3B8: [0x3D1, 0x3F4], 0x3B9: [0x1FBE, 0x345], 0x3BA: [0x3F0], 0x3BC: [0xB5], 0x3C0: [0x3D6], 0x3C1: [0x3F1], 0x3C3: [0x3C2], 0x3C6: [0x3D5], 0x3C9: [0x2126], 0x3D1: [0x3F4], 0x3F4: [0x3D1], 0x412: [0x1C80], 0x414: [0x1C81], 0x41E: [0x1C82], 0x421: [0x1C83], 0x422: [0x1C84, 0x1C85], 0x42A: [0x1C86], 0x432: [0x1C80], 0x434: [0x1C81], 0x43E: [0x1C82], 0x441: [0x1C83], 0x442: [0x1C85, 0x1C84], 0x44A: [0x1C86], 0x462: [0x1C87], 0x463: [0x1C87], 0x1C84: [0x1C85], 0x1C85: [0x1C84], 0x1E60: [0x1E9B], 0x1E61: [0x1E9B], 0x1FBE: [0x345], 0xA64A: [0x1C88], 0xA64B: [0x1C88],
    ]
}
