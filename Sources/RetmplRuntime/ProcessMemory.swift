import CRetmplSystem

/// What the process's allocator holds, for memory diagnostics (benchmarks,
/// debug logs): heap bytes in use, as opposed to RSS, which also counts
/// pages the allocator keeps for reuse.
public enum ProcessMemory {
    /// Bytes handed out by malloc and not yet freed (glibc's `mallinfo2`);
    /// 0 where the allocator cannot tell.
    public static var heapInUse: Int { Int(cretmpl_malloc_in_use()) }
}

extension ProcessMemory {
    /// Gives free heap pages back to the system (glibc's `malloc_trim`).
    @discardableResult
    public static func trim() -> Bool { cretmpl_malloc_trim() == 1 }
}
