/// Go's `time.ParseDuration`: `"300ms"`, `"-1.5h"`, `"2h45m"`, `"0"`.
///
/// Units are `ns`, `us` (`µs`, `μs`), `ms`, `s`, `m`, `h`; a number without a
/// unit is accepted only for `0`. The result is exact to the nanosecond, as Go's.
enum GoDuration {
    static func parse(_ text: String) -> Duration? {
        var s = Substring(text)
        var negative = false
        if let f = s.first, f == "-" || f == "+" {
            negative = f == "-"
            s = s.dropFirst()
        }
        if s == "0" { return .zero }
        guard !s.isEmpty else { return nil }
        let units: [(String, UInt64)] = [
            ("ns", 1), ("us", 1_000), ("µs", 1_000), ("μs", 1_000), ("ms", 1_000_000),
            ("s", 1_000_000_000), ("m", 60_000_000_000), ("h", 3_600_000_000_000),
        ]
        var total: UInt64 = 0
        while !s.isEmpty {
            let intPart = s.prefix { $0.isASCII && $0.isNumber }
            s = s.dropFirst(intPart.count)
            var fraction = Substring("")
            if s.first == "." {
                s = s.dropFirst()
                fraction = s.prefix { $0.isASCII && $0.isNumber }
                s = s.dropFirst(fraction.count)
            }
            guard !(intPart.isEmpty && fraction.isEmpty) else { return nil }
            let unitText = s.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let unit = units.first(where: { $0.0 == unitText })?.1 else { return nil }
            s = s.dropFirst(unitText.count)
            guard let whole = intPart.isEmpty ? 0 : UInt64(intPart) else { return nil }
            var (value, overflow) = whole.multipliedReportingOverflow(by: unit)
            guard !overflow else { return nil }
            // The fraction, scaled to the unit, truncated like Go.
            var scale: UInt64 = 1
            var fractionValue: UInt64 = 0
            for digit in fraction.utf8 {
                guard scale < UInt64.max / 10 else { break }
                fractionValue = fractionValue * 10 + UInt64(digit - 0x30)
                scale *= 10
            }
            if fractionValue > 0 {
                let add = Double(fractionValue) * (Double(unit) / Double(scale))
                (value, overflow) = value.addingReportingOverflow(UInt64(add))
                guard !overflow else { return nil }
            }
            (total, overflow) = total.addingReportingOverflow(value)
            guard !overflow, total <= UInt64(Int64.max) else { return nil }
        }
        let ns = Int64(total)
        return .nanoseconds(negative ? -ns : ns)
    }
}
