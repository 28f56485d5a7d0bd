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
        var printer = GoPrinter()
        swap(&printer.buf, &out)
        var format = format
        format.withUTF8 { printer.doPrintf($0, args) }
        swap(&printer.buf, &out)
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
            out.append(contentsOf: s.utf8)
        case .int(let v, _):
            if v < 0 {
                out.append(UInt8(ascii: "-"))
                GoPrinter.appendDecimal(0 &- UInt64(bitPattern: v), to: &out)
            } else {
                GoPrinter.appendDecimal(UInt64(v), to: &out)
            }
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
