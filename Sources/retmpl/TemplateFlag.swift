/// One `-template "source:destination:command"` value, split by
/// consul-template's rules: parts are runs of non-colons, each optionally
/// led by a Windows drive letter (`C:`); a fourth and later part are joined
/// back into the command, so commands may contain colons.
struct TemplateFlag: Equatable {
    var source: String
    var destination: String?
    var command: String?

    init(parsing value: String) throws(FlagError) {
        var parts: [String] = []
        let bytes = Array(value.utf8)
        let colon = UInt8(ascii: ":")
        var i = 0
        while i < bytes.count {
            guard bytes[i] != colon else {
                i += 1
                continue
            }
            // `([a-zA-Z]:)?([^:]+)`: a drive letter counts only when a
            // non-colon run follows it.
            var runStart = i
            let c = bytes[i]
            let isLetter = (c >= 0x41 && c <= 0x5A) || (c >= 0x61 && c <= 0x7A)
            if isLetter && i + 2 < bytes.count && bytes[i + 1] == colon && bytes[i + 2] != colon {
                runStart = i + 2
            }
            var j = runStart
            while j < bytes.count && bytes[j] != colon { j += 1 }
            parts.append(String(decoding: bytes[i..<j], as: UTF8.self))
            i = j
        }
        guard let first = parts.first else {
            throw FlagError("invalid template declaration \"\(value)\": missing source")
        }
        source = first
        destination = parts.count > 1 ? parts[1] : nil
        command = parts.count > 2 ? parts[2...].joined(separator: ":") : nil
    }
}

/// A command-line error (exit status 13, consul-template's parse-flags error).
struct FlagError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
