/// A JSON syntax error (or a value Go's decoder rejects).
///
/// `message` is exactly the text Go's `encoding/json` reports (e.g.
/// `invalid character '}' looking for beginning of value`), so functions
/// such as `parseJSON` can surface it unchanged; the position is extra.
public struct JSONError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Go's message.
    public let message: String
    /// Byte offset of the offending byte (the input length at end of input).
    public let offset: Int
    /// 1-based line and column (in bytes) of `offset`.
    public let line: Int
    public let column: Int

    public init(message: String, offset: Int, line: Int, column: Int) {
        self.message = message
        self.offset = offset
        self.line = line
        self.column = column
    }

    /// `message (line L, column C)`.
    public var description: String { "\(message) (line \(line), column \(column))" }
}
