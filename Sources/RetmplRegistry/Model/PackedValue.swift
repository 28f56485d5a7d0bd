public import RetmplTemplate

/// A template value kept compactly while it waits to be rendered, rebuilt
/// on each read.
///
/// A daemon keeps the latest answer of every watched dependency for as long
/// as it runs; as template values (a record object and a 24-byte slot per
/// field), 10,000 services × 10 instances with one check each take ~1.1 KB
/// per instance. Packed, the records and lists only one place uses become
/// bytes (~10× smaller); ``value`` builds them again, for the render that
/// reads them, and they are freed with it.
///
/// What ``value`` returns equals the packed value: same types, fields,
/// elements and strings. Objects used more than once in the tree (a shared
/// tag list, a shared empty check definition), maps (Go references) and
/// values with behaviour (functions, channels, objects) are kept as they
/// are, so they stay shared, as before packing. Records and lists used once
/// are new objects on each read.
public final class PackedValue: Sendable {
    /// The encoded tree (see ``Tag``).
    private let bytes: [UInt8]
    /// Strings too long to be stored inline by `String` (their storage is shared, not copied).
    private let strings: [String]
    private let types: [GoType]
    private let recordTypes: [RecordType]
    /// Values kept as they are (shared objects, maps, behaviour).
    private let kept: [TemplateValue]

    /// Packs `value`.
    public init(_ value: TemplateValue) {
        var packer = Packer(value)
        packer.write(value)
        // An exact-size copy: the packer's buffer grew by doubling.
        let packed = packer.bytes
        bytes = [UInt8](unsafeUninitializedCapacity: packed.count) { buffer, count in
            count = buffer.initialize(fromContentsOf: packed)
        }
        strings = packer.strings
        types = packer.types
        recordTypes = packer.recordTypes
        kept = packer.kept
    }

    /// Bytes held beyond the objects shared with others (for diagnostics).
    public var packedSize: Int { bytes.count + 16 * (strings.count + types.count + kept.count) + 8 * recordTypes.count }

