/// A recursive-descent parser after Go's `text/template/parse/parse.go`.
/// Each method's comment gives its grammar rule.
struct Parser {
    struct Failure: Error {
        let message: String
        let position: Int
    }

    private var lexer: Lexer
    private let functions: FunctionTable
    private var lookahead: [Token] = []
    private var vars: [String] = ["$"]
    private var rangeDepth = 0
    private var stackDepth = 0
    /// Deepest nesting of blocks and parentheses seen (the executor's recursion follows it).
    private(set) var maxDepth = 0
    /// The template body, once parsed.
    private(set) var root: [Node] = []
    /// `define` and `block` bodies, by name.
    private(set) var definitions: [String: [Node]] = [:]
    /// Go allows 10,000 nested parentheses; blocks count here too.
    static let maxStackDepth = 10_000

    init(source: [UInt8], leftDelim: String, rightDelim: String, functions: FunctionTable) {
        self.lexer = Lexer(input: source, leftDelim: leftDelim, rightDelim: rightDelim)
        self.functions = functions
    }

    // MARK: - token stream

    private mutating func next() -> Token {
        if let t = lookahead.popLast() { return t }
        return lexer.next()
    }

    private mutating func backup(_ t: Token) { lookahead.append(t) }

    private mutating func peek() -> Token {
        let t = next()
        backup(t)
        return t
    }

    private mutating func nextNonSpace() -> Token {
        var t = next()
        while t.kind == .space { t = next() }
        return t
    }

    private mutating func peekNonSpace() -> Token {
        let t = nextNonSpace()
        backup(t)
        return t
    }

    private func fail(_ message: String, at position: Int) -> Failure {
        Failure(message: message, position: position)
    }

    private func text(_ t: Token) -> String { lexer.text(t) }

    private func describe(_ t: Token) -> String {
        switch t.kind {
        case .eof: return "EOF"
        case .error: return t.message
        case .rightDelim, .leftDelim: return "<\(text(t))>"
        case .space: return "space"
        default:
            let s = text(t)
            if t.kind.isKeyword || t.kind == .identifier || t.kind == .field || t.kind == .variable || t.kind == .dot {
                return "<\(s)>"
            }
            return GoFormat.quote(s)
        }
    }

    private func unexpected(_ t: Token, _ context: String) -> Failure {
        if t.kind == .error {
            return fail(t.message, at: t.pos)
        }
        return fail("unexpected \(describe(t)) in \(context)", at: t.pos)
    }

    private mutating func expect(_ kind: Token.Kind, _ context: String) throws(Failure) -> Token {
        let t = nextNonSpace()
        if t.kind != kind { throw unexpected(t, context) }
        return t
    }

    // MARK: - top level

    /// `template: (text | action | define)*`
    mutating func parse() throws(Failure) -> [Node] {
        var root: [Node] = []
        while peek().kind != .eof {
            if peek().kind == .leftDelim {
                let delim = next()
                let t = nextNonSpace()
                if t.kind == .define {
                    try parseDefinition()
                    continue
                }
                backup(t)
                backup(delim)
            }
            switch try textOrAction() {
            case .node(let n): root.append(n)
            case .end(let p): throw fail("unexpected {{end}}", at: p)
            case .elseMarker(let p, _): throw fail("unexpected {{else}}", at: p)
            case .none: break
            }
        }
        if case .error = peek().kind { throw unexpected(next(), "input") }
        self.root = root
        return root
    }

    private enum Item {
        case node(Node)
        case end(Int)
        case elseMarker(Int, followedBy: Token.Kind?)
        case none
    }

    /// `define: "{{define" string "}}" itemList "{{end}}"`
    private mutating func parseDefinition() throws(Failure) {
        let context = "define clause"
        let nameToken = nextNonSpace()
        guard nameToken.kind == .string || nameToken.kind == .rawString else { throw unexpected(nameToken, context) }
        let name = try unquote(nameToken)
        _ = try expect(.rightDelim, context)
        let savedVars = vars
        vars = ["$"]
        defer { vars = savedVars }
        let (list, end) = try itemList()
        guard case .end = end else { throw fail("unexpected {{else}} in \(context)", at: end.position) }
        try addDefinition(name, list, at: nameToken.pos)
    }

