import AdBench
import ArgumentParser

/// `adenv report DIR`: writes the report of a bench directory from its files alone.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the report (report.md and figures/*.svg) of a bench directory from its files.",
        discussion: """
            Reads DIR/suite.json, DIR/provenance.json and every complete run under DIR/runs (the format is in \
            docs/BENCH.md), prints the summary table and writes DIR/report.md with its figures. Missing runs are \
            named in the report; a malformed file is an error naming the file and the field. Everything but the \
            provenance and the steps/s columns is a pure function of the result files.
            """)

    @Argument(help: "The bench directory (as written by adenv bench --out).")
    var directory: String

    func run() throws { try Self.writeReport(directory: directory) }

    /// Loads the bench in `directory`, writes its report, and prints the summary table and the
    /// report's path. Errors become one `adenv: ...` line (exit 64).
    static func writeReport(directory: String) throws {
        let report: BenchReport
        do {
            report = try BenchReport(directory: directory)
            try report.write()
        } catch {
            throw ValidationError(error.description)
        }
        print(report.summaryTable, terminator: "")
        print("report: \(report.reportPath)")
    }
}
