/// A template error a user can act on: what went wrong and where.
///
/// `description` reads `file:line:col: message`, followed by the source line
/// and a caret under the column, e.g.
///
///     haproxy.ctmpl:12:9: function "servce" not defined (did you mean "service"?)
///        12 |     {{ servce "web" }}
///           |        ^
public struct TemplateError: Error, Sendable, CustomStringConvertible {
    public struct Kind: Sendable, Hashable, CustomStringConvertible {
        private enum Code: Sendable, Hashable { case parse, execution }
        private let code: Code
        /// The template text is malformed.
        public static let parse = Kind(code: .parse)
        /// Executing the template failed.
        public static let execution = Kind(code: .execution)
        public var description: String { code == .parse ? "parse" : "execute" }
    }

    public let kind: Kind
    /// The template's file name (or name) as given when parsing.
    public let name: String
    public let message: String
    /// 1-based line and column (column counts bytes, as Go does).
    public let line: Int
    public let column: Int
    /// The source line the error points into, without its newline.
    public let sourceLine: String
    /// The node being executed, as source (`<.Foo>`), for execution errors.
    public let context: String?

    init(kind: Kind, name: String, message: String, source: [UInt8], position: Int, context: String? = nil) {
        self.kind = kind
        self.name = name
        self.message = message
        self.context = context
        let p = max(0, min(position, source.count))
        let (line, _, lineStart) = source.withUnsafeBufferPointer { SourceLocation.locate(p, in: $0) }
        var lineEnd = p
        while lineEnd < source.count && source[lineEnd] != 0x0A { lineEnd += 1 }
        var shown = source[lineStart..<lineEnd]
        if shown.last == 0x0D { shown = shown.dropLast() }
        self.line = line
        self.column = p - lineStart + 1
        self.sourceLine = String(decoding: shown, as: UTF8.self)
    }

    /// `file:line:col: message` on one line.
    public var summary: String {
        var s = "\(name.isEmpty ? "<template>" : name):\(line):\(column): "
        if let c = context { s += "executing \(c): " }
        return s + message
    }

    public var description: String {
        let number = String(line)
        let pad = String(repeating: " ", count: number.count)
        // Long lines are cut to a window around the column.
        var bytes = Array(sourceLine.utf8)
        var caret = max(0, column - 1)
        if bytes.count > 160 {
            let start = max(0, min(caret - 60, bytes.count - 120))
            let end = min(bytes.count, start + 120)
            bytes = (start > 0 ? Array("...".utf8) : []) + bytes[start..<end] + (end < bytes.count ? Array("...".utf8) : [])
            caret = caret - start + (start > 0 ? 3 : 0)
        }
        // Tabs are kept so the caret lines up under the same column in a terminal.
        let prefix = bytes.prefix(caret).map { $0 == 0x09 ? "\t" : " " }.joined()
        return "\(summary)\n \(number) | \(String(decoding: bytes, as: UTF8.self))\n \(pad) | \(prefix)^"
    }
}
