/// A read position over a file's bytes that keeps its line and column, shared
/// by the HCL lexer and the JSON parser.
struct SourceCursor {
    let bytes: [UInt8]
    let path: String
    private(set) var offset = 0
    private var line = 1
    private var lineStart = 0

    init(_ bytes: [UInt8], path: String) {
        self.bytes = bytes
        self.path = path
    }

    var atEnd: Bool { offset >= bytes.count }
    var position: ConfigPosition { ConfigPosition(line: line, column: offset - lineStart + 1) }

    /// The byte `ahead` places on, or nil past the end.
    func peek(_ ahead: Int = 0) -> UInt8? {
        let i = offset + ahead
        return i < bytes.count ? bytes[i] : nil
    }

    /// Moves one byte on, counting lines.
    mutating func advance() {
        guard offset < bytes.count else { return }
        if bytes[offset] == UInt8(ascii: "\n") {
            line += 1
            lineStart = offset + 1
        }
        offset += 1
    }

    mutating func advance(by n: Int) {
        for _ in 0..<n { advance() }
    }

    func error(_ message: String, at position: ConfigPosition) -> ConfigError {
        ConfigError(path: path, at: position, message)
    }

    func error(_ message: String) -> ConfigError {
        ConfigError(path: path, at: position, message)
    }
}

extension UInt8 {
    var isASCIIDigit: Bool { self >= 0x30 && self <= 0x39 }
    var isASCIILetter: Bool { (self | 0x20) >= 0x61 && (self | 0x20) <= 0x7A }
    var isHexDigit: Bool { isASCIIDigit || ((self | 0x20) >= 0x61 && (self | 0x20) <= 0x66) }
    var hexValue: UInt32 {
        isASCIIDigit ? UInt32(self - 0x30) : UInt32((self | 0x20) - 0x61 + 10)
    }
}

/// A printable form of a byte for "unexpected character" messages.
func describeByte(_ b: UInt8) -> String {
    if b >= 0x20 && b < 0x7F { return "'\(Character(Unicode.Scalar(b)))'" }
    return "byte 0x" + String(b, radix: 16, uppercase: true)
}
