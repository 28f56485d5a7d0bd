/// A lexical token of the template language.
struct Token: Sendable {
    enum Kind: Sendable, Equatable {
        case error, bool, char, charConstant, comment, assign, declare, eof, field, identifier
        case leftDelim, leftParen, number, pipe, rawString, rightDelim, rightParen, space, string, text
        case variable
        // Keywords.
        case block, breakKeyword, continueKeyword, dot, define, elseKeyword, end, ifKeyword
        case nilKeyword, range, template, with
    }
    var kind: Kind
    /// Byte offset of the token in the source.
    var pos: Int
    /// Byte range of the token's text.
    var start: Int
    var end: Int
    /// For `.error`, the message.
    var message: String = ""
}

/// A pull lexer over UTF-8 bytes, following Go's `text/template/parse/lex.go`:
/// the parser asks for one token at a time (Go 1.20 dropped its goroutine
/// lexer for the same reason: it is faster).
struct Lexer {
    let input: [UInt8]
    let leftDelim: [UInt8]
    let rightDelim: [UInt8]
    private var pos = 0
    private var start = 0
    private var insideAction = false
    private var parenDepth = 0
    private var pending: [Token] = []
    private var finished = false

    private static let leftComment: [UInt8] = Array("/*".utf8)
    private static let rightComment: [UInt8] = Array("*/".utf8)

    init(input: [UInt8], leftDelim: String, rightDelim: String) {
        self.input = input
        self.leftDelim = Array((leftDelim.isEmpty ? "{{" : leftDelim).utf8)
        self.rightDelim = Array((rightDelim.isEmpty ? "}}" : rightDelim).utf8)
    }

    func text(_ t: Token) -> String {
        String(decoding: input[t.start..<t.end], as: UTF8.self)
    }

    mutating func next() -> Token {
        if !pending.isEmpty { return pending.removeFirst() }
        if finished { return Token(kind: .eof, pos: input.count, start: input.count, end: input.count) }
        while pending.isEmpty && !finished {
            if insideAction { lexInsideAction() } else { lexText() }
        }
        if pending.isEmpty { return Token(kind: .eof, pos: input.count, start: input.count, end: input.count) }
        return pending.removeFirst()
    }

    // MARK: - helpers

    private func hasPrefix(_ p: [UInt8], at i: Int) -> Bool {
        if i < 0 || i + p.count > input.count { return false }
        var k = 0
        while k < p.count {
            if input[i + k] != p[k] { return false }
            k += 1
        }
        return true
    }

    private func find(_ p: [UInt8], from: Int) -> Int? {
        guard !p.isEmpty, input.count >= p.count else { return nil }
        let first = p[0]
        var i = from
        let last = input.count - p.count
        while i <= last {
            if input[i] == first && hasPrefix(p, at: i) { return i }
            i += 1
        }
        return nil
    }

    static func isSpace(_ b: UInt8) -> Bool { b == 0x20 || b == 0x09 || b == 0x0D || b == 0x0A }

    private func byte(_ i: Int) -> UInt8? { i < input.count ? input[i] : nil }

    private func hasLeftTrimMarker(at i: Int) -> Bool {
        i + 1 < input.count && input[i] == UInt8(ascii: "-") && Lexer.isSpace(input[i + 1])
    }

    private func hasRightTrimMarker(at i: Int) -> Bool {
        i >= 0 && i + 1 < input.count && Lexer.isSpace(input[i]) && input[i + 1] == UInt8(ascii: "-")
    }

    private mutating func emit(_ kind: Token.Kind) {
        pending.append(Token(kind: kind, pos: start, start: start, end: pos))
        start = pos
    }

    private mutating func emitError(_ message: String) {
        pending.append(Token(kind: .error, pos: start, start: start, end: pos, message: message))
        finished = true
    }

    /// Decodes the scalar at `i`; returns it and its byte length (invalid bytes decode as U+FFFD, length 1).
    private func scalar(at i: Int) -> (Unicode.Scalar, Int) {
        guard i < input.count else { return ("\0", 0) }
        let b0 = input[i]
        if b0 < 0x80 { return (Unicode.Scalar(b0), 1) }
        var it = input[i...].makeIterator()
        var dec = UTF8()
        switch dec.decode(&it) {
        case .scalarValue(let s):
            return (s, UTF8.width(s))
        default:
            return ("\u{FFFD}", 1)
        }
    }

