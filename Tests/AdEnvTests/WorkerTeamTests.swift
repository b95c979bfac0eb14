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
}
