/// Go's `printArg`/`printValue`: how each kind of template value prints
/// under each verb, including the `%!verb(type=value)` error form.
extension GoPrinter {
    private static let verbV: UInt32 = 0x76

    /// Prints one operand (depth 0: a pointer to a struct prints as `&{…}`).
    mutating func printArg(_ value: TemplateValue, verb: UInt32) {
        if value.isNilInterface {
            if verb == 0x54 || verb == Self.verbV { // T, v
                padStatic("<nil>")
            } else {
                badVerb(verb, value)
            }
            return
        }
        switch verb {
        case 0x54: // T
            if let type = value.goType { fmtS(type.description) }
            return
        case 0x70: // p
            fmtPointer(value, verb: verb)
            return
        case 0x77: // w is only meaningful to Errorf.
            badVerb(verb, value)
            return
        default:
            break
        }
        // An unnamed []byte operand spells its type `[]byte` in %#v.
        if sharpV && verb == Self.verbV {
            if case .list(let l) = value, l.type == Self.byteSlice {
                printList(l, verb: verb, depth: 0, typeName: "[]byte")
                return
            }
            if case .null(let t) = value, t == Self.byteSlice {
                appendStatic("[]byte(nil)")
                return
            }
        }
        printValue(value, verb: verb, depth: 0)
    }

    private static let byteSlice: GoType = .slice(.uint(.uint8))

    mutating func printValue(_ value: TemplateValue, verb: UInt32, depth: Int) {
        switch value {
        case .noValue:
            printNilInterface(typeName: nil)
        case .null(let type):
            printNil(type, verb: verb, value: value)
        case .bool(let b):
            if verb == 0x74 || verb == Self.verbV { // t, v
                fmtBoolean(b)
            } else {
                badVerb(verb, value)
            }
        case .int(let v, _):
            printInteger(UInt64(bitPattern: v), signed: true, verb: verb, value: value)
        case .uint(let v, _):
            printInteger(v, signed: false, verb: verb, value: value)
        case .float(let v, let kind):
            printFloat(v, size: kind == .float32 ? 32 : 64, verb: verb, value: value)
        case .string(let s):
            var s = s
            s.withUTF8 { printString($0, verb: verb, value: value) }
        case .bytes(let b):
            b.withUnsafeBufferPointer { printString($0, verb: verb, value: value) }
        case .list(let l):
            printList(l, verb: verb, depth: depth, typeName: nil)
        case .map(let m):
            printMap(m, verb: verb, depth: depth)
        case .record(let r):
            if r.isPointer {
                // Pointers to structs are followed only at the top level (avoids cycles).
                if depth == 0 {
                    buf.append(UInt8(ascii: "&"))
                    printStruct(r, verb: verb, depth: depth + 1)
                } else {
                    fmtPointer(value, verb: verb)
                }
            } else {
                printStruct(r, verb: verb, depth: depth)
            }
        case .channel, .object, .function:
            fmtPointer(value, verb: verb)
        }
    }

    /// An element of a container whose static type is `staticType`: a nil
    /// there is a nil interface, printed with that interface's type in %#v.
    private mutating func printElement(_ value: TemplateValue, staticType: GoType, verb: UInt32, depth: Int) {
        switch value {
        case .noValue:
            if case .interface = staticType.underlying {
                printNilInterface(typeName: staticType)
            } else {
                printNilInterface(typeName: nil)
            }
        case .null(let t):
            if case .interface = t.underlying {
                printNilInterface(typeName: t)
            } else {
                printNil(t, verb: verb, value: value)
            }
        default:
            printValue(value, verb: verb, depth: depth)
        }
    }

    private mutating func printNilInterface(typeName: GoType?) {
        if sharpV {
            if let t = typeName { appendString(t.description) } else { appendStatic("interface {}") }
            appendStatic("(nil)")
        } else {
            appendStatic("<nil>")
        }
    }

    /// A typed nil: nil slice, map, pointer, channel or func.
    private mutating func printNil(_ type: GoType, verb: UInt32, value: TemplateValue) {
        switch type.underlying {
        case .interface:
            printNilInterface(typeName: type)
        case .slice(let elem):
            if Self.isByteVerb(verb), case .uint(.uint8) = elem.underlying {
                printBytes([], verb: verb)
                return
            }
            if sharpV {
                appendString(type.description)
                appendStatic("(nil)")
            } else {
                appendStatic("[]")
            }
        case .map:
            if sharpV {
                appendString(type.description)
                appendStatic("(nil)")
            } else {
                appendStatic("map[]")
            }
        case .pointer, .chan, .function:
            fmtPointer(value, verb: verb)
        default:
            appendStatic("<nil>")
        }
    }

    // MARK: Scalars

