/// The state of one `fmt` call: the output buffer plus the flags, width and
/// precision of the directive being formatted (Go's `pp` and `fmt` in one).
///
/// Output goes straight into `buf`, which the public entry points swap in
/// from the caller's buffer, so formatting appends without copying.
struct GoPrinter {
    var buf: [UInt8] = []

    var widPresent = false
    var precPresent = false
    var minus = false
    var plus = false
    var sharp = false
    var space = false
    var zero = false
    /// `%+v`: print struct field names (`plus` is cleared).
    var plusV = false
    /// `%#v`: Go syntax (`sharp` is cleared).
    var sharpV = false
    var wid = 0
    var prec = 0

    /// The argument list used an explicit index like `%[2]d`.
    var reordered = false
    /// The most recent explicit index was valid.
    var goodArgNum = true

    mutating func clearFlags() {
        widPresent = false
        precPresent = false
        minus = false
        plus = false
        sharp = false
        space = false
        zero = false
        plusV = false
        sharpV = false
        wid = 0
        prec = 0
    }

    // MARK: Padding

    /// Appends `n` padding bytes: zeros only when padding on the left.
    mutating func writePadding(_ n: Int) {
        guard n > 0 else { return }
        let byte: UInt8 = zero && !minus ? UInt8(ascii: "0") : UInt8(ascii: " ")
        buf.append(contentsOf: repeatElement(byte, count: n))
    }

    /// Pads the text already written at `buf[start...]` to the width, counting runes.
    mutating func padWritten(from start: Int) {
        guard widPresent && wid != 0 else { return }
        let runes = GoUTF8.runeCount(buf, from: start)
        let n = wid - runes
        guard n > 0 else { return }
        if minus {
            writePadding(n)
        } else {
            let byte: UInt8 = zero ? UInt8(ascii: "0") : UInt8(ascii: " ")
            buf.insert(contentsOf: repeatElement(byte, count: n), at: start)
        }
    }

    /// Appends `bytes`, padded to the width.
    mutating func pad(_ bytes: UnsafeBufferPointer<UInt8>) {
        guard widPresent && wid != 0 else {
            buf.append(contentsOf: bytes)
            return
        }
        let n = wid - GoUTF8.runeCount(bytes)
        if minus {
            buf.append(contentsOf: bytes)
            writePadding(n)
        } else {
            writePadding(n)
            buf.append(contentsOf: bytes)
        }
    }

    mutating func padStatic(_ s: StaticString) {
        s.withUTF8Buffer { pad($0) }
    }

    mutating func appendStatic(_ s: StaticString) {
        s.withUTF8Buffer { buf.append(contentsOf: $0) }
    }

    mutating func appendString(_ s: String) {
        buf.append(contentsOf: s.utf8)
    }

    // MARK: Booleans, integers, runes

    mutating func fmtBoolean(_ v: Bool) {
        padStatic(v ? "true" : "false")
    }

