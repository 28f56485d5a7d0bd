import Synchronization

/// The template AST, after Go's `text/template/parse/node.go`.
///
/// Nodes are immutable and shared by every execution. Positions are byte
/// offsets into the source; line and column are computed only for errors.
/// `description` prints a node back as template source (Go's `String()`),
/// which error messages quote (`at <.Foo>`) and round-trip tests use.

/// A statement: what a template body is a list of.
public enum Node: Sendable, CustomStringConvertible {
    case text(TextNode)
    case action(ActionNode)
    case ifNode(BranchNode)
    case range(BranchNode)
    case with(BranchNode)
    case template(TemplateCallNode)
    case breakNode(position: Int)
    case continueNode(position: Int)

    public var description: String {
        switch self {
        case .text(let t): return String(decoding: t.bytes, as: UTF8.self)
        case .action(let a): return "{{\(a.pipe)}}"
        case .ifNode(let b): return b.render("if")
        case .range(let b): return b.render("range")
        case .with(let b): return b.render("with")
        case .template(let t):
            if let p = t.pipe { return "{{template \(GoFormat.quote(t.name)) \(p)}}" }
            return "{{template \(GoFormat.quote(t.name))}}"
        case .breakNode: return "{{break}}"
        case .continueNode: return "{{continue}}"
        }
    }

    var position: Int {
        switch self {
        case .text(let t): return t.position
        case .action(let a): return a.position
        case .ifNode(let b), .range(let b), .with(let b): return b.position
        case .template(let t): return t.position
        case .breakNode(let p), .continueNode(let p): return p
        }
    }
}

/// A statement as the executor walks it: a ``Node`` whose payload is not
/// reference counted. The tree owns every node for the template's lifetime,
/// and the executor reaches a payload through `_withUnsafeGuaranteedRef`, so
/// visiting a node costs no retain/release pair (a fifth of a large render).
enum Step: @unchecked Sendable {
    case text(Unmanaged<TextNode>)
    case action(Unmanaged<ActionNode>)
    case ifNode(Unmanaged<BranchNode>)
    case range(Unmanaged<BranchNode>)
    case with(Unmanaged<BranchNode>)
    case template(Unmanaged<TemplateCallNode>)
    case breakNode
    case continueNode

    init(_ node: Node) {
        switch node {
        case .text(let t): self = .text(.passUnretained(t))
        case .action(let a): self = .action(.passUnretained(a))
        case .ifNode(let b): self = .ifNode(.passUnretained(b))
        case .range(let b): self = .range(.passUnretained(b))
        case .with(let b): self = .with(.passUnretained(b))
        case .template(let t): self = .template(.passUnretained(t))
        case .breakNode: self = .breakNode
        case .continueNode: self = .continueNode
        }
    }
}

/// A node list with its steps; holding the nodes keeps the steps valid.
struct StepList: Sendable {
    let nodes: [Node]
    let steps: [Step]
    init(_ nodes: [Node]) {
        self.nodes = nodes
        self.steps = nodes.map(Step.init)
    }
}

/// Literal text, copied to the output as bytes.
public final class TextNode: Sendable {
    public let position: Int
    public let bytes: [UInt8]
    init(position: Int, bytes: [UInt8]) {
        self.position = position
        self.bytes = bytes
    }
}

/// `{{ pipeline }}`: evaluates and prints unless the pipeline declares variables.
public final class ActionNode: Sendable {
    public let position: Int
    public let pipe: PipeNode
    init(position: Int, pipe: PipeNode) {
        self.position = position
        self.pipe = pipe
    }
}

