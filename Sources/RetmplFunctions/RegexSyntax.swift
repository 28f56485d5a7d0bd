/// Go's regular expression syntax (RE2, `regexp.Compile`'s Perl flags),
/// parsed with Go's rules and error texts and rewritten for ICU, the engine
/// behind `NSRegularExpression`.
///
/// The rewrite keeps Go's meaning where ICU differs: `\d \s \w \b` and
/// POSIX classes are ASCII-only, `.` excludes only `\n`, `$` without `(?m)`
/// is the end of the text, `(?m)` lines end only at `\n`, `(?U)` swaps
/// greediness, octal escapes are not back-references, and named groups
/// become plain groups (ICU restricts names; names are kept here).
///
/// Known differences: case-insensitive matching uses ICU's case folding
/// (Go uses simple folding orbits), Unicode tables follow ICU's version,
/// and ICU backtracks where RE2 is linear (pathological patterns are slow).
struct RegexSyntax {
    /// Go's `*syntax.Error`.
    struct ParseError: Error {
        let code: String
        let expr: String
        var message: String { "error parsing regexp: \(code): `\(expr)`" }
    }

    /// The ICU pattern.
    let icuPattern: String
    /// Group names by group index (index 0 is the whole match, named "").
    let groupNames: [String]

    private struct Flags {
        var foldCase = false
        var oneLine = true
        var dotNL = false
        var nonGreedy = false
    }

    /// A parsed piece of the pattern, already in ICU text, plus what the
    /// repetition checks need.
    private struct Piece {
        var text: String
        /// Whether the text is one atom that a quantifier can follow directly.
        var atomic: Bool
        /// Nested repetition limits (for Go's 1000 product check).
        var repeats: [RepeatInfo] = []
    }

    private struct RepeatInfo {
        var min: Int, max: Int
        var inner: [RepeatInfo]
    }

    private struct Frame {
        var capture: Bool
        var savedFlags: Flags
        var alternatives: [[Piece]] = []
        var current: [Piece] = []
    }

    private let src: [Unicode.Scalar]
    private var pos = 0
    private var flags = Flags()
    private var names: [String] = [""]

    private init(_ pattern: String) {
        src = Array(pattern.unicodeScalars)
        icuPattern = ""
        groupNames = []
    }

    private init(icu: String, names: [String]) {
        src = []
        icuPattern = icu
        groupNames = names
    }

    /// Parses a Go pattern.
    static func parse(_ pattern: String) throws(ParseError) -> RegexSyntax {
        var p = RegexSyntax(pattern)
        let icu = try p.run()
        return RegexSyntax(icu: icu, names: p.names)
    }

    private func text(_ from: Int, _ to: Int) -> String {
        var s = String.UnicodeScalarView()
        s.append(contentsOf: src[from ..< min(to, src.count)])
        return String(s)
    }

    private var whole: String { text(0, src.count) }

    private func peek(_ offset: Int = 0) -> Unicode.Scalar? {
        pos + offset < src.count ? src[pos + offset] : nil
    }

    private func has(_ s: String, at i: Int) -> Bool {
        var k = i
        for c in s.unicodeScalars {
            guard k < src.count, src[k] == c else { return false }
            k += 1
        }
        return true
    }

    // MARK: Emission helpers

    static func escaped(_ c: UInt32) -> String {
        if (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A) {
            return String(Character(Unicode.Scalar(UInt8(c))))
        }
        return "\\x{" + String(c, radix: 16) + "}"
    }

    private func folded(_ text: String, _ fold: Bool) -> String {
        fold ? "(?i:" + text + ")" : text
    }

    /// A literal; under `(?i)` the set of its Go fold orbit (ICU's own
    /// case-insensitivity would also apply full folding, `ß` = `ss`).
    private func literal(_ c: UInt32, _ fold: Bool) -> String {
        guard fold, let scalar = Unicode.Scalar(c) else { return Self.escaped(c) }
        let orbit = GoCase.foldOrbit(scalar)
        if orbit.count == 1 { return Self.escaped(c) }
        return "[" + orbit.map(Self.escaped).joined() + "]"
    }

