import Features
import Foundation
import LeadData

/// Writes held-out predictions as CSV: `contact_id,decided_at,label,probability`, atomically.
public enum HoldoutPredictionsCSV {
    public static func write(_ predictions: [HoldoutPrediction], to path: String) throws {
        var text = "contact_id,decided_at,label,probability\n"
        for p in predictions {
            text += "\(DesignMatrixCSV.quoted(p.contactID)),\(p.decidedAt.iso8601),\(p.won ? 1 : 0),\(p.probability)\n"
        }
        try AtomicFile.write(Data(text.utf8), to: path)
    }
}
