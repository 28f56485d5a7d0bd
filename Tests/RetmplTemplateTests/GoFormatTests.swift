import Testing
@testable import RetmplTemplate

// Expected strings below were produced by running the same formats and
// arguments through Go 1.26's fmt, strconv, text/template and net/url.

// MARK: - Fixtures mirroring the Go types used to produce the expectations

private let weightsType = RecordType(name: "api.AgentWeights", fields: [
    .init("Passing", .int),
    .init("Warning", .int),
])

private let checkType = RecordType(name: "dependency.HealthCheck", fields: [
    .init("Name", .string),
    .init("Status", .string),
])

private let serviceTagsType: GoType = .named("dependency.ServiceTags", .stringSlice)

private let serviceType = RecordType(name: "dependency.HealthService", fields: [
    .init("Node", .string),
    .init("Port", .int),
    .init("Tags", serviceTagsType),
    .init("Weights", .record(weightsType)),
    .init("Meta", .stringStringMap),
    .init("Check", .pointer(.record(checkType))),
    .init("Extra", .interface),
    .init("Score", .float64),
])

private func f32(_ x: Float) -> TemplateValue { .float(Double(x), .float32) }
private func i64(_ x: Int64) -> TemplateValue { .int(x, .int64) }
private func u(_ x: UInt64, _ kind: GoType.UIntKind = .uint) -> TemplateValue { .uint(x, kind) }
private func list(_ type: GoType, _ elements: [TemplateValue]) -> TemplateValue {
    .list(TemplateList(type: type, elements: elements))
}
private func ints(_ values: [Int]) -> TemplateValue { list(.slice(.int), values.map { .int($0) }) }
private func bytes(_ values: [UInt8]) -> TemplateValue {
    list(.slice(.uint(.uint8)), values.map { .uint(UInt64($0), .uint8) })
}
private func smap(_ type: GoType, _ entries: [String: TemplateValue]) -> TemplateValue {
    .map(TemplateMap(type: type, strings: entries))
}
private func weights(_ passing: Int, _ warning: Int) -> TemplateValue {
    .record(TemplateRecord(type: weightsType, fields: [.int(passing), .int(warning)], isPointer: false))
}

/// `&HealthService{Node: "n1", Port: 8500, Tags: {"a", "b"}, Weights: {1, 1}, Meta: {"k": "v"}, Score: 0.5}`
private func service1(pointer: Bool) -> TemplateValue {
    .record(TemplateRecord(type: serviceType, fields: [
        .string("n1"), .int(8500), .strings(["a", "b"], type: serviceTagsType), weights(1, 1),
        smap(.stringStringMap, ["k": .string("v")]), .null(.pointer(.record(checkType))), .noValue, .float64(0.5),
    ], isPointer: pointer))
}

/// `&HealthService{Node: "n2", Port: -1, Extra: "x", Score: 1e21}`
private func service2(pointer: Bool) -> TemplateValue {
    .record(TemplateRecord(type: serviceType, fields: [
        .string("n2"), .int(-1), .null(serviceTagsType), weights(0, 0),
        .null(.stringStringMap), .null(.pointer(.record(checkType))), .string("x"), .float64(1e21),
    ], isPointer: pointer))
}

/// consul-template's `*template.Scratch`, as an opaque object.
private final class Scratch: TemplateObject {
    var goType: GoType { .pointer(.record(RecordType(name: "template.Scratch", fields: []))) }
    func method(named name: String) -> TemplateFunction? { nil }
}

struct FormatCase: Sendable, CustomTestStringConvertible {
    let format: String
    let args: [TemplateValue]
    let expected: String
    init(_ format: String, _ args: [TemplateValue], _ expected: String) {
        self.format = format
        self.args = args
        self.expected = expected
    }
    var testDescription: String { "\(format) -> \(expected)" }
}

struct PrintCase: Sendable {
    let args: [TemplateValue]
    let sprint: String
    let sprintln: String
    init(_ args: [TemplateValue], _ sprint: String, _ sprintln: String) {
        self.args = args
        self.sprint = sprint
        self.sprintln = sprintln
    }
}

struct FloatCase: Sendable, CustomTestStringConvertible {
    let value: Double
    let format: String
    let precision: Int
    let bitSize: Int
    let expected: String
    init(_ value: Double, _ format: String, _ precision: Int, _ bitSize: Int, _ expected: String) {
        self.value = value
        self.format = format
        self.precision = precision
        self.bitSize = bitSize
        self.expected = expected
    }
    var testDescription: String { "\(value) \(format) \(precision) \(bitSize) -> \(expected)" }
}

struct QuoteCase: Sendable {
    let input: String
    let expected: String
    init(_ input: String, _ expected: String) {
        self.input = input
        self.expected = expected
    }
}

struct RuneCase: Sendable {
    let rune: Int32
    let expected: String
    init(_ rune: Int32, _ expected: String) {
        self.rune = rune
        self.expected = expected
    }
}

struct EscapeCase: Sendable {
    let input: String
    let html: String
    let js: String
    let urlQuery: String
    init(_ input: String, _ html: String, _ js: String, _ urlQuery: String) {
        self.input = input
        self.html = html
        self.js = js
        self.urlQuery = urlQuery
    }
}

