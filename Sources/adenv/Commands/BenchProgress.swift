import AdBench
import AdEnv
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A bench's progress on standard output: runs done of the total, the runs in flight and the ETA
/// (from env-steps done per second, so long runs weigh what they cost). On a terminal one line is
/// redrawn in place; otherwise each finished run prints a line.
final class BenchProgress: Sendable {
    private struct State {
        var done: Int
        var stepsDone = 0
        var running: [BenchPlan.Run] = []
    }

    private let plan: BenchPlan
    private let total: Int
    private let stepsTotal: Int
    private let isTerminal = isatty(1) != 0
    private let clock = ContinuousClock()
    private let began: ContinuousClock.Instant
    private let state: Mutex<State>

    init(plan: BenchPlan, pending: [BenchPlan.Run], done: Int, total: Int) {
        self.plan = plan
        self.total = total
        stepsTotal = pending.reduce(0) { $0 + plan.scenarios[$1.scenario].steps }
        began = clock.now
        state = Mutex(State(done: done))
    }

    func handle(_ event: BenchRunner.Event) {
        let elapsed = (clock.now - began).inSeconds
        let line: String? = state.withLock { state in
            switch event {
            case .started(let run):
                state.running.append(run)
                return isTerminal ? bar(state, elapsed: elapsed) : nil
            case .finished(let run, let output):
                state.running.removeAll { $0 == run }
                state.done += 1
                state.stepsDone += plan.scenarios[run.scenario].steps
                let rate = output.trainSeconds > 0 ? Double(output.steps) / output.trainSeconds : 0
                let normalized = output.normalizedScore.map { ", normalized \(format($0))" } ?? ""
                let detail = "[\(state.done)/\(total)] \(name(run)): score \(format(output.score))\(normalized); \(output.steps) steps at \(rate.groupedDigits) steps/s"
                return isTerminal ? "\r\u{1B}[K" + detail + "\n" + bar(state, elapsed: elapsed) : detail + "\n"
            case .failed(let run, let message):
                state.running.removeAll { $0 == run }
                state.done += 1
                state.stepsDone += plan.scenarios[run.scenario].steps
                return (isTerminal ? "\r\u{1B}[K" : "") + "FAILED \(message)\n" + (isTerminal ? bar(state, elapsed: elapsed) : "")
            }
        }
        if let line { writeToStandardOutput(line) }
    }

    func finish() {
        if isTerminal { writeToStandardOutput("\r\u{1B}[K") }
    }

    private func bar(_ state: State, elapsed: Double) -> String {
        let width = 24, filled = total > 0 ? min(width, state.done * width / total) : width
        let eta = state.stepsDone > 0 && elapsed > 0 ? format(Double(stepsTotal - state.stepsDone) / (Double(state.stepsDone) / elapsed)) + " s" : "n/a"
        let running = state.running.map(name).joined(separator: ", ")
        return "\r[" + String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled) + "] "
            + "\(state.done)/\(total) runs  ETA \(eta)  running: \(running)\u{1B}[K"
    }

    private func name(_ run: BenchPlan.Run) -> String {
        "\(plan.scenarios[run.scenario].id) \(plan.scenarios[run.scenario].agents[run.agent].label) seed \(run.seed)"
    }

    private func format(_ x: Double) -> String { ConfigValue.format((x * 1000).rounded() / 1000) }
}
