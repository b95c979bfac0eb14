import AdEnv
import ArgumentParser

#if canImport(Glibc)
import Glibc
#endif

/// `adenv`: list, inspect, roll out and measure AdEnv scenarios.
@main
struct AdEnvCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "adenv",
        abstract: "AdEnv: a fast, reproducible reinforcement-learning simulator for online advertising.",
        subcommands: [
            ListCommand.self, DescribeCommand.self, RolloutCommand.self, PerfCommand.self, TrainCommand.self, EvalCommand.self,
            ServeCommand.self, PerfRemoteCommand.self, BenchCommand.self, ReportCommand.self,
        ]
    )

    /// Parses and runs a subcommand. Errors print as one line on standard error with a non-zero exit;
    /// `--help` prints the help text and exits 0.
    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
            } else {
                // One line: newlines (for example inside a quoted key) are escaped, not cut.
                let message = message(for: error).trimmingSuffix("\n").replacing("\n", with: "\\n")
                printError("adenv: \(message)")
            }
            Glibc.exit(code.rawValue)
        }
    }
}

/// Writes a line to standard error.
func printError(_ line: String) {
    let text = line + "\n"
    _ = text.withCString { write(2, $0, strlen($0)) }
}

extension String {
    func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }
}