    private mutating func addDefinition(_ name: String, _ list: [Node], at position: Int) throws(Failure) {
        if let existing = definitions[name], !Parser.isEmpty(existing), !Parser.isEmpty(list) {
            throw fail("template: multiple definition of template \(GoFormat.quote(name))", at: position)
        }
        if let existing = definitions[name], !Parser.isEmpty(existing), Parser.isEmpty(list) { return }
        definitions[name] = list
    }

    static func isEmpty(_ list: [Node]) -> Bool {
        for n in list {
            if case .text(let t) = n, t.bytes.allSatisfy(Lexer.isSpace) { continue }
            return false
        }
        return true
    }

    private enum ListEnd {
        case end(Int)
        case elseMarker(Int, followedBy: Token.Kind?)
        var position: Int {
            switch self {
            case .end(let p), .elseMarker(let p, _): return p
            }
        }
    }

    /// `itemList: textOrAction*` terminated by `{{end}}` or `{{else}}`.
    private mutating func itemList() throws(Failure) -> ([Node], ListEnd) {
        var list: [Node] = []
        while peekNonSpace().kind != .eof {
            switch try textOrAction() {
            case .node(let n): list.append(n)
            case .end(let p): return (list, .end(p))
            case .elseMarker(let p, let f): return (list, .elseMarker(p, followedBy: f))
            case .none: break
            }
        }
        let t = next()
        if t.kind == .error { throw unexpected(t, "input") }
        throw fail("unexpected EOF", at: t.pos)
    }

    private mutating func textOrAction() throws(Failure) -> Item {
        let t = nextNonSpace()
        switch t.kind {
        case .text:
            return .node(.text(TextNode(position: t.pos, bytes: Array(lexer.input[t.start..<t.end]))))
        case .leftDelim:
            return try action()
        case .comment:
            return .none
        default:
            throw unexpected(t, "input")
        }
    }

    /// `action: control | pipeline`
    private mutating func action() throws(Failure) -> Item {
        let t = nextNonSpace()
        switch t.kind {
        case .block: return .node(try blockControl())
        case .breakKeyword, .continueKeyword:
            let isBreak = t.kind == .breakKeyword
            let word = isBreak ? "{{break}}" : "{{continue}}"
            let n = nextNonSpace()
            if n.kind != .rightDelim { throw unexpected(n, word) }
            if rangeDepth == 0 { throw fail("\(word) outside {{range}}", at: t.pos) }
            return .node(isBreak ? .breakNode(position: t.pos) : .continueNode(position: t.pos))
        case .elseKeyword:
            let p = peekNonSpace()
            if p.kind == .ifKeyword || p.kind == .with {
                return .elseMarker(p.pos, followedBy: p.kind)
            }
            let r = try expect(.rightDelim, "else")
            return .elseMarker(r.pos, followedBy: nil)
        case .end:
            let r = try expect(.rightDelim, "end")
            return .end(r.pos)
        case .ifKeyword: return .node(.ifNode(try parseControl("if", at: t.pos)))
        case .range: return .node(.range(try parseControl("range", at: t.pos)))
        case .with: return .node(.with(try parseControl("with", at: t.pos)))
        case .template: return .node(try templateControl())
        default:
            backup(t)
            let start = peek().pos
            let pipe = try pipeline("command", end: .rightDelim)
            return .node(.action(ActionNode(position: start, pipe: pipe)))
        }
    }

