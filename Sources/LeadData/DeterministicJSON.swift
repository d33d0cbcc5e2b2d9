import Foundation

/// The one JSON style of every file and report leadscore writes: sorted keys, snake_case, pretty, a final newline.
///
/// Sorted keys and Foundation's shortest round-trip numbers make the bytes a function of the values alone.
public enum DeterministicJSON {
    public static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        var data = try encoder.encode(value)
        data.append(0x0A)
        return data
    }

    /// The matching decoder (snake_case keys).
    public static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return decoder
    }
}
