import Foundation
@testable import SyntheticLeads
import Testing

/// One data set the size of the shipped sample, generated once and shared by the tests below.
let sample20k = Result { try GeneratedFiles(GeneratorOptions(contacts: 20_000, seed: 42)) }

/// What the generated files promise: the formats the README documents, a realistic funnel, and truth to check against.
@Suite struct GeneratedSampleTests {
    let files: GeneratedFiles

    init() throws {
        files = try sample20k.get()
    }

    @Test func headersAreTheHistoryFormats() {
        #expect(files.headers["contacts"] == ["contact_id", "created_at", "job_title", "company_size", "industry", "country", "lead_source"])
        #expect(files.headers["events"] == ["contact_id", "timestamp", "event", "campaign"])
        #expect(files.headers["outcomes"] == ["contact_id", "outcome", "decided_at"])
        #expect(files.headers["truth"] == ["contact_id", "probability"])
    }

    @Test func rowCountsMatchTheSummary() {
        let summary = files.summary
        #expect(files.contactOrder.count == 20_000)
        #expect(files.contacts.count == 20_000, "contact ids are unique")
        #expect(files.events.count == summary.events)
        #expect(files.outcomeRows == summary.decided && files.outcomes.count == summary.decided)
        #expect(files.outcomes.values.filter(\.won).count == summary.won)
        #expect(summary.open == 20_000 - summary.decided)
        #expect(files.truthRows == 20_000 && files.truth.count == 20_000)
        #expect(summary.eventCounts.values.reduce(0, +) == summary.events)
        #expect(files.contactOrder.first == "C000001" && files.contactOrder.last == "C020000")
    }

    @Test func everyEventBelongsToAContactAndFollowsItsCreation() throws {
        for event in files.events {
            let contact = try #require(files.contacts[event.contact], "\(event.contact)")
            #expect(event.time >= contact.created)
            #expect(event.time < files.options.end)
        }
    }

    @Test func contactsAreCreatedInOrderWithinTheSpan() {
        var previousDay = Int64.min
        for id in files.contactOrder {
            let created = files.contacts[id]!.created
            #expect(created >= files.options.start && created < files.options.end)
            #expect(created % 60 == 0, "whole minutes")
            #expect(created / 86_400 >= previousDay, "ids follow creation days")
            previousDay = created / 86_400
        }
    }

    @Test func profilesHaveUnknownCompanySizesAndAQuotedTitle() {
        let sizes = files.contacts.values.map { $0.fields[3] }
        let unknown = sizes.filter(\.isEmpty).count
        #expect(unknown > 1_000 && unknown < 3_000)
        #expect(sizes.allSatisfy { $0.isEmpty || Int($0).map { $0 >= 1 } == true })
        #expect(files.contacts.values.contains { $0.fields[2] == "Director, Demand Generation" })
        #expect(files.contacts.values.allSatisfy { !$0.fields[4].isEmpty && !$0.fields[5].isEmpty })
    }

    @Test func outcomesAreDecidedAfterCreationAtAFewPercent() throws {
        for (id, outcome) in files.outcomes {
            let contact = try #require(files.contacts[id])
            #expect(outcome.decided >= contact.created)
            #expect(outcome.decided < files.options.end)
        }
        let decidedShare = Double(files.outcomes.count) / 20_000
        #expect(decidedShare > 0.6 && decidedShare < 0.75)
        let baseRate = files.summary.baseRate
        #expect(baseRate > 0.04 && baseRate < 0.085)
    }

    @Test func truthIsAProbabilityHigherForWonThanLost() {
        #expect(files.truth.values.allSatisfy { $0 > 0 && $0 < 1 })
        var won: [Double] = [], lost: [Double] = []
        for (id, outcome) in files.outcomes {
            if outcome.won { won.append(files.truth[id]!) } else { lost.append(files.truth[id]!) }
        }
        let meanWon = won.reduce(0, +) / Double(won.count)
        let meanLost = lost.reduce(0, +) / Double(lost.count)
        #expect(meanWon > 3 * meanLost)
        // Calibrated: the mean truth among decided contacts is close to the share won.
        let meanDecided = (won.reduce(0, +) + lost.reduce(0, +)) / Double(won.count + lost.count)
        #expect(abs(meanDecided - files.summary.baseRate) < 0.01)
    }