    /// `control: pipeline "}}" itemList ("{{else}}" itemList | "{{else if/with ...}}")? "{{end}}"`
    private mutating func parseControl(_ context: String, at position: Int) throws(Failure) -> BranchNode {
        if stackDepth >= Parser.maxStackDepth { throw fail("max expression depth exceeded", at: position) }
        stackDepth += 1
        maxDepth = max(maxDepth, stackDepth)
        defer { stackDepth -= 1 }
        let savedVars = vars.count
        defer { if vars.count > savedVars { vars.removeLast(vars.count - savedVars) } }
        let pipe = try pipeline(context, end: .rightDelim)
        if context == "range" { rangeDepth += 1 }
        let (list, end) = try itemList()
        if context == "range" { rangeDepth -= 1 }
        var elseList: [Node]? = nil
        if case .elseMarker(let p, let followed) = end {
            if context == "if" && followed == .ifKeyword {
                _ = next()
                elseList = [.ifNode(try parseControl("if", at: p))]
            } else if context == "with" && followed == .with {
                _ = next()
                elseList = [.with(try parseControl("with", at: p))]
            } else {
                if followed != nil {
                    // `else if` inside range, or `else with` inside if: not a chained form.
                    let t = next()
                    throw unexpected(t, "else")
                }
                if context == "range" { rangeDepth += 1 }
                let (list2, end2) = try itemList()
                if context == "range" { rangeDepth -= 1 }
                guard case .end = end2 else { throw fail("expected end; found {{else}}", at: end2.position) }
                elseList = list2
            }
        }
        return BranchNode(position: position, pipe: pipe, list: list, elseList: elseList)
    }

    /// `block: "{{block" string pipeline "}}" itemList "{{end}}"`
    private mutating func blockControl() throws(Failure) -> Node {
        let context = "block clause"
        let t = nextNonSpace()
        let name = try templateName(t, context)
        let pipe = try pipeline(context, end: .rightDelim)
        let savedVars = vars
        let savedRange = rangeDepth
        vars = ["$"]
        rangeDepth = 0
        // Restored on errors too: an enclosing control trims back to its own count.
        defer {
            vars = savedVars
            rangeDepth = savedRange
        }
        let (list, end) = try itemList()
        guard case .end = end else { throw fail("unexpected {{else}} in \(context)", at: end.position) }
        try addDefinition(name, list, at: t.pos)
        return .template(TemplateCallNode(position: t.pos, name: name, pipe: pipe))
    }

    /// `template: "{{template" string pipeline? "}}"`
    private mutating func templateControl() throws(Failure) -> Node {
        let context = "template clause"
        let t = nextNonSpace()
        let name = try templateName(t, context)
        var pipe: PipeNode? = nil
        let n = nextNonSpace()
        if n.kind != .rightDelim {
            backup(n)
            pipe = try pipeline(context, end: .rightDelim)
        }
        return .template(TemplateCallNode(position: t.pos, name: name, pipe: pipe))
    }

    private func templateName(_ t: Token, _ context: String) throws(Failure) -> String {
        guard t.kind == .string || t.kind == .rawString else { throw unexpected(t, context) }
        return try unquote(t)
    }

    private func unquote(_ t: Token) throws(Failure) -> String {
        do {
            return try GoLiteral.unquote(text(t))
        } catch {
            throw fail("invalid syntax: \(text(t))", at: t.pos)
        }
    }

    // MARK: - pipelines

