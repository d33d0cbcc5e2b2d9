import Features
public import Foundation
import LeadData
import Scoring

/// Held-out predictions as CSV: `contact_id,decided_at,label,probability`.
public enum HoldoutPredictionsCSV {
    /// The CSV bytes; `train` writes them with its other outputs, through ``AtomicFileWriter``.
    public static func data(_ predictions: [HoldoutPrediction]) -> Data {
        var text = "contact_id,decided_at,label,probability\n"
        for p in predictions {
            text += "\(DesignMatrixCSV.quoted(p.contactID)),\(p.decidedAt.iso8601),\(p.won ? 1 : 0),\(p.probability)\n"
        }
        return Data(text.utf8)
    }
}
