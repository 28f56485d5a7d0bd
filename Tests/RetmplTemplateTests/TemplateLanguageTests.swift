import Testing
@testable import RetmplTemplate

/// The engine on its own: Go's built-ins only, data passed as dot.
private func render(_ source: String, _ data: TemplateValue = .noValue, missingKey: TextTemplate.MissingKey = .zero) throws(TemplateError) -> String {
    try TextTemplate(source: source, name: "t.ctmpl", options: .init(missingKey: missingKey)).render(data: data)
}

private let sample: TemplateValue = .map(TemplateMap(type: .stringAnyMap, strings: [
    "name": .string("web"),
    "port": .int(8080),
    "tags": .strings(["b", "a"]),
    "meta": .map(TemplateMap(type: .stringStringMap, strings: ["k": .string("v")])),
]))

@Suite struct TemplateLanguageTests {
    @Test(arguments: [
        ("{{ .name }}:{{ .port }}", "web:8080"),
        ("{{ range $i, $t := .tags }}{{ $i }}={{ $t }} {{ end }}", "0=b 1=a "),
        ("{{ range .meta }}{{ . }}{{ end }}", "v"),
        ("{{ .missing }}", "<no value>"),
        ("{{ .meta.missing }}|", "|"),
        ("{{ if eq .name \"web\" \"api\" }}y{{ else }}n{{ end }}", "y"),
        ("{{ with .nope }}x{{ else with .name }}{{ . }}{{ end }}", "web"),
        ("{{ $x := 1 }}{{ if true }}{{ $x = 2 }}{{ end }}{{ $x }}", "2"),
        ("{{ range 3 }}{{ . }}{{ end }}", "012"),
        ("{{ range .tags }}{{ if eq . \"a\" }}{{ break }}{{ end }}{{ . }}{{ end }}", "b"),
        ("a  {{- 3 -}}  b {{-3}}", "a3b -3"),
        ("{{/* c */}}x{{- /* c */ -}} y", "xy"),
        ("{{ 1_000 }} {{ 0x1F }} {{ 0o17 }} {{ 0b101 }} {{ 1e6 }} {{ 'a' }} {{ 1.5 }}", "1000 31 15 5 1e+06 97 1.5"),
        ("{{ and 1 0 2 }} {{ or 0 \"\" \"x\" }} {{ not 0 }}", "0 x true"),
        ("{{ len .tags }} {{ index .tags 1 }} {{ slice \"hello\" 1 3 }}", "2 a el"),
        ("{{ define \"t\" }}[{{ . }}]{{ end }}{{ template \"t\" .name }}", "[web]"),
        ("{{ block \"b\" .port }}<{{ . }}>{{ end }}", "<8080>"),
        ("{{ print 1 2 \"a\" \"b\" 3 }}", "1 2ab3"),
        ("{{ printf \"%05.1f|%-4s|%x|%q\" 3.14159 \"ab\" 255 \"hi\" }}", "003.1|ab  |ff|\"hi\""),
        ("{{ lt 1 2 }} {{ ge 2.5 2.5 }} {{ ne \"a\" \"b\" }}", "true true true"),
    ])
    func renders(_ source: String, _ expected: String) throws {
        #expect(try render(source, sample) == expected)
    }

    @Test func parsesOnceExecutesConcurrently() async throws {
        let t = try TextTemplate(source: "{{ range .tags }}{{ . }}{{ end }}")
        let outputs = await withTaskGroup(of: String.self) { group in
            for _ in 0..<16 { group.addTask { (try? t.render(data: sample)) ?? "error" } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outputs == Array(repeating: "ba", count: 16))
    }

    @Test(arguments: [
        ("{{ .name }", "t.ctmpl:1:10", "unexpected"),
        ("ok\n  {{ servce }}", "t.ctmpl:2:6", "function \"servce\" not defined"),
        ("{{ if 1 }}x", "t.ctmpl:1:12", "unexpected EOF"),
        ("{{ $y }}", "t.ctmpl:1:4", "undefined variable \"$y\""),
        ("{{ break }}", "t.ctmpl:1:4", "{{break}} outside {{range}}"),
        ("{{ 3-}}", "t.ctmpl:1:4", "bad number syntax"),
        ("{{ else }}", "t.ctmpl:1:", "unexpected {{else}}"),
    ])
    func parseErrorsNameTheLocation(_ source: String, _ location: String, _ message: String) {
        do {
            _ = try TextTemplate(source: source, name: "t.ctmpl")
            Issue.record("expected a parse error")
        } catch {
            #expect(error.kind == .parse)
            #expect(error.summary.hasPrefix(location), "\(error.summary)")
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.description.contains("^"))
        }
    }

    @Test func unknownFunctionSuggestsClosest() {
        let functions = FunctionTable([TemplateFunction("service", [], variadic: .string) { _, _ in .noValue }])
        do {
            _ = try TextTemplate(source: "x\n    {{ servce \"web\" }}", name: "haproxy.ctmpl", functions: functions)
            Issue.record("expected a parse error")
        } catch {
            #expect(error.summary == "haproxy.ctmpl:2:8: function \"servce\" not defined (did you mean \"service\"?)")
        }
    }

    @Test(arguments: [
        ("{{ .name.x }}", "can't evaluate field x in type string"),
        ("{{ index .tags 5 }}", "error calling index: index out of range: 5"),
        ("{{ eq .port \"x\" }}", "incompatible types for comparison: int and string"),
        ("{{ template \"nope\" }}", "template \"nope\" not defined"),
        ("{{ nil }}", "nil is not a command"),
        ("{{ len 3 }}", "len of type int"),
        ("{{ $x := 1 }}{{ $x.y }}", "can't evaluate field y in type int"),
    ])
    func executionErrorsNameTheLocation(_ source: String, _ message: String) {
        do {
            _ = try render(source, sample)
            Issue.record("expected an execution error")
        } catch {
            #expect(error.kind == .execution)
            #expect(error.message.contains(message), "\(error.message)")
            #expect(error.summary.hasPrefix("t.ctmpl:1:"))
        }
    }

