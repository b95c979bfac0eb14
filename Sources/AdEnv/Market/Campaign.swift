/// A direct campaign: a creative in the latent space, a pricing model with its bid, a daily budget,
/// and the intercepts of its click and conversion models.
public struct Campaign: Sendable, Equatable {
    /// A label for docs and logs.
    public var name: String
    /// A free-form category label (for example `travel`); reported, not used by any mechanic.
    public var category: String
    public var pricing: PricingModel
    /// Money per mille (CPM), per click (CPC) or per conversion (CPA).
    public var bid: Double
    /// The daily budget in money. The campaign is ineligible (masked) once its remaining budget,
    /// less what its pending conversions may still charge, cannot cover its largest charge.
    public var budget: Double
    /// What one conversion is worth to the advertiser (money). No mechanic of v0 uses it; it is part
    /// of the world description for value-based analyses.
    public var value: Double
    /// `b_a`, the campaign's click-logit intercept (about −4 gives CTRs of 1–3%).
    public var ctrIntercept: Double
    /// The conversion-logit intercept: a click converts with probability
    /// `σ(cvr_intercept + cvr_affinity · u·a)`.
    public var cvrIntercept: Double
    /// The creative vector `a ∈ R^d`.
    public var creative: [Double]

    public init(
        name: String, category: String, pricing: PricingModel, bid: Double, budget: Double, value: Double,
        ctrIntercept: Double, cvrIntercept: Double, creative: [Double]
    ) {
        self.name = name
        self.category = category
        self.pricing = pricing
        self.bid = bid
        self.budget = budget
        self.value = value
        self.ctrIntercept = ctrIntercept
        self.cvrIntercept = cvrIntercept
        self.creative = creative
    }

    /// The most one impression can charge the campaign: `bid/1000` for CPM, `bid` for CPC and CPA
    /// (one click, or one conversion, per impression).
    public var maxCharge: Double { pricing == .cpm ? bid / 1000 : bid }
}