    /// `pipeline: declarations? command ('|' command)*`
    private mutating func pipeline(_ context: String, end: Token.Kind) throws(Failure) -> PipeNode {
        let start = peekNonSpace().pos
        var decls: [String] = []
        var isAssign = false
        declarations: while true {
            let v = peekNonSpace()
            guard v.kind == .variable else { break }
            _ = next()
            let afterVariable = peek()
            let n = peekNonSpace()
            if n.kind == .assign || n.kind == .declare {
                isAssign = n.kind == .assign
                _ = nextNonSpace()
                decls.append(text(v))
                vars.append(text(v))
                break
            } else if n.kind == .char && text(n) == "," {
                _ = nextNonSpace()
                decls.append(text(v))
                vars.append(text(v))
                if context == "range" && decls.count < 2 {
                    switch peekNonSpace().kind {
                    case .variable, .rightDelim, .rightParen:
                        continue declarations
                    default:
                        throw fail("range can only initialize variables", at: v.pos)
                    }
                }
                throw fail("too many declarations in \(context)", at: v.pos)
            } else if afterVariable.kind == .space {
                // Put back the space too, so the command sees `$x ...` unchanged.
                let sp = next()
                backup(sp)
                backup(v)
                break
            } else {
                backup(v)
                break
            }
        }
        if !decls.isEmpty && decls.count == 2 && context == "range" {
            // `range $i, $e := pipeline`: need the := or = after the second variable.
        }
        var cmds: [CommandNode] = []
        while true {
            let t = nextNonSpace()
            if t.kind == end {
                if cmds.isEmpty { throw fail("missing value for \(context)", at: t.pos) }
                for (i, c) in cmds.enumerated().dropFirst() {
                    switch c.arguments[0] {
                    case .bool, .dot, .nilLiteral, .number, .string:
                        throw fail("non executable command in pipeline stage \(i + 1)", at: c.position)
                    default: break
                    }
                }
                return PipeNode(position: start, isAssign: isAssign, declarations: decls, commands: cmds)
            }
            switch t.kind {
            case .bool, .charConstant, .dot, .field, .identifier, .number, .nilKeyword, .rawString, .string,
                .variable, .leftParen:
                backup(t)
                cmds.append(try command())
            default:
                throw unexpected(t, context)
            }
        }
    }

    /// `command: operand (space operand)*`
    private mutating func command() throws(Failure) -> CommandNode {
        let start = peekNonSpace().pos
        var args: [Operand] = []
        while true {
            _ = peekNonSpace()
            if let op = try operand() { args.append(op) }
            let t = next()
            switch t.kind {
            case .space: continue
            case .rightDelim, .rightParen: backup(t)
            case .pipe: break
            default: throw unexpected(t, "operand")
            }
            break
        }
        if args.isEmpty { throw fail("empty command", at: start) }
        return CommandNode(position: start, arguments: args)
    }

    /// `operand: term .Field*`
    private mutating func operand() throws(Failure) -> Operand? {
        guard let node = try term() else { return nil }
        guard peek().kind == .field else { return node }
        let chainPos = peek().pos
        var names: [FieldName] = []
        while peek().kind == .field {
            names.append(FieldName(String(text(next()).dropFirst())))
        }
        switch node {
        case .field(let p, let base): return .field(position: p, names: base + names)
        case .variable(let p, let name, let base): return .variable(position: p, name: name, names: base + names)
        case .bool, .string, .number, .nilLiteral, .dot:
            throw fail("unexpected . after term \(GoFormat.quote(node.description))", at: chainPos)
        default:
            return .chain(position: chainPos, base: node, names: names)
        }
    }

    /// `term: literal | function | . | nil | $var | .Field | '(' pipeline ')'`
    private mutating func term() throws(Failure) -> Operand? {
        let t = nextNonSpace()
        switch t.kind {
        case .identifier:
            let name = text(t)
            guard let f = functions[name] ?? Builtins.table[name] else {
                throw fail("function \(GoFormat.quote(name)) not defined\(suggestion(for: name))", at: t.pos)
            }
            return .identifier(position: t.pos, function: f)
        case .dot: return .dot(position: t.pos)
        case .nilKeyword: return .nilLiteral(position: t.pos)
        case .variable:
            let full = text(t)
            let parts = full.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
            let name = parts[0]
            guard vars.contains(name) else { throw fail("undefined variable \(GoFormat.quote(name))", at: t.pos) }
            return .variable(position: t.pos, name: name, names: parts.dropFirst().map(FieldName.init))
        case .field:
            let names = text(t).split(separator: ".").map { FieldName(String($0)) }
            return .field(position: t.pos, names: names)
        case .bool: return .bool(position: t.pos, text(t) == "true")
        case .charConstant, .number:
            return .number(position: t.pos, try number(t))
        case .leftParen:
            if stackDepth >= Parser.maxStackDepth { throw fail("max expression depth exceeded", at: t.pos) }
            stackDepth += 1
            maxDepth = max(maxDepth, stackDepth)
            defer { stackDepth -= 1 }
            return .pipe(try pipeline("parenthesized pipeline", end: .rightParen))
        case .string, .rawString:
            do {
                return .string(position: t.pos, quoted: text(t), value: .goString(bytes: try GoLiteral.unquoteBytes(text(t))))
            } catch {
                throw fail("invalid syntax: \(text(t))", at: t.pos)
            }
        default:
            backup(t)
            return nil
        }
    }

