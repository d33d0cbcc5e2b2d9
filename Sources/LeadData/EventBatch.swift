/// A run of good event rows in file order, as parallel buffers: what
/// ``EventReader/forEachBatch(contacts:policy:skipped:_:)`` hands over, a few hundred rows at a time.
///
/// Batches let a consumer that keeps per-contact state overlap its own cache misses (touch the state of every
/// contact in the batch first, then update it), which a per-row closure cannot. The buffers are valid only
/// during the call.
public struct EventBatch {
    /// The contact of each event (index into ``Contacts``).
    public let contacts: UnsafeBufferPointer<Int32>
    /// When each event happened.
    public let times: UnsafeBufferPointer<Timestamp>
    /// The event code of each row (index into ``EventReader/eventNames``).
    public let events: UnsafeBufferPointer<Int32>

    /// A batch over buffers the caller owns (events held in memory rather than read from a file); all three the same length.
    public init(contacts: UnsafeBufferPointer<Int32>, times: UnsafeBufferPointer<Timestamp>, events: UnsafeBufferPointer<Int32>) {
        precondition(contacts.count == times.count && times.count == events.count, "one contact, time and event per row")
        self.contacts = contacts
        self.times = times
        self.events = events
    }

    /// The number of events in the batch.
    public var count: Int { contacts.count }
}