    @Test func executionsDoNotLeak() throws {
        // A daemon renders forever: the execution state must be freed after each render.
        final class Environment {}
        weak var weakEnvironment: Environment?
        let t = try TextTemplate(source: "{{ print 1 }}{{ len \"ab\" }}")
        do {
            let env = Environment()
            weakEnvironment = env
            #expect(try t.render(environment: env) == "12")
        }
        #expect(weakEnvironment == nil)
    }

    @Test func missingKeyError() throws {
        #expect(throws: TemplateError.self) { try render("{{ .nope }}", sample, missingKey: .error) }
        #expect(throws: TemplateError.self) { try render("{{ .x }}", .noValue, missingKey: .error) }
    }

    @Test func deepNestingIsAnErrorNotACrash() throws {
        let deepParens = "{{" + String(repeating: "(", count: 10_001) + "1" + String(repeating: ")", count: 10_001) + "}}"
        #expect(throws: TemplateError.self) { try TextTemplate(source: deepParens) }
        let deepIfs = String(repeating: "{{if 1}}", count: 9_000) + "x" + String(repeating: "{{end}}", count: 9_000)
        #expect(try render(deepIfs) == "x")
        let recursion = "{{define \"a\"}}{{template \"a\" .}}{{end}}{{template \"a\"}}"
        #expect(throws: TemplateError.self) { try render(recursion) }
    }

    @Test(arguments: [
        "{{ range $i, $e := .x }}{{ $i }}{{ else }}none{{ end }}",
        "{{ if and .a (or .b .c) }}x{{ else if .d }}y{{ end }}",
        "{{ .a.b | printf \"%s\" | len }}",
        "{{ define \"x\" }}{{ . }}{{ end }}text{{ template \"x\" .y }}",
    ])
    func printsBackAsSource(_ source: String) throws {
        // Printing the AST and parsing that again gives the same AST (Go's round-trip property).
        let once = try TextTemplate(source: source).sourceDescription
        let twice = try TextTemplate(source: once).sourceDescription
        #expect(once == twice)
    }

    @Test func printsIntegersAsGoDoes() throws {
        // Fields print through the executor's own decimal writer; dot through the general path.
        let values: [Int64] = [0, 7, 9, 10, 42, 99, 100, 101, 8080, 65_535, -1, -9, -10, -100, 1_000_000_007,
                               999_999_999_999_999_999, 1_000_000_000_000_000_000, .max, .min, .min + 1]
        let type = RecordType(name: "main.T", fields: [.init("N", .int64)])
        let list = TemplateValue.list(TemplateList(type: .slice(.record(type)), elements: values.map {
            .record(TemplateRecord(type: type, fields: [.int($0, .int64)]))
        }))
        let expected = values.map(String.init).joined(separator: ",") + ","
        #expect(try render("{{ range . }}{{ .N }},{{ end }}", list) == expected)
        #expect(try render("{{ range . }}{{ .N | print }},{{ end }}", list) == expected)
    }

    @Test func outputGrowsPastItsFirstCapacity() throws {
        let t = try TextTemplate(source: "{{ range 20000 }}{{ . }}:abcdefgh {{ end }}")
        let small = try t.execute(capacity: 1)
        let large = try t.execute(capacity: 1 << 20)
        #expect(small == large)
        let expected = (0..<20000).map { "\($0):abcdefgh " }.joined()
        #expect(String(decoding: small, as: UTF8.self) == expected)
    }

    @Test func fieldPathsFollowEachRecordType() async throws {
        // One template, records of different types with the field at different
        // places: a field path's cache of the last type must never hand one
        // type's index to another, in sequence or from concurrent renders.
        let a = RecordType(name: "main.A", fields: [.init("X", .string), .init("Y", .string)])
        let b = RecordType(name: "main.B", fields: [.init("Y", .string), .init("Z", .string), .init("X", .string)])
        let c = RecordType(name: "main.C", fields: [.init("Q", .string), .init("X", .string), .init("Y", .string)])
        func record(_ type: RecordType, _ values: [String]) -> TemplateValue {
            .record(TemplateRecord(type: type, fields: values.map { .string($0) }))
        }
        let mixed = TemplateValue.list(TemplateList(type: .anySlice, elements: [
            record(a, ["a.x", "a.y"]), record(b, ["b.y", "b.z", "b.x"]), record(a, ["a2.x", "a2.y"]),
            record(c, ["c.q", "c.x", "c.y"]), record(b, ["b2.y", "b2.z", "b2.x"]),
        ]))
        let t = try TextTemplate(source: "{{ range . }}{{ .Y }}/{{ if eq .Y \"b.y\" }}B{{ end }}{{ with .X }}{{ . }}{{ end }} {{ end }}")
        let expected = "a.y/a.x b.y/Bb.x a2.y/a2.x c.y/c.x b2.y/b2.x "
        #expect(try t.render(data: mixed) == expected)
        let outputs = await withTaskGroup(of: String.self) { group in
            for _ in 0..<8 { group.addTask { (0..<200).map { _ in (try? t.render(data: mixed)) ?? "error" }.joined() } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outputs == Array(repeating: String(repeating: expected, count: 200), count: 8))
    }
}
