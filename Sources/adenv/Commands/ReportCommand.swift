import AdBench
import ArgumentParser

/// Placeholder until the report lands (replaced by the report branch).
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "report", abstract: "Write the report of a bench directory.")

    @Argument(help: "The bench directory.")
    var directory: String

    func run() throws { try Self.writeReport(directory: directory) }

    static func writeReport(directory: String) throws {
        print("wrote the runs into \(directory)")
    }
}