    /// Formats an integer in `base` (2, 8, 10 or 16) with the current flags.
    mutating func fmtInteger(_ value: UInt64, base: UInt64, signed: Bool, verb: UInt32, upper: Bool) {
        var u = value
        let negative = signed && Int64(bitPattern: u) < 0
        if negative { u = 0 &- u }

        // Two ways to ask for leading zeros: %.3d or %03d. With both, the
        // zero flag is ignored and padding uses spaces.
        var precision = 0
        if precPresent {
            precision = prec
            // Precision 0 and value 0 print nothing but padding.
            if precision == 0 && u == 0 {
                let oldZero = zero
                zero = false
                writePadding(wid)
                zero = oldZero
                return
            }
        } else if zero && !minus && widPresent {
            precision = wid
            if negative || plus || space { precision -= 1 }
        }

        // Digits are produced right to left into scratch space, as in Go.
        let capacity = 68 + (widPresent || precPresent ? wid + prec + 3 : 0)
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: capacity) { tmp in
            var i = capacity
            let hex: UInt8 = upper ? UInt8(ascii: "A") : UInt8(ascii: "a")
            switch base {
            case 10:
                repeat {
                    i -= 1
                    tmp[i] = UInt8(ascii: "0") + UInt8(u % 10)
                    u /= 10
                } while u != 0
            case 16:
                repeat {
                    i -= 1
                    let d = UInt8(u & 0xF)
                    tmp[i] = d < 10 ? UInt8(ascii: "0") + d : hex + d - 10
                    u >>= 4
                } while u != 0
            case 8:
                repeat {
                    i -= 1
                    tmp[i] = UInt8(ascii: "0") + UInt8(u & 7)
                    u >>= 3
                } while u != 0
            default:
                repeat {
                    i -= 1
                    tmp[i] = UInt8(ascii: "0") + UInt8(u & 1)
                    u >>= 1
                } while u != 0
            }
            while i > 0 && precision > capacity - i {
                i -= 1
                tmp[i] = UInt8(ascii: "0")
            }
            if sharp {
                switch base {
                case 2:
                    i -= 2
                    tmp[i] = UInt8(ascii: "0")
                    tmp[i + 1] = UInt8(ascii: "b")
                case 8:
                    if tmp[i] != UInt8(ascii: "0") {
                        i -= 1
                        tmp[i] = UInt8(ascii: "0")
                    }
                case 16:
                    i -= 2
                    tmp[i] = UInt8(ascii: "0")
                    tmp[i + 1] = upper ? UInt8(ascii: "X") : UInt8(ascii: "x")
                default:
                    break
                }
            }
            if verb == 0x4F { // 'O'
                i -= 2
                tmp[i] = UInt8(ascii: "0")
                tmp[i + 1] = UInt8(ascii: "o")
            }
            if negative {
                i -= 1
                tmp[i] = UInt8(ascii: "-")
            } else if plus {
                i -= 1
                tmp[i] = UInt8(ascii: "+")
            } else if space {
                i -= 1
                tmp[i] = UInt8(ascii: " ")
            }
            // Zero padding was done above as precision, if at all.
            let oldZero = zero
            zero = false
            pad(UnsafeBufferPointer(rebasing: tmp[i...]))
            zero = oldZero
        }
    }

    /// `U+0078`, or with `#` `U+0078 'x'`.
    mutating func fmtUnicode(_ value: UInt64) {
        let start = buf.count
        let u = value
        var precision = 4
        if precPresent && prec > 4 { precision = prec }
        var digits = 1
        while u >> (4 * UInt64(digits)) != 0 && digits < 16 { digits += 1 }
        buf.append(UInt8(ascii: "U"))
        buf.append(UInt8(ascii: "+"))
        if precision > digits {
            buf.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: precision - digits))
        }
        for k in stride(from: digits - 1, through: 0, by: -1) {
            let d = UInt8((u >> (4 * UInt64(k))) & 0xF)
            buf.append(d < 10 ? UInt8(ascii: "0") + d : UInt8(ascii: "A") + d - 10)
        }
        if sharp && value <= UInt64(GoUTF8.maxRune) && GoUnicode.isPrint(UInt32(value)) {
            buf.append(UInt8(ascii: " "))
            buf.append(UInt8(ascii: "'"))
            GoUTF8.append(UInt32(value), to: &buf)
            buf.append(UInt8(ascii: "'"))
        }
        let oldZero = zero
        zero = false
        padWritten(from: start)
        zero = oldZero
    }

    /// The integer as a character; values past U+10FFFF print as U+FFFD.
    mutating func fmtC(_ c: UInt64) {
        let r = c > UInt64(GoUTF8.maxRune) ? GoUTF8.runeError : UInt32(c)
        let start = buf.count
        GoUTF8.append(r, to: &buf)
        padWritten(from: start)
    }

    /// The integer as a quoted Go rune literal.
    mutating func fmtQc(_ c: UInt64) {
        let r = c > UInt64(GoUTF8.maxRune) ? GoUTF8.runeError : UInt32(c)
        let start = buf.count
        GoQuote.appendQuotedRune(r, asciiOnly: plus, to: &buf)
        padWritten(from: start)
    }

    // MARK: Strings and bytes

    /// `bytes` cut to the precision, counted in runes.
    func truncated(_ bytes: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8> {
        guard precPresent else { return bytes }
        var n = prec
        var i = 0
        while i < bytes.count {
            n -= 1
            if n < 0 { return UnsafeBufferPointer(rebasing: bytes[..<i]) }
            i += bytes[i] < 0x80 ? 1 : GoUTF8.decode(bytes, i).width
        }
        return bytes
    }

    mutating func fmtS(_ bytes: UnsafeBufferPointer<UInt8>) {
        pad(truncated(bytes))
    }

    mutating func fmtS(_ s: String) {
        var s = s
        s.withUTF8 { fmtS($0) }
    }

    /// Hex encoding of the bytes: `% x` separates bytes, `#` adds 0x.
    mutating func fmtSbx(_ bytes: UnsafeBufferPointer<UInt8>, upper: Bool) {
        var length = bytes.count
        if precPresent && prec < length { length = prec }
        var width = 2 * length
        if width > 0 {
            if space {
                if sharp { width *= 2 }
                width += length - 1
            } else if sharp {
                width += 2
            }
        } else {
            if widPresent { writePadding(wid) }
            return
        }
        if widPresent && wid > width && !minus {
            writePadding(wid - width)
        }
        let x: UInt8 = upper ? UInt8(ascii: "X") : UInt8(ascii: "x")
        let letter: UInt8 = upper ? UInt8(ascii: "A") : UInt8(ascii: "a")
        buf.reserveCapacity(buf.count + width)
        if sharp {
            buf.append(UInt8(ascii: "0"))
            buf.append(x)
        }
        for i in 0..<length {
            if space && i > 0 {
                buf.append(UInt8(ascii: " "))
                if sharp {
                    buf.append(UInt8(ascii: "0"))
                    buf.append(x)
                }
            }
            let c = bytes[i]
            let hi = c >> 4
            let lo = c & 0xF
            buf.append(hi < 10 ? UInt8(ascii: "0") + hi : letter + hi - 10)
            buf.append(lo < 10 ? UInt8(ascii: "0") + lo : letter + lo - 10)
        }
        if widPresent && wid > width && minus {
            writePadding(wid - width)
        }
    }

    /// A double-quoted Go string literal; with `#` a raw string when possible,
    /// with `+` ASCII only.
    mutating func fmtQ(_ bytes: UnsafeBufferPointer<UInt8>) {
        let s = truncated(bytes)
        let start = buf.count
        if sharp && GoQuote.canBackquote(s) {
            buf.append(UInt8(ascii: "`"))
            buf.append(contentsOf: s)
            buf.append(UInt8(ascii: "`"))
        } else {
            GoQuote.appendQuoted(s, quote: UInt8(ascii: "\""), asciiOnly: plus, to: &buf)
        }
        padWritten(from: start)
    }

    // MARK: Floats

    /// Formats a float with `strconv` verb `verb` and default precision
    /// `defaultPrec`, then applies sign, `#` and padding rules. The number is
    /// formatted in place at the end of `buf`, behind a reserved sign byte.
    mutating func fmtFloat(_ v: Double, size: Int, verb: UInt8, defaultPrec: Int) {
        let precision = precPresent ? prec : defaultPrec
        let start = buf.count
        buf.append(UInt8(ascii: "+"))
        GoFloat.append(v, fmt: verb, prec: precision, bitSize: size, to: &buf)
        if buf[start + 1] == UInt8(ascii: "-") || buf[start + 1] == UInt8(ascii: "+") {
            buf.remove(at: start)
        }
        if space && buf[start] == UInt8(ascii: "+") && !plus {
            buf[start] = UInt8(ascii: " ")
        }
        // Infinities and NaN are not padded with zeros.
        let first = buf[start + 1]
        if first == UInt8(ascii: "I") || first == UInt8(ascii: "N") {
            let oldZero = zero
            zero = false
            if first == UInt8(ascii: "N") && !space && !plus {
                buf.remove(at: start)
            }
            padWritten(from: start)
            zero = oldZero
            return
        }
        // `#` forces a decimal point and keeps trailing zeros.
        if sharp && verb != UInt8(ascii: "b") {
            var num = Array(buf[start...])
            restoreTrailingZeros(&num, verb: verb, precision: precision)
            buf.replaceSubrange(start..., with: num)
        }
        if plus || buf[start] != UInt8(ascii: "+") {
            // Zero padding goes between the sign and the digits.
            let length = buf.count - start
            if zero && !minus && widPresent && wid > length {
                buf.insert(contentsOf: repeatElement(UInt8(ascii: "0"), count: wid - length), at: start + 1)
                return
            }
            padWritten(from: start)
            return
        }
        buf.remove(at: start)
        padWritten(from: start)
    }

    private func restoreTrailingZeros(_ num: inout [UInt8], verb: UInt8, precision: Int) {
        var digits = 0
        switch verb {
        case UInt8(ascii: "v"), UInt8(ascii: "g"), UInt8(ascii: "G"), UInt8(ascii: "x"):
            digits = precision == -1 ? 6 : precision
        default:
            break
        }
        var tail: [UInt8] = []
        var hasDecimalPoint = false
        var sawNonzeroDigit = false
        var i = 1
        scan: while i < num.count {
            let c = num[i]
            switch c {
            case UInt8(ascii: "."):
                hasDecimalPoint = true
            case UInt8(ascii: "p"), UInt8(ascii: "P"):
                tail.append(contentsOf: num[i...])
                num.removeSubrange(i...)
                break scan
            case UInt8(ascii: "e") where verb != UInt8(ascii: "x") && verb != UInt8(ascii: "X"),
                 UInt8(ascii: "E") where verb != UInt8(ascii: "x") && verb != UInt8(ascii: "X"):
                tail.append(contentsOf: num[i...])
                num.removeSubrange(i...)
                break scan
            default:
                if c != UInt8(ascii: "0") { sawNonzeroDigit = true }
                // Count significant digits after the first non-zero digit.
                if sawNonzeroDigit { digits -= 1 }
            }
            i += 1
        }
        if !hasDecimalPoint {
            // A lone leading 0 counts as one digit.
            if num.count == 2 && num[1] == UInt8(ascii: "0") { digits -= 1 }
            num.append(UInt8(ascii: "."))
        }
        if digits > 0 {
            num.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: digits))
        }
        num.append(contentsOf: tail)
    }

    // MARK: Helpers

    /// Appends the decimal digits of `v` with no formatting.
    @inline(__always)
    static func appendDecimal(_ v: UInt64, to out: inout [UInt8]) {
        if v < 10 {
            out.append(UInt8(ascii: "0") + UInt8(v))
            return
        }
        withDecimal(v) { out.append(contentsOf: $0) }
    }

    /// Calls `body` with the decimal digits of `v`, made two at a time from
    /// a table in a stack buffer: the one digit writer of both the array
    /// formatters and the executor's output buffer.
    @inline(__always)
    static func withDecimal<R>(_ v: UInt64, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 20) { tmp in
            digitPairs.withUnsafeBufferPointer { pairs in
                var i = 20
                var u = v
                while u >= 100 {
                    let pair = Int(truncatingIfNeeded: u % 100) &* 2
                    u /= 100
                    i -= 2
                    tmp[i] = pairs[pair]
                    tmp[i + 1] = pairs[pair &+ 1]
                }
                if u >= 10 {
                    let pair = Int(truncatingIfNeeded: u) &* 2
                    i -= 2
                    tmp[i] = pairs[pair]
                    tmp[i + 1] = pairs[pair &+ 1]
                } else {
                    i -= 1
                    tmp[i] = UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: u)
                }
                return body(UnsafeBufferPointer(rebasing: tmp[i...]))
            }
        }
    }

    private static let digitPairs: [UInt8] = (0..<100).flatMap {
        [UInt8(ascii: "0") + UInt8($0 / 10), UInt8(ascii: "0") + UInt8($0 % 10)]
    }
}
