import Dispatch

/// A value that is set once and awaited by any number of tasks, each with
/// its own optional timeout.
///
/// The supervisor needs "wait for the exit, but at most the kill timeout"
/// and "sleep the splay, unless a stop comes first"; both are this one
/// primitive. Waiting never blocks a thread: a waiter is a continuation
/// resumed by `set`, by its timeout, or by task cancellation, whichever
/// comes first (exactly once).
final class ChildOneShot<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLockLite()
    private var value: Value?
    private var waiters: [UInt64: CheckedContinuation<Value?, Never>] = [:]
    private var nextWaiter: UInt64 = 0

    init() {}

    /// The value, if it has been set.
    var current: Value? { lock.withLock { value } }

    /// Sets the value and wakes every waiter; later calls are ignored.
    func set(_ newValue: Value) {
        let woken: [CheckedContinuation<Value?, Never>] = lock.withLock {
            guard value == nil else { return [] }
            value = newValue
            defer { waiters = [:] }
            return Array(waiters.values)
        }
        for waiter in woken { waiter.resume(returning: newValue) }
    }

    /// Waits for the value.
    ///
    /// - Parameter timeout: how long to wait at most; nil waits until the
    ///   value is set or the task is cancelled.
    /// - Returns: the value, or nil when the timeout expired or the task was
    ///   cancelled first.
    func wait(timeout: Duration?) async -> Value? {
        let id: UInt64 = lock.withLock {
            nextWaiter += 1
            return nextWaiter
        }
        return await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Value?, Never>) in
                let ready: Value?? = lock.withLock {
                    if let value { return .some(value) }
                    if Task.isCancelled { return .some(nil) }
                    waiters[id] = continuation
                    return nil
                }
                if let ready {
                    continuation.resume(returning: ready)
                    return
                }
                if let timeout {
                    let nanos = CommandRunner.nanoseconds(timeout)
                    DispatchQueue.global().asyncAfter(deadline: .now() + .nanoseconds(Int(clamping: nanos))) {
                        self.abandon(id)
                    }
                }
            }
        } onCancel: {
            abandon(id)
        }
    }

    /// Resumes waiter `id` with nil if it is still waiting.
    private func abandon(_ id: UInt64) {
        let waiter = lock.withLock { waiters.removeValue(forKey: id) }
        waiter?.resume(returning: nil)
    }
}