    /// Go's `pp.fmtInteger`: the verbs integers accept.
    private mutating func printInteger(_ v: UInt64, signed: Bool, verb: UInt32, value: TemplateValue) {
        switch verb {
        case Self.verbV:
            if sharpV && !signed {
                fmt0x64(v, leading0x: true)
            } else {
                fmtInteger(v, base: 10, signed: signed, verb: verb, upper: false)
            }
        case 0x64: fmtInteger(v, base: 10, signed: signed, verb: verb, upper: false) // d
        case 0x62: fmtInteger(v, base: 2, signed: signed, verb: verb, upper: false) // b
        case 0x6F, 0x4F: fmtInteger(v, base: 8, signed: signed, verb: verb, upper: false) // o O
        case 0x78: fmtInteger(v, base: 16, signed: signed, verb: verb, upper: false) // x
        case 0x58: fmtInteger(v, base: 16, signed: signed, verb: verb, upper: true) // X
        case 0x63: fmtC(v) // c
        case 0x71: fmtQc(v) // q
        case 0x55: fmtUnicode(v) // U
        default: badVerb(verb, value)
        }
    }

    /// Hexadecimal with or without 0x, regardless of the `#` flag.
    private mutating func fmt0x64(_ v: UInt64, leading0x: Bool) {
        let old = sharp
        sharp = leading0x
        fmtInteger(v, base: 16, signed: false, verb: Self.verbV, upper: false)
        sharp = old
    }

    private mutating func printFloat(_ v: Double, size: Int, verb: UInt32, value: TemplateValue) {
        switch verb {
        case Self.verbV:
            fmtFloat(v, size: size, verb: UInt8(ascii: "g"), defaultPrec: -1)
        case 0x62, 0x67, 0x47, 0x78, 0x58: // b g G x X
            fmtFloat(v, size: size, verb: UInt8(verb), defaultPrec: -1)
        case 0x66, 0x65, 0x45: // f e E
            fmtFloat(v, size: size, verb: UInt8(verb), defaultPrec: 6)
        case 0x46: // F
            fmtFloat(v, size: size, verb: UInt8(ascii: "f"), defaultPrec: 6)
        default:
            badVerb(verb, value)
        }
    }

    private mutating func printString(_ s: UnsafeBufferPointer<UInt8>, verb: UInt32, value: TemplateValue) {
        switch verb {
        case Self.verbV:
            if sharpV { fmtQ(s) } else { fmtS(s) }
        case 0x73: fmtS(s) // s
        case 0x78: fmtSbx(s, upper: false) // x
        case 0x58: fmtSbx(s, upper: true) // X
        case 0x71: fmtQ(s) // q
        default: badVerb(verb, value)
        }
    }

    // MARK: Composites

    private static func isByteVerb(_ verb: UInt32) -> Bool {
        verb == 0x73 || verb == 0x71 || verb == 0x78 || verb == 0x58 // s q x X
    }

    private mutating func printList(_ l: TemplateList, verb: UInt32, depth: Int, typeName: String?) {
        let elemType = l.elementType
        if Self.isByteVerb(verb), case .uint(.uint8) = elemType.underlying {
            // Byte slices and arrays print as text or hex for these verbs.
            let bytes = l.elements.map { e -> UInt8 in
                if case .uint(let u, _) = e { return UInt8(truncatingIfNeeded: u) }
                if case .int(let i, _) = e { return UInt8(truncatingIfNeeded: i) }
                return 0
            }
            printBytes(bytes, verb: verb)
            return
        }
        if sharpV {
            appendString(typeName ?? l.type.description)
            buf.append(UInt8(ascii: "{"))
            for (i, e) in l.elements.enumerated() {
                if i > 0 { appendStatic(", ") }
                printElement(e, staticType: elemType, verb: verb, depth: depth + 1)
            }
            buf.append(UInt8(ascii: "}"))
        } else {
            buf.append(UInt8(ascii: "["))
            for (i, e) in l.elements.enumerated() {
                if i > 0 { buf.append(UInt8(ascii: " ")) }
                printElement(e, staticType: elemType, verb: verb, depth: depth + 1)
            }
            buf.append(UInt8(ascii: "]"))
        }
    }

    /// Go's `fmtBytes` for the verbs that treat a byte slice as a unit.
    private mutating func printBytes(_ bytes: [UInt8], verb: UInt32) {
        bytes.withUnsafeBufferPointer { p in
            switch verb {
            case 0x73: fmtS(p) // s
            case 0x78: fmtSbx(p, upper: false) // x
            case 0x58: fmtSbx(p, upper: true) // X
            default: fmtQ(p) // q
            }
        }
    }

