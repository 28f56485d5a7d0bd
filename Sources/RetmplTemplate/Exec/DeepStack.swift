#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs deeply recursive work on a thread with a large stack.
///
/// Parsing and executing recurse with the template's nesting (and with
/// `template` calls). Go's goroutine stacks grow; a thread's does not, and a
/// caller may be on a small-stack thread. Templates that could nest deeply
/// run here, with a stack sized for the language's depth limits, so deep
/// input is an error value and never a stack overflow. The stack is reserved
/// address space; only the pages actually used are committed.
enum DeepStack {
    static let stackSize = 1 << 30

    /// The work and its result travel to the thread in one reference.
    final class Job: @unchecked Sendable {
        let body: () -> Void
        init(_ body: @escaping () -> Void) { self.body = body }
    }

    final class Slot<R>: @unchecked Sendable {
        var value: R?
    }

    static func run<R>(_ work: @escaping () -> R) -> R {
        let slot = Slot<R>()
        runJob(Job { slot.value = work() })
        if let v = slot.value { return v }
        // No thread could be made: run inline (the depth limits still apply).
        return work()
    }

    private static func runJob(_ job: Job) {
        var attr = pthread_attr_t()
        pthread_attr_init(&attr)
        defer { pthread_attr_destroy(&attr) }
        pthread_attr_setstacksize(&attr, stackSize)
        let arg = Unmanaged.passRetained(job).toOpaque()
        var thread = pthread_t()
        if pthread_create(&thread, &attr, deepStackEntry, arg) != 0 {
            Unmanaged<Job>.fromOpaque(arg).release()
            return
        }
        pthread_join(thread, nil)
    }
}

private func deepStackEntry(_ raw: UnsafeMutableRawPointer?) -> UnsafeMutableRawPointer? {
    guard let raw else { return nil }
    Unmanaged<DeepStack.Job>.fromOpaque(raw).takeRetainedValue().body()
    return nil
}