/// `if`, `range` and `with`: a pipeline, a body and an optional else body.
public final class BranchNode: Sendable {
    public let position: Int
    public let pipe: PipeNode
    public let list: [Node]
    public let elseList: [Node]?
    /// `list` and `elseList` as the executor walks them.
    let steps: [Step]
    let elseSteps: [Step]?
    /// The pipeline, when it is a condition the executor tests in place.
    let condition: Condition?
    /// Keeps what the condition refers to unretained alive.
    private let pins: [any AnyObject & Sendable]
    init(position: Int, pipe: PipeNode, list: [Node], elseList: [Node]?) {
        self.position = position
        self.pipe = pipe
        self.list = list
        self.elseList = elseList
        self.steps = list.map(Step.init)
        self.elseSteps = elseList.map { $0.map(Step.init) }
        if let (condition, pins) = Condition.make(pipe) {
            self.condition = condition
            self.pins = pins
        } else {
            self.condition = nil
            self.pins = []
        }
    }

    func render(_ keyword: String) -> String {
        var s = "{{\(keyword) \(pipe)}}" + list.map(\.description).joined()
        if let e = elseList { s += "{{else}}" + e.map(\.description).joined() }
        return s + "{{end}}"
    }
}

/// The commonest conditions, `.A.B` and `eq .A.B "text"` (or `ne`), in a
/// form the executor tests without evaluating a pipeline. It applies only
/// when the field holds a plain value of the literal's kind; anything else
/// (errors included) takes the general path.
enum Condition: @unchecked Sendable {
    /// `.A.B`: its truth.
    case field(FieldPath)
    /// `eq .A.B "text"`, `ne .A.B "text"` (either order): `equal` is the
    /// result when the field's bytes equal the literal's.
    case compare(equal: Bool, path: FieldPath, literal: UnsafeBufferPointer<UInt8>)

    /// The condition and the objects its payload points into.
    static func make(_ pipe: PipeNode) -> (Condition, [any AnyObject & Sendable])? {
        guard pipe.declarations.isEmpty, pipe.commands.count == 1 else { return nil }
        if let path = pipe.singleField { return (.field(path), []) }
        let args = pipe.commands[0].arguments
        guard args.count == 3, case .identifier(_, let f) = args[0], case .compare(let op)? = f.builtin,
            op == .eq || op == .ne
        else { return nil }
        switch (args[1], args[2]) {
        case (.field(_, let names), .string(_, _, .string(let text))), (.string(_, _, .string(let text)), .field(_, let names)):
            let path = PinnedPath(names)
            let literal = Pinned(Array(text.utf8))
            return (.compare(equal: op == .eq, path: FieldPath(path), literal: literal.buffer), [path, literal])
        default:
            return nil
        }
    }
}

/// A copy of an array at an address that stays put while the object lives:
/// what the executor's fast paths read from nodes without retaining anything.
final class Pinned<Element>: @unchecked Sendable {
    let buffer: UnsafeBufferPointer<Element>
    init(_ elements: [Element]) {
        let b = UnsafeMutableBufferPointer<Element>.allocate(capacity: elements.count)
        _ = b.initialize(from: elements)
        buffer = UnsafeBufferPointer(b)
    }
    deinit {
        let b = UnsafeMutableBufferPointer(mutating: buffer)
        b.deinitialize()
        b.deallocate()
    }
}

/// `.A.B`: field names, pinned by a node, with an inline cache per name.
struct FieldPath: @unchecked Sendable {
    let names: UnsafeBufferPointer<FieldName>
    /// Per name: the cache tag of the record type last seen there, or-ed
    /// with that field's index. Every instance in a range shares one type,
    /// so the executor finds a field with one load and one compare.
    let cache: UnsafeMutablePointer<Atomic<UInt64>>?
    init(_ pinned: PinnedPath) {
        names = pinned.names
        cache = pinned.cache
    }
    /// An uncached path over names the caller keeps alive.
    init(_ names: UnsafeBufferPointer<FieldName>) {
        self.names = names
        cache = nil
    }
}

