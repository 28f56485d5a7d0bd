/// Go's `strconv.AppendFloat`: formats `e E f g G b x X`, precision -1 for
/// the shortest digits that round-trip, 32- or 64-bit rounding.
enum GoFloat {
    private struct Layout {
        let mantBits: Int
        let expBits: Int
        let bias: Int
    }

    private static let float32Layout = Layout(mantBits: 23, expBits: 8, bias: -127)
    private static let float64Layout = Layout(mantBits: 52, expBits: 11, bias: -1023)

    /// The IEEE bits of `value` at `bitSize` and the layout to read them with.
    private static func representation(_ value: Double, bitSize: Int) -> (bits: UInt64, layout: Layout) {
        bitSize == 32 ? (UInt64(Float(value).bitPattern), float32Layout) : (value.bitPattern, float64Layout)
    }

    static func append(_ value: Double, fmt: UInt8, prec: Int, bitSize: Int, to out: inout [UInt8]) {
        let (bits, flt) = representation(value, bitSize: bitSize)
        let neg = bits >> UInt64(flt.expBits + flt.mantBits) != 0
        var exp = Int(truncatingIfNeeded: bits >> UInt64(flt.mantBits)) & ((1 << flt.expBits) - 1)
        var mant = bits & ((UInt64(1) << UInt64(flt.mantBits)) - 1)

        switch exp {
        case (1 << flt.expBits) - 1:
            let text: StaticString = mant != 0 ? "NaN" : (neg ? "-Inf" : "+Inf")
            appendStatic(text, to: &out)
            return
        case 0:
            // Denormal: no implicit leading bit.
            exp += 1
        default:
            mant |= UInt64(1) << UInt64(flt.mantBits)
        }
        exp += flt.bias

        if fmt == UInt8(ascii: "b") {
            appendBinary(neg: neg, mant: mant, exp: exp - flt.mantBits, to: &out)
            return
        }
        if fmt == UInt8(ascii: "x") || fmt == UInt8(ascii: "X") {
            appendHex(neg: neg, mant: mant, exp: exp, mantBits: flt.mantBits, prec: prec, fmt: fmt, to: &out)
            return
        }

        let shortest = prec < 0
        var prec = prec
        if mant == 0 {
            formatDigits(GoDecimal(mantissa: 0, exponent: 0), shortest: shortest, neg: neg, prec: prec, fmt: fmt, to: &out)
            return
        }
        if !shortest && fmt == UInt8(ascii: "f"),
           let d = GoDecimal.fixed(mantissa: mant, exponent: exp - flt.mantBits, fraction: prec) {
            formatDigits(d, shortest: false, neg: neg, prec: prec, fmt: fmt, to: &out)
            return
        }
        var d: GoDecimal
        if shortest {
            // The standard library prints the same shortest digits (this is
            // checked against the exact algorithm below by the tests).
            let magnitude = abs(value)
            d = GoDecimal(shortestDescription: bitSize == 32 ? Float(magnitude).description : magnitude.description)
            switch fmt {
            case UInt8(ascii: "e"), UInt8(ascii: "E"): prec = max(d.nd - 1, 0)
            case UInt8(ascii: "f"): prec = max(d.nd - d.dp, 0)
            case UInt8(ascii: "g"), UInt8(ascii: "G"): prec = d.nd
            default: break
            }
        } else {
            d = GoDecimal(mantissa: mant, exponent: exp - flt.mantBits)
            switch fmt {
            case UInt8(ascii: "e"), UInt8(ascii: "E"):
                d.round(prec + 1)
            case UInt8(ascii: "f"):
                d.round(d.dp + prec)
            case UInt8(ascii: "g"), UInt8(ascii: "G"):
                if prec == 0 { prec = 1 }
                d.round(prec)
            default:
                break
            }
        }
        formatDigits(d, shortest: shortest, neg: neg, prec: prec, fmt: fmt, to: &out)
    }

