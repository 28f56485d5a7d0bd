/// The quiescence timer of one template: a render is due `min` after the
/// latest change, or `max` after the first one, whichever comes first.
/// Each template has its own, so changes to data another template uses
/// never push this one's render back (consul-template shares the timer).
struct Quiescence {
    private(set) var firstChange: ContinuousClock.Instant?
    private(set) var lastChange: ContinuousClock.Instant?

    mutating func change(at now: ContinuousClock.Instant) {
        if firstChange == nil { firstChange = now }
        lastChange = now
    }

    /// When the pending change should render; nil when nothing is pending.
    func deadline(_ window: WaitWindow?) -> ContinuousClock.Instant? {
        guard let firstChange, let lastChange else { return nil }
        guard let window else { return lastChange }
        return Swift.min(lastChange + window.min, firstChange + window.max)
    }

    mutating func reset() {
        firstChange = nil
        lastChange = nil
    }
}
