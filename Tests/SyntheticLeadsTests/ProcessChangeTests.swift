import Foundation
@testable import SyntheticLeads
import Testing

/// `--change-at` and its changes: each shows in the files from the date on and does what `datasets/README.md`
/// says, the truth stays the exact probability, and a combination that would do nothing, or something unclear,
/// is refused before anything is generated.
@Suite struct ProcessChangeTests {
    /// 2025-09-01: 243 of the default 540 days in, with 40% of the contacts created before it.
    static let at: Int64 = 1_756_684_800

    func options(_ change: ProcessChange, contacts: Int = 4_000) -> GeneratorOptions {
        GeneratorOptions(contacts: contacts, seed: 7, change: change)
    }

    /// The share won among `outcomes`.
    func winRate(_ outcomes: [GeneratedFiles.Outcome]) -> Double {
        Double(outcomes.filter(\.won).count) / Double(outcomes.count)
    }

    /// Each file's bytes, by name.
    func bytes(_ options: GeneratorOptions) throws -> [String: Data] {
        let folder = TemporaryFolder.make()
        defer { TemporaryFolder.remove(folder) }
        _ = try LeadHistoryGenerator(options: options).write(to: folder)
        return TemporaryFolder.contents(folder)
    }

    @Test func aNewEventAppearsFromTheDateOnAndPredictsWinning() throws {
        let files = try GeneratedFiles(options(ProcessChange(at: Self.at, newEvent: "trial_signup")))
        let rows = files.events.filter { $0.name == "trial_signup" }
        #expect(rows.allSatisfy { $0.time >= Self.at })
        #expect(files.summary.eventCounts["trial_signup"] == rows.count)
        // At most once per contact, for a few percent of the contacts with events from the date on (4.7%).
        let signedUp = Dictionary(rows.map { ($0.contact, $0.time) }, uniquingKeysWith: min)
        #expect(signedUp.count == rows.count)
        let activeAfter = Set(files.events.filter { $0.time >= Self.at }.map(\.contact))
        let share = Double(signedUp.count) / Double(activeAfter.count)
        #expect(share > 0.02 && share < 0.1, "\(share)")
        // Among contacts decided from the date on, those with it before their decision win far more often
        // (35% of 108 against 4.6% of 1,897).
        var with: [GeneratedFiles.Outcome] = [], without: [GeneratedFiles.Outcome] = []
        for (id, outcome) in files.outcomes where outcome.decided >= Self.at {
            if let time = signedUp[id], time < outcome.decided { with.append(outcome) } else { without.append(outcome) }
        }
        #expect(with.count > 50)
        #expect(winRate(with) > 3 * winRate(without), "\(winRate(with)) against \(winRate(without))")
    }

    @Test func aRenamedEventChangesItsNameFromTheDateOnAndNothingElse() throws {
        let renamed = try bytes(options(ProcessChange(at: Self.at, renameEvent: "pricing_page_view=pricing_view"), contacts: 3_000))
        let plain = try bytes(options(ProcessChange(), contacts: 3_000))
        for name in ["contacts.csv", "outcomes.csv", "truth.csv"] {
            #expect(renamed[name] == plain[name], "\(name)")
        }
        // The same rows in the same order, with the new name exactly on the old name's rows from the date on.
        let lines = { (data: Data?) in String(decoding: data ?? Data(), as: UTF8.self).split(separator: "\n") }
        let renamedRows = lines(renamed["events.csv"]), plainRows = lines(plain["events.csv"])
        try #require(renamedRows.count == plainRows.count)
        var before = 0, after = 0
        for (row, original) in zip(renamedRows, plainRows) {
            let fields = row.split(separator: ",", omittingEmptySubsequences: false)
            let atOrAfter = fields[1] >= "2025-09-01"
            if fields[2] == "pricing_page_view" {
                #expect(!atOrAfter, "\(row)")
                before += 1
            } else if fields[2] == "pricing_view" {
                #expect(atOrAfter, "\(row)")
                #expect(row.replacingOccurrences(of: ",pricing_view,", with: ",pricing_page_view,") == String(original))
                after += 1
                continue
            }
            #expect(row == original)
        }
        #expect(before > 100 && after > 100, "\(before) before, \(after) after")
    }

    @Test func aDroppedSourceTakesTwiceItsShareAndConvertsLess() throws {
        let source = "Organic Search"
        let files = try GeneratedFiles(options(ProcessChange(at: Self.at, sourceDrop: source)))
        // lead_source is the seventh field.
        let early = files.contacts.filter { $0.value.created < Self.at }, late = files.contacts.filter { $0.value.created >= Self.at }
        func shares(_ contacts: [String: GeneratedFiles.Contact]) -> [String: Double] {
            Dictionary(contacts.values.map { ($0.fields[6], 1.0 / Double(contacts.count)) }, uniquingKeysWith: +)
        }
        let before = shares(early), after = shares(late)
        // 25.2% before, 52.7% after.
        let ratio = after[source, default: 0] / before[source, default: 1]
        #expect(ratio > 1.7 && ratio < 2.3, "\(ratio)")
        // The population stability index of the lead_source values (the empty one included): 0.33.
        try #require(Set(before.keys) == Set(after.keys))
        let psi = before.keys.reduce(0.0) { sum, value in
            sum + (after[value]! - before[value]!) * log(after[value]! / before[value]!)
        }
        #expect(psi > 0.25, "\(psi)")
        // Its win rate among decided contacts: 7.3% of 381 before, 0.9% of 552 after.
        let wonBefore = early.filter { $0.value.fields[6] == source }.compactMap { files.outcomes[$0.key] }
        let wonAfter = late.filter { $0.value.fields[6] == source }.compactMap { files.outcomes[$0.key] }
        #expect(winRate(wonAfter) < winRate(wonBefore) / 2, "\(winRate(wonAfter)) against \(winRate(wonBefore))")
    }

