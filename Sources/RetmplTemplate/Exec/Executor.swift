import Synchronization

/// Executes a parsed template against data, after Go's `text/template/exec.go`.
///
/// One executor exists per execution; it owns the output buffer and the
/// variable stack, so a ``TextTemplate`` can be executed concurrently.
final class Executor {
    struct Failure: Error {
        let message: String
        let position: Int
        let context: String?
    }

    /// The node an error is reported at; printed only when an error happens.
    enum Site: CustomStringConvertible {
        case command(CommandNode)
        case operand(Operand)
        var description: String {
            switch self {
            case .command(let c): return c.description
            case .operand(let o): return o.description
            }
        }
    }

    /// Dot, borrowed: a pointer to a value that the caller keeps alive for the
    /// call. ARC cannot prove that an element of a list outlives a call, so
    /// passing `.` by value cost a retain/release pair at every step.
    ///
    /// When dot is a struct without methods, its type and fields are resolved
    /// once, where dot is set: taking a struct out of a value costs a
    /// retain/release pair, and a range body reads several fields of each
    /// element.
    struct Dot {
        let value: UnsafePointer<TemplateValue>
        let fields: UnsafePointer<TemplateValue>?
        let recordType: Unmanaged<RecordType>?
        var pointee: TemplateValue { value.pointee }
    }

    /// Runs `body` with `value` as dot; `value` must outlive the call.
    @inline(__always)
    private static func withDot<R>(
        _ value: UnsafePointer<TemplateValue>, _ body: (Dot) throws(Failure) -> R
    ) throws(Failure) -> R {
        if case .record(let record) = value.pointee, !record.type.hasMethods {
            let type = Unmanaged.passUnretained(record.type)
            return try record.fields.withUnsafeBufferPointer { fields throws(Failure) in
                try body(Dot(value: value, fields: fields.baseAddress, recordType: type))
            }
        }
        return try body(Dot(value: value, fields: nil, recordType: nil))
    }

    /// Runs `body` with a copy of `value` as dot.
    @inline(__always)
    private static func withDot<R>(copying value: TemplateValue, _ body: (Dot) throws(Failure) -> R) throws(Failure) -> R {
        try withUnsafePointer(to: value) { v throws(Failure) in try withDot(v, body) }
    }

    /// Loop control travels as a value, not as an exception.
    enum Control { case normal, breakLoop, continueLoop }

    let template: TextTemplate
    // The executor is single-threaded and never re-enters these accessors
    // overlappingly; dynamic exclusivity checks cost ~3% of a render.
    @exclusivity(unchecked) var output: OutputBuffer
    @exclusivity(unchecked) private var vars: [(name: String, value: TemplateValue)] = []
    private var environment: AnyObject?
    // Set right after init (it refers back to the executor); read on every call.
    @exclusivity(unchecked) private var contextStorage: ExecutionContext?
    private var context: ExecutionContext {
        if let c = contextStorage { return c }
        let c = ExecutionContext(environment: environment, executor: self)
        contextStorage = c
        return c
    }

    /// Go allows 100,000 nested template calls on goroutine stacks that grow;
    /// a thread stack does not, so the limit is lower here. It bounds every
    /// recursion of the executor: template calls, blocks and parentheses.
    static let maxTemplateDepth = 20_000
    @exclusivity(unchecked) private var nesting = 0
    @exclusivity(unchecked) private var argPool: [[TemplateValue]] = []

    private func enter(at position: Int) throws(Failure) {
        nesting += 1
        if nesting > Executor.maxTemplateDepth {
            throw fail("exceeded maximum template depth (\(Executor.maxTemplateDepth))", at: position)
        }
    }

    init(template: TextTemplate, environment: AnyObject?, output: OutputBuffer) {
        self.template = template
        self.environment = environment
        self.output = output
    }

    deinit { output.release() }

    func run(_ list: StepList, data: TemplateValue) throws(Failure) {
        vars = [("$", data)]
        _ = try Executor.withDot(copying: data) { dot throws(Failure) in try walkList(list.steps, dot: dot) }
    }

