import Foundation

/// Inputs of the runner's loop, queued from watch tasks and timers and taken
/// in batches, so a burst of changes renders once.
final class EventQueue<Event: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var events: [Event] = []
    private var waiter: CheckedContinuation<Void, Never>?
    private var woken = false

    func push(_ event: Event) {
        let w: CheckedContinuation<Void, Never>? = lock.withLock {
            events.append(event)
            return takeWaiter()
        }
        w?.resume()
    }

    /// Wakes the loop without an event (a timer fired, or cancellation).
    func wake() {
        let w: CheckedContinuation<Void, Never>? = lock.withLock {
            woken = true
            return takeWaiter()
        }
        w?.resume()
    }

    func drain() -> [Event] {
        lock.withLock {
            let out = events
            events.removeAll(keepingCapacity: true)
            woken = false
            return out
        }
    }

    /// Returns once an event is queued, ``wake()`` is called, or the task is cancelled.
    func wait() async {
        await withTaskCancellationHandler {
            await withCheckedContinuation { (c: CheckedContinuation<Void, Never>) in
                let ready: Bool = lock.withLock {
                    if !events.isEmpty || woken || Task.isCancelled { return true }
                    waiter = c
                    return false
                }
                if ready { c.resume() }
            }
        } onCancel: {
            wake()
        }
    }

    private func takeWaiter() -> CheckedContinuation<Void, Never>? {
        let w = waiter
        waiter = nil
        return w
    }
}
