/// One cheap probe of the registry shared by every watch that is backing
/// off, so an outage costs the registry about one request a second however
/// many watches there are, and recovery is seen within a second rather than
/// after the longest backoff.
actor RecoveryProbe {
    private let reader: any RegistryReader
    private let interval: Duration
    private var waiters: [Int: CheckedContinuation<Void, Never>] = [:]
    private var cancelled: Set<Int> = []
    private var nextID = 0
    private var prober: Task<Void, Never>?
    /// Whether the last probe failed: watches then wait for the registry to
    /// come back instead of spending their own retries on it.
    private(set) var isDown = false

    init(reader: any RegistryReader, interval: Duration = .seconds(1)) {
        self.reader = reader
        self.interval = interval
    }

    /// Returns when a probe succeeds after having failed (the registry came
    /// back), or when the calling task is cancelled.
    func awaitRecovery() async {
        let id = nextID
        nextID += 1
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                register(id, continuation)
            }
        } onCancel: {
            Task { await self.cancel(id) }
        }
    }

    private func register(_ id: Int, _ continuation: CheckedContinuation<Void, Never>) {
        if cancelled.remove(id) != nil {
            continuation.resume()
            return
        }
        waiters[id] = continuation
        if prober == nil {
            prober = Task { await self.probeLoop() }
        }
    }

    private func cancel(_ id: Int) {
        if let waiter = waiters.removeValue(forKey: id) {
            waiter.resume()
        } else {
            cancelled.insert(id)
        }
    }

    private func probeLoop() async {
        while !waiters.isEmpty && !Task.isCancelled {
            do {
                try await reader.probe()
                if isDown {
                    isDown = false
                    let released = waiters.values
                    waiters.removeAll()
                    for waiter in released { waiter.resume() }
                }
            } catch {
                isDown = true
            }
            try? await Task.sleep(for: interval)
        }
        prober = nil
    }

    func stop() {
        prober?.cancel()
        prober = nil
        for waiter in waiters.values { waiter.resume() }
        waiters.removeAll()
    }
}