    func executeNested(name: String, data: TemplateValue) throws -> String {
        guard let body = template.definitionSteps[name] else {
            throw TemplateFunctionError("template: no template \(GoFormat.quote(name)) associated with template \(GoFormat.quote(template.name))")
        }
        let savedOutput = output
        let savedVars = vars
        output = OutputBuffer(capacity: 256)
        vars = [("$", data)]
        defer {
            output.release()
            output = savedOutput
            vars = savedVars
        }
        nesting += 1
        defer { nesting -= 1 }
        if nesting > Executor.maxTemplateDepth {
            throw TemplateFunctionError("exceeded maximum template depth (\(Executor.maxTemplateDepth))")
        }
        do {
            _ = try Executor.withDot(copying: data) { dot throws(Failure) in try walkList(body.steps, dot: dot) }
        } catch {
            throw TemplateFunctionError(error.message)
        }
        return String(decoding: output.bytes, as: UTF8.self)
    }

    // MARK: - statements

    private func walkList(_ steps: [Step], dot: Dot) throws(Failure) -> Control {
        // Through a buffer pointer: the array's count and bounds checks were
        // out-of-line calls on every step (~8% of a large render).
        try steps.withUnsafeBufferPointer { steps throws(Failure) in
            var i = 0
            while i < steps.count {
                let c = try walk(steps[i], dot: dot)
                if c != .normal { return c }
                i += 1
            }
            return .normal
        }
    }

    private func walk(_ step: Step, dot: Dot) throws(Failure) -> Control {
        switch step {
        case .text(let t):
            t._withUnsafeGuaranteedRef { t in t.bytes.withUnsafeBufferPointer { output.append($0) } }
        case .action(let a):
            return try Executor.guaranteed(a) { a throws(Failure) in try walkAction(a, dot: dot) }
        case .ifNode(let b):
            return try Executor.guaranteed(b) { b throws(Failure) in try walkIfOrWith(b, isWith: false, dot: dot) }
        case .with(let b):
            return try Executor.guaranteed(b) { b throws(Failure) in try walkIfOrWith(b, isWith: true, dot: dot) }
        case .range(let b):
            return try Executor.guaranteed(b) { b throws(Failure) in try walkRange(b, dot: dot) }
        case .template(let t):
            return try Executor.guaranteed(t) { t throws(Failure) in
                try walkTemplate(t, dot: dot)
                return .normal
            }
        case .breakNode:
            return .breakLoop
        case .continueNode:
            return .continueLoop
        }
        return .normal
    }

    /// Runs `body` with the node behind `ref`, without retaining it (the
    /// template's tree keeps it alive).
    @inline(__always)
    private static func guaranteed<Object: AnyObject, R>(
        _ ref: Unmanaged<Object>, _ body: (Object) throws(Failure) -> R
    ) throws(Failure) -> R {
        let result: Result<R, Failure> = ref._withUnsafeGuaranteedRef { object in
            do throws(Failure) { return .success(try body(object)) } catch { return .failure(error) }
        }
        return try result.get()
    }

    /// Calls `body` with each node of `nodes`, without retaining it: ARC
    /// retains an element loaded from an array around any call that could
    /// change the executor, though the tree keeps every node alive.
    @inline(__always)
    private static func forEachBorrowed<Object: AnyObject>(
        _ nodes: [Object], _ body: (Object) throws(Failure) -> Void
    ) throws(Failure) {
        try nodes.withUnsafeBufferPointer { buffer throws(Failure) in
            for i in buffer.indices { try guaranteed(.passUnretained(buffer[i]), body) }
        }
    }

    private func walkAction(_ a: ActionNode, dot: Dot) throws(Failure) -> Control {
        if let names = a.pipe.singleField, printField(dot, names) {
            return .normal
        }
        let value = try evalPipeline(a.pipe, dot: dot)
        if a.pipe.declarations.isEmpty {
            try printValue(value, at: a.pipe)
        }
        return .normal
    }

    private func walkIfOrWith(_ b: BranchNode, isWith: Bool, dot: Dot) throws(Failure) -> Control {
        try enter(at: b.position)
        defer { nesting -= 1 }
        let mark = vars.count
        defer { if vars.count > mark { vars.removeSubrange(mark...) } }
        if !isWith, let condition = b.condition, let truth = test(condition, dot: dot) {
            if truth { return try walkList(b.steps, dot: dot) }
            if let e = b.elseSteps { return try walkList(e, dot: dot) }
            return .normal
        }
        let value = try evalPipeline(b.pipe, dot: dot)
        if value.isTrue {
            if isWith {
                return try Executor.withDot(copying: value) { v throws(Failure) in try walkList(b.steps, dot: v) }
            }
            return try walkList(b.steps, dot: dot)
        } else if let e = b.elseSteps {
            return try walkList(e, dot: dot)
        }
        return .normal
    }