private let sprintfCases: [FormatCase] = [
    FormatCase("%d", [.int(42)], "42"),
    FormatCase("%d", [.int(-42)], "-42"),
    FormatCase("%v", [.int(-7)], "-7"),
    FormatCase("%5d|", [.int(42)], "   42|"),
    FormatCase("%-5d|", [.int(42)], "42   |"),
    FormatCase("%05d", [.int(-42)], "-0042"),
    FormatCase("%+d", [.int(5)], "+5"),
    FormatCase("% d", [.int(5)], " 5"),
    FormatCase("%+v", [.int(5)], "5"),
    FormatCase("%x", [.int(255)], "ff"),
    FormatCase("%X", [.int(255)], "FF"),
    FormatCase("%#x", [.int(255)], "0xff"),
    FormatCase("%#X", [.int(255)], "0XFF"),
    FormatCase("%x", [.int(-255)], "-ff"),
    FormatCase("%#x", [.int(-255)], "-0xff"),
    FormatCase("%o", [.int(8)], "10"),
    FormatCase("%#o", [.int(8)], "010"),
    FormatCase("%#o", [.int(0)], "0"),
    FormatCase("%O", [.int(8)], "0o10"),
    FormatCase("%O", [.int(-8)], "-0o10"),
    FormatCase("%b", [.int(5)], "101"),
    FormatCase("%#b", [.int(5)], "0b101"),
    FormatCase("%010b", [.int(-5)], "-000000101"),
    FormatCase("%08.3d", [.int(42)], "     042"),
    FormatCase("%.3d", [.int(-7)], "-007"),
    FormatCase("%+.3d", [.int(7)], "+007"),
    FormatCase("%.0d|", [.int(0)], "|"),
    FormatCase("%5.0d|", [.int(0)], "     |"),
    FormatCase("%-08d|", [.int(5)], "5       |"),
    FormatCase("%6.2x|", [.int(10)], "    0a|"),
    FormatCase("%#08x", [.int(255)], "0x000000ff"),
    FormatCase("% x", [.int(255)], " ff"),
    FormatCase("%+x", [.int(255)], "+ff"),
    FormatCase("%d", [i64(Int64.min)], "-9223372036854775808"),
    FormatCase("%x", [u(UInt64.max, .uint64)], "ffffffffffffffff"),
    FormatCase("%v", [u(200, .uint8)], "200"),
    FormatCase("%#v", [u(5)], "0x5"),
    FormatCase("%#v", [.int(-5)], "-5"),
    FormatCase("%#v", [u(0, .uint64)], "0x0"),
    FormatCase("%c", [.int(65)], "A"),
    FormatCase("%c", [.int(0x1F600)], "😀"),
    FormatCase("%c", [.int(-1)], "�"),
    FormatCase("%c", [.int(0xD800)], "�"),
    FormatCase("%3c|", [.int(0x65E5)], "  日|"),
    FormatCase("%q", [.int(120)], "'x'"),
    FormatCase("%q", [.int(39)], "'\\''"),
    FormatCase("%q", [.int(10)], "'\\n'"),
    FormatCase("%+q", [.int(0x263A)], "'\\u263a'"),
    FormatCase("%q", [.int(0x263A)], "'☺'"),
    FormatCase("%q", [.int(0x110000)], "'�'"),
    FormatCase("%#q", [.int(0x263A)], "'☺'"),
    FormatCase("%U", [.int(0x1F600)], "U+1F600"),
    FormatCase("%U", [.int(0x41)], "U+0041"),
    FormatCase("%#U", [.int(0x263A)], "U+263A '☺'"),
    FormatCase("%#U", [.int(7)], "U+0007"),
    FormatCase("%.6U", [.int(0x41)], "U+000041"),
    FormatCase("%10U|", [.int(0x41)], "    U+0041|"),
    FormatCase("%U", [.int(-1)], "U+FFFFFFFFFFFFFFFF"),
    FormatCase("%t", [.int(1)], "%!t(int=1)"),
    FormatCase("%s", [.int(1)], "%!s(int=1)"),
    FormatCase("%5s", [.int(1)], "%!s(int=    1)"),
    FormatCase("%e", [.int(1)], "%!e(int=1)"),
    FormatCase("%z", [.int(1)], "%!z(int=1)"),
    FormatCase("%ä", [.int(1)], "%!ä(int=1)"),
    FormatCase("%d", [u(300, .uint16)], "300"),
    FormatCase("%x", [.int(-1, .int8)], "-1"),
    FormatCase("%v", [.float64(1e6)], "1e+06"),
    FormatCase("%v", [.float64(123456789.0)], "1.23456789e+08"),
    FormatCase("%v", [.float64(100000.0)], "100000"),
    FormatCase("%v", [.float64(1e-5)], "1e-05"),
    FormatCase("%v", [.float64(0.0001)], "0.0001"),
    FormatCase("%v", [.float64(0.1)], "0.1"),
    FormatCase("%v", [.float64(3.14)], "3.14"),
    FormatCase("%v", [.float64(-0.0)], "-0"),
    FormatCase("%v", [.float64(0.0)], "0"),
    FormatCase("%v", [.float64(.nan)], "NaN"),
    FormatCase("%v", [.float64(.infinity)], "+Inf"),
    FormatCase("%v", [.float64(-.infinity)], "-Inf"),
    FormatCase("%v", [.float64(1e21)], "1e+21"),
    FormatCase("%v", [.float64(1e20)], "1e+20"),
    FormatCase("%v", [.float64(.leastNonzeroMagnitude)], "5e-324"),
    FormatCase("%v", [.float64(1.7976931348623157e308)], "1.7976931348623157e+308"),
    FormatCase("%v", [.float64(2.5)], "2.5"),
    FormatCase("%v", [.float64(1234567.0)], "1.234567e+06"),
    FormatCase("%v", [.float64(0.000123)], "0.000123"),
    FormatCase("%v", [.float64(1.0/3.0)], "0.3333333333333333"),
    FormatCase("%v", [.float64(9007199254740993.0)], "9.007199254740992e+15"),
    FormatCase("%v", [f32(0.1)], "0.1"),
    FormatCase("%v", [f32(16777216)], "1.6777216e+07"),
    FormatCase("%v", [f32(1e10)], "1e+10"),
    FormatCase("%v", [f32(3.4028235e38)], "3.4028235e+38"),
    FormatCase("%v", [f32(1.0 / 3.0)], "0.33333334"),
    FormatCase("%.3v", [.float64(3.14159)], "3.14"),
    FormatCase("%10v|", [.float64(2.5)], "       2.5|"),
    FormatCase("%f", [.float64(3.14159)], "3.141590"),
    FormatCase("%.3f", [.float64(2.0005)], "2.001"),
    FormatCase("%.0f", [.float64(0.5)], "0"),
    FormatCase("%.0f", [.float64(1.5)], "2"),
    FormatCase("%.0f", [.float64(2.5)], "2"),
    FormatCase("%.1f", [.float64(0.25)], "0.2"),
    FormatCase("%.1f", [.float64(0.35)], "0.3"),
    FormatCase("%.1f", [.float64(0.05)], "0.1"),
    FormatCase("%.2f", [.float64(-0.001)], "-0.00"),
    FormatCase("%5.1f", [.float64(9.96)], " 10.0"),
    FormatCase("%f", [.float64(1e300)], "1000000000000000052504760255204420248704468581108159154915854115511802457988908195786371375080447864043704443832883878176942523235360430575644792184786706982848387200926575803737830233794788090059368953234970799945081119038967640880074652742780142494579258788820056842838115669472196386865459400540160.000000"),
    FormatCase("%.20f", [.float64(0.1)], "0.10000000000000000555"),
    FormatCase("%.30e", [.float64(1.0/3.0)], "3.333333333333333148296162562474e-01"),
    FormatCase("%f", [.float64(Double(bitPattern: 0x7E8))], "0.000000"),
    FormatCase("%.10f", [.float64(Double(bitPattern: 0x7E8))], "0.0000000000"),
    FormatCase("%F", [.float64(2.5)], "2.500000"),
    FormatCase("%e", [.float64(123456.789)], "1.234568e+05"),
    FormatCase("%E", [.float64(123456.789)], "1.234568E+05"),
    FormatCase("%.3e", [.float64(0.0)], "0.000e+00"),
    FormatCase("%e", [.float64(1e-300)], "1.000000e-300"),
    FormatCase("%.2e", [.float64(9.995)], "9.99e+00"),
    FormatCase("%g", [.float64(1e-7)], "1e-07"),
    FormatCase("%g", [.float64(100000.0)], "100000"),
    FormatCase("%g", [.float64(1e6)], "1e+06"),
    FormatCase("%.3g", [.float64(1234.5678)], "1.23e+03"),
    FormatCase("%.10g", [.float64(123456789012.0)], "1.23456789e+11"),
    FormatCase("%.3g", [.float64(0.0)], "0"),
    FormatCase("%G", [.float64(1e-10)], "1E-10"),
    FormatCase("%#g", [.float64(1.0)], "1.00000"),
    FormatCase("%#.3g", [.float64(1.0)], "1.00"),
    FormatCase("%#g", [.float64(0.0)], "0.00000"),
    FormatCase("%#g", [.float64(123456789.0)], "1.23456789e+08"),
    FormatCase("%#.0f", [.float64(1.0)], "1."),
    FormatCase("%#.0e", [.float64(1.0)], "1.e+00"),
    FormatCase("%#v", [.float64(1.0)], "1"),
    FormatCase("%#v", [.float64(1e6)], "1e+06"),
    FormatCase("%+f", [.float64(1.0)], "+1.000000"),
    FormatCase("% f", [.float64(1.0)], " 1.000000"),
    FormatCase("% f", [.float64(-1.0)], "-1.000000"),
    FormatCase("%08.3f", [.float64(-3.14159)], "-003.142"),
    FormatCase("%+08.3f", [.float64(3.14159)], "+003.142"),
    FormatCase("%-8.2f|", [.float64(3.14159)], "3.14    |"),
    FormatCase("%x", [.float64(1.0)], "0x1p+00"),
    FormatCase("%X", [.float64(3.5)], "0X1.CP+01"),
    FormatCase("%.2x", [.float64(1.0 / 3.0)], "0x1.55p-02"),
    FormatCase("%#x", [.float64(1.0)], "0x1.0000p+00"),
    FormatCase("%x", [.float64(0.0)], "0x0p+00"),
    FormatCase("%x", [.float64(.leastNonzeroMagnitude)], "0x1p-1074"),
    FormatCase("%b", [.float64(1.0)], "4503599627370496p-52"),
    FormatCase("%b", [f32(1.0)], "8388608p-23"),
    FormatCase("%8.2f|", [.float64(.nan)], "     NaN|"),
    FormatCase("%08f", [.float64(.infinity)], "    +Inf"),
    FormatCase("%08f", [.float64(-.infinity)], "    -Inf"),
    FormatCase("%+v", [.float64(.nan)], "NaN"),
    FormatCase("% f", [.float64(.nan)], " NaN"),
    FormatCase("%-10v|", [.float64(-.infinity)], "-Inf      |"),
    FormatCase("%d", [.float64(1.5)], "%!d(float64=1.5)"),
    FormatCase("%s", [.float64(1.5)], "%!s(float64=1.5)"),
    FormatCase("%.2f", [f32(0.1)], "0.10"),
    FormatCase("%.10f", [f32(0.1)], "0.1000000015"),
    FormatCase("%s", [.string("hello")], "hello"),
    FormatCase("%v", [.string("hello")], "hello"),
    FormatCase("%q", [.string("hi\n")], "\"hi\\n\""),
    FormatCase("%#q", [.string("hi")], "`hi`"),
    FormatCase("%#q", [.string("a`b")], "\"a`b\""),
    FormatCase("%#q", [.string("tab\there")], "`tab\there`"),
    FormatCase("%+q", [.string("héllo")], "\"h\\u00e9llo\""),
    FormatCase("%q", [.string("日本語")], "\"日本語\""),
    FormatCase("%q", [.string("\u{00AD}\u{2028}\u{FEFF}\u{7F}\u{0}")], "\"\\u00ad\\u2028\\ufeff\\x7f\\x00\""),
    FormatCase("%q", [.string("\u{1F600}\u{E0001}")], "\"😀\\U000e0001\""),
    FormatCase("%+q", [.string("\u{1F600}")], "\"\\U0001f600\""),
    FormatCase("%x", [.string("hello")], "68656c6c6f"),
    FormatCase("%X", [.string("hello")], "68656C6C6F"),
    FormatCase("% x", [.string("hi")], "68 69"),
    FormatCase("%#x", [.string("hi")], "0x6869"),
    FormatCase("% #x", [.string("hi")], "0x68 0x69"),
    FormatCase("% #X", [.string("hi")], "0X68 0X69"),
    FormatCase("%.3x", [.string("abcdef")], "616263"),
    FormatCase("%10x|", [.string("ab")], "      6162|"),
    FormatCase("%-10x|", [.string("ab")], "6162      |"),
    FormatCase("%5x|", [.string("")], "     |"),
    FormatCase("%.2s", [.string("héllo")], "hé"),
    FormatCase("%5s|", [.string("ab")], "   ab|"),
    FormatCase("%-5s|", [.string("ab")], "ab   |"),
    FormatCase("%05s", [.string("ab")], "000ab"),
    FormatCase("%5.1s|", [.string("日本語")], "    日|"),
    FormatCase("%6s|", [.string("日本")], "    日本|"),
    FormatCase("%10q|", [.string("a")], "       \"a\"|"),
    FormatCase("%-6q|", [.string("é")], "\"é\"   |"),
    FormatCase("%.1q", [.string("日本")], "\"日\""),
    FormatCase("%#v", [.string("a\"b")], "\"a\\\"b\""),
    FormatCase("%d", [.string("x")], "%!d(string=x)"),
    FormatCase("%c", [.string("x")], "%!c(string=x)"),
    FormatCase("%t", [.string("")], "%!t(string=)"),
    FormatCase("%.0s|", [.string("abc")], "|"),
    FormatCase("%t", [.bool(true)], "true"),
    FormatCase("%v", [.bool(false)], "false"),
    FormatCase("%6t|", [.bool(true)], "  true|"),
    FormatCase("%-6v|", [.bool(false)], "false |"),
    FormatCase("%d", [.bool(true)], "%!d(bool=true)"),
    FormatCase("%q", [.bool(false)], "%!q(bool=false)"),
    FormatCase("%#v", [.bool(true)], "true"),
    FormatCase("%v", [.noValue], "<nil>"),
    FormatCase("%d", [.noValue], "%!d(<nil>)"),
    FormatCase("%s", [.noValue], "%!s(<nil>)"),
    FormatCase("%T", [.noValue], "<nil>"),
    FormatCase("%7v|", [.noValue], "  <nil>|"),
    FormatCase("%#v", [.noValue], "<nil>"),
    FormatCase("%v", [.null(.interface)], "<nil>"),
    FormatCase("%v", [.null(.pointer(.record(serviceType)))], "<nil>"),
    FormatCase("%#v", [.null(.pointer(.record(serviceType)))], "(*dependency.HealthService)(nil)"),
    FormatCase("%+v", [.null(.pointer(.record(serviceType)))], "<nil>"),
    FormatCase("%d", [.null(.pointer(.record(serviceType)))], "0"),
    FormatCase("%x", [.null(.pointer(.record(serviceType)))], "0"),
    FormatCase("%s", [.null(.pointer(.record(serviceType)))], "%!s(*dependency.HealthService=<nil>)"),
    FormatCase("%T", [.null(.pointer(.record(serviceType)))], "*dependency.HealthService"),
    FormatCase("%8v|", [.null(.pointer(.record(serviceType)))], "   <nil>|"),
    FormatCase("%v", [.null(.stringSlice)], "[]"),
    FormatCase("%#v", [.null(.stringSlice)], "[]string(nil)"),
    FormatCase("%s", [.null(.stringSlice)], "[]"),
    FormatCase("%T", [.null(.stringSlice)], "[]string"),
    FormatCase("%p", [.null(.stringSlice)], "0x0"),
    FormatCase("%v", [.null(.stringStringMap)], "map[]"),
    FormatCase("%#v", [.null(.stringStringMap)], "map[string]string(nil)"),
    FormatCase("%#v", [.null(serviceTagsType)], "dependency.ServiceTags(nil)"),
    FormatCase("%v", [.null(.function)], "<nil>"),
    FormatCase("%#v", [.null(.function)], "(func())(nil)"),
    FormatCase("%#v", [.null(.chan(.interface, .receive))], "(<-chan interface {})(nil)"),
    FormatCase("%v", [.null(.chan(.interface, .receive))], "<nil>"),
    FormatCase("%s|", [.null(.slice(.uint(.uint8)))], "|"),
    FormatCase("%x|", [.null(.slice(.uint(.uint8)))], "|"),
    FormatCase("%q", [.null(.slice(.uint(.uint8)))], "\"\""),
    FormatCase("%#v", [.null(.slice(.uint(.uint8)))], "[]byte(nil)"),
    FormatCase("%v", [.strings(["a", "b"])], "[a b]"),
    FormatCase("%s", [.strings(["a", "b"])], "[a b]"),
    FormatCase("%q", [.strings(["a", "b"])], "[\"a\" \"b\"]"),
    FormatCase("%x", [.strings(["ab", "c"])], "[6162 63]"),
    FormatCase("% x", [.strings(["ab", "c"])], "[61 62 63]"),
    FormatCase("%#v", [.strings(["a"])], "[]string{\"a\"}"),
    FormatCase("%#v", [.strings([])], "[]string{}"),
    FormatCase("%v", [.strings([])], "[]"),
    FormatCase("%3s|", [.strings(["a", "b"])], "[  a   b]|"),
    FormatCase("%T", [.strings(["a"])], "[]string"),
    FormatCase("%d", [ints([1, 2])], "[1 2]"),
    FormatCase("%5d", [ints([1, 2])], "[    1     2]"),
    FormatCase("%x", [ints([10, 255])], "[a ff]"),
    FormatCase("%s", [ints([1])], "[%!s(int=1)]"),
    FormatCase("%#v", [ints([1, -2])], "[]int{1, -2}"),
    FormatCase("%v", [list(.slice(.float64), [.float64(1), .float64(2.5)])], "[1 2.5]"),
    FormatCase("%6.2f", [list(.slice(.float64), [.float64(1), .float64(2.5)])], "[  1.00   2.50]"),
    FormatCase("%#v", [list(.slice(.float64), [.float64(1), .float64(2.5)])], "[]float64{1, 2.5}"),
    FormatCase("%v", [list(.anySlice, [.string("a"), .int(1), .noValue, .float64(2.5), .bool(true)])], "[a 1 <nil> 2.5 true]"),
    FormatCase("%#v", [list(.anySlice, [.string("a"), .int(1), .noValue, .float64(2.5), .bool(true)])], "[]interface {}{\"a\", 1, interface {}(nil), 2.5, true}"),
    FormatCase("%d", [list(.anySlice, [.int(1), .string("a"), .noValue])], "[1 %!d(string=a) <nil>]"),
    FormatCase("%x", [list(.anySlice, [.noValue, .int(255)])], "[<nil> ff]"),
    FormatCase("%T", [list(.anySlice, [])], "[]interface {}"),
    FormatCase("%v", [list(.anySlice, [.null(.stringSlice), .null(.pointer(.record(checkType)))])], "[[] <nil>]"),
    FormatCase("%#v", [list(.anySlice, [.null(.stringSlice), .null(.pointer(.record(checkType)))])], "[]interface {}{[]string(nil), (*dependency.HealthCheck)(nil)}"),
    FormatCase("%v", [list(.slice(.stringSlice), [.strings(["a", "b"]), .strings(["c"])])], "[[a b] [c]]"),
    FormatCase("%#v", [list(.slice(.stringSlice), [.strings(["a", "b"]), .null(.stringSlice)])], "[][]string{[]string{\"a\", \"b\"}, []string(nil)}"),
    FormatCase("%v", [list(.array(2, .int), [.int(1), .int(2)])], "[1 2]"),
    FormatCase("%#v", [list(.array(2, .int), [.int(1), .int(2)])], "[2]int{1, 2}"),
    FormatCase("%T", [list(.array(2, .int), [.int(1), .int(2)])], "[2]int"),
    FormatCase("%p", [list(.array(2, .int), [.int(1), .int(2)])], "%!p([2]int=[1 2])"),
    FormatCase("%v", [.strings(["a"], type: serviceTagsType)], "[a]"),
    FormatCase("%#v", [.strings(["a", "b"], type: serviceTagsType)], "dependency.ServiceTags{\"a\", \"b\"}"),
    FormatCase("%T", [.strings(["a"], type: serviceTagsType)], "dependency.ServiceTags"),
    FormatCase("%x", [bytes([104, 105])], "6869"),
    FormatCase("%X", [bytes([104, 105])], "6869"),
    FormatCase("% x", [bytes([104, 105])], "68 69"),
    FormatCase("%s", [bytes([104, 105])], "hi"),
    FormatCase("%q", [bytes([104, 105])], "\"hi\""),
    FormatCase("%v", [bytes([1, 2])], "[1 2]"),
    FormatCase("%d", [bytes([1, 2])], "[1 2]"),
    FormatCase("%#v", [bytes([1, 2])], "[]byte{0x1, 0x2}"),
    FormatCase("%o", [bytes([8, 9])], "[10 11]"),
    FormatCase("%T", [bytes([1])], "[]uint8"),
    FormatCase("%.1s", [bytes([104, 105])], "h"),
    FormatCase("%x", [list(.array(2, .uint(.uint8)), [u(1, .uint8), u(171, .uint8)])], "01ab"),
    FormatCase("%v", [smap(.map(key: .string, value: .int), ["b": .int(2), "a": .int(1)])], "map[a:1 b:2]"),
    FormatCase("%#v", [smap(.stringStringMap, ["a": .string("b")])], "map[string]string{\"a\":\"b\"}"),
    FormatCase("%#v", [smap(.stringStringMap, ["a": .string("b"), "c": .string("d")])], "map[string]string{\"a\":\"b\", \"c\":\"d\"}"),
    FormatCase("%q", [smap(.stringStringMap, ["a": .string("b")])], "map[\"a\":\"b\"]"),
    FormatCase("%x", [smap(.map(key: .string, value: .int), ["a": .int(255)])], "map[61:ff]"),
    FormatCase("%v", [smap(.stringAnyMap, ["x": .noValue, "y": .strings(["z"])])], "map[x:<nil> y:[z]]"),
    FormatCase("%#v", [smap(.stringAnyMap, ["x": .noValue, "y": .strings(["z"])])], "map[string]interface {}{\"x\":interface {}(nil), \"y\":[]string{\"z\"}}"),
    FormatCase("%v", [smap(.stringAnyMap, [:])], "map[]"),
    FormatCase("%#v", [smap(.stringAnyMap, [:])], "map[string]interface {}{}"),
    FormatCase("%T", [smap(.stringAnyMap, [:])], "map[string]interface {}"),
    FormatCase("%v", [.map(TemplateMap(type: .map(key: .int, value: .string), unsorted: [(key: .int(2), value: .string("b")), (key: .int(-1), value: .string("a"))]))], "map[-1:a 2:b]"),
    FormatCase("%#v", [.map(TemplateMap(type: .map(key: .int, value: .string), unsorted: [(key: .int(2), value: .string("b")), (key: .int(-1), value: .string("a"))]))], "map[int]string{-1:\"a\", 2:\"b\"}"),
    FormatCase("%v", [smap(.map(key: .string, value: .stringSlice), ["k": .strings(["a", "b"]), "e": .null(.stringSlice)])], "map[e:[] k:[a b]]"),
    FormatCase("%6v|", [smap(.map(key: .string, value: .int), ["a": .int(1)])], "map[     a:     1]|"),
    FormatCase("%v", [weights(1, 1)], "{1 1}"),
    FormatCase("%+v", [weights(1, 2)], "{Passing:1 Warning:2}"),
    FormatCase("%#v", [weights(1, 1)], "api.AgentWeights{Passing:1, Warning:1}"),
    FormatCase("%T", [weights(1, 1)], "api.AgentWeights"),
    FormatCase("%d", [weights(1, 10)], "{1 10}"),
    FormatCase("%x", [weights(1, 10)], "{1 a}"),
    FormatCase("%s", [weights(1, 1)], "{%!s(int=1) %!s(int=1)}"),
    FormatCase("%03d", [weights(1, 1)], "{001 001}"),
    FormatCase("%v", [service1(pointer: true)], "&{n1 8500 [a b] {1 1} map[k:v] <nil> <nil> 0.5}"),
    FormatCase("%+v", [service1(pointer: true)], "&{Node:n1 Port:8500 Tags:[a b] Weights:{Passing:1 Warning:1} Meta:map[k:v] Check:<nil> Extra:<nil> Score:0.5}"),
    FormatCase("%#v", [service1(pointer: true)], "&dependency.HealthService{Node:\"n1\", Port:8500, Tags:dependency.ServiceTags{\"a\", \"b\"}, Weights:api.AgentWeights{Passing:1, Warning:1}, Meta:map[string]string{\"k\":\"v\"}, Check:(*dependency.HealthCheck)(nil), Extra:interface {}(nil), Score:0.5}"),
    FormatCase("%v", [service1(pointer: false)], "{n1 8500 [a b] {1 1} map[k:v] <nil> <nil> 0.5}"),
    FormatCase("%#v", [service1(pointer: false)], "dependency.HealthService{Node:\"n1\", Port:8500, Tags:dependency.ServiceTags{\"a\", \"b\"}, Weights:api.AgentWeights{Passing:1, Warning:1}, Meta:map[string]string{\"k\":\"v\"}, Check:(*dependency.HealthCheck)(nil), Extra:interface {}(nil), Score:0.5}"),
    FormatCase("%T", [service1(pointer: true)], "*dependency.HealthService"),
    FormatCase("%T", [service1(pointer: false)], "dependency.HealthService"),
    FormatCase("%s", [service1(pointer: true)], "&{n1 %!s(int=8500) [a b] {%!s(int=1) %!s(int=1)} map[k:v] %!s(*dependency.HealthCheck=<nil>) <nil> %!s(float64=0.5)}"),
    FormatCase("%v", [service2(pointer: true)], "&{n2 -1 [] {0 0} map[] <nil> x 1e+21}"),
    FormatCase("%+v", [service2(pointer: true)], "&{Node:n2 Port:-1 Tags:[] Weights:{Passing:0 Warning:0} Meta:map[] Check:<nil> Extra:x Score:1e+21}"),
    FormatCase("%#v", [service2(pointer: true)], "&dependency.HealthService{Node:\"n2\", Port:-1, Tags:dependency.ServiceTags(nil), Weights:api.AgentWeights{Passing:0, Warning:0}, Meta:map[string]string(nil), Check:(*dependency.HealthCheck)(nil), Extra:\"x\", Score:1e+21}"),
    FormatCase("%q", [service2(pointer: false)], "{\"n2\" '�' [] {'\\x00' '\\x00'} map[] %!q(*dependency.HealthCheck=<nil>) \"x\" %!q(float64=1e+21)}"),
    FormatCase("%v", [list(.slice(.record(weightsType)), [weights(1, 1), weights(2, 3)])], "[{1 1} {2 3}]"),
    FormatCase("%+v", [list(.slice(.record(weightsType)), [weights(1, 1), weights(2, 3)])], "[{Passing:1 Warning:1} {Passing:2 Warning:3}]"),
    FormatCase("%#v", [list(.slice(.record(weightsType)), [weights(1, 1), weights(2, 3)])], "[]api.AgentWeights{api.AgentWeights{Passing:1, Warning:1}, api.AgentWeights{Passing:2, Warning:3}}"),
    FormatCase("%v", [smap(.map(key: .string, value: .record(weightsType)), ["w": weights(1, 1)])], "map[w:{1 1}]"),
    FormatCase("%#v", [smap(.map(key: .string, value: .record(weightsType)), ["w": weights(1, 1)])], "map[string]api.AgentWeights{\"w\":api.AgentWeights{Passing:1, Warning:1}}"),
    FormatCase("%v", [list(.anySlice, [weights(1, 1)])], "[{1 1}]"),
    FormatCase("%-4v|", [ints([1, 22])], "[1    22  ]|"),
    FormatCase("%#v", [list(.slice(.stringStringMap), [smap(.stringStringMap, ["a": .string("b")]), .null(.stringStringMap)])], "[]map[string]string{map[string]string{\"a\":\"b\"}, map[string]string(nil)}"),
    FormatCase("%x", [list(.anySlice, [.string("hi"), .int(255), .float64(1)])], "[6869 ff 0x1p+00]"),
    FormatCase("%08.3f", [list(.slice(.float64), [.float64(-1), .float64(2.5)])], "[-001.000 0002.500]"),
    FormatCase("%q", [list(.anySlice, [.int(65), .string("a")])], "['A' \"a\"]"),
    FormatCase("%v", [smap(.map(key: .string, value: .anySlice), ["k": list(.anySlice, [.int(1), smap(.stringAnyMap, ["n": .bool(true)])])])], "map[k:[1 map[n:true]]]"),
    FormatCase("%#v", [smap(.map(key: .string, value: .anySlice), ["k": list(.anySlice, [.int(1), smap(.stringAnyMap, ["n": .bool(true)])])])], "map[string][]interface {}{\"k\":[]interface {}{1, map[string]interface {}{\"n\":true}}}"),
    FormatCase("%5.1v|", [.strings(["abc", "de"])], "[    a     d]|"),
    FormatCase("%s", [.strings(["a"], type: serviceTagsType)], "[a]"),
    FormatCase("%+v", [smap(.map(key: .string, value: .record(weightsType)), ["w": weights(1, 2)])], "map[w:{Passing:1 Warning:2}]"),
    FormatCase("%t", [list(.slice(.bool), [.bool(true), .bool(false)])], "[true false]"),
    FormatCase("%v", [u(1, .uintptr)], "1"),
    FormatCase("%#v", [u(255, .uint8)], "0xff"),
    FormatCase("%T", [.int(1, .int8)], "int8"),
    FormatCase("%T", [f32(1)], "float32"),
    FormatCase("%T", [u(1, .uintptr)], "uintptr"),
    FormatCase("%v", [f32(1e-7)], "1e-07"),
    FormatCase("%6.2v|", [.float64(3.14159)], "   3.1|"),
    FormatCase("%.3v", [.string("abcdef")], "abc"),
    FormatCase("%#-8x|", [.int(255)], "0xff    |"),
    FormatCase("%+.2e", [.float64(0.000123456)], "+1.23e-04"),
    FormatCase("%x", [.float64(-1.5)], "-0x1.8p+00"),
    FormatCase("%.0e", [.float64(5.5)], "6e+00"),
    FormatCase("%#.0x", [.float64(1.5)], "0x1.p+01"),
    FormatCase("%v", [list(.slice(.int(.int64)), [i64(Int64.max), i64(Int64.min)])], "[9223372036854775807 -9223372036854775808]"),
    FormatCase("%s %d %v %q", [.string("a"), .int(1), .noValue, .string("b")], "a 1 <nil> \"b\""),
    FormatCase("%v|%v", [.string("a"), .int(-3)], "a|-3"),
    FormatCase("%s and %s", [.string("a"), .bool(true)], "a and %!s(bool=true)"),
    FormatCase("%T", [.function(TemplateFunction("f", []) { _, _ in .noValue })], "func()"),
    FormatCase("%T", [.channel(TemplateChannel(type: .chan(.interface, .receive), values: []))], "<-chan interface {}"),
    FormatCase("%*d|", [.int(5), .int(42)], "   42|"),
    FormatCase("%-*d|", [.int(5), .int(42)], "42   |"),
    FormatCase("%*d|", [.int(-5), .int(42)], "42   |"),
    FormatCase("%0*d", [.int(5), .int(42)], "00042"),
    FormatCase("%.*f", [.int(2), .float64(3.14159)], "3.14"),
    FormatCase("%*.*f|", [.int(8), .int(2), .float64(3.14159)], "    3.14|"),
    FormatCase("%.*f", [.int(-1), .float64(3.14159)], "%!(BADPREC)3.141590"),
    FormatCase("%*d", [.string("x"), .int(42)], "%!(BADWIDTH)42"),
    FormatCase("%.*d", [.string("x"), .int(42)], "%!(BADPREC)42"),
    FormatCase("%*d", [u(3, .uint8), .int(42)], " 42"),
    FormatCase("%*d", [.int(10000000), .int(42)], "%!(BADWIDTH)42"),
    FormatCase("%*s", [.int(3)], "%!s(MISSING)"),
    FormatCase("%[2]d %[1]d", [.int(1), .int(2)], "2 1"),
    FormatCase("%[3]d", [.int(1), .int(2)], "%!d(BADINDEX)"),
    FormatCase("%[0]d", [.int(1)], "%!d(BADINDEX)"),
    FormatCase("%[x]d", [.int(1)], "%!d(BADINDEX)"),
    FormatCase("%[1]d %d", [.int(1), .int(2)], "1 2"),
    FormatCase("%[2]*[1]d|", [.int(12), .int(5)], "   12|"),
    FormatCase("%[1]2d", [.int(1)], "%!d(BADINDEX)"),
    FormatCase("%[1].2d", [.int(1)], "%!d(BADINDEX)"),
    FormatCase("%.[2]d", [.int(1), .int(2)], "2"),
    FormatCase("%[2]d", [.int(1), .int(2)], "2"),
    FormatCase("%[1]d%[1]x", [.int(10)], "10a"),
    FormatCase("%[5]", [.int(1)], "%!(NOVERB)"),
    FormatCase("%[", [.int(1)], "%!(NOVERB)"),
    FormatCase("%d %d", [.int(1)], "1 %!d(MISSING)"),
    FormatCase("%d", [.int(1), .string("x"), .noValue], "1%!(EXTRA string=x, <nil>)"),
    FormatCase("hi", [.int(1)], "hi%!(EXTRA int=1)"),
    FormatCase("hi", [.strings(["a"]), service2(pointer: false)], "hi%!(EXTRA []string=[a], dependency.HealthService={n2 -1 [] {0 0} map[] <nil> x 1e+21})"),
    FormatCase("%", [], "%!(NOVERB)"),
    FormatCase("%-", [.int(1)], "%!(NOVERB)%!(EXTRA int=1)"),
    FormatCase("%.", [.int(1)], "%!.(int=1)"),
    FormatCase("%5", [.int(1)], "%!(NOVERB)%!(EXTRA int=1)"),
    FormatCase("%%", [], "%"),
    FormatCase("%5%|", [], "%|"),
    FormatCase("%d%%", [.int(50)], "50%"),
    FormatCase("%100000000d", [.int(1)], "%!(NOVERB)%!(EXTRA int=1)"),
    FormatCase("%.d|", [.int(0)], "|"),
    FormatCase("%10.d|", [.int(0)], "          |"),
    FormatCase("%w", [.string("x")], "%!w(string=x)"),
    FormatCase("%v %v", [.string("a")], "a %!v(MISSING)"),
    FormatCase("%!", [], "%!!(MISSING)"),
    FormatCase("a%-+# 0v", [.int(1)], "a 1"),
    FormatCase("%#s", [.int(1)], "%!s(int=1)"),
    FormatCase("%s|%s", [.string("passing,warning"), .string("日本")], "passing,warning|日本"),
    FormatCase("%s|passing,warning", [.string("web")], "web|passing,warning"),
    FormatCase("%v", [.string("")], ""),
]

