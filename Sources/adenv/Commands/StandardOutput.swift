#if canImport(Glibc)
import Glibc
#endif

/// Writes `text` to standard output at once, unbuffered, as progress displays need (a line redrawn
/// with `\r` must appear now, not when `print`'s buffer fills).
func writeToStandardOutput(_ text: String) {
    _ = text.withCString { write(1, $0, strlen($0)) }
}
