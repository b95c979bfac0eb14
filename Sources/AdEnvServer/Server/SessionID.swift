#if canImport(Glibc)
import Glibc
#endif

/// Unguessable session ids from the OS entropy source (`/dev/urandom`), never from an env's
/// random stream.
enum SessionID {
    /// A random id in 1..<2^53, so that it is exact as a JSON number in any language.
    static func random() -> UInt64 {
        while true {
            let id = entropy() & ((1 << 53) - 1)
            if id != 0 { return id }
        }
    }

    private static func entropy() -> UInt64 {
        var value: UInt64 = 0
        let fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC)
        precondition(fd >= 0, "cannot open /dev/urandom for session ids")
        defer { close(fd) }
        var filled = 0
        withUnsafeMutableBytes(of: &value) { bytes in
            while filled < 8 {
                let n = read(fd, bytes.baseAddress! + filled, 8 - filled)
                if n > 0 { filled += n } else if n < 0 && errno == EINTR { continue } else { break }
            }
        }
        precondition(filled == 8, "cannot read /dev/urandom for session ids")
        return value
    }
}