private let printCases: [PrintCase] = [
    PrintCase([.string("a"), .int(1), .int(2), .string("b"), .string("c"), .float64(3.5), .noValue], "a1 2bc3.5 <nil>", "a 1 2 b c 3.5 <nil>\n"),
    PrintCase([.int(1), .int(2)], "1 2", "1 2\n"),
    PrintCase([.string("a"), .string("b")], "ab", "a b\n"),
    PrintCase([], "", "\n"),
    PrintCase([.noValue], "<nil>", "<nil>\n"),
    PrintCase([.strings(["x"]), .bool(true), .string("s")], "[x] trues", "[x] true s\n"),
    PrintCase([weights(1, 2), .null(.stringSlice)], "{1 2} []", "{1 2} []\n"),
    PrintCase([service2(pointer: true)], "&{n2 -1 [] {0 0} map[] <nil> x 1e+21}", "&{n2 -1 [] {0 0} map[] <nil> x 1e+21}\n"),
]

private let floatCases: [FloatCase] = [
    FloatCase(1e6, "g", -1, 64, "1e+06"),
    FloatCase(1e21, "f", -1, 64, "1000000000000000000000"),
    FloatCase(0.1, "e", -1, 64, "1e-01"),
    FloatCase(0.1, "f", 30, 64, "0.100000000000000005551115123126"),
    FloatCase(0.1, "g", -1, 32, "0.1"),
    FloatCase(0.1, "f", -1, 32, "0.1"),
    FloatCase(123.456, "E", 2, 64, "1.23E+02"),
    FloatCase(123.456, "G", 4, 64, "123.5"),
    FloatCase(2.5, "f", 0, 64, "2"),
    FloatCase(3.5, "f", 0, 64, "4"),
    FloatCase(-0.0, "g", -1, 64, "-0"),
    FloatCase(-0.0, "e", 3, 64, "-0.000e+00"),
    FloatCase(.nan, "f", 2, 64, "NaN"),
    FloatCase(.infinity, "g", -1, 64, "+Inf"),
    FloatCase(-.infinity, "e", -1, 32, "-Inf"),
    FloatCase(1.0, "b", -1, 64, "4503599627370496p-52"),
    FloatCase(1.0, "b", -1, 32, "8388608p-23"),
    FloatCase(.leastNonzeroMagnitude, "b", -1, 64, "1p-1074"),
    FloatCase(1.0, "x", -1, 64, "0x1p+00"),
    FloatCase(0.1, "x", 3, 64, "0x1.99ap-04"),
    FloatCase(0.1, "X", -1, 32, "0X1.99999AP-04"),
    FloatCase(1.9999999, "x", 0, 64, "0x1p+01"),
    FloatCase(.leastNonzeroMagnitude, "g", -1, 64, "5e-324"),
    FloatCase(.leastNonzeroMagnitude, "e", 20, 64, "4.94065645841246544177e-324"),
    FloatCase(2.2250738585072014e-308, "g", -1, 64, "2.2250738585072014e-308"),
    FloatCase(1.7976931348623157e308, "f", 0, 64, "179769313486231570814527423731704356798070567525844996598917476803157260780028538760589558632766878171540458953514382464234321326889464182768467546703537516986049910576551282076245490090389328944075868508455133942304583236903222948165808559332123348274797826204144723168738177180919299881250404026184124858368"),
    FloatCase(1e23, "g", -1, 64, "1e+23"),
    FloatCase(1e23, "f", 5, 64, "99999999999999991611392.00000"),
    FloatCase(9.5, "g", 1, 64, "1e+01"),
    FloatCase(0.000012345, "g", 3, 64, "1.23e-05"),
    FloatCase(123456789, "g", 0, 64, "1e+08"),
    FloatCase(100, "g", 2, 64, "1e+02"),
    FloatCase(1.5, "q", 2, 64, "%q"),
    FloatCase(16777217, "f", -1, 32, "16777216"),
    FloatCase(3.4028235e38, "e", -1, 32, "3.4028235e+38"),
    FloatCase(1e-45, "g", -1, 32, "1e-45"),
]

