import Foundation
import Testing
@testable import AdBench

@Suite struct ReportTests {
    @Test func loadsEveryCompleteRunAndNamesTheMissingOne() throws {
        let fixture = try ReportFixture()
        defer { fixture.remove() }
        let report = try BenchReport(directory: fixture.directory)
        #expect(report.suite.name == "tiny")
        #expect(report.runs.count == 12)
        #expect(report.missingRuns == [BenchReport.RunKey(scenario: "Bandit-v0", label: "c", seed: 2)])
        #expect(report.provenance?.command == "adenv bench --suite tiny")
    }

    @Test func scenarioTableRanksByMeanWithNormalizedScores() throws {
        let fixture = try ReportFixture()
        defer { fixture.remove() }
        let bandit = try BenchReport(directory: fixture.directory).scenarioResults[0]
        #expect(bandit.agents.map(\.label) == ["a", "b", "c"])  // means 80, 73.3, 60
        let a = bandit.agents[0]
        #expect(a.meanScore.estimate == 80)
        #expect(a.meanScore.contains(80) && a.meanScore.lower >= 70 && a.meanScore.upper <= 90)
        // IQM of 70 80 90: weights 1/6, 2/3, 1/6.
        #expect(abs(a.iqmScore.estimate - 80) < 1e-12)
        // Normalized (score − 50) / 50: 0.8, 0.6, 0.4.
        #expect(abs(a.meanNormalizedScore! - 0.6) < 1e-12)
        #expect(abs(a.regret!.mean - 20) < 1e-12)
        #expect(a.stepsPerSecond == 1100)  // 1000, 1100, 1200
        #expect(bandit.agents[2].runs.count == 2)
        #expect(bandit.randomScore?.estimate == 50 && bandit.oracleScore?.estimate == 100)
    }

    @Test func probabilityOfImprovementBetweenTheTopAgents() throws {
        let fixture = try ReportFixture()
        defer { fixture.remove() }
        let bandit = try BenchReport(directory: fixture.directory).scenarioResults[0]
        // a = 90 80 70 against b = 60 85 75: 90 beats 3, 80 beats 2, 70 beats 1 → 6/9.
        #expect(bandit.improvements.map { "\($0.better)>\($0.worse)" } == ["a>b", "a>c", "b>c"])
        #expect(abs(bandit.improvements[0].probability.estimate - 6.0 / 9) < 1e-12)
        // b = 60 85 75 against c = 55 65: 60 beats 1, 85 and 75 beat 2 → 5/6.
        #expect(abs(bandit.improvements[2].probability.estimate - 5.0 / 6) < 1e-12)
    }

    @Test func aggregateIsTheIQMOfNormalizedScoresAcrossScenarios() throws {
        let fixture = try ReportFixture()
        defer { fixture.remove() }
        let aggregate = try BenchReport(directory: fixture.directory).aggregateResults
        let a = try #require(aggregate.first { $0.label == "a" })
        // Pooled 0.4 0.5 0.6 0.8 1.0 with weights 0, 0.3, 0.4, 0.3, 0: 0.15 + 0.24 + 0.24.
        #expect(abs(a.iqm.estimate - 0.63) < 1e-12)
        #expect(a.scenarioCount == 2 && a.runCount == 5)
        #expect(a.iqm.lower <= 0.63 && a.iqm.upper >= 0.63)
        // b: 0.2 0.5 0.7 → 0.2/6 + 0.5·2/3 + 0.7/6 = 0.483; e: 0.2, 0.4 → 0.3; c: 0.1, 0.3 → 0.2.
        #expect(aggregate.map(\.label) == ["a", "b", "e", "c"])
        let e = try #require(aggregate.first { $0.label == "e" })
        #expect(abs(e.iqm.estimate - 0.3) < 1e-12)
    }

    @Test func reportNamesTheCommandSkippedAgentsAndMissingRuns() throws {
        let fixture = try ReportFixture()
        defer { fixture.remove() }
        let report = try BenchReport(directory: fixture.directory)
        try report.write()
        let markdown = try fixture.read("report.md")
        #expect(markdown.contains("adenv bench --suite tiny"))
        #expect(markdown.contains("adenv report \(fixture.directory)"))
        #expect(markdown.contains("abc123 (dirty"))
        #expect(markdown.contains("`d`: d cannot act in Bandit-v0"))
        #expect(markdown.contains("`runs/Bandit-v0/c/seed-2`"))
        // Ranked first; four significant digits of the largest score (100) leave one decimal.
        #expect(markdown.contains("| a | 80.0 ["))
        #expect(markdown.contains("| random (reference) | 50.0 [50.0, 50.0]"))
        for figure in ["aggregate.svg", "Bandit-v0-curve.svg", "Bandit-v0-regret-log.svg", "Mdp-v0-curve.svg"] {
            #expect(markdown.contains("(figures/\(figure))"))
            let svg = try fixture.read("figures/" + figure)
            #expect(SVGContents.parse(svg) != nil, "\(figure) is not well-formed XML")
        }
        #expect(try fixture.read("figures/Bandit-v0-regret-log.svg").contains("Lai–Robbins bound 1.91·ln T"))
        #expect(report.summaryTable.contains("c (2/3 runs)"))
    }

