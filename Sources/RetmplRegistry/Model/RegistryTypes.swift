public import RetmplTemplate

/// The Go types consul-template hands to templates, named as Go prints them
/// (`%T`, error messages) and laid out field for field like consul-template's
/// structs, so field access, `%v`/`%+v` and `toJSON` see what Go sees.
///
/// JSON metadata follows encoding/json: `jsonName` `"-"` means the field is
/// never encoded (`json:"-"`); `api.HealthCheckDefinition` has a custom
/// `MarshalJSON` (see ``RegistryTypes/jsonMembers(of:)``).
public enum RegistryTypes {
    // MARK: Package api

    /// `api.AgentWeights` (a struct value inside `HealthService`, not a pointer).
    public static let agentWeights = RecordType(name: "api.AgentWeights", fields: [
        .init("Passing", .int),
        .init("Warning", .int),
    ])

    /// `api.ServiceAddress` (values of `ServiceTaggedAddresses`).
    public static let serviceAddress = RecordType(name: "api.ServiceAddress", fields: [
        .init("Address", .string),
        .init("Port", .int),
    ])

    /// `time.Duration`: an int64 of nanoseconds that prints as `1m30s`.
    public static let durationType: GoType = .named("time.Duration", .int64)
    /// `api.ReadableDuration`: like `time.Duration`, but its `String` method has
    /// a pointer receiver.
    public static let readableDurationType: GoType = .named("api.ReadableDuration", .int64)
    /// `map[string][]string` (HTTP check headers).
    public static let headerMapType: GoType = .map(key: .string, value: .stringSlice)

    /// `api.HealthCheckDefinition`.
    public static let healthCheckDefinition = RecordType(name: "api.HealthCheckDefinition", fields: [
        .init("HTTP", .string),
        .init("Header", headerMapType),
        .init("Method", .string),
        .init("Body", .string),
        .init("TLSServerName", .string),
        .init("TLSSkipVerify", .bool),
        .init("TCP", .string),
        .init("TCPUseTLS", .bool),
        .init("UDP", .string),
        .init("GRPC", .string),
        .init("OSService", .string),
        .init("GRPCUseTLS", .bool),
        .init("IntervalDuration", durationType, jsonName: "-"),
        .init("TimeoutDuration", durationType, jsonName: "-"),
        .init("DeregisterCriticalServiceAfterDuration", durationType, jsonName: "-"),
        .init("SessionName", .string, omitEmpty: true),
        .init("Interval", readableDurationType),
        .init("Timeout", readableDurationType),
        .init("DeregisterCriticalServiceAfter", readableDurationType),
    ])

    /// `api.HealthCheck`.
    public static let healthCheck = RecordType(name: "api.HealthCheck", fields: [
        .init("Node", .string),
        .init("CheckID", .string),
        .init("Name", .string),
        .init("Status", .string),
        .init("Notes", .string),
        .init("Output", .string),
        .init("ServiceID", .string),
        .init("ServiceName", .string),
        .init("ServiceTags", .stringSlice),
        .init("Type", .string),
        .init("Namespace", .string, omitEmpty: true),
        .init("Partition", .string, omitEmpty: true),
        .init("ExposedPort", .int),
        .init("PeerName", .string, omitEmpty: true),
        .init("Definition", .record(healthCheckDefinition)),
        .init("CreateIndex", .uint64),
        .init("ModifyIndex", .uint64),
    ])

    /// `api.HealthChecks` (`[]*api.HealthCheck`).
    public static let healthChecksType: GoType = .named("api.HealthChecks", .slice(.pointer(.record(healthCheck))))

    // MARK: Package dependency

    /// `dependency.ServiceTags` (`[]string`).
    public static let serviceTagsType: GoType = .named("dependency.ServiceTags", .stringSlice)
    /// `map[string]api.ServiceAddress`.
    public static let serviceAddressMapType: GoType = .map(key: .string, value: .record(serviceAddress))

    /// `dependency.HealthService`: what `service` and `connect` return.
    public static let healthService = RecordType(name: "dependency.HealthService", fields: [
        .init("Node", .string),
        .init("NodeID", .string),
        .init("NodeAddress", .string),
        .init("NodeTaggedAddresses", .stringStringMap),
        .init("NodeMeta", .stringStringMap),
        .init("ServiceMeta", .stringStringMap),
        .init("Address", .string),
        .init("ServiceTaggedAddresses", serviceAddressMapType),
        .init("ID", .string),
        .init("Name", .string),
        .init("Tags", serviceTagsType),
        .init("Checks", healthChecksType),
        .init("Status", .string),
        .init("Port", .int),
        .init("Weights", .record(agentWeights)),
    ])

