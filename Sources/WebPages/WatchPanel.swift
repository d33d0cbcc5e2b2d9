import Foundation
public import ModelRegistry
import Reports
public import Workflows

/// What the model card adds about the model in service, when the server knows it: how far today's open leads have
/// drifted from the leads the model was trained for (with a history source), and the registry's last decisions
/// (with `--registry`): retrains published or kept, promotions, rollbacks.
public struct WatchPanel: Sendable {
    /// The score drift of the open leads, and the moment and number of leads it was measured on.
    public var drift: (psi: Double, level: Monitoring.Verdict, asOf: String, leads: Int)?
    /// The registry's records, newest first.
    public var records: [RegistryRecord]

    /// Records shown at most.
    public static let recordLimit = 10

    public init(drift: (psi: Double, level: Monitoring.Verdict, asOf: String, leads: Int)?, records: [RegistryRecord]) {
        self.drift = drift
        self.records = records
    }

    public var html: HTML {
        guard drift != nil || !records.isEmpty else { return "" }
        var out: HTML = "<h2>In service</h2>\n"
        if let drift {
            let verdict: String
            switch drift.level {
            case .ok: verdict = "stable"
            case .warn: verdict = "worth a look"
            case .alert: verdict = "shifted: check the data, and retrain if the shift is real"
            }
            out += """
                <p id="drift">Drift of the scores: the \(NumberFormat.count(drift.leads)) open leads as of \(drift.asOf) against the leads the model was trained for, population stability index <b>\(NumberFormat.fixed(drift.psi, 3))</b> (\(verdict); below \(NumberFormat.fixed(Monitoring.standardLook, 2)) is stable, from \(NumberFormat.fixed(Monitoring.standardAct, 2)) a real shift). <code>leadscore monitor</code> gives the drift of each feature.</p>

                """
        }
        if !records.isEmpty {
            let rows = HTML.join(records.prefix(Self.recordLimit).map { r in
                let what = r.decision.map { "\(r.action.rawValue): \($0)" } ?? r.action.rawValue
                return "<tr><td>\(String(r.time.prefix(16)).replacingOccurrences(of: "T", with: " "))</td><td>\(what)</td><td><code>\(String(r.current.prefix(12)))</code></td><td>\(r.reason)</td></tr>\n" as HTML
            })
            out += """
                <div class="scroll"><table id="registry">
                <caption>The registry's last decisions, newest first</caption>
                <thead><tr><th scope="col">when (UTC)</th><th scope="col">what</th><th scope="col">current model</th><th scope="col">why</th></tr></thead>
                <tbody>
                \(rows)</tbody></table></div>

                """
        }
        return out
    }
}
