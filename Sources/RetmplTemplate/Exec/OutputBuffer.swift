#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The executor's output: bytes copied to a raw pointer behind an inline
/// capacity check. `Array.append(contentsOf:)` is an out-of-line call with a
/// uniqueness check, made for every 5-byte field of every instance.
///
/// The executor owns exactly one live buffer at a time and frees it in
/// `deinit`; the buffer itself is a plain value with no ownership logic.
struct OutputBuffer {
    private(set) var base: UnsafeMutablePointer<UInt8>
    private(set) var count = 0
    private var capacity: Int
    /// False while writing into memory lent by the caller (an array being
    /// initialized); growing past it moves the bytes to memory of our own.
    private(set) var ownsMemory: Bool

    /// Memory comes from `malloc` so that growing can use `realloc`: a big
    /// buffer is then moved by remapping pages, not by copying them.
    init(capacity: Int) {
        self.capacity = max(capacity, 64)
        base = OutputBuffer.reallocate(nil, self.capacity)
        ownsMemory = true
    }

    /// Writes into `memory` until it is full: rendering straight into the
    /// result array saves copying megabytes of output at the end.
    init(lending memory: UnsafeMutableBufferPointer<UInt8>) {
        if let start = memory.baseAddress, memory.count >= 64 {
            base = start
            capacity = memory.count
            ownsMemory = false
        } else {
            capacity = 64
            base = OutputBuffer.reallocate(nil, capacity)
            ownsMemory = true
        }
    }

    /// Releases memory of our own; the buffer must not be used afterwards.
    func release() {
        if ownsMemory { free(base) }
    }

    /// The bytes written so far.
    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: base, count: count) }

    @inline(__always)
    mutating func append(_ bytes: UnsafeBufferPointer<UInt8>) {
        let n = bytes.count
        guard n > 0, let source = bytes.baseAddress else { return }
        if n > capacity &- count { grow(toFit: n) }
        (base + count).initialize(from: source, count: n)
        count &+= n
    }

    @inline(__always)
    mutating func append(_ byte: UInt8) {
        if count == capacity { grow(toFit: 1) }
        (base + count).initialize(to: byte)
        count &+= 1
    }

    mutating func append(_ bytes: [UInt8]) {
        bytes.withUnsafeBufferPointer { append($0) }
    }

    /// Go's decimal form of `v`.
    @inline(__always)
    mutating func append(decimal v: Int64) {
        if v >= 0 && v < 10 {
            append(UInt8(ascii: "0") &+ UInt8(truncatingIfNeeded: v))
            return
        }
        if v < 0 { append(UInt8(ascii: "-")) }
        GoPrinter.withDecimal(v < 0 ? 0 &- UInt64(bitPattern: v) : UInt64(v)) { append($0) }
    }

    /// The UTF-8 bytes of `s`, borrowed rather than copied.
    @inline(__always)
    mutating func append(utf8 s: String) {
        GoFormat.withUTF8(s) { append($0) }
    }

    /// Runs one of the array-based formatters (the general printing paths)
    /// and appends what it wrote.
    mutating func appendFormatted(_ format: (inout [UInt8]) -> Void) {
        var scratch: [UInt8] = []
        format(&scratch)
        append(scratch)
    }

    @inline(never)
    private mutating func grow(toFit n: Int) {
        var newCapacity = capacity * 2
        while newCapacity - count < n { newCapacity *= 2 }
        if ownsMemory {
            base = OutputBuffer.reallocate(base, newCapacity)
        } else {
            let own = OutputBuffer.reallocate(nil, newCapacity)
            own.initialize(from: base, count: count)
            base = own
            ownsMemory = true
        }
        capacity = newCapacity
    }

    private static func reallocate(_ old: UnsafeMutablePointer<UInt8>?, _ size: Int) -> UnsafeMutablePointer<UInt8> {
        guard let raw = realloc(old, size) else {
            // Like every Swift allocation, running out of memory is fatal.
            preconditionFailure("out of memory: an output buffer of \(size) bytes")
        }
        return raw.bindMemory(to: UInt8.self, capacity: size)
    }
}
