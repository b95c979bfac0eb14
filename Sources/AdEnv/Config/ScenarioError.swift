/// Why a scenario file, an override or an env ID was rejected.
///
/// Every case names the offending field by its path in the scenario file (for example
/// `parameters.campaigns[2].bid`) and says what was wrong, so a user can fix the file without reading
/// the source.
public enum ScenarioError: Error, Sendable, Equatable {
    /// The text is not valid JSON.
    case malformedJSON(source: String, line: Int, column: Int, reason: String)
    /// A key the scenario kind does not define (usually a typo).
    case unknownKey(path: String, known: [String])
    /// A required field is absent.
    case missingKey(path: String)
    /// A field has the wrong JSON type.
    case wrongType(path: String, expected: String, found: String)
    /// A number lies outside its allowed range.
    case outOfRange(path: String, value: String, allowed: String)
    /// A field is well-typed but inconsistent (for example two arrays of different lengths).
    case invalidValue(path: String, reason: String)
    /// No registered scenario has this ID.
    case unknownScenario(id: String, known: [String])
    /// The file's `kind` names no simulator.
    case unknownKind(kind: String, known: [String])
    /// The file could not be read.
    case unreadableFile(path: String, reason: String)
    /// An override could not be parsed or applied.
    case invalidOverride(text: String, reason: String)
}

extension ScenarioError: CustomStringConvertible {
    public var description: String {
        switch self {
        case let .malformedJSON(source, line, column, reason):
            "\(source):\(line):\(column): malformed JSON: \(reason)"
        case let .unknownKey(path, known):
            "\(path): unknown key" + (known.isEmpty ? "" : " (known keys: \(known.joined(separator: ", ")))")
        case let .missingKey(path):
            "\(path): required key is missing"
        case let .wrongType(path, expected, found):
            "\(path): expected \(expected), found \(found)"
        case let .outOfRange(path, value, allowed):
            "\(path): \(value) is out of range, must be \(allowed)"
        case let .invalidValue(path, reason):
            "\(path): \(reason)"
        case let .unknownScenario(id, known):
            "unknown scenario '\(id)' (registered: \(known.joined(separator: ", ")))"
        case let .unknownKind(kind, known):
            "unknown scenario kind '\(kind)' (known kinds: \(known.joined(separator: ", ")))"
        case let .unreadableFile(path, reason):
            "\(path): cannot read: \(reason)"
        case let .invalidOverride(text, reason):
            "invalid override '\(text)': \(reason)"
        }
    }
}

extension ScenarioError {
    /// The path of the offending field (for example `parameters.ctr[1]`), or `nil` for errors about a
    /// whole file, an ID or an override.
    public var path: String? {
        switch self {
        case let .unknownKey(path, _), let .missingKey(path), let .wrongType(path, _, _), let .outOfRange(path, _, _),
            let .invalidValue(path, _):
            path
        case .malformedJSON, .unknownScenario, .unknownKind, .unreadableFile, .invalidOverride:
            nil
        }
    }
}

extension ScenarioError {
    /// The same error with the field path prefixed by `source` (a file), so that an error in one of
    /// many files says which. Errors that already name their file are unchanged.
    public func located(in source: String) -> ScenarioError {
        let prefix = source + ": "
        switch self {
        case let .unknownKey(path, known): return .unknownKey(path: prefix + path, known: known)
        case let .missingKey(path): return .missingKey(path: prefix + path)
        case let .wrongType(path, expected, found): return .wrongType(path: prefix + path, expected: expected, found: found)
        case let .outOfRange(path, value, allowed): return .outOfRange(path: prefix + path, value: value, allowed: allowed)
        case let .invalidValue(path, reason): return .invalidValue(path: prefix + path, reason: reason)
        case .malformedJSON, .unknownScenario, .unknownKind, .unreadableFile, .invalidOverride: return self
        }
    }
}
