import CZeroMQ

#if canImport(Glibc)
import Glibc
#endif

/// A libzmq context: the I/O threads every socket of a process shares.
///
/// A context is thread-safe (libzmq guarantees it), so this type is `Sendable`. Sockets retain their
/// context, so it is terminated (`zmq_ctx_term`) only after the last socket made from it is closed,
/// and termination never blocks on a forgotten socket.
public final class ZeroMQContext: Sendable {
    /// The `void *` context handle; libzmq makes it safe to use from any thread.
    nonisolated(unsafe) let handle: UnsafeMutableRawPointer

    /// Creates a context with libzmq's defaults (one I/O thread).
    public init() throws(ZeroMQError) {
        guard let handle = zmq_ctx_new() else { throw .last("zmq_ctx_new") }
        self.handle = handle
    }

    deinit {
        // Retried on EINTR; any other failure leaves nothing to clean up.
        while zmq_ctx_term(handle) != 0 && zmq_errno() == EINTR {}
    }

    /// The version of the libzmq library loaded at run time, as `major.minor.patch`.
    public static var libraryVersion: String {
        var major: Int32 = 0, minor: Int32 = 0, patch: Int32 = 0
        zmq_version(&major, &minor, &patch)
        return "\(major).\(minor).\(patch)"
    }
}
