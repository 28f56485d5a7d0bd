/// Line and column of a byte offset, computed only when an error is reported
/// (positions are byte offsets everywhere else).
public enum SourceLocation {
    /// 1-based line, 1-based byte column, and the offset where that line starts.
    public static func locate(_ offset: Int, in bytes: UnsafeBufferPointer<UInt8>) -> (line: Int, column: Int, lineStart: Int) {
        let end = max(0, min(offset, bytes.count))
        var line = 1
        var lineStart = 0
        var i = 0
        while i < end {
            if bytes[i] == 0x0A {
                line += 1
                lineStart = i + 1
            }
            i += 1
        }
        return (line, end - lineStart + 1, lineStart)
    }
}