    private func walkRange(_ r: BranchNode, dot: Dot) throws(Failure) -> Control {
        try enter(at: r.position)
        defer { nesting -= 1 }
        let outer = vars.count
        defer { if vars.count > outer { vars.removeSubrange(outer...) } }
        let value = try evalPipeline(r.pipe, dot: dot)
        let decls = r.pipe.declarations
        let mark = vars.count

        // The common shape, `range` over a slice without variables: a tight loop.
        if decls.isEmpty, case .list(let l) = value, !l.elements.isEmpty {
            let body = r.steps
            try l.elements.withUnsafeBufferPointer { elements throws(Failure) in
                guard let base = elements.baseAddress else { return }
                let n = elements.count
                var i = 0
                while i < n {
                    let c = try Executor.withDot(base + i) { e throws(Failure) in try walkList(body, dot: e) }
                    if vars.count > mark { vars.removeSubrange(mark...) }
                    if c == .breakLoop { break }
                    i += 1
                }
            }
            return .normal
        }

        // Returns false when the loop must stop.
        func iteration(index: TemplateValue?, element: TemplateValue) throws(Failure) -> Bool {
            if !decls.isEmpty {
                if r.pipe.isAssign {
                    if decls.count > 1 {
                        try setVar(decls[0], index ?? .noValue, at: r.position)
                    } else {
                        try setVar(decls[0], element, at: r.position)
                    }
                } else {
                    vars[vars.count - 1].value = element
                }
            }
            if decls.count > 1 {
                if r.pipe.isAssign {
                    try setVar(decls[1], element, at: r.position)
                } else {
                    vars[vars.count - 2].value = index ?? .noValue
                }
            }
            defer { if vars.count > mark { vars.removeSubrange(mark...) } }
            let c = try Executor.withDot(copying: element) { e throws(Failure) in try walkList(r.steps, dot: e) }
            return c != .breakLoop
        }

        var ran = false
        switch value {
        case .list(let l):
            for (i, e) in l.elements.enumerated() {
                ran = true
                if try !iteration(index: .int(i), element: e) { break }
            }
        case .map(let m):
            let kt = m.keyType
            for (k, v) in m.entries {
                ran = true
                if try !iteration(index: k.value(keyType: kt), element: v) { break }
            }
        case .channel(let c):
            for (i, e) in c.values.enumerated() {
                ran = true
                if try !iteration(index: .int(i), element: e) { break }
            }
        case .int(let n, let k):
            if decls.count > 1 {
                throw fail("can't use \(GoFormat.sprint([value])) to iterate over more than one variable", at: r.position)
            }
            var i: Int64 = 0
            while i < n {
                ran = true
                if try !iteration(index: nil, element: .int(i, k)) { break }
                i += 1
            }
        case .uint(let n, let k):
            if decls.count > 1 {
                throw fail("can't use \(GoFormat.sprint([value])) to iterate over more than one variable", at: r.position)
            }
            var i: UInt64 = 0
            while i < n {
                ran = true
                if try !iteration(index: nil, element: .uint(i, k)) { break }
                i += 1
            }
        case .noValue:
            break
        case .null(let t):
            switch t.underlying {
            case .slice, .map, .chan: break
            case .pointer:
                // Go indirects the pointer first: a nil pointer acts like no value.
                break
            default:
                throw fail("range can't iterate over \(GoFormat.sprint([value]))", at: r.position)
            }
        default:
            throw fail("range can't iterate over \(GoFormat.sprint([value]))", at: r.position)
        }
        if !ran, let e = r.elseSteps {
            return try walkList(e, dot: dot)
        }
        return .normal
    }

    private func walkTemplate(_ t: TemplateCallNode, dot: Dot) throws(Failure) {
        guard let body = template.definitionSteps[t.name] else {
            throw fail("template \(GoFormat.quote(t.name)) not defined", at: t.position)
        }
        try enter(at: t.position)
        defer { nesting -= 1 }
        let newDot = try t.pipe.map { p throws(Failure) in try evalPipeline(p, dot: dot) } ?? .noValue
        let saved = vars
        vars = [("$", newDot)]
        defer { vars = saved }
        _ = try Executor.withDot(copying: newDot) { d throws(Failure) in try walkList(body.steps, dot: d) }
    }

    /// `.A.B` through plain struct fields, or nil to take the general path
    /// (maps, methods, nil pointers and errors all go the long way).
    private func fastField(_ dot: Dot, _ names: [FieldName]) -> TemplateValue? {
        names.withUnsafeBufferPointer { names in fieldSlot(dot, FieldPath(names))?.pointee }
    }

