package import Foundation

/// The identity of a file's contents: FNV-1a (64 bits) of its bytes, as 16 hex digits.
///
/// The server shows it as the model being served (`/healthz`, the `leadscore-model` header) and the model registry
/// names its files by it, so one id means one model everywhere. Not a cryptographic hash: it tells versions apart,
/// and the registry compares bytes before it trusts an existing file of the same name.
package enum ContentHash {
    package static func fnv1a(_ data: Data) -> String {
        var h: UInt64 = 0xcbf29ce484222325
        for byte in data { h = (h ^ UInt64(byte)) &* 0x100000001b3 }
        let digits = String(h, radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
