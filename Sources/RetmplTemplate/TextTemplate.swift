/// A parsed template: Go's `text/template` language, parsed once and
/// executed any number of times (concurrently, too: executions share nothing).
///
/// ```swift
/// let t = try TextTemplate(source: "Hello {{ .Name }}", name: "greet.ctmpl")
/// let bytes = try t.execute(data: someValue)
/// ```
public struct TextTemplate: Sendable {
    /// What a missing map key yields (Go's `missingkey=` option).
    public enum MissingKey: Sendable {
        /// Go's default: no value (prints `<no value>`).
        case invalid
        /// The map's zero value; consul-template's default.
        case zero
        /// An execution error.
        case error
    }

    public struct Options: Sendable {
        public var leftDelimiter: String
        public var rightDelimiter: String
        public var missingKey: MissingKey
        public init(leftDelimiter: String = "{{", rightDelimiter: String = "}}", missingKey: MissingKey = .zero) {
            self.leftDelimiter = leftDelimiter
            self.rightDelimiter = rightDelimiter
            self.missingKey = missingKey
        }
    }

    /// The name used in error messages (usually the file name).
    public let name: String
    public let options: Options
    /// The template body.
    public let root: [Node]
    /// Templates declared with `define` or `block`, by name.
    public let definitions: [String: [Node]]
    let source: [UInt8]
    /// `root` and `definitions` as the executor walks them.
    let rootSteps: StepList
    let definitionSteps: [String: StepList]
    /// Deepest static nesting of blocks and parentheses.
    let maxNesting: Int
    /// Nesting that any thread's stack handles; deeper work moves to ``DeepStack``.
    static let inlineDepthBudget = 200

    /// Parses `source`.
    /// - Parameters:
    ///   - source: template text.
    ///   - name: shown in error messages, e.g. the file name.
    ///   - functions: functions available besides Go's built-ins (checked at parse time).
    ///   - options: delimiters and the missing-key rule.
    /// - Throws: ``TemplateError`` of kind `.parse` with the location.
    public init(source: String, name: String = "", functions: FunctionTable = FunctionTable(), options: Options = Options())
        throws(TemplateError)
    {
        let bytes = Array(source.utf8)
        let parse = { () -> Result<Parser, Parser.Failure> in
            var parser = Parser(
                source: bytes, leftDelim: options.leftDelimiter, rightDelim: options.rightDelimiter, functions: functions)
            do throws(Parser.Failure) {
                _ = try parser.parse()
                return .success(parser)
            } catch {
                return .failure(error)
            }
        }
        // Only sources that can nest deeply pay for a big-stack thread.
        let opens = bytes.reduce(0) { $0 + ($1 == UInt8(ascii: "(") || $1 == options.leftDelimiter.utf8.first ? 1 : 0) }
        let parsed = opens > TextTemplate.inlineDepthBudget ? DeepStack.run(parse) : parse()
        switch parsed {
        case .success(let parser):
            self.root = parser.root
            self.definitions = parser.definitions
            self.rootSteps = StepList(parser.root)
            self.definitionSteps = parser.definitions.mapValues(StepList.init)
            self.maxNesting = parser.maxDepth
        case .failure(let error):
            throw TemplateError(kind: .parse, name: name, message: error.message, source: bytes, position: error.position)
        }
        self.name = name
        self.options = options
        self.source = bytes
    }

    /// Executes the template with `data` as dot and returns the output bytes.
    /// - Parameters:
    ///   - data: the value of `.` and `$` (consul-template passes none: `.noValue`).
    ///   - environment: state for the function library, visible to functions as
    ///     ``ExecutionContext/environment``.
    ///   - capacity: bytes to reserve for the output; the size of the last
    ///     rendering saves growing the buffer by doubling (copies and fresh pages).
    /// - Throws: ``TemplateError`` of kind `.execution`, naming the location.
    public func execute(
        data: TemplateValue = .noValue, environment: AnyObject? = nil, capacity: Int = 4096
    ) throws(TemplateError) -> [UInt8] {
        // `template` calls can recurse: such templates, and deeply nested ones, run on a big stack.
        let deep = !definitions.isEmpty || maxNesting > TextTemplate.inlineDepthBudget / 4
        var failure: Executor.Failure?
        var spilled: [UInt8]?
        // Rendered straight into the result; only output past the reserved
        // capacity goes through a buffer of the executor's own and a copy.
        // Some slack: the next rendering is often a little longer than the last.
        let hint = min(max(capacity, 0), 1 << 30)
        let reserved = max(hint, 256) + hint / 8
        let written = [UInt8](unsafeUninitializedCapacity: reserved) { memory, initialized in
            let ex = Executor(template: self, environment: environment, output: OutputBuffer(lending: memory))
            let run = { [rootSteps] () -> Executor.Failure? in
                do throws(Executor.Failure) {
                    try ex.run(rootSteps, data: data)
                    return nil
                } catch {
                    return error
                }
            }
            failure = deep ? DeepStack.run(run) : run()
            if ex.output.ownsMemory {
                spilled = Array(ex.output.bytes)
                initialized = 0
            } else {
                initialized = ex.output.count
            }
        }
        if let error = failure {
            throw TemplateError(
                kind: .execution, name: name, message: error.message, source: source, position: error.position,
                context: error.context)
        }
        return spilled ?? written
    }

    /// Executes and decodes the output as UTF-8.
    public func render(data: TemplateValue = .noValue, environment: AnyObject? = nil) throws(TemplateError) -> String {
        String(decoding: try execute(data: data, environment: environment), as: UTF8.self)
    }

    /// The template printed back as source (Go's `Tree.String()`), used by round-trip tests.
    public var sourceDescription: String { root.map(\.description).joined() }
}
