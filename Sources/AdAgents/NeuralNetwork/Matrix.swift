/// A dense row-major matrix: element `(i, j)` is `storage[i * columns + j]`.
///
/// The neural-network core keeps activations, gradients and scratch space in matrices allocated
/// once per batch size, and multiplies them with the kernels of `Matrix+Multiplication.swift`,
/// which write into preallocated outputs.
public struct Matrix<Scalar: NeuralScalar>: Sendable, Equatable {
    public let rows: Int
    public let columns: Int
    /// The `rows × columns` elements, row after row.
    public var storage: [Scalar]

    /// A `rows × columns` matrix with every element `value`. Dimensions may be 0.
    public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions cannot be negative")
        self.rows = rows
        self.columns = columns
        storage = Array(repeating: value, count: rows * columns)
    }

    /// A `rows × columns` matrix over `storage`, which must hold exactly `rows × columns` values.
    public init(rows: Int, columns: Int, storage: [Scalar]) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions cannot be negative")
        precondition(storage.count == rows * columns, "a \(rows)×\(columns) matrix needs \(rows * columns) values, not \(storage.count)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// The element in row `row` and column `column`.
    @inlinable
    public subscript(row: Int, column: Int) -> Scalar {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// The number of elements.
    public var count: Int { storage.count }

    /// The transpose, as a new matrix.
    public var transposed: Matrix {
        var t = Matrix(rows: columns, columns: rows)
        for i in 0..<rows {
            for j in 0..<columns { t.storage[j * rows + i] = storage[i * columns + j] }
        }
        return t
    }
}
