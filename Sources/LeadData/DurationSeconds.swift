extension Duration {
    /// The duration in seconds, as a `Double`: how run times are reported.
    package var seconds: Double {
        let (s, attoseconds) = components
        return Double(s) + Double(attoseconds) * 1e-18
    }
}
