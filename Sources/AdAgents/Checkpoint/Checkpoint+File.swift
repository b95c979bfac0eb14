#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The binary file format, little-endian:
///
/// | bytes | content |
/// |---|---|
/// | 8 | magic `ADCKPT\0\0` |
/// | 4 | format version (u32) |
/// | 4 | entry count (u32) |
/// | 4 + n | agent name: length (u32) and UTF-8 bytes |
/// | per entry | name (u32 length + UTF-8), type tag (u8: 1 float32, 2 float64, 3 int64, 4 uint64, 5 text), element count (u64; bytes for text), the values |
/// | 8 | FNV-1a 64 of every byte before it |
extension Checkpoint {
    static let magic: [UInt8] = Array("ADCKPT".utf8) + [0, 0]

    /// The checkpoint in its file format.
    public func encoded() -> [UInt8] {
        var out = Checkpoint.magic
        out.reserveCapacity(1024)
        append(Checkpoint.formatVersion, to: &out)
        append(UInt32(entries.count), to: &out)
        append(agent, to: &out)
        for entry in entries {
            append(entry.name, to: &out)
            switch entry.value {
            case .floats(let x):
                out.append(1)
                append(UInt64(x.count), to: &out)
                for v in x { append(v.bitPattern, to: &out) }
            case .doubles(let x):
                out.append(2)
                append(UInt64(x.count), to: &out)
                for v in x { append(v.bitPattern, to: &out) }
            case .integers(let x):
                out.append(3)
                append(UInt64(x.count), to: &out)
                for v in x { append(UInt64(bitPattern: v), to: &out) }
            case .words(let x):
                out.append(4)
                append(UInt64(x.count), to: &out)
                for v in x { append(v, to: &out) }
            case .text(let s):
                out.append(5)
                let bytes = Array(s.utf8)
                append(UInt64(bytes.count), to: &out)
                out += bytes
            }
        }
        append(Checkpoint.checksum(out[...]), to: &out)
        return out
    }

    /// Decodes a checkpoint, checking the magic, the version, every length and the checksum.
    ///
    /// - Throws: ``CheckpointError/notACheckpoint(path:)``,
    ///   ``CheckpointError/unsupportedVersion(found:supported:)`` or
    ///   ``CheckpointError/corrupt(path:reason:)``; `path` only labels the errors.
    public init(decoding bytes: [UInt8], path: String = "checkpoint") throws(CheckpointError) {
        guard bytes.count >= 8, Array(bytes[0..<8]) == Checkpoint.magic else { throw .notACheckpoint(path: path) }
        guard bytes.count >= 8 + 4 + 4 + 4 + 8 else { throw .corrupt(path: path, reason: "the file ends early") }
        var reader = ByteReader(bytes: bytes[..<(bytes.count - 8)], path: path, offset: 8)
        let version = try reader.u32()
        guard version == Checkpoint.formatVersion else {
            throw .unsupportedVersion(found: version, supported: Checkpoint.formatVersion)
        }
        var trailer = ByteReader(bytes: bytes[...], path: path, offset: bytes.count - 8)
        guard try trailer.u64() == Checkpoint.checksum(bytes[..<(bytes.count - 8)]) else {
            throw .corrupt(path: path, reason: "checksum mismatch")
        }
        let count = try reader.u32()
        self.init(agent: try reader.string())
        for _ in 0..<count {
            let name = try reader.string()
            let tag = try reader.u8()
            let n = try reader.count(elementSize: tag == 1 ? 4 : tag == 5 ? 1 : 8)
            switch tag {
            case 1: set(name, .floats(try (0..<n).map { _ throws(CheckpointError) in Float(bitPattern: try reader.u32()) }))
            case 2: set(name, .doubles(try (0..<n).map { _ throws(CheckpointError) in Double(bitPattern: try reader.u64()) }))
            case 3: set(name, .integers(try (0..<n).map { _ throws(CheckpointError) in Int64(bitPattern: try reader.u64()) }))
            case 4: set(name, .words(try (0..<n).map { _ throws(CheckpointError) in try reader.u64() }))
            case 5: set(name, .text(try reader.utf8(count: n)))
            default: throw .corrupt(path: path, reason: "entry '\(name)' has unknown type tag \(tag)")
            }
        }
        guard reader.isAtEnd else { throw .corrupt(path: path, reason: "trailing bytes after the last entry") }
    }

