/// A unified diff (`diff -u` style, 3 lines of context) between two texts,
/// for `-dry -diff`: what a render would change in the live file.
public enum UnifiedDiff {
    /// The diff of `old` → `new`, or "" when they are equal.
    public static func diff(old: String, new: String, oldName: String, newName: String, context: Int = 3) -> String {
        let a = lines(old), b = lines(new)
        let script = edits(a, b)
        guard script.contains(where: { $0 != .keep }) else { return "" }
        var out = "--- \(oldName)\n+++ \(newName)\n"
        // Walk the edit script, cutting it into hunks separated by > 2×context kept lines.
        var i = 0, ai = 0, bi = 0
        while i < script.count {
            guard script[i] != .keep else { i += 1; ai += 1; bi += 1; continue }
            let start = max(0, i - context)
            var end = i
            var quiet = 0
            var j = i
            while j < script.count {
                if script[j] == .keep {
                    quiet += 1
                    if quiet > 2 * context { break }
                } else {
                    quiet = 0
                    end = j
                }
                j += 1
            }
            let stop = min(script.count, end + context + 1)
            // Positions at `start`.
            var sa = ai, sb = bi
            for k in stride(from: i - 1, through: start, by: -1) where script[k] == .keep { sa -= 1; sb -= 1 }
            var hunk = "", na = 0, nb = 0, pa = sa, pb = sb
            for k in start..<stop {
                switch script[k] {
                case .keep: hunk += " " + a[pa] + "\n"; pa += 1; pb += 1; na += 1; nb += 1
                case .delete: hunk += "-" + a[pa] + "\n"; pa += 1; na += 1
                case .insert: hunk += "+" + b[pb] + "\n"; pb += 1; nb += 1
                }
            }
            out += "@@ -\(range(sa, na)) +\(range(sb, nb)) @@\n" + hunk
            ai = pa
            bi = pb
            i = stop
        }
        return out
    }

    private static func range(_ start: Int, _ count: Int) -> String {
        count == 1 ? "\(start + 1)" : "\(count == 0 ? start : start + 1),\(count)"
    }

    private static func lines(_ s: String) -> [String] {
        var parts = s.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if parts.last == "" { parts.removeLast() }
        return parts
    }

    enum Edit: Equatable { case keep, delete, insert }

    /// A shortest edit script by longest common subsequence (quadratic in
    /// the differing middle; common prefix and suffix are trimmed first).
    static func edits(_ a: [String], _ b: [String]) -> [Edit] {
        var prefix = 0
        while prefix < a.count && prefix < b.count && a[prefix] == b[prefix] { prefix += 1 }
        var suffix = 0
        while suffix < a.count - prefix && suffix < b.count - prefix && a[a.count - 1 - suffix] == b[b.count - 1 - suffix] { suffix += 1 }
        let x = Array(a[prefix..<(a.count - suffix)]), y = Array(b[prefix..<(b.count - suffix)])
        var lcs = [[Int32]](repeating: [Int32](repeating: 0, count: y.count + 1), count: x.count + 1)
        if !x.isEmpty && !y.isEmpty {
            for i in stride(from: x.count - 1, through: 0, by: -1) {
                for j in stride(from: y.count - 1, through: 0, by: -1) {
                    lcs[i][j] = x[i] == y[j] ? lcs[i + 1][j + 1] + 1 : max(lcs[i + 1][j], lcs[i][j + 1])
                }
            }
        }
        var middle: [Edit] = []
        var i = 0, j = 0
        while i < x.count || j < y.count {
            if i < x.count && j < y.count && x[i] == y[j] {
                middle.append(.keep); i += 1; j += 1
            } else if i < x.count && (j == y.count || lcs[i + 1][j] >= lcs[i][j + 1]) {
                middle.append(.delete); i += 1
            } else {
                middle.append(.insert); j += 1
            }
        }
        return Array(repeating: .keep, count: prefix) + middle + Array(repeating: .keep, count: suffix)
    }
}
