import CZeroMQ

#if canImport(Glibc)
import Glibc
#endif

/// A failed libzmq call: the operation, `zmq_errno()` and its `zmq_strerror` text.
public struct ZeroMQError: Error, Sendable, Equatable {
    /// What was being done, for example `bind tcp://127.0.0.1:5555`.
    public var operation: String
    /// The `errno` value libzmq reported (`EAGAIN`, `EINTR`, `EADDRINUSE`, …).
    public var code: Int32

    public init(operation: String, code: Int32) {
        self.operation = operation
        self.code = code
    }

    /// The error of the libzmq call that just failed on this thread.
    static func last(_ operation: @autoclosure () -> String) -> ZeroMQError {
        ZeroMQError(operation: operation(), code: zmq_errno())
    }

    /// libzmq's description of ``code``.
    public var reason: String { String(cString: zmq_strerror(code)) }

    /// The call was interrupted by a signal (`EINTR`).
    public var isInterrupted: Bool { code == EINTR }
    /// A non-blocking call found nothing to do, or a timeout expired (`EAGAIN`).
    public var isWouldBlock: Bool { code == EAGAIN }
}

extension ZeroMQError: CustomStringConvertible {
    public var description: String { "\(operation): \(reason) (errno \(code))" }
}
