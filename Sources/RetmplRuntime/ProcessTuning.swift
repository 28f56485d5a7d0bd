import CRetmplSystem

/// Process-wide settings a long-running daemon wants; a library never
/// applies them on its own.
public enum ProcessTuning {
    /// Caps glibc's malloc arenas. Each blocking query runs its socket I/O on
    /// a short-lived thread, and glibc gives new threads arenas of their own
    /// (up to 8 per core), which were measured to grow RSS to ~1 GB with 300
    /// watched services; two arenas keep it near the data's size.
    public static func limitMallocArenas(_ count: Int32 = 2) {
        _ = cretmpl_limit_malloc_arenas(count)
    }
}