private let quoteCases: [QuoteCase] = [
    QuoteCase("hello", "\"hello\""),
    QuoteCase("\u{0}\u{7}\u{8}\u{C}\n\r\t\u{B}\\\"'", "\"\\x00\\a\\b\\f\\n\\r\\t\\v\\\\\\\"'\""),
    QuoteCase("日本", "\"日本\""),
    QuoteCase("\u{AD}\u{A0}", "\"\\u00ad\\u00a0\""),
    QuoteCase("\u{2028}", "\"\\u2028\""),
    QuoteCase("😀", "\"😀\""),
    QuoteCase("\u{378}", "\"\\u0378\""),
    QuoteCase("\u{FEFF}", "\"\\ufeff\""),
    QuoteCase("a\u{7F}b", "\"a\\x7fb\""),
    QuoteCase("", "\"\""),
    QuoteCase("\u{E0001}", "\"\\U000e0001\""),
]

private let runeCases: [RuneCase] = [
    RuneCase(97, "'a'"),
    RuneCase(39, "'\\''"),
    RuneCase(34, "'\"'"),
    RuneCase(10, "'\\n'"),
    RuneCase(9786, "'☺'"),
    RuneCase(55296, "'�'"),
    RuneCase(1114112, "'�'"),
    RuneCase(-1, "'�'"),
    RuneCase(127, "'\\x7f'"),
    RuneCase(128512, "'😀'"),
    RuneCase(917505, "'\\U000e0001'"),
]

