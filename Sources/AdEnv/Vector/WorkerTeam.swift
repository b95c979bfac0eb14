#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Synchronization

/// A fixed team of threads that runs one data-parallel loop at a time, for ``VectorEnv``.
///
/// Handing a batch to a sleeping thread through a general-purpose pool costs tens of microseconds,
/// as much as stepping hundreds of cheap envs. The team's workers instead watch an atomic
/// generation counter after each batch, first in a tight loop, then yielding the CPU between checks
/// (so a thread that shares their CPU still runs), so back-to-back batches start within about a
/// microsecond; after roughly a millisecond without work they sleep on a condition variable.
///
/// `run(_:)` calls `body(0)` on the calling thread and `body(1)`, ..., `body(size - 1)` on the
/// workers, and returns when all have finished. It is not reentrant: one caller at a time.
final class WorkerTeam: @unchecked Sendable {
    /// The number of parallel parts, the caller's thread included.
    let size: Int
    private let generation = Atomic<UInt64>(0)
    private let pending = Atomic<Int>(0)
    private let stopping = Atomic<Bool>(false)
    private let sleepers = Atomic<Int>(0)
    private var mutex = pthread_mutex_t()
    private var condition = pthread_cond_t()
    private var threads: [pthread_t] = []
    /// The loop body of the current generation; set only while `run` is active.
    private nonisolated(unsafe) var job: ((Int) -> Void)?

    /// Checks a waiting thread makes in a tight loop, then while yielding its CPU (so that a
    /// thread sharing the CPU can run), before a worker goes to sleep.
    private static let spinChecks = 2_000
    private static let yieldChecks = 2_000

    init(size: Int) {
        precondition(size >= 1, "a team needs at least one part")
        self.size = size
        pthread_mutex_init(&mutex, nil)
        pthread_cond_init(&condition, nil)
        for index in 1..<size {
            let context = Unmanaged.passRetained(WorkerContext(team: self, index: index)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                context.team.work(index: context.index)
                return nil
            }, context)
            precondition(status == 0, "pthread_create failed with \(status)")
            threads.append(thread)
        }
    }

    deinit {
        stopping.store(true, ordering: .releasing)
        generation.add(1, ordering: .releasing)
        pthread_mutex_lock(&mutex)
        pthread_cond_broadcast(&condition)
        pthread_mutex_unlock(&mutex)
        for thread in threads { pthread_join(thread, nil) }
        pthread_cond_destroy(&condition)
        pthread_mutex_destroy(&mutex)
    }

    /// Runs `body(part)` for every part in `0..<size`, in parallel, and waits for all of them.
    func run(_ body: (Int) -> Void) {
        if size == 1 {
            body(0)
            return
        }
        withoutActuallyEscaping(body) { body in
            job = body
            pending.store(size - 1, ordering: .relaxed)
            generation.add(1, ordering: .releasing)
            if sleepers.load(ordering: .acquiring) > 0 {
                pthread_mutex_lock(&mutex)
                pthread_cond_broadcast(&condition)
                pthread_mutex_unlock(&mutex)
            }
            body(0)
            var spins = 0
            while pending.load(ordering: .acquiring) > 0 {
                spins += 1
                if spins > Self.spinChecks { sched_yield() }
            }
            job = nil
        }
    }

    private func work(index: Int) {
        var seen: UInt64 = 0
        while true {
            var spins = 0
            var current = generation.load(ordering: .acquiring)
            while current == seen {
                spins += 1
                if spins < Self.spinChecks + Self.yieldChecks {
                    if spins > Self.spinChecks { sched_yield() }
                    current = generation.load(ordering: .acquiring)
                    continue
                }
                pthread_mutex_lock(&mutex)
                sleepers.add(1, ordering: .releasing)
                current = generation.load(ordering: .acquiring)
                while current == seen {
                    pthread_cond_wait(&condition, &mutex)
                    current = generation.load(ordering: .acquiring)
                }
                sleepers.subtract(1, ordering: .releasing)
                pthread_mutex_unlock(&mutex)
            }
            seen = current
            if stopping.load(ordering: .acquiring) { return }
            job!(index)
            pending.subtract(1, ordering: .releasing)
        }
    }
}

private final class WorkerContext {
    let team: WorkerTeam
    let index: Int

    init(team: WorkerTeam, index: Int) {
        self.team = team
        self.index = index
    }
}
