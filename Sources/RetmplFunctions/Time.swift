import RetmplTemplate
import RetmplRegistry

/// `timestamp [layout]`: the render clock as RFC 3339, Unix seconds
/// (`"unix"`), or any Go layout.
enum TimeFunctions {
    static let all: [TemplateFunction] = [
        TemplateFunction("timestamp", [], variadic: .string) { a, context in
            let now = try RenderState.of(context).source.now
            return .string(try timestamp(now, a.map { $0.stringValue ?? "" }))
        },
    ]

    static func timestamp(_ now: Timestamp, _ args: [String]) throws -> String {
        switch args.count {
        case 0: return GoTime.format(now, layout: GoTime.rfc3339)
        case 1: return args[0] == "unix" ? String(now.seconds) : GoTime.format(now, layout: args[0])
        default:
            throw TemplateFunctionError("timestamp: wrong number of arguments, expected 0 or 1, but got \(args.count)")
        }
    }
}

/// Go's `time.Time.Format` for a UTC instant (zone name `UTC`, offset 0).
enum GoTime {
    static let rfc3339 = "2006-01-02T15:04:05Z07:00"

    private static let months = ["January", "February", "March", "April", "May", "June", "July",
                                 "August", "September", "October", "November", "December"]
    private static let weekdays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// The layout elements Go recognises.
    private enum Chunk {
        case longMonth, month, numMonth, zeroMonth
        case longWeekDay, weekDay
        case day, underDay, zeroDay, underYearDay, zeroYearDay
        case hour, hour12, zeroHour12, minute, zeroMinute, second, zeroSecond
        case longYear, year, pm, lowerPM, tz
        /// Numeric zone: `iso` (Z variants print Z for UTC), colon, seconds, short.
        case zone(iso: Bool, colon: Bool, seconds: Bool, short: Bool)
        case fraction(digits: Int, trim: Bool, separator: UInt8)
    }

    /// The calendar fields of an instant.
    struct Civil {
        var year: Int64, month: Int, day: Int, yday: Int, weekday: Int
        var hour: Int, minute: Int, second: Int, nanosecond: Int
    }

    static func civil(_ t: Timestamp) -> Civil {
        let secondsPerDay: Int64 = 86_400
        var days = t.seconds / secondsPerDay
        var rem = t.seconds % secondsPerDay
        if rem < 0 { rem += secondsPerDay; days -= 1 }
        // Days since 1970-01-01 to proleptic Gregorian date (eras of 400 years).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        var year = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        if month <= 2 { year += 1 }
        let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        var yday = cumulative[Int(month) - 1] + Int(day)
        if leap && month > 2 { yday += 1 }
        var weekday = (days + 4) % 7
        if weekday < 0 { weekday += 7 }
        return Civil(year: year, month: Int(month), day: Int(day), yday: yday, weekday: Int(weekday),
                     hour: Int(rem / 3600), minute: Int(rem % 3600 / 60), second: Int(rem % 60),
                     nanosecond: Int(t.nanoseconds))
    }