    private static let wordSet = "[0-9A-Za-z_]"

    // MARK: Parser

    private mutating func run() throws(ParseError) -> String {
        var stack: [Frame] = [Frame(capture: false, savedFlags: flags)]
        var lastRepeat: Int? = nil  // start of the previous token if it was a repetition

        func push(_ piece: Piece) { stack[stack.count - 1].current.append(piece) }

        while pos < src.count {
            let c = src[pos]
            var repeatStart: Int? = nil
            switch c {
            case "(":
                if peek(1) == "?" {
                    if let frame = try parsePerlFlags() { stack.append(frame) }
                } else {
                    names.append("")
                    stack.append(Frame(capture: true, savedFlags: flags))
                    pos += 1
                }
            case "|":
                let frame = stack.count - 1
                stack[frame].alternatives.append(stack[frame].current)
                stack[frame].current = []
                pos += 1
            case ")":
                guard stack.count > 1, let frame = stack.popLast() else {
                    throw ParseError(code: "unexpected )", expr: whole)
                }
                flags = frame.savedFlags
                let body = Self.join(frame)
                let repeats = (frame.alternatives + [frame.current]).flatMap { $0.flatMap(\.repeats) }
                push(Piece(text: (frame.capture ? "(" : "(?:") + body + ")", atomic: true, repeats: repeats))
                pos += 1
            case "^":
                push(Piece(text: flags.oneLine ? "\\A" : "(?<![^\\x{a}])", atomic: false))
                pos += 1
            case "$":
                push(Piece(text: flags.oneLine ? "\\z" : "(?![^\\x{a}])", atomic: false))
                pos += 1
            case ".":
                push(Piece(text: flags.dotNL ? "[\\x{0}-\\x{10ffff}]" : "[^\\x{a}]", atomic: true))
                pos += 1
            case "[":
                let fold = flags.foldCase
                let set = try parseClass()
                push(Piece(text: folded(set, fold), atomic: true))
            case "*", "+", "?":
                let start = pos
                pos += 1
                let (min, max) = c == "*" ? (0, -1) : c == "+" ? (1, -1) : (0, 1)
                try applyRepeat(&stack, min: min, max: max, op: String(Character(c)), start: start, lastRepeat: lastRepeat)
                repeatStart = start
            case "{":
                let start = pos
                if let (min, max) = parseRepeatCount() {
                    if min < 0 || min > 1000 || max > 1000 || (max >= 0 && min > max) {
                        throw ParseError(code: "invalid repeat count", expr: text(start, pos))
                    }
                    let op = max == min ? "{\(min)}" : max < 0 ? "{\(min),}" : "{\(min),\(max)}"
                    try applyRepeat(&stack, min: min, max: max, op: op, start: start, lastRepeat: lastRepeat)
                    repeatStart = start
                } else {
                    push(Piece(text: Self.escaped(0x7B), atomic: true))
                    pos += 1
                }
            case "\\":
                try parseBackslash(push)
            default:
                push(Piece(text: literal(c.value, flags.foldCase), atomic: true))
                pos += 1
            }
            lastRepeat = repeatStart
        }
        if stack.count != 1 { throw ParseError(code: "missing closing )", expr: whole) }
        let body = Self.join(stack[0])
        // ICU rejects an empty pattern; Go's matches the empty string.
        return body.isEmpty ? "(?:)" : body
    }

    private static func join(_ frame: Frame) -> String {
        (frame.alternatives + [frame.current]).map { $0.map(\.text).joined() }.joined(separator: "|")
    }

