/// A stack whose top elements are moved (not copied) into a new array, so
/// each container is allocated once at its final size.
struct MoveStack<Element>: ~Copyable {
    private var buffer: UnsafeMutablePointer<Element>
    private var capacity: Int
    private(set) var count = 0

    init() {
        capacity = 256
        buffer = .allocate(capacity: capacity)
    }

    /// Destroys what is left (after an error) and frees the storage.
    deinit {
        buffer.deinitialize(count: count)
        buffer.deallocate()
    }

    @inline(__always)
    mutating func push(_ element: consuming Element) {
        if count == capacity { grow() }
        (buffer + count).initialize(to: element)
        count += 1
    }

    private mutating func grow() {
        let bigger = UnsafeMutablePointer<Element>.allocate(capacity: capacity * 2)
        bigger.moveInitialize(from: buffer, count: count)
        buffer.deallocate()
        buffer = bigger
        capacity *= 2
    }

    /// Moves the elements from `start` to the top into a new array.
    mutating func popArray(from start: Int) -> [Element] {
        let n = count - start
        let source = buffer + start
        count = start
        return [Element](unsafeUninitializedCapacity: n) { out, initialized in
            if let dest = out.baseAddress { dest.moveInitialize(from: source, count: n) }
            initialized = n
        }
    }
}
