/// Recently seen object keys and long ASCII strings, so repeated ones share
/// one `String` instead of being validated and allocated again.
struct StringCache: ~Copyable {
    private static let slotCount = 4096
    private static let maxLength = 48
    private var strings: [String?] = Array(repeating: nil, count: StringCache.slotCount)
    /// Each slot's bytes (`maxLength` per slot) and length.
    private let bytes = UnsafeMutablePointer<UInt8>.allocate(capacity: StringCache.slotCount * StringCache.maxLength)
    private var lengths = [Int](repeating: -1, count: StringCache.slotCount)

    deinit { bytes.deallocate() }

    /// The string for valid UTF-8 `key` (a hit is verified byte for byte).
    @inline(__always)
    mutating func string(_ key: UnsafeBufferPointer<UInt8>) -> String {
        let n = key.count
        guard n <= StringCache.maxLength, let source = key.baseAddress else {
            return String(decoding: key, as: UTF8.self)
        }
        // Hash 8 bytes at a time (the tail zero-padded).
        var hash = UInt64(n) &* 0x9E37_79B9_7F4A_7C15
        var i = 0
        while i + 8 <= n {
            hash = (hash ^ UnsafeRawPointer(source + i).loadUnaligned(as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            i += 8
        }
        if i < n {
            var tail: UInt64 = 0
            for j in i..<n { tail |= UInt64(source[j]) << (8 * UInt64(j - i)) }
            hash = (hash ^ tail) &* 0xFF51_AFD7_ED55_8CCD
        }
        hash ^= hash >> 29
        let slot = Int(truncatingIfNeeded: hash) & (StringCache.slotCount - 1)
        let stored = bytes + slot * StringCache.maxLength
        if lengths[slot] == n, let s = strings[slot] {
            var j = 0
            while j < n && stored[j] == source[j] { j += 1 }
            if j == n { return s }
        }
        let s = String(decoding: key, as: UTF8.self)
        stored.update(from: source, count: n)
        lengths[slot] = n
        strings[slot] = s
        return s
    }
}