    /// Shortest round-trip digits by Go's exact algorithm (bounds halfway to
    /// the neighbouring floats); the tests compare the fast path with it.
    static func exactShortest(_ value: Double, bitSize: Int) -> GoDecimal {
        let (bits, flt) = representation(value, bitSize: bitSize)
        var exp = Int(truncatingIfNeeded: bits >> UInt64(flt.mantBits)) & ((1 << flt.expBits) - 1)
        var mant = bits & ((UInt64(1) << UInt64(flt.mantBits)) - 1)
        if exp == 0 {
            exp += 1
        } else {
            mant |= UInt64(1) << UInt64(flt.mantBits)
        }
        exp += flt.bias
        var d = GoDecimal(mantissa: mant, exponent: exp - flt.mantBits)
        d.roundShortest(mant: mant, exp: exp, mantBits: flt.mantBits, bias: flt.bias)
        return d
    }

    private static func formatDigits(_ d: GoDecimal, shortest: Bool, neg: Bool, prec: Int, fmt: UInt8, to out: inout [UInt8]) {
        switch fmt {
        case UInt8(ascii: "e"), UInt8(ascii: "E"):
            appendExponential(d, neg: neg, prec: prec, fmt: fmt, to: &out)
        case UInt8(ascii: "f"):
            appendFixed(d, neg: neg, prec: prec, to: &out)
        case UInt8(ascii: "g"), UInt8(ascii: "G"):
            var eprec = prec
            if eprec > d.nd && d.nd >= d.dp {
                eprec = d.nd
            }
            // Shortest output switches to %e at the same exponents as %.6g would.
            if shortest {
                eprec = 6
            }
            let exp = d.dp - 1
            if exp < -4 || exp >= eprec {
                let p = min(prec, d.nd)
                appendExponential(d, neg: neg, prec: p - 1, fmt: fmt &+ (UInt8(ascii: "e") &- UInt8(ascii: "g")), to: &out)
                return
            }
            let p = prec > d.dp ? d.nd : prec
            appendFixed(d, neg: neg, prec: max(p - d.dp, 0), to: &out)
        default:
            out.append(UInt8(ascii: "%"))
            out.append(fmt)
        }
    }

    /// `-d.dddde±dd`
    private static func appendExponential(_ d: GoDecimal, neg: Bool, prec: Int, fmt: UInt8, to out: inout [UInt8]) {
        if neg { out.append(UInt8(ascii: "-")) }
        out.append(d.nd != 0 ? d.digits[0] : UInt8(ascii: "0"))
        if prec > 0 {
            out.append(UInt8(ascii: "."))
            var i = 1
            let m = min(d.nd, prec + 1)
            if i < m {
                out.append(contentsOf: d.digits[i..<m])
                i = m
            }
            while i <= prec {
                out.append(UInt8(ascii: "0"))
                i += 1
            }
        }
        out.append(fmt)
        var exp = d.nd == 0 ? 0 : d.dp - 1
        if exp < 0 {
            out.append(UInt8(ascii: "-"))
            exp = -exp
        } else {
            out.append(UInt8(ascii: "+"))
        }
        if exp < 10 {
            out.append(UInt8(ascii: "0"))
            out.append(UInt8(ascii: "0") + UInt8(exp))
        } else if exp < 100 {
            out.append(UInt8(ascii: "0") + UInt8(exp / 10))
            out.append(UInt8(ascii: "0") + UInt8(exp % 10))
        } else {
            out.append(UInt8(ascii: "0") + UInt8(exp / 100))
            out.append(UInt8(ascii: "0") + UInt8(exp / 10 % 10))
            out.append(UInt8(ascii: "0") + UInt8(exp % 10))
        }
    }

