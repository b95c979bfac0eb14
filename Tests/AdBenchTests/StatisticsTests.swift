import Testing
@testable import AdBench

@Suite struct StatisticsTests {
    // MARK: Interquartile mean

    @Test func iqmOfFourValuesIsTheMeanOfTheMiddleTwo() {
        #expect(InterquartileMean.of([4, 1, 3, 2]) == 2.5)
    }

    @Test func iqmOfEightValuesDropsTheOutlier() {
        // Sorted 1 2 | 3 4 5 6 | 7 100: the middle four average 4.5.
        #expect(InterquartileMean.of([1, 2, 3, 4, 100, 5, 6, 7]) == 4.5)
    }

    @Test func iqmOfFiveValuesWeighsTheBoundaryValuesFractionally() {
        // Sorted 1 2 4 8 16 with weights 0, 0.3, 0.4, 0.3, 0: 0.6 + 1.6 + 2.4 = 4.6.
        #expect(abs(InterquartileMean.of([16, 1, 8, 2, 4]) - 4.6) < 1e-12)
    }

    @Test func iqmOfTinySamples() {
        #expect(InterquartileMean.of([7]) == 7)
        #expect(InterquartileMean.of([1, 3]) == 2)
        // n = 3: weights 1/6, 2/3, 1/6 → 0 + 2 + 2.
        #expect(abs(InterquartileMean.of([12, 0, 3]) - 4) < 1e-12)
        #expect(InterquartileMean.of([]).isNaN)
    }

    @Test func iqmWithTiesAtAQuartile() {
        // Sorted 1 5 5 5 5: the 1 has weight 0, the rest weigh 0.3 + 0.4 + 0.3.
        #expect(abs(InterquartileMean.of([5, 5, 1, 5, 5]) - 5) < 1e-12)
    }

    // MARK: Probability of improvement

    @Test func probabilityOfImprovementCountsTiesAsHalf() {
        // Pairs (1,1) ½, (1,3) 0, (2,1) 1, (2,3) 0 → 1.5 / 4.
        #expect(ProbabilityOfImprovement.estimate([1, 2], over: [1, 3]) == 0.375)
        #expect(ProbabilityOfImprovement.estimate([1, 3], over: [1, 2]) == 0.625)
        #expect(ProbabilityOfImprovement.estimate([5, 6], over: [1, 2, 3]) == 1)
        #expect(ProbabilityOfImprovement.estimate([], over: [1]).isNaN)
    }

    @Test func probabilityOfImprovementIntervalBracketsTheEstimate() {
        let x: [Double] = [3, 4, 5, 6, 7, 8], y: [Double] = [1, 2, 3, 4, 5, 6]
        let ci = ProbabilityOfImprovement.interval(x, over: y)
        #expect(ci.estimate == ProbabilityOfImprovement.estimate(x, over: y))
        #expect(ci.lower < ci.estimate && ci.estimate < ci.upper)
        #expect(ci.lower >= 0 && ci.upper <= 1)
    }

    // MARK: Bootstrap

    @Test func bootstrapOfAConstantSampleHasZeroWidth() {
        let ci = Bootstrap().interval(.mean, of: [2.5, 2.5, 2.5, 2.5])
        #expect(ci == ConfidenceInterval(estimate: 2.5, lower: 2.5, upper: 2.5))
        let iqm = Bootstrap().interval(.interquartileMean, of: [3])
        #expect(iqm.lower == 3 && iqm.upper == 3)
    }

    @Test func bootstrapIntervalOfTheMeanContainsItAndShrinksWithSampleSize() {
        let small = (0..<10).map { Double(($0 * 7) % 10) }
        let large = (0..<160).map { Double(($0 * 7) % 10) }
        let a = Bootstrap().interval(.mean, of: small), b = Bootstrap().interval(.mean, of: large)
        #expect(a.estimate == 4.5 && b.estimate == 4.5)
        #expect(a.contains(4.5) && b.contains(4.5))
        #expect(b.width < a.width / 2)
    }

    @Test func bootstrapIsAFunctionOfItsSeed() {
        let sample: [Double] = [1, 4, 2, 8, 5, 7, 3, 9]
        #expect(Bootstrap(seed: 3).interval(.interquartileMean, of: sample) == Bootstrap(seed: 3).interval(.interquartileMean, of: sample))
        #expect(Bootstrap(seed: 3).interval(.mean, of: sample) != Bootstrap(seed: 4).interval(.mean, of: sample))
    }

    @Test func stratifiedBootstrapResamplesWithinEachStratum() {
        // Each stratum holds one value, so every stratified resample is {0, 1}: a zero-width interval.
        let ci = Bootstrap().stratifiedInterval(.mean, of: [[0], [1], []])
        #expect(ci == ConfidenceInterval(estimate: 0.5, lower: 0.5, upper: 0.5))
        // Pooled into one sample, resamples vary.
        #expect(Bootstrap().interval(.mean, of: [0, 1]).width > 0)
    }

    @Test func percentileInterpolatesBetweenOrderStatistics() {
        #expect(Bootstrap.percentile([1, 2, 3, 4, 5], 0.25) == 2)
        #expect(abs(Bootstrap.percentile([1, 2, 3, 4, 5], 0.1) - 1.4) < 1e-12)
        #expect(Bootstrap.percentile([1, 2, 3, 4, 5], 1) == 5)
        #expect(Bootstrap.percentile([], 0.5).isNaN)
    }

    // MARK: Lai–Robbins

    @Test func laiRobbinsCoefficientOfTwoArms() {
        // KL(0.25 ‖ 0.5) = 0.25 ln 0.5 + 0.75 ln 1.5 = 0.130812; c = 0.25 / 0.130812.
        #expect(abs(LaiRobbinsBound.coefficient(means: [0.5, 0.25]) - 1.911139) < 1e-5)
        // A second best arm adds nothing; so does a worse arm when μ* = 1.
        #expect(LaiRobbinsBound.coefficient(means: [0.5, 0.25, 0.5]) == LaiRobbinsBound.coefficient(means: [0.5, 0.25]))
        #expect(LaiRobbinsBound.coefficient(means: [1, 0.5]) == 0)
        #expect(LaiRobbinsBound.bernoulliKL(0.3, 0.3) == 0)
    }
}
