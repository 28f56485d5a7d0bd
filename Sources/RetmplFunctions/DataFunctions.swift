public import RetmplTemplate
import RetmplRegistry

/// consul-template's registry and environment functions: `service connect
/// services node nodes datacenters key keyExists keyOrDefault ls safeLs tree
/// safeTree file env envOrDefault mustEnv`.
///
/// Signatures are consul-template's (they drive argument conversion and its
/// error messages). Each data function records its dependency through the
/// execution's ``RenderState``; while the data has not arrived it returns
/// consul-template's empty value (`[]`, `""`, the default, nil).
public enum DataFunctions {
    public static var all: [TemplateFunction] {
        [
            service, connect, services, node, nodes, datacenters,
            key, keyExists, keyOrDefault, ls, safeLs, tree, safeTree, file,
            env, envOrDefault, mustEnv,
        ]
    }

    // MARK: - Empty results (shared, so a missing dependency allocates nothing)

    private static let noHealthServices = TemplateValue.list(TemplateList(type: RegistryTypes.healthServiceList, elements: []))
    private static let noSnippets = TemplateValue.list(TemplateList(type: RegistryTypes.catalogSnippetList, elements: []))
    private static let noNodes = TemplateValue.list(TemplateList(type: RegistryTypes.nodeList, elements: []))
    private static let noKeyPairs = TemplateValue.list(TemplateList(type: RegistryTypes.keyPairList, elements: []))
    private static let noStrings = TemplateValue.strings([])

    /// Parses a query, turning grammar errors into function errors.
    private static func query(_ parse: () throws(DependencyError) -> Dependency) throws -> Dependency {
        do {
            return try parse()
        } catch {
            throw TemplateFunctionError(error.message)
        }
    }

    /// Go's `strings.Join` of the variadic string arguments.
    private static func joined(_ args: [TemplateValue], _ separator: String) -> String {
        if args.count == 1 { return args.string(0) }
        return args.indices.map { args.string($0) }.joined(separator: separator)
    }

    // MARK: - Catalog and health

    /// `service(...string) ([]*dependency.HealthService, error)`: extra
    /// arguments are joined with `|` (`service "web" "any"` = `"web|any"`).
    static let service = health("service", connect: false)
    /// `connect(...string) ([]*dependency.HealthService, error)`.
    static let connect = health("connect", connect: true)

    private static func health(_ name: String, connect: Bool) -> TemplateFunction {
        TemplateFunction(name, [], variadic: .string) { args, context in
            if args.isEmpty || args.string(0).isEmpty { return noHealthServices }
            let text = joined(args, "|")
            let dependency = try query { () throws(DependencyError) in try Dependency.healthService(text, connect: connect) }
            return try RenderState.of(context).track(dependency) ?? noHealthServices
        }
    }

    /// `services(...string) ([]*dependency.CatalogSnippet, error)`: arguments joined with "".
    static let services = TemplateFunction("services", [], variadic: .string) { args, context in
        let text = joined(args, "")
        let dependency = try query { () throws(DependencyError) in try Dependency.catalogServices(text) }
        return try RenderState.of(context).track(dependency) ?? noSnippets
    }

    /// `node(...string) (interface{}, error)`: the `*dependency.CatalogNode`,
    /// or nil while the data has not arrived.
    static let node = TemplateFunction("node", [], variadic: .string) { args, context in
        let text = joined(args, "")
        let dependency = try query { () throws(DependencyError) in try Dependency.catalogNode(text) }
        return try RenderState.of(context).track(dependency) ?? .noValue
    }

    /// `nodes(...string) ([]*dependency.Node, error)`.
    static let nodes = TemplateFunction("nodes", [], variadic: .string) { args, context in
        let text = joined(args, "")
        let dependency = try query { () throws(DependencyError) in try Dependency.catalogNodes(text) }
        return try RenderState.of(context).track(dependency) ?? noNodes
    }

    /// `datacenters(...bool) ([]string, error)`.
    static let datacenters = TemplateFunction("datacenters", [], variadic: .bool) { args, context in
        guard args.count <= 1 else {
            throw TemplateFunctionError(
                "datacenters: wrong number of arguments, expected 0 or 1, but got \(args.count)")
        }
        let dependency = Dependency.catalogDatacenters(ignoreFailing: args.bool(0))
        return try RenderState.of(context).track(dependency) ?? noStrings
    }

    // MARK: - KV

