import LeadData

extension InputError {
    /// `file:line: message`, with the remedy in the command line's own flags.
    var commandLineMessage: String {
        let advice: String? = switch remedy {
        case .namePositiveValue?: "say which one means converted with --positive VALUE"
        case .leaveOutColumns?: "leave such columns out with --ignore"
        case .nameLostValues?: "name those that mean lost with --negative VALUE,VALUE (every other value is then still open, and its rows left out)"
        case .numberColumn(let column)?: "correct it, leave it empty (a missing value is imputed), or read the column as categories with --categorical \(Echo.quoted(column))"
        case .nameDateFormat?: "name it with --date-format, such as --date-format \"DD/MM/YYYY HH:mm\""
        case .allowMoreBadRows?: "correct the file, or allow more with --max-bad-rows N or P%"
        case nil: nil
        }
        return location + message + (advice.map { ": \($0)" } ?? "")
    }
}
