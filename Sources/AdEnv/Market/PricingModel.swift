/// How a campaign pays: per thousand impressions, per click, or per conversion (action).
public enum PricingModel: String, Sendable, CaseIterable {
    /// Cost per mille: the campaign pays `bid / 1000` for every impression.
    case cpm
    /// Cost per click: the campaign pays `bid` when its ad is clicked.
    case cpc
    /// Cost per action: the campaign pays `bid` when a click converts (the payment arrives with the
    /// delayed conversion).
    case cpa

    /// The code used in observations: 0 for CPM, 0.5 for CPC, 1 for CPA.
    public var code: Float {
        switch self {
        case .cpm: 0
        case .cpc: 0.5
        case .cpa: 1
        }
    }
}