    /// Splits off the next layout element: literal prefix, element, rest (Go's `nextStdChunk`).
    private static func nextChunk(_ l: ArraySlice<UInt8>) -> (prefix: ArraySlice<UInt8>, chunk: Chunk?, rest: ArraySlice<UInt8>) {
        let s = l.startIndex
        func has(_ i: Int, _ text: String) -> Bool {
            let t = Array(text.utf8)
            return i + t.count <= l.endIndex && l[i ..< i + t.count].elementsEqual(t)
        }
        func startsLower(_ i: Int) -> Bool { i < l.endIndex && l[i] >= 0x61 && l[i] <= 0x7A }
        func isDigit(_ i: Int) -> Bool { i < l.endIndex && l[i] >= 0x30 && l[i] <= 0x39 }
        var i = s
        while i < l.endIndex {
            let c = l[i]
            let pre = l[s ..< i]
            switch c {
            case UInt8(ascii: "J"):
                if has(i, "Jan") {
                    if has(i, "January") { return (pre, .longMonth, l[(i + 7)...]) }
                    if !startsLower(i + 3) { return (pre, .month, l[(i + 3)...]) }
                }
            case UInt8(ascii: "M"):
                if has(i, "Mon") {
                    if has(i, "Monday") { return (pre, .longWeekDay, l[(i + 6)...]) }
                    if !startsLower(i + 3) { return (pre, .weekDay, l[(i + 3)...]) }
                }
                if has(i, "MST") { return (pre, .tz, l[(i + 3)...]) }
            case UInt8(ascii: "0"):
                if i + 1 < l.endIndex && l[i + 1] >= UInt8(ascii: "1") && l[i + 1] <= UInt8(ascii: "6") {
                    let table: [Chunk] = [.zeroMonth, .zeroDay, .zeroHour12, .zeroMinute, .zeroSecond, .year]
                    return (pre, table[Int(l[i + 1] - UInt8(ascii: "1"))], l[(i + 2)...])
                }
                if has(i, "002") { return (pre, .zeroYearDay, l[(i + 3)...]) }
            case UInt8(ascii: "1"):
                if has(i, "15") { return (pre, .hour, l[(i + 2)...]) }
                return (pre, .numMonth, l[(i + 1)...])
            case UInt8(ascii: "2"):
                if has(i, "2006") { return (pre, .longYear, l[(i + 4)...]) }
                return (pre, .day, l[(i + 1)...])
            case UInt8(ascii: "_"):
                if has(i, "_2") {
                    if has(i + 1, "2006") { return (l[s ... i], .longYear, l[(i + 5)...]) }
                    return (pre, .underDay, l[(i + 2)...])
                }
                if has(i, "__2") { return (pre, .underYearDay, l[(i + 3)...]) }
            case UInt8(ascii: "3"): return (pre, .hour12, l[(i + 1)...])
            case UInt8(ascii: "4"): return (pre, .minute, l[(i + 1)...])
            case UInt8(ascii: "5"): return (pre, .second, l[(i + 1)...])
            case UInt8(ascii: "P"):
                if has(i, "PM") { return (pre, .pm, l[(i + 2)...]) }
            case UInt8(ascii: "p"):
                if has(i, "pm") { return (pre, .lowerPM, l[(i + 2)...]) }
            case UInt8(ascii: "-"), UInt8(ascii: "Z"):
                let iso = c == UInt8(ascii: "Z")
                let head = iso ? "Z07" : "-07"
                if has(i, head + "0000") { return (pre, .zone(iso: iso, colon: false, seconds: true, short: false), l[(i + 7)...]) }
                if has(i, head + ":00:00") { return (pre, .zone(iso: iso, colon: true, seconds: true, short: false), l[(i + 9)...]) }
                if has(i, head + "00") { return (pre, .zone(iso: iso, colon: false, seconds: false, short: false), l[(i + 5)...]) }
                if has(i, head + ":00") { return (pre, .zone(iso: iso, colon: true, seconds: false, short: false), l[(i + 6)...]) }
                if has(i, head) { return (pre, .zone(iso: iso, colon: false, seconds: false, short: true), l[(i + 3)...]) }
            case UInt8(ascii: "."), UInt8(ascii: ","):
                if i + 1 < l.endIndex && (l[i + 1] == UInt8(ascii: "0") || l[i + 1] == UInt8(ascii: "9")) {
                    let ch = l[i + 1]
                    var j = i + 1
                    while j < l.endIndex && l[j] == ch { j += 1 }
                    if !isDigit(j) {
                        return (pre, .fraction(digits: j - (i + 1), trim: ch == UInt8(ascii: "9"), separator: c), l[j...])
                    }
                }
            default:
                break
            }
            i += 1
        }
        return (l, nil, l[l.endIndex...])
    }

