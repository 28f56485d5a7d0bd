/// Builds a ``JSONValue`` tree with Go's acceptance rules and messages.
///
/// Iterative (an explicit container stack, so deep documents cannot overflow
/// the thread stack) with Go's nesting limit of 10,000. Every container is
/// allocated once at its final size: elements wait on shared stacks and are
/// moved, not copied, into place.
enum JSONParser {
    /// Parses one value; unless `allowTrailing`, only white space may follow it.
    static func parse(_ bytes: UnsafeBufferPointer<UInt8>, allowTrailing: Bool) throws(JSONError) -> (value: JSONValue, end: Int) {
        guard let base = bytes.baseAddress, !bytes.isEmpty else {
            throw JSONError(message: "unexpected end of JSON input", offset: 0, line: 1, column: 1)
        }
        var scanner = JSONScanner(base: base, count: bytes.count)
        let value = try parseValue(&scanner, depth: 0)
        let end = scanner.pos
        if !allowTrailing {
            scanner.skipSpace()
            if scanner.pos < scanner.count {
                throw scanner.syntaxError(scanner.base[scanner.pos], "after top-level value")
            }
        }
        return (value, end)
    }

    /// An open container: where its elements start on the value or member
    /// stack, and which stack that is.
    private struct Open {
        var start: Int
        var isObject: Bool
    }

    /// Parses the value at the scanner's position; `depth` containers are
    /// already open around it (for the nesting limit).
    static func parseValue(_ s: inout JSONScanner, depth: Int) throws(JSONError) -> JSONValue {
        var open: [Open] = []
        var pendingKeys: [String] = []
        var values = MoveStack<JSONValue>()
        var members = MoveStack<(key: String, value: JSONValue)>()

        while true {
            // Parse one value (or open a container and go parse its first element).
            var value: JSONValue
            let c = try s.next()
            switch c {
            case UInt8(ascii: "\""):
                value = .string(try s.readString())
            case UInt8(ascii: "{"):
                if depth + open.count >= JSONScanner.maxDepth { throw s.syntaxError(c, "exceeded max depth") }
                s.pos += 1
                if try s.objectHasMembers() {
                    pendingKeys.append(try s.readKey())
                    open.append(Open(start: members.count, isObject: true))
                    continue
                }
                value = .object([])
            case UInt8(ascii: "["):
                if depth + open.count >= JSONScanner.maxDepth { throw s.syntaxError(c, "exceeded max depth") }
                s.pos += 1
                if try s.arrayHasElements() {
                    open.append(Open(start: values.count, isObject: false))
                    continue
                }
                value = .array([])
            case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                let n = try s.readNumber()
                value = .number(n.double, n.string)
            case UInt8(ascii: "t"), UInt8(ascii: "f"), UInt8(ascii: "n"):
                value = try s.readLiteral()
            default:
                throw s.syntaxError(c, "looking for beginning of value")
            }

            // Attach the value to its container, closing containers as they end.
            while let top = open.last {
                if top.isObject {
                    members.push((key: pendingKeys.removeLast(), value: value))
                    if try s.afterMember() {
                        pendingKeys.append(try s.readKey())
                        break
                    }
                    value = .object(members.popArray(from: top.start))
                } else {
                    values.push(value)
                    if try s.afterElement() { break }
                    value = .array(values.popArray(from: top.start))
                }
                open.removeLast()
            }
            if open.isEmpty { return value }
        }
    }
}
