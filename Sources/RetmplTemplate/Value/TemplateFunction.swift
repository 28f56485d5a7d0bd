/// A function callable from a template, with its Go signature.
///
/// The signature matters: text/template converts each argument to the
/// parameter's Go type (a number literal is not a string, a `[]interface{}`
/// is not a `[]string`) and reports mismatches as errors. The executor does
/// those conversions, so an implementation may rely on its arguments' types.
public final class TemplateFunction: Sendable {
    /// Calls the function. Arguments are already converted to `parameters`
    /// (and `variadic` for the rest). Throw ``TemplateFunctionError`` (or any
    /// error) to fail the call; the executor adds the location.
    public typealias Implementation = @Sendable (_ arguments: [TemplateValue], _ context: ExecutionContext) throws -> TemplateValue

    public let name: String
    /// Fixed parameter types. `.interface` accepts anything (nil included).
    public let parameters: [GoType]
    /// Element type of a trailing `...` parameter, or nil.
    public let variadic: GoType?
    /// Parameters are taken as `reflect.Value` (no conversion, missing values allowed),
    /// as Go's built-ins `eq`, `index`, `len`… take them.
    public let takesRawValues: Bool
    let implementation: Implementation
    let builtin: Builtin?

    /// Calls the function on borrowed arguments: pointers to values the caller
    /// keeps alive, already of the parameters' types. Only for functions that
    /// need no execution context and neither keep nor change their arguments.
    public typealias Borrowing = @Sendable (_ arguments: UnsafeBufferPointer<UnsafePointer<TemplateValue>>) throws -> TemplateValue
    /// Set for pure functions the executor may call without copying their
    /// arguments (a condition such as `.Tags | contains "http"` tests fields in place).
    let borrowing: Borrowing?

    /// Built-ins the executor treats specially (short-circuit, `call`).
    enum Builtin: Sendable, Equatable { case and, or, call, compare(Comparison) }

    /// Go's comparison built-ins, which the executor evaluates without an argument array.
    enum Comparison: Sendable, Equatable { case eq, ne, lt, le, gt, ge }

    private init(
        name: String, parameters: [GoType], variadic: GoType?, rawValues: Bool,
        implementation: @escaping Implementation, builtin: Builtin?, borrowing: Borrowing?
    ) {
        self.name = name
        self.parameters = parameters
        self.variadic = variadic
        self.takesRawValues = rawValues
        self.implementation = implementation
        self.builtin = builtin
        self.borrowing = borrowing
    }

    /// A comparison built-in: its general implementation plus the tag for the fast path.
    convenience init(comparison: Comparison, _ parameters: [GoType], variadic: GoType? = nil, rawValues: Bool, _ implementation: @escaping Implementation) {
        self.init(
            name: "\(comparison)", parameters: parameters, variadic: variadic, rawValues: rawValues,
            implementation: implementation, builtin: .compare(comparison), borrowing: nil)
    }

    public convenience init(
        _ name: String,
        _ parameters: [GoType],
        variadic: GoType? = nil,
        rawValues: Bool = false,
        _ implementation: @escaping Implementation
    ) {
        self.init(
            name: name, parameters: parameters, variadic: variadic, rawValues: rawValues,
            implementation: implementation, builtin: nil, borrowing: nil)
    }

    /// A pure function with a borrowing implementation; the general one
    /// copies the arguments and calls it. The executor borrows arguments
    /// only when they need no conversion (`interface{}` parameters, raw
    /// values, strings for `string` parameters).
    public convenience init(
        _ name: String,
        _ parameters: [GoType],
        variadic: GoType? = nil,
        rawValues: Bool = false,
        borrowing: @escaping Borrowing
    ) {
        let general: Implementation = { arguments, _ in
            try arguments.withUnsafeBufferPointer { values in
                try withUnsafeTemporaryAllocation(of: UnsafePointer<TemplateValue>.self, capacity: values.count) { slots in
                    guard let base = values.baseAddress else { return try borrowing(UnsafeBufferPointer(slots)) }
                    for i in values.indices { slots.initializeElement(at: i, to: base + i) }
                    return try borrowing(UnsafeBufferPointer(slots))
                }
            }
        }
        self.init(
            name: name, parameters: parameters, variadic: variadic, rawValues: rawValues,
            implementation: general, builtin: nil, borrowing: borrowing)
    }

    /// How the executor checks a borrowed argument for parameter `index`:
    /// nil when the parameter needs a conversion it does not make in place.
    func borrowedCheck(_ index: Int) -> BorrowedCheck? {
        if takesRawValues { return .any }
        let type = index < parameters.count ? parameters[index] : variadic
        switch type {
        case .interface?: return .any
        case .string?: return .string
        default: return nil
        }
    }

    /// What a borrowed argument must be to be passed as it is.
    enum BorrowedCheck: Sendable { case any, string }

    convenience init(builtin: Builtin, name: String, parameters: [GoType], variadic: GoType?) {
        self.init(
            name: name, parameters: parameters, variadic: variadic, rawValues: true,
            implementation: { _, _ in .noValue }, builtin: builtin, borrowing: nil)
    }

    /// Invokes the implementation directly (arguments must already match the signature).
    public func callAsFunction(_ arguments: [TemplateValue], context: ExecutionContext) throws -> TemplateValue {
        try implementation(arguments, context)
    }
}

/// An error raised by a template function; the executor reports it as
/// `error calling NAME: MESSAGE` at the call's location.
public struct TemplateFunctionError: Error, Sendable, CustomStringConvertible {
    public let message: String
    public init(_ message: String) { self.message = message }
    public var description: String { message }
}

/// The functions a template may call, by name.
///
/// Names are resolved when a template is parsed, so an unknown function is
/// a parse error (with a suggestion), exactly as in Go.
public struct FunctionTable: Sendable {
    public private(set) var functions: [String: TemplateFunction]

    /// An empty table (Go's built-ins are always available on top of it).
    public init() { functions = [:] }

    public init(_ functions: [TemplateFunction]) {
        self.functions = [:]
        for f in functions { self.functions[f.name] = f }
    }

    public mutating func add(_ function: TemplateFunction) { functions[function.name] = function }

    public mutating func merge(_ other: FunctionTable) {
        functions.merge(other.functions) { _, new in new }
    }

    public subscript(name: String) -> TemplateFunction? { functions[name] }
}