    /// Go's `appendInt`: optional minus sign, then at least `width` digits.
    private static func appendInt(_ out: inout [UInt8], _ x: Int64, _ width: Int) {
        if x < 0 { out.append(UInt8(ascii: "-")) }
        let digits = String(x.magnitude).utf8
        if digits.count < width { out.append(contentsOf: repeatElement(UInt8(ascii: "0"), count: width - digits.count)) }
        out.append(contentsOf: digits)
    }

    static func format(_ t: Timestamp, layout: String) -> String {
        let c = civil(t)
        var out: [UInt8] = []
        out.reserveCapacity(layout.utf8.count + 16)
        var rest = Array(layout.utf8)[...]
        while !rest.isEmpty {
            let (prefix, chunk, suffix) = nextChunk(rest)
            out.append(contentsOf: prefix)
            guard let chunk else { break }
            rest = suffix
            switch chunk {
            case .year: appendInt(&out, c.year.magnitude > 0 ? Int64(c.year.magnitude % 100) : 0, 2)
            case .longYear: appendInt(&out, c.year, 4)
            case .month: out.append(contentsOf: months[c.month - 1].utf8.prefix(3))
            case .longMonth: out.append(contentsOf: months[c.month - 1].utf8)
            case .numMonth: appendInt(&out, Int64(c.month), 0)
            case .zeroMonth: appendInt(&out, Int64(c.month), 2)
            case .weekDay: out.append(contentsOf: weekdays[c.weekday].utf8.prefix(3))
            case .longWeekDay: out.append(contentsOf: weekdays[c.weekday].utf8)
            case .day: appendInt(&out, Int64(c.day), 0)
            case .underDay:
                if c.day < 10 { out.append(0x20) }
                appendInt(&out, Int64(c.day), 0)
            case .zeroDay: appendInt(&out, Int64(c.day), 2)
            case .underYearDay:
                if c.yday < 100 { out.append(0x20) }
                if c.yday < 10 { out.append(0x20) }
                appendInt(&out, Int64(c.yday), 0)
            case .zeroYearDay: appendInt(&out, Int64(c.yday), 3)
            case .hour: appendInt(&out, Int64(c.hour), 2)
            case .hour12: appendInt(&out, Int64(c.hour % 12 == 0 ? 12 : c.hour % 12), 0)
            case .zeroHour12: appendInt(&out, Int64(c.hour % 12 == 0 ? 12 : c.hour % 12), 2)
            case .minute: appendInt(&out, Int64(c.minute), 0)
            case .zeroMinute: appendInt(&out, Int64(c.minute), 2)
            case .second: appendInt(&out, Int64(c.second), 0)
            case .zeroSecond: appendInt(&out, Int64(c.second), 2)
            case .pm: out.append(contentsOf: (c.hour >= 12 ? "PM" : "AM").utf8)
            case .lowerPM: out.append(contentsOf: (c.hour >= 12 ? "pm" : "am").utf8)
            case .tz: out.append(contentsOf: "UTC".utf8)
            case .zone(let iso, let colon, let seconds, let short):
                if iso {
                    out.append(UInt8(ascii: "Z"))
                } else {
                    out.append(contentsOf: "+00".utf8)
                    if colon { out.append(UInt8(ascii: ":")) }
                    if !short { out.append(contentsOf: "00".utf8) }
                    if seconds {
                        if colon { out.append(UInt8(ascii: ":")) }
                        out.append(contentsOf: "00".utf8)
                    }
                }
            case .fraction(let digits, let trim, let separator):
                if trim && (digits == 0 || c.nanosecond == 0) { break }
                var frac: [UInt8] = []
                appendInt(&frac, Int64(c.nanosecond), 9)
                if digits < 9 { frac.removeLast(9 - digits) }
                if trim { while frac.last == UInt8(ascii: "0") { frac.removeLast() } }
                if !frac.isEmpty || !trim {
                    out.append(separator)
                    out.append(contentsOf: frac)
                }
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
