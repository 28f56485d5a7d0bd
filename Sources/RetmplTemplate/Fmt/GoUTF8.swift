/// Go's `unicode/utf8` rules on raw bytes.
///
/// fmt measures widths and precisions in runes and treats each byte of an
/// invalid sequence as one `U+FFFD`; byte slices built from template values
/// may be invalid UTF-8, so the Swift `String` view cannot be used for them.
enum GoUTF8 {
    static let runeError: UInt32 = 0xFFFD
    static let maxRune: UInt32 = 0x10FFFF

    /// Decodes the rune at `i` like `utf8.DecodeRune`: an invalid or
    /// truncated sequence yields `(U+FFFD, 1)`.
    @inline(__always)
    static func decode(_ p: UnsafeBufferPointer<UInt8>, _ i: Int) -> (rune: UInt32, width: Int) {
        let b0 = p[i]
        if b0 < 0x80 { return (UInt32(b0), 1) }
        let n = p.count - i
        // The valid range of the second byte depends on the lead byte
        // (this rejects overlong forms, surrogates and values past U+10FFFF).
        var lo: UInt8 = 0x80
        var hi: UInt8 = 0xBF
        let size: Int
        switch b0 {
        case 0xC2...0xDF: size = 2
        case 0xE0: size = 3; lo = 0xA0
        case 0xE1...0xEC, 0xEE, 0xEF: size = 3
        case 0xED: size = 3; hi = 0x9F
        case 0xF0: size = 4; lo = 0x90
        case 0xF1...0xF3: size = 4
        case 0xF4: size = 4; hi = 0x8F
        default: return (runeError, 1)
        }
        guard n >= size else {
            return (runeError, 1)
        }
        let b1 = p[i + 1]
        guard b1 >= lo && b1 <= hi else { return (runeError, 1) }
        if size == 2 {
            return (UInt32(b0 & 0x1F) << 6 | UInt32(b1 & 0x3F), 2)
        }
        let b2 = p[i + 2]
        guard b2 & 0xC0 == 0x80 else { return (runeError, 1) }
        if size == 3 {
            return (UInt32(b0 & 0x0F) << 12 | UInt32(b1 & 0x3F) << 6 | UInt32(b2 & 0x3F), 3)
        }
        let b3 = p[i + 3]
        guard b3 & 0xC0 == 0x80 else { return (runeError, 1) }
        let r = UInt32(b0 & 0x07) << 18 | UInt32(b1 & 0x3F) << 12 | UInt32(b2 & 0x3F) << 6 | UInt32(b3 & 0x3F)
        return (r, 4)
    }

    /// Number of runes in `p`, counting each invalid byte as one rune.
    static func runeCount(_ p: UnsafeBufferPointer<UInt8>) -> Int {
        var count = 0
        var i = 0
        while i < p.count {
            if p[i] < 0x80 {
                i += 1
            } else {
                i += decode(p, i).width
            }
            count += 1
        }
        return count
    }

    /// Number of runes in `bytes[from...]`.
    static func runeCount(_ bytes: [UInt8], from: Int) -> Int {
        bytes.withUnsafeBufferPointer { all in
            runeCount(UnsafeBufferPointer(rebasing: all[from...]))
        }
    }

    /// Reports whether `r` is a Unicode scalar value (not a surrogate, not past U+10FFFF).
    @inline(__always)
    static func isValid(_ r: UInt32) -> Bool {
        r < 0xD800 || (r > 0xDFFF && r <= maxRune)
    }

    /// Appends the UTF-8 encoding of `r`, or of U+FFFD when `r` is not a valid scalar.
    @inline(__always)
    static func append(_ r: UInt32, to out: inout [UInt8]) {
        let r = isValid(r) ? r : runeError
        switch r {
        case 0..<0x80:
            out.append(UInt8(r))
        case 0x80..<0x800:
            out.append(0xC0 | UInt8(r >> 6))
            out.append(0x80 | UInt8(r & 0x3F))
        case 0x800..<0x10000:
            out.append(0xE0 | UInt8(r >> 12))
            out.append(0x80 | UInt8((r >> 6) & 0x3F))
            out.append(0x80 | UInt8(r & 0x3F))
        default:
            out.append(0xF0 | UInt8(r >> 18))
            out.append(0x80 | UInt8((r >> 12) & 0x3F))
            out.append(0x80 | UInt8((r >> 6) & 0x3F))
            out.append(0x80 | UInt8(r & 0x3F))
        }
    }
}