    /// Prints `.A.B` through plain struct fields without copying the value,
    /// or returns false to take the general path.
    private func printField(_ dot: Dot, _ path: FieldPath) -> Bool {
        guard let slot = fieldSlot(dot, path) else { return false }
        switch slot.pointee {
        case .string(let s):
            output.append(utf8: s)
        case .int(let v, _):
            output.append(decimal: v)
        default:
            return false
        }
        return true
    }

    /// Tests a condition on dot's fields in place, or returns nil when the
    /// field is not a plain value of the right kind (the general path then
    /// gives Go's result or error).
    private func test(_ condition: Condition, dot: Dot) -> Bool? {
        switch condition {
        case .field(let path):
            guard let slot = fieldSlot(dot, path) else { return nil }
            switch slot.pointee {
            case .string, .bool, .int, .uint, .float, .list, .map, .record: return slot.pointee.isTrue
            default: return nil
            }
        case .compare(let equal, let path, let literal):
            guard let slot = fieldSlot(dot, path), case .string(let s) = slot.pointee else { return nil }
            return GoFormat.withUTF8(s) { $0.elementsEqual(literal) } == equal
        }
    }

    /// Calls a borrowing function on slots of dot's fields and on literals;
    /// nil (the general path decides, errors included) when a field is not a
    /// plain struct field or holds a typed nil, or when the call fails.
    private func call(_ call: BorrowedCall, dot: Dot) -> TemplateValue? {
        call.arguments.withUnsafeBufferPointer { arguments in
            withUnsafeTemporaryAllocation(of: UnsafePointer<TemplateValue>.self, capacity: arguments.count) { slots -> TemplateValue? in
                for i in arguments.indices {
                    switch arguments[i] {
                    case .literal(let k):
                        slots.initializeElement(at: i, to: UnsafePointer(call.literals + k))
                    case .field(let path):
                        guard let slot = fieldSlot(dot, path) else { return nil }
                        slots.initializeElement(at: i, to: slot)
                    }
                    switch (call.checks[i], slots[i].pointee) {
                    case (_, .null), (.string, .bytes): return nil
                    case (.any, _), (.string, .string): break
                    case (.string, _): return nil
                    }
                }
                return try? call.borrowing(UnsafeBufferPointer(slots))
            }
        }
    }

    /// The slot of `.A.B` when dot is a struct reached through plain fields
    /// (no methods, no maps); nil otherwise.
    ///
    /// The address stays valid while dot does: structs are immutable, their
    /// fields arrays never move, and dot keeps every struct it reaches alive.
    private func fieldSlot(_ dot: Dot, _ path: FieldPath) -> UnsafePointer<TemplateValue>? {
        guard var fields = dot.fields, var type = dot.recordType else { return nil }
        let names = path.names
        var at = 0
        while true {
            let index: Int
            let tag = type._withUnsafeGuaranteedRef { $0.cacheTag }
            let cached = path.cache.map { $0[at].load(ordering: .relaxed) } ?? 0
            if cached & ~0xFFFF == tag {
                index = Int(truncatingIfNeeded: cached & 0xFFFF)
            } else {
                guard let found = type._withUnsafeGuaranteedRef({ $0.fieldIndex(names[at]) }) else { return nil }
                if found < 0xFFFF, let cache = path.cache { cache[at].store(tag | UInt64(found), ordering: .relaxed) }
                index = found
            }
            let slot = fields + index
            at += 1
            if at == names.count { return slot }
            guard case .record(let next) = slot.pointee, !next.type.hasMethods,
                let base = next.fields.withUnsafeBufferPointer({ $0.baseAddress })
            else { return nil }
            fields = base
            type = .passUnretained(next.type)
        }
    }

    // MARK: - variables

    private func setVar(_ name: String, _ value: TemplateValue, at position: Int) throws(Failure) {
        var i = vars.count - 1
        while i >= 0 {
            if vars[i].name == name {
                vars[i].value = value
                return
            }
            i -= 1
        }
        throw fail("undefined variable: \(name)", at: position)
    }

    private func varValue(_ name: String, at position: Int) throws(Failure) -> TemplateValue {
        var i = vars.count - 1
        while i >= 0 {
            if vars[i].name == name { return vars[i].value }
            i -= 1
        }
        throw fail("undefined variable: \(name)", at: position)
    }

    // MARK: - printing

