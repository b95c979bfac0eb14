import AdEnv
import ArgumentParser

struct ListCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "list", abstract: "List the registered env IDs with one-line descriptions.")

    @Flag(help: "Print JSON: an array of {id, kind, description, source}.")
    var json = false

    func run() throws {
        let scenarios: [Scenario]
        do { scenarios = try Registry.standard.scenarios() } catch { throw ValidationError(error.description) }
        if json {
            let items: [ConfigValue] = scenarios.map {
                ["id": .string($0.id), "kind": .string($0.kind), "description": .string($0.summary), "source": .string($0.source)]
            }
            print(ConfigValue.array(items).jsonString(pretty: true))
            return
        }
        let width = scenarios.map(\.id.count).max() ?? 0
        for scenario in scenarios {
            print(scenario.id.padding(to: width) + "  " + scenario.summary)
        }
    }
}

extension String {
    func padding(to width: Int) -> String { count >= width ? self : self + String(repeating: " ", count: width - count) }
}
