/// A reply being built or kept for replay: a header and up to six body frames, as libzmq messages
/// that are reused from reply to reply.
///
/// Sending shares the frames (`zmq_msg_copy`) instead of moving them, so a session's last reply
/// stays intact for replay while libzmq sends it, and large frames are never copied.
final class Reply {
    private(set) var header = MessageHeader(type: 0)
    let headerMessage = ZeroMQMessage()
    private var frames: [ZeroMQMessage] = []
    /// The number of body frames.
    private(set) var count = 0

    /// Starts a reply with `header`, dropping any previous body.
    func start(_ header: MessageHeader) {
        self.header = header
        headerMessage.resize(to: MessageHeader.size)
        header.write(to: headerMessage.data)
        count = 0
    }

    /// The next body frame, to be filled by the caller.
    func appendFrame() -> ZeroMQMessage {
        if count == frames.count { frames.append(ZeroMQMessage()) }
        count += 1
        return frames[count - 1]
    }

    /// Appends a frame holding `text`'s UTF-8 bytes.
    func append(json text: String) {
        var text = text
        text.withUTF8 { appendFrame().setBytes(UnsafeRawBufferPointer($0)) }
    }

    /// Makes this reply an ERROR reply to the request with header `request`.
    func setError(_ error: WireError, for request: MessageHeader) {
        start(request.reply(status: MessageHeader.error))
        append(json: error.json)
    }

    /// Body frame `i`.
    subscript(i: Int) -> ZeroMQMessage { frames[i] }
}
