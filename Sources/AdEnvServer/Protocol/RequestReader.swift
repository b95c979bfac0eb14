import AdEnv

/// Reads the fields of a request's JSON object, rejecting unknown keys and wrong types with
/// `BAD_REQUEST` errors that name the field.
struct RequestReader {
    let object: ConfigObject
    let message: String
    private var used: Set<String> = []

    /// Parses a JSON body frame that must hold one object.
    init(frame: ZeroMQMessage, message: String) throws(WireError) {
        guard let text = String(validating: frame.bytes, as: UTF8.self) else {
            throw WireError(.badRequest, "the \(message) body is not valid UTF-8")
        }
        let value: ConfigValue
        do { value = try ConfigValue.parse(json: text, source: message) } catch {
            throw WireError(.badRequest, "the \(message) body is not valid JSON: \(error)")
        }
        guard case .object(let object) = value else {
            throw WireError(.badRequest, "the \(message) body must be a JSON object, found \(value.typeName)")
        }
        self.init(object: object, message: message)
    }

    init(object: ConfigObject, message: String) {
        self.object = object
        self.message = message
    }

    /// The raw value of `key`, `nil` when absent.
    mutating func value(_ key: String) -> ConfigValue? {
        used.insert(key)
        return object[key]
    }

    mutating func string(_ key: String) throws(WireError) -> String? {
        switch value(key) {
        case nil, .null?: return nil
        case .string(let s)?: return s
        case let other?: throw WireError(.badRequest, "\(message).\(key) must be a string, found \(other.typeName)")
        }
    }

    /// An integer in `range`, `nil` when absent or null.
    mutating func int(_ key: String, in range: ClosedRange<Int>) throws(WireError) -> Int? {
        switch value(key) {
        case nil, .null?: return nil
        case .number(let x)?:
            guard x == x.rounded(), let n = Int(exactly: x), range.contains(n) else {
                throw WireError(.badRequest, "\(message).\(key) must be an integer in \(range.lowerBound)...\(range.upperBound), got \(ConfigValue.format(x))")
            }
            return n
        case let other?: throw WireError(.badRequest, "\(message).\(key) must be an integer, found \(other.typeName)")
        }
    }

    mutating func object(_ key: String) throws(WireError) -> ConfigObject? {
        switch value(key) {
        case nil, .null?: return nil
        case .object(let o)?: return o
        case let other?: throw WireError(.badRequest, "\(message).\(key) must be an object, found \(other.typeName)")
        }
    }

    /// Throws for the first key that was never read.
    func finish() throws(WireError) {
        if let unknown = object.keys.first(where: { !used.contains($0) }) {
            throw WireError(.badRequest, "\(message) has an unknown key '\(unknown)'")
        }
    }
}
