import Testing
@testable import AdEnv

@Suite struct JSONTests {
    @Test func parsesAndWritesBackKeepingKeyOrder() throws {
        let text = #"{"b":1,"a":[true,false,null],"c":{"x":-2.5e-3,"y":"h\u00e9\n"}}"#
        let value = try ConfigValue.parse(json: text)
        #expect(value.jsonString() == #"{"b":1,"a":[true,false,null],"c":{"x":-0.0025,"y":"hé\n"}}"#)
        #expect(try ConfigValue.parse(json: value.jsonString()) == value)
    }

    @Test(arguments: [
        ("", 1, 1, "the document is empty"),
        ("{\"a\": 1,}", 1, 9, "expected a string key"),
        ("{\"a\" 1}", 1, 6, "expected ':' after key 'a'"),
        ("[1, 2", 1, 6, "unterminated array"),
        ("{\"a\": 01}", 1, 7, "leading zero in number"),
        ("{\"a\": 1, \"a\": 2}", 1, 13, "duplicate key 'a'"),
        ("{\n  \"a\": tru\n}", 2, 8, "invalid literal, expected 'true'"),
        ("[1] x", 1, 5, "unexpected text after the JSON value"),
        ("\u{FEFF}{}", 1, 1, "unexpected byte-order mark (save the file as UTF-8 without BOM)"),
        ("{\"a\": é}", 1, 7, "unexpected byte 0xC3"),
    ])
    func malformedJSONNamesLineColumnAndReason(text: String, line: Int, column: Int, reason: String) {
        #expect(throws: ScenarioError.malformedJSON(source: "f.json", line: line, column: column, reason: reason)) {
            try ConfigValue.parse(json: text, source: "f.json")
        }
    }

    @Test func deepNestingIsRefusedNotACrash() {
        let text = String(repeating: "[", count: 100_000)
        #expect(throws: ScenarioError.self) { try ConfigValue.parse(json: text) }
    }
}

@Suite struct ConfigReaderTests {
    func reader(_ json: String) throws -> ConfigReader {
        guard case .object(let object) = try ConfigValue.parse(json: json) else { fatalError() }
        return ConfigReader(object, path: "parameters")
    }

    @Test func absentKeysTakeDefaultsAndAreRecorded() throws {
        var r = try reader("{}")
        #expect(try r.double("rate", default: 0.5, in: .probability) == 0.5)
        #expect(try r.ints("sizes", default: [1, 2]) == [1, 2])
        try r.finish()
        #expect(r.resolved == ConfigObject([("rate", 0.5), ("sizes", [1, 2])]))
    }

    @Test func unknownKeyIsAnErrorNamingIt() throws {
        var r = try reader(#"{"rate": 0.5, "rte": 1}"#)
        _ = try r.double("rate", default: 0.1)
        #expect(throws: ScenarioError.unknownKey(path: "parameters.rte", known: ["rate"])) { try r.finish() }
    }

    @Test func wrongTypeNamesTheFieldAndTypes() throws {
        var r = try reader(#"{"rate": "high"}"#)
        #expect(throws: ScenarioError.wrongType(path: "parameters.rate", expected: "number", found: "string")) {
            try r.double("rate", default: 0.1)
        }
    }

    @Test func outOfRangeNamesTheElementAndTheRange() throws {
        var r = try reader(#"{"means": [0.1, 1.5]}"#)
        #expect(throws: ScenarioError.outOfRange(path: "parameters.means[1]", value: "1.5", allowed: "[0, 1]")) {
            try r.doubles("means", default: [], each: .probability)
        }
    }

    @Test func explicitNullIsAnErrorNotTheDefault() throws {
        var r = try reader(#"{"rate": null}"#)
        #expect(throws: ScenarioError.wrongType(path: "parameters.rate", expected: "a value (leave the key out to take the default)", found: "null")) {
            try r.double("rate", default: 0.5)
        }
    }

    @Test func hugeIntegerIsOutOfRangeNotAWrongType() throws {
        var r = try reader(#"{"slots": 1e17}"#)
        #expect(throws: ScenarioError.outOfRange(path: "parameters.slots", value: "1e+17", allowed: ">= 1")) {
            try r.int("slots", default: 3, in: .atLeast(1))
        }
    }

    @Test func nonIntegerForAnIntegerFieldIsRefused() throws {
        var r = try reader(#"{"slots": 2.5}"#)
        #expect(throws: ScenarioError.wrongType(path: "parameters.slots", expected: "integer", found: "2.5")) {
            try r.int("slots", default: 3)
        }
    }

    @Test func nestedObjectsReportFullPaths() throws {
        var r = try reader(#"{"auction": {"reserve": -1}}"#)
        #expect(throws: ScenarioError.outOfRange(path: "parameters.auction.reserve", value: "-1", allowed: ">= 0")) {
            try r.object("auction") { (a: inout ConfigReader) throws(ScenarioError) in try a.double("reserve", default: 0, in: .nonNegative) }
        }
        var s = try reader(#"{"items": [{"bid": 1}, {"bid": 1, "x": 2}]}"#)
        #expect(throws: ScenarioError.unknownKey(path: "parameters.items[1].x", known: ["bid"])) {
            try s.objects("items", default: []) { (item: inout ConfigReader, _) throws(ScenarioError) in try item.double("bid", default: 0) }
        }
    }

    @Test func raggedMatrixIsRefused() throws {
        var r = try reader(#"{"ctr": [[0.1, 0.2], [0.3]]}"#)
        #expect(throws: ScenarioError.invalidValue(path: "parameters.ctr[1]", reason: "has 1 columns, row 0 has 2")) {
            try r.matrix("ctr", default: [])
        }
    }

    enum Pricing: String, CaseIterable { case cpm, cpc }

    @Test func choiceListsTheAllowedValues() throws {
        var r = try reader(#"{"pricing": "cpx"}"#)
        #expect(throws: ScenarioError.invalidValue(path: "parameters.pricing", reason: "'cpx' is not one of 'cpm', 'cpc'")) {
            try r.choice("pricing", default: Pricing.cpm)
        }
    }
}
