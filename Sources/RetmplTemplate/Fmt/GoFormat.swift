/// Go's `fmt` printing (plus `strconv` float formatting and quoting) for
/// template values, byte-for-byte as Go 1.26 prints them.
///
/// Channels, objects, functions and nested pointers print as addresses;
/// Go's addresses are not reproducible, so these are stable stand-ins.
public enum GoFormat {
    /// `fmt.Sprintf`.
    public static func sprintf(_ format: String, _ args: [TemplateValue]) -> String {
        var out: [UInt8] = []
        appendPrintf(format, args, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// A Go string value of the bytes `write` produces: `.string` when they
    /// are valid UTF-8, else `.bytes`, so invalid bytes survive as in Go.
    @inline(__always)
    public static func stringValue(_ write: (inout [UInt8]) -> Void) -> TemplateValue {
        var out: [UInt8] = []
        write(&out)
        if let s = String(validating: out, as: UTF8.self) { return .string(s) }
        return .bytes(out)
    }

    /// `fmt.Sprint`: a space between operands when neither side is a string.
    public static func sprint(_ args: [TemplateValue]) -> String {
        var out: [UInt8] = []
        appendSprint(args, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `fmt.Sprintln`: spaces between all operands and a trailing newline.
    public static func sprintln(_ args: [TemplateValue]) -> String {
        var out: [UInt8] = []
        appendSprintln(args, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `fmt.Appendf`: formats straight into `out`.
    public static func appendPrintf(_ format: String, _ args: [TemplateValue], to out: inout [UInt8]) {
        var format = format
        format.withUTF8 { f in
            // Fast path: plain `%s`/`%v`/`%d` of strings and ints, which is
            // what templates mostly use. Anything else hands over to the
            // full printer at the directive it cannot handle.
            let end = f.count
            var i = 0
            var argNum = 0
            while i < end {
                let last = i
                while i < end && f[i] != UInt8(ascii: "%") { i += 1 }
                if i > last {
                    out.append(contentsOf: UnsafeBufferPointer(rebasing: f[last..<i]))
                }
                if i >= end { break }
                if i + 1 < end {
                    let c = f[i + 1]
                    if c == UInt8(ascii: "%") {
                        out.append(c)
                        i += 2
                        continue
                    }
                    if argNum < args.count && appendSimpleDirective(c, args, argNum, to: &out) {
                        argNum += 1
                        i += 2
                        continue
                    }
                }
                return slowPrintf(f, args, from: i, argNum: argNum, to: &out)
            }
            if argNum < args.count {
                // Reports the unused arguments.
                slowPrintf(f, args, from: end, argNum: argNum, to: &out)
            }
        }
    }

    @inline(__always)
    private static func appendSimpleDirective(_ verb: UInt8, _ args: [TemplateValue], _ index: Int, to out: inout [UInt8]) -> Bool {
        if verb == UInt8(ascii: "s") || verb == UInt8(ascii: "v") {
            if case .string(let s) = args[index] {
                appendUTF8(s, to: &out)
                return true
            }
        }
        if verb == UInt8(ascii: "d") || verb == UInt8(ascii: "v") {
            if case .int(let v, _) = args[index] {
                appendInt(v, to: &out)
                return true
            }
        }
        return false
    }

    private static func slowPrintf(_ f: UnsafeBufferPointer<UInt8>, _ args: [TemplateValue], from start: Int, argNum: Int, to out: inout [UInt8]) {
        var printer = GoPrinter()
        swap(&printer.buf, &out)
        printer.doPrintf(f, args, from: start, argNum: argNum)
        swap(&printer.buf, &out)
    }

    /// Go's string `==`: the same bytes. Swift's `==` also equates
    /// canonically equivalent strings ("é" and "e\u{301}"), which Go does not.
    @inlinable
    public static func sameBytes(_ a: String, _ b: String) -> Bool {
        // Lengths first (O(1) for native strings), then 8 bytes at a time.
        // Inlinable, so callers in loops need not retain their strings.
        let n = a.utf8.count
        guard n == b.utf8.count else { return false }
        return withUTF8(a) { x in
            withUTF8(b) { y in
                guard let xp = x.baseAddress, let yp = y.baseAddress else { return true }
                var i = 0
                while i + 8 <= n {
                    if UnsafeRawPointer(xp + i).loadUnaligned(as: UInt64.self)
                        != UnsafeRawPointer(yp + i).loadUnaligned(as: UInt64.self) { return false }
                    i += 8
                }
                while i < n {
                    if xp[i] != yp[i] { return false }
                    i += 1
                }
                return true
            }
        }
    }

    @inline(__always)
    static func appendUTF8(_ s: String, to out: inout [UInt8]) {
        withUTF8(s) { out.append(contentsOf: $0) }
    }

    /// Calls `body` with the UTF-8 bytes of `s`: borrowed from native strings
    /// (no copy, no retain), from a copy only for bridged ones. The generic
    /// `utf8` sequence path costs ~100 ns for a 10-byte string.
    @inlinable @inline(__always)
    static func withUTF8<R>(_ s: String, _ body: (UnsafeBufferPointer<UInt8>) -> R) -> R {
        if let r = s.utf8.withContiguousStorageIfAvailable(body) { return r }
        var copy = s
        return copy.withUTF8(body)
    }

    @inline(__always)
    static func appendInt(_ v: Int64, to out: inout [UInt8]) {
        if v < 0 {
            out.append(UInt8(ascii: "-"))
            GoPrinter.appendDecimal(0 &- UInt64(bitPattern: v), to: &out)
        } else {
            GoPrinter.appendDecimal(UInt64(v), to: &out)
        }
    }

    /// `fmt.Append`.
    public static func appendSprint(_ args: [TemplateValue], to out: inout [UInt8]) {
        if args.count == 1 {
            appendValue(args[0], to: &out)
            return
        }
        var printer = GoPrinter()
        swap(&printer.buf, &out)
        printer.doPrint(args)
        swap(&printer.buf, &out)
    }

    /// `fmt.Appendln`.
    public static func appendSprintln(_ args: [TemplateValue], to out: inout [UInt8]) {
        var printer = GoPrinter()
        swap(&printer.buf, &out)
        printer.doPrintln(args)
        swap(&printer.buf, &out)
    }

    /// `%v` of one value: what text/template prints for `{{ x }}` once it
    /// has handled `<no value>` and pointer indirection itself.
    public static func appendValue(_ value: TemplateValue, to out: inout [UInt8]) {
        switch value {
        case .string(let s):
            appendUTF8(s, to: &out)
        case .bytes(let b):
            out.append(contentsOf: b)
        case .int(let v, _):
            appendInt(v, to: &out)
        case .uint(let v, _):
            GoPrinter.appendDecimal(v, to: &out)
        case .bool(let b):
            GoFloat.appendStatic(b ? "true" : "false", to: &out)
        default:
            var printer = GoPrinter()
            swap(&printer.buf, &out)
            printer.printArg(value, verb: 0x76)
            swap(&printer.buf, &out)
        }
    }

    /// `strconv.FormatFloat(v, format, precision, bitSize)`: `format` is one
    /// of `e E f g G b x X`; precision -1 gives the shortest digits that
    /// parse back to the same value at `bitSize` (32 or 64).
    public static func formatFloat(_ v: Double, format: UInt8, precision: Int, bitSize: Int) -> String {
        var out: [UInt8] = []
        appendFloat(v, format: format, precision: precision, bitSize: bitSize, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `strconv.AppendFloat`.
    public static func appendFloat(_ v: Double, format: UInt8, precision: Int, bitSize: Int, to out: inout [UInt8]) {
        GoFloat.append(v, fmt: format, prec: precision, bitSize: bitSize == 32 ? 32 : 64, to: &out)
    }

    /// `strconv.Quote`: a double-quoted Go string literal with Go's escapes
    /// for control and non-printable characters.
    public static func quote(_ s: String) -> String {
        var out: [UInt8] = []
        appendQuote(s, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// `strconv.AppendQuote`.
    public static func appendQuote(_ s: String, to out: inout [UInt8]) {
        var s = s
        s.withUTF8 { GoQuote.appendQuoted($0, quote: UInt8(ascii: "\""), asciiOnly: false, to: &out) }
    }

    /// `strconv.QuoteRune`: a single-quoted Go rune literal; invalid code
    /// points (surrogates, negative, past U+10FFFF) print as `'�'`.
    public static func quoteRune(_ r: Int32) -> String {
        var out: [UInt8] = []
        GoQuote.appendQuotedRune(r < 0 ? GoUTF8.runeError : UInt32(r), asciiOnly: false, to: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
