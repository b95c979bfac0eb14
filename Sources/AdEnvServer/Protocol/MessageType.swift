/// The message types of protocol v1 (header byte 6).
public enum MessageType: UInt8, Sendable, CaseIterable {
    case hello = 1
    case open = 2
    case reset = 3
    case step = 4
    case close = 5
    case ping = 6
    case list = 7
    case spec = 8
    case oracle = 9

    /// The name used in documents and in HELLO's `message_types`.
    public var name: String {
        switch self {
        case .hello: "HELLO"
        case .open: "OPEN"
        case .reset: "RESET"
        case .step: "STEP"
        case .close: "CLOSE"
        case .ping: "PING"
        case .list: "LIST"
        case .spec: "SPEC"
        case .oracle: "ORACLE"
        }
    }

    /// Whether the request addresses a session (its header's session field must name one).
    public var needsSession: Bool {
        switch self {
        case .reset, .step, .close, .oracle: true
        case .hello, .open, .ping, .list, .spec: false
        }
    }

    /// How many body frames a request of this type may have.
    public var requestBodyFrames: ClosedRange<Int> {
        switch self {
        case .hello, .reset: 0...1
        case .open, .step, .spec: 1...1
        case .close, .ping, .list, .oracle: 0...1
        }
    }
}
