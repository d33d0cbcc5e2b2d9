import Foundation
import LeadData
import LinearAlgebra

/// Writes a design matrix as CSV: the id column, `label`, optionally `weight`, then one column per feature.
///
/// Values use Swift's shortest round-trip spelling, so a reader gets back exactly the doubles the trainer saw.
package enum DesignMatrixCSV {
    package static func write(_ design: DesignMatrix, idColumn: String, to path: String) throws {
        var out = [UInt8]()
        out.reserveCapacity(design.features.storage.count * 20 + 256)
        var header = [idColumn, "label"]
        if design.weights != nil { header.append("weight") }
        header += design.featureNames
        out += header.map(quoted).joined(separator: ",").utf8
        out.append(0x0A)
        let d = design.features.columns
        for i in 0..<design.features.rows {
            out += quoted(design.ids[i]).utf8
            out += ",\(design.labels.isEmpty ? "" : format(design.labels[i]))".utf8
            if let w = design.weights { out += ",\(format(w[i]))".utf8 }
            for j in 0..<d {
                out.append(0x2C)
                out += format(design.features.storage[i * d + j]).utf8
            }
            out.append(0x0A)
        }
        try AtomicFile.write(Data(out), to: path)
    }

    /// A CSV field, quoted when it holds a comma, a quote or a line break.
    package static func quoted(_ field: String) -> String {
        guard field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return field }
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }

    /// 0 and 1 as integers, everything else in shortest round-trip form.
    private static func format(_ v: Double) -> String {
        if v == 0 { return "0" }
        if v == 1 { return "1" }
        return "\(v)"
    }
}