    @Test func eventNamesAreTheDocumentedOnesWithARareOne() {
        let counts = Dictionary(files.events.map { ($0.name, 1) }, uniquingKeysWith: +)
        #expect(Set(counts.keys) == Set(EventKind.allCases.compactMap { $0.name?.description }))
        let referrals = counts["partner_referral", default: 0]
        #expect(referrals > 0 && referrals < 30)
        #expect(counts == files.summary.eventCounts)
        let perContact = Double(files.events.count) / 20_000
        #expect(perContact > 4 && perContact < 7)
    }

    @Test func campaignsAreMostlyEmpty() {
        let named = files.events.filter { !$0.campaign.isEmpty }
        #expect(named.count > 0 && named.count < files.events.count / 4)
        #expect(named.allSatisfy { ["email_click", "webinar_attended", "content_download"].contains($0.name) })
    }

    @Test func eventsAreGroupedByContactButNotSortedByTime() {
        var outOfTimeOrder = 0, contactChanges = 0
        for (previous, event) in zip(files.events, files.events.dropFirst()) {
            if event.time < previous.time { outOfTimeOrder += 1 }
            if event.contact != previous.contact { contactChanges += 1 }
        }
        #expect(outOfTimeOrder > 1_000, "the file is not one time-ordered stream")
        // Mostly grouped: far fewer contact changes than rows (a displaced row adds two).
        #expect(contactChanges < files.events.count / 2)
    }

    @Test func someEventsFollowTheDecisionOnPurpose() {
        var after = 0, atDecision = 0, afterWon = 0
        for event in files.events {
            guard let outcome = files.outcomes[event.contact] else { continue }
            if event.time >= outcome.decided { after += 1 }
            if event.time == outcome.decided { atDecision += 1 }
            if event.time >= outcome.decided && outcome.won { afterWon += 1 }
        }
        #expect(after == files.summary.eventsAfterDecision)
        #expect(atDecision > 50, "some exactly at the cutoff, to catch an off-by-one")
        #expect(afterWon > 2 * files.summary.won, "a few per won contact")
    }
}

/// `truth.csv` is the documented formula applied to the written files, with nothing from at or after the cutoff.
@Suite struct TruthFormulaTests {
    /// The catalog index of a profile value as read back (quotes removed by the CSV reader).
    func index(of text: String, in values: [StaticString]) throws -> Int {
        try #require(values.firstIndex { $0.description.replacingOccurrences(of: "\"", with: "") == text }, "\(text)")
    }

    @Test func truthIsRecomputedFromTheFilesAlone() throws {
        let files = try sample20k.get()
        var history: [String: [SyntheticEvent]] = [:]
        for event in files.events {
            let kind = try #require(EventKind.named(event.name))
            history[event.contact, default: []].append(SyntheticEvent(kind, at: event.time))
        }
        var largest = 0.0
        for (id, contact) in files.contacts {
            let f = contact.fields
            let persona = Persona(
                jobTitle: try index(of: f[2], in: ProfileCatalog.jobTitles.map(\.csv)),
                industry: try index(of: f[4], in: ProfileCatalog.industries.map(\.csv)),
                country: try index(of: f[5], in: ProfileCatalog.countries.map(\.csv)),
                leadSource: try index(of: f[6], in: ProfileCatalog.leadSources.map(\.csv)),
                companySize: Int(f[3]))
            let cutoff = files.outcomes[id]?.decided ?? files.options.end
            let logOdds = ConversionModel.logOdds(persona: persona, history: history[id] ?? [], before: cutoff, activity: 1)
            largest = max(largest, abs(ConversionModel.probability(logOdds: logOdds) - files.truth[id]!))
        }
        // Written with ten decimals.
        #expect(largest <= 0.6e-10)
    }
}