private let escapeCases: [EscapeCase] = [
    EscapeCase("plain", "plain", "plain", "plain"),
    EscapeCase("<a href=\"x\">'&'</a>", "&lt;a href=&#34;x&#34;&gt;&#39;&amp;&#39;&lt;/a&gt;", "\\u003Ca href\\u003D\\\"x\\\"\\u003E\\'\\u0026\\'\\u003C/a\\u003E", "%3Ca+href%3D%22x%22%3E%27%26%27%3C%2Fa%3E"),
    EscapeCase("nul\u{0}byte", "nul�byte", "nul\\u0000byte", "nul%00byte"),
    EscapeCase("", "", "", ""),
    EscapeCase("a'b\"c\\d<e>f&g=h\ni\u{1}\u{1F}", "a&#39;b&#34;c\\d&lt;e&gt;f&amp;g=h\ni\u{1}\u{1F}", "a\\'b\\\"c\\\\d\\u003Ce\\u003Ef\\u0026g\\u003Dh\\u000Ai\\u0001\\u001F", "a%27b%22c%5Cd%3Ce%3Ef%26g%3Dh%0Ai%01%1F"),
    EscapeCase("é日本\u{2028}\u{AD}😀\u{E0001}", "é日本\u{2028}\u{AD}😀\u{E0001}", "é日本\\u2028\\u00AD😀\\uE0001", "%C3%A9%E6%97%A5%E6%9C%AC%E2%80%A8%C2%AD%F0%9F%98%80%F3%A0%80%81"),
    EscapeCase("a b&c=d/e?f~g_h.i-j+k%l#m", "a b&amp;c=d/e?f~g_h.i-j+k%l#m", "a b\\u0026c\\u003Dd/e?f~g_h.i-j+k%l#m", "a+b%26c%3Dd%2Fe%3Ff~g_h.i-j%2Bk%25l%23m"),
    EscapeCase("ü€", "ü€", "ü€", "%C3%BC%E2%82%AC"),
    EscapeCase("~-_.", "~-_.", "~-_.", "~-_."),
    EscapeCase("A-Z 0-9", "A-Z 0-9", "A-Z 0-9", "A-Z+0-9"),
]

