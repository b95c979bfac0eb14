import CZeroMQ

#if canImport(Glibc)
import Glibc
#endif

/// A libzmq socket. It retains its ``ZeroMQContext``, is created with `LINGER 0` (closing never
/// waits for unsent messages) and is closed when released.
///
/// Like every libzmq socket it must be used by one thread at a time, so it is not `Sendable`.
/// Calls interrupted by a signal (`EINTR`) are retried, except ``poll(_:timeoutMilliseconds:)``,
/// which returns so that the caller can look at its signal flags.
public final class ZeroMQSocket {
    public let context: ZeroMQContext
    public let type: ZeroMQSocketType
    let handle: UnsafeMutableRawPointer

    public init(context: ZeroMQContext, type: ZeroMQSocketType) throws(ZeroMQError) {
        guard let handle = zmq_socket(context.handle, type.rawValue) else { throw .last("zmq_socket") }
        self.context = context
        self.type = type
        self.handle = handle
        try setOption(ZMQ_LINGER, Int32(0))
    }

    deinit {
        zmq_close(handle)
    }

    // MARK: Options

    /// Sets an integer option (`ZMQ_LINGER`, `ZMQ_SNDHWM`, …).
    public func setOption(_ option: Int32, _ value: Int32) throws(ZeroMQError) {
        var value = value
        guard zmq_setsockopt(handle, option, &value, MemoryLayout<Int32>.size) == 0 else { throw .last("zmq_setsockopt(\(option))") }
    }

    /// Sets a 64-bit integer option (`ZMQ_MAXMSGSIZE`).
    public func setOption(_ option: Int32, _ value: Int64) throws(ZeroMQError) {
        var value = value
        guard zmq_setsockopt(handle, option, &value, MemoryLayout<Int64>.size) == 0 else { throw .last("zmq_setsockopt(\(option))") }
    }

    /// Sets a binary option (`ZMQ_ROUTING_ID`, 32-byte CURVE keys).
    public func setOption(_ option: Int32, bytes: [UInt8]) throws(ZeroMQError) {
        let status = bytes.withUnsafeBytes { zmq_setsockopt(handle, option, $0.baseAddress, $0.count) }
        guard status == 0 else { throw .last("zmq_setsockopt(\(option))") }
    }

    /// Sets a string option (Z85 CURVE keys), passed without its terminating NUL.
    public func setOption(_ option: Int32, _ value: String) throws(ZeroMQError) {
        try setOption(option, bytes: Array(value.utf8))
    }

    /// Reads an integer option.
    public func intOption(_ option: Int32) throws(ZeroMQError) -> Int32 {
        var value: Int32 = 0
        var size = MemoryLayout<Int32>.size
        guard zmq_getsockopt(handle, option, &value, &size) == 0 else { throw .last("zmq_getsockopt(\(option))") }
        return value
    }

