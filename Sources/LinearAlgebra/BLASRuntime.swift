import _COpenBLAS

/// The OpenBLAS runtime: how many threads it uses and which kernel it picked for this CPU.
public enum BLASRuntime {
    /// The number of threads OpenBLAS uses for level-2/3 routines.
    public static var threads: Int { Int(openblas_get_num_threads()) }

    /// Sets the number of OpenBLAS threads (1 when tests run in parallel; measured per stage elsewhere).
    public static func setThreads(_ n: Int) { openblas_set_num_threads(Int32(max(1, n))) }

    /// The name of the CPU kernel OpenBLAS chose, e.g. `Haswell` or `SkylakeX`.
    public static var coreName: String {
        guard let p = openblas_get_corename() else { return "unknown" }
        return String(cString: p)
    }

    /// Runs `body` with OpenBLAS held at one thread, for code that parallelises over rows itself.
    public static func withSingleThread<T, E: Error>(_ body: () throws(E) -> T) throws(E) -> T {
        let saved = threads
        if saved != 1 { setThreads(1) }
        defer { if saved != 1 { setThreads(saved) } }
        return try body()
    }
}
