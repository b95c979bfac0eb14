import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// SIGINT/SIGTERM as a flag: the handler only stores to a lock-free atomic (async-signal-safe), and
/// the server's poll loop, woken by the interrupted `zmq_poll` or its short timeout, looks at it.
public enum ShutdownSignal {
    private static let raised = Atomic<Bool>(false)

    /// Whether SIGINT or SIGTERM arrived since ``install()`` (or ``raise()`` was called).
    public static var isRaised: Bool { raised.load(ordering: .sequentiallyConsistent) }

    /// Sets the flag, as the signal handler does.
    public static func raise() {
        raised.store(true, ordering: .sequentiallyConsistent)
    }

    /// Installs the handler for SIGINT and SIGTERM, unblocks them on the calling thread (a parent
    /// may have spawned this process with them blocked, and threads created later inherit the
    /// mask), and ignores SIGPIPE. Call it before creating threads.
    public static func install() {
        var action = sigaction()
        action.__sigaction_handler.sa_handler = { _ in ShutdownSignal.raised.store(true, ordering: .sequentiallyConsistent) }
        sigemptyset(&action.sa_mask)
        action.sa_flags = 0
        sigaction(SIGINT, &action, nil)
        sigaction(SIGTERM, &action, nil)
        signal(SIGPIPE, SIG_IGN)
        var unblock = sigset_t()
        sigemptyset(&unblock)
        sigaddset(&unblock, SIGINT)
        sigaddset(&unblock, SIGTERM)
        pthread_sigmask(SIG_UNBLOCK, &unblock, nil)
    }
}
