public import RetmplTemplate
import Foundation

extension Snapshot {
    /// Resolves a query the way the oracle's `Fetch` does. Returns nil when
    /// the data never becomes available (a missing `key`, a missing `file`),
    /// `.noValue` for received-but-absent data (`keyExists` of a missing key).
    ///
    /// Each call builds the result anew (from memoised records);
    /// ``SnapshotSource`` caches results per dependency.
    public func fetch(_ query: Dependency.Query) -> TemplateValue? {
        fetchLock.lock()
        defer { fetchLock.unlock() }
        switch query {
        case .healthService(let q): return healthServices(q)
        case .catalogServices(let scope): return catalogServices(scope)
        case .catalogNode(let name, let scope): return catalogNode(name, scope)
        case .catalogNodes(let scope, let near): return catalogNodes(scope, near: near)
        case .catalogDatacenters: return .strings(datacenterList())
        case .kvGet(let key, let scope, let blocking):
            if kvVisible(scope), let v = kv[GoStringKey(key)] { return .string(v) }
            return blocking ? nil : .noValue
        case .kvList(let prefix, let scope): return kvList(prefix, scope)
        case .file(let path):
            return files[GoStringKey(GoPath.clean(path))].map { .string($0) }
        }
    }

    // MARK: - Scope

    private func dcOf(_ dc: String) -> String { dc.isEmpty ? datacenter : dc }

    private func orDefault(_ s: String) -> String { s.isEmpty ? "default" : s }

    private func instanceInScope(_ i: ServiceInstance, _ scope: Dependency.Scope) -> Bool {
        dcOf(i.nodeDatacenter) == dcOf(scope.datacenter)
            && orDefault(i.namespace) == orDefault(scope.namespace)
            && orDefault(i.partition) == orDefault(scope.partition)
            && i.peerName == scope.peer
    }

    private func nodeInScope(_ n: SnapshotNode, _ scope: Dependency.Scope) -> Bool {
        dcOf(n.datacenter) == dcOf(scope.datacenter) && orDefault(n.partition) == orDefault(scope.partition)
    }

    /// The KV store belongs to the default datacenter, namespace and partition.
    private func kvVisible(_ scope: Dependency.Scope) -> Bool {
        dcOf(scope.datacenter) == datacenter && orDefault(scope.namespace) == "default"
            && orDefault(scope.partition) == "default"
    }

    // MARK: - Services

    /// Instances of the (case-insensitive) name in scope, tag-filtered
    /// (case-insensitive), health-filtered, sorted by Node then ID unless
    /// `~near` is given (snapshot order then).
    private func healthServices(_ q: Dependency.HealthServiceQuery) -> TemplateValue {
        let entries = q.connect ? connect : services
        let index = q.connect ? connectByLowerName : servicesByLowerName
        let tag = GoString.asciiLower(q.tag)
        var matches: [(entry: Int, index: Int, node: String, id: String)] = []
        for e in index[GoString.asciiLower(q.name)] ?? [] {
            let entry = entries[e]
            for (i, instance) in entry.instances.enumerated() {
                guard instanceInScope(instance, q.scope) else { continue }
                if !tag.isEmpty && !list(instance.tags).contains(where: { GoString.lowersTo($0, tag) }) { continue }
                let status = instance.effectiveStatus
                guard q.filters.contains(where: { $0 == status || $0 == "any" }) else { continue }
                matches.append((e, i, instance.node, instance.effectiveID(key: entry.key)))
            }
        }
        if q.near.isEmpty {
            matches = stableSorted(matches) { a, b in
                let c = GoString.compare(a.node, b.node)
                return c != 0 ? c : GoString.compare(a.id, b.id)
            }
        }
        return .list(TemplateList(
            type: RegistryTypes.healthServiceList,
            elements: matches.map { SnapshotRecords.healthService(entries[$0.entry], $0.index, self) }))
    }

    /// Services with an instance (any health) in scope, sorted by name, each
    /// with the sorted, deduplicated union of its instances' tags. Go
    /// returns a nil slice when there are none.
    private func catalogServices(_ scope: Dependency.Scope) -> TemplateValue {
        var out: [TemplateValue] = []
        for entry in services {
            var found = false
            var tags: [String] = []
            for instance in entry.instances where instanceInScope(instance, scope) {
                found = true
                tags.append(contentsOf: list(instance.tags))
            }
            guard found else { continue }
            // Deduplicate (few distinct tags per service), then sort.
            var unique: [String] = []
            for t in tags where !unique.contains(where: { GoFormat.sameBytes($0, t) }) { unique.append(t) }
            unique.sort { GoString.less($0, $1) }
            out.append(.record(TemplateRecord(type: RegistryTypes.catalogSnippet, fields: [
                .string(entry.key),
                .list(TemplateList(type: RegistryTypes.serviceTagsType, elements: unique.map { .string($0) })),
            ])))
        }
        if out.isEmpty { return .null(RegistryTypes.catalogSnippetList) }
        return .list(TemplateList(type: RegistryTypes.catalogSnippetList, elements: out))
    }

