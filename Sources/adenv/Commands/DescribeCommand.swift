import AdEnv
import ArgumentParser

struct DescribeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "describe", abstract: "Show an env's spaces, parameters with their values, and its oracle value.")

    @OptionGroup var scenario: ScenarioOptions

    @Flag(help: "Print the spec as JSON (the same document a server sends as SPEC).")
    var json = false

    func run() throws {
        let spec = try scenario.makeEnv().spec
        if json {
            print(spec.jsonDescription.jsonString(pretty: true))
            return
        }
        print("\(spec.id)  (kind \(spec.kind), from \(spec.source))")
        if !spec.summary.isEmpty { print("  \(spec.summary)") }
        let rows: [(String, String)] = [
            ("observation", "\(Space.box(spec.observationSpace))"),
            ("  labels", spec.observationLabels.joined(separator: ", ")),
            ("action", "\(spec.actionSpace)"),
            ("action mask", spec.hasActionMask ? "yes (info.action_mask)" : "no"),
            ("max episode steps", "\(spec.maxEpisodeSteps)"),
            ("reward range", "[\(format(spec.rewardRange.lowerBound)), \(format(spec.rewardRange.upperBound))]"),
            ("autoreset", spec.autoresetMode.rawValue),
            ("info fields", spec.infoFields.map(\.rawValue).joined(separator: ", ")),
            ("oracle", spec.oracle.kind.rawValue + (spec.oracle.expectedReturn.map { ", expected return \(format($0))" } ?? "")
                + (spec.oracle.discount == 1 ? "" : " (discounted by \(format(spec.oracle.discount)))")),
            ("  how", spec.oracle.note),
        ]
        for (key, value) in rows { print(key.padding(to: 18) + " " + value) }
        print("parameters")
        for (path, value) in flatten(.object(spec.parameters), prefix: "") {
            print("  " + path + " = " + value)
        }
    }

    private func format(_ x: Double) -> String { x.isFinite ? ConfigValue.format((x * 1e4).rounded() / 1e4) : (x > 0 ? "inf" : "-inf") }

    /// Dotted paths to scalar and numeric-array leaves, in file order.
    private func flatten(_ value: ConfigValue, prefix: String) -> [(String, String)] {
        switch value {
        case .object(let object):
            return object.entries.flatMap { flatten($0.value, prefix: prefix.isEmpty ? $0.key : prefix + "." + $0.key) }
        case .array(let items) where items.contains(where: { if case .object = $0 { true } else { false } }):
            return items.enumerated().flatMap { flatten($1, prefix: "\(prefix)[\($0)]") }
        default:
            return [(prefix, value.jsonString())]
        }
    }
}
