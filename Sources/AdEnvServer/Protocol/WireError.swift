import AdEnv

/// A typed protocol error: what an ERROR reply carries (docs/PROTOCOL.md §5).
///
/// The server throws it while handling a request and sends it as the reply; the client decodes it
/// back from the reply's JSON body.
public struct WireError: Error, Sendable, Equatable {
    public var code: WireErrorCode
    /// One line for humans.
    public var message: String
    public var retryable: Bool
    /// For `INVALID_ACTION`: the first offending env copy (0-based).
    public var index: Int?
    /// For `INVALID_ACTION`: `out_of_space`, `masked`, `not_finite`, `wrong_count` or `wrong_dtype`.
    public var reason: String?
    /// For `BAD_SCENARIO`: the path of the offending scenario field, when known.
    public var field: String?

    public init(_ code: WireErrorCode, _ message: String, retryable: Bool? = nil, index: Int? = nil, reason: String? = nil, field: String? = nil) {
        self.code = code
        self.message = message
        self.retryable = retryable ?? code.isRetryableByDefault
        self.index = index
        self.reason = reason
        self.field = field
    }
}

extension WireError: CustomStringConvertible {
    public var description: String { "\(code.rawValue): \(message)" }
}

extension WireError {
    /// The JSON body of the ERROR reply.
    public var json: String {
        var writer = JSONWriter()
        writer.field("code", code.rawValue)
        writer.field("message", message)
        writer.field("retryable", retryable)
        if let index { writer.field("index", index) }
        if let reason { writer.field("reason", reason) }
        if let field { writer.field("field", field) }
        return writer.finish()
    }

    /// Decodes an ERROR reply's body. A body that is not a valid error object becomes an
    /// `INTERNAL` error quoting it, so a client always gets a typed error.
    public init(json text: String) {
        guard case .object(let object)? = try? ConfigValue.parse(json: text, source: "error reply"),
            case .string(let codeText)? = object["code"], let code = WireErrorCode(rawValue: codeText)
        else {
            self.init(.internal, "unreadable error reply: \(text.prefix(200))")
            return
        }
        var message = ""
        if case .string(let m)? = object["message"] { message = m }
        self.init(code, message)
        if case .bool(let r)? = object["retryable"] { retryable = r }
        if case .number(let i)? = object["index"], let i = Int(exactly: i) { index = i }
        if case .string(let r)? = object["reason"] { reason = r }
        if case .string(let f)? = object["field"] { field = f }
    }
}

extension WireError {
    /// The error for a scenario that could not be built: `UNKNOWN_ENV` for an unknown ID, else
    /// `BAD_SCENARIO` with the field path where the error names one.
    public init(_ error: ScenarioError) {
        switch error {
        case .unknownScenario:
            self.init(.unknownEnv, error.description)
        default:
            self.init(.badScenario, error.description, field: error.path)
        }
    }

    /// The error for a refused batch step or oracle call.
    public init(_ error: VectorStepError) {
        self.init(error.error, index: error.index)
    }

    /// The error for a refused action of copy `index` (-1: the whole batch).
    public init(_ error: ActionError, index: Int) {
        let prefix = index < 0 ? "" : "env \(index): "
        switch error {
        case .needsReset:
            self.init(.needsReset, "the session must be reset before it is stepped (send RESET)")
        case .outOfSpace:
            self.init(.invalidAction, prefix + error.description, index: max(index, 0), reason: "out_of_space")
        case .masked:
            self.init(.invalidAction, prefix + error.description, index: max(index, 0), reason: "masked")
        case .notFinite:
            self.init(.invalidAction, prefix + error.description, index: max(index, 0), reason: "not_finite")
        case .wrongCount:
            self.init(.invalidAction, prefix + error.description, index: max(index, 0), reason: "wrong_count")
        case .wrongDType:
            self.init(.invalidAction, prefix + error.description, index: max(index, 0), reason: "wrong_dtype")
        }
    }
}