/// The storage a `FieldPath` points into, owned by a node.
final class PinnedPath: @unchecked Sendable {
    let names: UnsafeBufferPointer<FieldName>
    let cache: UnsafeMutablePointer<Atomic<UInt64>>
    init(_ names: [FieldName]) {
        let b = UnsafeMutableBufferPointer<FieldName>.allocate(capacity: names.count)
        _ = b.initialize(from: names)
        self.names = UnsafeBufferPointer(b)
        cache = .allocate(capacity: max(1, names.count))
        for i in 0..<names.count { (cache + i).initialize(to: Atomic(0)) }
    }
    deinit {
        let b = UnsafeMutableBufferPointer(mutating: names)
        cache.deinitialize(count: b.count)
        cache.deallocate()
        b.deinitialize()
        b.deallocate()
    }
}

/// A call of a pure function (one with a borrowing implementation) whose
/// arguments are fields of dot and literals, in call order with the piped
/// value last: `.Tags | contains "http"`, `in .Tags "http"`. The executor
/// hands the function pointers to the fields' slots and to the literals
/// kept here, so no value is copied.
final class BorrowedCall: @unchecked Sendable {
    enum Argument { case field(FieldPath), literal(Int) }
    let borrowing: TemplateFunction.Borrowing
    let arguments: [Argument]
    /// What each argument must be to be passed as it is.
    let checks: [TemplateFunction.BorrowedCheck]
    private let paths: [PinnedPath]
    /// Literal values at stable addresses (immutable after init).
    let literals: UnsafeMutablePointer<TemplateValue>
    private let literalCount: Int

    init?(declarations: [String], commands: [CommandNode]) {
        guard declarations.isEmpty, commands.count == 1 || commands.count == 2 else { return nil }
        let call = commands[commands.count - 1].arguments
        guard case .identifier(_, let f) = call[0], let borrowing = f.borrowing else { return nil }
        var operands = Array(call.dropFirst())
        if commands.count == 2 {
            let first = commands[0].arguments
            guard first.count == 1 else { return nil }
            operands.append(first[0])
        }
        guard operands.count == f.parameters.count || (f.variadic != nil && operands.count > f.parameters.count) else { return nil }
        var checks: [TemplateFunction.BorrowedCheck] = []
        for i in operands.indices {
            guard let check = f.borrowedCheck(i) else { return nil }
            checks.append(check)
        }
        var arguments: [Argument] = []
        var values: [TemplateValue] = []
        var paths: [PinnedPath] = []
        for operand in operands {
            switch operand {
            case .field(_, let names):
                let path = PinnedPath(names)
                paths.append(path)
                arguments.append(.field(FieldPath(path)))
            case .string(_, _, let v):
                arguments.append(.literal(values.count))
                values.append(v)
            case .bool(_, let b):
                arguments.append(.literal(values.count))
                values.append(.bool(b))
            default:
                return nil
            }
        }
        self.borrowing = borrowing
        self.arguments = arguments
        self.checks = checks
        self.paths = paths
        self.literalCount = values.count
        self.literals = .allocate(capacity: max(1, values.count))
        literals.initialize(from: values, count: values.count)
    }

    deinit {
        literals.deinitialize(count: literalCount)
        literals.deallocate()
    }
}

/// `{{template "name" pipeline}}`.
public final class TemplateCallNode: Sendable {
    public let position: Int
    public let name: String
    public let pipe: PipeNode?
    init(position: Int, name: String, pipe: PipeNode?) {
        self.position = position
        self.name = name
        self.pipe = pipe
    }
}

/// `declarations? command ('|' command)*`
public final class PipeNode: Sendable, CustomStringConvertible {
    public let position: Int
    /// `=` rather than `:=`.
    public let isAssign: Bool
    /// Declared variable names (`$x`), at most two.
    public let declarations: [String]
    public let commands: [CommandNode]
    /// Set when the pipeline is a call the executor makes on borrowed arguments.
    let call: Unmanaged<BorrowedCall>?
    private let callPin: BorrowedCall?
    /// Set when the pipeline is exactly `.A.B`: the executor's fast paths.
    let singleField: FieldPath?
    private let singleFieldPin: PinnedPath?
    init(position: Int, isAssign: Bool, declarations: [String], commands: [CommandNode]) {
        self.position = position
        self.isAssign = isAssign
        self.declarations = declarations
        self.commands = commands
        let call = BorrowedCall(declarations: declarations, commands: commands)
        self.callPin = call
        self.call = call.map { .passUnretained($0) }
        if declarations.isEmpty, commands.count == 1, commands[0].arguments.count == 1,
            case .field(_, let names) = commands[0].arguments[0]
        {
            let pin = PinnedPath(names)
            singleFieldPin = pin
            singleField = FieldPath(pin)
        } else {
            singleFieldPin = nil
            singleField = nil
        }
    }

