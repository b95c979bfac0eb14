/// Why a checkpoint could not be written, read or loaded into an agent.
public enum CheckpointError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file could not be opened, read, written or renamed.
    case io(path: String, reason: String)
    /// The file does not start with the checkpoint magic: not a checkpoint.
    case notACheckpoint(path: String)
    /// The file was written by another format version.
    case unsupportedVersion(found: UInt32, supported: UInt32)
    /// The file ends early or its checksum does not match: it is corrupt.
    case corrupt(path: String, reason: String)
    /// The checkpoint belongs to another agent.
    case agentMismatch(expected: String, found: String)
    case missingEntry(String)
    case wrongType(String, expected: String, found: String)
    /// An entry's size does not match the agent it is loaded into (another network shape, env or
    /// number of copies).
    case wrongSize(String, expected: Int, found: Int)
    /// The saved run does not match what it is resumed with (another scenario, seed or agent).
    case mismatch(String)

    public var description: String {
        switch self {
        case let .io(path, reason): "\(path): \(reason)"
        case let .notACheckpoint(path): "\(path): not an AdEnv checkpoint"
        case let .unsupportedVersion(found, supported): "checkpoint format version \(found) is not supported (this build reads version \(supported))"
        case let .corrupt(path, reason): "\(path): corrupt checkpoint: \(reason)"
        case let .agentMismatch(expected, found): "the checkpoint is of agent '\(found)', not '\(expected)'"
        case let .missingEntry(name): "the checkpoint has no entry '\(name)'"
        case let .wrongType(name, expected, found): "checkpoint entry '\(name)' is \(found), expected \(expected)"
        case let .wrongSize(name, expected, found): "checkpoint entry '\(name)' has \(found) values, expected \(expected)"
        case let .mismatch(reason): "the checkpoint does not match this run: \(reason)"
        }
    }
}
