/// One line of a registry's log: what happened to the registry's current model, when, and why.
///
/// The log is append-only JSON Lines (`log.jsonl`); a record is never edited. A record that would change the current
/// model (a publish, a promotion, a rollback) is written before the pointer is replaced, so a run killed between the
/// two leaves a record whose model never became current: the next write notes it with an ``Action/interrupted``
/// record, and ``ModelRegistry/history()`` reports it as not committed.
public struct RegistryRecord: Codable, Sendable, Equatable {
    /// What a record says happened.
    public enum Action: String, Codable, Sendable {
        /// The registry was made, with its first model.
        case `init`
        /// `retrain` compared a challenger with the champion (and published it, or kept the champion).
        case retrain
        /// A model was made current by hand.
        case promote
        /// The model current before the current one was made current again.
        case rollback
        /// A run stopped after writing its record and before replacing the pointer: its model never became current.
        case interrupted
    }

    /// 1, 2, 3 ... in the order written.
    public var seq: Int
    /// When the record was written (UTC, wall clock).
    public var time: String
    public var action: Action
    /// `retrain` only: `published` or `kept`.
    public var decision: String?
    /// Why, in a sentence.
    public var reason: String
    /// The current model before this record.
    public var previous: String?
    /// The current model after it (when it was committed): the model a publish, promotion or rollback made current,
    /// and the previous one otherwise.
    public var current: String
    /// `retrain` only: the challenger refitted on every decided lead, stored even when kept (it can be promoted later).
    public var challenger: String?
    /// `interrupted` only: the record whose model never became current.
    public var interruptedSeq: Int?
    /// What the data looked like, to tell one month's export from the next.
    public var data: DataFingerprint?
    /// `retrain` only: both models measured on the same recent window.
    public var contest: ContestFigures?

    public init(seq: Int = 0, time: String, action: Action, decision: String? = nil, reason: String, previous: String?, current: String,
                challenger: String? = nil, interruptedSeq: Int? = nil, data: DataFingerprint? = nil, contest: ContestFigures? = nil) {
        self.seq = seq
        self.time = time
        self.action = action
        self.decision = decision
        self.reason = reason
        self.previous = previous
        self.current = current
        self.challenger = challenger
        self.interruptedSeq = interruptedSeq
        self.data = data
        self.contest = contest
    }

    /// Whether this record replaces the current model (and so is followed by a pointer replacement).
    public var changesCurrent: Bool { current != previous }
}

/// A cheap description of the input files (sizes, a hash of their first and last mebibyte) and of what was read from
/// them: enough to see that two runs read the same export, or that this month's is smaller than last month's. Not a
/// hash of every byte, which would cost a second read of the events.
public struct DataFingerprint: Codable, Sendable, Equatable {
    public struct File: Codable, Sendable, Equatable {
        /// The file's name, without its folder.
        public var name: String
        public var bytes: Int64
        /// FNV-1a of the first and the last mebibyte (of all of it, when smaller).
        public var ends: String

        public init(name: String, bytes: Int64, ends: String) {
            self.name = name
            self.bytes = bytes
            self.ends = ends
        }
    }

    public var files: [File]
    public var contacts: Int
    public var decided: Int
    public var won: Int
    public var events: Int
    /// The latest `created_at` or `decided_at` taken into account (the `--as-of` moment, when one was given).
    public var endOfData: String

    public init(files: [File], contacts: Int, decided: Int, won: Int, events: Int, endOfData: String) {
        self.files = files
        self.contacts = contacts
        self.decided = decided
        self.won = won
        self.events = events
        self.endOfData = endOfData
    }
}

/// Champion and challenger on the same recent window of decided leads, as `retrain` logs and prints them.
public struct ContestFigures: Codable, Sendable, Equatable {
    /// One model's figures on the window.
    public struct Model: Codable, Sendable, Equatable {
        public var id: String
        /// ROC AUC with its 95% interval (DeLong's variance).
        public var auc: Double
        public var aucLow: Double
        public var aucHigh: Double
        public var logLoss: Double
        public var brier: Double
        /// Expected calibration error over ten equal-count bins of the probability.
        public var calibrationError: Double
        /// Mean predicted probability, against the window's observed rate.
        public var meanPredicted: Double
        /// The share of the window's conversions among its top 10% by this model.
        public var top10Capture: Double
        /// The end of the data the model was trained on.
        public var dataEnd: String

        public init(id: String, auc: Double, aucLow: Double, aucHigh: Double, logLoss: Double, brier: Double, calibrationError: Double,
                    meanPredicted: Double, top10Capture: Double, dataEnd: String) {
            self.id = id
            self.auc = auc
            self.aucLow = aucLow
            self.aucHigh = aucHigh
            self.logLoss = logLoss
            self.brier = brier
            self.calibrationError = calibrationError
            self.meanPredicted = meanPredicted
            self.top10Capture = top10Capture
            self.dataEnd = dataEnd
        }
    }

    /// The paired test of the two AUCs on the same leads (challenger minus champion).
    public struct Paired: Codable, Sendable, Equatable {
        public var difference: Double
        public var z: Double
        public var pValue: Double

        public init(difference: Double, z: Double, pValue: Double) {
            self.difference = difference
            self.z = z
            self.pValue = pValue
        }
    }

    /// The window: decided leads the challenger was not trained on.
    public struct Window: Codable, Sendable, Equatable {
        /// How it was chosen, in words.
        public var rule: String
        public var from: String
        public var to: String
        public var leads: Int
        public var won: Int
        /// Window leads decided on or before the champion's data ended: the champion may have trained on them.
        public var seenByChampion: Int

        public init(rule: String, from: String, to: String, leads: Int, won: Int, seenByChampion: Int) {
            self.rule = rule
            self.from = from
            self.to = to
            self.leads = leads
            self.won = won
            self.seenByChampion = seenByChampion
        }
    }

    public var window: Window
    public var champion: Model
    /// Trained on the decided leads before the window, with the champion's spec, rules and options.
    public var challenger: Model
    public var delong: Paired

    public init(window: Window, champion: Model, challenger: Model, delong: Paired) {
        self.window = window
        self.champion = champion
        self.challenger = challenger
        self.delong = delong
    }
}
