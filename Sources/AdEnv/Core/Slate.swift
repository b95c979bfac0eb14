/// An ordered list of up to 8 item indices, one per slot: the action of slate envs.
///
/// It is stored inline (no heap allocation), so stepping a slate env allocates nothing. Its flat form
/// is `count` int64 values, Gymnasium's `MultiDiscrete([n] * count)`.
public struct Slate: Sendable, Equatable, EnvAction {
    /// The largest number of slots a slate can hold.
    public static let capacity = 8

    public private(set) var items: SIMD8<Int32>
    public let count: Int

    /// - Precondition: `items.count <= 8`.
    public init(_ items: [Int]) {
        precondition(items.count <= Self.capacity, "a slate holds at most \(Self.capacity) items")
        var storage = SIMD8<Int32>(repeating: -1)
        for (i, item) in items.enumerated() { storage[i] = Int32(truncatingIfNeeded: item) }
        self.items = storage
        self.count = items.count
    }

    /// The item in slot `slot` (0-based).
    @inlinable
    public subscript(slot: Int) -> Int { Int(items[slot]) }

    /// The items as an array.
    public var array: [Int] { (0..<count).map { self[$0] } }

    public static var dtype: ActionDType { .int64 }

    public init(row: ActionRow, count: Int) throws(ActionError) {
        guard row.count == count, count <= Self.capacity else { throw .wrongCount(expected: count, got: row.count) }
        guard case .integers(let values) = row else { throw .wrongDType(expected: "int64", got: "float32") }
        var storage = SIMD8<Int32>(repeating: -1)
        for i in 0..<count {
            // Out-of-range values become -1 and are rejected by the env's range check.
            storage[i] = (0...Int64(Int32.max)).contains(values[i]) ? Int32(values[i]) : -1
        }
        self.items = storage
        self.count = count
    }

    public func write(to out: UnsafeMutableBufferPointer<Int64>) {
        for i in 0..<count { out[i] = Int64(items[i]) }
    }

    public func write(to out: UnsafeMutableBufferPointer<Float>) {
        for i in 0..<count { out[i] = Float(items[i]) }
    }

    public func combine(into digest: inout TrajectoryDigest) {
        for i in 0..<count { digest.combine(Int64(items[i])) }
    }

    public static func == (lhs: Slate, rhs: Slate) -> Bool {
        lhs.count == rhs.count && (0..<lhs.count).allSatisfy { lhs.items[$0] == rhs.items[$0] }
    }
}