    private mutating func printMap(_ m: TemplateMap, verb: UInt32, depth: Int) {
        let keyType = m.keyType
        let valueType = m.valueType
        if sharpV {
            appendString(m.type.description)
            buf.append(UInt8(ascii: "{"))
        } else {
            appendStatic("map[")
        }
        for (i, entry) in m.entries.enumerated() {
            if i > 0 {
                if sharpV { appendStatic(", ") } else { buf.append(UInt8(ascii: " ")) }
            }
            printElement(entry.key.value(keyType: keyType), staticType: keyType, verb: verb, depth: depth + 1)
            buf.append(UInt8(ascii: ":"))
            printElement(entry.value, staticType: valueType, verb: verb, depth: depth + 1)
        }
        buf.append(sharpV ? UInt8(ascii: "}") : UInt8(ascii: "]"))
    }

    private mutating func printStruct(_ r: TemplateRecord, verb: UInt32, depth: Int) {
        if sharpV { appendString(r.type.name) }
        buf.append(UInt8(ascii: "{"))
        let fields = r.type.fields
        for i in 0..<min(fields.count, r.fields.count) {
            if i > 0 {
                if sharpV { appendStatic(", ") } else { buf.append(UInt8(ascii: " ")) }
            }
            if plusV || sharpV {
                appendString(fields[i].name)
                buf.append(UInt8(ascii: ":"))
            }
            printElement(r.fields[i], staticType: fields[i].type, verb: verb, depth: depth + 1)
        }
        buf.append(UInt8(ascii: "}"))
    }

    // MARK: Pointers and errors

    /// Go's `fmtPointer`: addresses of pointers, slices, maps, channels, funcs.
    private mutating func fmtPointer(_ value: TemplateValue, verb: UInt32) {
        guard let u = Self.address(of: value) else {
            badVerb(verb, value)
            return
        }
        switch verb {
        case Self.verbV:
            if sharpV {
                buf.append(UInt8(ascii: "("))
                if let t = value.goType { appendString(t.description) }
                appendStatic(")(")
                if u == 0 { appendStatic("nil") } else { fmt0x64(u, leading0x: true) }
                buf.append(UInt8(ascii: ")"))
            } else if u == 0 {
                padStatic("<nil>")
            } else {
                fmt0x64(u, leading0x: !sharp)
            }
        case 0x70: // p
            fmt0x64(u, leading0x: !sharp)
        case 0x62, 0x6F, 0x64, 0x78, 0x58: // b o d x X
            printInteger(u, signed: false, verb: verb, value: value)
        default:
            badVerb(verb, value)
        }
    }

    /// `%!verb(type=value)`, or `%!verb(<nil>)` for a nil interface.
    mutating func badVerb(_ verb: UInt32, _ value: TemplateValue) {
        appendStatic("%!")
        GoUTF8.append(verb, to: &buf)
        buf.append(UInt8(ascii: "("))
        if value.isNilInterface {
            appendStatic("<nil>")
        } else {
            appendTypeName(of: value)
            buf.append(UInt8(ascii: "="))
            printValue(value, verb: Self.verbV, depth: 0)
        }
        buf.append(UInt8(ascii: ")"))
    }

    mutating func appendTypeName(of value: TemplateValue) {
        if let t = value.goType { appendString(t.description) } else { appendStatic("<nil>") }
    }

    /// A stable stand-in for the address Go would print (Go's own addresses
    /// are not reproducible), or nil when the value is not pointer-like.
    static func address(of value: TemplateValue) -> UInt64? {
        switch value {
        case .null(let t):
            switch t.underlying {
            case .slice, .map, .pointer, .chan, .function: return 0
            default: return nil
            }
        case .list(let l):
            if case .slice = l.type.underlying { return heapAddress(l) }
            return nil
        case .map(let m):
            return heapAddress(m)
        case .record(let r):
            return r.isPointer ? heapAddress(r) : nil
        case .channel(let c):
            return heapAddress(c)
        case .object(let o):
            return heapAddress(o)
        case .function(let f):
            // Functions live in the text segment: a small address, stable per name.
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for b in f.name.utf8 {
                hash = (hash ^ UInt64(b)) &* 0x100_0000_01b3
            }
            return 0x40_0000 | (hash & 0xF_FFE0)
        default:
            return nil
        }
    }

    /// Go heap addresses look like 0xc000012345.
    private static func heapAddress(_ object: AnyObject) -> UInt64 {
        let bits = UInt64(UInt(bitPattern: ObjectIdentifier(object)))
        return 0xc0_0000_0000 | (bits & 0x0FFF_FFF0)
    }
}

extension TemplateValue {
    /// fmt sees an untyped nil: `noValue` or a nil interface value.
    var isNilInterface: Bool {
        switch self {
        case .noValue: return true
        case .null(let t):
            if case .interface = t.underlying { return true }
            return false
        default: return false
        }
    }
}
