/// The exact decimal expansion of `mantissa × 2^exponent`, with the
/// rounding operations Go's `strconv` applies to it.
///
/// Every binary floating-point value has a finite decimal expansion (at most
/// 767 significant digits for a float64), so formatting from the exact
/// digits gives correctly rounded results for any precision.
struct GoDecimal {
    /// ASCII digits, most significant first; `digits[nd...]` is garbage.
    var digits: [UInt8]
    /// Number of significant digits in use (no trailing zeros).
    var nd: Int
    /// Position of the decimal point: value = 0.d₀d₁… × 10^dp.
    var dp: Int

    init(mantissa: UInt64, exponent: Int) {
        digits = []
        nd = 0
        dp = 0
        guard mantissa != 0 else { return }
        var m = mantissa
        var e = exponent
        // Trailing zero bits only lengthen the big-number work.
        let tz = m.trailingZeroBitCount
        m >>= UInt64(tz)
        e += tz
        if e >= 0 && e <= m.leadingZeroBitCount {
            // The value is an integer that fits in 64 bits.
            setDigits(of: m << UInt64(e))
            dp = nd
        } else if e < 0 && e >= -27, case let (scaled, overflow) = m.multipliedReportingOverflow(by: Self.powersOf5[-e]), !overflow {
            // m × 5^-e fits in 64 bits: a short fraction like 1.5 or 0.125.
            setDigits(of: scaled)
            dp = nd + e
        } else if e >= 0 {
            var big = BigDigits(m)
            big.shiftLeft(e)
            big.appendDecimal(to: &digits)
            nd = digits.count
            dp = nd
        } else {
            // m × 2^e = m × 5^-e / 10^-e.
            var big = BigDigits(m)
            big.multiplyByPowerOf5(-e)
            big.appendDecimal(to: &digits)
            nd = digits.count
            dp = nd + e
        }
        trim()
    }

    /// A decimal from ASCII digits and a decimal point position.
    init(digits: [UInt8], dp: Int) {
        self.digits = digits
        self.nd = digits.count
        self.dp = dp
        trim()
    }

    /// `mantissa × 2^exponent` rounded (half to even) to `fraction` digits
    /// after the decimal point, computed in 128-bit arithmetic; nil when the
    /// value is out of that arithmetic's range.
    static func fixed(mantissa: UInt64, exponent: Int, fraction: Int) -> GoDecimal? {
        guard exponent < 0, fraction >= 0, fraction <= 18, mantissa < 1 << 53 else { return nil }
        var scale: UInt64 = 1
        for _ in 0..<fraction { scale *= 10 }
        // value × 10^fraction = mantissa × 10^fraction / 2^shift, below 2^113.
        let product = UInt128(mantissa) * UInt128(scale)
        let shift = -exponent
        var q: UInt128 = 0
        if shift < 114 {
            q = product >> UInt128(shift)
            let rem = product & ((UInt128(1) << UInt128(shift)) - 1)
            let half = UInt128(1) << UInt128(shift - 1)
            if rem > half || (rem == half && q & 1 == 1) {
                q += 1
            }
        }
        if q == 0 { return GoDecimal(digits: [], dp: 0) }
        var chars: [UInt8] = []
        chars.reserveCapacity(40)
        if let small = UInt64(exactly: q) {
            var v = small
            while v != 0 {
                chars.append(UInt8(ascii: "0") + UInt8(v % 10))
                v /= 10
            }
        } else {
            var v = q
            while v != 0 {
                chars.append(UInt8(ascii: "0") + UInt8(v % 10))
                v /= 10
            }
        }
        chars.reverse()
        return GoDecimal(digits: chars, dp: chars.count - fraction)
    }

