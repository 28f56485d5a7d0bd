/// The seam between API clients and the network, so tests can swap in fakes.
public protocol HTTPTransport: Sendable {
    /// Sends `request` and waits for the whole response.
    ///
    /// `timeout` bounds the entire exchange. Cancelling the calling task ends the
    /// request at once and throws `CancellationError`.
    func send(_ request: HTTPRequest, timeout: Duration) async throws -> HTTPResponse
}
