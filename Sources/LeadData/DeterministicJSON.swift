package import Foundation

/// The one JSON style of every file and report leadscore writes: sorted keys, snake_case, pretty, a final newline.
///
/// Sorted keys and Foundation's shortest round-trip numbers make the bytes a function of the values alone.
package enum DeterministicJSON {
    package static func encode(_ value: some Encodable) throws -> Data {
        var data = try encoder(pretty: true).encode(value)
        data.append(0x0A)
        return data
    }

    /// The same style on one line, without a final newline: a record of a JSON Lines log.
    package static func line(_ value: some Encodable) throws -> Data {
        try encoder(pretty: false).encode(value)
    }

    private static func encoder(pretty: Bool) -> JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = pretty ? [.prettyPrinted, .sortedKeys] : [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // A statistic can be undefined (a DeLong variance with one member in a class) or infinite (z of a perfect
        // ranking against a constant one); write those as strings rather than fail the whole report.
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return encoder
    }

    /// The matching decoder (snake_case keys).
    package static func decoder() -> JSONDecoder {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "Infinity", negativeInfinity: "-Infinity", nan: "NaN")
        return decoder
    }
}
