/// The matrix products of forward and backward passes, `C = A·B`, `C = Aᵀ·B` and `C = A·Bᵀ`,
/// written into a preallocated `C` (overwriting it, or adding to it with `accumulating: true`).
///
/// The kernels are pure Swift over `SIMD8` vectors, written as `a * b + c` rather than
/// `addProduct`, which on the default x86-64 target compiles to calls to `fmaf`. `A·B` and `Aᵀ·B`
/// share one register-blocked kernel (4 rows of `C` × 8 columns held in registers while the inner
/// dimension streams by); `A·Bᵀ` takes dot products of rows, 2 × 2 at a time. Each output element
/// sums its products in a fixed order, so results are deterministic and independent of the
/// blocking of other elements. Dimensions may be 0 (an empty sum is 0).
extension Matrix {
    /// `c = a·b` (or `c += a·b`): `a` is `m × k`, `b` is `k × n`, `c` is `m × n`.
    @inlinable
    public static func multiply(_ a: Matrix, _ b: Matrix, into c: inout Matrix, accumulating: Bool = false) {
        precondition(a.columns == b.rows && c.rows == a.rows && c.columns == b.columns, "multiply: shapes \(a.rows)×\(a.columns) · \(b.rows)×\(b.columns) → \(c.rows)×\(c.columns) do not agree")
        withOperands(a, b, &c, accumulating: accumulating) { pa, pb, pc in
            Kernels.multiply(pa, rowStride: a.columns, innerStride: 1, pb, pc,
                             m: a.rows, k: a.columns, n: b.columns, accumulating: accumulating)
        }
    }

    /// `c = aᵀ·b` (or `c += aᵀ·b`): `a` is `k × m`, `b` is `k × n`, `c` is `m × n`.
    @inlinable
    public static func multiply(transposing a: Matrix, _ b: Matrix, into c: inout Matrix, accumulating: Bool = false) {
        precondition(a.rows == b.rows && c.rows == a.columns && c.columns == b.columns, "multiply: shapes (\(a.rows)×\(a.columns))ᵀ · \(b.rows)×\(b.columns) → \(c.rows)×\(c.columns) do not agree")
        withOperands(a, b, &c, accumulating: accumulating) { pa, pb, pc in
            Kernels.multiply(pa, rowStride: 1, innerStride: a.columns, pb, pc,
                             m: a.columns, k: a.rows, n: b.columns, accumulating: accumulating)
        }
    }

    /// `c = a·bᵀ` (or `c += a·bᵀ`): `a` is `m × k`, `b` is `n × k`, `c` is `m × n`.
    @inlinable
    public static func multiply(_ a: Matrix, transposing b: Matrix, into c: inout Matrix, accumulating: Bool = false) {
        precondition(a.columns == b.columns && c.rows == a.rows && c.columns == b.rows, "multiply: shapes \(a.rows)×\(a.columns) · (\(b.rows)×\(b.columns))ᵀ → \(c.rows)×\(c.columns) do not agree")
        withOperands(a, b, &c, accumulating: accumulating) { pa, pb, pc in
            Kernels.multiplyTransposingB(pa, pb, pc, m: a.rows, k: a.columns, n: b.rows, accumulating: accumulating)
        }
    }

    /// Runs `body` on the base addresses of `a`, `b` and `c`, after the edge cases: nothing to do
    /// when `c` is empty, and an empty sum (`a` empty: inner dimension 0) is 0.
    @inlinable
    static func withOperands(
        _ a: Matrix, _ b: Matrix, _ c: inout Matrix, accumulating: Bool,
        _ body: (UnsafePointer<Scalar>, UnsafePointer<Scalar>, UnsafeMutablePointer<Scalar>) -> Void
    ) {
        if c.count == 0 { return }
        if a.count == 0 {
            if !accumulating { c.storage.withUnsafeMutableBufferPointer { $0.update(repeating: 0) } }
            return
        }
        a.storage.withUnsafeBufferPointer { pa in
            b.storage.withUnsafeBufferPointer { pb in
                c.storage.withUnsafeMutableBufferPointer { pc in body(pa.baseAddress!, pb.baseAddress!, pc.baseAddress!) }
            }
        }
    }
}
