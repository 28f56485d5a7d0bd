import RetmplTemplate

/// consul-template functions retmpl cannot provide: they are registered so
/// templates parse as they do in consul-template, and fail when called.
enum UnsupportedFunctions {
    /// Name and what it would need.
    static let names: [(name: String, needs: String)] = [
        ("secret", "Vault"), ("secrets", "Vault"), ("pkiCert", "Vault"),
        ("caRoots", "Consul Connect CA"), ("caLeaf", "Consul Connect CA"),
        ("nomadServices", "Nomad"), ("nomadService", "Nomad"), ("nomadVar", "Nomad"),
        ("nomadVarExists", "Nomad"), ("nomadVarList", "Nomad"), ("nomadVarListSafe", "Nomad"),
        ("partitions", "Consul Enterprise"), ("peerings", "Consul peering"),
        ("exportedServices", "Consul Enterprise"), ("importedServices", "Consul Enterprise"),
        ("plugin", "running host programs"), ("writeToFile", "writing host files"),
        ("sockaddr", "host network interfaces"),
        ("spew_dump", "go-spew"), ("spew_printf", "go-spew"), ("spew_sdump", "go-spew"), ("spew_sprintf", "go-spew"),
    ]

    static var all: [TemplateFunction] {
        names.map { failing($0.name, needs: $0.needs) }
    }

    /// A function taking anything that fails with `NAME is not supported by retmpl (needs X)`.
    static func failing(_ name: String, needs: String) -> TemplateFunction {
        TemplateFunction(name, [], variadic: .interface) { _, _ in
            throw TemplateFunctionError("\(name) is not supported by retmpl (needs \(needs))")
        }
    }
}
