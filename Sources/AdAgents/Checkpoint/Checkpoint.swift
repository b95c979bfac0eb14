/// An agent's saved state: named arrays of numbers (weights, optimiser moments, RNG states,
/// counters, replay buffers) plus the run's bookkeeping, in a versioned binary file.
///
/// Entry names are the agent's own (`q.0.weight`, `adam.m.3`, `replay.observations`); the
/// training loop adds its own under `run.`. Values keep their exact bits, so a loaded agent
/// continues bit for bit. See ``Checkpoint/encoded()`` for the file layout.
public struct Checkpoint: Sendable, Equatable {
    /// The file format version written by this library; files of another version are refused.
    public static let formatVersion: UInt32 = 1

    /// The agent that wrote the checkpoint (``Agent/name``).
    public var agent: String
    public private(set) var entries: [Entry] = []

    public struct Entry: Sendable, Equatable {
        public var name: String
        public var value: Value
    }

    /// The value of an entry: an array of one scalar type, or text.
    public enum Value: Sendable, Equatable {
        case floats([Float])
        case doubles([Double])
        case integers([Int64])
        case words([UInt64])
        case text(String)

        var typeName: String {
            switch self {
            case .floats: "float32"
            case .doubles: "float64"
            case .integers: "int64"
            case .words: "uint64"
            case .text: "text"
            }
        }
    }

    public init(agent: String) {
        self.agent = agent
    }

    /// Sets entry `name`, replacing an entry of that name.
    public mutating func set(_ name: String, _ value: Value) {
        if let i = entries.firstIndex(where: { $0.name == name }) {
            entries[i].value = value
        } else {
            entries.append(Entry(name: name, value: value))
        }
    }

    /// The value of entry `name`.
    ///
    /// - Throws: ``CheckpointError/missingEntry(_:)``.
    public func value(_ name: String) throws(CheckpointError) -> Value {
        guard let entry = entries.first(where: { $0.name == name }) else { throw .missingEntry(name) }
        return entry.value
    }

    /// The float32 entry `name`, checked to have `count` values when `count` is given.
    public func floats(_ name: String, count: Int? = nil) throws(CheckpointError) -> [Float] {
        guard case .floats(let x) = try value(name) else { throw try wrongType(name, "float32") }
        try checkCount(name, x.count, count)
        return x
    }

    /// The float64 entry `name`, checked to have `count` values when `count` is given.
    public func doubles(_ name: String, count: Int? = nil) throws(CheckpointError) -> [Double] {
        guard case .doubles(let x) = try value(name) else { throw try wrongType(name, "float64") }
        try checkCount(name, x.count, count)
        return x
    }

    /// The int64 entry `name`, checked to have `count` values when `count` is given.
    public func integers(_ name: String, count: Int? = nil) throws(CheckpointError) -> [Int64] {
        guard case .integers(let x) = try value(name) else { throw try wrongType(name, "int64") }
        try checkCount(name, x.count, count)
        return x
    }

    /// The uint64 entry `name`, checked to have `count` values when `count` is given.
    public func words(_ name: String, count: Int? = nil) throws(CheckpointError) -> [UInt64] {
        guard case .words(let x) = try value(name) else { throw try wrongType(name, "uint64") }
        try checkCount(name, x.count, count)
        return x
    }

    /// The text entry `name`.
    public func text(_ name: String) throws(CheckpointError) -> String {
        guard case .text(let x) = try value(name) else { throw try wrongType(name, "text") }
        return x
    }

    /// A single int64 stored as a one-element entry.
    public func integer(_ name: String) throws(CheckpointError) -> Int64 {
        try integers(name, count: 1)[0]
    }

    private func wrongType(_ name: String, _ expected: String) throws(CheckpointError) -> CheckpointError {
        .wrongType(name, expected: expected, found: try value(name).typeName)
    }

    private func checkCount(_ name: String, _ found: Int, _ expected: Int?) throws(CheckpointError) {
        if let expected, expected != found { throw .wrongSize(name, expected: expected, found: found) }
    }
}
