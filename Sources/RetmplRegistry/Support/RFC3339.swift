/// Go's `time.Parse(time.RFC3339Nano, s)` followed by `.UTC()`, with the
/// same acceptance (one-digit hours and comma fractions included) and
/// error messages.
enum RFC3339 {
    struct ParseError: Error, Sendable {
        let message: String
    }

    static let layout = "2006-01-02T15:04:05.999999999Z07:00"

    static func parse(_ text: String) throws(ParseError) -> Timestamp {
        let v = Array(text.utf8)
        var i = 0
        func cannotParse(_ element: String) -> ParseError {
            let rest = String(decoding: v[i...], as: UTF8.self)
            return ParseError(message: "parsing time \(GoQuote.timeQuote(text)) as \(GoQuote.timeQuote(layout)): cannot parse \(GoQuote.timeQuote(rest)) as \(GoQuote.timeQuote(element))")
        }
        func outOfRange(_ what: String) -> ParseError {
            ParseError(message: "parsing time \(GoQuote.timeQuote(text)): \(what) out of range")
        }
        func isDigit(_ j: Int) -> Bool { j < v.count && v[j] >= 0x30 && v[j] <= 0x39 }
        func digit(_ j: Int) -> Int { Int(v[j] - 0x30) }
        /// Go's `getnum`: one or two digits (exactly two when `fixed`).
        func number(_ element: String, fixed: Bool) throws(ParseError) -> Int {
            guard isDigit(i) else { throw cannotParse(element) }
            guard isDigit(i + 1) else {
                if fixed { throw cannotParse(element) }
                i += 1
                return digit(i - 1)
            }
            i += 2
            return digit(i - 2) * 10 + digit(i - 1)
        }
        func literal(_ c: UInt8) throws(ParseError) {
            guard i < v.count && v[i] == c else { throw cannotParse(String(UnicodeScalar(c))) }
            i += 1
        }

        guard v.count >= 4, isDigit(0), isDigit(1), isDigit(2), isDigit(3) else { throw cannotParse("2006") }
        let year = digit(0) * 1000 + digit(1) * 100 + digit(2) * 10 + digit(3)
        i = 4
        try literal(UInt8(ascii: "-"))
        let month = try number("01", fixed: true)
        if month < 1 || month > 12 { throw outOfRange("month") }
        try literal(UInt8(ascii: "-"))
        let day = try number("02", fixed: true)
        try literal(UInt8(ascii: "T"))
        let hour = try number("15", fixed: false)
        if hour >= 24 { throw outOfRange("hour") }
        try literal(UInt8(ascii: ":"))
        let minute = try number("04", fixed: true)
        if minute >= 60 { throw outOfRange("minute") }
        try literal(UInt8(ascii: ":"))
        let second = try number("05", fixed: true)
        if second >= 60 { throw outOfRange("second") }
        // Optional fraction: any number of digits, the first nine count.
        var nanos = 0
        if i + 1 < v.count && (v[i] == UInt8(ascii: ".") || v[i] == UInt8(ascii: ",")) && isDigit(i + 1) {
            i += 1
            var scale = 100_000_000
            while isDigit(i) {
                nanos += digit(i) * scale
                scale /= 10
                i += 1
            }
        }
        // Zone: Z or ±hh:mm.
        var offset = 0
        if i < v.count && v[i] == UInt8(ascii: "Z") {
            i += 1
        } else {
            guard v.count - i >= 6, v[i + 3] == UInt8(ascii: ":"),
                  v[i] == UInt8(ascii: "+") || v[i] == UInt8(ascii: "-"),
                  isDigit(i + 1), isDigit(i + 2), isDigit(i + 4), isDigit(i + 5)
            else { throw cannotParse("Z07:00") }
            let hh = digit(i + 1) * 10 + digit(i + 2)
            let mm = digit(i + 4) * 10 + digit(i + 5)
            if hh > 24 { throw outOfRange("time zone offset hour") }
            if mm > 60 { throw outOfRange("time zone offset minute") }
            offset = (hh * 60 + mm) * 60 * (v[i] == UInt8(ascii: "-") ? -1 : 1)
            i += 6
        }
        if i < v.count {
            let rest = String(decoding: v[i...], as: UTF8.self)
            throw ParseError(message: "parsing time \(GoQuote.timeQuote(text)): extra text: \(GoQuote.timeQuote(rest))")
        }
        if day < 1 || day > daysIn(month: month, year: year) { throw outOfRange("day") }
        let days = daysFromCivil(year: year, month: month, day: day)
        let seconds = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second) - Int64(offset)
        return Timestamp(seconds: seconds, nanoseconds: Int32(nanos))
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: return (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: return 30
        default: return 31
        }
    }

    /// Days since 1970-01-01 of a proleptic Gregorian date.
    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = (month + 9) % 12
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
