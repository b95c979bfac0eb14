/// Conversions that have happened but not yet been reported: a fixed-capacity binary min-heap
/// ordered by arrival time, allocated once.
///
/// A ring buffer cannot hold them in order, since delays are random (a later click can convert
/// first); the heap keeps push and pop at O(log n) with no allocation. When it is full, a new
/// conversion is dropped and counted in ``overflowed`` (the default capacity is far above what a
/// day produces; the scenarios' tests check that nothing overflows).
public struct DelayedConversions: Sendable {
    /// The most conversions that can be pending at once.
    public let capacity: Int
    private var due: [Double]
    private var campaign: [Int]
    /// Pending conversions.
    public private(set) var count = 0
    /// Conversions dropped because the queue was full, since the last ``removeAll()``.
    public private(set) var overflowed = 0

    public init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
        due = [Double](repeating: 0, count: capacity)
        campaign = [Int](repeating: 0, count: capacity)
    }

    /// Empties the queue (censoring whatever was pending) and clears the overflow count.
    public mutating func removeAll() {
        count = 0
        overflowed = 0
    }

    /// Adds a conversion of `campaign` arriving at time `time`. Returns false if it was dropped.
    @discardableResult
    public mutating func push(time: Double, campaign c: Int) -> Bool {
        guard count < capacity else {
            overflowed += 1
            return false
        }
        var i = count
        count += 1
        while i > 0 {
            let parent = (i - 1) >> 1
            if due[parent] <= time { break }
            due[i] = due[parent]
            campaign[i] = campaign[parent]
            i = parent
        }
        due[i] = time
        campaign[i] = c
        return true
    }

    /// The earliest arrival time, or `+∞` when empty.
    @inline(__always)
    public var nextTime: Double { count > 0 ? due[0] : .infinity }

    /// Removes and returns the campaign of the earliest conversion if it arrives at or before `time`.
    public mutating func popDue(atOrBefore time: Double) -> Int? {
        guard count > 0, due[0] <= time else { return nil }
        let result = campaign[0]
        count -= 1
        if count > 0 {
            let lastTime = due[count], lastCampaign = campaign[count]
            var i = 0
            while true {
                let l = 2 * i + 1
                if l >= count { break }
                let r = l + 1
                let child = r < count && due[r] < due[l] ? r : l
                if due[child] >= lastTime { break }
                due[i] = due[child]
                campaign[i] = campaign[child]
                i = child
            }
            due[i] = lastTime
            campaign[i] = lastCampaign
        }
        return result
    }
}
