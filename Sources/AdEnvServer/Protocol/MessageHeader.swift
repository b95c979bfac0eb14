/// The 24-byte header that starts every request and reply (see docs/PROTOCOL.md §2).
///
/// Layout, little-endian: magic `ADEV` (4 bytes), major (u8), minor (u8), type (u8), status (u8),
/// session (u64), seq (u64).
public struct MessageHeader: Sendable, Equatable {
    /// The header's length in bytes.
    public static let size = 24
    /// `ADEV` read as a little-endian u32.
    public static let magic: UInt32 = 0x5645_4441
    /// The protocol version this code speaks.
    public static let major: UInt8 = 1
    public static let minor: UInt8 = 0

    public var major: UInt8
    public var minor: UInt8
    /// The raw type byte: a ``MessageType`` in well-formed messages, 0 in a reply to an unparseable one.
    public var type: UInt8
    /// 0 in requests; 0 (OK) or 1 (ERROR) in replies.
    public var status: UInt8
    public var session: UInt64
    public var seq: UInt64

    public init(type: UInt8, status: UInt8 = 0, session: UInt64 = 0, seq: UInt64 = 0, major: UInt8 = MessageHeader.major, minor: UInt8 = MessageHeader.minor) {
        self.major = major
        self.minor = minor
        self.type = type
        self.status = status
        self.session = session
        self.seq = seq
    }

    public init(_ type: MessageType, status: UInt8 = 0, session: UInt64 = 0, seq: UInt64 = 0) {
        self.init(type: type.rawValue, status: status, session: session, seq: seq)
    }

    /// Parses a header frame. Checks only the length and the magic; versions and types are the
    /// caller's to judge, so that it can still echo them in an error reply.
    ///
    /// - Throws: ``WireError`` `BAD_MESSAGE` for a frame that is not 24 bytes or lacks the magic.
    public init(parsing bytes: UnsafeRawBufferPointer) throws(WireError) {
        guard bytes.count == Self.size else {
            throw WireError(.badMessage, "the header frame has \(bytes.count) bytes, expected \(Self.size)")
        }
        guard bytes.loadLittleEndian(UInt32.self, at: 0) == Self.magic else {
            throw WireError(.badMessage, "the header does not start with the magic 'ADEV'")
        }
        self.init(
            type: bytes[6], status: bytes[7], session: bytes.loadLittleEndian(UInt64.self, at: 8),
            seq: bytes.loadLittleEndian(UInt64.self, at: 16), major: bytes[4], minor: bytes[5])
    }

    /// The header's 24 bytes.
    public func write(to out: UnsafeMutableRawPointer) {
        out.storeBytes(of: Self.magic.littleEndian, toByteOffset: 0, as: UInt32.self)
        out.storeBytes(of: major, toByteOffset: 4, as: UInt8.self)
        out.storeBytes(of: minor, toByteOffset: 5, as: UInt8.self)
        out.storeBytes(of: type, toByteOffset: 6, as: UInt8.self)
        out.storeBytes(of: status, toByteOffset: 7, as: UInt8.self)
        out.storeBytes(of: session.littleEndian, toByteOffset: 8, as: UInt64.self)
        out.storeBytes(of: seq.littleEndian, toByteOffset: 16, as: UInt64.self)
    }

    /// The header as bytes.
    public var bytes: [UInt8] {
        [UInt8](unsafeUninitializedCapacity: Self.size) { buffer, count in
            write(to: UnsafeMutableRawPointer(buffer.baseAddress!))
            count = Self.size
        }
    }

    /// The reply header to this request: same type, session and seq, the given status.
    public func reply(status: UInt8, session: UInt64? = nil) -> MessageHeader {
        MessageHeader(type: type, status: status, session: session ?? self.session, seq: seq)
    }

    /// The status byte of an OK reply.
    public static let ok: UInt8 = 0
    /// The status byte of an ERROR reply.
    public static let error: UInt8 = 1
}

extension UnsafeRawBufferPointer {
    /// The little-endian integer at `offset` (no alignment needed).
    @inlinable
    func loadLittleEndian<T: FixedWidthInteger>(_ type: T.Type, at offset: Int) -> T {
        T(littleEndian: loadUnaligned(fromByteOffset: offset, as: T.self))
    }
}
