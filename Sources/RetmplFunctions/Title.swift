import RetmplTemplate

/// consul-template's `toTitle`: x/text `cases.Title(language.Und, cases.NoLower)`.
///
/// The first cased rune of every word is title-cased with the full Unicode
/// mapping (`ß` → `Ss`, `ﬁ` → `Fi`); everything else is kept. Words break
/// as x/text approximates UAX #29: a break rune (not a letter, digit, mark,
/// format character, connector punctuation or mid-word mark) ends a word,
/// and so do two mid-word marks in a row.
enum TitleFunctions {
    static let all: [TemplateFunction] = [
        TemplateFunction("toTitle", [.string]) { a, _ in .string(title(a.string(0))) },
    ]

    static func title(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var midWord = false
        var prevMid = false
        var first = true
        for r in s.unicodeScalars {
            let mid = isMid(r)
            if !first && prevMid && mid { midWord = false }
            first = false
            if isCased(r) {
                if !midWord {
                    if let full = fullTitle[r.value] {
                        out.append(contentsOf: full.unicodeScalars)
                    } else {
                        out.append(GoCase.title(r))
                    }
                    midWord = true
                } else {
                    out.append(r)
                }
            } else {
                out.append(r)
                if isBreak(r) { midWord = false }
            }
            prevMid = mid
        }
        return String(out)
    }

    private static func isCased(_ r: Unicode.Scalar) -> Bool {
        let v = r.value
        if v < 0x80 { return (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) }
        return r.properties.isCased
    }

    /// Word_Break MidLetter, MidNumLet or Single_Quote.
    private static func isMid(_ r: Unicode.Scalar) -> Bool {
        switch r.value {
        case 0x27, 0x2E, 0x3A, 0xB7, 0x387, 0x55F, 0x5F4, 0x2018, 0x2019, 0x2024, 0x2027,
             0xFE13, 0xFE52, 0xFE55, 0xFF07, 0xFF0E, 0xFF1A:
            return true
        default:
            return false
        }
    }

    private static func isBreak(_ r: Unicode.Scalar) -> Bool {
        let v = r.value
        if v < 0x80 {
            let letterOrDigit = (v >= 0x61 && v <= 0x7A) || (v >= 0x41 && v <= 0x5A) || (v >= 0x30 && v <= 0x39)
            return !(letterOrDigit || v == 0x5F || v == 0x27 || v == 0x2E || v == 0x3A)
        }
        if isMid(r) { return false }
        if v == 0x200B { return true }
        if v == 0x200C || v == 0x200D || v == 0x202F { return false }
        let p = r.properties
        switch p.generalCategory {
        case .nonspacingMark, .enclosingMark, .spacingMark, .decimalNumber, .connectorPunctuation, .format:
            return false
        default:
            break
        }
        if p.isAlphabetic || p.isLowercase || p.isUppercase {
            return notALetter(v)
        }
        return true
    }

    /// Ideographic and the scripts UAX #29 leaves out of ALetter (Han, kana, Thai, Lao, ...).
    private static func notALetter(_ v: UInt32) -> Bool {
        var lo = 0, hi = notALetterRanges.count - 1
        while lo <= hi {
            let mid = (lo + hi) / 2
            let range = notALetterRanges[mid]
            if v < range.lowerBound { hi = mid - 1 } else if v > range.upperBound { lo = mid + 1 } else { return true }
        }
        return false
    }