    private func printValue(_ value: TemplateValue, at pipe: PipeNode) throws(Failure) {
        switch value {
        case .string(let s):
            output.append(utf8: s)
        case .bytes(let b):
            output.append(b)
        case .int(let i, _):
            output.append(decimal: i)
        case .noValue:
            output.append(Executor.noValueBytes)
        case .record(let r) where r.isPointer:
            // Go prints what a pointer points to.
            output.appendFormatted { GoFormat.appendValue(.record(TemplateRecord(type: r.type, fields: r.fields, isPointer: false)), to: &$0) }
        case .channel, .function:
            throw fail("can't print \(pipe) of type \(value.goType?.description ?? "")", at: pipe.position)
        default:
            output.appendFormatted { GoFormat.appendValue(value, to: &$0) }
        }
    }

    private static let noValueBytes: [UInt8] = Array("<no value>".utf8)

    // MARK: - pipelines

    private func fail(_ message: String, at position: Int, _ context: String? = nil) -> Failure {
        Failure(message: message, position: position, context: context)
    }

    func evalPipeline(_ pipe: PipeNode, dot: Dot) throws(Failure) -> TemplateValue {
        // A borrowed call has no declarations: nothing else to do.
        if let call = pipe.call, let value = call._withUnsafeGuaranteedRef({ call in self.call(call, dot: dot) }) {
            if case .null(.interface) = value { return .noValue }
            return value
        }
        var value: TemplateValue? = nil
        try Executor.forEachBorrowed(pipe.commands) { cmd throws(Failure) in
            var v = try evalCommand(cmd, dot: dot, final: value)
            // Go digs into interface{} values here: a nil interface becomes no value.
            if case .null(.interface) = v { v = .noValue }
            value = v
        }
        let result = value ?? .noValue
        for name in pipe.declarations {
            if pipe.isAssign {
                try setVar(name, result, at: pipe.position)
            } else {
                vars.append((name, result))
            }
        }
        return result
    }

    private func notAFunction(_ args: [Operand], final: TemplateValue?, at position: Int) throws(Failure) {
        if args.count > 1 || final != nil {
            throw fail("can't give argument to non-function \(args[0])", at: position)
        }
    }

    private func evalCommand(_ cmd: CommandNode, dot: Dot, final: TemplateValue?) throws(Failure) -> TemplateValue {
        let first = cmd.arguments[0]
        switch first {
        case .field(let p, let names):
            if final == nil, cmd.arguments.count == 1, let v = fastField(dot, names) {
                return v
            }
            return try evalFieldChain(dot: dot, receiver: dot.pointee, names: names, args: cmd.arguments, final: final, at: p, node: first)
        case .chain(let p, let base, let names):
            if case .nilLiteral = base { throw fail("indirection through explicit nil in \(first)", at: p) }
            let receiver = try evalArgument(base, type: nil, dot: dot)
            return try evalFieldChain(dot: dot, receiver: receiver, names: names, args: cmd.arguments, final: final, at: p, node: first)
        case .identifier(let p, let f):
            return try evalCall(f, args: cmd.arguments, final: final, dot: dot, at: p, node: .command(cmd))
        case .pipe(let pipe):
            try notAFunction(cmd.arguments, final: final, at: pipe.position)
            try enter(at: pipe.position)
            defer { nesting -= 1 }
            let mark = vars.count
            defer { if vars.count > mark { vars.removeSubrange(mark...) } }
            return try evalPipeline(pipe, dot: dot)
        case .variable(let p, let name, let names):
            let value = try varValue(name, at: p)
            if names.isEmpty {
                try notAFunction(cmd.arguments, final: final, at: p)
                return value
            }
            return try evalFieldChain(dot: dot, receiver: value, names: names, args: cmd.arguments, final: final, at: p, node: first)
        case .bool(let p, let b):
            try notAFunction(cmd.arguments, final: final, at: p)
            return .bool(b)
        case .dot(let p):
            try notAFunction(cmd.arguments, final: final, at: p)
            return dot.pointee
        case .nilLiteral(let p):
            try notAFunction(cmd.arguments, final: final, at: p)
            throw fail("nil is not a command", at: p)
        case .number(let p, let n):
            try notAFunction(cmd.arguments, final: final, at: p)
            return try idealConstant(n, at: p)
        case .string(let p, _, let v):
            try notAFunction(cmd.arguments, final: final, at: p)
            return v
        }
    }

    private func idealConstant(_ n: NumberLiteral, at p: Int) throws(Failure) -> TemplateValue {
        if n.isFloatSyntax, let f = n.float { return .float(f, .float64) }
        if let i = n.int { return .int(i, .int) }
        if n.uint != nil { throw fail("\(n.text) overflows int", at: p) }
        if let f = n.float { return .float(f, .float64) }
        return .noValue
    }

