/// A 1-based line and byte column in a configuration file, so every error can
/// point at the value that caused it.
public struct ConfigPosition: Sendable, Hashable, CustomStringConvertible {
    public var line: Int
    public var column: Int

    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }

    /// `line:column`.
    public var description: String { "\(line):\(column)" }
}

/// One value of the syntax tree both HCL and JSON files parse into.
///
/// The tree is deliberately untyped (HCL v1's own model): decoding into
/// ``ConfigFile`` is a separate step, so parse errors and schema errors stay
/// apart and the JSON form needs no second decoder.
public struct ConfigNode: Sendable, Hashable {
    /// What a value is. Objects keep their entries in source order, duplicates
    /// included: repeated `template` blocks are meaningful.
    public enum Value: Sendable, Hashable {
        case string(String)
        /// HCL integers are read like Go's `strconv.ParseInt(s, 0, 64)`:
        /// `0644` is octal, `0x1F` hexadecimal.
        case integer(Int64)
        case float(Double)
        case bool(Bool)
        case list([ConfigNode])
        case object([ConfigEntry])
    }

    public var value: Value
    /// Where the value starts (for a block, its opening brace).
    public var position: ConfigPosition

    public init(_ value: Value, at position: ConfigPosition) {
        self.value = value
        self.position = position
    }

    /// The kind of value in words, for "wrong type" messages.
    public var kindName: String {
        switch value {
        case .string: "string"
        case .integer: "number"
        case .float: "number"
        case .bool: "bool"
        case .list: "list"
        case .object: "block"
        }
    }
}

/// `key = value`, or `key { ... }`, inside an object.
///
/// HCL v1's `name "label" { ... }` becomes `name { label { ... } }`, as in
/// HCL v1 itself.
public struct ConfigEntry: Sendable, Hashable {
    public var key: String
    public var keyPosition: ConfigPosition
    public var value: ConfigNode

    public init(key: String, keyPosition: ConfigPosition, value: ConfigNode) {
        self.key = key
        self.keyPosition = keyPosition
        self.value = value
    }
}