    /// `key(string) (string, error)`: blocks (stays missing) until the key exists.
    static let key = TemplateFunction("key", [.string]) { args, context in
        let text = args.string(0)
        if text.isEmpty { return .string("") }
        let dependency = try query { () throws(DependencyError) in try Dependency.kvGet(text, blocking: true) }
        if case .string(let v)? = try RenderState.of(context).track(dependency) { return .string(v) }
        return .string("")
    }

    /// `keyExists(string) (bool, error)`: true for an existing key, even an empty one.
    static let keyExists = TemplateFunction("keyExists", [.string]) { args, context in
        let text = args.string(0)
        if text.isEmpty { return .bool(false) }
        let dependency = try query { () throws(DependencyError) in try Dependency.kvGet(text, blocking: false) }
        if case .string? = try RenderState.of(context).track(dependency) { return .bool(true) }
        return .bool(false)
    }

    /// `keyOrDefault(string, string) (string, error)`: the default for a
    /// missing or empty value.
    static let keyOrDefault = TemplateFunction("keyOrDefault", [.string, .string]) { args, context in
        let text = args.string(0)
        let fallback = args.string(1)
        if text.isEmpty { return .string(fallback) }
        let dependency = try query { () throws(DependencyError) in try Dependency.kvGet(text, blocking: false) }
        if case .string(let v)? = try RenderState.of(context).track(dependency), !v.isEmpty { return .string(v) }
        return .string(fallback)
    }

    /// `ls`: direct, non-empty children only.
    static let ls = list("ls", emptyIsSafe: true, tree: false)
    /// `safeLs`: like `ls`, but an empty result keeps the template from rendering.
    static let safeLs = list("safeLs", emptyIsSafe: false, tree: false)
    /// `tree`: every key not ending in `/`.
    static let tree = list("tree", emptyIsSafe: true, tree: true)
    /// `safeTree`: like `tree`, but an empty result keeps the template from rendering.
    static let safeTree = list("safeTree", emptyIsSafe: false, tree: true)

    /// `func(string) ([]*dependency.KeyPair, error)` over `kv.list(prefix)`,
    /// filtering like consul-template's `listFunc`.
    private static func list(_ name: String, emptyIsSafe: Bool, tree: Bool) -> TemplateFunction {
        TemplateFunction(name, [.string]) { args, context in
            let text = args.string(0)
            if text.isEmpty { return noKeyPairs }
            let dependency = try query { () throws(DependencyError) in try Dependency.kvList(text) }
            let state = try RenderState.of(context)
            if case .list(let pairs)? = state.recall(dependency) {
                let kept = pairs.elements.filter { pair in
                    // Field 1 of dependency.KeyPair is Key.
                    guard case .record(let r) = pair, case .string(let key) = r.fields[1] else { return false }
                    if tree { return !key.isEmpty && key.utf8.last != UInt8(ascii: "/") }
                    return !key.isEmpty && !key.utf8.contains(UInt8(ascii: "/"))
                }
                let result = kept.count == pairs.elements.count
                    ? TemplateValue.list(pairs) : .list(TemplateList(type: RegistryTypes.keyPairList, elements: kept))
                if !kept.isEmpty || emptyIsSafe { return result }
            }
            state.markMissing(dependency)
            return noKeyPairs
        }
    }

    // MARK: - Files

    /// `file(string) (string, error)`: the path is trimmed and cleaned; a
    /// missing file keeps the template from rendering.
    static let file = TemplateFunction("file", [.string]) { args, context in
        let text = args.string(0)
        if text.isEmpty { return .string("") }
        let path = RegistryPaths.clean(RegistryPaths.trimSpace(text))
        let dependency = try query { () throws(DependencyError) in try Dependency.file(path) }
        if case .string(let v)? = try RenderState.of(context).track(dependency) { return .string(v) }
        return .string("")
    }

    // MARK: - Environment (not dependencies)

    /// `env(string) (string, error)`.
    static let env = TemplateFunction("env", [.string]) { args, context in
        .string(try RenderState.of(context).source.environmentValue(args.string(0)) ?? "")
    }

    /// `envOrDefault(string, string) (string, error)`: the default only when unset.
    static let envOrDefault = TemplateFunction("envOrDefault", [.string, .string]) { args, context in
        .string(try RenderState.of(context).source.environmentValue(args.string(0)) ?? args.string(1))
    }

    /// `mustEnv(string) (string, error)`: an unset or empty variable is an error.
    static let mustEnv = TemplateFunction("mustEnv", [.string]) { args, context in
        let name = args.string(0)
        let value = try RenderState.of(context).source.environmentValue(name) ?? ""
        if value.isEmpty { throw TemplateFunctionError("required environment variable \(name) is empty") }
        return .string(value)
    }
}
