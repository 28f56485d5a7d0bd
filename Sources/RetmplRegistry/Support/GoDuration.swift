/// Go's `time.Duration` text forms: `String()` and `time.ParseDuration`,
/// used by health check definitions (`"Interval": "10s"`).
public enum GoDuration {
    /// `time.Duration(ns).String()`: `1h2m3.5s`, `1.5ms`, `0s`.
    /// Go's `Duration.String()` of a Swift duration (saturating).
    public static func format(_ duration: Duration) -> String { format(duration.nanosecondsClamped) }

    public static func format(_ ns: Int64) -> String {
        var buf: [UInt8] = []
        buf.reserveCapacity(32)
        let negative = ns < 0
        var u = negative ? UInt64(bitPattern: 0 &- ns) : UInt64(ns)
        // Built backwards, as Go does, then reversed.
        if u < 1_000_000_000 {
            if u == 0 { return "0s" }
            var precision: Int
            buf.append(UInt8(ascii: "s"))
            if u < 1_000 {
                precision = 0
                buf.append(UInt8(ascii: "n"))
            } else if u < 1_000_000 {
                precision = 3
                buf.append(contentsOf: [0xB5, 0xC2])  // "µ" reversed
            } else {
                precision = 6
                buf.append(UInt8(ascii: "m"))
            }
            u = appendFraction(&buf, u, precision)
            appendInteger(&buf, u)
        } else {
            buf.append(UInt8(ascii: "s"))
            u = appendFraction(&buf, u, 9)
            appendInteger(&buf, u % 60)
            u /= 60
            if u > 0 {
                buf.append(UInt8(ascii: "m"))
                appendInteger(&buf, u % 60)
                u /= 60
                if u > 0 {
                    buf.append(UInt8(ascii: "h"))
                    appendInteger(&buf, u)
                }
            }
        }
        if negative { buf.append(UInt8(ascii: "-")) }
        return String(decoding: buf.reversed(), as: UTF8.self)
    }

    /// Appends (reversed) the fraction `v / 10^precision` without trailing
    /// zeros, and returns the integer part.
    private static func appendFraction(_ buf: inout [UInt8], _ value: UInt64, _ precision: Int) -> UInt64 {
        var v = value
        var printing = false
        for _ in 0..<precision {
            let digit = v % 10
            printing = printing || digit != 0
            if printing { buf.append(UInt8(digit) + UInt8(ascii: "0")) }
            v /= 10
        }
        if printing { buf.append(UInt8(ascii: ".")) }
        return v
    }

    private static func appendInteger(_ buf: inout [UInt8], _ value: UInt64) {
        var v = value
        repeat {
            buf.append(UInt8(v % 10) + UInt8(ascii: "0"))
            v /= 10
        } while v > 0
    }

    /// A `time.ParseDuration` failure, with Go's message.
    public struct ParseError: Error, Sendable, CustomStringConvertible {
        public let message: String
        public var description: String { message }
    }

    /// `time.ParseDuration`: a signed sequence of decimal numbers with
    /// optional fractions and units (`ns us µs μs ms s m h`).
    public static func parse(_ text: String) throws(ParseError) -> Int64 {
        let s = Array(text.utf8)
        func failure(_ what: String) -> ParseError {
            ParseError(message: "time: \(what) \(GoQuote.timeQuote(text))")
        }
        var i = 0
        var negative = false
        if i < s.count && (s[i] == UInt8(ascii: "-") || s[i] == UInt8(ascii: "+")) {
            negative = s[i] == UInt8(ascii: "-")
            i += 1
        }
        if s.count - i == 1 && s[i] == UInt8(ascii: "0") { return 0 }
        if i == s.count { throw failure("invalid duration") }
        let limit: UInt64 = 1 << 63
        var total: UInt64 = 0
        while i < s.count {
            guard s[i] == UInt8(ascii: ".") || isDigit(s[i]) else { throw failure("invalid duration") }
            // Integer part.
            var v: UInt64 = 0
            let intStart = i
            while i < s.count, isDigit(s[i]) {
                if v > limit / 10 { throw failure("invalid duration") }
                v = v * 10 + UInt64(s[i] - UInt8(ascii: "0"))
                if v > limit { throw failure("invalid duration") }
                i += 1
            }
            let hasInteger = i != intStart
            // Fraction.
            var f: UInt64 = 0
            var scale: Double = 1
            var hasFraction = false
            if i < s.count && s[i] == UInt8(ascii: ".") {
                i += 1
                let fracStart = i
                var overflow = false
                while i < s.count, isDigit(s[i]) {
                    defer { i += 1 }
                    if overflow { continue }
                    if f > (limit - 1) / 10 {
                        overflow = true
                        continue
                    }
                    let y = f * 10 + UInt64(s[i] - UInt8(ascii: "0"))
                    if y > limit {
                        overflow = true
                        continue
                    }
                    f = y
                    scale *= 10
                }
                hasFraction = i != fracStart
            }
            if !hasInteger && !hasFraction { throw failure("invalid duration") }
            // Unit.
            let unitStart = i
            while i < s.count, s[i] != UInt8(ascii: "."), !isDigit(s[i]) { i += 1 }
            if i == unitStart { throw failure("missing unit in duration") }
            let unitText = String(decoding: s[unitStart..<i], as: UTF8.self)
            guard let unit = unitNanoseconds(unitText) else {
                throw failure("unknown unit \(GoQuote.timeQuote(unitText)) in duration")
            }
            if v > limit / unit { throw failure("invalid duration") }
            v *= unit
            if f > 0 {
                v += UInt64(Double(f) * (Double(unit) / scale))
                if v > limit { throw failure("invalid duration") }
            }
            total += v
            if total > limit { throw failure("invalid duration") }
        }
        if negative { return Int64(bitPattern: 0 &- total) }
        if total > limit - 1 { throw failure("invalid duration") }
        return Int64(total)
    }

    private static func isDigit(_ c: UInt8) -> Bool { c >= UInt8(ascii: "0") && c <= UInt8(ascii: "9") }

    private static func unitNanoseconds(_ unit: String) -> UInt64? {
        switch unit {
        case "ns": return 1
        case "us", "\u{B5}s", "\u{3BC}s": return 1_000
        case "ms": return 1_000_000
        case "s": return 1_000_000_000
        case "m": return 60_000_000_000
        case "h": return 3_600_000_000_000
        default: return nil
        }
    }
}
