import RetmplTemplate

/// `add subtract multiply divide modulo minimum maximum`.
///
/// consul-template's math functions take `(b, a)` and compute `a OP b`, so
/// the piped value is the left operand: `{{ 10 | subtract 3 }}` is 7.
/// Results: float64 when either operand is a float, uint64 when both are
/// unsigned (wrapping), int64 otherwise.
enum MathFunctions {
    static let all: [TemplateFunction] = [
        arith("add", .add),
        arith("subtract", .subtract),
        arith("multiply", .multiply),
        arith("divide", .divide),
        TemplateFunction("modulo", [.interface, .interface]) { a, _ in try modulo(a[0], a[1]) },
        pick("minimum", wantLess: true),
        pick("maximum", wantLess: false),
    ]

    enum Op { case add, subtract, multiply, divide }

    /// A numeric operand: its family and value.
    enum Number {
        case int(Int64)
        case uint(UInt64)
        case float(Double)

        var asFloat: Double {
            switch self {
            case .int(let v): return Double(v)
            case .uint(let v): return Double(v)
            case .float(let v): return v
            }
        }

        var asInt: Int64 {
            switch self {
            case .int(let v): return v
            case .uint(let v): return Int64(truncatingIfNeeded: v)
            case .float(let v): return Int64(v)
            }
        }

        var isFloat: Bool { if case .float = self { return true } else { return false } }
    }

    static func number(_ v: TemplateValue) -> Number? {
        switch v {
        case .int(let i, _): return .int(i)
        case .uint(let u, _): return .uint(u)
        case .float(let f, _): return .float(f)
        default: return nil
        }
    }

    /// Validates both operands; `b` is the first argument, `a` the second (piped) one.
    static func operands(_ name: String, _ b: TemplateValue, _ a: TemplateValue, allowFloat: Bool) throws -> (Number, Number) {
        func check(_ v: TemplateValue) throws -> Number {
            if let n = number(v), allowFloat || !n.isFloat { return n }
            throw TemplateFunctionError("\(name): unknown type for \(GoFormat.quoteVerb(v)) (\(v.goTypeName))")
        }
        let na = try check(a)
        let nb = try check(b)
        return (na, nb)
    }

    static func arith(_ name: String, _ op: Op) -> TemplateFunction {
        TemplateFunction(name, [.interface, .interface]) { args, _ in
            let (x, y) = try operands(name, args[0], args[1], allowFloat: true)
            switch (x, y) {
            case (.float, _), (_, .float):
                let p = x.asFloat, q = y.asFloat
                switch op {
                case .add: return .float(p + q, .float64)
                case .subtract: return .float(p - q, .float64)
                case .multiply: return .float(p * q, .float64)
                case .divide: return .float(p / q, .float64)
                }
            case (.uint(let p), .uint(let q)):
                switch op {
                case .add: return .uint(p &+ q, .uint64)
                case .subtract: return .uint(p &- q, .uint64)
                case .multiply: return .uint(p &* q, .uint64)
                case .divide:
                    if q == 0 { throw divideByZero }
                    return .uint(p / q, .uint64)
                }
            default:
                let p = x.asInt, q = y.asInt
                switch op {
                case .add: return .int(p &+ q, .int64)
                case .subtract: return .int(p &- q, .int64)
                case .multiply: return .int(p &* q, .int64)
                case .divide:
                    if q == 0 { throw divideByZero }
                    // Go's MinInt64 / -1 wraps to MinInt64.
                    return .int(q == -1 ? 0 &- p : p / q, .int64)
                }
            }
        }
    }

    /// Go panics; text/template reports the recovered runtime error.
    static let divideByZero = TemplateFunctionError("runtime error: integer divide by zero")

    static func modulo(_ b: TemplateValue, _ a: TemplateValue) throws -> TemplateValue {
        let (x, y) = try operands("modulo", b, a, allowFloat: false)
        if case .uint(let p) = x, case .uint(let q) = y {
            if q == 0 { throw divideByZero }
            return .uint(p % q, .uint64)
        }
        let p = x.asInt, q = y.asInt
        if q == 0 { throw divideByZero }
        return .int(q == -1 ? 0 : p % q, .int64)
    }

    /// `minimum`/`maximum`: the chosen operand in its own family (int64, uint64 or float64).
    static func pick(_ name: String, wantLess: Bool) -> TemplateFunction {
        TemplateFunction(name, [.interface, .interface]) { args, _ in
            let (x, y) = try operands(name, args[0], args[1], allowFloat: true)
            let less: Bool, greater: Bool
            switch (x, y) {
            case (.float, _), (_, .float):
                less = x.asFloat < y.asFloat
                greater = x.asFloat > y.asFloat
            case (.uint(let p), .uint(let q)):
                less = p < q
                greater = p > q
            default:
                less = x.asInt < y.asInt
                greater = x.asInt > y.asInt
            }
            let chosen = (wantLess && less) || (!wantLess && greater) ? x : y
            switch chosen {
            case .int(let v): return .int(v, .int64)
            case .uint(let v): return .uint(v, .uint64)
            case .float(let v): return .float(v, .float64)
            }
        }
    }
}
