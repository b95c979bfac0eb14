/// Every parameter of the ad-marketplace world, with its default, and its parsing from a scenario
/// file's `parameters` (see `docs/scenarios/AdMarket-v0.md` for the meaning of each).
///
/// Keys, by group (defaults are those of ``standard``):
/// - `latent_dim` (8): the dimension `d` of user interests and creatives.
/// - `observation_noise` (0.3): the standard deviation of the noise on the user features agents see.
/// - `segments`: objects `{name, weight, mean[d], std, rival_mu}` (4 by default).
/// - `traffic`: `base_rate` λ0 (arrivals per hour), `amplitude` A (0.5), `phase_hours` (0).
/// - `sessions`: `leave_base` (0.03), `irrelevance_weight` (0.25), `repetition_weight` (0.1),
///   `churn_gap` (8 page views of lost inventory per departure).
/// - `campaigns`: objects `{name, category, pricing, bid, budget, value, ctr_intercept,
///   cvr_intercept, creative[d]}` (6 by default).
/// - `click_model`: `slots` K (3), `examination_eta` η (0.8), `slot_intercepts` (K zeros),
///   `cvr_affinity` (0.5).
/// - `auction`: `reserve` (1.0 per mille), `rivals` R (5), `rival_sigma` (0.9),
///   `rival_diurnal_shift` (0.3).
/// - `fatigue`: `rho` ρ (0.85), `half_life` (4 page views).
/// - `wear_out`: `tau` τ (3000 impressions), `alpha` α (0.3).
/// - `conversions`: `mean_delay_hours` (2), `queue_capacity` (4096).
/// - `drift`: `enabled` (false), `std` (0.02 per step and dimension). A step is the scenario's:
///   one ad opportunity in `AdMarket` (segment means and the current user's interests move), one
///   time slot (30 minutes by default) in `AutoBidding` (segment means move).
/// - `ctr_switch`: `enabled` (false), `step` (5000), `shifts` (one per campaign, ±0.7 alternating).
///   The shifted click intercepts apply from step index `step` on (0: from the start of the
///   episode); `step` counts the scenario's steps, as for drift.
public struct MarketConfig: Sendable {
    public var latentDim: Int
    public var observationNoise: Double
    public var segments: [Segment]
    public var trafficBaseRate: Double
    public var trafficAmplitude: Double
    public var trafficPhaseHours: Double
    public var leaveBase: Double
    public var irrelevanceWeight: Double
    public var repetitionWeight: Double
    public var churnGap: Double
    public var campaigns: [Campaign]
    public var slots: Int
    public var examinationEta: Double
    public var slotIntercepts: [Double]
    public var cvrAffinity: Double
    /// The reserve price, money per mille (a score must reach `reserve / 1000` per impression).
    public var reserve: Double
    public var rivals: Int
    public var rivalSigma: Double
    public var rivalDiurnalShift: Double
    public var fatigueRho: Double
    public var fatigueHalfLife: Double
    public var wearTau: Double
    public var wearAlpha: Double
    public var meanDelayHours: Double
    public var queueCapacity: Int
    public var driftEnabled: Bool
    public var driftStd: Double
    public var switchEnabled: Bool
    public var switchStep: Int
    public var switchShifts: [Double]

