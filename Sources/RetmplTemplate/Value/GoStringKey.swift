/// A string that is equal to another only when their bytes are, as Go
/// compares strings: the key type for dictionaries that stand for Go maps.
/// Swift's `String` equates canonically equivalent strings ("é" and
/// "e\u{301}"), which would merge keys that Go keeps apart.
public struct GoStringKey: Hashable, Sendable {
    public let string: String

    public init(_ string: String) { self.string = string }

    public static func == (a: GoStringKey, b: GoStringKey) -> Bool { GoFormat.sameBytes(a.string, b.string) }

    public func hash(into hasher: inout Hasher) {
        GoFormat.withUTF8(string) { hasher.combine(bytes: UnsafeRawBufferPointer($0)) }
    }
}
