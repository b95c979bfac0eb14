import AdEnv

#if !_endian(little)
#error("The AdEnv wire codec copies tensors as they lie in memory and needs a little-endian host")
#endif

/// Encodes and decodes the raw tensor frames of STEP, RESET and ORACLE (docs/PROTOCOL.md §3):
/// little-endian, row-major, packed.
///
/// The host is little-endian (checked at compile time), so numeric tensors are single `memcpy`s.
/// Flags and masks travel as u8 and are decoded as `byte != 0`, so arbitrary bytes never become
/// invalid `Bool`s.
public enum TensorCodec {
    /// Writes `values` into `message` as one frame.
    @inlinable
    public static func encode<T: BitwiseCopyable>(_ values: UnsafeBufferPointer<T>, into message: ZeroMQMessage) {
        message.setBytes(UnsafeRawBufferPointer(values))
    }

    /// Writes `flags` as u8 0/1 (a Swift `Bool` is one byte, 0 or 1, so this is a copy).
    @inlinable
    public static func encode(_ flags: UnsafeBufferPointer<Bool>, into message: ZeroMQMessage) {
        message.setBytes(UnsafeRawBufferPointer(flags))
    }

    /// Writes the info columns `fields` of `infos` as an N × F f64 tensor.
    public static func encode(_ infos: UnsafeBufferPointer<StepInfo>, fields: [InfoField], into message: ZeroMQMessage) {
        let width = fields.count
        message.resize(to: infos.count * width * MemoryLayout<Double>.size)
        let out = message.data.bindMemory(to: Double.self, capacity: infos.count * width)
        fields.withUnsafeBufferPointer { fields in
            for i in 0..<infos.count {
                let row = out + i * width
                for j in 0..<width { row[j] = infos[i][fields[j]] }
            }
        }
    }

    /// Checks that a frame holds exactly `count` values of `T`.
    ///
    /// - Throws: `BAD_TENSOR` naming the tensor, the expected and the received byte counts.
    @inlinable
    public static func check<T>(_ message: ZeroMQMessage, count: Int, of type: T.Type, name: String) throws(WireError) {
        let expected = count * MemoryLayout<T>.size
        guard message.count == expected else {
            throw WireError(.badTensor, "the \(name) frame has \(message.count) bytes, expected \(expected) (\(count) × \(MemoryLayout<T>.size))")
        }
    }

    /// Copies a frame of exactly `out.count` values of `T` into `out`.
    ///
    /// - Throws: `BAD_TENSOR` if the frame's length is not `out.count × MemoryLayout<T>.size`;
    ///   `out` is then unchanged.
    @inlinable
    public static func decode<T: BitwiseCopyable>(_ message: ZeroMQMessage, into out: UnsafeMutableBufferPointer<T>, name: String) throws(WireError) {
        try check(message, count: out.count, of: T.self, name: name)
        if out.count > 0 { UnsafeMutableRawBufferPointer(out).copyMemory(from: message.bytes) }
    }

    /// Decodes a u8 tensor of exactly `out.count` bytes as flags (`byte != 0`).
    @inlinable
    public static func decode(_ message: ZeroMQMessage, into out: UnsafeMutableBufferPointer<Bool>, name: String) throws(WireError) {
        try check(message, count: out.count, of: UInt8.self, name: name)
        let bytes = message.bytes
        for i in 0..<out.count { out[i] = bytes[i] != 0 }
    }

    /// Decodes an N × F f64 info tensor into the fields `fields` of `out` (other fields are zeroed).
    public static func decode(_ message: ZeroMQMessage, fields: [InfoField], into out: UnsafeMutableBufferPointer<StepInfo>) throws(WireError) {
        let width = fields.count
        try check(message, count: out.count * width, of: Double.self, name: "infos")
        let bytes = message.bytes
        fields.withUnsafeBufferPointer { fields in
            for i in 0..<out.count {
                var info = StepInfo()
                for j in 0..<width {
                    info[fields[j]] = bytes.loadUnaligned(fromByteOffset: (i * width + j) * 8, as: Double.self)
                }
                out[i] = info
            }
        }
    }

    /// Decodes a frame of exactly `array.count` values into `array`. See ``decode(_:into:name:)``.
    @inlinable
    public static func decode<T: BitwiseCopyable>(_ message: ZeroMQMessage, into array: inout [T], name: String) throws(WireError) {
        try array.withUnsafeMutableBufferPointer { buffer in
            Result { () throws(WireError) in try decode(message, into: buffer, name: name) }
        }.get()
    }

    /// Decodes a u8 frame of exactly `array.count` flags into `array`.
    @inlinable
    public static func decode(_ message: ZeroMQMessage, into array: inout [Bool], name: String) throws(WireError) {
        try array.withUnsafeMutableBufferPointer { buffer in
            Result { () throws(WireError) in try decode(message, into: buffer, name: name) }
        }.get()
    }

    /// Decodes an N × F info frame into `array`.
    public static func decode(_ message: ZeroMQMessage, fields: [InfoField], into array: inout [StepInfo]) throws(WireError) {
        try array.withUnsafeMutableBufferPointer { buffer in
            Result { () throws(WireError) in try decode(message, fields: fields, into: buffer) }
        }.get()
    }
}
