import Foundation
import RetmplTemplate

/// `regexMatch` and `regexReplaceAll` (Go's `regexp` with `$1`/`${name}` expansion).
enum RegexFunctions {
    static let all: [TemplateFunction] = [
        TemplateFunction("regexMatch", [.string, .string]) { a, _ in
            .bool(try GoRegex.compile(a.string(0)).matches(a.string(1)))
        },
        TemplateFunction("regexReplaceAll", [.string, .string, .string]) { a, _ in
            .string(try GoRegex.compile(a.string(0)).replaceAll(a.string(2), with: a.string(1), literal: false))
        },
    ]
}

/// A compiled Go regular expression, run by ICU (see ``RegexSyntax`` for
/// how the syntax is carried over and what differs).
final class GoRegex: @unchecked Sendable {
    let pattern: String
    private let regex: NSRegularExpression
    private let groupNames: [String]

    private init(pattern: String, regex: NSRegularExpression, groupNames: [String]) {
        self.pattern = pattern
        self.regex = regex
        self.groupNames = groupNames
    }

    private static let cache = RegexCache()

    /// Compiles `pattern` (cached: templates call the same pattern in loops).
    static func compile(_ pattern: String) throws -> GoRegex {
        if let hit = cache.get(pattern) { return hit }
        let syntax: RegexSyntax
        do {
            syntax = try RegexSyntax.parse(pattern)
        } catch {
            throw TemplateFunctionError(error.message)
        }
        let regex: NSRegularExpression
        do {
            regex = try NSRegularExpression(pattern: syntax.icuPattern, options: [])
        } catch {
            throw TemplateFunctionError("retmpl: regular expression `\(pattern)` is not supported by the ICU engine")
        }
        let compiled = GoRegex(pattern: pattern, regex: regex, groupNames: syntax.groupNames)
        cache.put(pattern, compiled)
        return compiled
    }

    private static let options: NSRegularExpression.MatchingOptions = [.withTransparentBounds, .withoutAnchoringBounds]

    /// `MatchString`: whether any match exists.
    func matches(_ s: String) -> Bool {
        regex.firstMatch(in: s, options: Self.options, range: NSRange(location: 0, length: s.utf16.count)) != nil
    }

    /// Every ICU match; the Go rule that drops an empty match right after a
    /// previous match is applied by the callers.
    private func allMatches(_ s: String, limit: Int = .max) -> [NSTextCheckingResult] {
        var out: [NSTextCheckingResult] = []
        regex.enumerateMatches(in: s, options: Self.options, range: NSRange(location: 0, length: s.utf16.count)) { m, _, stop in
            if let m { out.append(m) }
            if out.count >= limit { stop.pointee = true }
        }
        return out
    }

    /// Go's `ReplaceAllString` (`literal`: `ReplaceAllLiteralString`).
    func replaceAll(_ s: String, with template: String, literal: Bool) -> String {
        let matches = allMatches(s)
        if matches.isEmpty { return s }
        let src = Array(s.utf16)
        var out: [UInt16] = []
        out.reserveCapacity(src.count)
        let expansion = literal ? nil : Expansion(template, names: groupNames)
        let literalUnits = Array(template.utf16)
        var lastMatchEnd = 0
        for m in matches {
            let r = m.range
            if r.length == 0 && r.location == lastMatchEnd && r.location != 0 && lastMatchEnd > 0 {
                // An empty match right after a match is not replaced (only possible after a non-empty one).
                continue
            }
            out.append(contentsOf: src[lastMatchEnd ..< r.location])
            if let expansion {
                expansion.append(to: &out, match: m, source: src)
            } else {
                out.append(contentsOf: literalUnits)
            }
            lastMatchEnd = r.location + r.length
        }
        out.append(contentsOf: src[lastMatchEnd...])
        return String(decoding: out, as: UTF16.self)
    }

    /// Go's accepted matches for `FindAll`: empty matches adjacent to the previous match are skipped.
    private func goMatches(_ s: String, limit n: Int) -> [NSTextCheckingResult] {
        if n == 0 { return [] }
        var accepted: [NSTextCheckingResult] = []
        var prevEnd = -1
        for m in allMatches(s) {
            let r = m.range
            let accept = !(r.length == 0 && r.location == prevEnd)
            prevEnd = r.location + r.length
            if accept {
                accepted.append(m)
                if n > 0 && accepted.count >= n { break }
            }
        }
        return accepted
    }

    /// `FindAllString(s, n)` (n < 0: all; no match: empty).
    func findAll(_ s: String, limit n: Int) -> [String] {
        let src = Array(s.utf16)
        return goMatches(s, limit: n).map { String(decoding: src[$0.range.location ..< $0.range.location + $0.range.length], as: UTF16.self) }
    }