    /// `-ddddd.ddddd`
    private static func appendFixed(_ d: GoDecimal, neg: Bool, prec: Int, to out: inout [UInt8]) {
        if neg { out.append(UInt8(ascii: "-")) }
        if d.dp > 0 {
            let m = min(d.nd, d.dp)
            out.append(contentsOf: d.digits[0..<m])
            if d.dp > m {
                out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: d.dp - m))
            }
        } else {
            out.append(UInt8(ascii: "0"))
        }
        if prec > 0 {
            out.append(UInt8(ascii: "."))
            for i in 0..<prec {
                let j = d.dp + i
                out.append(j >= 0 && j < d.nd ? d.digits[j] : UInt8(ascii: "0"))
            }
        }
    }

    /// `-ddddp±ddd`: the integer mantissa and power of two.
    private static func appendBinary(neg: Bool, mant: UInt64, exp: Int, to out: inout [UInt8]) {
        if neg { out.append(UInt8(ascii: "-")) }
        GoPrinter.appendDecimal(mant, to: &out)
        out.append(UInt8(ascii: "p"))
        if exp >= 0 {
            out.append(UInt8(ascii: "+"))
            GoPrinter.appendDecimal(UInt64(exp), to: &out)
        } else {
            out.append(UInt8(ascii: "-"))
            GoPrinter.appendDecimal(UInt64(-exp), to: &out)
        }
    }

    /// `-0x1.yyyyp±ddd`: hexadecimal mantissa, binary exponent.
    private static func appendHex(neg: Bool, mant: UInt64, exp: Int, mantBits: Int, prec: Int, fmt: UInt8, to out: inout [UInt8]) {
        var mant = mant
        var exp = mant == 0 ? 0 : exp
        // Put the leading 1 (if any) at bit 60.
        mant <<= UInt64(60 - mantBits)
        while mant != 0 && mant & (1 << 60) == 0 {
            mant <<= 1
            exp -= 1
        }
        if prec >= 0 && prec < 15 {
            let shift = UInt64(prec * 4)
            let extra = (mant << shift) & ((1 << 60) - 1)
            mant >>= 60 - shift
            // Round half to even on the dropped bits.
            if extra | (mant & 1) > 1 << 59 {
                mant += 1
            }
            mant <<= 60 - shift
            if mant & (1 << 61) != 0 {
                mant >>= 1
                exp += 1
            }
        }
        let upper = fmt == UInt8(ascii: "X")
        if neg { out.append(UInt8(ascii: "-")) }
        out.append(UInt8(ascii: "0"))
        out.append(fmt)
        out.append(UInt8(ascii: "0") + UInt8((mant >> 60) & 1))
        mant <<= 4
        if prec < 0 && mant != 0 {
            out.append(UInt8(ascii: "."))
            while mant != 0 {
                out.append(hexDigit(mant >> 60, upper: upper))
                mant <<= 4
            }
        } else if prec > 0 {
            out.append(UInt8(ascii: "."))
            for _ in 0..<prec {
                out.append(hexDigit(mant >> 60, upper: upper))
                mant <<= 4
            }
        }
        out.append(upper ? UInt8(ascii: "P") : UInt8(ascii: "p"))
        if exp < 0 {
            out.append(UInt8(ascii: "-"))
            exp = -exp
        } else {
            out.append(UInt8(ascii: "+"))
        }
        if exp < 100 {
            out.append(UInt8(ascii: "0") + UInt8(exp / 10))
            out.append(UInt8(ascii: "0") + UInt8(exp % 10))
        } else if exp < 1000 {
            out.append(UInt8(ascii: "0") + UInt8(exp / 100))
            out.append(UInt8(ascii: "0") + UInt8(exp / 10 % 10))
            out.append(UInt8(ascii: "0") + UInt8(exp % 10))
        } else {
            out.append(UInt8(ascii: "0") + UInt8(exp / 1000))
            out.append(UInt8(ascii: "0") + UInt8(exp / 100 % 10))
            out.append(UInt8(ascii: "0") + UInt8(exp / 10 % 10))
            out.append(UInt8(ascii: "0") + UInt8(exp % 10))
        }
    }

    @inline(__always)
    private static func hexDigit(_ v: UInt64, upper: Bool) -> UInt8 {
        let d = UInt8(truncatingIfNeeded: v & 0xF)
        if d < 10 { return UInt8(ascii: "0") + d }
        return (upper ? UInt8(ascii: "A") : UInt8(ascii: "a")) + d - 10
    }

    @inline(__always)
    static func appendStatic(_ s: StaticString, to out: inout [UInt8]) {
        s.withUTF8Buffer { out.append(contentsOf: $0) }
    }
}