    /// The value, rebuilt.
    public var value: TemplateValue {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = Reader(buffer: buffer, owner: self)
            return reader.read()
        }
    }

    enum Tag: UInt8 {
        case noValue, null, boolFalse, boolTrue, int, uint, float
        /// A string stored inline: length, UTF-8 bytes.
        case shortString
        /// A string of ``strings``.
        case string
        case list, record, recordPointer
        /// A value of ``kept``.
        case kept
    }

    private struct Packer {
        var bytes: [UInt8] = []
        var strings: [String] = []
        var types: [GoType] = []
        var recordTypes: [RecordType] = []
        var kept: [TemplateValue] = []
        /// Objects that occur more than once: index into `kept` once stored (-1 before).
        var shared: [ObjectIdentifier: Int] = [:]

        init(_ root: TemplateValue) {
            var seen: Set<ObjectIdentifier> = []
            Self.findShared(root, seen: &seen, shared: &shared)
        }

        /// Marks the lists and records reached more than once.
        private static func findShared(_ value: TemplateValue, seen: inout Set<ObjectIdentifier>, shared: inout [ObjectIdentifier: Int]) {
            switch value {
            case .list(let l):
                guard seen.insert(ObjectIdentifier(l)).inserted else {
                    shared[ObjectIdentifier(l)] = -1
                    return
                }
                for e in l.elements { findShared(e, seen: &seen, shared: &shared) }
            case .record(let r):
                guard seen.insert(ObjectIdentifier(r)).inserted else {
                    shared[ObjectIdentifier(r)] = -1
                    return
                }
                for f in r.fields { findShared(f, seen: &seen, shared: &shared) }
            default:
                break
            }
        }

        mutating func write(_ value: TemplateValue) {
            switch value {
            case .noValue: bytes.append(Tag.noValue.rawValue)
            case .null(let type):
                bytes.append(Tag.null.rawValue)
                writeType(type)
            case .bool(let b): bytes.append(b ? Tag.boolTrue.rawValue : Tag.boolFalse.rawValue)
            case .int(let v, let kind):
                bytes.append(Tag.int.rawValue)
                bytes.append(Self.code(kind))
                writeVarint(UInt64(bitPattern: (v << 1) ^ (v >> 63)))
            case .uint(let v, let kind):
                bytes.append(Tag.uint.rawValue)
                bytes.append(Self.code(kind))
                writeVarint(v)
            case .float(let v, let kind):
                bytes.append(Tag.float.rawValue)
                bytes.append(kind == .float32 ? 0 : 1)
                withUnsafeBytes(of: v.bitPattern.littleEndian) { bytes.append(contentsOf: $0) }
            case .string(let s):
                let count = s.utf8.count
                if count <= 15 {
                    bytes.append(Tag.shortString.rawValue)
                    bytes.append(UInt8(count))
                    bytes.append(contentsOf: s.utf8)
                } else {
                    bytes.append(Tag.string.rawValue)
                    writeVarint(UInt64(strings.count))
                    strings.append(s)
                }
            case .list(let l):
                if keepShared(ObjectIdentifier(l), value) { return }
                bytes.append(Tag.list.rawValue)
                writeType(l.type)
                writeVarint(UInt64(l.elements.count))
                for e in l.elements { write(e) }
            case .record(let r):
                if keepShared(ObjectIdentifier(r), value) { return }
                bytes.append(r.isPointer ? Tag.recordPointer.rawValue : Tag.record.rawValue)
                let index: Int
                if let i = recordTypes.firstIndex(where: { $0 === r.type }) {
                    index = i
                } else {
                    index = recordTypes.count
                    recordTypes.append(r.type)
                }
                writeVarint(UInt64(index))
                for f in r.fields { write(f) }
            case .bytes, .map, .channel, .object, .function:
                writeKept(value)
            }
        }

        /// Writes a reference to a shared object (stored once); false when it is not shared.
        private mutating func keepShared(_ id: ObjectIdentifier, _ value: TemplateValue) -> Bool {
            guard let slot = shared[id] else { return false }
            if slot >= 0 {
                bytes.append(Tag.kept.rawValue)
                writeVarint(UInt64(slot))
            } else {
                shared[id] = kept.count
                writeKept(value)
            }
            return true
        }

        private mutating func writeKept(_ value: TemplateValue) {
            bytes.append(Tag.kept.rawValue)
            writeVarint(UInt64(kept.count))
            kept.append(value)
        }

        private mutating func writeType(_ type: GoType) {
            let index: Int
            if let i = types.firstIndex(of: type) {
                index = i
            } else {
                index = types.count
                types.append(type)
            }
            writeVarint(UInt64(index))
        }

        private mutating func writeVarint(_ value: UInt64) {
            var v = value
            while v >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: v) | 0x80)
                v >>= 7
            }
            bytes.append(UInt8(v))
        }

        private static func code(_ kind: GoType.IntKind) -> UInt8 {
            switch kind {
            case .int: return 0
            case .int8: return 1
            case .int16: return 2
            case .int32: return 3
            case .int64: return 4
            }
        }

        private static func code(_ kind: GoType.UIntKind) -> UInt8 {
            switch kind {
            case .uint: return 0
            case .uint8: return 1
            case .uint16: return 2
            case .uint32: return 3
            case .uint64: return 4
            case .uintptr: return 5
            }
        }
    }

    private struct Reader {
        let buffer: UnsafeBufferPointer<UInt8>
        let owner: PackedValue
        var offset = 0

        init(buffer: UnsafeBufferPointer<UInt8>, owner: PackedValue) {
            self.buffer = buffer
            self.owner = owner
        }

        mutating func read() -> TemplateValue {
            let tag = Tag(rawValue: buffer[offset]) ?? .noValue
            offset += 1
            switch tag {
            case .noValue: return .noValue
            case .null: return .null(owner.types[readIndex()])
            case .boolFalse: return .bool(false)
            case .boolTrue: return .bool(true)
            case .int:
                let kind = Self.intKind(buffer[offset])
                offset += 1
                let z = readVarint()
                return .int(Int64(bitPattern: z >> 1) ^ -Int64(bitPattern: z & 1), kind)
            case .uint:
                let kind = Self.uintKind(buffer[offset])
                offset += 1
                return .uint(readVarint(), kind)
            case .float:
                let kind: GoType.FloatKind = buffer[offset] == 0 ? .float32 : .float64
                var bits: UInt64 = 0
                for i in 0..<8 { bits |= UInt64(buffer[offset + 1 + i]) << (8 * UInt64(i)) }
                offset += 9
                return .float(Double(bitPattern: bits), kind)
            case .shortString:
                let count = Int(buffer[offset])
                let start = offset + 1
                offset = start + count
                return .string(String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<offset]), as: UTF8.self))
            case .string: return .string(owner.strings[readIndex()])
            case .list:
                let type = owner.types[readIndex()]
                let count = readIndex()
                var elements: [TemplateValue] = []
                elements.reserveCapacity(count)
                for _ in 0..<count { elements.append(read()) }
                return .list(TemplateList(type: type, elements: elements))
            case .record, .recordPointer:
                let type = owner.recordTypes[readIndex()]
                var fields: [TemplateValue] = []
                fields.reserveCapacity(type.fields.count)
                for _ in 0..<type.fields.count { fields.append(read()) }
                return .record(TemplateRecord(type: type, fields: fields, isPointer: tag == .recordPointer))
            case .kept: return owner.kept[readIndex()]
            }
        }

        private mutating func readIndex() -> Int { Int(truncatingIfNeeded: readVarint()) }

        private mutating func readVarint() -> UInt64 {
            var value: UInt64 = 0
            var shift: UInt64 = 0
            while true {
                let b = buffer[offset]
                offset += 1
                value |= UInt64(b & 0x7F) << shift
                if b < 0x80 { return value }
                shift += 7
            }
        }

        private static func intKind(_ code: UInt8) -> GoType.IntKind {
            switch code {
            case 1: return .int8
            case 2: return .int16
            case 3: return .int32
            case 4: return .int64
            default: return .int
            }
        }

        private static func uintKind(_ code: UInt8) -> GoType.UIntKind {
            switch code {
            case 1: return .uint8
            case 2: return .uint16
            case 3: return .uint32
            case 4: return .uint64
            case 5: return .uintptr
            default: return .uint
            }
        }
    }
}
