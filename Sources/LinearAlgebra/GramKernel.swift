import _CKernels

/// Whether the Gram kernels run their AVX2/FMA versions on this CPU (else portable loops), for benchmark reports.
package enum GramKernel {
    package static var usesAVX2: Bool { leadscore_gram_uses_avx2() }
}
