import AdAgents
import AdEnv

/// Why a bench could not be planned, run, resumed or reported.
public enum BenchError: Error, Sendable, CustomStringConvertible {
    /// The suite names a scenario, preset or override that is not valid.
    case invalidSuite(String)
    /// `--out` already holds a bench and `--resume` was not given, or holds a different one.
    case outputInUse(directory: String, reason: String)
    /// A file could not be written or read.
    case file(FileWriter.Failure)
    /// Runs that failed while the others completed; each entry names the run and the error.
    case runsFailed([String])

    public var description: String {
        switch self {
        case let .invalidSuite(reason): "invalid suite: \(reason)"
        case let .outputInUse(directory, reason): "\(directory): \(reason)"
        case let .file(failure): "\(failure)"
        case let .runsFailed(failures):
            "\(failures.count) run\(failures.count == 1 ? "" : "s") failed: " + failures.prefix(5).joined(separator: "; ")
                + (failures.count > 5 ? "; …" : "")
        }
    }
}
