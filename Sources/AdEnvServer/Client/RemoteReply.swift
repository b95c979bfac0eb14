/// A reply received by a ``Connection``: its header and body frames. Valid until the connection's
/// next request.
public struct RemoteReply {
    public let header: MessageHeader
    let frames: ZeroMQFrames
    let start: Int

    /// The number of body frames.
    public var count: Int { frames.count - start }

    /// Body frame `i`.
    public subscript(i: Int) -> ZeroMQMessage { frames[start + i] }

    /// Checks the body has exactly `count` frames.
    func expectFrames(_ expected: Int, _ what: String) throws(RemoteError) {
        guard count == expected else { throw .protocolViolation("\(what) reply has \(count) body frames, expected \(expected)") }
    }

    /// Body frame 0 as text.
    func text(_ what: String) throws(RemoteError) -> String {
        try expectFrames(1, what)
        guard let text = String(validating: self[0].bytes, as: UTF8.self) else { throw .protocolViolation("\(what) reply is not UTF-8") }
        return text
    }
}
