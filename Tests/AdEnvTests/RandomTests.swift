import Testing
@testable import AdEnv

@Suite struct RandomTests {
    @Test func splitMix64MatchesTheReferenceSequence() {
        // Reference outputs of Vigna's splitmix64.c for seed 0.
        var g = SplitMix64(seed: 0)
        #expect(g.next() == 0xE220_A839_7B1D_CDAF)
        #expect(g.next() == 0x6E78_9E6A_A1B9_65F4)
        #expect(g.next() == 0x06C4_5D18_8009_454F)
    }

    @Test func xoshiro256StarStarMatchesTheReferenceSequence() {
        // Reference outputs of Blackman and Vigna's xoshiro256starstar.c from state (1, 2, 3, 4).
        var g = Xoshiro256(state: (1, 2, 3, 4))
        #expect(g.next() == 11520)
        #expect(g.next() == 0)
        #expect(g.next() == 1_509_978_240)
        #expect(g.next() == 1_215_971_899_390_074_240)
    }

    @Test func allZeroStateIsReplacedBySeedZero() {
        var a = Xoshiro256(state: (0, 0, 0, 0)), b = Xoshiro256(seed: 0)
        #expect(a.next() == b.next())
    }

    @Test func belowIsUniformAndInRange() {
        var g = Xoshiro256(seed: 9)
        var counts = [Int](repeating: 0, count: 7)
        for _ in 0..<70_000 { counts[g.below(7)] += 1 }
        // Each count is Binomial(70000, 1/7): sd ≈ 92.6; 5 sd ≈ 463.
        for c in counts { #expect(abs(c - 10_000) < 463) }
    }

    @Test func normalHasMeanZeroAndUnitVariance() {
        var g = Xoshiro256(seed: 3)
        let n = 100_000
        let xs = (0..<n).map { _ in g.normal() }
        let mean = xs.reduce(0, +) / Double(n)
        let variance = xs.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(n - 1)
        #expect(abs(mean) < 5 / Double(n).squareRoot())
        #expect(abs(variance - 1) < 5 * (2 / Double(n)).squareRoot())
    }

    @Test(arguments: [0.5, 4.0, 29.0, 31.0, 250.0])
    func poissonHasTheRightMeanAndVariance(mean: Double) {
        var g = Xoshiro256(seed: 11)
        let n = 40_000
        let xs = (0..<n).map { _ in Double(g.poisson(mean: mean)) }
        let m = xs.reduce(0, +) / Double(n)
        let v = xs.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(n - 1)
        #expect(abs(m - mean) < 5 * (mean / Double(n)).squareRoot())
        #expect(abs(v / mean - 1) < 0.06)
    }

    @Test func exponentialAndBetaHaveTheRightMeans() {
        var g = Xoshiro256(seed: 5)
        let n = 50_000
        let e = (0..<n).map { _ in g.exponential(mean: 2.5) }.reduce(0, +) / Double(n)
        #expect(abs(e - 2.5) < 5 * 2.5 / Double(n).squareRoot())
        let b = (0..<n).map { _ in g.beta(2, 6) }.reduce(0, +) / Double(n)
        let sd = (2.0 * 6 / (64 * 9)).squareRoot()
        #expect(abs(b - 0.25) < 5 * sd / Double(n).squareRoot())
    }

    @Test func splitStreamsDifferFromTheParentAndEachOther() {
        var parent = Xoshiro256(seed: 1)
        var a = parent.split(stream: 1), b = parent.split(stream: 1)
        #expect(a.next() != b.next())
    }
}
