/// The publisher's ad server's own estimates for the current user: the click and conversion models
/// of the world evaluated at the user's *observed* features `û = u + noise` instead of the true
/// interests `u` (the observation noise is the pCTR model's error). A real ad server ranks its line
/// items by such estimates (eCPM = bid × pCTR × pCVR); the scenario's oracle uses the true rates.
///
/// The tables are computed once per user (and again when the CTR switch changes the intercepts), so
/// a step reads them without dot products or `exp`. Allocation happens in `init` only.
public struct AdServerEstimates: Sendable {
    /// `θ_k · σ(û·a_c + b_c + b_slot,k)` at index `k * C + c`: the estimated click probability
    /// before fatigue and wear-out.
    public private(set) var clickBase: [Double]
    /// `σ(cvr_c + cvr_affinity · û·a_c)` per campaign.
    public private(set) var conversion: [Double]
    private var features: [Double]

    public init(model: MarketModel) {
        clickBase = [Double](repeating: 0, count: model.campaignCount * model.slots)
        conversion = [Double](repeating: 0, count: model.campaignCount)
        features = [Double](repeating: 0, count: model.latentDim)
    }

    /// Recomputes the tables from the features `observed` (d) and the model's current intercepts.
    public mutating func update(observed: [Float], model: MarketModel) {
        for j in 0..<model.latentDim { features[j] = Double(observed[j]) }
        let cCount = model.campaignCount
        let examination = model.clickModel.examination, slotB = model.clickModel.slotIntercepts
        let gamma = model.clickModel.cvrAffinity
        for c in 0..<cCount {
            let dot = features.withUnsafeBufferPointer { model.affinity($0, campaign: c) }
            conversion[c] = ClickModel.sigmoid(model.cvrIntercepts[c] + gamma * dot)
            let z = dot + model.ctrIntercepts[c]
            for k in 0..<model.slots {
                clickBase[k * cCount + c] = examination[k] * ClickModel.sigmoid(z + slotB[k])
            }
        }
    }
}
