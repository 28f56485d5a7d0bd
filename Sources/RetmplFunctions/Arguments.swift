import RetmplTemplate

/// Typed access to already-converted arguments. The executor converts every
/// argument to the declared Go parameter type, so these accessors only fall
/// back to zero values for a nil of that type.
extension Array where Element == TemplateValue {
    func string(_ i: Int) -> String {
        if i < count, case .string(let s) = self[i] { return s }
        return ""
    }

    func int(_ i: Int) -> Int64 {
        guard i < count else { return 0 }
        switch self[i] {
        case .int(let v, _): return v
        case .uint(let v, _): return Int64(truncatingIfNeeded: v)
        default: return 0
        }
    }

    func bool(_ i: Int) -> Bool {
        if i < count, case .bool(let b) = self[i] { return b }
        return false
    }

    /// A `[]string` argument (or a defined type over it, like `ServiceTags`).
    func strings(_ i: Int) -> [String] {
        guard i < count, case .list(let l) = self[i] else { return [] }
        return l.elements.map { $0.stringValue ?? "" }
    }

    /// The elements of a slice argument (nil slice: empty).
    func list(_ i: Int) -> [TemplateValue] {
        guard i < count, case .list(let l) = self[i] else { return [] }
        return l.elements
    }

    /// The argument, or `noValue` when missing.
    func value(_ i: Int) -> TemplateValue { i < count ? self[i] : .noValue }
}

extension TemplateValue {
    /// Go's `%T` of an `interface{}` holding this value (`<nil>` for nil).
    var goTypeName: String { goType?.description ?? "<nil>" }
}
