/// A dense matrix of `Double`s in one contiguous row-major buffer: row `i` is `storage[i * columns ..< (i + 1) * columns]`.
///
/// Row-major because data arrive one lead (row) at a time and the trainer walks them in row blocks.
public struct Matrix: Sendable, Equatable {
    /// Number of rows (examples).
    public let rows: Int
    /// Number of columns (features).
    public let columns: Int
    /// The values, row after row.
    public var storage: [Double]

    /// A matrix of zeros.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must not be negative")
        self.rows = rows
        self.columns = columns
        self.storage = [Double](repeating: 0, count: rows * columns)
    }

    /// A matrix over existing row-major values; `storage.count` must be `rows * columns`.
    public init(rows: Int, columns: Int, storage: [Double]) {
        precondition(storage.count == rows * columns, "storage holds \(storage.count) values, expected \(rows) x \(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// The element at row `row`, column `column`.
    public subscript(row: Int, column: Int) -> Double {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// The rows at the given indices, in that order, as a new matrix.
    public func selectingRows(_ indices: [Int]) -> Matrix {
        var out = [Double]()
        out.reserveCapacity(indices.count * columns)
        storage.withUnsafeBufferPointer { src in
            for i in indices {
                out.append(contentsOf: src[(i * columns)..<((i + 1) * columns)])
            }
        }
        return Matrix(rows: indices.count, columns: columns, storage: out)
    }
}
