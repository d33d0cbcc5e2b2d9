import Foundation
import LeadData
import Rules
import Scoring
import Testing
import Workflows

/// The server's one-lead path (``HistoryLeadScorer``: accumulator values and ``TableRowEncoder``, no table) gives
/// the file workflow's result for the same contact, byte for byte in `score --format json`, across many sample
/// leads and the awkward ones: unseen levels, unknown event types, missing and padded numbers, events on the cutoff,
/// events before the contact was created (kept, as the events reader keeps them by default, when the caller asks:
/// `GET /v1/leads/{contact_id}` does for a source description that keeps them).
@Suite struct HistoryLeadScorerAgreementTests {
    /// Extra contacts in CSV and as leads: what the sample lacks.
    static let extraContacts = """
        X1,2026-01-10T08:00:00Z,Chief Llama Officer, 300 ,Software,ZZ,Carrier Pigeon
        X2,2026-06-23T23:59:59Z,,,,,
        X3,2025-06-01,"VP, Marketing",0,Retail,US,Webinar
        X4,2026-03-01T00:00:00Z,Head of Growth,120,Software,US,Paid Search
        """
    static let extraEvents = """
        X1,2026-06-20T10:00:00Z,pricing_page_view,
        X1,2026-06-21T10:00:00Z,quantum_teleport,
        X1,2026-06-24T00:00:00Z,demo_request,
        X1,2026-06-23T23:59:59Z,demo_request,
        X3,2025-06-01,webinar_attended,
        X3,2026-06-01T12:00:00+02:00,email_open,
        X4,2026-02-20T09:00:00Z,pricing_page_view,
        X4,2026-01-02T09:00:00Z,demo_request,
        X4,2026-03-05T09:00:00Z,webinar_attended,
        """

    static func extraLeads() -> [HistoryLead] {
        func t(_ text: String) -> Timestamp { Timestamp.parse(text)! }
        return [
            HistoryLead(contactID: "X1", createdAt: t("2026-01-10T08:00:00Z"),
                        profile: ["job_title": .text("Chief Llama Officer"), "company_size": .text(" 300 "), "industry": .text("Software"),
                                  "country": .text("ZZ"), "lead_source": .text("Carrier Pigeon")],
                        events: [LeadEvent(time: t("2026-06-20T10:00:00Z"), name: "pricing_page_view"),
                                 LeadEvent(time: t("2026-06-21T10:00:00Z"), name: "quantum_teleport"),
                                 LeadEvent(time: t("2026-06-24T00:00:00Z"), name: "demo_request"),
                                 LeadEvent(time: t("2026-06-23T23:59:59Z"), name: "demo_request")]),
            HistoryLead(contactID: "X2", createdAt: t("2026-06-23T23:59:59Z"),
                        profile: ["job_title": .missing, "industry": .text("")]),
            HistoryLead(contactID: "X3", createdAt: t("2025-06-01"),
                        profile: ["job_title": .text("VP, Marketing"), "company_size": .number(0), "industry": .text("Retail"),
                                  "country": .text("US"), "lead_source": .text("Webinar"), "unused_field": .text("ignored")],
                        events: [LeadEvent(time: t("2025-06-01"), name: "webinar_attended"),
                                 LeadEvent(time: t("2026-06-01T12:00:00+02:00"), name: "email_open")]),
            HistoryLead(contactID: "X4", createdAt: t("2026-03-01T00:00:00Z"),
                        profile: ["job_title": .text("Head of Growth"), "company_size": .number(120), "industry": .text("Software"),
                                  "country": .text("US"), "lead_source": .text("Paid Search")],
                        events: [LeadEvent(time: t("2026-02-20T09:00:00Z"), name: "pricing_page_view"),
                                 LeadEvent(time: t("2026-01-02T09:00:00Z"), name: "demo_request"),
                                 LeadEvent(time: t("2026-03-05T09:00:00Z"), name: "webinar_attended")]),
        ]
    }

    /// A lead of the sample as the server would receive it (profile values as the CSV spells them).
    static func lead(_ contact: SampleHistory.Contact) -> HistoryLead {
        HistoryLead(contactID: contact.id, createdAt: Timestamp.parse(contact.createdAt)!,
                    profile: Dictionary(uniqueKeysWithValues: contact.profile.map { ($0.0, $0.1.isEmpty ? ProfileValue.missing : .text($0.1)) }),
                    events: contact.events.map { LeadEvent(time: Timestamp.parse($0.timestamp)!, name: $0.event) })
    }

