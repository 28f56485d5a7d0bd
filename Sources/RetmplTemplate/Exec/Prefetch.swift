import CRetmplSystem

/// Prefetches the heap objects behind the next elements of a range loop.
///
/// A range over instances is bound by memory latency, not by instructions:
/// each element is a struct object and a fields array somewhere in a heap
/// of tens of megabytes. While one element's body runs, the next ones are
/// brought into the cache.
///
/// Reading a reference out of a `TemplateValue` the usual way retains it,
/// and a retain is a write that waits for the very cache line we want to
/// prefetch; so the layout of a value is read raw. The layout is checked
/// against real values once; where it does not match, prefetching is off.
/// A prefetch never faults, whatever the address.
enum Prefetch {
    /// Where a value's kind and references sit, learnt from real values.
    struct Layout {
        let recordTag: UInt8
        let listTag: UInt8
        let mapTag: UInt8
        let stringTag: UInt8
        /// The top byte of a native (heap) string's object word, and the
        /// distance from its masked pointer to the string's bytes.
        let nativeStringTop: UInt8
        let stringBytesOffset: Int
        /// Where the fields (elements) array sits in a record (list) object.
        let recordFieldsOffset: Int
        let listElementsOffset: Int
    }

    private static let tagOffset = 16
    private static let arrayHeader = 32
    private static let stride = MemoryLayout<TemplateValue>.stride

    static let layout: Layout? = learnLayout()

    private static func word(_ value: TemplateValue, _ index: Int) -> UInt {
        withUnsafeBytes(of: value) { $0.load(fromByteOffset: index * 8, as: UInt.self) }
    }

    private static func tag(_ value: TemplateValue) -> UInt8 {
        withUnsafeBytes(of: value) { $0[tagOffset] }
    }

    private static func objectAddress(_ object: AnyObject) -> UInt {
        UInt(bitPattern: Unmanaged.passUnretained(object).toOpaque())
    }

    /// The offset in `object` of the word that points at `buffer`'s array storage.
    private static func offset(of buffer: UInt, in object: AnyObject) -> Int? {
        let base = Unmanaged.passUnretained(object).toOpaque()
        var offset = 16
        while offset < 64 {
            if UnsafeRawPointer(base).load(fromByteOffset: offset, as: UInt.self) &+ UInt(arrayHeader) == buffer { return offset }
            offset += 8
        }
        return nil
    }