    static func isAlphaNumeric(_ s: Unicode.Scalar) -> Bool {
        if s.isASCII {
            let v = s.value
            return v == 0x5F || (v >= 0x30 && v <= 0x39) || (v >= 0x41 && v <= 0x5A) || (v >= 0x61 && v <= 0x7A)
        }
        switch s.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .decimalNumber:
            return true
        default:
            return false
        }
    }

    // MARK: - states

    private mutating func lexText() {
        if let x = find(leftDelim, from: pos) {
            if x > pos {
                var textEnd = x
                let delimEnd = x + leftDelim.count
                if hasLeftTrimMarker(at: delimEnd) {
                    while textEnd > start && Lexer.isSpace(input[textEnd - 1]) { textEnd -= 1 }
                }
                if textEnd > start {
                    pending.append(Token(kind: .text, pos: start, start: start, end: textEnd))
                }
                pos = x
                start = x
            }
            lexLeftDelim()
            return
        }
        pos = input.count
        if pos > start { emit(.text) }
        emit(.eof)
        finished = true
    }

    private mutating func lexLeftDelim() {
        pos += leftDelim.count
        let trim = hasLeftTrimMarker(at: pos)
        let afterMarker = trim ? 2 : 0
        if hasPrefix(Lexer.leftComment, at: pos + afterMarker) {
            pos += afterMarker
            start = pos
            lexComment()
            return
        }
        emit(.leftDelim)
        insideAction = true
        pos += afterMarker
        start = pos
        parenDepth = 0
    }

    private func atRightDelim() -> (delim: Bool, trim: Bool) {
        if hasRightTrimMarker(at: pos) && hasPrefix(rightDelim, at: pos + 2) { return (true, true) }
        if hasPrefix(rightDelim, at: pos) { return (true, false) }
        return (false, false)
    }

    private mutating func lexComment() {
        pos += Lexer.leftComment.count
        guard let x = find(Lexer.rightComment, from: pos) else {
            emitError("unclosed comment")
            return
        }
        pos = x + Lexer.rightComment.count
        let (delim, trim) = atRightDelim()
        if !delim {
            emitError("comment ends before closing delimiter")
            return
        }
        if trim { pos += 2 }
        pos += rightDelim.count
        if trim { while pos < input.count && Lexer.isSpace(input[pos]) { pos += 1 } }
        start = pos
    }

    private mutating func lexRightDelim() {
        let (_, trim) = atRightDelim()
        if trim {
            pos += 2
            start = pos
        }
        pos += rightDelim.count
        emit(.rightDelim)
        if trim {
            while pos < input.count && Lexer.isSpace(input[pos]) { pos += 1 }
            start = pos
        }
        insideAction = false
    }

    private mutating func lexInsideAction() {
        let (delim, _) = atRightDelim()
        if delim {
            if parenDepth == 0 {
                lexRightDelim()
            } else {
                emitError("unclosed left paren")
            }
            return
        }
        guard pos < input.count else {
            emitError("unclosed action")
            return
        }
        let (r, w) = scalar(at: pos)
        let c = input[pos]
        if Lexer.isSpace(c) {
            lexSpace()
            return
        }
        pos += w
        switch c {
        case UInt8(ascii: "="): emit(.assign)
        case UInt8(ascii: ":"):
            if byte(pos) != UInt8(ascii: "=") {
                if pos < input.count { pos += 1 }
                emitError("expected :=")
                return
            }
            pos += 1
            emit(.declare)
        case UInt8(ascii: "|"): emit(.pipe)
        case UInt8(ascii: "\""): lexQuote()
        case UInt8(ascii: "`"): lexRawQuote()
        case UInt8(ascii: "$"): lexVariable()
        case UInt8(ascii: "'"): lexChar()
        case UInt8(ascii: "."):
            if let n = byte(pos), n >= UInt8(ascii: "0") && n <= UInt8(ascii: "9") {
                pos -= 1
                lexNumber()
            } else {
                lexFieldOrVariable(.field)
            }
        case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            pos -= 1
            lexNumber()
        case UInt8(ascii: "("):
            parenDepth += 1
            emit(.leftParen)
        case UInt8(ascii: ")"):
            parenDepth -= 1
            if parenDepth < 0 {
                emitError("unexpected right paren")
                return
            }
            emit(.rightParen)
        default:
            if Lexer.isAlphaNumeric(r) {
                pos -= w
                lexIdentifier()
            } else if r.isASCII && r.value >= 0x20 && r.value < 0x7F {
                emit(.char)
            } else {
                emitError("unrecognized character in action: \(Lexer.describe(r))")
            }
        }
    }

    /// Go's `%#U`: `U+0001` or `U+00E9 'é'`.
    static func describe(_ r: Unicode.Scalar) -> String {
        var hex = String(r.value, radix: 16, uppercase: true)
        while hex.count < 4 { hex = "0" + hex }
        let printable = r.properties.generalCategory != .control && r.properties.generalCategory != .format
            && r.properties.generalCategory != .unassigned && r.value != 0xFFFD || r.value == 0xFFFD
        return printable && r.value >= 0x20 ? "U+\(hex) '\(Character(r))'" : "U+\(hex)"
    }

    private mutating func lexSpace() {
        var numSpaces = 0
        while pos < input.count && Lexer.isSpace(input[pos]) {
            pos += 1
            numSpaces += 1
        }
        if hasRightTrimMarker(at: pos - 1) && hasPrefix(rightDelim, at: pos - 1 + 2) {
            pos -= 1
            if numSpaces == 1 {
                lexRightDelim()
                return
            }
        }
        emit(.space)
    }

    private func atTerminator() -> Bool {
        guard pos < input.count else { return true }
        let c = input[pos]
        if Lexer.isSpace(c) { return true }
        switch c {
        case UInt8(ascii: "."), UInt8(ascii: ","), UInt8(ascii: "|"), UInt8(ascii: ":"), UInt8(ascii: ")"), UInt8(ascii: "("):
            return true
        default:
            return hasPrefix(rightDelim, at: pos)
        }
    }

    /// Consumes letters and digits; false (with an error emitted) when the
    /// word is not followed by a terminator.
    private mutating func scanWord() -> Bool {
        while pos < input.count {
            let (r, w) = scalar(at: pos)
            if !Lexer.isAlphaNumeric(r) { break }
            pos += w
        }
        if atTerminator() { return true }
        let (r, w) = scalar(at: pos)
        pos += w
        emitError("bad character \(Lexer.describe(r))")
        return false
    }

    private mutating func lexIdentifier() {
        guard scanWord() else { return }
        let word = input[start..<pos]
        if let kw = Lexer.keyword(word) {
            emit(kw)
        } else if word.elementsEqual("true".utf8) || word.elementsEqual("false".utf8) {
            emit(.bool)
        } else {
            emit(.identifier)
        }
    }

    private static func keyword(_ w: ArraySlice<UInt8>) -> Token.Kind? {
        switch String(decoding: w, as: UTF8.self) {
        case "block": return .block
        case "break": return .breakKeyword
        case "continue": return .continueKeyword
        case "define": return .define
        case "else": return .elseKeyword
        case "end": return .end
        case "if": return .ifKeyword
        case "range": return .range
        case "nil": return .nilKeyword
        case "template": return .template
        case "with": return .with
        default: return nil
        }
    }

    private mutating func lexVariable() {
        if atTerminator() {
            emit(.variable)
            return
        }
        lexFieldOrVariable(.variable)
    }

    private mutating func lexFieldOrVariable(_ kind: Token.Kind) {
        if atTerminator() {
            emit(kind == .variable ? .variable : .dot)
            return
        }
        guard scanWord() else { return }
        emit(kind)
    }

    private mutating func lexChar() {
        lexQuoted(closing: UInt8(ascii: "'"), kind: .charConstant, error: "unterminated character constant")
    }

    private mutating func accept(_ set: String) -> Bool {
        if pos < input.count && set.utf8.contains(input[pos]) {
            pos += 1
            return true
        }
        return false
    }

    private mutating func acceptRun(_ set: String) {
        while pos < input.count && set.utf8.contains(input[pos]) { pos += 1 }
    }

    private mutating func scanNumber() -> Bool {
        _ = accept("+-")
        var digits = "0123456789_"
        if accept("0") {
            if accept("xX") {
                digits = "0123456789abcdefABCDEF_"
            } else if accept("oO") {
                digits = "01234567_"
            } else if accept("bB") {
                digits = "01_"
            }
        }
        acceptRun(digits)
        if accept(".") { acceptRun(digits) }
        if digits.utf8.count == 11 && accept("eE") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        if digits.utf8.count == 23 && accept("pP") {
            _ = accept("+-")
            acceptRun("0123456789_")
        }
        _ = accept("i")
        if pos < input.count {
            let (r, w) = scalar(at: pos)
            if Lexer.isAlphaNumeric(r) {
                pos += w
                return false
            }
        }
        return true
    }

    private mutating func lexNumber() {
        if !scanNumber() {
            emitError("bad number syntax: \(GoFormat.quote(String(decoding: input[start..<pos], as: UTF8.self)))")
            return
        }
        if let s = byte(pos), s == UInt8(ascii: "+") || s == UInt8(ascii: "-") {
            if !scanNumber() || input[pos - 1] != UInt8(ascii: "i") {
                emitError("bad number syntax: \(GoFormat.quote(String(decoding: input[start..<pos], as: UTF8.self)))")
                return
            }
            emit(.number)  // complex: rejected by the number parser
            return
        }
        emit(.number)
    }

    private mutating func lexQuote() {
        lexQuoted(closing: UInt8(ascii: "\""), kind: .string, error: "unterminated quoted string")
    }

    /// A quoted literal up to `closing`, with backslash escapes; a newline or EOF ends it in error.
    private mutating func lexQuoted(closing: UInt8, kind: Token.Kind, error: String) {
        while true {
            guard pos < input.count else {
                emitError(error)
                return
            }
            let c = input[pos]
            pos += 1
            if c == UInt8(ascii: "\\") {
                if pos < input.count && input[pos] != 0x0A {
                    pos += 1
                    continue
                }
                emitError(error)
                return
            }
            if c == 0x0A {
                emitError(error)
                return
            }
            if c == closing { break }
        }
        emit(kind)
    }

    private mutating func lexRawQuote() {
        while true {
            guard pos < input.count else {
                emitError("unterminated raw quoted string")
                return
            }
            let c = input[pos]
            pos += 1
            if c == UInt8(ascii: "`") { break }
        }
        emit(.rawString)
    }
}