    private func suggestion(for name: String) -> String {
        var all = Array(functions.functions.keys)
        all.append(contentsOf: Builtins.table.functions.keys)
        guard let best = Suggest.closest(to: name, among: all) else { return "" }
        return " (did you mean \(GoFormat.quote(best))?)"
    }

    // MARK: - numbers

    private func number(_ t: Token) throws(Failure) -> NumberLiteral {
        let s = text(t)
        if t.kind == .charConstant {
            do {
                let r = try GoLiteral.unquoteRune(s)
                return NumberLiteral(text: s, int: Int64(r), uint: UInt64(r), float: Double(r), isFloatSyntax: false)
            } catch {
                throw fail("malformed character constant: \(s)", at: t.pos)
            }
        }
        if s.hasSuffix("i") {
            throw fail("complex numbers are not supported: \(s)", at: t.pos)
        }
        var n = NumberLiteral(text: s, int: nil, uint: nil, float: nil, isFloatSyntax: false)
        let u = GoNumber.parseUInt(s)
        n.uint = u
        if let i = GoNumber.parseInt(s) {
            n.int = i
            if i == 0 { n.uint = 0 }
        }
        if let i = n.int {
            n.float = Double(i)
        } else if let u = n.uint {
            n.float = Double(u)
        } else if let f = GoNumber.parseFloat(s) {
            let hasFloatSyntax = s.contains(where: { ".eEpP".contains($0) })
            if !hasFloatSyntax { throw fail("integer overflow: \(GoFormat.quote(s))", at: t.pos) }
            n.float = f
            if f.isFinite, f >= -9.223372036854775808e18, f < 9.223372036854775808e18, Double(Int64(f)) == f { n.int = Int64(f) }
            if f.isFinite, f >= 0, f < 1.8446744073709551616e19, Double(UInt64(f)) == f { n.uint = UInt64(f) }
        }
        if n.int == nil && n.uint == nil && n.float == nil {
            throw fail("illegal number syntax: \(GoFormat.quote(s))", at: t.pos)
        }
        let lower = s.lowercased()
        let isHexInt = (lower.hasPrefix("0x") || lower.hasPrefix("-0x") || lower.hasPrefix("+0x")) && !lower.contains("p")
        n.isFloatSyntax = n.float != nil && !isHexInt && s.contains(where: { ".eEpP".contains($0) })
        return n
    }
}

extension Token.Kind {
    var isKeyword: Bool {
        switch self {
        case .block, .breakKeyword, .continueKeyword, .define, .elseKeyword, .end, .ifKeyword, .nilKeyword, .range,
            .template, .with:
            return true
        default:
            return false
        }
    }
}

/// "Did you mean" suggestions by edit distance.
enum Suggest {
    static func closest(to name: String, among candidates: [String]) -> String? {
        let a = Array(name.lowercased().utf8)
        var bestWord: String? = nil
        var bestDistance = Int.max
        for c in candidates.sorted() {
            let d = distance(a, Array(c.lowercased().utf8))
            if d < bestDistance {
                bestWord = c
                bestDistance = d
            }
        }
        let limit = max(1, min(3, a.count / 3))
        return bestDistance <= limit ? bestWord : nil
    }

    /// Levenshtein distance over bytes.
    static func distance(_ a: [UInt8], _ b: [UInt8]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}
