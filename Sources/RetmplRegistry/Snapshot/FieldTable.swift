/// The field names of a Go struct for JSON decoding, with encoding/json's
/// matching: exact name first, then a case-insensitive match. A class, so
/// passing one around costs a single reference.
final class FieldTable: Sendable {
    let goType: String
    let names: [String]
    /// Per field: byte length and first 8 bytes (zero-padded), compared
    /// before the full names.
    private let lengths: [Int]
    private let prefixes: [UInt64]
    private let exact: [[UInt8]]
    private let folded: [[UInt8]]

    init(_ goType: String, _ names: [String]) {
        self.goType = goType
        self.names = names
        self.exact = names.map { Array($0.utf8) }
        self.lengths = exact.map(\.count)
        self.prefixes = exact.map { bytes in bytes.withUnsafeBufferPointer { FieldTable.prefix($0) } }
        self.folded = names.map { FieldTable.fold(Array($0.utf8)) ?? [] }
    }

    @inline(__always)
    private static func prefix(_ b: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var word: UInt64 = 0
        for i in 0..<min(8, b.count) { word |= UInt64(b[i]) << (8 * UInt64(i)) }
        return word
    }

    /// The index of the field `key` decodes into.
    func index(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        let n = key.count
        let word = FieldTable.prefix(key)
        for i in 0..<lengths.count where lengths[i] == n && prefixes[i] == word {
            if n <= 8 { return i }
            let matches = exact[i].withUnsafeBufferPointer { name in
                var j = 8
                while j < n && name[j] == key[j] { j += 1 }
                return j == n
            }
            if matches { return i }
        }
        guard let f = FieldTable.fold(Array(key)) else { return nil }
        for (i, name) in folded.enumerated() where name == f { return i }
        return nil
    }

    /// The index of the field `key` decodes into.
    func index(of key: String) -> Int? {
        var key = key
        return key.withUTF8 { index(of: $0) }
    }

    /// Go's `foldName` for names that can match an ASCII field name: ASCII
    /// upper-cased, U+017F (ſ) as S and U+212A (Kelvin sign) as K; nil when
    /// the key has any other non-ASCII character.
    private static func fold(_ bytes: [UInt8]) -> [UInt8]? {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var i = 0
        while i < bytes.count {
            let b = bytes[i]
            if b < 0x80 {
                out.append(b >= 0x61 && b <= 0x7A ? b - 0x20 : b)
                i += 1
            } else if b == 0xC5 && i + 1 < bytes.count && bytes[i + 1] == 0xBF {
                out.append(UInt8(ascii: "S"))  // U+017F
                i += 2
            } else if b == 0xE2 && i + 2 < bytes.count && bytes[i + 1] == 0x84 && bytes[i + 2] == 0xAA {
                out.append(UInt8(ascii: "K"))  // U+212A
                i += 3
            } else {
                return nil
            }
        }
        return out
    }
}
