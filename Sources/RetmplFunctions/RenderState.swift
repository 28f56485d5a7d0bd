public import RetmplTemplate
public import RetmplRegistry

/// Per-execution state of consul-template's functions: the data source, the
/// dependencies the execution used and the ones still missing, and a fresh
/// `scratch`. Passed to functions as `ExecutionContext.environment`.
public final class RenderState {
    public let source: any DataSource
    /// Every dependency the execution asked for, in first-use order.
    @exclusivity(unchecked) public private(set) var used: [Dependency] = []
    /// Dependencies whose data had not arrived, in first-use order.
    @exclusivity(unchecked) public private(set) var missing: [Dependency] = []
    // Touched on every data call of a render from a single thread: dynamic
    // exclusivity checks would cost more than the set operations.
    @exclusivity(unchecked) private var usedSet: Set<Dependency> = []
    /// The data of the last few dependencies recalled, held so that two
    /// calls close together return the same objects (Go's pointer `eq`
    /// between their records holds even though the source rebuilds packed
    /// data on each recall). Bounded: holding every recalled value until the
    /// render ends would keep a 10,000-service registry unpacked in memory.
    @exclusivity(unchecked) private var recent: [(dependency: Dependency, value: TemplateValue?)] = []
    /// The hash of each `recent` dependency: the scan compares integers
    /// instead of copying entries (a retain and release each).
    @exclusivity(unchecked) private var recentHashes: [Int] = []
    @exclusivity(unchecked) private var recentNext = 0
    private static let recentLimit = 32
    @exclusivity(unchecked) private var missingSet: Set<Dependency> = []
    /// consul-template's `scratch`, fresh for each execution.
    public let scratch = Scratch()

    public init(source: any DataSource) { self.source = source }

    /// Records `dependency` as used and returns its data, or records it as
    /// missing and returns nil.
    public func track(_ dependency: Dependency) -> TemplateValue? {
        let value = recall(dependency)
        if value == nil { markMissing(dependency) }
        return value
    }

    /// Records `dependency` as used and returns its data (nil while missing),
    /// leaving to the caller whether its absence keeps the pass incomplete.
    public func recall(_ dependency: Dependency) -> TemplateValue? {
        let hash = dependency.hashValue
        for i in recentHashes.indices where recentHashes[i] == hash && recent[i].dependency == dependency {
            return recent[i].value
        }
        if usedSet.insert(dependency).inserted { used.append(dependency) }
        let value = source.recall(dependency)
        if recent.count < RenderState.recentLimit {
            recent.append((dependency, value))
            recentHashes.append(hash)
        } else {
            recent[recentNext] = (dependency, value)
            recentHashes[recentNext] = hash
            recentNext = (recentNext + 1) % RenderState.recentLimit
        }
        return value
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
