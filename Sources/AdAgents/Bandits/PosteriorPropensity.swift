/// The logged probability of a posterior-sampling bandit's choice (Thompson sampling, LinTS).
///
/// The chosen arm's marginal probability has no closed form, so with `draws = N > 0` it is
/// estimated as `(1 + hits) / (N + 1)` from `N` further posterior draws, of which `hits` pick the
/// same arm (the `+1`s count the draw that chose it, so the estimate is never 0). With `N = 0` it is
/// 1: the probability given this step's posterior draw. `sample` draws one more arm; it is called
/// exactly `N` times, so the extra draws consume the run's stream deterministically.
enum PosteriorPropensity {
    static func estimate(of arm: Int, draws: Int, sample: () -> Int) -> Double {
        guard draws > 0 else { return 1 }
        var hits = 0
        for _ in 0..<draws where sample() == arm { hits += 1 }
        return Double(1 + hits) / Double(draws + 1)
    }
}
