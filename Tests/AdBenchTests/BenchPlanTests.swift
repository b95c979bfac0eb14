import AdAgents
import AdEnv
import Testing
@testable import AdBench

@Suite struct BenchPlanTests {
    @Test func anAgentThatCannotActIsSkippedWithTheReason() throws {
        let plan = try BenchPlan(BenchSuite(name: "t", scenarios: [
            BenchScenario(id: "BudgetPacing-v0", steps: 10, agents: [BenchAgent(preset: "pid"), BenchAgent(preset: "dqn")]),
        ]))
        #expect(plan.scenarios[0].agents.map(\.label) == ["pid"])
        #expect(plan.scenarios[0].skipped.count == 1 && plan.scenarios[0].skipped[0].label == "dqn")
        #expect(plan.scenarios[0].skipped[0].reason.contains("Discrete"))
    }

    @Test func invalidHyperparametersStopThePlanNamingTheField() {
        #expect {
            _ = try BenchPlan(BenchSuite(name: "t", scenarios: [
                BenchScenario(id: "FatigueMDP-v0", steps: 10, agents: [BenchAgent(preset: "dqn", overrides: ["gamma=7"])]),
            ]))
        } throws: { error in
            "\(error)".contains("FatigueMDP-v0, dqn") && "\(error)".contains("gamma")
        }
    }

    @Test(arguments: ["NoSuchEnv-v0", "StrategyBandit-v0"])
    func anUnknownScenarioOrAgentStopsThePlan(id: String) {
        #expect(throws: BenchError.self) {
            _ = try BenchPlan(BenchSuite(name: "t", scenarios: [BenchScenario(id: id, steps: 10, agents: [BenchAgent(preset: "no-such-agent")])]))
        }
    }

    @Test func ppoPlansItsScheduleOverTheScenariosSteps() throws {
        let plan = try BenchPlan(BenchSuite(name: "t", scenarios: [
            BenchScenario(id: "FatigueMDP-v0", steps: 4096, agents: [BenchAgent(preset: "ppo", envs: 4)]),
        ]))
        #expect(plan.scenarios[0].agents[0].hyperparameters["total_steps"] == .number(4096))
    }

    @Test func runsCoverTheMatrixAndNameTheirDirectories() throws {
        let plan = try BenchPlan(BenchSuite(name: "t", seeds: SeedRange(start: 5, count: 3), scenarios: [
            BenchScenario(id: "StrategyBandit-v0", steps: 10, agents: [BenchAgent(preset: "ucb1"), BenchAgent(label: "eg", preset: "epsilon-greedy")]),
        ]))
        #expect(plan.runs.count == 6)
        #expect(plan.directory(of: plan.runs[4]) == "runs/StrategyBandit-v0/eg/seed-6")
    }

    @Test func theOnlineGridSpansTheRunOnLinearAndLogarithmicAxes() {
        let grid = LearningCurve.onlineGrid(steps: 10_000)
        #expect(grid.first == 1 && grid.last == 10_000)
        #expect(grid == grid.sorted() && Set(grid).count == grid.count)
        #expect((1...100).allSatisfy { grid.contains(100 * $0) })
        // Exact powers and preferred numbers on the log axis (integer arithmetic, no libm).
        #expect([1, 2, 10, 12, 15, 25, 100, 120, 1_000, 8_000].allSatisfy(grid.contains))
        // Dense on a log axis too: every decade below 1,000 holds at least 8 points.
        for decade in [1, 10, 100] { #expect(grid.filter { $0 >= decade && $0 < 10 * decade }.count >= 8, "\(decade)") }
        #expect(LearningCurve.onlineGrid(steps: 1) == [1])
        #expect(LearningCurve.binEnds(steps: 1000) == (1...50).map { $0 * 20 })
    }
}
