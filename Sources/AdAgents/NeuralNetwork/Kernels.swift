/// The SIMD matrix-product kernels behind ``Matrix``'s `multiply` methods, on raw row-major
/// buffers. Every dimension must be positive; the callers check shapes.
@usableFromInline
enum Kernels {

    @inlinable @inline(__always)
    static func load<Scalar: NeuralScalar>(_ p: UnsafePointer<Scalar>) -> SIMD8<Scalar> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Scalar>.self)
    }

    @inlinable @inline(__always)
    static func store<Scalar: NeuralScalar>(_ v: SIMD8<Scalar>, _ p: UnsafeMutablePointer<Scalar>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: SIMD8<Scalar>.self)
    }

    /// `C (+)= A·B` where `A(i, p) = a[i * rowStride + p * innerStride]`, so that `(k, 1)` reads a
    /// row-major `m × k` matrix and `(1, m)` the transpose of a row-major `k × m` one. `b` is
    /// `k × n` and `c` is `m × n`, both row-major.
    ///
    /// Blocks of 4 rows × 8 columns of `C` stay in registers while `p` runs over the inner
    /// dimension; leftover columns and rows take narrower paths with the same summation order.
    @inlinable
    static func multiply<Scalar: NeuralScalar>(
        _ a: UnsafePointer<Scalar>, rowStride: Int, innerStride: Int, _ b: UnsafePointer<Scalar>, _ c: UnsafeMutablePointer<Scalar>,
        m: Int, k: Int, n: Int, accumulating: Bool
    ) {
        // Narrow outputs (an output layer's 2 or 7 Q-values) leave the 8-wide blocks empty; take
        // the product in an orientation whose long side is contiguous instead.
        if n < 8 && m >= 8 {
            if innerStride == 1 {
                // C = A·B as dot products of A's rows with the columns of B, gathered once.
                withUnsafeTemporaryAllocation(of: Scalar.self, capacity: n * k) { bt in
                    let t = bt.baseAddress!
                    for p in 0..<k {
                        for j in 0..<n { t[j * k + p] = b[p * n + j] }
                    }
                    multiplyTransposingB(a, t, c, m: m, k: k, n: n, accumulating: accumulating)
                }
                return
            }
            if rowStride == 1 && innerStride == m {
                // C = Aᵀ·B through Cᵀ = Bᵀ·A, whose rows run along A's contiguous rows.
                withUnsafeTemporaryAllocation(of: Scalar.self, capacity: n * m) { ct in
                    let t = ct.baseAddress!
                    multiply(b, rowStride: 1, innerStride: n, a, t, m: n, k: k, n: m, accumulating: false)
                    for i in 0..<m {
                        for j in 0..<n { c[i * n + j] = accumulating ? c[i * n + j] + t[j * m + i] : t[j * m + i] }
                    }
                }
                return
            }
        }
        let wide = n & ~7
        var i = 0
        while i + 4 <= m {
            let a0 = a + i * rowStride, a1 = a0 + rowStride, a2 = a1 + rowStride, a3 = a2 + rowStride
            let c0 = c + i * n, c1 = c0 + n, c2 = c1 + n, c3 = c2 + n
            var j = 0
            while j < wide {
                var s0 = SIMD8<Scalar>(), s1 = SIMD8<Scalar>(), s2 = SIMD8<Scalar>(), s3 = SIMD8<Scalar>()
                if accumulating {
                    s0 = load(c0 + j); s1 = load(c1 + j); s2 = load(c2 + j); s3 = load(c3 + j)
                }
                var pb = b + j
                var q = 0
                for _ in 0..<k {
                    let v = load(pb)
                    s0 = SIMD8(repeating: a0[q]) * v + s0
                    s1 = SIMD8(repeating: a1[q]) * v + s1
                    s2 = SIMD8(repeating: a2[q]) * v + s2
                    s3 = SIMD8(repeating: a3[q]) * v + s3
                    pb += n
                    q += innerStride
                }
                store(s0, c0 + j); store(s1, c1 + j); store(s2, c2 + j); store(s3, c3 + j)
                j += 8
            }
            if wide < n {
                for r in 0..<4 {
                    narrowColumns(a + (i + r) * rowStride, innerStride: innerStride, b, c + (i + r) * n, from: wide, k: k, n: n, accumulating: accumulating)
                }
            }
            i += 4
        }
        while i < m {
            let ar = a + i * rowStride, cr = c + i * n
            var j = 0
            while j < wide {
                var s = accumulating ? load(cr + j) : SIMD8<Scalar>()
                var pb = b + j
                var q = 0
                for _ in 0..<k {
                    s = SIMD8(repeating: ar[q]) * load(pb) + s
                    pb += n
                    q += innerStride
                }
                store(s, cr + j)
                j += 8
            }
            if wide < n {
                narrowColumns(ar, innerStride: innerStride, b, cr, from: wide, k: k, n: n, accumulating: accumulating)
            }
            i += 1
        }
    }

    /// Columns `from..<n` of one row of `C (+)= A·B`, fewer than 8 of them: 4 at a time, then one.
    @inlinable
    static func narrowColumns<Scalar: NeuralScalar>(
        _ ar: UnsafePointer<Scalar>, innerStride: Int, _ b: UnsafePointer<Scalar>, _ cr: UnsafeMutablePointer<Scalar>,
        from start: Int, k: Int, n: Int, accumulating: Bool
    ) {
        var j = start
        if j + 4 <= n {
            var s = accumulating ? UnsafeRawPointer(cr + j).loadUnaligned(as: SIMD4<Scalar>.self) : SIMD4<Scalar>()
            var pb = b + j
            var q = 0
            for _ in 0..<k {
                s = SIMD4(repeating: ar[q]) * UnsafeRawPointer(pb).loadUnaligned(as: SIMD4<Scalar>.self) + s
                pb += n
                q += innerStride
            }
            UnsafeMutableRawPointer(cr + j).storeBytes(of: s, as: SIMD4<Scalar>.self)
            j += 4
        }
        while j < n {
            var s: Scalar = accumulating ? cr[j] : 0
            var pb = b + j
            var q = 0
            for _ in 0..<k {
                s = ar[q] * pb[0] + s
                pb += n
                q += innerStride
            }
            cr[j] = s
            j += 1
        }
    }

    /// `C (+)= A·Bᵀ`: `a` is `m × k`, `b` is `n × k`, `c` is `m × n`, all row-major. Each element
    /// is a dot product of two rows, summed in 8 lanes over `k` (then a scalar tail) and reduced
    /// lane by lane in a fixed order; 2 × 2 elements are computed together to reuse loads.
    @inlinable
    static func multiplyTransposingB<Scalar: NeuralScalar>(
        _ a: UnsafePointer<Scalar>, _ b: UnsafePointer<Scalar>, _ c: UnsafeMutablePointer<Scalar>,
        m: Int, k: Int, n: Int, accumulating: Bool
    ) {
        let wide = k & ~7
        var i = 0
        while i < m {
            let twoRows = i + 1 < m
            let a0 = a + i * k, a1 = twoRows ? a0 + k : a0
            var j = 0
            while j < n {
                let twoColumns = j + 1 < n
                let b0 = b + j * k, b1 = twoColumns ? b0 + k : b0
                var s00 = SIMD8<Scalar>(), s01 = SIMD8<Scalar>(), s10 = SIMD8<Scalar>(), s11 = SIMD8<Scalar>()
                var p = 0
                while p < wide {
                    let x0 = load(a0 + p), x1 = load(a1 + p), y0 = load(b0 + p), y1 = load(b1 + p)
                    s00 = x0 * y0 + s00
                    s01 = x0 * y1 + s01
                    s10 = x1 * y0 + s10
                    s11 = x1 * y1 + s11
                    p += 8
                }
                var t00 = reduce(s00), t01 = reduce(s01), t10 = reduce(s10), t11 = reduce(s11)
                while p < k {
                    t00 = a0[p] * b0[p] + t00
                    t01 = a0[p] * b1[p] + t01
                    t10 = a1[p] * b0[p] + t10
                    t11 = a1[p] * b1[p] + t11
                    p += 1
                }
                let c0 = c + i * n + j
                c0[0] = accumulating ? c0[0] + t00 : t00
                if twoColumns { c0[1] = accumulating ? c0[1] + t01 : t01 }
                if twoRows {
                    let c1 = c0 + n
                    c1[0] = accumulating ? c1[0] + t10 : t10
                    if twoColumns { c1[1] = accumulating ? c1[1] + t11 : t11 }
                }
                j += 2
            }
            i += 2
        }
    }

    /// The sum of the lanes, pairwise in a fixed order.
    @inlinable @inline(__always)
    static func reduce<Scalar: NeuralScalar>(_ v: SIMD8<Scalar>) -> Scalar {
        let h = v.lowHalf + v.highHalf
        let q = h.lowHalf + h.highHalf
        return q[0] + q[1]
    }
}
