import AdEnv

/// Writes one compact JSON object, field by field.
///
/// Unlike ``ConfigValue``, whose numbers are `Double`, it writes integers exactly (session ids and
/// seeds are 64-bit).
public struct JSONWriter {
    private var text = "{"
    private var first = true

    public init() {}

    private mutating func key(_ key: String) {
        if !first { text += "," }
        first = false
        text += ConfigValue.string(key).jsonString()
        text += ":"
    }

    public mutating func field(_ name: String, _ value: String) {
        key(name)
        text += ConfigValue.string(value).jsonString()
    }

    public mutating func field(_ name: String, _ value: Bool) {
        key(name)
        text += value ? "true" : "false"
    }

    public mutating func field(_ name: String, _ value: Int) {
        key(name)
        text += String(value)
    }

    public mutating func field(_ name: String, _ value: UInt64) {
        key(name)
        text += String(value)
    }

    /// A field whose value is already JSON text.
    public mutating func field(_ name: String, json: String) {
        key(name)
        text += json
    }

    public mutating func field(_ name: String, _ value: ConfigValue) {
        field(name, json: value.jsonString())
    }

    /// The object's text.
    public mutating func finish() -> String {
        text + "}"
    }
}
