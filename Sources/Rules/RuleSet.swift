import Foundation
import LeadData

/// A points-based lead scoring scheme, the way marketing teams write one: points per event, per profile value,
/// a penalty for inactivity, and bands by total points. Read from JSON by ``RuleSetFile``.
public struct RuleSet: Codable, Sendable, Equatable {
    /// A name for reports (default: the file name).
    public var name: String?
    public var events: [EventRule]
    public var profile: [ProfileRule]
    public var inactivity: InactivityRule?
    /// Highest first; the last band has no minimum.
    public var bands: [PointBand]
    /// How points map to a probability, when known (written by `leadscore explain --write-rules`).
    public var calibration: PointsCalibration?
    /// The file the rules were read from, for messages; not part of the rules (not written, not compared).
    public var file: String?

    public init(name: String? = nil, events: [EventRule] = [], profile: [ProfileRule] = [], inactivity: InactivityRule? = nil,
                bands: [PointBand] = PointBand.standard, calibration: PointsCalibration? = nil) {
        self.name = name
        self.events = events
        self.profile = profile
        self.inactivity = inactivity
        self.bands = bands
        self.calibration = calibration
    }

    /// The distinct windows the event rules count in, in seconds, ascending (`Int64.max` for all time).
    public var eventWindowSeconds: [Int64] { Array(Set(events.map(\.windowSeconds))).sorted() }

    /// Every rule as a signal, in file order: events, then profile, then inactivity.
    public var signals: [RuleSignal] {
        var signals: [RuleSignal] = []
        signals.reserveCapacity(events.count + profile.count + 1)
        for (i, rule) in events.enumerated() { signals.append(RuleSignal(rule: .event(rule), index: i)) }
        for (i, rule) in profile.enumerated() { signals.append(RuleSignal(rule: .profile(rule), index: i)) }
        if let inactivity { signals.append(RuleSignal(rule: .inactivity(inactivity), index: 0)) }
        return signals
    }

    public static func == (a: RuleSet, b: RuleSet) -> Bool {
        a.name == b.name && a.events == b.events && a.profile == b.profile && a.inactivity == b.inactivity && a.bands == b.bands
            && a.calibration == b.calibration
    }

    /// The band of a points total.
    public func band(points: Double) -> String {
        bands.first { $0.minPoints.map { points >= $0 } ?? true }?.name ?? bands.last?.name ?? ""
    }

    /// A short hash of what scores leads (rules and bands; not the name or calibration), to recognise the same rules
    /// again: a model trained with a rules file stores it.
    public var fingerprint: String {
        struct Scoring: Encodable { var events: [EventRule]; var profile: [ProfileRule]; var inactivity: InactivityRule?; var bands: [PointBand] }
        let data = (try? DeterministicJSON.encode(Scoring(events: events, profile: profile, inactivity: inactivity, bands: bands))) ?? Data()
        return ContentHash.fnv1a(data)
    }
}

extension RuleSet {
    private enum CodingKeys: String, CodingKey, CaseIterable { case name, events, profile, inactivity, bands, calibration }

    public init(from decoder: any Decoder) throws {
        try StrictDecoding.rejectUnknownKeys(decoder, known: Set(CodingKeys.allCases.map(\.rawValue)))
        let c = try decoder.container(keyedBy: CodingKeys.self)
        name = try c.decodeIfPresent(String.self, forKey: .name)
        events = try c.value(.events, or: [])
        profile = try c.value(.profile, or: [])
        inactivity = try c.decodeIfPresent(InactivityRule.self, forKey: .inactivity)
        bands = try c.value(.bands, or: PointBand.standard)
        calibration = try c.decodeIfPresent(PointsCalibration.self, forKey: .calibration)
    }

    /// Checks what decoding cannot: finite points, sensible caps, windows and ranges, no rule twice, bands in order.
    /// Each message names the key at fault.
    public func validationError() -> String? {
        if events.isEmpty, profile.isEmpty, inactivity == nil { return "the rules file has no rules (\"events\", \"profile\" or \"inactivity\")" }
        var seen: [String: String] = [:]
        for (i, rule) in events.enumerated() {
            let key = "events[\(i)]"
            if rule.event.isEmpty { return "\"\(key).event\" is empty" }
            if !rule.points.isFinite { return "\"\(key).points\" must be a finite number" }
            if let cap = rule.cap, !(cap > 0 && cap.isFinite) { return "\"\(key).cap\" must be a positive number of points" }
            if rule.cap != nil, rule.per == .once { return "\"\(key).cap\" only applies to \"per\": \"occurrence\"" }
            if let days = rule.windowDays, !(1...36_500).contains(days) { return "\"\(key).window_days\" must be from 1 to 36500" }
            let identity = "\(rule.event)|\(rule.windowDays ?? 0)|\(rule.per)"
            if let first = seen[identity] { return "\"\(key)\" repeats \"\(first)\" (same event, window and \"per\"): merge them" }
            seen[identity] = key
        }
        for (i, rule) in profile.enumerated() {
            let key = "profile[\(i)]"
            if rule.field.isEmpty { return "\"\(key).field\" is empty" }
            if !rule.points.isFinite { return "\"\(key).points\" must be a finite number" }
            let ranged = rule.min != nil || rule.max != nil
            let kinds = [rule.equals != nil, rule.oneOf != nil, ranged].filter { $0 }.count
            if kinds != 1 { return "\"\(key)\" needs exactly one of \"equals\", \"one_of\", or \"min\"/\"max\"" }
            if let oneOf = rule.oneOf, oneOf.isEmpty { return "\"\(key).one_of\" is empty" }
            if let low = rule.min, !low.isFinite { return "\"\(key).min\" must be a finite number" }
            if let high = rule.max, !high.isFinite { return "\"\(key).max\" must be a finite number" }
            if let low = rule.min, let high = rule.max, low >= high { return "\"\(key)\": \"min\" must be below \"max\"" }
        }
        if let rule = inactivity {
            if !(1...36_500).contains(rule.days) { return "\"inactivity.days\" must be from 1 to 36500" }
            if !rule.points.isFinite { return "\"inactivity.points\" must be a finite number" }
        }
        if bands.isEmpty { return "\"bands\" is empty: give at least one band, the last without \"min_points\"" }
        for (i, band) in bands.enumerated() {
            if band.name.isEmpty { return "\"bands[\(i)].name\" is empty" }
            if bands[..<i].contains(where: { $0.name == band.name }) { return "\"bands[\(i)].name\": \"\(band.name)\" appears twice" }
            let last = i == bands.count - 1
            switch (band.minPoints, last) {
            case (nil, false): return "\"bands[\(i)].min_points\" is missing: only the last band may have none"
            case (.some, true): return "\"bands[\(i)]\" is the last band and takes every lead below the others: leave out its \"min_points\""
            case (let points?, false):
                if !points.isFinite { return "\"bands[\(i)].min_points\" must be a finite number" }
                if i > 0, let previous = bands[i - 1].minPoints, points >= previous {
                    return "\"bands[\(i)].min_points\" must be below the band before it (\(PointsFormat.points(previous)))"
                }
            case (nil, true): break
            }
        }
        if let calibration, !(calibration.intercept.isFinite && calibration.perPoint.isFinite) {
            return "\"calibration\" must hold finite numbers"
        }
        return nil
    }
}
