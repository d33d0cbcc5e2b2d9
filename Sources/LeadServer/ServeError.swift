/// Why the server cannot start or cannot take a new model, with what to do about it.
public enum ServeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The model file cannot be read or is not a usable model (the message says which field).
    case unusableModel(path: String, message: String)
    /// The rules file cannot be read or is not valid.
    case unusableRules(path: String, message: String)
    /// The model was trained in table mode; the server scores contact histories.
    case tableModel(path: String)
    /// A model that loads but cannot score a lead (a damaged encoding).
    case modelFailsProbe(path: String, message: String)
    /// The source description of `--source` does not read, does not put contacts and events in a database, or its
    /// database cannot be reached or lacks a table or column: one line, naming the database without its password.
    case unusableSource(String)
    /// The token file of `--token-file` cannot be read, holds no usable token, or other users may read it.
    case unusableToken(path: String, message: String)

    public var description: String {
        switch self {
        case .unusableModel(let path, let message): "\(path): \(message)"
        case .unusableRules(let path, let message): "\(path): \(message)"
        case .tableModel(let path):
            "\(path): the model was trained in table mode; the server scores models trained on contact history (contacts and their events)"
        case .modelFailsProbe(let path, let message):
            "\(path): the model loads but cannot score a lead (\(message)): retrain it with this version of leadscore"
        case .unusableSource(let message): message
        case .unusableToken(let path, let message): "\(path): \(message)"
        }
    }
}