// MARK: - Tests

@Suite struct GoFormatTests {
    @Test(arguments: sprintfCases)
    func sprintf(_ c: FormatCase) {
        #expect(GoFormat.sprintf(c.format, c.args) == c.expected)
    }

    @Test(arguments: printCases)
    func sprintAndSprintln(_ c: PrintCase) {
        #expect(GoFormat.sprint(c.args) == c.sprint)
        #expect(GoFormat.sprintln(c.args) == c.sprintln)
    }

    @Test(arguments: floatCases)
    func formatFloat(_ c: FloatCase) {
        let format = c.format.utf8.first ?? 0
        #expect(GoFormat.formatFloat(c.value, format: format, precision: c.precision, bitSize: c.bitSize) == c.expected)
    }

    @Test(arguments: quoteCases)
    func quote(_ c: QuoteCase) {
        #expect(GoFormat.quote(c.input) == c.expected)
    }

    @Test(arguments: runeCases)
    func quoteRune(_ c: RuneCase) {
        #expect(GoFormat.quoteRune(c.rune) == c.expected)
    }

    @Test(arguments: escapeCases)
    func escapers(_ c: EscapeCase) {
        #expect(GoEscape.html(c.input) == c.html)
        #expect(GoEscape.js(c.input) == c.js)
        #expect(GoEscape.urlQuery(c.input) == c.urlQuery)
    }

