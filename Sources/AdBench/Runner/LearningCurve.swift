#if canImport(Glibc)
import Glibc
#endif

/// The step grids at which a run records its learning curve (`curve.csv`, see `docs/BENCH.md`).
enum LearningCurve {
    /// Online runs: the union of `⌈T·i/100⌉` for i = 1…100 and `⌈T^(j/64)⌉` for j = 0…64, sorted,
    /// each in 1…T, so that both a linear and a logarithmic time axis are evenly sampled.
    static func onlineGrid(steps total: Int) -> [Int] {
        precondition(total >= 1)
        var points = Set<Int>()
        for i in 1...100 { points.insert(ceilDiv(total * i, 100)) }
        let logTotal = log(Double(total))
        for j in 0...64 { points.insert(min(total, max(1, Int(exp(logTotal * Double(j) / 64).rounded(.up))))) }
        return points.filter { $0 >= 1 && $0 <= total }.sorted()
    }

    /// Train-eval runs: the ends of 50 equal bins of `0…S`, bin b covering `(⌈S·b/50⌉, ⌈S·(b+1)/50⌉]`.
    static func binEnds(steps total: Int) -> [Int] {
        (1...50).map { ceilDiv(total * $0, 50) }
    }

    private static func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }
}
