public import RetmplTemplate

/// Where a render gets its data: the latest value of each dependency
/// (consul-template's "brain"), plus the process-level facts templates read.
public protocol DataSource: AnyObject {
    /// The data received for `dependency`, or nil while it has not arrived.
    ///
    /// Received-but-absent data (a `keyExists` on a missing key) is `.noValue`,
    /// not nil: nil means "missing", which keeps a pass from being complete.
    func recall(_ dependency: Dependency) -> TemplateValue?
    /// An environment variable as `env` sees it, or nil when unset.
    func environmentValue(_ name: String) -> String?
    /// The clock `timestamp` formats (UTC).
    var now: Timestamp { get }
}

/// A UTC instant: seconds since the Unix epoch plus nanoseconds.
public struct Timestamp: Sendable, Hashable {
    public var seconds: Int64
    public var nanoseconds: Int32
    public init(seconds: Int64, nanoseconds: Int32 = 0) {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
    }
    /// Go's zero `time.Time` (0001-01-01T00:00:00Z).
    public static let goZero = Timestamp(seconds: -62_135_596_800)
}