    /// `dependency.CatalogSnippet`: one entry of `services`.
    public static let catalogSnippet = RecordType(name: "dependency.CatalogSnippet", fields: [
        .init("Name", .string),
        .init("Tags", serviceTagsType),
    ])

    /// `dependency.Node`: one entry of `nodes`, and `CatalogNode.Node`.
    public static let node = RecordType(name: "dependency.Node", fields: [
        .init("ID", .string),
        .init("Node", .string),
        .init("Address", .string),
        .init("Datacenter", .string),
        .init("TaggedAddresses", .stringStringMap),
        .init("Meta", .stringStringMap),
    ])

    /// `dependency.CatalogNodeService`: a service registered on a node.
    public static let catalogNodeService = RecordType(name: "dependency.CatalogNodeService", fields: [
        .init("ID", .string),
        .init("Service", .string),
        .init("Tags", serviceTagsType),
        .init("Meta", .stringStringMap),
        .init("Port", .int),
        .init("Address", .string),
        .init("EnableTagOverride", .bool),
    ])

    /// `dependency.CatalogNode`: what `node` returns.
    public static let catalogNode = RecordType(name: "dependency.CatalogNode", fields: [
        .init("Node", .pointer(.record(node))),
        .init("Services", .slice(.pointer(.record(catalogNodeService)))),
    ])

    /// `dependency.KeyPair`: one entry of `ls` / `tree`.
    public static let keyPair = RecordType(name: "dependency.KeyPair", fields: [
        .init("Path", .string),
        .init("Key", .string),
        .init("Value", .string),
        .init("CreateIndex", .uint64),
        .init("ModifyIndex", .uint64),
        .init("LockIndex", .uint64),
        .init("Flags", .uint64),
        .init("Session", .string),
    ])

    // MARK: Result types

    /// `[]*dependency.HealthService`.
    public static let healthServiceList: GoType = .slice(.pointer(.record(healthService)))
    /// `[]*dependency.CatalogSnippet`.
    public static let catalogSnippetList: GoType = .slice(.pointer(.record(catalogSnippet)))
    /// `[]*dependency.Node`.
    public static let nodeList: GoType = .slice(.pointer(.record(node)))
    /// `[]*dependency.CatalogNodeService`.
    public static let catalogNodeServiceList: GoType = .slice(.pointer(.record(catalogNodeService)))
    /// `[]*dependency.KeyPair`.
    public static let keyPairList: GoType = .slice(.pointer(.record(keyPair)))
    /// `*dependency.CatalogNode`.
    public static let catalogNodePointer: GoType = .pointer(.record(catalogNode))
    /// `*dependency.Node`.
    public static let nodePointer: GoType = .pointer(.record(node))

    // MARK: JSON encoding

    /// The members encoding/json writes for a record whose Go type has a custom
    /// `MarshalJSON`, in output order; nil for ordinary records.
    ///
    /// Only `api.HealthCheckDefinition` has one (through its address, which
    /// templates always have since checks are pointers): `Interval`, `Timeout`
    /// and `DeregisterCriticalServiceAfter` come first as Go duration strings
    /// (`"10s"`, `"0s"`), then the remaining fields in order, skipping the
    /// `json:"-"` ones and an empty `SessionName`.
    public static func jsonMembers(of record: TemplateRecord) -> [(key: String, value: TemplateValue)]? {
        guard record.type === healthCheckDefinition else { return nil }
        // Go picks the *Duration field when non-zero, else the legacy field.
        func duration(_ name: String) -> TemplateValue {
            let primary = record[name + "Duration"]?.intValue ?? 0
            return .string(GoDuration.format(primary != 0 ? primary : record[name]?.intValue ?? 0))
        }
        var out: [(key: String, value: TemplateValue)] = [
            ("Interval", duration("Interval")),
            ("Timeout", duration("Timeout")),
            ("DeregisterCriticalServiceAfter", duration("DeregisterCriticalServiceAfter")),
        ]
        let leading: Set<String> = ["Interval", "Timeout", "DeregisterCriticalServiceAfter"]
        for (i, field) in record.type.fields.enumerated() where field.jsonName != "-" && !leading.contains(field.name) {
            let value = record.fields[i]
            if field.omitEmpty, case .string(let s) = value, s.isEmpty { continue }
            out.append((field.jsonName ?? field.name, value))
        }
        return out
    }
}