    /// Rules of every kind the seed rules lack: once, caps, windows, two rules on one event, an event never logged,
    /// profile rules on categorical and numeric (`log1p`) fields and on a field nobody has, and inactivity.
    static let richRules = """
        {"name": "rich",
         "events": [
           {"event": "demo_request", "points": 25, "per": "once"},
           {"event": "pricing_page_view", "points": 15, "cap": 45},
           {"event": "pricing_page_view", "points": 10, "window_days": 7},
           {"event": "email_open", "points": 2.5, "window_days": 30, "cap": 6},
           {"event": "quantum_teleport", "points": 3},
           {"event": "never_logged", "points": 100},
           {"event": "unsubscribe", "points": -12}
         ],
         "profile": [
           {"field": "job_title", "equals": "VP, Marketing", "points": 10},
           {"field": "industry", "one_of": ["Software", "Retail"], "points": 5},
           {"field": "company_size", "min": 200, "max": 1000, "points": 8},
           {"field": "country", "equals": "US", "points": 4},
           {"field": "lead_source", "one_of": ["Webinar", "Carrier Pigeon"], "points": -3},
           {"field": "budget", "min": 1, "points": 7}
         ],
         "inactivity": {"days": 14, "points": -6}}
        """

    enum Rules: String, CaseIterable { case none, seed, rich }

    @Test(arguments: [(3, Rules.seed), (0, .none), (5, .seed), (3, .rich), (1, .rich)])
    func oneLeadAtATimeEqualsTheFileWorkflow(explain: Int, rulesKind: Rules) throws {
        let sample = SampleHistory.shared
        let ids = sample.spread(150)
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("leadscore-agree-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let (contacts, events) = try SampleHistory.writeSubset(ids, to: folder)
        try FileHandle(forWritingTo: URL(fileURLWithPath: contacts)).seekToEndAndWrite(Self.extraContacts + "\n")
        try FileHandle(forWritingTo: URL(fileURLWithPath: events)).seekToEndAndWrite(Self.extraEvents + "\n")

        let model = try LeadModel.load(path: TestServer.sampleModel)
        let rules = rulesKind != .none
        var ruleSet: RuleSet?
        switch rulesKind {
        case .none: break
        case .seed: ruleSet = try RuleSetFile.load(path: TestServer.seedRules)
        case .rich:
            let path = folder.appendingPathComponent("rich.json").path
            try Self.richRules.write(toFile: path, atomically: true, encoding: .utf8)
            ruleSet = try RuleSetFile.load(path: path)
        }
        let asOf = Timestamp.parse("2026-06-24")!
        let scoring = HistoryScoring(model: model, contacts: contacts, events: events, asOf: asOf, scale: model.scoreScale,
                                     bands: model.bands, reasons: explain, rules: ruleSet)
        var fileFormatter = ScoredLeadFormatter(format: .json, idColumn: HistoryLeadScorer.idColumn, reasons: explain, rules: rules)
        var bytes: [UInt8] = []
        _ = try scoring.run { try fileFormatter.append($0, to: &bytes) }
        let expected = String(decoding: bytes, as: UTF8.self).split(separator: "\n").map(String.init)

        let scorer = try HistoryLeadScorer(model: model, rules: ruleSet)
        let formatter = ScoredLeadFormatter(format: .json, idColumn: HistoryLeadScorer.idColumn, reasons: explain, rules: rules)
        let leads = ids.map { Self.lead(sample.contact($0)) } + Self.extraLeads()
        #expect(expected.count == leads.count)
        for (lead, line) in zip(leads, expected) {
            var out: [UInt8] = []
            try formatter.appendJSONObject(scorer.score(lead, asOf: asOf, reasons: explain, keepingEarlyEvents: true), to: &out)
            // A lead's own warnings (an unknown level, a number far out of range) are in its answer; a file run
            // reports them once for the file instead.
            var answer = String(decoding: out, as: UTF8.self)
            if let warnings = answer.range(of: #","warnings":["#) { answer = String(answer[..<warnings.lowerBound]) + "}" }
            #expect(answer == line, "\(lead.contactID)")
        }
    }
}

private extension FileHandle {
    func seekToEndAndWrite(_ text: String) throws {
        try seekToEnd()
        try write(contentsOf: Data(text.utf8))
        try close()
    }
}