    private static func learnLayout() -> Layout? {
        guard MemoryLayout<TemplateValue>.size == 17, stride == 24 else { return nil }
        let type = RecordType(name: "probe", fields: [.init("A", .int), .init("B", .string)])
        let record = TemplateRecord(type: type, fields: [.int(1), .string("x")])
        let list = TemplateList(type: .stringSlice, elements: [.string("a"), .string("b")])
        let map = TemplateMap(type: .stringStringMap, strings: ["a": .string("b")])
        let text = String(repeating: "long string ", count: 4)
        let values: [TemplateValue] = [.record(record), .list(list), .map(map), .string(text)]
        guard word(values[0], 0) == objectAddress(record),
              word(values[1], 0) == objectAddress(list),
              word(values[2], 0) == objectAddress(map) else { return nil }
        let tags = values.map(tag)
        // Every kind must have a tag of its own.
        let others: [TemplateValue] = [.noValue, .int(5), .bool(true), .float64(1), .string("smol"), .bytes([1]), .null(.interface)]
        guard Set(tags).count == 4, others.allSatisfy({ !tags.contains(tag($0)) }) else { return nil }
        guard Set([tag(.string("smol")), tags[3]]).count == 1 else { return nil }
        // A heap string: pointer in the low 56 bits of its second word.
        let object = word(values[3], 1)
        var copy = text
        let bytes = copy.withUTF8 { UInt(bitPattern: $0.baseAddress) }
        let top = UInt8(truncatingIfNeeded: object >> 56)
        guard top != UInt8(truncatingIfNeeded: word(.string("smol"), 1) >> 56) else { return nil }
        let delta = Int(bitPattern: bytes &- (object & 0x00FF_FFFF_FFFF_FFFF))
        guard (0...64).contains(delta) else { return nil }
        guard let fieldsOffset = offset(of: record.fields.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }, in: record),
              let elementsOffset = offset(of: list.elements.withUnsafeBufferPointer { UInt(bitPattern: $0.baseAddress) }, in: list)
        else { return nil }
        return Layout(
            recordTag: tags[0], listTag: tags[1], mapTag: tags[2], stringTag: tags[3],
            nativeStringTop: top, stringBytesOffset: delta,
            recordFieldsOffset: fieldsOffset, listElementsOffset: elementsOffset)
    }

    @inline(__always)
    private static func tag(at value: UnsafeRawPointer) -> UInt8 {
        value.load(fromByteOffset: tagOffset, as: UInt8.self)
    }

    /// The array buffer of a struct or slice value whose object is cached, or nil.
    @inline(__always)
    private static func arrayBuffer(of value: UnsafeRawPointer, _ layout: Layout) -> UnsafeRawPointer? {
        let t = tag(at: value)
        let offset: Int
        if t == layout.recordTag { offset = layout.recordFieldsOffset }
        else if t == layout.listTag { offset = layout.listElementsOffset }
        else { return nil }
        return value.load(as: UnsafeRawPointer.self).load(fromByteOffset: offset, as: UnsafeRawPointer.self)
    }

    /// Stage 1: the object of a struct or slice value.
    @inline(__always)
    static func object(_ value: UnsafePointer<TemplateValue>, _ layout: Layout) {
        let raw = UnsafeRawPointer(value)
        let t = tag(at: raw)
        if t == layout.recordTag || t == layout.listTag { cretmpl_prefetch(raw.load(as: UnsafeRawPointer.self)) }
    }

    /// Stage 2 (object cached): the first cache lines of its fields.
    @inline(__always)
    static func fields(_ value: UnsafePointer<TemplateValue>, _ layout: Layout) {
        guard let buffer = arrayBuffer(of: UnsafeRawPointer(value), layout) else { return }
        let count = buffer.load(fromByteOffset: 16, as: Int.self)
        let end = min(arrayHeader + count &* stride, 512)
        var offset = 0
        while offset < end {
            cretmpl_prefetch(buffer + offset)
            offset += 64
        }
    }

    /// Calls `body` with each field of a struct value whose fields are cached.
    @inline(__always)
    private static func forEachField(_ value: UnsafePointer<TemplateValue>, _ layout: Layout, _ body: (UnsafeRawPointer) -> Void) {
        guard tag(at: UnsafeRawPointer(value)) == layout.recordTag,
              let buffer = arrayBuffer(of: UnsafeRawPointer(value), layout) else { return }
        let count = min(buffer.load(fromByteOffset: 16, as: Int.self), 24)
        var i = 0
        while i < count {
            body(buffer + arrayHeader + i &* stride)
            i += 1
        }
    }

    /// Stage 3 (fields cached): what the fields refer to — heap strings,
    /// structs, slices and maps.
    @inline(__always)
    static func references(_ value: UnsafePointer<TemplateValue>, _ layout: Layout) {
        forEachField(value, layout) { field in
            let t = tag(at: field)
            if t == layout.stringTag {
                let object = field.load(fromByteOffset: 8, as: UInt.self)
                if UInt8(truncatingIfNeeded: object >> 56) == layout.nativeStringTop {
                    cretmpl_prefetch(UnsafeRawPointer(bitPattern: (object & 0x00FF_FFFF_FFFF_FFFF) &+ UInt(layout.stringBytesOffset)))
                }
            } else if t == layout.recordTag || t == layout.listTag || t == layout.mapTag {
                cretmpl_prefetch(field.load(as: UnsafeRawPointer.self))
            }
        }
    }

    /// Stage 4 (referred objects cached): the first line of nested structs'
    /// fields and slices' elements.
    @inline(__always)
    static func nested(_ value: UnsafePointer<TemplateValue>, _ layout: Layout) {
        forEachField(value, layout) { field in
            if let buffer = arrayBuffer(of: field, layout) { cretmpl_prefetch(buffer + arrayHeader) }
        }
    }
}