    private static let notALetterRanges: [ClosedRange<UInt32>] = [
        0xE01...0xE3A, 0xE40...0xE5B, 0xE81...0xE82, 0xE84...0xE84, 0xE86...0xE8A, 0xE8C...0xEA3,
        0xEA5...0xEA5, 0xEA7...0xEBD, 0xEC0...0xEC4, 0xEC6...0xEC6, 0xEC8...0xECE, 0xED0...0xED9,
        0xEDC...0xEDF, 0x1000...0x109F, 0x1780...0x17DD, 0x17E0...0x17E9, 0x17F0...0x17F9, 0x1950...0x196D,
        0x1970...0x1974, 0x1980...0x19AB, 0x19B0...0x19C9, 0x19D0...0x19DA, 0x19DE...0x19FF, 0x1A20...0x1A5E,
        0x1A60...0x1A7C, 0x1A7F...0x1A89, 0x1A90...0x1A99, 0x1AA0...0x1AAD, 0x2E80...0x2E99, 0x2E9B...0x2EF3,
        0x2F00...0x2FD5, 0x3005...0x3007, 0x3021...0x3029, 0x3038...0x303B, 0x3041...0x3096, 0x309D...0x309F,
        0x30A1...0x30FA, 0x30FD...0x30FF, 0x31F0...0x31FF, 0x32D0...0x32FE, 0x3300...0x3357, 0x3400...0x4DBF,
        0x4E00...0x9FFF, 0xA9E0...0xA9FE, 0xAA60...0xAAC2, 0xAADB...0xAADF, 0xF900...0xFA6D, 0xFA70...0xFAD9,
        0xFF66...0xFF6F, 0xFF71...0xFF9D, 0x11700...0x1171A, 0x1171D...0x1172B, 0x11730...0x11746, 0x16FE2...0x16FE4,
        0x16FF0...0x16FF1, 0x17000...0x187F7, 0x18800...0x18CD5, 0x18D00...0x18D08, 0x1AFF0...0x1AFF3, 0x1AFF5...0x1AFFB,
        0x1AFFD...0x1AFFE, 0x1B000...0x1B122, 0x1B132...0x1B132, 0x1B150...0x1B152, 0x1B155...0x1B155, 0x1B164...0x1B167,
        0x1B170...0x1B2FB, 0x1F200...0x1F200, 0x20000...0x2A6DF, 0x2A700...0x2B739, 0x2B740...0x2B81D, 0x2B820...0x2CEA1,
        0x2CEB0...0x2EBE0, 0x2F800...0x2FA1D, 0x30000...0x3134A, 0x31350...0x323AF,
    ]

    /// Unconditional multi-rune title mappings (SpecialCasing.txt).
    private static let fullTitle: [UInt32: String] = [
        0x00DF: "Ss", 0x0149: "\u{02BC}N", 0x01F0: "J\u{030C}", 0x0587: "\u{0535}\u{0582}",
        0x0390: "\u{0399}\u{0308}\u{0301}", 0x03B0: "\u{03A5}\u{0308}\u{0301}",
        0x1E96: "H\u{0331}", 0x1E97: "T\u{0308}", 0x1E98: "W\u{030A}", 0x1E99: "Y\u{030A}", 0x1E9A: "A\u{02BE}",
        0x1F50: "\u{03A5}\u{0313}", 0x1F52: "\u{03A5}\u{0313}\u{0300}", 0x1F54: "\u{03A5}\u{0313}\u{0301}",
        0x1F56: "\u{03A5}\u{0313}\u{0342}", 0x1FB6: "\u{0391}\u{0342}", 0x1FC6: "\u{0397}\u{0342}",
        0x1FD2: "\u{0399}\u{0308}\u{0300}", 0x1FD3: "\u{0399}\u{0308}\u{0301}", 0x1FD6: "\u{0399}\u{0342}",
        0x1FD7: "\u{0399}\u{0308}\u{0342}", 0x1FE2: "\u{03A5}\u{0308}\u{0300}", 0x1FE3: "\u{03A5}\u{0308}\u{0301}",
        0x1FE4: "\u{03A1}\u{0313}", 0x1FE6: "\u{03A5}\u{0342}", 0x1FE7: "\u{03A5}\u{0308}\u{0342}",
        0x1FF6: "\u{03A9}\u{0342}", 0x1FB2: "\u{1FBA}\u{0345}", 0x1FB4: "\u{0386}\u{0345}",
        0x1FC2: "\u{1FCA}\u{0345}", 0x1FC4: "\u{0389}\u{0345}", 0x1FF2: "\u{1FFA}\u{0345}",
        0x1FF4: "\u{038F}\u{0345}", 0x1FB7: "\u{0391}\u{0342}\u{0345}", 0x1FC7: "\u{0397}\u{0342}\u{0345}",
        0x1FF7: "\u{03A9}\u{0342}\u{0345}",
        0xFB00: "Ff", 0xFB01: "Fi", 0xFB02: "Fl", 0xFB03: "Ffi", 0xFB04: "Ffl", 0xFB05: "St", 0xFB06: "St",
        0xFB13: "\u{0544}\u{0576}", 0xFB14: "\u{0544}\u{0565}", 0xFB15: "\u{0544}\u{056B}",
        0xFB16: "\u{054E}\u{0576}", 0xFB17: "\u{0544}\u{056D}",
    ]
}
