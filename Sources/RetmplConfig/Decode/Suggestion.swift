/// "did you mean" for a misspelt key or signal name.
enum Suggestion {
    /// The closest candidate within a small edit distance, if any.
    static func closest(to word: String, in candidates: [String]) -> String? {
        let w = Array(word.lowercased().utf8)
        var best: (String, Int)?
        for c in candidates {
            let d = distance(w, Array(c.lowercased().utf8))
            if d <= max(1, min(3, c.utf8.count / 3)), best.map({ d < $0.1 }) ?? true {
                best = (c, d)
            }
        }
        return best?.0
    }

    /// ` (did you mean "x"?)`, or "" when nothing is close.
    static func hint(for word: String, in candidates: [String]) -> String {
        closest(to: word, in: candidates).map { " (did you mean \"\($0)\"?)" } ?? ""
    }

    /// Levenshtein distance over bytes.
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                current[j] = Swift.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            }
            swap(&previous, &current)
        }
        return previous[b.count]
    }
}