    /// `FindString`.
    func find(_ s: String) -> String {
        findAll(s, limit: 1).first ?? ""
    }

    /// `Split(s, n)`.
    func split(_ s: String, limit n: Int) -> [String] {
        if n == 0 { return [] }
        if !pattern.isEmpty && s.isEmpty { return [""] }
        let src = Array(s.utf16)
        var parts: [String] = []
        var beg = 0, end = 0
        for m in goMatches(s, limit: n) {
            if n > 0 && parts.count >= n - 1 { break }
            end = m.range.location
            if m.range.location + m.range.length != 0 {
                parts.append(String(decoding: src[beg ..< end], as: UTF16.self))
            }
            beg = m.range.location + m.range.length
        }
        if end != src.count { parts.append(String(decoding: src[beg...], as: UTF16.self)) }
        return parts
    }

    /// `regexp.QuoteMeta`.
    static func quoteMeta(_ s: String) -> String {
        var out = ""
        for c in s.unicodeScalars {
            if "\\.+*?()|[]{}^$".unicodeScalars.contains(c) { out.unicodeScalars.append("\\") }
            out.unicodeScalars.append(c)
        }
        return out
    }
}

/// A parsed replacement template (`$1`, `${1}`, `$name`, `${name}`, `$$`).
private struct Expansion {
    enum Part {
        case text([UInt16])
        case group(Int)
        case named(String)
    }

    let parts: [Part]
    let names: [String]

    init(_ template: String, names: [String]) {
        self.names = names
        var parts: [Part] = []
        let scalars = Array(template.unicodeScalars)
        var text = String.UnicodeScalarView()
        var i = 0
        func flush() {
            if !text.isEmpty { parts.append(.text(Array(String(text).utf16))) }
            text = String.UnicodeScalarView()
        }
        while i < scalars.count {
            let c = scalars[i]
            guard c == "$" else {
                text.append(c)
                i += 1
                continue
            }
            i += 1
            if i < scalars.count && scalars[i] == "$" {
                text.append("$")
                i += 1
                continue
            }
            // Go's extract: letters, digits and _ (optionally in braces).
            var j = i
            let brace = j < scalars.count && scalars[j] == "{"
            if brace { j += 1 }
            let nameStart = j
            while j < scalars.count {
                let p = scalars[j].properties
                let isLetter = p.generalCategory.isLetter
                let isDigit = p.generalCategory == .decimalNumber
                if !isLetter && !isDigit && scalars[j] != "_" { break }
                j += 1
            }
            var ok = j > nameStart
            var name = ""
            if ok {
                var v = String.UnicodeScalarView()
                v.append(contentsOf: scalars[nameStart ..< j])
                name = String(v)
                if brace {
                    if j < scalars.count && scalars[j] == "}" { j += 1 } else { ok = false }
                }
            }
            if !ok {
                text.append("$")
                continue
            }
            flush()
            i = j
            var num = 0
            for b in name.utf8 {
                if b < 0x30 || b > 0x39 || num >= 100_000_000 {
                    num = -1
                    break
                }
                num = num * 10 + Int(b - 0x30)
            }
            if name.utf8.first == UInt8(ascii: "0") && name.utf8.count > 1 { num = -1 }
            parts.append(num >= 0 ? .group(num) : .named(name))
        }
        flush()
        self.parts = parts
    }

    func append(to out: inout [UInt16], match: NSTextCheckingResult, source: [UInt16]) {
        func group(_ i: Int) -> Bool {
            guard i < match.numberOfRanges else { return false }
            let r = match.range(at: i)
            guard r.location != NSNotFound else { return false }
            out.append(contentsOf: source[r.location ..< r.location + r.length])
            return true
        }
        for part in parts {
            switch part {
            case .text(let t): out.append(contentsOf: t)
            case .group(let i): _ = group(i)
            case .named(let name):
                for (i, n) in names.enumerated() where n == name {
                    if group(i) { break }
                }
            }
        }
    }
}

private extension Unicode.GeneralCategory {
    var isLetter: Bool {
        switch self {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter: return true
        default: return false
        }
    }
}

/// Compiled patterns by source text, shared by all renders.
private final class RegexCache: @unchecked Sendable {
    private let lock = NSLock()
    /// Patterns compare by their bytes: "é" and "e\u{301}" are different regexes.
    private var entries: [GoStringKey: GoRegex] = [:]

    func get(_ pattern: String) -> GoRegex? {
        lock.lock()
        defer { lock.unlock() }
        return entries[GoStringKey(pattern)]
    }

    func put(_ pattern: String, _ regex: GoRegex) {
        lock.lock()
        defer { lock.unlock() }
        if entries.count >= 512 { entries.removeAll(keepingCapacity: true) }
        entries[GoStringKey(pattern)] = regex
    }
}
