/// A growable byte buffer with a stable address between replacements.
struct ByteBuffer: ~Copyable {
    private var storage = UnsafeMutablePointer<UInt8>.allocate(capacity: 64)
    private var capacity = 64

    deinit { storage.deallocate() }

    /// Copies `bytes` in and returns a view of them, valid until the next call.
    mutating func replace(with bytes: [UInt8]) -> UnsafeBufferPointer<UInt8> {
        if bytes.count > capacity {
            storage.deallocate()
            capacity = bytes.count
            storage = .allocate(capacity: capacity)
        }
        bytes.withUnsafeBufferPointer { source in
            if let from = source.baseAddress { storage.update(from: from, count: source.count) }
        }
        return UnsafeBufferPointer(start: storage, count: bytes.count)
    }
}
