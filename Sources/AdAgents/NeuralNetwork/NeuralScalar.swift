#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The scalar types the neural-network core computes in: `Float` for training, `Double` for the
/// finite-difference gradient checks, which run the very same generic code.
///
/// The elementary functions come from the C library (`expf`/`exp`, …), which is deterministic for
/// a given libm, so training is bit-reproducible on one platform.
public protocol NeuralScalar: BinaryFloatingPoint, SIMDScalar, Codable, Sendable, CustomStringConvertible {
    /// `e^x`.
    static func exp(_ x: Self) -> Self
    /// The natural logarithm; `-infinity` at 0.
    static func log(_ x: Self) -> Self
    /// `log(1 + x)`, accurate for small `x`.
    static func log1p(_ x: Self) -> Self
    /// The hyperbolic tangent.
    static func tanh(_ x: Self) -> Self

    /// These values as a checkpoint entry of this scalar type.
    static func checkpointValue(_ values: [Self]) -> Checkpoint.Value
    /// The entry `name` of `checkpoint`, which must be of this scalar type and hold `count` values.
    static func values(_ name: String, count: Int, in checkpoint: Checkpoint) throws(CheckpointError) -> [Self]
}

// The C library's functions under names the static requirements below do not shadow.
@usableFromInline func libmExp(_ x: Double) -> Double { exp(x) }
@usableFromInline func libmLog(_ x: Double) -> Double { log(x) }
@usableFromInline func libmLog1p(_ x: Double) -> Double { log1p(x) }
@usableFromInline func libmTanh(_ x: Double) -> Double { tanh(x) }

extension Float: NeuralScalar {
    @inlinable public static func exp(_ x: Float) -> Float { expf(x) }
    @inlinable public static func log(_ x: Float) -> Float { logf(x) }
    @inlinable public static func log1p(_ x: Float) -> Float { log1pf(x) }
    @inlinable public static func tanh(_ x: Float) -> Float { tanhf(x) }

    public static func checkpointValue(_ values: [Float]) -> Checkpoint.Value { .floats(values) }

    public static func values(_ name: String, count: Int, in checkpoint: Checkpoint) throws(CheckpointError) -> [Float] {
        try checkpoint.floats(name, count: count)
    }
}

extension Double: NeuralScalar {
    @inlinable public static func exp(_ x: Double) -> Double { libmExp(x) }
    @inlinable public static func log(_ x: Double) -> Double { libmLog(x) }
    @inlinable public static func log1p(_ x: Double) -> Double { libmLog1p(x) }
    @inlinable public static func tanh(_ x: Double) -> Double { libmTanh(x) }

    public static func checkpointValue(_ values: [Double]) -> Checkpoint.Value { .doubles(values) }

    public static func values(_ name: String, count: Int, in checkpoint: Checkpoint) throws(CheckpointError) -> [Double] {
        try checkpoint.doubles(name, count: count)
    }
}
