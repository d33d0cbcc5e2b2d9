import LeadData
import Scoring

/// The one pass over an events file: how much it read and how fast.
public struct ExtractionTiming: Codable, Sendable, Equatable {
    public var events: Int
    public var bytes: Int
    public var seconds: Double
    public var eventsPerSecond: Double
    public var megabytesPerSecond: Double

    public init(events: Int, bytes: Int, seconds: Double) {
        self.events = events
        self.bytes = bytes
        self.seconds = seconds
        eventsPerSecond = seconds > 0 ? Double(events) / seconds : 0
        megabytesPerSecond = seconds > 0 ? Double(bytes) / 1e6 / seconds : 0
    }
}