    private mutating func applyRepeat(_ stack: inout [Frame], min: Int, max: Int, op: String, start: Int, lastRepeat: Int?) throws(ParseError) {
        var greedy = !flags.nonGreedy
        if peek() == "?" {
            pos += 1
            greedy.toggle()
        }
        if let last = lastRepeat {
            throw ParseError(code: "invalid nested repetition operator", expr: text(last, pos))
        }
        let frame = stack.count - 1
        guard var sub = stack[frame].current.popLast() else {
            throw ParseError(code: "missing argument to repetition operator", expr: text(start, pos))
        }
        let info = RepeatInfo(min: min, max: max, inner: sub.repeats)
        if max != 0 && (min >= 2 || max >= 2) && !Self.repeatIsValid([info], 1000) {
            throw ParseError(code: "invalid repeat count", expr: text(start, pos))
        }
        let body = sub.atomic ? sub.text : "(?:" + sub.text + ")"
        sub.text = body + op + (greedy ? "" : "?")
        sub.atomic = false
        sub.repeats = [info]
        stack[frame].current.append(sub)
    }

    private static func repeatIsValid(_ infos: [RepeatInfo], _ n: Int) -> Bool {
        for r in infos {
            var n = n
            var m = r.max
            if m == 0 { continue }
            if m < 0 { m = r.min }
            if m > n { return false }
            if m > 0 { n /= m }
            if !repeatIsValid(r.inner, n) { return false }
        }
        return true
    }

    /// `{n}`, `{n,}`, `{n,m}`; nil when the text is not a repetition (then `{` is literal).
    private mutating func parseRepeatCount() -> (Int, Int)? {
        var i = pos + 1
        func int() -> Int? {
            guard i < src.count, src[i].value >= 0x30, src[i].value <= 0x39 else { return nil }
            if i + 1 < src.count, src[i] == "0", src[i + 1].value >= 0x30, src[i + 1].value <= 0x39 { return nil }
            var n = 0
            while i < src.count, src[i].value >= 0x30, src[i].value <= 0x39 {
                if n >= 100_000_000 { n = -1 } else if n >= 0 { n = n * 10 + Int(src[i].value - 0x30) }
                i += 1
            }
            return n
        }
        guard let lo = int(), i < src.count else { return nil }
        var hi = lo
        var low = lo
        if src[i] == "," {
            i += 1
            guard i < src.count else { return nil }
            if src[i] == "}" {
                hi = -1
            } else {
                guard let h = int() else { return nil }
                hi = h
                if h < 0 { low = -1 }
            }
        }
        guard i < src.count, src[i] == "}" else { return nil }
        pos = i + 1
        return (low, hi)
    }

    /// `(?flags)`, `(?flags:`, `(?P<name>`, `(?<name>`. Returns a frame to open, if any.
    private mutating func parsePerlFlags() throws(ParseError) -> Frame? {
        let start = pos
        let startsWithP = src.count - pos > 4 && src[pos + 2] == "P" && src[pos + 3] == "<"
        let startsWithName = src.count - pos > 3 && src[pos + 2] == "<"
        if startsWithP || startsWithName {
            let nameStart = pos + (startsWithP ? 4 : 3)
            guard let end = src[pos...].firstIndex(of: ">") else {
                throw ParseError(code: "invalid named capture", expr: text(start, src.count))
            }
            let name = text(nameStart, end)
            let valid = !name.isEmpty && name.unicodeScalars.allSatisfy {
                $0 == "_" || ($0.value < 0x80 && (($0.value >= 0x30 && $0.value <= 0x39) || ($0.value | 0x20 >= 0x61 && $0.value | 0x20 <= 0x7A)))
            }
            if !valid { throw ParseError(code: "invalid named capture", expr: text(start, end + 1)) }
            names.append(name)
            pos = end + 1
            return Frame(capture: true, savedFlags: flags)
        }
        pos += 2
        var f = flags
        var negated = false
        var sawFlag = false
        while pos < src.count {
            let c = src[pos]
            pos += 1
            switch c {
            case "i": f.foldCase = !negated; sawFlag = true
            case "m": f.oneLine = negated; sawFlag = true
            case "s": f.dotNL = !negated; sawFlag = true
            case "U": f.nonGreedy = !negated; sawFlag = true
            case "-":
                if negated { throw ParseError(code: "invalid or unsupported Perl syntax", expr: text(start, pos)) }
                negated = true
                sawFlag = false
            case ":", ")":
                if negated && !sawFlag { throw ParseError(code: "invalid or unsupported Perl syntax", expr: text(start, pos)) }
                let saved = flags
                flags = f
                return c == ":" ? Frame(capture: false, savedFlags: saved) : nil
            default:
                throw ParseError(code: "invalid or unsupported Perl syntax", expr: text(start, pos))
            }
        }
        throw ParseError(code: "invalid or unsupported Perl syntax", expr: text(start, pos))
    }

