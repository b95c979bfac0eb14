/// The hindsight bound of a budget- and CPA-constrained bidder who knows every opportunity of the
/// day in advance: a fractional multiple-choice knapsack.
///
/// Each opportunity `i` offers options `k` (win ad slot k) with an expected cost `c_ik` and an
/// expected number of conversions `v_ik`, or nothing. The LP
///
///     max Σ x_ik v_ik   s.t.   Σ x_ik c_ik ≤ B,   Σ x_ik c_ik ≤ κ Σ x_ik v_ik,   Σ_k x_ik ≤ 1,   x ≥ 0
///
/// has the Lagrangian `Σ_i max(0, max_k [(1 + μκ) v_ik − (λ + μ) c_ik]) + λB`. For any duals
/// `(λ, μ) ≥ 0` the inner choice depends only on the ratio `r = (λ + μ)/(1 + μκ)`: take the option
/// maximising `v − r c` when positive. So the optimum lies on one path, the greedy over the
/// options' incremental efficiencies `Δv/Δc` (the upper concave hull of each opportunity's options,
/// increments sorted by decreasing efficiency), and the dual is solved exactly by walking that path
/// instead of a nested search: the LP optimum is where the path first hits the budget or the CPA cap
/// (`spend = κ · conversions`; the average CPA only grows along the path).
///
/// The AuctionNet score `conversions · min(1, (κ/CPA)²)` is not capped by the CPA constraint (a
/// little overshoot can pay), so ``Solution/scoreBound`` maximises the score along the same path,
/// which for every spend level has the most conversions any allocation can have.
public enum HindsightLP {
    public struct Solution: Sendable, Equatable {
        /// The largest fluid score `V · min(1, (κV/C)²)` with `C ≤ B` (expected conversions V and
        /// expected spend C of an allocation).
        public var scoreBound: Double
        /// The LP value: the most expected conversions with spend ≤ B and CPA ≤ κ.
        public var conversionsBound: Double
        /// Expected conversions and spend at the score-maximising point.
        public var conversions: Double
        public var spend: Double
        /// The marginal efficiency `Δv/Δc` (conversions per unit of money) of the last option taken
        /// at the score-maximising point: its dual price of money is `1/efficiency`. Zero if nothing
        /// is taken; `+∞` if no option exists.
        public var efficiency: Double
    }

    /// Solves the bound for `costs`/`values` given per opportunity, `options` consecutive entries
    /// each (an entry with non-finite or non-positive cost, or non-positive value, is unavailable).
    public static func solve(costs: [Double], values: [Double], options: Int, budget: Double, cpaTarget kappa: Double) -> Solution {
        precondition(costs.count == values.count && options > 0 && costs.count % options == 0)
        var increments: [(dc: Double, dv: Double)] = []
        increments.reserveCapacity(costs.count)
        var hull: [(c: Double, v: Double)] = []
        var opts: [(c: Double, v: Double)] = []
        for i in stride(from: 0, to: costs.count, by: options) {
            opts.removeAll(keepingCapacity: true)
            for k in 0..<options {
                let c = costs[i + k], v = values[i + k]
                if c.isFinite && c > 0 && v > 0 { opts.append((c, v)) }
            }
            if opts.isEmpty { continue }
            opts.sort { $0.c < $1.c || ($0.c == $1.c && $0.v > $1.v) }
            // Upper concave hull from the origin: values strictly increase, slopes strictly decrease.
            hull.removeAll(keepingCapacity: true)
            hull.append((0, 0))
            for o in opts {
                if o.v <= hull[hull.count - 1].v { continue }
                while hull.count >= 2 {
                    let a = hull[hull.count - 2], b = hull[hull.count - 1]
                    // Drop b if it lies on or below the segment a → o.
                    if (b.v - a.v) * (o.c - a.c) <= (o.v - a.v) * (b.c - a.c) { hull.removeLast() } else { break }
                }
                hull.append(o)
            }
            for j in 1..<hull.count {
                increments.append((hull[j].c - hull[j - 1].c, hull[j].v - hull[j - 1].v))
            }
        }
        if increments.isEmpty {
            return Solution(scoreBound: 0, conversionsBound: 0, conversions: 0, spend: 0, efficiency: .infinity)
        }
        increments.sort { $0.dv * $1.dc > $1.dv * $0.dc }

        func score(_ v: Double, _ c: Double) -> Double {
            guard v > 0 else { return 0 }
            if c <= kappa * v { return v }
            let ratio = kappa * v / c
            return v * ratio * ratio
        }
        var best = Solution(scoreBound: 0, conversionsBound: 0, conversions: 0, spend: 0, efficiency: 0)
        var lpDone = false
        var c0 = 0.0, v0 = 0.0
        for inc in increments {
            let e = inc.dv / inc.dc
            var dc = inc.dc
            let lastSegment = c0 + dc >= budget
            if lastSegment { dc = Swift.max(budget - c0, 0) }
            // Candidate points on this segment, as spend offsets t in [0, dc]: its end and where it
            // crosses the CPA cap. Past the cap the score is κ²v³/c², whose log-derivative
            // 3e/v − 2/c only grows along a segment, so its maximum is at an end point.
            var candidates: (Double, Double) = (dc, -1)
            if c0 <= kappa * v0 && e < 1 / kappa {
                // spend − κ·conv grows along the segment: it crosses zero at t = (κv0 − c0)/(1 − κe).
                let t = (kappa * v0 - c0) / (1 - kappa * e)
                if t >= 0 && t <= dc { candidates.1 = t }
            }
            for j in 0..<2 {  // the two candidates, without building an array per increment
                let t = j == 0 ? candidates.0 : candidates.1
                guard t >= 0 else { continue }
                let f = score(v0 + e * t, c0 + t)
                if f > best.scoreBound {
                    best.scoreBound = f
                    best.conversions = v0 + e * t
                    best.spend = c0 + t
                    best.efficiency = e
                }
            }
            if !lpDone {
                if candidates.1 >= 0 {
                    best.conversionsBound = v0 + e * candidates.1
                    lpDone = true
                } else if c0 + dc <= kappa * (v0 + e * dc) {
                    best.conversionsBound = v0 + e * dc
                } else {
                    lpDone = true
                }
            }
            c0 += dc
            v0 += e * dc
            if lastSegment { break }
        }
        return best
    }

    /// The AuctionNet score of an outcome: `conversions · min(1, (cpaTarget/CPA)²)` with
    /// `CPA = spend / conversions`; zero without conversions.
    public static func score(conversions: Double, spend: Double, cpaTarget: Double) -> Double {
        guard conversions > 0 else { return 0 }
        let cpa = spend / conversions
        if cpa <= cpaTarget { return conversions }
        let ratio = cpaTarget / cpa
        return conversions * ratio * ratio
    }
}
