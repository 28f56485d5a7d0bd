import Foundation

/// Decoded values keyed by the JSON text they came from: equal texts decode
/// to equal values, so they share one entry.
struct InternTable<Value> {
    private(set) var items: [Value] = []
    /// Where each entry's text is in the input (offset, length); -1: not shareable.
    private var spans: [(offset: Int, count: Int)] = []
    /// Newest entry per text hash; `next` chains older entries with the same hash.
    private var byHash: [UInt64: SharedID] = [:]
    private var next: [SharedID] = []

    /// The entry for `value`; with `text` (its JSON text inside the input
    /// starting at `base`), an earlier entry with the same text is reused.
    mutating func intern(_ value: Value, text: UnsafeBufferPointer<UInt8>?, base: UnsafePointer<UInt8>) -> SharedID {
        guard let text, let start = text.baseAddress else {
            items.append(value)
            spans.append((-1, 0))
            next.append(-1)
            return SharedID(items.count - 1)
        }
        let hash = InternTable.hash(text)
        let newest = byHash[hash] ?? -1
        if let id = find(text, from: newest, base: base) { return id }
        items.append(value)
        spans.append((start - base, text.count))
        next.append(newest)
        let id = SharedID(items.count - 1)
        byHash[hash] = id
        return id
    }

    /// The entry with JSON text `text`, if any.
    func lookup(_ text: UnsafeBufferPointer<UInt8>, base: UnsafePointer<UInt8>) -> SharedID? {
        guard !byHash.isEmpty, let newest = byHash[InternTable.hash(text)] else { return nil }
        return find(text, from: newest, base: base)
    }

    private func find(_ text: UnsafeBufferPointer<UInt8>, from newest: SharedID, base: UnsafePointer<UInt8>) -> SharedID? {
        guard let start = text.baseAddress else { return nil }
        var candidate = newest
        while candidate >= 0 {
            let span = spans[Int(candidate)]
            if span.count == text.count && memcmp(base + span.offset, start, text.count) == 0 { return candidate }
            candidate = next[Int(candidate)]
        }
        return nil
    }

    private static func hash(_ text: UnsafeBufferPointer<UInt8>) -> UInt64 {
        var hash = UInt64(text.count) &* 0x9E37_79B9_7F4A_7C15
        guard let start = text.baseAddress else { return hash }
        var i = 0
        while i + 8 <= text.count {
            hash = (hash ^ UnsafeRawPointer(start + i).loadUnaligned(as: UInt64.self)) &* 0xFF51_AFD7_ED55_8CCD
            hash ^= hash >> 32
            i += 8
        }
        while i < text.count {
            hash = (hash ^ UInt64(start[i])) &* 0xFF51_AFD7_ED55_8CCD
            i += 1
        }
        return hash
    }
}
