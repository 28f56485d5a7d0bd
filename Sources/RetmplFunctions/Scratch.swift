public import RetmplTemplate

/// consul-template's `scratch`: a per-execution key/value scratch pad.
/// Placeholder: methods are added by the function library.
public final class Scratch: @unchecked Sendable {
    public init() {}
}