    /// The shortest digits that round-trip, from the standard library's
    /// printer, which emits the shortest and (among those) closest digits,
    /// the same choice Go's `strconv` makes. `text` is the `description`
    /// of a finite, non-zero value.
    init(shortestDescription text: String) {
        var text = text
        var digits: [UInt8] = []
        var dp = 0
        text.withUTF8 { p in
            digits.reserveCapacity(p.count)
            var seenPoint = false
            var i = 0
            while i < p.count {
                let c = p[i]
                if c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") {
                    if digits.isEmpty && c == UInt8(ascii: "0") {
                        if seenPoint { dp -= 1 }
                    } else {
                        digits.append(c)
                        if !seenPoint { dp += 1 }
                    }
                } else if c == UInt8(ascii: ".") {
                    seenPoint = true
                } else if c == UInt8(ascii: "e") || c == UInt8(ascii: "E") {
                    var j = i + 1
                    var negative = false
                    if j < p.count && (p[j] == UInt8(ascii: "-") || p[j] == UInt8(ascii: "+")) {
                        negative = p[j] == UInt8(ascii: "-")
                        j += 1
                    }
                    var exp = 0
                    while j < p.count && p[j] >= UInt8(ascii: "0") && p[j] <= UInt8(ascii: "9") {
                        exp = exp * 10 + Int(p[j] - UInt8(ascii: "0"))
                        j += 1
                    }
                    dp += negative ? -exp : exp
                    break
                }
                i += 1
            }
        }
        self.init(digits: digits, dp: dp)
    }

    /// 5^0 … 5^27, the powers of five below 2^64.
    private static let powersOf5: [UInt64] = {
        var table: [UInt64] = [1]
        for _ in 1...27 { table.append(table[table.count - 1] * 5) }
        return table
    }()

    private mutating func setDigits(of value: UInt64) {
        var count = 1
        var t = value / 10
        while t != 0 {
            count += 1
            t /= 10
        }
        digits = [UInt8](repeating: UInt8(ascii: "0"), count: count)
        digits.withUnsafeMutableBufferPointer { p in
            var v = value
            var i = count
            while v != 0 {
                i -= 1
                p[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
        }
        nd = count
    }

    private mutating func trim() {
        while nd > 0 && digits[nd - 1] == 0x30 { nd -= 1 }
        if nd == 0 { dp = 0 }
    }

    /// Whether rounding to `n` digits should round up: above half, or
    /// exactly half with an odd preceding digit (round half to even).
    func shouldRoundUp(_ n: Int) -> Bool {
        if n < 0 || n >= nd { return false }
        if digits[n] == 0x35 && n + 1 == nd {
            return n > 0 && (digits[n - 1] - 0x30) % 2 != 0
        }
        return digits[n] >= 0x35
    }

    /// Rounds to `n` significant digits (nothing happens when `n` is out of range).
    mutating func round(_ n: Int) {
        if n < 0 || n >= nd { return }
        if shouldRoundUp(n) { roundUp(n) } else { roundDown(n) }
    }

    mutating func roundDown(_ n: Int) {
        if n < 0 || n >= nd { return }
        nd = n
        trim()
    }

    mutating func roundUp(_ n: Int) {
        if n < 0 || n >= nd { return }
        var i = n - 1
        while i >= 0 {
            if digits[i] < 0x39 {
                digits[i] += 1
                nd = i + 1
                return
            }
            i -= 1
        }
        // All nines: 999 -> 1000.
        digits[0] = 0x31
        nd = 1
        dp += 1
    }

    /// Rounds `self` (the exact value of `mant × 2^(exp − mantBits)`) to the
    /// shortest digit string that still parses back to the same float,
    /// choosing the nearer candidate when both directions work.
    mutating func roundShortest(mant: UInt64, exp: Int, mantBits: Int, bias: Int) {
        if mant == 0 {
            nd = 0
            return
        }
        let minExp = bias + 1
        // Already shortest when the gap to the next shorter decimal exceeds
        // the distance to the rounding bounds: log2(10) > 3.32.
        if exp > minExp && 332 * (dp - nd) >= 100 * (exp - mantBits) {
            return
        }
        // Halfway to the next float up.
        let upper = GoDecimal(mantissa: mant * 2 + 1, exponent: exp - mantBits - 1)
        // Halfway to the next float down (closer when mant is a power of two).
        let mantLo: UInt64
        let expLo: Int
        if mant > UInt64(1) << UInt64(mantBits) || exp == minExp {
            mantLo = mant - 1
            expLo = exp
        } else {
            mantLo = mant * 2 - 1
            expLo = exp - 1
        }
        let lower = GoDecimal(mantissa: mantLo * 2 + 1, exponent: expLo - mantBits - 1)
        // Bounds are attainable only when round-half-even maps them back here.
        let inclusive = mant % 2 == 0

        // 0: digits equal so far; 1: upper ahead by exactly one unit followed
        // by 9s/0s; 2: upper ahead by more, so rounding up stays inside.
        var upperDelta = 0
        var ui = 0
        while true {
            let mi = ui - upper.dp + dp
            if mi >= nd { break }
            let li = ui - upper.dp + lower.dp
            let l: UInt8 = (li >= 0 && li < lower.nd) ? lower.digits[li] : 0x30
            let m: UInt8 = mi >= 0 ? digits[mi] : 0x30
            let u: UInt8 = ui < upper.nd ? upper.digits[ui] : 0x30

            let okDown = l != m || (inclusive && li + 1 == lower.nd)
            if upperDelta == 0 && m + 1 < u {
                upperDelta = 2
            } else if upperDelta == 0 && m != u {
                upperDelta = 1
            } else if upperDelta == 1 && (m != 0x39 || u != 0x30) {
                upperDelta = 2
            }
            let okUp = upperDelta > 0 && (inclusive || upperDelta > 1 || ui + 1 < upper.nd)

            if okDown && okUp {
                round(mi + 1)
                return
            } else if okDown {
                roundDown(mi + 1)
                return
            } else if okUp {
                roundUp(mi + 1)
                return
            }
            ui += 1
        }
    }
}

/// An unsigned multiprecision integer (little-endian 64-bit limbs), just
/// enough to expand a float's exact value into decimal digits.
private struct BigDigits {
    var limbs: [UInt64]

    init(_ v: UInt64) {
        limbs = [v]
        limbs.reserveCapacity(20)
    }

    mutating func shiftLeft(_ k: Int) {
        let words = k / 64
        let bits = UInt64(k % 64)
        if bits != 0 {
            var carry: UInt64 = 0
            for i in limbs.indices {
                let v = limbs[i]
                limbs[i] = (v << bits) | carry
                carry = v >> (64 - bits)
            }
            if carry != 0 { limbs.append(carry) }
        }
        if words > 0 {
            limbs.insert(contentsOf: repeatElement(0, count: words), at: 0)
        }
    }

    mutating func multiply(by m: UInt64) {
        var carry: UInt64 = 0
        for i in limbs.indices {
            let (hi, lo) = limbs[i].multipliedFullWidth(by: m)
            let (sum, overflow) = lo.addingReportingOverflow(carry)
            limbs[i] = sum
            carry = hi &+ (overflow ? 1 : 0)
        }
        if carry != 0 { limbs.append(carry) }
    }

    mutating func multiplyByPowerOf5(_ k: Int) {
        // 5^27 is the largest power of five below 2^64.
        let pow27: UInt64 = 7_450_580_596_923_828_125
        var k = k
        while k >= 27 {
            multiply(by: pow27)
            k -= 27
        }
        if k > 0 {
            var p: UInt64 = 1
            for _ in 0..<k { p *= 5 }
            multiply(by: p)
        }
    }

    /// Appends the decimal digits (ASCII, no leading zeros) and consumes the value.
    mutating func appendDecimal(to out: inout [UInt8]) {
        let chunkBase: UInt64 = 10_000_000_000_000_000_000 // 10^19
        var chunks: [UInt64] = []
        chunks.reserveCapacity(limbs.count + 1)
        while let last = limbs.last, last == 0 { limbs.removeLast() }
        while !limbs.isEmpty {
            var rem: UInt64 = 0
            var i = limbs.count - 1
            while i >= 0 {
                let (q, r) = chunkBase.dividingFullWidth((high: rem, low: limbs[i]))
                limbs[i] = q
                rem = r
                i -= 1
            }
            chunks.append(rem)
            while let last = limbs.last, last == 0 { limbs.removeLast() }
        }
        guard let top = chunks.last else { return }
        out.reserveCapacity(out.count + chunks.count * 19)
        appendChunk(top, minDigits: 1, to: &out)
        var j = chunks.count - 2
        while j >= 0 {
            appendChunk(chunks[j], minDigits: 19, to: &out)
            j -= 1
        }
    }

    private func appendChunk(_ value: UInt64, minDigits: Int, to out: inout [UInt8]) {
        var count = 1
        var t = value / 10
        while t != 0 {
            count += 1
            t /= 10
        }
        count = max(count, minDigits)
        let start = out.count
        out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: count))
        out.withUnsafeMutableBufferPointer { p in
            var v = value
            var i = start + count
            while v != 0 {
                i -= 1
                p[i] = UInt8(ascii: "0") + UInt8(v % 10)
                v /= 10
            }
        }
    }
}
