/// Placeholder: replaced by the real tree-walking executor.
final class Executor {
    func executeNested(name: String, data: TemplateValue) throws -> String { "" }
}