    /// `truth.csv` is the documented formula applied to the files and the change: the new event's term, the
    /// dropped source's lowered effect, and the renamed event as the type it was.
    @Test func truthIsRecomputedFromTheFilesAndTheChange() throws {
        let change = ProcessChange(at: Self.at, newEvent: "trial_signup", sourceDrop: "Paid Search",
                                   renameEvent: "pricing_page_view=pricing_view")
        let files = try GeneratedFiles(options(change, contacts: 3_000))
        #expect(files.events.contains { $0.name == "trial_signup" } && files.events.contains { $0.name == "pricing_view" })
        var history: [String: [SyntheticEvent]] = [:]
        for event in files.events {
            let kind = switch event.name {
            case "trial_signup": EventKind.newEvent
            case "pricing_view": EventKind.pricingPageView
            default: try #require(EventKind.named(event.name))
            }
            history[event.contact, default: []].append(SyntheticEvent(kind, at: event.time))
        }
        func index(of text: String, in values: [StaticString]) throws -> Int {
            try #require(values.firstIndex { $0.description.replacingOccurrences(of: "\"", with: "") == text }, "\(text)")
        }
        var largest = 0.0, dropped = 0
        for (id, contact) in files.contacts {
            let f = contact.fields
            var persona = Persona(
                jobTitle: try index(of: f[2], in: ProfileCatalog.jobTitles.map(\.csv)),
                industry: try index(of: f[4], in: ProfileCatalog.industries.map(\.csv)),
                country: try index(of: f[5], in: ProfileCatalog.countries.map(\.csv)),
                leadSource: try index(of: f[6], in: ProfileCatalog.leadSources.map(\.csv)),
                companySize: Int(f[3]))
            if contact.created >= Self.at && f[6] == "Paid Search" {
                persona.leadSourceShift = ProcessChange.sourceDropEffect
                dropped += 1
            }
            let cutoff = files.outcomes[id]?.decided ?? files.options.end
            let logOdds = ConversionModel.logOdds(persona: persona, history: history[id] ?? [], before: cutoff, activity: 1)
            largest = max(largest, abs(ConversionModel.probability(logOdds: logOdds) - files.truth[id]!))
        }
        #expect(dropped > 300)
        #expect(largest <= 0.6e-10)
    }

    @Test func theSameChangesGiveTheSameBytes() throws {
        let change = ProcessChange(at: Self.at, newEvent: "trial_signup", sourceDrop: "Paid Search",
                                   renameEvent: "pricing_page_view=pricing_view")
        let first = try bytes(options(change, contacts: 2_000))
        #expect(Set(first.keys) == Set(LeadHistoryGenerator.fileNames))
        #expect(first == (try bytes(options(change, contacts: 2_000))))
    }

    @Test func changesThatCannotApplyAreExplainedInOneLine() {
        func problem(_ change: ProcessChange) -> String? {
            GeneratorOptions(contacts: 10, seed: 1, change: change).problem
        }
        let cases: [(ProcessChange, String)] = [
            (ProcessChange(newEvent: "trial_signup"), "--new-event needs --change-at"),
            (ProcessChange(sourceDrop: "Paid Search", renameEvent: "page_view=visit"), "--source-drop, --rename-event need --change-at"),
            (ProcessChange(at: Self.at), "--change-at changes nothing by itself"),
            (ProcessChange(at: GeneratorOptions.defaultStart, newEvent: "trial_signup"), "2025-01-02 to 2026-06-24"),
            (ProcessChange(at: GeneratorOptions.defaultStart - 86_400, newEvent: "trial_signup"), "2025-01-02 to 2026-06-24"),
            (ProcessChange(at: GeneratorOptions(contacts: 10, seed: 1).end, newEvent: "trial_signup"), "2025-01-02 to 2026-06-24"),
            (ProcessChange(at: Self.at, newEvent: "page_view"), "already writes"),
            (ProcessChange(at: Self.at, newEvent: "trial signup"), "letters, digits"),
            (ProcessChange(at: Self.at, newEvent: ""), "letters, digits"),
            (ProcessChange(at: Self.at, sourceDrop: "paid_social"), "\"Paid Search\", \"Referral\""),
            (ProcessChange(at: Self.at, sourceDrop: ""), "--source-drop must be"),
            (ProcessChange(at: Self.at, renameEvent: "pricing_page_view"), "must be OLD=NEW"),
            (ProcessChange(at: Self.at, renameEvent: "pricing=pricing_view"), "OLD must be one of page_view"),
            (ProcessChange(at: Self.at, renameEvent: "pricing_page_view="), "letters, digits"),
            (ProcessChange(at: Self.at, renameEvent: "page_view=page_view"), "its own name"),
            (ProcessChange(at: Self.at, renameEvent: "page_view=email_open"), "already an event name"),
            (ProcessChange(at: Self.at, newEvent: "visit", renameEvent: "page_view=visit"), "already an event name"),
        ]
        for (change, expected) in cases {
            let message = problem(change)
            #expect(message?.contains(expected) == true, "\(change): \(message ?? "nil")")
            #expect(message?.contains("\n") != true)
        }
        #expect(problem(ProcessChange()) == nil)
        #expect(problem(ProcessChange(at: Self.at, newEvent: "trial_signup", sourceDrop: "Content Syndication",
                                      renameEvent: "demo_request=demo_booked")) == nil)
    }
}
