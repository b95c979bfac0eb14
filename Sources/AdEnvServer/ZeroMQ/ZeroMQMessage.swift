import CZeroMQ

/// One message frame: a `zmq_msg_t` that lives on the heap, initialised in place and never moved or
/// copied bitwise after initialisation (libzmq forbids copying a `zmq_msg_t` by value).
///
/// A message is reused: ``receive`` (through ``ZeroMQSocket``) and ``resize(to:)`` release the old
/// content first, so a receive loop over the same messages allocates nothing on the Swift side.
public final class ZeroMQMessage {
    let pointer: UnsafeMutablePointer<zmq_msg_t>

    /// An empty (zero-length) frame.
    public init() {
        pointer = .allocate(capacity: 1)
        zmq_msg_init(pointer)
    }

    /// A frame holding a copy of `bytes`.
    public convenience init(bytes: UnsafeRawBufferPointer) {
        self.init()
        resize(to: bytes.count)
        if let base = bytes.baseAddress, bytes.count > 0 { data.copyMemory(from: base, byteCount: bytes.count) }
    }

    /// A frame holding a copy of `bytes`.
    public convenience init(_ bytes: [UInt8]) {
        self.init()
        bytes.withUnsafeBytes { setBytes($0) }
    }

    deinit {
        zmq_msg_close(pointer)
        pointer.deallocate()
    }

    /// The frame's length in bytes.
    public var count: Int { zmq_msg_size(pointer) }

    /// The frame's bytes. Valid until the message is resized, received into or sent; writable only
    /// for a message built with ``resize(to:)`` and not yet shared by ``copy(from:)``.
    public var data: UnsafeMutableRawPointer {
        // zmq_msg_data is never null for an initialised message, even an empty one.
        zmq_msg_data(pointer)!
    }

    /// The frame's bytes as a buffer.
    public var bytes: UnsafeRawBufferPointer { UnsafeRawBufferPointer(start: data, count: count) }

    /// Replaces the content with `count` uninitialised bytes to be written through ``data``.
    public func resize(to count: Int) {
        zmq_msg_close(pointer)
        if zmq_msg_init_size(pointer, count) != 0 {
            // Only ENOMEM; libzmq itself aborts on allocation failure elsewhere.
            fatalError("zmq_msg_init_size(\(count)): \(ZeroMQError.last("zmq_msg_init_size"))")
        }
    }

    /// Replaces the content with a copy of `bytes`.
    public func setBytes(_ bytes: UnsafeRawBufferPointer) {
        resize(to: bytes.count)
        if let base = bytes.baseAddress, bytes.count > 0 { data.copyMemory(from: base, byteCount: bytes.count) }
    }

    /// Makes this message share `other`'s content (`zmq_msg_copy`: large frames are reference
    /// counted, not copied). Neither may be written afterwards.
    public func copy(from other: ZeroMQMessage) {
        zmq_msg_copy(pointer, other.pointer)
    }

    /// Whether the frame's bytes equal `bytes`.
    public func hasBytes(_ bytes: [UInt8]) -> Bool {
        bytes.count == count && bytes.withUnsafeBytes { $0.elementsEqual(self.bytes) }
    }

    /// A copy of the frame's bytes.
    public var byteArray: [UInt8] { Array(bytes) }
}
