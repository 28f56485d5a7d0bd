/// Decodes `api.HealthCheckDefinition` the way its custom `UnmarshalJSON`
/// does: a plain `json.Unmarshal` (unknown fields ignored, names matched
/// case-insensitively), then the `*Duration` fields (strings or
/// nanoseconds) and the legacy duration fields are synchronised.
enum CheckDefinitionDecoder {
    struct Failure: Error {
        /// Field path below the definition (`Interval`), or "".
        let path: String
        let message: String
    }

    static let fields = FieldTable("api.HealthCheckDefinition", [
        "HTTP", "Header", "Method", "Body", "TLSServerName", "TLSSkipVerify", "TCP", "TCPUseTLS", "UDP", "GRPC",
        "OSService", "GRPCUseTLS", "SessionName", "Interval", "Timeout", "DeregisterCriticalServiceAfter",
        "IntervalDuration", "TimeoutDuration", "DeregisterCriticalServiceAfterDuration",
    ])

    static func decode(_ value: JSONValue, into def: inout HealthCheckDefinitionData) throws(Failure) {
        let members: [(key: String, value: JSONValue)]
        switch value {
        case .null: return
        case .object(let m): members = m
        default: throw Failure(path: "", message: "json: cannot unmarshal \(value.kindName) into Go value of type api.HealthCheckDefinition")
        }
        var raw: [JSONValue?] = [nil, nil, nil]
        var d = def
        for (key, v) in members {
            guard let field = fields.index(of: key) else { continue }
            let name = fields.names[field]
            func string(_ target: inout String) throws(Failure) {
                switch v {
                case .string(let s): target = s
                case .null: break
                default: throw typeError(name, v, "string")
                }
            }
            func bool(_ target: inout Bool) throws(Failure) {
                switch v {
                case .bool(let b): target = b
                case .null: break
                default: throw typeError(name, v, "bool")
                }
            }
            func duration(_ target: inout Int64) throws(Failure) {
                // api.ReadableDuration.UnmarshalJSON: a duration string (null
                // reads as "", which is invalid) or nanoseconds.
                switch v {
                case .string(let s): target = try parseDuration(s, name)
                case .null: target = try parseDuration("", name)
                case .number(let n, _): target = goInt64(n)
                default: throw Failure(path: name, message: "json: cannot unmarshal \(v.kindName) into Go value of type float64")
                }
            }
            switch field {
            case 0: try string(&d.http)
            case 1: d.header = try header(v, name, existing: d.header)
            case 2: try string(&d.method)
            case 3: try string(&d.body)
            case 4: try string(&d.tlsServerName)
            case 5: try bool(&d.tlsSkipVerify)
            case 6: try string(&d.tcp)
            case 7: try bool(&d.tcpUseTLS)
            case 8: try string(&d.udp)
            case 9: try string(&d.grpc)
            case 10: try string(&d.osService)
            case 11: try bool(&d.grpcUseTLS)
            case 12: try string(&d.sessionName)
            case 13: try duration(&d.interval)
            case 14: try duration(&d.timeout)
            case 15: try duration(&d.deregisterCriticalServiceAfter)
            default: raw[field - 16] = v
            }
        }
        try sync(raw[0], &d.intervalDuration, &d.interval, "IntervalDuration")
        try sync(raw[1], &d.timeoutDuration, &d.timeout, "TimeoutDuration")
        try sync(raw[2], &d.deregisterCriticalServiceAfterDuration, &d.deregisterCriticalServiceAfter,
                 "DeregisterCriticalServiceAfterDuration")
        def = d
    }

    /// Absent or null: take the legacy value; a string or a number sets the
    /// duration; then the legacy field follows the duration.
    private static func sync(_ raw: JSONValue?, _ duration: inout Int64, _ legacy: inout Int64, _ name: String) throws(Failure) {
        switch raw {
        case nil, .null?:
            duration = legacy
            return
        case .string(let s)?:
            duration = try parseDuration(s, name)
        case .number(let n, _)?:
            duration = goInt64(n)
        default:
            break
        }
        legacy = duration
    }

    private static func header(
        _ v: JSONValue, _ name: String, existing: [(key: String, value: [String]?)]?
    ) throws(Failure) -> [(key: String, value: [String]?)]? {
        switch v {
        case .null: return nil
        case .object(let members):
            var out = existing ?? []
            for (key, item) in members {
                switch item {
                case .null: out.append((key, nil))
                case .array(let items):
                    var values: [String] = []
                    for element in items {
                        switch element {
                        case .string(let s): values.append(s)
                        case .null: values.append("")
                        default: throw typeError(name + "." + key, element, "string")
                        }
                    }
                    out.append((key, values))
                default: throw typeError(name + "." + key, item, "[]string")
                }
            }
            return out
        default:
            throw typeError(name, v, "map[string][]string")
        }
    }

    private static func parseDuration(_ s: String, _ name: String) throws(Failure) -> Int64 {
        do { return try GoDuration.parse(s) } catch { throw Failure(path: name, message: error.message) }
    }

    private static func typeError(_ path: String, _ v: JSONValue, _ goType: String) -> Failure {
        Failure(path: path, message: "json: cannot unmarshal \(v.kindName) into Go value of type \(goType)")
    }

    /// Go's float64 -> int64 conversion (truncation; amd64 gives the minimum
    /// value when out of range).
    static func goInt64(_ x: Double) -> Int64 {
        guard x > -9_223_372_036_854_775_808.0 && x < 9_223_372_036_854_775_808.0 else { return .min }
        return Int64(x)
    }
}
