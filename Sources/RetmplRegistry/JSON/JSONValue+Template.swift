public import RetmplTemplate

extension JSONValue {
    /// The value Go's `json.Unmarshal` stores into an `interface{}`: objects
    /// become `map[string]interface {}` (a repeated key keeps its last value),
    /// arrays `[]interface {}`, numbers `float64`, and null the nil interface
    /// (`.noValue`).
    ///
    /// Throws ``JSONError`` for a number outside float64's range, with Go's
    /// message (`json: cannot unmarshal number 1e400 into Go value of type float64`);
    /// the error has no position (offset, line and column are 0).
    public func toTemplateValue() throws -> TemplateValue {
        switch self {
        case .null:
            return .noValue
        case .bool(let b):
            return .bool(b)
        case .number(let v, let text):
            guard v.isFinite else {
                throw JSONError(
                    message: "json: cannot unmarshal number \(text) into Go value of type float64",
                    offset: 0, line: 0, column: 0)
            }
            return .float(v, .float64)
        case .string(let s):
            return .string(s)
        case .array(let items):
            var elements: [TemplateValue] = []
            elements.reserveCapacity(items.count)
            for item in items { elements.append(try item.toTemplateValue()) }
            return .list(TemplateList(type: .anySlice, elements: elements))
        case .object(let members):
            var entries: [(key: MapKey, value: TemplateValue)] = []
            entries.reserveCapacity(members.count)
            for m in members { entries.append((key: .string(m.key), value: try m.value.toTemplateValue())) }
            return .map(TemplateMap(type: .stringAnyMap, unsorted: entries))
        }
    }
}
