import Synchronization
import Testing
@testable import AdEnv

#if canImport(Glibc)
import Glibc
#endif

@Suite struct WorkerTeamTests {
    @Test(arguments: [1, 2, 3, 5])
    func everyPartRunsExactlyOncePerRun(size: Int) {
        let team = WorkerTeam(size: size)
        var counts = [Int](repeating: 0, count: size)
        for _ in 0..<2_000 {
            counts.withUnsafeMutableBufferPointer { counts in
                nonisolated(unsafe) let counts = counts
                team.run { part in counts[part] += 1 }
            }
        }
        #expect(counts == [Int](repeating: 2_000, count: size))
    }

    @Test func workersWakeUpAfterSleeping() {
        let team = WorkerTeam(size: 2)
        let total = Atomic<Int>(0)
        for _ in 0..<3 {
            team.run { part in total.add(part + 1, ordering: .relaxed) }
            usleep(20_000)  // long enough for the worker to stop spinning and sleep
        }
        #expect(total.load(ordering: .relaxed) == 9)
    }

    @Test func runReturnsOnlyAfterEveryPartFinished() {
        let team = WorkerTeam(size: 2)
        var slots = [Int](repeating: 0, count: 2)
        for round in 1...100 {
            slots.withUnsafeMutableBufferPointer { slots in
                nonisolated(unsafe) let slots = slots
                team.run { part in
                    if part == 1 { for _ in 0..<(round % 7) * 100 { _ = slots[part] } }
                    slots[part] = round
                }
            }
            #expect(slots == [round, round])
        }
    }

    @Test func runsAroundTheSpinToSleepBoundaryAllComplete() {
        // Pauses from 0 to ~3 ms between batches land some runs on spinning workers, some on
        // yielding ones, some on workers just going to sleep, and some on sleeping ones.
        let team = WorkerTeam(size: 3)
        let total = Atomic<Int>(0)
        for round in 0..<150 {
            team.run { part in total.add(part + 1, ordering: .relaxed) }
            usleep(UInt32(round % 50) * 60)
        }
        #expect(total.load(ordering: .relaxed) == 150 * 6)
    }

    @Test(arguments: [false, true])
    func droppingATeamStopsAndJoinsItsWorkers(asleep: Bool) {
        let baseline = Self.workerThreadCount()
        var workers: [pid_t] = []
        do {
            let team = WorkerTeam(size: 4)
            workers = Self.workerThreadIDs(team)
            #expect(workers.count == 3 && workers.allSatisfy { $0 > 0 && Self.threadExists($0) })
            #expect(Self.workerThreadCount() >= baseline + 3)  // the team's workers carry the name
            if asleep { usleep(20_000) }  // long enough for the workers to sleep
        }
        // The team's deinit has joined its workers, so they are gone (allowing the kernel a moment
        // to remove an exited thread's /proc entry).
        for worker in workers { #expect(Self.eventually { !Self.threadExists(worker) }, "thread \(worker)") }
        #expect(Self.threadCountSettles(atMost: baseline))
    }

    @Test func creatingAndDroppingManyTeamsLeavesTheThreadCountAtItsBaseline() {
        let baseline = Self.workerThreadCount()
        var workers: [pid_t] = []
        for round in 0..<50 {
            let team = WorkerTeam(size: 3)
            workers += Self.workerThreadIDs(team)
            if round % 10 == 0 { usleep(20_000) }
        }
        #expect(workers.count == 100 && Set(workers).count == 100)
        #expect(Self.eventually { !workers.contains(where: Self.threadExists) })
        #expect(Self.threadCountSettles(atMost: baseline))
    }

    @Test func aNestedRunTraps() async {
        await #expect(processExitsWith: .failure) {
            let team = WorkerTeam(size: 2)
            team.run { part in
                if part == 0 { team.run { _ in } }
            }
        }
    }

    // MARK: - Threads of this process, from /proc

    /// The kernel thread ids of `team`'s workers (parts 1...), as reported by the workers.
    static func workerThreadIDs(_ team: WorkerTeam) -> [pid_t] {
        var ids = [pid_t](repeating: 0, count: team.size)
        ids.withUnsafeMutableBufferPointer { ids in
            nonisolated(unsafe) let ids = ids
            team.run { part in ids[part] = currentThreadID() }
        }
        return Array(ids.dropFirst())
    }

    /// The kernel thread id of the calling thread, from the /proc/thread-self link ("pid/task/tid").
    static func currentThreadID() -> pid_t {
        var link = [UInt8](repeating: 0, count: 64)
        let length = link.withUnsafeMutableBufferPointer { link in
            link.withMemoryRebound(to: CChar.self) { readlink("/proc/thread-self", $0.baseAddress!, $0.count) }
        }
        guard length > 0 else { return -1 }
        return pid_t(String(decoding: link[..<length], as: UTF8.self).split(separator: "/").last ?? "") ?? -1
    }

    static func threadExists(_ id: pid_t) -> Bool {
        access("/proc/self/task/\(id)", F_OK) == 0
    }

    /// Whether `condition` holds within about `seconds`, polling every 10 ms.
    static func eventually(seconds: Double = 5, _ condition: () -> Bool) -> Bool {
        for _ in 0..<Int(seconds * 100) {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }

    /// The number of live worker threads of every team in the process: the threads named
    /// ``WorkerTeam/threadName``. Other suites running in parallel start threads of their own
    /// (ZeroMQ's I/O threads, servers), which a process-wide count would mistake for leaks.
    static func workerThreadCount() -> Int {
        guard let dir = opendir("/proc/self/task") else { return -1 }
        defer { closedir(dir) }
        var count = 0
        while let entry = readdir(dir) {
            let id = withUnsafePointer(to: entry.pointee.d_name) {
                $0.withMemoryRebound(to: CChar.self, capacity: 256) { String(cString: $0) }
            }
            guard id.first?.isNumber == true, let file = fopen("/proc/self/task/\(id)/comm", "r") else { continue }
            var name = [CChar](repeating: 0, count: 64)
            if fgets(&name, Int32(name.count), file) != nil,
               String(decoding: name.prefix(while: { $0 != 0 && $0 != 10 }).map { UInt8(bitPattern: $0) }, as: UTF8.self) == WorkerTeam.threadName {
                count += 1
            }
            fclose(file)
        }
        return count
    }

    /// Whether the number of worker threads comes back to at most `baseline` (plus `tolerance`,
    /// for teams of vector tests running in parallel).
    static func threadCountSettles(atMost baseline: Int, tolerance: Int = 2) -> Bool {
        eventually { workerThreadCount() <= baseline } || workerThreadCount() <= baseline + tolerance
    }
}
