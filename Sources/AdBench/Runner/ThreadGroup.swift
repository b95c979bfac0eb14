#if canImport(Glibc)
import Glibc
#endif

/// Runs a body on several threads at once and waits for them: the bench's workers. Plain POSIX
/// threads, so that the width is exactly what was asked for (libdispatch's `concurrentPerform`
/// narrows itself on a loaded machine).
enum ThreadGroup {
    private final class Context: @unchecked Sendable {
        let body: @Sendable (Int) -> Void
        let index: Int
        init(body: @escaping @Sendable (Int) -> Void, index: Int) {
            self.body = body
            self.index = index
        }
    }

    /// Calls `body(i)` for i in `0..<count`, each on its own thread (`0` on the caller's), and
    /// returns when all have returned.
    static func run(_ count: Int, _ body: @escaping @Sendable (Int) -> Void) {
        precondition(count >= 1)
        var threads: [pthread_t] = []
        for index in 1..<count {
            let context = Unmanaged.passRetained(Context(body: body, index: index)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<Context>.fromOpaque(raw!).takeRetainedValue()
                context.body(context.index)
                return nil
            }, context)
            if status != 0 {
                // No thread: do its share on the caller's.
                Unmanaged<Context>.fromOpaque(context).release()
                body(index)
                continue
            }
            threads.append(thread)
        }
        body(0)
        for thread in threads { pthread_join(thread, nil) }
    }
}