    private mutating func parseBackslash(_ push: (Piece) -> Void) throws(ParseError) {
        if let next = peek(1) {
            switch next {
            case "A": push(Piece(text: "\\A", atomic: false)); pos += 2; return
            case "z": push(Piece(text: "\\z", atomic: false)); pos += 2; return
            case "b":
                let w = Self.wordSet
                push(Piece(text: "(?:(?<=\(w))(?!\(w))|(?<!\(w))(?=\(w)))", atomic: false))
                pos += 2
                return
            case "B":
                let w = Self.wordSet
                push(Piece(text: "(?:(?<=\(w))(?=\(w))|(?<!\(w))(?!\(w)))", atomic: false))
                pos += 2
                return
            case "C":
                throw ParseError(code: "invalid escape sequence", expr: text(pos, pos + 2))
            case "Q":
                pos += 2
                while pos < src.count {
                    if has("\\E", at: pos) { pos += 2; return }
                    push(Piece(text: literal(src[pos].value, flags.foldCase), atomic: true))
                    pos += 1
                }
                return
            default: break
            }
        }
        let fold = flags.foldCase
        if let set = try parseUnicodeClass() {
            push(Piece(text: folded(set, fold), atomic: true))
            return
        }
        if let set = parsePerlClass() {
            push(Piece(text: set, atomic: true))
            return
        }
        let r = try parseEscape()
        push(Piece(text: literal(r, fold), atomic: true))
    }

    /// `\d \D \s \S \w \W` as ASCII sets.
    private mutating func parsePerlClass() -> String? {
        guard peek() == "\\", let c = peek(1) else { return nil }
        let set: String
        switch c {
        case "d": set = "[0-9]"
        case "D": set = "[^0-9]"
        case "s": set = "[\\x{9}\\x{a}\\x{c}\\x{d}\\x{20}]"
        case "S": set = "[^\\x{9}\\x{a}\\x{c}\\x{d}\\x{20}]"
        case "w": set = Self.wordSet
        case "W": set = "[^0-9A-Za-z_]"
        default: return nil
        }
        pos += 2
        return set
    }

    /// `\pL`, `\p{Greek}`, `\P{^Lu}` as ICU property sets.
    private mutating func parseUnicodeClass() throws(ParseError) -> String? {
        guard peek() == "\\", let p = peek(1), p == "p" || p == "P" else { return nil }
        var negate = p == "P"
        guard pos + 2 < src.count else {
            throw ParseError(code: "invalid character class range", expr: text(pos, pos + 2))
        }
        let start = pos
        var name: String
        var end: Int
        if src[pos + 2] != "{" {
            name = String(Character(src[pos + 2]))
            end = pos + 3
        } else {
            guard let close = src[pos...].firstIndex(of: "}") else {
                throw ParseError(code: "invalid character class range", expr: text(start, src.count))
            }
            name = text(pos + 3, close)
            end = close + 1
        }
        if name.hasPrefix("^") {
            negate.toggle()
            name.removeFirst()
        }
        let canonical = Self.canonicalName(name)
        let property: String
        switch canonical {
        case "Any": property = "[\\x{0}-\\x{10ffff}]"
        case "Assigned": property = "\\P{gc=Cn}"
        case "Ascii": property = "[\\x{0}-\\x{7f}]"
        case "Lc": property = "\\p{gc=LC}"
        default:
            guard let p = UnicodeNames.table[canonical] else {
                throw ParseError(code: "invalid character class range", expr: text(start, end))
            }
            property = "\\p{" + p + "}"
        }
        pos = end
        return negate ? "[^" + property + "]" : "[" + property + "]"
    }