    /// Writes the checkpoint atomically: to a temporary file in the same directory, flushed to
    /// disk, then renamed over `path`. A crash leaves either the old file or the new one.
    public func write(to path: String) throws(CheckpointError) {
        let temporary = path + ".tmp-\(getpid())"
        let bytes = encoded()
        guard let file = fopen(temporary, "wb") else { throw .io(path: temporary, reason: String(cString: strerror(errno))) }
        let written = bytes.withUnsafeBytes { fwrite($0.baseAddress, 1, $0.count, file) }
        let flushed = fflush(file) == 0 && fsync(fileno(file)) == 0
        fclose(file)
        guard written == bytes.count, flushed else {
            unlink(temporary)
            throw .io(path: temporary, reason: "short write")
        }
        guard rename(temporary, path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw .io(path: path, reason: reason)
        }
    }

    /// Reads a checkpoint file.
    public static func read(from path: String) throws(CheckpointError) -> Checkpoint {
        guard let file = fopen(path, "rb") else { throw .io(path: path, reason: String(cString: strerror(errno))) }
        defer { fclose(file) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let n = fread(&chunk, 1, chunk.count, file)
            bytes += chunk[0..<n]
            if n < chunk.count {
                if ferror(file) != 0 { throw .io(path: path, reason: "read error") }
                break
            }
        }
        return try Checkpoint(decoding: bytes, path: path)
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt64 {
        var h: UInt64 = 0xCBF2_9CE4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01B3
        }
        return h
    }

    private func append<T: FixedWidthInteger>(_ x: T, to out: inout [UInt8]) {
        withUnsafeBytes(of: x.littleEndian) { out += $0 }
    }

    private func append(_ s: String, to out: inout [UInt8]) {
        let bytes = Array(s.utf8)
        append(UInt32(bytes.count), to: &out)
        out += bytes
    }
}

/// A bounds-checked little-endian reader over a checkpoint's bytes.
private struct ByteReader {
    let bytes: ArraySlice<UInt8>
    let path: String
    var offset: Int

    var isAtEnd: Bool { offset == bytes.endIndex }

    mutating func take(_ n: Int) throws(CheckpointError) -> ArraySlice<UInt8> {
        guard n >= 0, bytes.endIndex - offset >= n else { throw .corrupt(path: path, reason: "the file ends early") }
        defer { offset += n }
        return bytes[offset..<(offset + n)]
    }

    mutating func u8() throws(CheckpointError) -> UInt8 { try take(1).first! }

    mutating func u32() throws(CheckpointError) -> UInt32 {
        try take(4).reversed().reduce(0) { $0 << 8 | UInt32($1) }
    }

    mutating func u64() throws(CheckpointError) -> UInt64 {
        try take(8).reversed().reduce(0) { $0 << 8 | UInt64($1) }
    }

    /// An element count, refused when the remaining bytes cannot hold it (so a corrupt count never
    /// allocates a huge array).
    mutating func count(elementSize: Int) throws(CheckpointError) -> Int {
        let n = try u64()
        guard n <= UInt64(bytes.endIndex - offset) / UInt64(elementSize) else {
            throw .corrupt(path: path, reason: "an entry claims more values than the file holds")
        }
        return Int(n)
    }

    mutating func utf8(count: Int) throws(CheckpointError) -> String {
        let raw = try take(count)
        guard let s = String(validating: raw, as: UTF8.self) else { throw .corrupt(path: path, reason: "text is not UTF-8") }
        return s
    }

    /// A name: a u32 byte count and UTF-8 bytes.
    mutating func string() throws(CheckpointError) -> String {
        let n = Int(try u32())
        guard n <= bytes.endIndex - offset else { throw .corrupt(path: path, reason: "a name claims more bytes than the file holds") }
        return try utf8(count: n)
    }
}
