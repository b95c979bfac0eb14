/// A reusable list of received frames: the frames of one multipart message, with a fixed capacity.
///
/// Its messages are allocated once and received into again and again, so a receive loop allocates
/// nothing on the Swift side.
public final class ZeroMQFrames {
    /// The most frames kept; later ones are received into a scratch message and dropped.
    public let capacity: Int
    private var messages: [ZeroMQMessage] = []
    private let scratch = ZeroMQMessage()
    /// The number of frames kept.
    public private(set) var count = 0
    /// The number of frames received beyond ``capacity`` and dropped.
    public private(set) var droppedCount = 0

    public init(capacity: Int) {
        precondition(capacity > 0, "capacity must be positive")
        self.capacity = capacity
    }

    /// Frame `i` of the last message, `0 <= i < count`.
    public subscript(i: Int) -> ZeroMQMessage {
        precondition(i >= 0 && i < count, "frame index out of range")
        return messages[i]
    }

    /// The total length of the kept frames from `start` on, in bytes.
    public func byteCount(from start: Int = 0) -> Int {
        var total = 0
        for i in start..<count { total += messages[i].count }
        return total
    }

    func removeAll() {
        count = 0
        droppedCount = 0
    }

    /// The message the next frame is received into.
    func next() -> ZeroMQMessage {
        guard count < capacity else { return scratch }
        if count == messages.count { messages.append(ZeroMQMessage()) }
        return messages[count]
    }

    /// Records that a frame was received into ``next()``.
    func commit() {
        if count < capacity { count += 1 } else { droppedCount += 1 }
    }
}