    /// Go's `canonicalName`: separators dropped, first letter upper, rest lower.
    static func canonicalName(_ name: String) -> String {
        var out = ""
        var first = true
        for c in name.unicodeScalars {
            if c == "_" || c == "-" || c == " " { continue }
            var v = c.value
            if first {
                if v >= 0x61 && v <= 0x7A { v -= 32 }
                first = false
            } else if v >= 0x41 && v <= 0x5A {
                v += 32
            }
            out.unicodeScalars.append(Unicode.Scalar(v) ?? c)
        }
        return out
    }

    /// An escaped single character (Go's `parseEscape`), as its scalar value.
    private mutating func parseEscape() throws(ParseError) -> UInt32 {
        let start = pos
        pos += 1
        guard pos < src.count else { throw ParseError(code: "trailing backslash at end of expression", expr: "") }
        let c = src[pos]
        pos += 1
        func fail() -> ParseError { ParseError(code: "invalid escape sequence", expr: text(start, pos)) }
        func isOctal(_ i: Int) -> Bool { i < src.count && src[i].value >= 0x30 && src[i].value <= 0x37 }
        func unhex(_ c: Unicode.Scalar?) -> UInt32? {
            guard let c else { return nil }
            switch c.value {
            case 0x30...0x39: return c.value - 0x30
            case 0x41...0x46: return c.value - 0x41 + 10
            case 0x61...0x66: return c.value - 0x61 + 10
            default: return nil
            }
        }
        switch c {
        case "1", "2", "3", "4", "5", "6", "7", "0":
            if c != "0" && !isOctal(pos) { throw fail() }
            var r = c.value - 0x30
            for _ in 1 ..< 3 where isOctal(pos) {
                r = r * 8 + src[pos].value - 0x30
                pos += 1
            }
            return r
        case "x":
            guard pos < src.count else { throw fail() }
            let first = src[pos]
            pos += 1
            if first == "{" {
                var r: UInt32 = 0
                var digits = 0
                while true {
                    guard pos < src.count else { throw fail() }
                    let d = src[pos]
                    pos += 1
                    if d == "}" { break }
                    guard let v = unhex(d) else { throw fail() }
                    r = r * 16 + v
                    if r > 0x10FFFF { throw fail() }
                    digits += 1
                }
                if digits == 0 { throw fail() }
                return r
            }
            let second = peek()
            if second != nil { pos += 1 }
            guard let x = unhex(first), let y = unhex(second) else { throw fail() }
            return x * 16 + y
        case "a": return 7
        case "f": return 12
        case "n": return 10
        case "r": return 13
        case "t": return 9
        case "v": return 11
        default:
            let v = c.value
            let alnum = (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
            if v < 0x80 && !alnum { return v }
            throw fail()
        }
    }

    // MARK: Classes

    private static let posixClasses: [String: String] = [
        "alnum": "0-9A-Za-z", "alpha": "A-Za-z", "ascii": "\\x{0}-\\x{7f}", "blank": "\\x{9}\\x{20}",
        "cntrl": "\\x{0}-\\x{1f}\\x{7f}", "digit": "0-9", "graph": "\\x{21}-\\x{7e}", "lower": "a-z",
        "print": "\\x{20}-\\x{7e}", "punct": "\\x{21}-\\x{2f}\\x{3a}-\\x{40}\\x{5b}-\\x{60}\\x{7b}-\\x{7e}",
        "space": "\\x{9}-\\x{d}\\x{20}", "upper": "A-Z", "word": "0-9A-Za-z_", "xdigit": "0-9A-Fa-f",
    ]

    /// A bracketed class, as an ICU set.
    private mutating func parseClass() throws(ParseError) -> String {
        let start = pos
        pos += 1
        var out = "["
        if peek() == "^" {
            out += "^"
            pos += 1
        }
        var first = true
        while pos >= src.count || src[pos] != "]" || first {
            first = false
            if pos + 2 < src.count, src[pos] == "[", src[pos + 1] == ":" {
                if let close = findColonBracket(from: pos + 2) {
                    let nameText = text(pos, close + 2)
                    var name = text(pos + 2, close)
                    var negate = false
                    if name.hasPrefix("^") {
                        negate = true
                        name.removeFirst()
                    }
                    guard let ranges = Self.posixClasses[name] else {
                        throw ParseError(code: "invalid character class range", expr: nameText)
                    }
                    out += (negate ? "[^" : "[") + ranges + "]"
                    pos = close + 2
                    continue
                }
            }
            if let set = try parseUnicodeClass() {
                out += set
                continue
            }
            if let set = parsePerlClass() {
                out += set
                continue
            }
            let rangeStart = pos
            let lo = try parseClassChar(classStart: start)
            var hi = lo
            if pos + 1 < src.count, src[pos] == "-", src[pos + 1] != "]" {
                pos += 1
                hi = try parseClassChar(classStart: start)
                if hi < lo {
                    throw ParseError(code: "invalid character class range", expr: text(rangeStart, pos))
                }
            }
            out += Self.escaped(lo)
            if hi != lo { out += "-" + Self.escaped(hi) }
        }
        pos += 1
        return out + "]"
    }

    private func findColonBracket(from i: Int) -> Int? {
        var k = i
        while k + 1 < src.count {
            if src[k] == ":" && src[k + 1] == "]" { return k }
            k += 1
        }
        return nil
    }

    private mutating func parseClassChar(classStart: Int) throws(ParseError) -> UInt32 {
        guard pos < src.count else { throw ParseError(code: "missing closing ]", expr: text(classStart, src.count)) }
        if src[pos] == "\\" { return try parseEscape() }
        let c = src[pos]
        pos += 1
        return c.value
    }
}

/// Go's Unicode class names (canonical spelling) and the ICU property each means.
enum UnicodeNames {
    static let table: [String: String] = [
        "Adlam": "sc=Adlam", "Ahom": "sc=Ahom", "Anatolianhieroglyphs": "sc=Anatolian_Hieroglyphs", "Arabic": "sc=Arabic",
        "Armenian": "sc=Armenian", "Avestan": "sc=Avestan", "Balinese": "sc=Balinese", "Bamum": "sc=Bamum",
        "Bassavah": "sc=Bassa_Vah", "Batak": "sc=Batak", "Bengali": "sc=Bengali", "Bhaiksuki": "sc=Bhaiksuki",
        "Bopomofo": "sc=Bopomofo", "Brahmi": "sc=Brahmi", "Braille": "sc=Braille", "Buginese": "sc=Buginese",
        "Buhid": "sc=Buhid", "C": "gc=C", "Canadianaboriginal": "sc=Canadian_Aboriginal", "Carian": "sc=Carian",
        "Casedletter": "gc=LC", "Caucasianalbanian": "sc=Caucasian_Albanian", "Cc": "gc=Cc", "Cf": "gc=Cf",
        "Chakma": "sc=Chakma", "Cham": "sc=Cham", "Cherokee": "sc=Cherokee", "Chorasmian": "sc=Chorasmian",
        "Closepunctuation": "gc=Pe", "Cn": "gc=Cn", "Cntrl": "gc=Cc", "Co": "gc=Co",
        "Combiningmark": "gc=M", "Common": "sc=Common", "Connectorpunctuation": "gc=Pc", "Control": "gc=Cc",
        "Coptic": "sc=Coptic", "Cs": "gc=Cs", "Cuneiform": "sc=Cuneiform", "Currencysymbol": "gc=Sc",
        "Cypriot": "sc=Cypriot", "Cyprominoan": "sc=Cypro_Minoan", "Cyrillic": "sc=Cyrillic", "Dashpunctuation": "gc=Pd",
        "Decimalnumber": "gc=Nd", "Deseret": "sc=Deseret", "Devanagari": "sc=Devanagari", "Digit": "gc=Nd",
        "Divesakuru": "sc=Dives_Akuru", "Dogra": "sc=Dogra", "Duployan": "sc=Duployan", "Egyptianhieroglyphs": "sc=Egyptian_Hieroglyphs",
        "Elbasan": "sc=Elbasan", "Elymaic": "sc=Elymaic", "Enclosingmark": "gc=Me", "Ethiopic": "sc=Ethiopic",
        "Finalpunctuation": "gc=Pf", "Format": "gc=Cf", "Georgian": "sc=Georgian", "Glagolitic": "sc=Glagolitic",
        "Gothic": "sc=Gothic", "Grantha": "sc=Grantha", "Greek": "sc=Greek", "Gujarati": "sc=Gujarati",
        "Gunjalagondi": "sc=Gunjala_Gondi", "Gurmukhi": "sc=Gurmukhi", "Han": "sc=Han", "Hangul": "sc=Hangul",
        "Hanifirohingya": "sc=Hanifi_Rohingya", "Hanunoo": "sc=Hanunoo", "Hatran": "sc=Hatran", "Hebrew": "sc=Hebrew",
        "Hiragana": "sc=Hiragana", "Imperialaramaic": "sc=Imperial_Aramaic", "Inherited": "sc=Inherited", "Initialpunctuation": "gc=Pi",
        "Inscriptionalpahlavi": "sc=Inscriptional_Pahlavi", "Inscriptionalparthian": "sc=Inscriptional_Parthian", "Javanese": "sc=Javanese", "Kaithi": "sc=Kaithi",
        "Kannada": "sc=Kannada", "Katakana": "sc=Katakana", "Kawi": "sc=Kawi", "Kayahli": "sc=Kayah_Li",
        "Kharoshthi": "sc=Kharoshthi", "Khitansmallscript": "sc=Khitan_Small_Script", "Khmer": "sc=Khmer", "Khojki": "sc=Khojki",
        "Khudawadi": "sc=Khudawadi", "L": "gc=L", "Lao": "sc=Lao", "Latin": "sc=Latin",
        "Lepcha": "sc=Lepcha", "Letter": "gc=L", "Letternumber": "gc=Nl", "Limbu": "sc=Limbu",
        "Lineara": "sc=Linear_A", "Linearb": "sc=Linear_B", "Lineseparator": "gc=Zl", "Lisu": "sc=Lisu",
        "Ll": "gc=Ll", "Lm": "gc=Lm", "Lo": "gc=Lo", "Lowercaseletter": "gc=Ll",
        "Lt": "gc=Lt", "Lu": "gc=Lu", "Lycian": "sc=Lycian", "Lydian": "sc=Lydian",
        "M": "gc=M", "Mahajani": "sc=Mahajani", "Makasar": "sc=Makasar", "Malayalam": "sc=Malayalam",
        "Mandaic": "sc=Mandaic", "Manichaean": "sc=Manichaean", "Marchen": "sc=Marchen", "Mark": "gc=M",
        "Masaramgondi": "sc=Masaram_Gondi", "Mathsymbol": "gc=Sm", "Mc": "gc=Mc", "Me": "gc=Me",
        "Medefaidrin": "sc=Medefaidrin", "Meeteimayek": "sc=Meetei_Mayek", "Mendekikakui": "sc=Mende_Kikakui", "Meroiticcursive": "sc=Meroitic_Cursive",
        "Meroitichieroglyphs": "sc=Meroitic_Hieroglyphs", "Miao": "sc=Miao", "Mn": "gc=Mn", "Modi": "sc=Modi",
        "Modifierletter": "gc=Lm", "Modifiersymbol": "gc=Sk", "Mongolian": "sc=Mongolian", "Mro": "sc=Mro",
        "Multani": "sc=Multani", "Myanmar": "sc=Myanmar", "N": "gc=N", "Nabataean": "sc=Nabataean",
        "Nagmundari": "sc=Nag_Mundari", "Nandinagari": "sc=Nandinagari", "Nd": "gc=Nd", "Newa": "sc=Newa",
        "Newtailue": "sc=New_Tai_Lue", "Nko": "sc=Nko", "Nl": "gc=Nl", "No": "gc=No",
        "Nonspacingmark": "gc=Mn", "Number": "gc=N", "Nushu": "sc=Nushu", "Nyiakengpuachuehmong": "sc=Nyiakeng_Puachue_Hmong",
        "Ogham": "sc=Ogham", "Olchiki": "sc=Ol_Chiki", "Oldhungarian": "sc=Old_Hungarian", "Olditalic": "sc=Old_Italic",
        "Oldnortharabian": "sc=Old_North_Arabian", "Oldpermic": "sc=Old_Permic", "Oldpersian": "sc=Old_Persian", "Oldsogdian": "sc=Old_Sogdian",
        "Oldsoutharabian": "sc=Old_South_Arabian", "Oldturkic": "sc=Old_Turkic", "Olduyghur": "sc=Old_Uyghur", "Openpunctuation": "gc=Ps",
        "Oriya": "sc=Oriya", "Osage": "sc=Osage", "Osmanya": "sc=Osmanya", "Other": "gc=C",
        "Otherletter": "gc=Lo", "Othernumber": "gc=No", "Otherpunctuation": "gc=Po", "Othersymbol": "gc=So",
        "P": "gc=P", "Pahawhhmong": "sc=Pahawh_Hmong", "Palmyrene": "sc=Palmyrene", "Paragraphseparator": "gc=Zp",
        "Paucinhau": "sc=Pau_Cin_Hau", "Pc": "gc=Pc", "Pd": "gc=Pd", "Pe": "gc=Pe",
        "Pf": "gc=Pf", "Phagspa": "sc=Phags_Pa", "Phoenician": "sc=Phoenician", "Pi": "gc=Pi",
        "Po": "gc=Po", "Privateuse": "gc=Co", "Ps": "gc=Ps", "Psalterpahlavi": "sc=Psalter_Pahlavi",
        "Punct": "gc=P", "Punctuation": "gc=P", "Rejang": "sc=Rejang", "Runic": "sc=Runic",
        "S": "gc=S", "Samaritan": "sc=Samaritan", "Saurashtra": "sc=Saurashtra", "Sc": "gc=Sc",
        "Separator": "gc=Z", "Sharada": "sc=Sharada", "Shavian": "sc=Shavian", "Siddham": "sc=Siddham",
        "Signwriting": "sc=SignWriting", "Sinhala": "sc=Sinhala", "Sk": "gc=Sk", "Sm": "gc=Sm",
        "So": "gc=So", "Sogdian": "sc=Sogdian", "Sorasompeng": "sc=Sora_Sompeng", "Soyombo": "sc=Soyombo",
        "Spaceseparator": "gc=Zs", "Spacingmark": "gc=Mc", "Sundanese": "sc=Sundanese", "Surrogate": "gc=Cs",
        "Sylotinagri": "sc=Syloti_Nagri", "Symbol": "gc=S", "Syriac": "sc=Syriac", "Tagalog": "sc=Tagalog",
        "Tagbanwa": "sc=Tagbanwa", "Taile": "sc=Tai_Le", "Taitham": "sc=Tai_Tham", "Taiviet": "sc=Tai_Viet",
        "Takri": "sc=Takri", "Tamil": "sc=Tamil", "Tangsa": "sc=Tangsa", "Tangut": "sc=Tangut",
        "Telugu": "sc=Telugu", "Thaana": "sc=Thaana", "Thai": "sc=Thai", "Tibetan": "sc=Tibetan",
        "Tifinagh": "sc=Tifinagh", "Tirhuta": "sc=Tirhuta", "Titlecaseletter": "gc=Lt", "Toto": "sc=Toto",
        "Ugaritic": "sc=Ugaritic", "Unassigned": "gc=Cn", "Uppercaseletter": "gc=Lu", "Vai": "sc=Vai",
        "Vithkuqi": "sc=Vithkuqi", "Wancho": "sc=Wancho", "Warangciti": "sc=Warang_Citi", "Yezidi": "sc=Yezidi",
        "Yi": "sc=Yi", "Z": "gc=Z", "Zanabazarsquare": "sc=Zanabazar_Square", "Zl": "gc=Zl",
        "Zp": "gc=Zp", "Zs": "gc=Zs",
    ]
}
