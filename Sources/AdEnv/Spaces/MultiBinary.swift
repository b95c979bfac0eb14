/// A vector of bits, Gymnasium's `MultiBinary(n)`. Its dtype is int8.
public struct MultiBinary: Sendable, Hashable {
    public let n: Int

    /// - Precondition: `n > 0`.
    public init(_ n: Int) {
        precondition(n > 0, "MultiBinary needs n > 0")
        self.n = n
    }

    public func contains(_ x: [Int]) -> Bool { x.count == n && x.allSatisfy { $0 == 0 || $0 == 1 } }

    public func sample(using rng: inout Xoshiro256) -> [Int] { (0..<n).map { _ in rng.below(2) } }
}