    // MARK: - fields

    private func evalFieldChain(
        dot: Dot, receiver: TemplateValue, names: [FieldName], args: [Operand], final: TemplateValue?,
        at p: Int, node: Operand
    ) throws(Failure) -> TemplateValue {
        var r = receiver
        let n = names.count
        for i in 0..<(n - 1) {
            r = try evalField(dot: dot, name: names[i], receiver: r, args: [], final: nil, at: p, node: node)
        }
        return try evalField(dot: dot, name: names[n - 1], receiver: r, args: args, final: final, at: p, node: node)
    }

    private func evalField(
        dot: Dot, name field: FieldName, receiver: TemplateValue, args: [Operand], final: TemplateValue?,
        at p: Int, node: Operand
    ) throws(Failure) -> TemplateValue {
        let name = field.name
        let hasArgs = args.count > 1 || final != nil
        switch receiver {
        case .noValue:
            if template.options.missingKey == .error {
                throw fail("nil data; no entry for key \(GoFormat.quote(name))", at: p, "<\(node)>")
            }
            return .noValue
        case .record(let rec):
            if rec.type.hasMethods, let m = rec.type.methods[name] {
                return try evalCall(m, args: args, final: final, dot: dot, at: p, node: .operand(node), receiverMethod: true)
            }
            if let i = rec.type.fieldIndex(field) {
                if hasArgs { throw fail("\(name) has arguments but cannot be invoked as function", at: p, "<\(node)>") }
                return rec.fields[i]
            }
        case .map(let m):
            // A string key fits map[string]V and map[interface{}]V (parseYAML's maps).
            if m.keyType.underlying == .string || m.keyType.underlying == .interface {
                if hasArgs { throw fail("\(name) is not a method but has arguments", at: p, "<\(node)>") }
                if let v = m[.string(name)] { return v }
                return try missingKey(name, valueType: m.valueType, at: p, node: node)
            }
        case .object(let o):
            if let m = o.method(named: name) {
                return try evalCall(m, args: args, final: final, dot: dot, at: p, node: .operand(node), receiverMethod: true)
            }
        case .null(let t):
            switch t.underlying {
            case .map(let k, let v):
                if case .string = k.underlying {
                    if hasArgs { throw fail("\(name) is not a method but has arguments", at: p, "<\(node)>") }
                    return try missingKey(name, valueType: v, at: p, node: node)
                }
            case .pointer(let e):
                if case .record(let rt) = e.underlying {
                    if rt.methods[name] != nil || rt.fieldIndex(name) != nil {
                        throw fail("nil pointer evaluating \(t).\(name)", at: p, "<\(node)>")
                    }
                } else {
                    throw fail("nil pointer evaluating \(t).\(name)", at: p, "<\(node)>")
                }
            case .interface:
                throw fail("nil pointer evaluating \(t).\(name)", at: p, "<\(node)>")
            default:
                break
            }
        default:
            break
        }
        let typeName = receiver.goType?.description ?? "<nil>"
        throw fail("can't evaluate field \(name) in type \(typeName)", at: p, "<\(node)>")
    }

    private func missingKey(_ name: String, valueType: GoType, at p: Int, node: Operand) throws(Failure) -> TemplateValue {
        switch template.options.missingKey {
        case .invalid: return .noValue
        case .zero: return zeroValue(valueType)
        case .error: throw fail("map has no entry for key \(GoFormat.quote(name))", at: p, "<\(node)>")
        }
    }

    // MARK: - calls

