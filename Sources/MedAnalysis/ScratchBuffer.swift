/// A growable buffer of plain values (trivial types: bytes, ranges, flags) for the analyzer's
/// per-call scratch space. Appending and clearing are plain stores, without Array's copy-on-write
/// checks. It starts in storage the caller lends (the analyzer's stack), moves to the heap only
/// when it outgrows that, and frees what it allocated when it goes away. Memory is zero-filled,
/// so reading past ``count`` (within ``capacity``) reads initialised bytes.
struct ScratchBuffer<Element>: ~Copyable {
    /// The elements' storage, valid for ``capacity`` elements.
    private(set) var base: UnsafeMutablePointer<Element>
    /// The number of elements.
    var count = 0
    private(set) var capacity = 0
    /// Whether ``base`` was allocated here (rather than lent).
    private var ownsStorage = false

    /// An empty buffer using `byteCount` bytes at `storage` (suitably aligned, and outliving the
    /// buffer) until it needs more.
    init(lending storage: UnsafeMutableRawPointer, byteCount: Int) {
        assert(_isPOD(Element.self), "ScratchBuffer holds trivial values only")
        storage.initializeMemory(as: UInt8.self, repeating: 0, count: byteCount)
        capacity = byteCount / MemoryLayout<Element>.stride
        base = storage.bindMemory(to: Element.self, capacity: capacity)
    }

    deinit {
        if ownsStorage { base.deallocate() }
    }

    var isEmpty: Bool { count == 0 }

    /// The elements.
    var elements: UnsafeBufferPointer<Element> { UnsafeBufferPointer(start: base, count: count) }

    /// The elements in `range`.
    func slice(_ range: Range<Int>) -> UnsafeBufferPointer<Element> {
        UnsafeBufferPointer(start: base + range.lowerBound, count: range.count)
    }

    subscript(index: Int) -> Element {
        get { base[index] }
        set { base[index] = newValue }
    }

    @inline(__always)
    mutating func append(_ element: Element) {
        if count == capacity { grow(to: count + 1) }
        base[count] = element
        count += 1
    }

    @inline(__always)
    mutating func append(contentsOf elements: UnsafeBufferPointer<Element>) {
        guard let source = elements.baseAddress else { return }
        reserve(count + elements.count)
        (base + count).update(from: source, count: elements.count)
        count += elements.count
    }

    @inline(__always)
    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func removeLast(_ k: Int = 1) { count -= k }

    /// Makes room for at least `minimum` elements.
    @inline(__always)
    mutating func reserve(_ minimum: Int) {
        if minimum > capacity { grow(to: minimum) }
    }

    @inline(never)
    private mutating func grow(to minimum: Int) {
        let newCapacity = max(minimum, capacity * 2, 64)
        let bytes = newCapacity * MemoryLayout<Element>.stride
        let raw = UnsafeMutableRawPointer.allocate(byteCount: bytes, alignment: MemoryLayout<Element>.alignment)
        raw.initializeMemory(as: UInt8.self, repeating: 0, count: bytes)
        let newBase = raw.bindMemory(to: Element.self, capacity: newCapacity)
        newBase.update(from: base, count: count)
        if ownsStorage { base.deallocate() }
        base = newBase
        capacity = newCapacity
        ownsStorage = true
    }
}
