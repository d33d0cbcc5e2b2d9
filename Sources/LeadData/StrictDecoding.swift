import Foundation
/// Decoding helpers for files people edit: every key optional (defaults apply), unknown keys rejected by name.
package struct AnyKey: CodingKey {
    package var stringValue: String
    package var intValue: Int? { nil }
    package init(stringValue: String) { self.stringValue = stringValue }
    package init?(intValue: Int) { nil }
}

package enum StrictDecoding {
    /// Throws when the object at `decoder` has a key outside `known` (camelCase, as the snake_case decoder gives them).
    package static func rejectUnknownKeys(_ decoder: any Decoder, known: Set<String>) throws {
        let container = try decoder.container(keyedBy: AnyKey.self)
        for key in container.allKeys where !known.contains(key.stringValue) {
            let path = keyPath(decoder.codingPath + [key])
            let expected = known.sorted().map(snakeCase).joined(separator: ", ")
            throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath,
                                                    debugDescription: "unknown key \"\(path)\" (known keys here: \(expected))"))
        }
    }

    /// A decoding error as one line naming the key at fault (snake_case, dotted path).
    package static func describe(_ error: DecodingError) -> String {
        func key(_ path: [any CodingKey]) -> String { keyPath(path) }
        switch error {
        case .typeMismatch(let type, let context):
            let place = context.codingPath.isEmpty ? "the file" : "\"\(key(context.codingPath))\""
            let found = foundKind(context.debugDescription).map { ", found \($0)" } ?? ""
            return "\(place) should be \(kind(of: type))\(found)"
        case .valueNotFound(_, let context):
            return "\"\(key(context.codingPath))\" is null"
        case .keyNotFound(let k, let context):
            return "\"\(key(context.codingPath + [k]))\" is missing"
        case .dataCorrupted(let context):
            if context.debugDescription.hasPrefix("unknown key") { return context.debugDescription }
            if context.codingPath.isEmpty { return "not valid JSON: \(context.debugDescription)" }
            // Foundation's words for a well-formed number that does not fit the field (1.5 or 1e30 for a whole number).
            if context.debugDescription == "The given data was not valid JSON." {
                return "\"\(key(context.codingPath))\" holds a number that does not fit (a fraction where a whole number belongs, or too large)"
            }
            return "\"\(key(context.codingPath))\": \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    /// A Swift type as a person names a JSON value: `a number`, `a string`, `a list`.
    static func kind(of type: Any.Type) -> String {
        switch type {
        case is Double.Type, is Float.Type: return "a number"
        case is Int.Type, is Int32.Type, is Int64.Type, is UInt.Type, is UInt32.Type, is UInt64.Type: return "a whole number"
        case is String.Type: return "a string"
        case is Bool.Type: return "true or false"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "a list" }
            if name.hasPrefix("Dictionary") { return "an object" }
            return "a \(name)"
        }
    }

    /// What Foundation found instead (from "Expected to decode X but found Y instead."), in the same words as ``kind(of:)``.
    static func foundKind(_ debugDescription: String) -> String? {
        guard let start = debugDescription.range(of: "but found "), let end = debugDescription.range(of: " instead", range: start.upperBound..<debugDescription.endIndex) else {
            return nil
        }
        switch debugDescription[start.upperBound..<end.lowerBound] {
        case "a string": return "a string"
        case "number": return "a number"
        case "bool": return "true or false"
        case "an array": return "a list"
        case "a dictionary": return "an object"
        case "null": return "null"
        default: return nil
        }
    }

    /// A coding path as a person writes it: `events[2].points`.
    package static func keyPath(_ path: [any CodingKey]) -> String {
        var out = ""
        for key in path {
            if let index = key.intValue { out += "[\(index)]" } else { out += (out.isEmpty ? "" : ".") + snakeCase(key.stringValue) }
        }
        return out
    }

    package static func snakeCase(_ name: String) -> String {
        var out = ""
        for c in name {
            if c.isUppercase { out += "_" + c.lowercased() } else { out.append(c) }
        }
        return out
    }
}

extension KeyedDecodingContainer {
    /// The value for `key`, or `fallback` when the key is absent.
    package func value<T: Decodable>(_ key: Key, or fallback: T) throws -> T {
        try decodeIfPresent(T.self, forKey: key) ?? fallback
    }
}
