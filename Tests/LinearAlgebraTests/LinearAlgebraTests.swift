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

    @Test func gramAccumulationMatchesTheDefinition() {
        // B is 4 x 3, row-major; C += B^T B in two calls of two rows each.
        let b: [Double] = [1, 2, 3, -1, 0.5, 2, 0, 1, -2, 3, 1, 1]
        var c = SymmetricMatrix(order: 3)
        b.withUnsafeBufferPointer { p in
            BLAS.accumulateGram(UnsafeBufferPointer(rebasing: p[0..<6]), rows: 2, into: &c)
            BLAS.accumulateGram(UnsafeBufferPointer(rebasing: p[6..<12]), rows: 2, into: &c)
        }
        c.symmetrize()
        for i in 0..<3 {
            for j in 0..<3 {
                let expected = (0..<4).map { b[$0 * 3 + i] * b[$0 * 3 + j] }.reduce(0, +)
                #expect(abs(c[i, j] - expected) < 1e-12)
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
