import LeadData

extension InputError {
    /// `file:line: message`, with the remedy in the command line's own flags.
    var commandLineMessage: String {
        let advice: String? = switch remedy {
        case .namePositiveValue?: "say which one means converted with --positive VALUE"
        case .leaveOutColumns?: "leave such columns out with --ignore"
        case nil: nil
        }
        return location + message + (advice.map { ": \($0)" } ?? "")
    }
}
