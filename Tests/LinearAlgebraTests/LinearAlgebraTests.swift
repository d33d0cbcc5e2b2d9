import _CKernels
import LinearAlgebra
import Testing

@Suite struct LinearAlgebraTests {
    /// A small well-conditioned symmetric positive definite matrix and a right-hand side.
    let a: SymmetricMatrix = {
        var m = SymmetricMatrix(order: 3)
        m.storage = [4, 1, 2,
                     1, 3, 0.5,
                     2, 0.5, 5]
        return m
    }()

    @Test func choleskySolvesAndInverts() throws {
        let factor = try #require(Cholesky(a))
        let x = factor.solve([1, 2, 3])
        let back = a.multiply(x)
        for (u, v) in zip(back, [1.0, 2, 3]) { #expect(abs(u - v) < 1e-12) }
        let inverse = factor.inverse()
        for i in 0..<3 {
            for j in 0..<3 {
                let product = (0..<3).map { a[i, $0] * inverse[$0, j] }.reduce(0, +)
                #expect(abs(product - (i == j ? 1 : 0)) < 1e-12)
            }
        }
    }

    @Test func choleskyRefusesAnIndefiniteMatrix() {
        var m = SymmetricMatrix(order: 2)
        m.storage = [1, 2, 2, 1]  // eigenvalues 3 and -1
        #expect(Cholesky(m) == nil)
    }

    @Test func choleskyRefusesANonFiniteMatrix() {
        var m = SymmetricMatrix(order: 1)
        m.storage = [.infinity]
        #expect(Cholesky(m) == nil)
        m.storage = [.nan]
        #expect(Cholesky(m) == nil)
    }

    /// Orders around the kernels' tile sizes (4 x 8 and 8 x 8), and blocks that are full, partial and a single row.
    @Test(arguments: [1, 3, 4, 7, 8, 9, 16, 51, 201])
    func gramAccumulationMatchesTheDefinition(order: Int) {
        checkGram(GramAccumulator<Double>(order: order), tolerance: 1e-12)
    }

    /// Single precision: products and block sums in float, so agreement to about 7 digits of the largest term.
    @Test(arguments: [1, 3, 8, 9, 51, 201])
    func singlePrecisionGramAccumulationMatchesTheDefinition(order: Int) {
        checkGram(GramAccumulator<Float>(order: order), tolerance: 1e-6)
    }

    /// The loops that CPUs without AVX2/FMA run (this machine runs the vector kernels), against the vector kernels.
    @Test(arguments: [1, 5, 8, 13, 51])
    func portableKernelsAgreeWithTheVectorOnes(order: Int) {
        let stride = (order + 7) / 8 * 8, rows = 37, sumRows = (order + 7) / 8 * 8
        // The kernels load whole rows with aligned vector loads: blocks start on a cache line, as in GramAccumulator.
        let b = aligned(Double.self, rows * stride), f = aligned(Float.self, rows * stride)
        defer { b.deallocate(); f.deallocate() }
        for k in 0..<(rows * stride) {
            b[k] = k % stride < order ? Double((k * 7_919) % 2_001) / 1_000 - 1 : 0
            f[k] = Float(b[k])
        }
        var vector = [Double](repeating: 0, count: sumRows * stride), portable = vector
        var vectorF = vector, portableF = vector
        leadscore_gram_accumulate(b, Int32(rows), Int32(order), Int32(stride), &vector)
        leadscore_gram_accumulate_portable(b, Int32(rows), Int32(order), Int32(stride), &portable)
        leadscore_gram_accumulate_f32(f, Int32(rows), Int32(order), Int32(stride), &vectorF)
        leadscore_gram_accumulate_portable_f32(f, Int32(rows), Int32(order), Int32(stride), &portableF)
        for j in 0..<order {
            for k in j..<order {
                let exact = (0..<rows).map { b[$0 * stride + j] * b[$0 * stride + k] }.reduce(0, +)
                #expect(abs(portable[j * stride + k] - exact) <= 1e-12 * Double(rows), "double (\(j), \(k))")
                #expect(abs(vector[j * stride + k] - exact) <= 1e-12 * Double(rows), "double (\(j), \(k))")
                #expect(abs(portableF[j * stride + k] - exact) <= 1e-5 * Double(rows), "float (\(j), \(k))")
                #expect(abs(vectorF[j * stride + k] - exact) <= 1e-5 * Double(rows), "float (\(j), \(k))")
            }
        }
    }

    private func aligned<T>(_ type: T.Type, _ count: Int) -> UnsafeMutablePointer<T> {
        UnsafeMutableRawPointer.allocate(byteCount: count * MemoryLayout<T>.stride, alignment: 64).bindMemory(to: T.self, capacity: count)
    }

    private func checkGram<Scalar: GramScalar>(_ gram: consuming GramAccumulator<Scalar>, tolerance: Double) {
        let order = gram.order, d = order - 1
        let blocks = [gram.blockRows, 1, gram.blockRows / 2 + 3]
        let rows = blocks.reduce(0, +)
        // Values in [-1, 1], all different enough that a misplaced product shows; row i is scales[i] * [1, x_i].
        let x: [Double] = (0..<(rows * d)).map { k in Double((k * 7_919 + order) % 2_001) / 1_000 - 1 }
        let scales: [Double] = (0..<rows).map { i in 0.5 + Double(i % 7) / 10 }
        let b: [Double] = (0..<rows).flatMap { i in [scales[i]] + (0..<d).map { scales[i] * x[i * d + $0] } }
        var start = 0
        for m in blocks {
            x.withUnsafeBufferPointer { xp in
                scales.withUnsafeBufferPointer { sp in
                    gram.accumulate(rows: m, of: UnsafeBufferPointer(rebasing: xp[(start * d)...]),
                                    scales: UnsafeBufferPointer(rebasing: sp[start...]))
                }
            }
            start += m
        }
        let c = gram.upperTriangle
        for j in 0..<order {
            for k in 0..<order {
                var expected = 0.0
                if k >= j {
                    for i in 0..<rows { expected += Double(Scalar(b[i * order + j])) * Double(Scalar(b[i * order + k])) }
                }
                #expect(abs(c[j, k] - expected) <= tolerance * Double(rows), "(\(j), \(k))")
            }
        }
    }

    @Test func matrixVectorProductsMatchTheDefinition() {
        let m = Matrix(rows: 2, columns: 3, storage: [1, 2, 3, 4, 5, 6])
        var y = [10.0, 20]
        BLAS.multiply(m, [1, 0, -1], into: &y, beta: 1)
        #expect(y == [8, 18])
        #expect(m.selectingRows([1, 0]).storage == [4, 5, 6, 1, 2, 3])
        #expect(BLAS.dot([1, 2, 3], [4, 5, 6]) == 32)
    }

    @Test(arguments: [1, 2, 3, 8])
    func rowPartitionsCoverEveryRowOnceInOrder(workers: Int) {
        let partitions = RowPartitions(rows: 100_001, size: 7_000, workers: workers)
        let ranges = partitions.map { $0 }
        #expect(ranges.count == partitions.count)
        #expect(ranges.first?.lowerBound == 0 && ranges.last?.upperBound == 100_001)
        for (a, b) in zip(ranges, ranges.dropFirst()) { #expect(a.upperBound == b.lowerBound) }
    }

    @Test func singleThreadSectionsNestAndRestore() {
        let before = BLASRuntime.threads
        BLASRuntime.withSingleThread {
            #expect(BLASRuntime.threads == 1)
            BLASRuntime.withSingleThread { #expect(BLASRuntime.threads == 1) }
            #expect(BLASRuntime.threads == 1)
        }
        #expect(BLASRuntime.threads == before)
    }
}
