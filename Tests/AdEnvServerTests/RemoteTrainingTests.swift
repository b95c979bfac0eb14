import AdEnv
import Foundation
import Testing

/// `adenv train --address`: the built-in agents train against a server unchanged.
extension ServerTests {
    static func trainingDirectory(_ name: String) -> String {
        let path = NSTemporaryDirectory() + "adenv-remote-train-\(getpid())-\(name)"
        try? FileManager.default.removeItem(atPath: path)
        return path
    }

    /// Runs `adenv train` to completion and returns its exit status.
    static func train(_ arguments: [String]) throws -> Int32 {
        try ServeProcess(["train"] + arguments, expectReady: false).waitForExit()
    }

    /// DQN (learning, ε-greedy, a replay buffer) on 2 copies of the fatigue MDP, trained over the
    /// wire and then resumed over the wire, writes the same checkpoint bytes and episodes as the same
    /// run in process: the remote env is the same env, bit for bit.
    @Test func trainingAgainstAServerIsBitIdenticalToTrainingInProcess() throws {
        let server = try ServeProcess(["serve", "--bind", "tcp://127.0.0.1:*", "--exit-with-stdin"])
        let local = Self.trainingDirectory("local"), remote = Self.trainingDirectory("remote")
        defer {
            try? FileManager.default.removeItem(atPath: local)
            try? FileManager.default.removeItem(atPath: remote)
        }
        let run = ["FatigueMDP-v0", "--agent", "dqn", "--seed", "5", "--envs", "2", "--set", "learning_starts=200", "--set", "train_frequency=4",
                   "--set", "batch_size=16", "--set", "hidden_sizes=[16]", "--set", "buffer_size=500"]
        #expect(try Self.train(run + ["--steps", "2000", "--out", local]) == 0)
        #expect(try Self.train(run + ["--steps", "1000", "--out", remote, "--address", server.endpoint]) == 0)
        #expect(try Self.train(["--resume", remote, "--steps", "2000", "--address", server.endpoint]) == 0)

        let localCheckpoint = try Data(contentsOf: URL(fileURLWithPath: local + "/checkpoint.adck"))
        let remoteCheckpoint = try Data(contentsOf: URL(fileURLWithPath: remote + "/checkpoint.adck"))
        #expect(localCheckpoint.count > 10_000)  // weights, Adam moments and the replay buffer
        #expect(localCheckpoint == remoteCheckpoint)
        let episodes = try String(contentsOfFile: local + "/episodes.csv", encoding: .utf8)
        #expect(episodes.split(separator: "\n").count > 10)
        #expect(episodes == (try String(contentsOfFile: remote + "/episodes.csv", encoding: .utf8)))
        try server.stdin.fileHandleForWriting.close()
        #expect(server.waitForExit() == 0)
    }

    @Test func trainingAgainstNoServerFailsWithOneLine() throws {
        let out = Self.trainingDirectory("nowhere")
        let client = try ServeProcess(
            ["train", "StrategyBandit-v0", "--agent", "ucb1", "--steps", "10", "--out", out, "--address", "tcp://127.0.0.1:1",
             "--timeout", "0.2"], expectReady: false)
        let status = client.waitForExit()
        let stderr = String(decoding: client.stderr.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(status == 64)
        #expect(stderr.hasPrefix("adenv: tcp://127.0.0.1:1: "), "\(stderr)")
        #expect(stderr.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: out))
    }
}