    /// The default world of `AdMarket-v0`.
    public static let standard = MarketConfig(
        latentDim: 8, observationNoise: 0.3,
        segments: [
            Segment(name: "18-34 mobile", weight: 0.35, mean: [0.2, 0.9, 0.8, -0.3, 1.0, -0.4, 0.1, 0.2], std: 0.5, rivalMu: 0.3),
            Segment(name: "18-34 desktop", weight: 0.2, mean: [0.4, 1.1, 0.2, 0.3, 0.8, -0.2, 0.3, 0.0], std: 0.5, rivalMu: 0.6),
            Segment(name: "35+ mobile", weight: 0.25, mean: [0.6, -0.2, 0.3, 0.6, -0.5, 0.8, 0.4, 0.7], std: 0.5, rivalMu: 0.5),
            Segment(name: "35+ desktop", weight: 0.2, mean: [0.9, 0.2, -0.3, 1.0, -0.6, 0.6, 0.8, 0.5], std: 0.5, rivalMu: 0.9),
        ],
        trafficBaseRate: 150, trafficAmplitude: 0.5, trafficPhaseHours: 0,
        leaveBase: 0.03, irrelevanceWeight: 0.25, repetitionWeight: 0.1, churnGap: 8,
        campaigns: [
            Campaign(name: "luxury-travel", category: "travel", pricing: .cpm, bid: 7, budget: 4, value: 60,
                     ctrIntercept: -4.5, cvrIntercept: -3, creative: [1.5, -0.8, 0, 0.6, -0.5, 0, 0, 0]),
            Campaign(name: "gadget-store", category: "tech", pricing: .cpc, bid: 0.12, budget: 3, value: 20,
                     ctrIntercept: -4.5, cvrIntercept: -3, creative: [0, 1.3, 0, 0, 0.3, 0, 0, 0]),
            Campaign(name: "fashion-brand", category: "fashion", pricing: .cpc, bid: 0.1, budget: 3, value: 15,
                     ctrIntercept: -4.3, cvrIntercept: -3, creative: [0, 0, 1.4, 0, 0, 0, 0, 0.2]),
            Campaign(name: "bank-card", category: "finance", pricing: .cpa, bid: 0.6, budget: 4, value: 80,
                     ctrIntercept: -4.5, cvrIntercept: -1.5, creative: [0, 0, 0, 1.3, 0, 0, 0.3, 0]),
            Campaign(name: "mobile-game", category: "gaming", pricing: .cpm, bid: 3, budget: 8, value: 5,
                     ctrIntercept: -4, cvrIntercept: -3, creative: [-0.5, 0.3, 0, -0.6, 1.5, 0, 0, -0.3]),
            Campaign(name: "home-insurance", category: "insurance", pricing: .cpa, bid: 0.5, budget: 2.5, value: 50,
                     ctrIntercept: -4.5, cvrIntercept: -1.5, creative: [0.2, 0, 0, 0.4, 0, 1.2, 0, 0.3]),
        ],
        slots: 3, examinationEta: 0.8, slotIntercepts: [0, 0, 0], cvrAffinity: 0.5,
        reserve: 1.0, rivals: 5, rivalSigma: 0.9, rivalDiurnalShift: 0.3,
        fatigueRho: 0.85, fatigueHalfLife: 4, wearTau: 3000, wearAlpha: 0.3,
        meanDelayHours: 2, queueCapacity: 4096,
        driftEnabled: false, driftStd: 0.02,
        switchEnabled: false, switchStep: 5000, switchShifts: MarketConfig.alternatingShifts(6))

    public init(
        latentDim: Int, observationNoise: Double, segments: [Segment], trafficBaseRate: Double, trafficAmplitude: Double,
        trafficPhaseHours: Double, leaveBase: Double, irrelevanceWeight: Double, repetitionWeight: Double, churnGap: Double,
        campaigns: [Campaign], slots: Int, examinationEta: Double, slotIntercepts: [Double], cvrAffinity: Double,
        reserve: Double, rivals: Int, rivalSigma: Double, rivalDiurnalShift: Double, fatigueRho: Double,
        fatigueHalfLife: Double, wearTau: Double, wearAlpha: Double, meanDelayHours: Double, queueCapacity: Int,
        driftEnabled: Bool, driftStd: Double, switchEnabled: Bool, switchStep: Int, switchShifts: [Double]
    ) {
        self.latentDim = latentDim
        self.observationNoise = observationNoise
        self.segments = segments
        self.trafficBaseRate = trafficBaseRate
        self.trafficAmplitude = trafficAmplitude
        self.trafficPhaseHours = trafficPhaseHours
        self.leaveBase = leaveBase
        self.irrelevanceWeight = irrelevanceWeight
        self.repetitionWeight = repetitionWeight
        self.churnGap = churnGap
        self.campaigns = campaigns
        self.slots = slots
        self.examinationEta = examinationEta
        self.slotIntercepts = slotIntercepts
        self.cvrAffinity = cvrAffinity
        self.reserve = reserve
        self.rivals = rivals
        self.rivalSigma = rivalSigma
        self.rivalDiurnalShift = rivalDiurnalShift
        self.fatigueRho = fatigueRho
        self.fatigueHalfLife = fatigueHalfLife
        self.wearTau = wearTau
        self.wearAlpha = wearAlpha
        self.meanDelayHours = meanDelayHours
        self.queueCapacity = queueCapacity
        self.driftEnabled = driftEnabled
        self.driftStd = driftStd
        self.switchEnabled = switchEnabled
        self.switchStep = switchStep
        self.switchShifts = switchShifts
    }

