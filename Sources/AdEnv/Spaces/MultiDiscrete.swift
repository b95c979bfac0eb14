/// A vector of independent discrete choices, Gymnasium's `MultiDiscrete(nvec)`: element `i` lies in
/// `0 ..< nvec[i]`. Its dtype is int64.
public struct MultiDiscrete: Sendable, Hashable {
    public let nvec: [Int]

    /// - Precondition: every entry of `nvec` is positive.
    public init(_ nvec: [Int]) {
        precondition(!nvec.isEmpty && nvec.allSatisfy { $0 > 0 }, "MultiDiscrete needs positive sizes")
        self.nvec = nvec
    }

    public func contains(_ x: [Int]) -> Bool {
        x.count == nvec.count && zip(x, nvec).allSatisfy { $0 >= 0 && $0 < $1 }
    }

    public func sample(using rng: inout Xoshiro256) -> [Int] { nvec.map { rng.below($0) } }
}
