import AdEnv
import Synchronization

/// Runs a plan's runs in parallel into a bench directory, each written atomically, and resumes an
/// interrupted bench by skipping the runs that are complete (see `docs/BENCH.md`).
public struct BenchRunner: Sendable {
    public let plan: BenchPlan
    public let directory: String
    /// Runs at a time (threads); results do not depend on it.
    public let jobs: Int

    /// Something that happened to a run, reported as it happens (from the worker threads, one at a
    /// time).
    public enum Event: Sendable {
        case started(BenchPlan.Run)
        case finished(BenchPlan.Run, RunOutput)
        case failed(BenchPlan.Run, String)
    }

    public init(plan: BenchPlan, directory: String, jobs: Int) {
        precondition(jobs >= 1)
        self.plan = plan
        self.directory = directory
        self.jobs = jobs
    }

    public var suiteFile: String { directory + "/suite.json" }

    /// The run's final directory.
    public func path(of run: BenchPlan.Run) -> String { directory + "/" + plan.directory(of: run) }

    /// Whether `run`'s directory is there (a run directory only exists complete).
    public func isComplete(_ run: BenchPlan.Run) -> Bool { FileSystem.exists(path(of: run) + "/result.json") }

    /// Prepares the directory and returns the runs still to do: all of them for a new bench; for
    /// `resume`, those without a complete directory, after deleting any partial one.
    ///
    /// - Throws: ``BenchError/outputInUse(directory:reason:)`` when the directory already holds a
    ///   bench and `resume` is false, or holds a different suite; ``BenchError/file(_:)``.
    public func prepare(resume: Bool) throws(BenchError) -> [BenchPlan.Run] {
        let suite = plan.suiteJSON
        if FileSystem.exists(suiteFile) {
            guard resume else {
                throw .outputInUse(directory: directory, reason: "already holds a bench (suite.json); pass --resume to continue it, or choose another --out")
            }
            let existing: String
            do { existing = try FileSystem.read(suiteFile) } catch { throw .file(FileWriter.Failure(path: suiteFile, reason: error.reason)) }
            guard existing == suite else {
                throw .outputInUse(directory: directory, reason: "holds a different suite than this command's (its suite.json differs); choose another --out")
            }
        }
        do {
            try FileWriter.createDirectory(directory)
            try FileWriter.writeAtomically(suite, to: suiteFile)
            let pending = plan.runs.filter { !isComplete($0) }
            for run in pending { try FileWriter.removeTree(path(of: run) + ".partial") }
            return pending
        } catch {
            throw .file(error)
        }
    }

    /// Runs `runs`, longest scenarios first, `jobs` at a time, reporting each start, finish and
    /// failure to `onEvent`.
    ///
    /// - Throws: ``BenchError/runsFailed(_:)`` naming every run that failed; the others are complete.
    public func run(_ runs: [BenchPlan.Run], onEvent: @escaping @Sendable (Event) -> Void) throws(BenchError) {
        let ordered = runs.enumerated().sorted { a, b in
            let sa = plan.scenarios[a.element.scenario].steps, sb = plan.scenarios[b.element.scenario].steps
            return sa != sb ? sa > sb : a.offset < b.offset
        }.map(\.element)
        let next = Atomic<Int>(0)
        let failures = Mutex<[String]>([])
        let events = Mutex<Void>(())
        let executor = RunExecutor(plan: plan)
        let runner = self
        ThreadGroup.run(min(jobs, max(ordered.count, 1))) { _ in
            while true {
                let index = next.add(1, ordering: .relaxed).oldValue
                guard index < ordered.count else { return }
                let run = ordered[index]
                events.withLock { _ in onEvent(.started(run)) }
                do {
                    let output = try executor.execute(run)
                    try runner.write(output, for: run)
                    events.withLock { _ in onEvent(.finished(run, output)) }
                } catch {
                    let message = "\(runner.plan.directory(of: run)): \(error)"
                    failures.withLock { $0.append(message) }
                    events.withLock { _ in onEvent(.failed(run, message)) }
                }
            }
        }
        let failed = failures.withLock { $0 }
        if !failed.isEmpty { throw .runsFailed(failed.sorted()) }
    }

    /// Writes the run's four files into `seed-<s>.partial/` and renames it to `seed-<s>/`.
    func write(_ output: RunOutput, for run: BenchPlan.Run) throws(FileWriter.Failure) {
        let final = path(of: run), partial = final + ".partial"
        try FileWriter.removeTree(partial)
        try FileWriter.createDirectory(partial)
        try FileWriter.writeAtomically(output.result, to: partial + "/result.json")
        try FileWriter.writeAtomically(output.curve, to: partial + "/curve.csv")
        try FileWriter.writeAtomically(output.episodes, to: partial + "/episodes.csv")
        try FileWriter.writeAtomically(output.provenance, to: partial + "/provenance.json")
        try FileWriter.rename(partial, to: final)
    }
}
