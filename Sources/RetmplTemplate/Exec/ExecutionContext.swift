/// Per-execution state handed to template functions.
///
/// One context exists per execution, so functions may keep per-render state
/// (consul-template's `scratch` is fresh on every execution) in `environment`.
public final class ExecutionContext {
    /// Caller-supplied state for the function library (e.g. the dependency
    /// tracker of a render). The template engine never looks inside.
    public let environment: AnyObject?
    // Unowned: the executor owns this context; a strong reference would leak both.
    unowned let executor: Executor

    init(environment: AnyObject?, executor: Executor) {
        self.environment = environment
        self.executor = executor
    }

    /// Executes the associated template `name` with `data` as dot and returns its output
    /// (Go's `ExecuteTemplate`, used by consul-template's `executeTemplate`).
    public func executeTemplate(named name: String, data: TemplateValue) throws -> String {
        try executor.executeNested(name: name, data: data)
    }
}
