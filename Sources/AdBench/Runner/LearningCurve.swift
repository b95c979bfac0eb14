/// The step grids at which a run records its learning curve (`curve.csv`, see `docs/BENCH.md`).
/// Both are exact integer arithmetic, so the same run records the same steps on every machine.
enum LearningCurve {
    /// Online runs: the union of `⌈T·i/100⌉` for i = 1…100 (an even linear axis) and a logarithmic
    /// axis of about ten points per decade: 1…10, then `m·10^e` for m in 1.2, 1.5, 2, 2.5, 3, 4, 5,
    /// 6, 8, 10 (12, 15, 20, …, 100, 120, …); sorted, within 1…T.
    static func onlineGrid(steps total: Int) -> [Int] {
        precondition(total >= 1)
        var points = Set<Int>()
        for i in 1...100 { points.insert(ceilDiv(total * i, 100)) }
        for v in 1...10 { points.insert(v) }
        var scale = 1
        while 12 * scale <= total {
            for m in [12, 15, 20, 25, 30, 40, 50, 60, 80, 100] { points.insert(m * scale) }
            scale *= 10
        }
        return points.filter { $0 >= 1 && $0 <= total }.sorted()
    }

    /// Train-eval runs: the ends of 50 equal bins of `0…S`, bin b covering `(⌈S·b/50⌉, ⌈S·(b+1)/50⌉]`.
    static func binEnds(steps total: Int) -> [Int] {
        (1...50).map { ceilDiv(total * $0, 50) }
    }

    private static func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }
}
