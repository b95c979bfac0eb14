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
/// workers, and returns when all have finished. It is not reentrant: one caller at a time (the
/// team is not `Sendable`, and a second concurrent or nested `run` traps).
///
/// Ownership: the workers hold only the shared ``TeamState``, never the team, so dropping the last
/// reference to the team runs its `deinit`, which stops the workers, wakes any sleeping one and
/// joins them all before returning. No thread outlives its team.
final class WorkerTeam {
    /// The number of parallel parts, the caller's thread included.
    let size: Int
    private let state: TeamState
    private var threads: [pthread_t] = []

    /// The name of every worker thread (as `top -H` and `/proc/self/task/*/comm` show it).
    static let threadName = "adenv-worker"

    init(size: Int) {
        precondition(size >= 1, "a team needs at least one part")
        self.size = size
        state = TeamState()
        threads.reserveCapacity(size - 1)
        for index in 1..<size {
            let context = Unmanaged.passRetained(WorkerContext(state: state, index: index)).toOpaque()
            var thread = pthread_t()
            let status = pthread_create(&thread, nil, { raw in
                let context = Unmanaged<WorkerContext>.fromOpaque(raw!).takeRetainedValue()
                #if os(Linux)
                // Glibc's pthread_setname_np is not visible to Swift; the thread renames itself.
                if let comm = fopen("/proc/thread-self/comm", "w") {
                    fputs(WorkerTeam.threadName, comm)
                    fclose(comm)
                }
                #endif
                context.state.work(index: context.index)
                return nil
            }, context)
            if status != 0 {
                Unmanaged<WorkerContext>.fromOpaque(context).release()
                preconditionFailure("pthread_create failed with \(status)")
            }
            threads.append(thread)
        }
    }

    deinit {
        state.stop()
        for thread in threads { pthread_join(thread, nil) }
    }

    /// Runs `body(part)` for every part in `0..<size`, in parallel, and waits for all of them.
    func run(_ body: (Int) -> Void) {
        if size == 1 {
            body(0)
            return
        }
        state.run(parts: size, body)
    }
}

/// The state a ``WorkerTeam`` shares with its workers. Workers keep it alive while they run; it
/// never refers back to the team.
private final class TeamState: @unchecked Sendable {
    /// Bumped once per batch and once to stop. Together with `sleepers` it forms a Dekker pair
    /// (the caller bumps `generation` then reads `sleepers`; a worker going to sleep bumps `sleepers`
    /// then reads `generation`), so both sides of the pair use sequentially consistent ordering:
    /// with acquire/release alone each side could miss the other's write, and a worker could sleep
    /// through a batch the caller then waits for forever.
    let generation = Atomic<UInt64>(0)
    let pending = Atomic<Int>(0)
    let stopping = Atomic<Bool>(false)
    let sleepers = Atomic<Int>(0)
    /// Set while a `run` is active, to trap on concurrent or nested use.
    let busy = Atomic<Bool>(false)
    /// Heap-allocated so that their addresses are stable (a stored `pthread_mutex_t` passed as
    /// `&property` has no address guarantee in Swift).
    let mutex: UnsafeMutablePointer<pthread_mutex_t>
    let condition: UnsafeMutablePointer<pthread_cond_t>
    /// The loop body of the current generation; set only while `run` is active. Published to the
    /// workers by the `generation` increment and withdrawn only after `pending` reaches 0.
    nonisolated(unsafe) var job: ((Int) -> Void)?

    /// Checks a waiting thread makes in a tight loop, then while yielding its CPU (so that a
    /// thread sharing the CPU can run), before a worker goes to sleep.
    static let spinChecks = 2_000
    static let yieldChecks = 2_000

    init() {
        mutex = .allocate(capacity: 1)
        mutex.initialize(to: pthread_mutex_t())
        condition = .allocate(capacity: 1)
        condition.initialize(to: pthread_cond_t())
        pthread_mutex_init(mutex, nil)
        pthread_cond_init(condition, nil)
    }

    deinit {
        pthread_cond_destroy(condition)
        pthread_mutex_destroy(mutex)
        condition.deinitialize(count: 1)
        mutex.deinitialize(count: 1)
        condition.deallocate()
        mutex.deallocate()
    }

    /// Wakes every sleeping worker. Taking the mutex orders the broadcast after a worker's
    /// re-check of `generation` (it holds the mutex from that check until it waits).
    private func wakeSleepers() {
        pthread_mutex_lock(mutex)
        pthread_cond_broadcast(condition)
        pthread_mutex_unlock(mutex)
    }

    /// Tells every worker to return; the team then joins them.
    func stop() {
        stopping.store(true, ordering: .sequentiallyConsistent)
        generation.add(1, ordering: .sequentiallyConsistent)
        wakeSleepers()
    }

    func run(parts: Int, _ body: (Int) -> Void) {
        let (exchanged, _) = busy.compareExchange(expected: false, desired: true, ordering: .acquiring)
        precondition(exchanged, "WorkerTeam.run (VectorEnv reset/step) called concurrently or reentrantly; a vector env is for one thread at a time")
        withoutActuallyEscaping(body) { body in
            job = body
            pending.store(parts - 1, ordering: .relaxed)
            generation.add(1, ordering: .sequentiallyConsistent)
            if sleepers.load(ordering: .sequentiallyConsistent) > 0 { wakeSleepers() }
            body(0)
            var spins = 0
            while pending.load(ordering: .acquiring) > 0 {
                spins += 1
                if spins > Self.spinChecks { sched_yield() }
            }
            job = nil
        }
        busy.store(false, ordering: .releasing)
    }

    func work(index: Int) {
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
                pthread_mutex_lock(mutex)
                sleepers.add(1, ordering: .sequentiallyConsistent)
                current = generation.load(ordering: .sequentiallyConsistent)
                while current == seen {
                    pthread_cond_wait(condition, mutex)
                    current = generation.load(ordering: .acquiring)
                }
                sleepers.subtract(1, ordering: .relaxed)
                pthread_mutex_unlock(mutex)
            }
            seen = current
            if stopping.load(ordering: .acquiring) { return }
            runJob(index)
            pending.subtract(1, ordering: .releasing)
        }
    }

    /// Calls the current job; the worker's reference to it ends before `pending` is decremented,
    /// so the caller's `withoutActuallyEscaping` never sees it escaped.
    @inline(never)
    private func runJob(_ index: Int) {
        job!(index)
    }
}

private final class WorkerContext {
    let state: TeamState
    let index: Int

    init(state: TeamState, index: Int) {
        self.state = state
        self.index = index
    }
}