    private func evalCall(
        _ f: TemplateFunction, args: [Operand], final: TemplateValue?, dot: Dot, at p: Int, node: Site,
        receiverMethod: Bool = false
    ) throws(Failure) -> TemplateValue {
        let given = max(0, args.count - 1) + (final == nil ? 0 : 1)
        let fixed = f.parameters.count
        if f.variadic != nil {
            if given < fixed {
                throw fail("wrong number of args for \(f.name): want at least \(fixed) got \(max(0, args.count - 1))", at: p, "<\(node)>")
            }
        } else if given != fixed {
            throw fail("wrong number of args for \(f.name): want \(fixed) got \(given)", at: p, "<\(node)>")
        }

        if case .compare(let op)? = f.builtin, final == nil, args.count == 3 {
            // Two operands: no argument array, no closure call.
            var x = try evalArgument(args[1], type: nil, dot: dot)
            var y = try evalArgument(args[2], type: nil, dot: dot)
            if case .null(.interface) = x { x = .noValue }
            if case .null(.interface) = y { y = .noValue }
            do {
                return .bool(try Builtins.compare(op, x, y))
            } catch {
                throw fail("error calling \(f.name): \(error.message)", at: p, "<\(node)>")
            }
        }
        if let b = f.builtin, b == .and || b == .or {
            var v: TemplateValue = .noValue
            for arg in args.dropFirst() {
                v = try evalArgument(arg, type: nil, dot: dot)
                if v.isTrue == (b == .or) { return v }
            }
            if let fv = final { v = fv }
            return v
        }

        // Argument arrays are recycled: a call per instance line is the hot path.
        var argv: [TemplateValue]
        if argPool.isEmpty {
            argv = []
            argv.reserveCapacity(max(4, given))
        } else {
            argv = argPool.removeLast()
        }
        defer {
            // Element by element: removeAll(keepingCapacity:) takes the generic
            // replaceSubrange path, a measurable cost for one or two arguments.
            while !argv.isEmpty { argv.removeLast() }
            if argPool.count < 32 { argPool.append(argv) }
        }
        let raw = f.takesRawValues
        let params = f.parameters
        var i = 0
        var k = 1
        while k < args.count {
            let type: GoType? = raw ? nil : (i < fixed ? params[i] : f.variadic)
            var v = try evalArgument(args[k], type: type, dot: dot)
            if raw, case .null(.interface) = v { v = .noValue }  // Go's indirectInterface
            argv.append(v)
            i += 1
            k += 1
        }
        if let fv = final {
            if raw {
                if case .null(.interface) = fv { argv.append(.noValue) } else { argv.append(fv) }
            } else {
                let t = i < fixed ? params[i] : (f.variadic ?? .interface)
                argv.append(try validate(fv, type: t, at: p))
            }
        }

        if case .call? = f.builtin {
            return try callBuiltin(argv, at: p, node: node)
        }
        do {
            return try f.implementation(argv, context)
        } catch let e as Failure {
            throw e
        } catch let e as TemplateFunctionError {
            throw fail("error calling \(f.name): \(e.message)", at: p, "<\(node)>")
        } catch {
            throw fail("error calling \(f.name): \(error)", at: p, "<\(node)>")
        }
    }

    private func callBuiltin(_ argv: [TemplateValue], at p: Int, node: Site) throws(Failure) -> TemplateValue {
        guard let fn = argv.first else { throw fail("wrong number of args for call: want at least 1 got 0", at: p) }
        guard case .function(let f) = fn else {
            if fn.isNil { throw fail("error calling call: call of nil", at: p, "<\(node)>") }
            throw fail("error calling call: non-function of type \(fn.goType?.description ?? "<nil>")", at: p, "<\(node)>")
        }
        let rest = Array(argv.dropFirst())
        if f.variadic == nil && rest.count != f.parameters.count {
            throw fail("error calling call: wrong number of args: got \(rest.count) want \(f.parameters.count)", at: p, "<\(node)>")
        }
        var converted: [TemplateValue] = []
        for (i, a) in rest.enumerated() {
            let t = i < f.parameters.count ? f.parameters[i] : (f.variadic ?? .interface)
            converted.append(f.takesRawValues ? a : try validate(a, type: t, at: p))
        }
        do {
            return try f.implementation(converted, context)
        } catch {
            throw fail("error calling call: \(error)", at: p, "<\(node)>")
        }
    }

    /// Go's `validateType`: `value` as an argument of Go type `type`.
    private func validate(_ value: TemplateValue, type: GoType, at p: Int) throws(Failure) -> TemplateValue {
        // Fast paths for the common parameter types.
        switch (type, value) {
        case (.interface, .null(.interface)): return .noValue
        case (.interface, _), (.string, .string), (.bool, .bool): return value
        case (.string, .bytes(let b)): return .string(String(decoding: b, as: UTF8.self))
        default: break
        }
        guard let vt = value.goType else {
            if type == .interface { return .noValue }
            if type.canBeNil { return .null(type) }
            throw fail("invalid value; expected \(type)", at: p)
        }
        if vt == .interface && type == .interface { return .noValue }  // a nil interface passed as any
        if vt.isAssignable(to: type) { return value }
        // One dereference: *T where T is wanted.
        if case .record(let r) = value, r.isPointer, case .record(let want) = type, want == r.type {
            return .record(TemplateRecord(type: r.type, fields: r.fields, isPointer: false))
        }
        if case .null(let nt) = value, case .pointer(let e) = nt, e == type {
            throw fail("dereference of nil pointer of type \(type)", at: p)
        }
        throw fail("wrong type for value; expected \(type); got \(vt)", at: p)
    }