    @Test func writingTwiceGivesIdenticalBytes() throws {
        let fixture = try ReportFixture()
        defer { fixture.remove() }
        try BenchReport(directory: fixture.directory).write()
        let first = try ["report.md", "figures/aggregate.svg", "figures/Mdp-v0-curve.svg"].map(fixture.read)
        try BenchReport(directory: fixture.directory).write()
        let second = try ["report.md", "figures/aggregate.svg", "figures/Mdp-v0-curve.svg"].map(fixture.read)
        #expect(first == second)
    }

    @Test func malformedResultNamesTheFileAndTheField() throws {
        let fixture = try ReportFixture()
        defer { fixture.remove() }
        let file = fixture.directory + "/runs/Mdp-v0/e/seed-1/result.json"
        let text = try fixture.read("runs/Mdp-v0/e/seed-1/result.json").replacingOccurrences(of: "\"score\": 4", with: "\"score\": \"high\"")
        try fixture.write("runs/Mdp-v0/e/seed-1/result.json", text)
        #expect(throws: BenchReportError.invalidField(path: file, field: "score", reason: "expected a number or null, found string")) {
            try BenchReport(directory: fixture.directory)
        }
        try fixture.write("runs/Mdp-v0/e/seed-1/result.json", "{\"format\": ")
        #expect {
            try BenchReport(directory: fixture.directory)
        } throws: { error in
            guard case .malformedJSON(let path, _) = error as? BenchReportError else { return false }
            return path == file
        }
    }

    @Test func aRunInTheWrongDirectoryIsRejected() throws {
        let fixture = try ReportFixture()
        defer { fixture.remove() }
        let text = try fixture.read("runs/Mdp-v0/e/seed-1/result.json").replacingOccurrences(of: "\"seed\": 1,", with: "\"seed\": 0,")
        try fixture.write("runs/Mdp-v0/e/seed-1/result.json", text)
        #expect(throws: BenchReportError.invalidField(
            path: fixture.directory + "/runs/Mdp-v0/e/seed-1/result.json", field: "seed", reason: "0 in the directory of seed 1")) {
            try BenchReport(directory: fixture.directory)
        }
    }

    @Test func malformedCurveNamesTheLine() throws {
        let fixture = try ReportFixture()
        defer { fixture.remove() }
        try fixture.write("runs/Bandit-v0/a/seed-0/curve.csv", "step,cumulative_regret,cumulative_score\n1,0.5,0.5\n2,x,1\n")
        #expect(throws: BenchReportError.malformedCSV(
            path: fixture.directory + "/runs/Bandit-v0/a/seed-0/curve.csv", line: 3, reason: "cumulative_regret: 'x' is not a number")) {
            try BenchReport(directory: fixture.directory)
        }
    }

    @Test func aDirectoryWithoutASuiteIsNotABench() throws {
        let fixture = try ReportFixture()
        defer { fixture.remove() }
        try FileManager.default.removeItem(atPath: fixture.directory + "/suite.json")
        #expect(throws: BenchReportError.notABenchDirectory(path: fixture.directory)) { try BenchReport(directory: fixture.directory) }
    }

    @Test func aBenchWithoutRunsStillGivesAReport() throws {
        let fixture = try ReportFixture()
        defer { fixture.remove() }
        try FileManager.default.removeItem(atPath: fixture.directory + "/runs")
        let report = try BenchReport(directory: fixture.directory)
        #expect(report.runs.isEmpty && report.missingRuns.count == 13)  // 3 agents × 3 seeds + 2 × 2
        try report.write()
        let markdown = try fixture.read("report.md")
        #expect(markdown.contains("13 planned runs, 0 complete (13 missing"))
        #expect(!markdown.contains("figures/"))
        #expect(report.summaryTable.contains("a (0/3 runs)"))
    }
}
