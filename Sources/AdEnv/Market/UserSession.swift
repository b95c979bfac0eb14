/// The user currently browsing: segment, true interests `u`, the noisy features agents see, and
/// the per-campaign tables computed once on arrival (dot products, click and conversion
/// probabilities, relevance), so that each page view costs no dot products and no `exp`.
public struct UserSession: Sendable {
    public private(set) var segment = 0
    /// The true interest vector `u` (d).
    public private(set) var interests: [Double]
    /// `u + N(0, observation_noise²)`, drawn once per user (d).
    public private(set) var observed: [Float]
    /// `u · a_c` per campaign.
    public private(set) var affinity: [Double]
    /// `θ_k · σ(u·a_c + b_c + b_slot,k)` at index `k * C + c`: the click probability before
    /// fatigue and wear-out.
    public private(set) var clickBase: [Double]
    /// `σ(cvr_c + cvr_affinity · u·a_c)` per campaign.
    public private(set) var conversion: [Double]
    /// `σ(u·a_c)` per campaign: how relevant the campaign's ad is to this user, in (0, 1).
    public private(set) var relevance: [Double]
    /// Page views so far in this session.
    public var depth = 0
    private var scratch: [Double]

    public init(model: MarketModel) {
        let d = model.latentDim, c = model.campaignCount
        interests = [Double](repeating: 0, count: d)
        observed = [Float](repeating: 0, count: d)
        scratch = [Double](repeating: 0, count: d)
        affinity = [Double](repeating: 0, count: c)
        clickBase = [Double](repeating: 0, count: c * model.slots)
        conversion = [Double](repeating: 0, count: c)
        relevance = [Double](repeating: 0, count: c)
    }

    /// A new user of `segment` arrives: draws `u` and the observation noise (`2·2⌈d/2⌉` draws from
    /// `rng`) and fills the tables.
    public mutating func arrive(segment s: Int, using rng: inout Xoshiro256, model: MarketModel) {
        segment = s
        depth = 0
        let d = model.latentDim
        let std = model.segmentStd[s], noise = model.config.observationNoise
        scratch.withUnsafeMutableBufferPointer { rng.fillNormals($0) }
        for j in 0..<d { interests[j] = model.segmentMeans[s * d + j] + std * scratch[j] }
        scratch.withUnsafeMutableBufferPointer { rng.fillNormals($0) }
        for j in 0..<d { observed[j] = Float(interests[j] + noise * scratch[j]) }
        computeTables(model: model)
    }

    /// Moves `u` by a N(0, std²) step per dimension (interest drift): `2⌈d/2⌉` draws.
    public mutating func drift(std: Double, using rng: inout Xoshiro256, model: MarketModel) {
        scratch.withUnsafeMutableBufferPointer { rng.fillNormals($0) }
        for j in interests.indices { interests[j] += std * scratch[j] }
        computeTables(model: model)
    }

    /// Recomputes the per-campaign tables from `u` and the model's current intercepts.
    public mutating func computeTables(model: MarketModel) {
        let cCount = model.campaignCount
        let examination = model.clickModel.examination, slotB = model.clickModel.slotIntercepts
        let gamma = model.clickModel.cvrAffinity
        for c in 0..<cCount {
            let dot = interests.withUnsafeBufferPointer { model.affinity($0, campaign: c) }
            affinity[c] = dot
            relevance[c] = ClickModel.sigmoid(dot)
            conversion[c] = ClickModel.sigmoid(model.cvrIntercepts[c] + gamma * dot)
            let z = dot + model.ctrIntercepts[c]
            for k in 0..<model.slots {
                clickBase[k * cCount + c] = examination[k] * ClickModel.sigmoid(z + slotB[k])
            }
        }
    }
}
