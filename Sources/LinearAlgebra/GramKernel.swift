import _CKernels

/// Whether the Gram kernels run their AVX2/FMA versions on this CPU (else portable loops), for benchmark reports.
public enum GramKernel {
    public static var usesAVX2: Bool { leadscore_gram_uses_avx2() }
}
