import RetmplTemplate

/// The function library's few uses of Go's fmt, on top of the language's ``GoFormat``.
extension GoFormat {
    /// `fmt.Sprint(v)` of one `interface{}` value.
    static func v(_ value: TemplateValue) -> String { sprint([value]) }

    /// `%q` of an `interface{}` argument.
    static func q(_ value: TemplateValue) -> String { sprintf("%q", [value]) }

    /// `%q` of a `reflect.Value`, as the math functions' errors print it.
    static func quoteVerb(_ value: TemplateValue) -> String {
        if case .noValue = value { return "<invalid reflect.Value>" }
        return sprintf("%q", [value])
    }
}
