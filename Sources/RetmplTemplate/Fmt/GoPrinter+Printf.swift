/// Go's `doPrintf`, `doPrint` and `doPrintln`: directive parsing, argument
/// indexes, `*` widths and the error texts for malformed directives.
extension GoPrinter {
    /// Largest width or precision fmt accepts (`tooLarge`).
    private static let maxNumber = 1_000_000

    /// Parses a decimal number in `f[start..<end]`.
    private static func parseNumber(_ f: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> (num: Int, isNum: Bool, next: Int) {
        if start >= end { return (0, false, end) }
        var num = 0
        var isNum = false
        var i = start
        while i < end && f[i] >= UInt8(ascii: "0") && f[i] <= UInt8(ascii: "9") {
            if num > maxNumber || num < -maxNumber {
                // Overflow: a crazy long number.
                return (0, false, end)
            }
            num = num * 10 + Int(f[i] - UInt8(ascii: "0"))
            isNum = true
            i += 1
        }
        return (num, isNum, i)
    }

    /// The value of the bracketed number at `f[i]` (one-based in the text,
    /// zero-based in the result) and the bytes to consume.
    private static func parseArgNumber(_ f: UnsafeBufferPointer<UInt8>, _ i: Int) -> (index: Int, width: Int, ok: Bool) {
        let n = f.count - i
        if n < 3 { return (0, 1, false) }
        var j = 1
        while j < n {
            if f[i + j] == UInt8(ascii: "]") {
                let (num, ok, next) = parseNumber(f, i + 1, i + j)
                if !ok || next != i + j {
                    return (0, j + 1, false)
                }
                return (num - 1, j + 1, true)
            }
            j += 1
        }
        return (0, 1, false)
    }

    /// The argument to use next: `argNum`, or the index written at `f[i]`.
    private mutating func argNumber(_ argNum: Int, _ f: UnsafeBufferPointer<UInt8>, _ i: Int, _ numArgs: Int) -> (argNum: Int, i: Int, found: Bool) {
        guard i < f.count, f[i] == UInt8(ascii: "[") else { return (argNum, i, false) }
        reordered = true
        let (index, width, ok) = Self.parseArgNumber(f, i)
        if ok && index >= 0 && index < numArgs {
            return (index, i + width, true)
        }
        goodArgNum = false
        return (argNum, i + width, ok)
    }

    /// A `*` width or precision taken from an integer argument.
    private static func intFromArg(_ args: [TemplateValue], _ argNum: Int) -> (num: Int, isInt: Bool, next: Int) {
        guard argNum < args.count else { return (0, false, argNum) }
        var num = 0
        var isInt = false
        switch args[argNum] {
        case .int(let v, _):
            num = Int(v)
            isInt = true
        case .uint(let v, _):
            if v <= UInt64(Int.max) {
                num = Int(v)
                isInt = true
            }
        default:
            break
        }
        if num > maxNumber || num < -maxNumber {
            num = 0
            isInt = false
        }
        return (num, isInt, argNum + 1)
    }

    /// Sets `sharpV`/`plusV` for a `v` verb: `%#v` and `%+v` are distinct
    /// flagless formats rather than flags on `%v`.
    @inline(__always)
    private mutating func enterVerbV() {
        sharpV = sharp
        sharp = false
        plusV = plus
        plus = false
    }

    /// Formats `f[start...]`, the first `argNum` arguments having been
    /// consumed already by simple directives (no indexes) before `start`.
    mutating func doPrintf(_ f: UnsafeBufferPointer<UInt8>, _ args: [TemplateValue], from start: Int = 0, argNum firstArg: Int = 0) {
        let end = f.count
        var argNum = firstArg
        var afterIndex = false
        reordered = false
        var i = start
        formatLoop: while i < end {
            goodArgNum = true
            let last = i
            while i < end && f[i] != UInt8(ascii: "%") { i += 1 }
            if i > last {
                buf.append(contentsOf: UnsafeBufferPointer(rebasing: f[last..<i]))
            }
            if i >= end { break }
            i += 1

            clearFlags()
            simpleFormat: while i < end {
                let c = f[i]
                switch c {
                case UInt8(ascii: "#"): sharp = true
                case UInt8(ascii: "0"): zero = true
                case UInt8(ascii: "+"): plus = true
                case UInt8(ascii: "-"): minus = true
                case UInt8(ascii: " "): space = true
                default:
                    // Fast path: a lower-case verb with no width, precision or index.
                    if c >= UInt8(ascii: "a") && c <= UInt8(ascii: "z") && argNum < args.count {
                        if c == UInt8(ascii: "v") || c == UInt8(ascii: "w") { enterVerbV() }
                        printArg(args[argNum], verb: UInt32(c))
                        argNum += 1
                        i += 1
                        continue formatLoop
                    }
                    break simpleFormat
                }
                i += 1
            }

            // Explicit argument index?
            (argNum, i, afterIndex) = argNumber(argNum, f, i, args.count)

            // Width.
            if i < end && f[i] == UInt8(ascii: "*") {
                i += 1
                (wid, widPresent, argNum) = Self.intFromArg(args, argNum)
                if !widPresent {
                    appendStatic("%!(BADWIDTH)")
                }
                // A negative width means left-justify.
                if wid < 0 {
                    wid = -wid
                    minus = true
                    zero = false
                }
                afterIndex = false
            } else {
                (wid, widPresent, i) = Self.parseNumber(f, i, end)
                if afterIndex && widPresent { // "%[3]2d"
                    goodArgNum = false
                }
            }

            // Precision.
            if i + 1 < end && f[i] == UInt8(ascii: ".") {
                i += 1
                if afterIndex { // "%[3].2d"
                    goodArgNum = false
                }
                (argNum, i, afterIndex) = argNumber(argNum, f, i, args.count)
                if i < end && f[i] == UInt8(ascii: "*") {
                    i += 1
                    (prec, precPresent, argNum) = Self.intFromArg(args, argNum)
                    if prec < 0 {
                        prec = 0
                        precPresent = false
                    }
                    if !precPresent {
                        appendStatic("%!(BADPREC)")
                    }
                    afterIndex = false
                } else {
                    (prec, precPresent, i) = Self.parseNumber(f, i, end)
                    if !precPresent {
                        prec = 0
                        precPresent = true
                    }
                }
            }

            if !afterIndex {
                (argNum, i, afterIndex) = argNumber(argNum, f, i, args.count)
            }

            if i >= end {
                appendStatic("%!(NOVERB)")
                break
            }

            let (verb, size) = GoUTF8.decode(f, i)
            i += size

            if verb == 0x25 { // '%' absorbs no operand and ignores width and precision.
                buf.append(UInt8(ascii: "%"))
            } else if !goodArgNum {
                appendStatic("%!")
                GoUTF8.append(verb, to: &buf)
                appendStatic("(BADINDEX)")
            } else if argNum >= args.count {
                appendStatic("%!")
                GoUTF8.append(verb, to: &buf)
                appendStatic("(MISSING)")
            } else {
                if verb == 0x76 || verb == 0x77 { enterVerbV() } // v, w
                printArg(args[argNum], verb: verb)
                argNum += 1
            }
        }

        // Unused arguments, unless indexes made that too hard to tell.
        if !reordered && argNum < args.count {
            clearFlags()
            appendStatic("%!(EXTRA ")
            for (k, arg) in args[argNum...].enumerated() {
                if k > 0 { appendStatic(", ") }
                if arg.isNilInterface {
                    appendStatic("<nil>")
                } else {
                    appendTypeName(of: arg)
                    buf.append(UInt8(ascii: "="))
                    printArg(arg, verb: 0x76)
                }
            }
            buf.append(UInt8(ascii: ")"))
        }
    }

    /// `fmt.Print`: a space between operands when neither is a string.
    mutating func doPrint(_ args: [TemplateValue]) {
        var prevString = false
        for (k, arg) in args.enumerated() {
            let isString: Bool
            switch arg {
            case .string, .bytes: isString = true
            default: isString = false
            }
            if k > 0 && !isString && !prevString {
                buf.append(UInt8(ascii: " "))
            }
            clearFlags()
            printArg(arg, verb: 0x76)
            prevString = isString
        }
    }

    /// `fmt.Println`: spaces between all operands and a final newline.
    mutating func doPrintln(_ args: [TemplateValue]) {
        for (k, arg) in args.enumerated() {
            if k > 0 { buf.append(UInt8(ascii: " ")) }
            clearFlags()
            printArg(arg, verb: 0x76)
        }
        buf.append(UInt8(ascii: "\n"))
    }
}
