/// Go's `strconv` quoting: `Quote`, `QuoteToASCII`, `QuoteRune`, `CanBackquote`.
enum GoQuote {
    @inline(__always)
    private static func hexDigit(_ v: UInt32) -> UInt8 {
        let d = UInt8(truncatingIfNeeded: v & 0xF)
        return d < 10 ? 0x30 + d : 0x57 + d
    }

    /// Appends `p` as a Go string literal delimited by `quote`.
    /// Invalid UTF-8 bytes become `\xNN`, as in `strconv.Quote`.
    static func appendQuoted(_ p: UnsafeBufferPointer<UInt8>, quote: UInt8, asciiOnly: Bool, to out: inout [UInt8]) {
        out.reserveCapacity(out.count + p.count + 2)
        out.append(quote)
        var i = 0
        while i < p.count {
            let c = p[i]
            // Fast path: printable ASCII that needs no escape.
            if c >= 0x20 && c < 0x7F && c != quote && c != 0x5C {
                out.append(c)
                i += 1
                continue
            }
            let (r, width) = GoUTF8.decode(p, i)
            if width == 1 && r == GoUTF8.runeError {
                out.append(0x5C)
                out.append(0x78) // x
                out.append(hexDigit(UInt32(c) >> 4))
                out.append(hexDigit(UInt32(c)))
                i += 1
                continue
            }
            appendEscapedRune(r, quote: quote, asciiOnly: asciiOnly, to: &out)
            i += width
        }
        out.append(quote)
    }

    /// Appends `r` as a Go rune literal; invalid code points print as U+FFFD.
    static func appendQuotedRune(_ r: UInt32, asciiOnly: Bool, to out: inout [UInt8]) {
        out.append(0x27)
        appendEscapedRune(GoUTF8.isValid(r) ? r : GoUTF8.runeError, quote: 0x27, asciiOnly: asciiOnly, to: &out)
        out.append(0x27)
    }

    private static func appendEscapedRune(_ r: UInt32, quote: UInt8, asciiOnly: Bool, to out: inout [UInt8]) {
        if r == UInt32(quote) || r == 0x5C {
            out.append(0x5C)
            out.append(UInt8(r))
            return
        }
        if asciiOnly {
            if r < 0x80 && GoUnicode.isPrint(r) {
                out.append(UInt8(r))
                return
            }
        } else if GoUnicode.isPrint(r) {
            GoUTF8.append(r, to: &out)
            return
        }
        let simple: UInt8
        switch r {
        case 0x07: simple = 0x61 // a
        case 0x08: simple = 0x62 // b
        case 0x0C: simple = 0x66 // f
        case 0x0A: simple = 0x6E // n
        case 0x0D: simple = 0x72 // r
        case 0x09: simple = 0x74 // t
        case 0x0B: simple = 0x76 // v
        default: simple = 0
        }
        if simple != 0 {
            out.append(0x5C)
            out.append(simple)
            return
        }
        if r < 0x20 || r == 0x7F {
            out.append(0x5C)
            out.append(0x78) // x
            out.append(hexDigit(r >> 4))
            out.append(hexDigit(r))
            return
        }
        let r = GoUTF8.isValid(r) ? r : GoUTF8.runeError
        out.append(0x5C)
        if r < 0x10000 {
            out.append(0x75) // u
            for shift in stride(from: 12, through: 0, by: -4) { out.append(hexDigit(r >> UInt32(shift))) }
        } else {
            out.append(0x55) // U
            for shift in stride(from: 28, through: 0, by: -4) { out.append(hexDigit(r >> UInt32(shift))) }
        }
    }

    /// Reports whether `p` can be written as a raw (backquoted) Go string
    /// literal: no control characters other than tab, no backquote, no BOM.
    static func canBackquote(_ p: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        while i < p.count {
            let (r, width) = GoUTF8.decode(p, i)
            i += width
            if width > 1 {
                if r == 0xFEFF { return false }
                continue
            }
            if r == GoUTF8.runeError { return false }
            if (r < 0x20 && r != 0x09) || r == 0x60 || r == 0x7F { return false }
        }
        return true
    }
}
