import AdEnv

/// Why a bench directory could not be read or its report written. Every case names the file (and,
/// for a bad value, the field), so the user can find what to fix.
public enum BenchReportError: Error, Sendable, Equatable {
    /// The directory has no `suite.json`.
    case notABenchDirectory(path: String)
    /// A file could not be read.
    case unreadableFile(path: String, reason: String)
    /// A JSON file is not valid JSON.
    case malformedJSON(path: String, reason: String)
    /// A JSON field is missing, of the wrong type, or inconsistent with the rest of the bench.
    case invalidField(path: String, field: String, reason: String)
    /// A CSV file has a wrong header or a bad line (1-based, the header is line 1).
    case malformedCSV(path: String, line: Int, reason: String)
    /// The report or a figure could not be written.
    case cannotWrite(path: String, reason: String)
}

extension BenchReportError: CustomStringConvertible {
    public var description: String {
        switch self {
        case .notABenchDirectory(let path): "\(path): not a bench directory (no suite.json)"
        case .unreadableFile(let path, let reason): "\(path): cannot read: \(reason)"
        case .malformedJSON(let path, let reason): "\(path): malformed JSON: \(reason)"
        case .invalidField(let path, let field, let reason): "\(path): \(field): \(reason)"
        case .malformedCSV(let path, let line, let reason): "\(path):\(line): \(reason)"
        case .cannotWrite(let path, let reason): "\(path): cannot write: \(reason)"
        }
    }
}