    @Test func appendsToExistingBuffer() {
        var out = Array("x=".utf8)
        GoFormat.appendPrintf("%s|passing,warning", [.string("web")], to: &out)
        GoFormat.appendValue(.int(-12), to: &out)
        GoFormat.appendValue(.string("日本"), to: &out)
        GoFormat.appendValue(.noValue, to: &out)
        GoFormat.appendSprint([.int(1), .int(2)], to: &out)
        #expect(String(decoding: out, as: UTF8.self) == "x=web|passing,warning-12日本<nil>1 2")
    }

    @Test func appendValueMatchesSprintf() {
        let values: [TemplateValue] = [
            .int(0), .int(Int64.min, .int64), .uint(UInt64.max, .uint64), .bool(false), .float64(1e-7),
            .string(""), .strings(["a", "b"]), weights(1, 2), service1(pointer: true), .null(.stringSlice),
        ]
        for value in values {
            var out: [UInt8] = []
            GoFormat.appendValue(value, to: &out)
            #expect(String(decoding: out, as: UTF8.self) == GoFormat.sprintf("%v", [value]))
        }
    }

    /// Go prints real addresses for these; ours are stable stand-ins of the same shape.
    @Test func addressesHaveGoShape() {
        let function = TemplateValue.function(TemplateFunction("f", []) { _, _ in .noValue })
        let channel = TemplateValue.channel(TemplateChannel(type: .chan(.interface, .receive), values: []))
        let check = TemplateValue.record(TemplateRecord(type: checkType, fields: [.string("c"), .string("passing")]))

        let f = GoFormat.sprintf("%v", [function])
        #expect(f.hasPrefix("0x") && f.count > 3)
        #expect(GoFormat.sprintf("%v", [function]) == f)
        #expect(GoFormat.sprintf("%#v", [function]) == "(func())(\(f))")

        let ch = GoFormat.sprintf("%v", [channel])
        #expect(ch.hasPrefix("0xc"))
        #expect(GoFormat.sprintf("%#v", [channel]) == "(<-chan interface {})(\(ch))")
        #expect(GoFormat.sprintf("%p", [channel]) == ch)
        #expect(GoFormat.sprintf("%#p", [channel]) == String(ch.dropFirst(2)))

        // A pointer to a struct is followed at the top level only.
        #expect(GoFormat.sprintf("%v", [check]) == "&{c passing}")
        let nested = GoFormat.sprintf("%v", [list(.slice(.pointer(.record(checkType))), [check])])
        #expect(nested.hasPrefix("[0xc") && nested.hasSuffix("]"))
        let goSyntax = GoFormat.sprintf("%#v", [list(.slice(.pointer(.record(checkType))), [check])])
        #expect(goSyntax.hasPrefix("[]*dependency.HealthCheck{(*dependency.HealthCheck)(0xc"))
        // A bad verb reprints the operand at depth 0, so the pointer is followed there.
        #expect(GoFormat.sprintf("%s", [list(.anySlice, [check])]) == "[%!s(*dependency.HealthCheck=&{c passing})]")
    }

