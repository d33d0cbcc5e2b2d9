import Features
import Foundation
import LeadData
import LinearAlgebra
import Scoring
import SyntheticLeads
import Workflows

/// Times history-mode feature extraction on a synthetic history it writes itself: the generator's files in a
/// folder, then contacts, outcomes and the one pass over events.csv exactly as `train` reads them, and the encoding
/// into the design matrix timed on its own.
package struct ExtractionBenchmark: Sendable {
    /// Contacts to generate.
    package var contacts: Int
    /// The generator's event-volume multiplier (1 gives about 5.5 events per contact).
    package var activity: Double
    package var seed: UInt64

    package init(contacts: Int, activity: Double = 1, seed: UInt64 = 7) {
        self.contacts = contacts
        self.activity = activity
        self.seed = seed
    }

    /// What generating and reading the history took.
    package struct Timing: Codable, Sendable {
        package var contacts: Int
        package var activity: Double
        /// Event rows read, and the bytes of events.csv.
        package var events: Int
        package var bytes: Int
        /// The pass over events.csv alone (read, parse, point-in-time accumulation).
        package var seconds: Double
        package var eventsPerSecond: Double
        package var megabytesPerSecond: Double
        /// Everything `train` does before the fit: contacts, outcomes, events and the encoding.
        package var prepareSeconds: Double
        /// Writing the synthetic files (not part of extraction; for context).
        package var generateSeconds: Double
    }

    /// How long turning the accumulated features into the design matrix took: event vocabulary, feature table,
    /// encoding fitted, standardised matrix built (what `train` does after the pass over the events).
    package struct DesignTiming: Codable, Sendable {
        package var rows: Int
        package var features: Int
        package var seconds: Double
    }

    /// The problem with these options, for a person, or nil.
    package var problem: String? {
        GeneratorOptions(contacts: contacts, seed: seed, activity: activity).problem
    }

    /// Generates the history into `folder` (which must exist), then reads it once as `train` does, and once more
    /// encodes the accumulated features on their own to time the design step.
    package func run(in folder: String) throws -> (extract: Timing, design: DesignTiming) {
        let clock = ContinuousClock()
        var start = clock.now
        let generator = LeadHistoryGenerator(options: GeneratorOptions(contacts: contacts, seed: seed, activity: activity))
        _ = try generator.write(to: folder)
        let generateSeconds = (clock.now - start).seconds

        let path = { (name: String) in URL(fileURLWithPath: folder).appendingPathComponent(name).path }
        let training = HistoryTraining(contacts: path("contacts.csv"), events: path("events.csv"), outcomes: path("outcomes.csv"),
                                       holdoutFraction: 0)
        start = clock.now
        let prepared = try training.prepare()
        let prepareSeconds = (clock.now - start).seconds
        let x = prepared.extraction

        // The same steps as HistoryTraining's encoding, timed apart from reading.
        start = clock.now
        let vocabulary = prepared.features.learnVocabulary()
        let table = try prepared.features.table(vocabulary: vocabulary, labels: prepared.examples.won)
        let options = TableEncodingOptions(label: HistoryFeatures.labelColumn, positive: "1", id: HistoryFeatures.idColumn,
                                           minLevelCount: training.spec.profile.minLevelCount)
        let design = try TableEncoding.fit(table, options: options).design(for: table)
        let designSeconds = (clock.now - start).seconds

        let extract = Timing(contacts: contacts, activity: activity, events: x.events, bytes: x.bytes, seconds: x.seconds,
                             eventsPerSecond: x.eventsPerSecond, megabytesPerSecond: x.megabytesPerSecond,
                             prepareSeconds: prepareSeconds, generateSeconds: generateSeconds)
        return (extract, DesignTiming(rows: design.features.rows, features: design.features.columns, seconds: designSeconds))
    }
}
