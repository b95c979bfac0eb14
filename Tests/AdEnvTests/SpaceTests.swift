import Testing
@testable import AdEnv

@Suite struct SpaceTests {
    static let spaces: [Space] = [
        .discrete(Discrete(5)),
        .discrete(Discrete(3, start: -1)),
        .box(Box(low: [0, -.infinity, -1], high: [1, 2, .infinity])),
        .box(Box(low: -.infinity, high: .infinity, shape: [2, 2])),
        .multiDiscrete(MultiDiscrete([3, 4])),
        .multiBinary(MultiBinary(6)),
        .dict(DictSpace([("slot", .discrete(Discrete(3))), ("bid", .box(Box(low: 0, high: 5, shape: [1])))])),
    ]

    @Test(arguments: spaces)
    func samplesAreContainedAndDeterministic(space: Space) {
        var a = Xoshiro256(seed: 4), b = Xoshiro256(seed: 4)
        for _ in 0..<500 {
            let x = space.sample(using: &a)
            #expect(space.contains(x))
            #expect(x == space.sample(using: &b))
        }
    }

    @Test(arguments: spaces)
    func jsonDescriptionRoundTrips(space: Space) throws {
        let text = space.jsonDescription.jsonString()
        #expect(try Space(description: ConfigValue.parse(json: text)) == space)
    }

    @Test func containsRejectsWrongKindsSizesAndBounds() {
        #expect(!Space.discrete(Discrete(3, start: -1)).contains(.int(2)))
        #expect(Space.discrete(Discrete(3, start: -1)).contains(.int(-1)))
        #expect(!Space.discrete(Discrete(3)).contains(.floats([0])))
        let box = Space.box(Box(low: 0, high: 1, shape: [2]))
        #expect(!box.contains(.floats([0.5])))
        #expect(!box.contains(.floats([0.5, 1.5])))
        #expect(!box.contains(.floats([0.5, .nan])))
        #expect(!Space.multiDiscrete(MultiDiscrete([3, 4])).contains(.ints([3, 0])))
        #expect(!Space.multiBinary(MultiBinary(2)).contains(.ints([2, 0])))
    }

    @Test func maskedDiscreteSamplingPicksOnlyAllowedActions() {
        let space = Discrete(4)
        var rng = Xoshiro256(seed: 1)
        let mask = [false, true, false, true]
        var seen = Set<Int>()
        mask.withUnsafeBufferPointer { mask in
            for _ in 0..<200 { seen.insert(space.sample(using: &rng, mask: mask)) }
        }
        #expect(seen == [1, 3])
    }

    @Test func boxSamplingFollowsGymnasiumForUnboundedDimensions() {
        var rng = Xoshiro256(seed: 2)
        let box = Box(low: [2, -.infinity], high: [.infinity, -3])
        for _ in 0..<100 {
            let x = box.sample(using: &rng)
            #expect(x[0] >= 2 && x[1] <= -3)
        }
    }

    @Test func invalidDescriptionsNameTheField() {
        #expect(throws: ScenarioError.outOfRange(path: "space.n", value: "0", allowed: ">= 1")) {
            try Space(description: ["type": "Discrete", "n": 0])
        }
        #expect(throws: ScenarioError.invalidValue(path: "space.type", reason: "'Tuple' is not a space type")) {
            try Space(description: ["type": "Tuple"])
        }
        #expect(throws: ScenarioError.invalidValue(path: "space.low", reason: "has 1 elements, shape needs 2")) {
            try Space(description: ["type": "Box", "shape": [2], "low": [0], "high": [1, 1]])
        }
        #expect(throws: ScenarioError.invalidValue(path: "space.shape", reason: "has more than 16777216 elements")) {
            try Space(description: ["type": "Box", "shape": [4_000_000, 4_000_000, 4_000_000], "low": [], "high": []])
        }
        #expect(throws: ScenarioError.outOfRange(path: "space.low[0]", value: "1e+300", allowed: "a finite float32 (null for infinity)")) {
            try Space(description: ["type": "Box", "shape": [1], "low": [1e300], "high": [.null]])
        }
        #expect(throws: ScenarioError.invalidValue(path: "space.dtype", reason: "'float32' is not the dtype of a Discrete space ('int64')")) {
            try Space(description: ["type": "Discrete", "n": 2, "dtype": "float32"])
        }
    }
}
