import Testing
@testable import AdBench

@Suite struct BenchProtocolTests {
    @Test func banditKindsAreMeasuredOnline() {
        #expect(BenchProtocol.default(forKind: "bernoulli-bandit") == .online)
        #expect(BenchProtocol.default(forKind: "budgeted-bandit") == .online)
        #expect(BenchProtocol.default(forKind: "fatigue-mdp") == .trainEval)
        #expect(BenchProtocol(rawValue: "train-eval") == .trainEval)
    }
}
