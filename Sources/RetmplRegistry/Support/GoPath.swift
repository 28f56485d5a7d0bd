/// Go's `path/filepath.Clean` on Unix: the shortest equivalent path, by
/// purely lexical processing (`./a/../b` -> `b`, `` -> `.`).
enum GoPath {
    static func clean(_ path: String) -> String {
        if path.isEmpty { return "." }
        let bytes = Array(path.utf8)
        let rooted = bytes[0] == UInt8(ascii: "/")
        let slash = UInt8(ascii: "/"), dot = UInt8(ascii: ".")
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        if rooted { out.append(slash) }
        var r = rooted ? 1 : 0
        // Length of `out` that `..` may not back up past.
        var dotdot = out.count
        let n = bytes.count
        while r < n {
            if bytes[r] == slash {
                r += 1
            } else if bytes[r] == dot && (r + 1 == n || bytes[r + 1] == slash) {
                r += 1
            } else if bytes[r] == dot && bytes[r + 1] == dot && (r + 2 == n || bytes[r + 2] == slash) {
                r += 2
                if out.count > dotdot {
                    var w = out.count - 1
                    while w > dotdot && out[w] != slash { w -= 1 }
                    out.removeSubrange(w...)
                } else if !rooted {
                    if !out.isEmpty { out.append(slash) }
                    out.append(dot)
                    out.append(dot)
                    dotdot = out.count
                }
            } else {
                if (rooted && out.count != 1) || (!rooted && !out.isEmpty) { out.append(slash) }
                while r < n && bytes[r] != slash {
                    out.append(bytes[r])
                    r += 1
                }
            }
        }
        if out.isEmpty { return "." }
        return String(decoding: out, as: UTF8.self)
    }
}
