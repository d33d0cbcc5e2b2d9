import _CKernels

/// The precisions a `GramAccumulator` block can hold: `Double`, or `Float` for Newton steps that only need a direction.
///
/// Sums always end in double precision; with `Float` the products, and their sums within one block, are single.
package protocol GramScalar: BinaryFloatingPoint {
    /// The tile of C that the kernel keeps in registers: rows by 8 columns.
    static var tileRows: Int { get }
    /// Writes block row `i` = `scales[i] * [1, x_i]`, rounded to this precision (see `_CKernels/include/GramKernel.h`).
    static func fill(_ x: UnsafePointer<Double>?, rows: Int, columns: Int, scales: UnsafePointer<Double>,
                     into block: UnsafeMutablePointer<Self>, stride: Int)
    /// The kernel for this precision (see `_CKernels/include/GramKernel.h`).
    static func accumulate(_ block: UnsafePointer<Self>, rows: Int, order: Int, stride: Int, into sums: UnsafeMutablePointer<Double>)
}

extension Double: GramScalar {
    package static var tileRows: Int { 4 }

    package static func fill(_ x: UnsafePointer<Double>?, rows: Int, columns: Int, scales: UnsafePointer<Double>,
                            into block: UnsafeMutablePointer<Double>, stride: Int) {
        leadscore_gram_fill(x, Int32(rows), Int32(columns), scales, block, Int32(stride))
    }

    package static func accumulate(_ block: UnsafePointer<Double>, rows: Int, order: Int, stride: Int, into sums: UnsafeMutablePointer<Double>) {
        leadscore_gram_accumulate(block, Int32(rows), Int32(order), Int32(stride), sums)
    }
}

extension Float: GramScalar {
    package static var tileRows: Int { 8 }

    package static func fill(_ x: UnsafePointer<Double>?, rows: Int, columns: Int, scales: UnsafePointer<Double>,
                            into block: UnsafeMutablePointer<Float>, stride: Int) {
        leadscore_gram_fill_f32(x, Int32(rows), Int32(columns), scales, block, Int32(stride))
    }

    package static func accumulate(_ block: UnsafePointer<Float>, rows: Int, order: Int, stride: Int, into sums: UnsafeMutablePointer<Double>) {
        leadscore_gram_accumulate_f32(block, Int32(rows), Int32(order), Int32(stride), sums)
    }
}
