/// Generalized second-price auctions, ranked by score = bid × pCTR (expected money per impression).
///
/// The bidder ranked k-th takes slot k and pays per click the least bid that would still keep slot k:
/// the next score divided by its own pCTR, and at least the reserve (also divided by pCTR), which is
/// never more than its own bid. A score must reach the reserve to be ranked at all.
///
/// The hot-path helpers work on a small buffer of the competitors' top scores, kept sorted in
/// descending order; ``allocate(bids:ctrs:slots:reserve:)`` is the textbook version for any number of
/// bidders, used to document and test the pricing rule.
public enum GSPAuction {
    /// Inserts `score` into `top`, a buffer sorted in descending order, dropping its last element.
    @inline(__always)
    public static func insert(_ score: Double, into top: UnsafeMutableBufferPointer<Double>) {
        var i = top.count - 1
        if i < 0 || score <= top[i] { return }
        while i > 0 && top[i - 1] < score {
            top[i] = top[i - 1]
            i -= 1
        }
        top[i] = score
    }

    /// Where a bidder with `score` lands against competitors whose top scores are `top` (descending,
    /// one per slot, zero where there is no competitor), and what it pays per unit of score.
    ///
    /// Ties go to the competitor. Returns the 0-based slot and the least score that keeps it,
    /// `max(next competitor's score, reserve)`; the price per click is that divided by the bidder's
    /// pCTR. Returns `nil` when the bidder wins no slot (it ranks below K or below the reserve).
    @inline(__always)
    public static func place(score: Double, against top: UnsafeBufferPointer<Double>, reserve: Double) -> (slot: Int, threshold: Double)? {
        guard score >= reserve else { return nil }
        var slot = 0
        while slot < top.count && top[slot] >= score { slot += 1 }
        if slot == top.count { return nil }
        return (slot, Swift.max(top[slot], reserve))
    }

    /// The least score that wins any slot against `top`: `max(top[K−1], reserve)` (AuctionNet's
    /// `leastWinningCost`, per impression).
    @inline(__always)
    public static func leastWinningScore(against top: UnsafeBufferPointer<Double>, reserve: Double) -> Double {
        Swift.max(top[top.count - 1], reserve)
    }

    /// A single-slot second-price sale (an ad exchange): the highest bid wins and pays
    /// `max(second bid, reserve)`, provided it reaches the reserve. Returns the price or `nil`.
    @inline(__always)
    public static func secondPrice(highest: Double, second: Double, reserve: Double) -> Double? {
        highest >= reserve ? Swift.max(second, reserve) : nil
    }

    /// The textbook GSP: ranks bidders by `bids[i] * ctrs[i]` (ties to the lower index), gives slot k
    /// to the k-th, and charges each the least price per click that keeps its slot. Bidders below the
    /// reserve score are not ranked. Returns `(bidder, pricePerClick)` per filled slot, top first.
    public static func allocate(bids: [Double], ctrs: [Double], slots: Int, reserve: Double) -> [(bidder: Int, pricePerClick: Double)] {
        precondition(bids.count == ctrs.count)
        let ranked = bids.indices
            .filter { bids[$0] * ctrs[$0] >= reserve }
            .sorted { (bids[$0] * ctrs[$0], -$0) > (bids[$1] * ctrs[$1], -$1) }
        var result: [(Int, Double)] = []
        for k in 0..<Swift.min(slots, ranked.count) {
            let i = ranked[k]
            let next = k + 1 < ranked.count ? bids[ranked[k + 1]] * ctrs[ranked[k + 1]] : 0
            result.append((i, Swift.max(next, reserve) / ctrs[i]))
        }
        return result
    }
}
