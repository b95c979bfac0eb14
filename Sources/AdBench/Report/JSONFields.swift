import AdEnv

/// Typed access to the fields of one JSON object of a bench file, with errors that name the file
/// and the field's path (`scenarios[2].steps`).
struct JSONFields {
    let object: ConfigObject
    /// The file, for errors.
    let file: String
    /// This object's path in the file; empty at the top.
    let path: String

    /// Parses `text` (the contents of `file`) and requires an object at the top.
    init(parsing text: String, file: String) throws(BenchReportError) {
        let value: ConfigValue
        do { value = try ConfigValue.parse(json: text, source: file) } catch {
            if case .malformedJSON(_, let line, let column, let reason) = error {
                throw .malformedJSON(path: file, reason: "line \(line), column \(column): \(reason)")
            }
            throw .malformedJSON(path: file, reason: "\(error)")
        }
        guard case .object(let object) = value else {
            throw .invalidField(path: file, field: "(top level)", reason: "expected an object, found \(value.typeName)")
        }
        self.init(object: object, file: file, path: "")
    }

    init(object: ConfigObject, file: String, path: String) {
        self.object = object
        self.file = file
        self.path = path
    }

    func field(_ key: String) -> String { path.isEmpty ? key : path + "." + key }

    func invalid(_ key: String, _ reason: String) -> BenchReportError { .invalidField(path: file, field: field(key), reason: reason) }

    private func value(_ key: String) throws(BenchReportError) -> ConfigValue {
        guard let value = object[key] else { throw invalid(key, "required field is missing") }
        return value
    }

    func string(_ key: String) throws(BenchReportError) -> String {
        let v = try value(key)
        guard case .string(let s) = v else { throw invalid(key, "expected a string, found \(v.typeName)") }
        return s
    }

    /// A string, or `nil` when the field is absent or null.
    func optionalString(_ key: String) throws(BenchReportError) -> String? {
        guard let v = object[key], v != .null else { return nil }
        guard case .string(let s) = v else { throw invalid(key, "expected a string, found \(v.typeName)") }
        return s
    }

    func int(_ key: String) throws(BenchReportError) -> Int {
        let v = try value(key)
        guard let n = Self.integer(v) else { throw invalid(key, "expected an integer, found \(v.jsonString())") }
        return n
    }

    /// An integer, or `nil` when the field is absent or null.
    func optionalInt(_ key: String) throws(BenchReportError) -> Int? {
        guard let v = object[key], v != .null else { return nil }
        guard let n = Self.integer(v) else { throw invalid(key, "expected an integer, found \(v.jsonString())") }
        return n
    }

    /// A number, or `nil` when the field is null (the writer's spelling of "does not apply" and of
    /// a non-finite value). The field itself must be present.
    func nullableNumber(_ key: String) throws(BenchReportError) -> Double? {
        let v = try value(key)
        switch v {
        case .null: return nil
        case .number(let x): return x
        default: throw invalid(key, "expected a number or null, found \(v.typeName)")
        }
    }

    /// A number, or `nil` when the field is absent or null.
    func optionalNumber(_ key: String) throws(BenchReportError) -> Double? {
        object[key] == nil ? nil : try nullableNumber(key)
    }

    /// A boolean, or `nil` when the field is absent or null.
    func optionalBool(_ key: String) throws(BenchReportError) -> Bool? {
        guard let v = object[key], v != .null else { return nil }
        guard case .bool(let b) = v else { throw invalid(key, "expected a boolean, found \(v.typeName)") }
        return b
    }

    func array(_ key: String) throws(BenchReportError) -> [ConfigValue] {
        let v = try value(key)
        guard case .array(let items) = v else { throw invalid(key, "expected an array, found \(v.typeName)") }
        return items
    }

    func strings(_ key: String) throws(BenchReportError) -> [String] {
        var out: [String] = []
        for (i, item) in try array(key).enumerated() {
            guard case .string(let s) = item else { throw invalid("\(key)[\(i)]", "expected a string, found \(item.typeName)") }
            out.append(s)
        }
        return out
    }

    func ints(_ key: String) throws(BenchReportError) -> [Int] {
        var out: [Int] = []
        for (i, item) in try array(key).enumerated() {
            guard let n = Self.integer(item) else { throw invalid("\(key)[\(i)]", "expected an integer, found \(item.jsonString())") }
            out.append(n)
        }
        return out
    }

    /// An array of numbers; null elements read as NaN.
    func numbers(_ key: String) throws(BenchReportError) -> [Double] {
        var out: [Double] = []
        for (i, item) in try array(key).enumerated() {
            switch item {
            case .number(let x): out.append(x)
            case .null: out.append(.nan)
            default: throw invalid("\(key)[\(i)]", "expected a number, found \(item.typeName)")
            }
        }
        return out
    }

    func object(_ key: String) throws(BenchReportError) -> JSONFields {
        let v = try value(key)
        guard case .object(let o) = v else { throw invalid(key, "expected an object, found \(v.typeName)") }
        return JSONFields(object: o, file: file, path: field(key))
    }

    /// A nested object, or `nil` when the field is absent or null.
    func optionalObject(_ key: String) throws(BenchReportError) -> JSONFields? {
        guard let v = object[key], v != .null else { return nil }
        return try object(key)
    }

    /// The objects of an array field, each with its indexed path.
    func objects(_ key: String) throws(BenchReportError) -> [JSONFields] {
        var out: [JSONFields] = []
        for (i, item) in try array(key).enumerated() {
            guard case .object(let o) = item else { throw invalid("\(key)[\(i)]", "expected an object, found \(item.typeName)") }
            out.append(JSONFields(object: o, file: file, path: field("\(key)[\(i)]")))
        }
        return out
    }

    private static func integer(_ value: ConfigValue) -> Int? {
        guard case .number(let x) = value, x == x.rounded(), abs(x) < 9e15 else { return nil }
        return Int(x)
    }
}
