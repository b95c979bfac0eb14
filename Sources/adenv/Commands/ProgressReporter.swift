import AdAgents

#if canImport(Glibc)
import Glibc
#endif

/// Training progress on standard output: on a terminal, one bar redrawn in place with `\r`
/// (steps, steps/s, the mean return of the last 20 episodes, ETA), at most ten times a second;
/// otherwise a plain line at every 10% of the run, or every 10 seconds, whichever comes first.
struct ProgressReporter {
    let total: Int
    let start: Int
    let isTerminal = isatty(1) != 0
    private let clock = ContinuousClock()
    private let began: ContinuousClock.Instant
    private var lastDraw: ContinuousClock.Instant
    private var nextFraction = 0.1
    private var batches = 0

    init(start: Int, total: Int) {
        self.start = start
        self.total = total
        began = clock.now
        lastDraw = began
    }

    /// Called after every batch step; looks at the clock every 64 batches.
    mutating func update(steps: Int, episodes: [EpisodeRecord]) {
        batches += 1
        guard batches & 63 == 0 || steps >= total else { return }
        let now = clock.now
        let fraction = Double(steps) / Double(max(total, 1))
        if isTerminal {
            guard (now - lastDraw).inSeconds >= 0.1 || steps >= total else { return }
            lastDraw = now
            let width = 30, filled = min(width, Int(fraction * Double(width)))
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            writeToStandardOutput("\r[\(bar)] \(line(steps: steps, episodes: episodes, now: now))\u{1B}[K")
        } else if fraction >= nextFraction || (now - lastDraw).inSeconds >= 10 {
            while nextFraction <= fraction { nextFraction += 0.1 }
            lastDraw = now
            writeToStandardOutput(line(steps: steps, episodes: episodes, now: now) + "\n")
        }
    }

    /// Ends the bar's line on a terminal.
    func finish() {
        if isTerminal { writeToStandardOutput("\n") }
    }

    private func line(steps: Int, episodes: [EpisodeRecord], now: ContinuousClock.Instant) -> String {
        let elapsed = max((now - began).inSeconds, 1e-9)
        let rate = Double(steps - start) / elapsed
        let recent = episodes.suffix(20)
        let mean = recent.isEmpty ? "n/a" : format(recent.map(\.reward).reduce(0, +) / Double(recent.count))
        let eta = rate > 0 ? format(Double(total - steps) / rate) + " s" : "n/a"
        let percent = Int((Double(steps) / Double(max(total, 1)) * 100).rounded(.down))
        return "\(steps)/\(total) steps (\(percent)%)  \(Int(rate)) steps/s  recent mean return \(mean)  ETA \(eta)"
    }

    private func format(_ x: Double) -> String {
        String((x * 100).rounded() / 100)
    }
}