    @Test func objectsPrintAsPointers() {
        let object = TemplateValue.object(Scratch())
        let text = GoFormat.sprintf("%v", [object])
        #expect(text.hasPrefix("0xc"))
        #expect(GoFormat.sprintf("%T", [object]) == "*template.Scratch")
        #expect(GoFormat.sprintf("%#v", [object]) == "(*template.Scratch)(\(text))")
        #expect(GoFormat.sprintf("%s", [object]) == "%!s(*template.Scratch=\(text))")
    }

    /// The shortest digits come from the standard library's printer; they
    /// must equal Go's exact algorithm (shortest, then closest) everywhere.
    @Test func shortestDigitsMatchExactAlgorithm() {
        var state: UInt64 = 0x9E37_79B9_7F4A_7C15
        func next() -> UInt64 {
            // SplitMix64: deterministic, so failures are reproducible.
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        var values: [Double] = [.leastNonzeroMagnitude, .leastNormalMagnitude, .greatestFiniteMagnitude, 1e23, 9007199254740994, 0.3]
        for _ in 0..<2_000 {
            let bits = next()
            values.append(abs(Double(bitPattern: bits)))
            values.append(Double(bits >> 11) / Double(1 << (bits % 60)))
            values.append(Double(abs(Float(bitPattern: UInt32(truncatingIfNeeded: bits)))))
        }
        var mismatches = 0
        for v in values where v.isFinite && v != 0 {
            for bitSize in [32, 64] {
                let x = bitSize == 32 ? Double(Float(v)) : v
                guard x.isFinite && x != 0 else { continue }
                let fast = GoDecimal(shortestDescription: bitSize == 32 ? Float(x).description : x.description)
                let exact = GoFloat.exactShortest(x, bitSize: bitSize)
                if fast.nd != exact.nd || fast.dp != exact.dp || fast.digits[..<fast.nd] != exact.digits[..<exact.nd] {
                    mismatches += 1
                }
            }
        }
        #expect(mismatches == 0)
    }

    @Test func sprintfRowCount() {
        #expect(sprintfCases.count >= 150)
    }
}
