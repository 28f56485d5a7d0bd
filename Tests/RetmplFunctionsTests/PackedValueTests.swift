import Testing
import RetmplTemplate
import RetmplRegistry

@Suite("Packed values")
struct PackedValueTests {
    /// Same dynamic types, record types, pointer-ness, scalars and strings, all the way down.
    static func same(_ a: TemplateValue, _ b: TemplateValue) -> Bool {
        guard a.goType == b.goType else { return false }
        switch (a, b) {
        case (.noValue, .noValue), (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x, let k), .int(let y, let l)): return x == y && k == l
        case (.uint(let x, let k), .uint(let y, let l)): return x == y && k == l
        case (.float(let x, let k), .float(let y, let l)): return x.bitPattern == y.bitPattern && k == l
        case (.string(let x), .string(let y)): return x.utf8.elementsEqual(y.utf8)
        case (.bytes(let x), .bytes(let y)): return x == y
        case (.list(let x), .list(let y)):
            return x.elements.count == y.elements.count && zip(x.elements, y.elements).allSatisfy { same($0, $1) }
        case (.record(let x), .record(let y)):
            return x.type === y.type && x.isPointer == y.isPointer && zip(x.fields, y.fields).allSatisfy { same($0, $1) }
        case (.map(let x), .map(let y)): return x === y
        case (.function, .function): return true
        default: return false
        }
    }

    @Test func everyKindOfValueComesBackTheSame() {
        let point = RecordType(name: "main.Point", fields: [.init("X", .int), .init("Y", .float64), .init("Name", .string)])
        let long = String(repeating: "long string ", count: 10)
        let value = TemplateValue.list(TemplateList(type: .anySlice, elements: [
            .noValue, .null(.stringStringMap), .bool(true), .bool(false),
            .int(-1, .int), .int(.min, .int64), .int(.max, .int8), .uint(.max, .uint64), .uint(7, .uintptr),
            .float(-0.0, .float64), .float(1.5, .float32), .float(.nan, .float64),
            .string(""), .string("short"), .string("15 bytes 123456"), .string("16 bytes 1234567"), .string(long), .string("é✓"),
            .bytes([0xff, 0x00]),
            .record(TemplateRecord(type: point, fields: [.int(3), .float64(2.5), .string("p")])),
            .record(TemplateRecord(type: point, fields: [.int(4), .float64(-1), .string(long)], isPointer: false)),
            .strings(["a", "b"], type: .named("dependency.ServiceTags", .stringSlice)),
            .map(TemplateMap(type: .stringStringMap, strings: ["k": .string("v")])),
            .list(TemplateList(type: .anySlice, elements: [])),
        ]))
        let packed = PackedValue(value)
        #expect(Self.same(packed.value, value))
        #expect(Self.same(packed.value, packed.value))
    }

    @Test func sharedObjectsAndMapsStayShared() throws {
        let tags = TemplateList(type: .stringSlice, elements: [.string("http")])
        let weights = TemplateRecord(type: RegistryTypes.agentWeights, fields: [.int(1), .int(1)], isPointer: false)
        let meta = TemplateMap(type: .stringStringMap, strings: ["a": .string("b")])
        let once = TemplateRecord(type: RegistryTypes.agentWeights, fields: [.int(2), .int(3)], isPointer: false)
        let value = TemplateValue.list(TemplateList(type: .anySlice, elements: [
            .list(tags), .record(weights), .map(meta), .list(tags), .record(weights), .record(once),
        ]))
        guard case .list(let out) = PackedValue(value).value else {
            Issue.record("not a list")
            return
        }
        guard case .list(let t0) = out.elements[0], case .list(let t3) = out.elements[3],
              case .record(let w1) = out.elements[1], case .record(let w4) = out.elements[4],
              case .map(let m) = out.elements[2], case .record(let o) = out.elements[5] else {
            Issue.record("unexpected shape")
            return
        }
        #expect(t0 === tags && t3 === tags)
        #expect(w1 === weights && w4 === weights)
        #expect(m === meta)
        #expect(o !== once)  // used once: rebuilt
        #expect(Self.same(.record(o), .record(once)))
    }

    @Test func aConsulAnswerComesBackTheSame() throws {
        let body = #"""
        [{"Node":{"Node":"n1","Address":"10.0.0.1","Datacenter":"dc1","Meta":{"rack":"r1"},"TaggedAddresses":{"lan":"10.0.0.1"}},
          "Service":{"ID":"web-1","Service":"web","Port":8080,"Tags":["b","a"],"Meta":{"version":"a fairly long version string"},
                     "Weights":{"Passing":1,"Warning":1}},
          "Checks":[{"Node":"n1","CheckID":"serfHealth","Status":"passing","Output":"Agent alive and reachable, a long output"},
                    {"Node":"n1","CheckID":"c","Status":"passing","ServiceName":"web","Definition":{"HTTP":"http://x/health"}}]},
         {"Node":{"Node":"n2","Address":"10.0.0.2","Datacenter":"dc1"},
          "Service":{"ID":"web-2","Service":"web","Port":8080,"Tags":["b","a"]},"Checks":[]}]
        """#
        let query = Dependency.Query.healthService(.init(name: "web"))
        let value = try #require(try ConsulAnswer.value(for: query, body: Array(body.utf8)))
        let packed = PackedValue(value)
        #expect(Self.same(packed.value, value))
        #expect(packed.packedSize < 2_000)
    }
}
