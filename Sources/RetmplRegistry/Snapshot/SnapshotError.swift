/// A snapshot that cannot be loaded: malformed JSON, an unknown field, a
/// value of the wrong type, or a bad `now`. The message names the JSON path
/// (`snapshot: services.web[0].Prot: unknown field`).
public struct SnapshotError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}