    /// Reads a NUL-terminated string option (`ZMQ_LAST_ENDPOINT`).
    public func stringOption(_ option: Int32) throws(ZeroMQError) -> String {
        var buffer = [CChar](repeating: 0, count: 1024)
        var size = buffer.count
        guard zmq_getsockopt(handle, option, &buffer, &size) == 0 else { throw .last("zmq_getsockopt(\(option))") }
        buffer[buffer.count - 1] = 0
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    /// The endpoint of the last bind, with a wildcard port resolved (`tcp://127.0.0.1:40123`).
    public var lastEndpoint: String {
        get throws(ZeroMQError) { try stringOption(ZMQ_LAST_ENDPOINT) }
    }

    /// The file descriptor libzmq signals when the socket may have events (`ZMQ_FD`).
    public var fileDescriptor: Int32 {
        get throws(ZeroMQError) { try intOption(ZMQ_FD) }
    }

    // MARK: Connections

    public func bind(_ endpoint: String) throws(ZeroMQError) {
        guard zmq_bind(handle, endpoint) == 0 else { throw .last("bind \(endpoint)") }
    }

    public func connect(_ endpoint: String) throws(ZeroMQError) {
        guard zmq_connect(handle, endpoint) == 0 else { throw .last("connect \(endpoint)") }
    }

    public func disconnect(_ endpoint: String) throws(ZeroMQError) {
        guard zmq_disconnect(handle, endpoint) == 0 else { throw .last("disconnect \(endpoint)") }
    }

    // MARK: Sending

    /// Sends one frame, moving `message`'s content out (it is empty afterwards). `more` marks all
    /// but the last frame of a multipart message.
    ///
    /// - Returns: false if `dontWait` was set and the frame could not be queued (`EAGAIN`), or a
    ///   ROUTER could not route it; the message then keeps its content.
    @discardableResult
    public func send(_ message: ZeroMQMessage, more: Bool = false, dontWait: Bool = false) throws(ZeroMQError) -> Bool {
        let flags = (more ? ZMQ_SNDMORE : 0) | (dontWait ? ZMQ_DONTWAIT : 0)
        while zmq_msg_send(message.pointer, handle, flags) < 0 {
            let error = ZeroMQError.last("send")
            if error.isInterrupted { continue }
            if error.isWouldBlock || error.code == EHOSTUNREACH { return false }
            throw error
        }
        return true
    }

    /// Sends a copy of `bytes` as one frame (`zmq_send`). See ``send(_:more:dontWait:)``.
    @discardableResult
    public func send(bytes: UnsafeRawBufferPointer, more: Bool = false, dontWait: Bool = false) throws(ZeroMQError) -> Bool {
        let flags = (more ? ZMQ_SNDMORE : 0) | (dontWait ? ZMQ_DONTWAIT : 0)
        while zmq_send(handle, bytes.baseAddress, bytes.count, flags) < 0 {
            let error = ZeroMQError.last("send")
            if error.isInterrupted { continue }
            if error.isWouldBlock || error.code == EHOSTUNREACH { return false }
            throw error
        }
        return true
    }

    /// Sends `frames` as one multipart message, copying each.
    @discardableResult
    public func send(frames: [[UInt8]], dontWait: Bool = false) throws(ZeroMQError) -> Bool {
        for (i, frame) in frames.enumerated() {
            let more = i < frames.count - 1
            let result = frame.withUnsafeBytes { bytes in
                Result { () throws(ZeroMQError) in try send(bytes: bytes, more: more, dontWait: dontWait) }
            }
            if try !result.get() { return false }
        }
        return true
    }

    // MARK: Receiving

    /// Receives one frame into `message`, replacing its content.
    ///
    /// - Returns: whether more frames of the same message follow; `nil` if `dontWait` was set (or
    ///   `ZMQ_RCVTIMEO` expired) and nothing was ready.
    public func receive(into message: ZeroMQMessage, dontWait: Bool = false) throws(ZeroMQError) -> Bool? {
        while zmq_msg_recv(message.pointer, handle, dontWait ? ZMQ_DONTWAIT : 0) < 0 {
            let error = ZeroMQError.last("receive")
            if error.isInterrupted { continue }
            if error.isWouldBlock { return nil }
            throw error
        }
        return zmq_msg_more(message.pointer) != 0
    }

    /// Receives a whole multipart message into `frames` (reusing its messages).
    ///
    /// Frames beyond `frames.capacity` are received and discarded, and counted in
    /// ``ZeroMQFrames/droppedCount``, so an enormous message can never grow memory without bound.
    ///
    /// - Returns: false if `dontWait` was set (or `ZMQ_RCVTIMEO` expired) and no message was ready.
    public func receive(into frames: ZeroMQFrames, dontWait: Bool = false) throws(ZeroMQError) -> Bool {
        frames.removeAll()
        guard var more = try receive(into: frames.next(), dontWait: dontWait) else { return false }
        frames.commit()
        while more {
            // Later frames of a message that has started arriving are always ready.
            guard let next = try receive(into: frames.next(), dontWait: false) else { break }
            frames.commit()
            more = next
        }
        return true
    }

    // MARK: Polling

    /// A poll entry for this socket.
    public func pollItem(events: Int16 = Int16(ZMQ_POLLIN)) -> zmq_pollitem_t {
        zmq_pollitem_t(socket: handle, fd: -1, events: events, revents: 0)
    }
}

/// Polls sockets and file descriptors (`zmq_poll`).
///
/// - Parameter timeoutMilliseconds: -1 waits forever, 0 returns at once.
/// - Returns: the number of items with events; 0 on timeout or when a signal interrupted the wait
///   (so that the caller can check its signal flags).
public func zeroMQPoll(_ items: inout [zmq_pollitem_t], timeoutMilliseconds: Int) throws(ZeroMQError) -> Int {
    let count = Int32(items.count)
    let result = items.withUnsafeMutableBufferPointer { zmq_poll($0.baseAddress, count, timeoutMilliseconds) }
    if result < 0 {
        let error = ZeroMQError.last("poll")
        if error.isInterrupted { return 0 }
        throw error
    }
    return Int(result)
}
