extension Duration {
    /// The duration in seconds as a `Double`, for rates such as steps per second.
    public var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) * 1e-18
    }
}