    // MARK: - Nodes

    /// The node (case-insensitive; "" = the agent's node) with its services
    /// sorted by service name then ID, or an empty `CatalogNode`.
    private func catalogNode(_ queryName: String, _ scope: Dependency.Scope) -> TemplateValue {
        var name = queryName
        if name.isEmpty {
            name = agentNode
            if name.isEmpty, let first = nodes.first(where: { dcOf($0.datacenter) == datacenter }) {
                name = first.node
            }
        }
        guard let foundIndex = nodes.firstIndex(where: { GoString.equalFold($0.node, name) && nodeInScope($0, scope) }) else {
            return .record(TemplateRecord(type: RegistryTypes.catalogNode, fields: [
                .null(RegistryTypes.nodePointer), .null(RegistryTypes.catalogNodeServiceList),
            ]))
        }
        let found = nodes[foundIndex]
        let foundDC = dcOf(found.datacenter)
        var matches: [(entry: Int, index: Int, service: String, id: String)] = []
        for (e, entry) in services.enumerated() {
            for (i, instance) in entry.instances.enumerated()
            where GoString.equalFold(instance.node, found.node) && dcOf(instance.nodeDatacenter) == foundDC {
                matches.append((e, i, instance.effectiveName(key: entry.key), instance.effectiveID(key: entry.key)))
            }
        }
        matches = stableSorted(matches) { a, b in
            let c = GoString.compare(a.service, b.service)
            return c != 0 ? c : GoString.compare(a.id, b.id)
        }
        return .record(TemplateRecord(type: RegistryTypes.catalogNode, fields: [
            SnapshotRecords.node(nodes, nodeRecords, foundIndex, defaultDatacenter: datacenter, self),
            .list(TemplateList(
                type: RegistryTypes.catalogNodeServiceList,
                elements: matches.map { SnapshotRecords.catalogNodeService(services[$0.entry], $0.index, self) })),
        ]))
    }

    /// Nodes in scope sorted by name then address (snapshot order with `~near`).
    private func catalogNodes(_ scope: Dependency.Scope, near: String) -> TemplateValue {
        var matches = nodes.indices.filter { nodeInScope(nodes[$0], scope) }
        if near.isEmpty {
            matches = stableSorted(matches) { a, b in
                let c = GoString.compare(nodes[a].node, nodes[b].node)
                return c != 0 ? c : GoString.compare(nodes[a].address, nodes[b].address)
            }
        }
        return .list(TemplateList(
            type: RegistryTypes.nodeList,
            elements: matches.map { SnapshotRecords.node(nodes, nodeRecords, $0, defaultDatacenter: datacenter, self) }))
    }

    /// The snapshot's `datacenters`, or the default datacenter followed by
    /// every other one nodes and services mention, sorted.
    private func datacenterList() -> [String] {
        if let datacenters { return datacenters }
        var seen: Set<String> = [datacenter]
        var others: [String] = []
        func add(_ dc: String) {
            if !dc.isEmpty && seen.insert(dc).inserted { others.append(dc) }
        }
        for n in nodes { add(n.datacenter) }
        for entry in services {
            for instance in entry.instances { add(instance.nodeDatacenter) }
        }
        others.sort { GoString.less($0, $1) }
        return [datacenter] + others
    }

    // MARK: - KV

    /// Every pair whose key starts with `prefix` (plain string prefix), in key
    /// order; `Key` is the path minus the prefix and any leading slashes.
    private func kvList(_ prefix: String, _ scope: Dependency.Scope) -> TemplateValue {
        var out: [TemplateValue] = []
        if kvVisible(scope) {
            // kvKeys is sorted, so the matches are one contiguous run.
            var lo = 0, hi = kvKeys.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if GoString.less(kvKeys[mid], prefix) { lo = mid + 1 } else { hi = mid }
            }
            var i = lo
            while i < kvKeys.count, kvKeys[i].utf8.starts(with: prefix.utf8) {
                let path = kvKeys[i]
                let rest = path.utf8.dropFirst(prefix.utf8.count).drop { $0 == UInt8(ascii: "/") }
                out.append(SnapshotRecords.keyPair(path: path, key: String(decoding: rest, as: UTF8.self), value: kv[GoStringKey(path)] ?? ""))
                i += 1
            }
        }
        return .list(TemplateList(type: RegistryTypes.keyPairList, elements: out))
    }
}

/// A stable sort by a three-way comparison (Swift's `sort` does not
/// promise stability; Go's `sort.SliceStable` does). Ties keep input order.
func stableSorted<T>(_ items: [T], by compare: (T, T) -> Int) -> [T] {
    // Already in order (common for small lists): nothing to do.
    if items.count < 2 || zip(items, items.dropFirst()).allSatisfy({ compare($0, $1) <= 0 }) { return items }
    let order = items.indices.sorted { a, b in
        let c = compare(items[a], items[b])
        return c != 0 ? c < 0 : a < b
    }
    return order.map { items[$0] }
}
