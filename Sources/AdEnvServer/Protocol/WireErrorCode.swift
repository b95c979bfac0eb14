/// The error codes of protocol v1 (the `code` of an ERROR reply's JSON body).
public enum WireErrorCode: String, Sendable, CaseIterable {
    case badMessage = "BAD_MESSAGE"
    case badVersion = "BAD_VERSION"
    case unknownType = "UNKNOWN_TYPE"
    case badTensor = "BAD_TENSOR"
    case tooLarge = "TOO_LARGE"
    case badRequest = "BAD_REQUEST"
    case unknownEnv = "UNKNOWN_ENV"
    case badScenario = "BAD_SCENARIO"
    case invalidAction = "INVALID_ACTION"
    case needsReset = "NEEDS_RESET"
    case unknownSession = "UNKNOWN_SESSION"
    case badSequence = "BAD_SEQUENCE"
    case capacity = "CAPACITY"
    case shuttingDown = "SHUTTING_DOWN"
    case `internal` = "INTERNAL"

    /// Whether the same request may succeed later unchanged, unless a reply says otherwise.
    public var isRetryableByDefault: Bool {
        switch self {
        case .capacity, .shuttingDown: true
        default: false
        }
    }
}
