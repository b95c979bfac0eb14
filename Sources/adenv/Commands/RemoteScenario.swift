import AdEnv
import AdEnvServer
import ArgumentParser

/// Opens a session of `count` copies of scenario `idOrPath` on the server at `address`.
///
/// A registered ID travels as is; a scenario file is read here and sent inline, so the server needs
/// no access to the client's files. `key=value` overrides travel as the protocol's overrides.
/// Each reply is awaited `timeout` seconds and the request resent twice with the same sequence
/// number (safe: the server replays). Errors (an unreachable server after its timeouts, an unknown scenario, a bad override) become
/// one-line command errors.
func openRemoteScenario(_ idOrPath: String, overrides: [String], count: Int, address: String, curveServerKey: String?, timeout: Double) throws -> RemoteVectorEnv {
    let request: ScenarioRequest
    do {
        let parsed = try overrides.map { text throws(ScenarioError) -> (key: String, value: ConfigValue) in
            let override = try Override(parsing: text)
            return (key: String(text[..<text.firstIndex(of: "=")!]), value: override.value)
        }
        if Scenario.isValidID(idOrPath) && !idOrPath.hasSuffix(".json") {
            request = ScenarioRequest(env: idOrPath, overrides: parsed)
        } else {
            let text: String
            do { text = try FileSystem.read(idOrPath) } catch { throw ScenarioError.unreadableFile(path: idOrPath, reason: error.reason) }
            request = ScenarioRequest(scenario: try ConfigValue.parse(json: text, source: idOrPath), overrides: parsed)
        }
    } catch {
        throw ValidationError("\(error)")
    }
    do {
        let connection = try Connection(endpoint: address, timeoutMilliseconds: max(1, Int(timeout * 1000)), curveServerKey: curveServerKey)
        return try RemoteVectorEnv(connection: connection, scenario: request, count: count)
    } catch {
        throw ValidationError("\(address): \(error)")
    }
}
