#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Testing
@testable import AdEnv

@Suite struct MarketComponentTests {
    @Test func gspRanksByBidTimesCTRAndEachSlotPaysTheNextScoreOverItsOwnCTR() {
        // Scores: 2·0.05 = 0.10, 1·0.08 = 0.08, 3·0.02 = 0.06, 0.5·0.1 = 0.05.
        let bids = [2.0, 1.0, 3.0, 0.5], ctrs = [0.05, 0.08, 0.02, 0.1]
        let result = GSPAuction.allocate(bids: bids, ctrs: ctrs, slots: 3, reserve: 0.01)
        #expect(result.map(\.bidder) == [0, 1, 2])
        #expect(abs(result[0].pricePerClick - 0.08 / 0.05) < 1e-12)
        #expect(abs(result[1].pricePerClick - 0.06 / 0.08) < 1e-12)
        #expect(abs(result[2].pricePerClick - 0.05 / 0.02) < 1e-12)
        // Every winner pays at most its bid.
        for r in result { #expect(r.pricePerClick <= bids[r.bidder] + 1e-12) }
    }

    @Test func gspReserveExcludesLowScoresAndFloorsThePrice() {
        let bids = [2.0, 1.0, 3.0], ctrs = [0.05, 0.08, 0.02]
        // Reserve 0.07: only bidders 0 (0.10) and 1 (0.08) qualify; the last pays the reserve.
        let result = GSPAuction.allocate(bids: bids, ctrs: ctrs, slots: 3, reserve: 0.07)
        #expect(result.map(\.bidder) == [0, 1])
        #expect(abs(result[0].pricePerClick - 0.08 / 0.05) < 1e-12)
        #expect(abs(result[1].pricePerClick - 0.07 / 0.08) < 1e-12)
    }

    @Test func placeAgainstTopScoresAgreesWithTheTextbookAllocation() {
        var rng = Xoshiro256(seed: 5)
        for _ in 0..<500 {
            let n = 1 + rng.below(6), slots = 1 + rng.below(3)
            let bids = (0...n).map { _ in rng.uniform(0.1, 3) }, ctrs = (0...n).map { _ in rng.uniform(0.01, 0.1) }
            let reserve = rng.uniform(0, 0.1)
            var top = [Double](repeating: 0, count: slots)
            top.withUnsafeMutableBufferPointer { t in for i in 1...n { GSPAuction.insert(bids[i] * ctrs[i], into: t) } }
            let placed = top.withUnsafeBufferPointer { GSPAuction.place(score: bids[0] * ctrs[0], against: $0, reserve: reserve) }
            // Bidder 0 loses ties in `place`; give it the last index in the textbook version too.
            let order = Array(1...n) + [0]
            let full = GSPAuction.allocate(bids: order.map { bids[$0] }, ctrs: order.map { ctrs[$0] }, slots: slots, reserve: reserve)
            if let k = full.firstIndex(where: { $0.bidder == n }) {
                #expect(placed?.slot == k)
                #expect(abs(placed!.threshold / ctrs[0] - full[k].pricePerClick) < 1e-9)
            } else {
                #expect(placed == nil)
            }
            let least = top.withUnsafeBufferPointer { GSPAuction.leastWinningScore(against: $0, reserve: reserve) }
            #expect(least == max(top[slots - 1], reserve))
            // Bidding just above the least winning score wins the last slot, just below loses.
            let win = top.withUnsafeBufferPointer { GSPAuction.place(score: least * (1 + 1e-9) + 1e-15, against: $0, reserve: reserve) }
            #expect(win?.slot == slots - 1 || (top[slots - 1] < reserve && win != nil))
        }
    }

    @Test func theInverseTableIsAccurateAsDocumentedForModerateAmplitudes() {
        // Exact Λ⁻¹ by bisection on Λ, against the table's linear interpolation, at 3 points inside
        // each of 1,000 spread-out table intervals.
        for (amplitude, bound) in [(0.5, 5e-6), (0.75, 3e-5), (0.9, 3e-4)] {
            let diurnal = Diurnal(baseRate: 1, amplitude: amplitude, phaseHours: 7.3)
            let total = Diurnal.cumulative(24, amplitude: amplitude, phase: 7.3)
            var worst = 0.0
            for i in stride(from: 0, to: 4096, by: 4) {
                for j in [0.25, 0.5, 0.75] {
                    let f = (Double(i) + j) / 4096
                    var lo = 0.0, hi = 24.0
                    for _ in 0..<60 {
                        let mid = 0.5 * (lo + hi)
                        if Diurnal.cumulative(mid, amplitude: amplitude, phase: 7.3) < f * total { lo = mid } else { hi = mid }
                    }
                    worst = max(worst, abs(diurnal.hour(atFraction: f) - 0.5 * (lo + hi)))
                }
            }
            #expect(worst < bound, "A = \(amplitude): \(worst) h")
        }
    }

    @Test func secondPriceSaleChargesTheSecondBidAtLeastTheReserve() {
        #expect(GSPAuction.secondPrice(highest: 5, second: 3, reserve: 1) == 3)
        #expect(GSPAuction.secondPrice(highest: 5, second: 0.5, reserve: 1) == 1)
        #expect(GSPAuction.secondPrice(highest: 0.9, second: 0.5, reserve: 1) == nil)
    }

    @Test func examinationIsKToTheMinusEta() {
        let model = ClickModel(slots: 4, eta: 0.7, slotIntercepts: [0, 0, 0, 0], cvrAffinity: 0)
        for k in 1...4 { #expect(abs(model.examination[k - 1] - pow(Double(k), -0.7)) < 1e-15) }
        #expect(model.examination[0] == 1)
    }

    @Test func fatigueMultipliesByRhoPerExposureAndRecoversByHalfLife() {
        var f = FatigueState(campaigns: 2, rho: 0.8, halfLife: 2, wearTau: 100, wearAlpha: 0)
        f.expose(0); f.expose(0)
        #expect(abs(f.multiplier(0) - 0.64) < 1e-12)
        #expect(f.multiplier(1) == 1)
        f.pageViewPassed(); f.pageViewPassed()  // two page views = one half-life: 2 -> 1 recent exposure
        #expect(abs(f.recent[0] - 1) < 1e-12)
        #expect(abs(f.multiplier(0) - 0.8) < 1e-12)
        #expect(f.sessionExposures[0] == 2)
        for _ in 0..<40 { f.pageViewPassed() }
        #expect(f.multiplier(0) == 1)
        f.expose(1)
        f.startSession()
        #expect(f.multiplier(1) == 1 && f.sessionExposures[1] == 0)
    }

    @Test func wearOutFollowsOnePlusNOverTauToTheMinusAlpha() {
        var f = FatigueState(campaigns: 1, rho: 0.9, halfLife: 1, wearTau: 50, wearAlpha: 0.4)
        for _ in 0..<120 { f.recordImpression(0) }
        #expect(abs(f.wearMultiplier[0] - pow(1 + 120.0 / 50, -0.4)) < 1e-12)
        #expect(f.fatigueMultiplier[0] == 1)  // wear-out alone does not fatigue the user
        f.startSession()
        #expect(f.impressions[0] == 120)  // wear-out survives sessions
        f.startEpisode()
        #expect(f.impressions[0] == 0 && f.wearMultiplier[0] == 1)
    }

    @Test func delayedConversionsPopInArrivalOrderAndCountOverflow() {
        var q = DelayedConversions(capacity: 64)
        var rng = Xoshiro256(seed: 2)
        var times: [Double] = []
        for i in 0..<64 {
            let t = rng.uniform(0, 24)
            times.append(t)
            let pushed = q.push(time: t, campaign: i)
            #expect(pushed)
        }
        let overflowed = q.push(time: 1, campaign: 0)
        #expect(!overflowed)
        #expect(q.overflowed == 1)
        var popped: [Double] = []
        while let c = q.popDue(atOrBefore: 12) { popped.append(times[c]) }
        #expect(popped == times.filter { $0 <= 12 }.sorted())
        #expect(q.count == times.filter { $0 > 12 }.count)
        #expect(q.nextTime == times.filter { $0 > 12 }.min())
    }

    @Test func diurnalIntegralMatchesTheRateAndTheInverseTableInvertsIt() {
        let d = Diurnal(baseRate: 100, amplitude: 0.5, phaseHours: 3)
        #expect(abs(d.expectedArrivals(from: 0, to: 24) - 2400) < 1e-9)
        for h in 0..<24 {
            // Midpoint rule with 1,000 steps.
            var numeric = 0.0
            for i in 0..<1000 { numeric += d.rate(atHour: Double(h) + (Double(i) + 0.5) / 1000) / 1000 }
            #expect(abs(numeric - d.expectedArrivals(from: Double(h), to: Double(h + 1))) < 1e-3)
            let f = d.expectedArrivals(from: 0, to: Double(h) + 0.37) / 2400
            #expect(abs(d.hour(atFraction: f) - (Double(h) + 0.37)) < 1e-4)
        }
    }
}
