public import RetmplTemplate
public import RetmplRegistry

/// Per-execution state of consul-template's functions: the data source, the
/// dependencies the execution used and the ones still missing, and a fresh
/// `scratch`. Passed to functions as `ExecutionContext.environment`.
public final class RenderState {
    public let source: any DataSource
    /// Every dependency the execution asked for, in first-use order.
    public private(set) var used: [Dependency] = []
    /// Dependencies whose data had not arrived, in first-use order.
    public private(set) var missing: [Dependency] = []
    private var usedSet: Set<Dependency> = []
    private var missingSet: Set<Dependency> = []
    /// consul-template's `scratch`, fresh for each execution.
    public let scratch = Scratch()

    public init(source: any DataSource) { self.source = source }

    /// Records `dependency` as used and returns its data, or records it as
    /// missing and returns nil.
    public func track(_ dependency: Dependency) -> TemplateValue? {
        markUsed(dependency)
        if let v = recalled[dependency] { return v }
        if let v = source.recall(dependency) {
            recalled[dependency] = v
            return v
        }
        markMissing(dependency)
        return nil
    }

    /// The data of each dependency as first recalled: an execution sees one
    /// version of it, as the same objects (Go's pointer `eq` between records
    /// of two calls holds even when the source rebuilds data on recall).
    private var recalled: [Dependency: TemplateValue] = [:]

    public func markUsed(_ dependency: Dependency) {
        if usedSet.insert(dependency).inserted { used.append(dependency) }
    }

    public func markMissing(_ dependency: Dependency) {
        if missingSet.insert(dependency).inserted { missing.append(dependency) }
    }

    /// The render state of a function call (the executor always supplies one
    /// when rendering through ``TemplateRenderer``).
    public static func of(_ context: ExecutionContext) throws -> RenderState {
        guard let state = context.environment as? RenderState else {
            throw TemplateFunctionError("this function needs registry data (render through TemplateRenderer)")
        }
        return state
    }
}