    /// The default CTR-switch shifts: +0.7, −0.7, +0.7, ... one per campaign.
    public static func alternatingShifts(_ count: Int) -> [Double] {
        (0..<count).map { $0 % 2 == 0 ? 0.7 : -0.7 }
    }

    /// Reads the world's keys from `reader` (the scenario's `parameters`), taking each absent key
    /// from `defaults`. Scenario-specific keys are read by the scenario itself.
    public init(reading reader: inout ConfigReader, defaults: MarketConfig) throws(ScenarioError) {
        var c = defaults
        c.latentDim = try reader.int("latent_dim", default: defaults.latentDim, in: .closed(1, 64))
        let d = c.latentDim
        c.observationNoise = try reader.double("observation_noise", default: defaults.observationNoise, in: .nonNegative)
        c.segments = try reader.objects("segments", default: defaults.segments.map(\.config), count: 1...64) { r, i throws(ScenarioError) in
            let name = try r.string("name", default: "segment \(i)")
            let weight = try r.double("weight", default: 1, in: .positive)
            let mean = try r.doubles("mean", default: [Double](repeating: 0, count: d), count: d...d, each: .closed(-100, 100))
            let std = try r.double("std", default: 0.5, in: .nonNegative)
            let mu = try r.double("rival_mu", default: 0.8, in: .closed(-20, 20))
            return Segment(name: name, weight: weight, mean: mean, std: std, rivalMu: mu)
        }
        try reader.object("traffic") { r throws(ScenarioError) in
            c.trafficBaseRate = try r.double("base_rate", default: defaults.trafficBaseRate, in: .closed(0.01, 1e7))
            c.trafficAmplitude = try r.double("amplitude", default: defaults.trafficAmplitude, in: .probability)
            c.trafficPhaseHours = try r.double("phase_hours", default: defaults.trafficPhaseHours, in: .closed(0, 24))
        }
        try reader.object("sessions") { r throws(ScenarioError) in
            c.leaveBase = try r.double("leave_base", default: defaults.leaveBase, in: .probability)
            c.irrelevanceWeight = try r.double("irrelevance_weight", default: defaults.irrelevanceWeight, in: .closed(0, 1))
            c.repetitionWeight = try r.double("repetition_weight", default: defaults.repetitionWeight, in: .closed(0, 1))
            c.churnGap = try r.double("churn_gap", default: defaults.churnGap, in: .closed(0, 1000))
        }
        c.campaigns = try reader.objects("campaigns", default: defaults.campaigns.map(\.config), count: 1...64) { r, i throws(ScenarioError) in
            let name = try r.string("name", default: "campaign \(i)")
            let category = try r.string("category", default: "")
            let pricing = try r.choice("pricing", default: PricingModel.cpm)
            let bid = try r.double("bid", default: 1, in: .positive)
            let budget = try r.double("budget", default: 1, in: .positive)
            let value = try r.double("value", default: 0, in: .nonNegative)
            let ctr = try r.double("ctr_intercept", default: -4, in: .closed(-20, 20))
            let cvr = try r.double("cvr_intercept", default: -3, in: .closed(-20, 20))
            let creative = try r.doubles("creative", default: [Double](repeating: 0, count: d), count: d...d, each: .closed(-100, 100))
            return Campaign(name: name, category: category, pricing: pricing, bid: bid, budget: budget, value: value,
                            ctrIntercept: ctr, cvrIntercept: cvr, creative: creative)
        }
        try reader.object("click_model") { r throws(ScenarioError) in
            c.slots = try r.int("slots", default: defaults.slots, in: .closed(1, 16))
            c.examinationEta = try r.double("examination_eta", default: defaults.examinationEta, in: .closed(0.5, 1))
            let k = c.slots
            let slotDefault = defaults.slotIntercepts.count == k ? defaults.slotIntercepts : [Double](repeating: 0, count: k)
            c.slotIntercepts = try r.doubles("slot_intercepts", default: slotDefault, count: k...k, each: .closed(-20, 20))
            c.cvrAffinity = try r.double("cvr_affinity", default: defaults.cvrAffinity, in: .closed(-10, 10))
        }
        try reader.object("auction") { r throws(ScenarioError) in
            c.reserve = try r.double("reserve", default: defaults.reserve, in: .nonNegative)
            c.rivals = try r.int("rivals", default: defaults.rivals, in: .closed(0, 64))
            c.rivalSigma = try r.double("rival_sigma", default: defaults.rivalSigma, in: .closed(0, 5))
            c.rivalDiurnalShift = try r.double("rival_diurnal_shift", default: defaults.rivalDiurnalShift, in: .closed(-5, 5))
        }
        try reader.object("fatigue") { r throws(ScenarioError) in
            c.fatigueRho = try r.double("rho", default: defaults.fatigueRho, in: Bounds(lower: 0, upper: 1, lowerInclusive: false))
            c.fatigueHalfLife = try r.double("half_life", default: defaults.fatigueHalfLife, in: .positive)
        }
        try reader.object("wear_out") { r throws(ScenarioError) in
            c.wearTau = try r.double("tau", default: defaults.wearTau, in: .positive)
            c.wearAlpha = try r.double("alpha", default: defaults.wearAlpha, in: .closed(0, 10))
        }
        try reader.object("conversions") { r throws(ScenarioError) in
            c.meanDelayHours = try r.double("mean_delay_hours", default: defaults.meanDelayHours, in: .closed(0, 240))
            c.queueCapacity = try r.int("queue_capacity", default: defaults.queueCapacity, in: .closed(1, 10_000_000))
        }
        try reader.object("drift") { r throws(ScenarioError) in
            c.driftEnabled = try r.bool("enabled", default: defaults.driftEnabled)
            c.driftStd = try r.double("std", default: defaults.driftStd, in: .closed(0, 10))
        }
        let campaignCount = c.campaigns.count
        try reader.object("ctr_switch") { r throws(ScenarioError) in
            c.switchEnabled = try r.bool("enabled", default: defaults.switchEnabled)
            c.switchStep = try r.int("step", default: defaults.switchStep, in: .closed(0, 100_000_000))
            let shiftDefault = defaults.switchShifts.count == campaignCount ? defaults.switchShifts : Self.alternatingShifts(campaignCount)
            c.switchShifts = try r.doubles("shifts", default: shiftDefault, count: campaignCount...campaignCount, each: .closed(-20, 20))
        }
        self = c
    }

    /// Segment weights normalised to sum to 1.
    public var segmentProbabilities: [Double] {
        let total = segments.reduce(0) { $0 + $1.weight }
        return segments.map { $0.weight / total }
    }
}

extension Segment {
    /// The segment as a scenario-file object.
    var config: ConfigObject {
        ConfigObject([
            ("name", .string(name)), ("weight", .number(weight)), ("mean", .array(mean.map { .number($0) })),
            ("std", .number(std)), ("rival_mu", .number(rivalMu)),
        ])
    }
}

extension Campaign {
    /// The campaign as a scenario-file object.
    var config: ConfigObject {
        ConfigObject([
            ("name", .string(name)), ("category", .string(category)), ("pricing", .string(pricing.rawValue)),
            ("bid", .number(bid)), ("budget", .number(budget)), ("value", .number(value)),
            ("ctr_intercept", .number(ctrIntercept)), ("cvr_intercept", .number(cvrIntercept)),
            ("creative", .array(creative.map { .number($0) })),
        ])
    }
}