    public var description: String {
        var s = ""
        if !declarations.isEmpty {
            s = declarations.joined(separator: ", ") + (isAssign ? " = " : " := ")
        }
        return s + commands.map(\.description).joined(separator: " | ")
    }
}

/// One command of a pipeline: an operand followed by arguments.
public final class CommandNode: Sendable, CustomStringConvertible {
    public let position: Int
    public let arguments: [Operand]
    init(position: Int, arguments: [Operand]) {
        self.position = position
        self.arguments = arguments
    }

    public var description: String {
        arguments.map { arg in
            if case .pipe(let p) = arg { return "(\(p))" }
            return arg.description
        }.joined(separator: " ")
    }
}

/// A number literal with every interpretation Go's parser derives from its text.
public struct NumberLiteral: Sendable {
    public let text: String
    public var int: Int64?
    public var uint: UInt64?
    public var float: Double?
    /// Go's `idealConstant` choice for an untyped use: float syntax gives float64.
    public var isFloatSyntax: Bool
}

/// An operand inside a command. Large payloads are boxed so that the enum
/// stays three words: copying an operand is then one retain at most.
public enum Operand: Sendable, CustomStringConvertible {
    case dot(position: Int)
    case nilLiteral(position: Int)
    case bool(position: Int, Bool)
    indirect case number(position: Int, NumberLiteral)
    /// A string literal; its value is `.string`, or `.bytes` when not valid UTF-8.
    indirect case string(position: Int, quoted: String, value: TemplateValue)
    /// `.A.B`
    case field(position: Int, names: [FieldName])
    /// `$x.A.B` (`names` are the fields after the variable).
    indirect case variable(position: Int, name: String, names: [FieldName])
    /// A function name.
    case identifier(position: Int, function: TemplateFunction)
    /// `(pipe).A.B` or `fn.A` style chains.
    indirect case chain(position: Int, base: Operand, names: [FieldName])
    case pipe(PipeNode)

    public var position: Int {
        switch self {
        case .dot(let p), .nilLiteral(let p), .bool(let p, _), .number(let p, _), .string(let p, _, _),
            .field(let p, _), .variable(let p, _, _), .identifier(let p, _), .chain(let p, _, _):
            return p
        case .pipe(let p): return p.position
        }
    }

    public var description: String {
        switch self {
        case .dot: return "."
        case .nilLiteral: return "nil"
        case .bool(_, let b): return b ? "true" : "false"
        case .number(_, let n): return n.text
        case .string(_, let q, _): return q
        case .field(_, let names): return names.map { "." + $0.name }.joined()
        case .variable(_, let name, let names): return name + names.map { "." + $0.name }.joined()
        case .identifier(_, let f): return f.name
        case .chain(_, let base, let names):
            let b: String
            if case .pipe(let p) = base { b = "(\(p))" } else { b = base.description }
            return b + names.map { "." + $0.name }.joined()
        case .pipe(let p): return "(\(p))"
        }
    }
}

/// A field name with a precomputed key, so struct field lookup compares
/// integers instead of strings on the hot path.
public struct FieldName: Sendable, Hashable, CustomStringConvertible {
    public let name: String
    public let key: UInt64
    public init(_ name: String) {
        self.name = name
        self.key = FieldName.key(of: name)
    }
    public var description: String { name }

    /// FNV-1a over the UTF-8 bytes.
    static func key(of name: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in name.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
        return h
    }
}