    /// Go's `evalArg`: evaluates `arg` for a parameter of `type` (nil: `reflect.Value`, taken as is).
    private func evalArgument(_ arg: Operand, type: GoType?, dot: Dot) throws(Failure) -> TemplateValue {
        func check(_ v: TemplateValue, _ p: Int) throws(Failure) -> TemplateValue {
            guard let t = type else { return v }
            return try validate(v, type: t, at: p)
        }
        switch arg {
        case .dot(let p):
            return try check(dot.pointee, p)
        case .nilLiteral(let p):
            guard let t = type else { return .noValue }  // reflect.Value can hold nil
            if t == .interface { return .noValue }
            if t.canBeNil { return .null(t) }
            throw fail("cannot assign nil to \(t)", at: p)
        case .field(let p, let names):
            if let v = fastField(dot, names) { return try check(v, p) }
            return try check(evalFieldChain(dot: dot, receiver: dot.pointee, names: names, args: [], final: nil, at: p, node: arg), p)
        case .variable(let p, let name, let names):
            let v = try varValue(name, at: p)
            if names.isEmpty { return try check(v, p) }
            return try check(evalFieldChain(dot: dot, receiver: v, names: names, args: [], final: nil, at: p, node: arg), p)
        case .pipe(let pipe):
            try enter(at: pipe.position)
            defer { nesting -= 1 }
            let mark = vars.count
            defer { if vars.count > mark { vars.removeSubrange(mark...) } }
            return try check(evalPipeline(pipe, dot: dot), pipe.position)
        case .identifier(let p, let f):
            return try check(evalCall(f, args: [], final: nil, dot: dot, at: p, node: .operand(arg)), p)
        case .chain(let p, let base, let names):
            if case .nilLiteral = base { throw fail("indirection through explicit nil in \(arg)", at: p) }
            let receiver = try evalArgument(base, type: nil, dot: dot)
            return try check(evalFieldChain(dot: dot, receiver: receiver, names: names, args: [], final: nil, at: p, node: arg), p)
        case .bool(let p, let b):
            guard let t = type else { return .bool(b) }
            switch t.underlying {
            case .bool, .interface: return .bool(b)
            default: throw fail("expected \(kindWord(t)); found \(arg)", at: p)
            }
        case .string(let p, _, let v):
            guard let t = type else { return v }
            switch t.underlying {
            case .interface: return v
            case .string: return .string(v.stringValue ?? "")
            default: throw fail("expected \(kindWord(t)); found \(arg)", at: p)
            }
        case .number(let p, let n):
            guard let t = type else { return try idealConstant(n, at: p) }
            switch t.underlying {
            case .interface: return try idealConstant(n, at: p)
            case .int(let k):
                guard let i = n.int else { throw fail("expected integer; found \(arg)", at: p) }
                return .int(truncate(i, k), k)
            case .uint(let k):
                guard let u = n.uint else { throw fail("expected unsigned integer; found \(arg)", at: p) }
                return .uint(truncate(u, k), k)
            case .float(let k):
                guard let f = n.float else { throw fail("expected float; found \(arg)", at: p) }
                return .float(k == .float32 ? Double(Float(f)) : f, k)
            default:
                throw fail("expected \(kindWord(t)); found \(arg)", at: p)
            }
        }
    }

    private func kindWord(_ t: GoType) -> String {
        switch t.underlying {
        case .bool: return "bool"
        case .string: return "string"
        case .int: return "integer"
        case .uint: return "unsigned integer"
        case .float: return "float"
        default: return t.description
        }
    }

    private func truncate(_ i: Int64, _ k: GoType.IntKind) -> Int64 {
        switch k {
        case .int, .int64: return i
        case .int8: return Int64(Int8(truncatingIfNeeded: i))
        case .int16: return Int64(Int16(truncatingIfNeeded: i))
        case .int32: return Int64(Int32(truncatingIfNeeded: i))
        }
    }

    private func truncate(_ u: UInt64, _ k: GoType.UIntKind) -> UInt64 {
        switch k {
        case .uint, .uint64, .uintptr: return u
        case .uint8: return UInt64(UInt8(truncatingIfNeeded: u))
        case .uint16: return UInt64(UInt16(truncatingIfNeeded: u))
        case .uint32: return UInt64(UInt32(truncatingIfNeeded: u))
        }
    }
}
