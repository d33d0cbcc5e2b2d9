import LeadData

/// The event types the generator writes into `events.csv`, with their names as they appear there.
///
/// Only the generator knows this list: the readers and the feature extraction take any event names.
package enum EventKind: UInt8, CaseIterable, Sendable {
    case pageView, pricingPageView, emailOpen, emailClick, contentDownload, webinarAttended, demoRequest, unsubscribe
    /// Opening the site's chat widget: unrelated to intent and to the outcome, pure noise.
    case chatWidgetOpen
    /// A partner passes the lead on: rare on purpose (a handful per 20,000 contacts), to exercise rare event types (too
    /// few even to pool, so the trainer drops them).
    case partnerReferral
    /// The event type that exists only with `--new-event`, from the change date on, under the name the option
    /// gives (see ``ProcessChange/newEvent``): a type a model trained before the date has never seen.
    case newEvent

    /// The name in `events.csv` (unless `--rename-event` renames it from the change date on); nil for
    /// ``newEvent``, whose name is the option's.
    package var name: StaticString? {
        switch self {
        case .pageView: "page_view"
        case .pricingPageView: "pricing_page_view"
        case .emailOpen: "email_open"
        case .emailClick: "email_click"
        case .contentDownload: "content_download"
        case .webinarAttended: "webinar_attended"
        case .demoRequest: "demo_request"
        case .unsubscribe: "unsubscribe"
        case .chatWidgetOpen: "chat_widget_open"
        case .partnerReferral: "partner_referral"
        case .newEvent: nil
        }
    }

    /// The type named `name` in `events.csv` by default; nil for any other name.
    static func named(_ name: String) -> EventKind? {
        allCases.first { $0.name?.description == name }
    }

    /// Whether the contact did something on purpose (the process's notion of activity): web visits, forms,
    /// clicks, webinars; not email opens (machines record many of them) and not the chat widget (noise). Nor
    /// ``newEvent``: it is added on top of a contact's behaviour, which up to the decision stays what it
    /// would have been without it.
    var isActivity: Bool {
        switch self {
        case .pageView, .pricingPageView, .emailClick, .contentDownload, .webinarAttended, .demoRequest: true
        case .emailOpen, .unsubscribe, .chatWidgetOpen, .partnerReferral, .newEvent: false
        }
    }
}

/// The optional `campaign` column of an event: which email, webinar or asset it came from.
struct Campaign: Equatable, Comparable {
    /// Kind in the top byte, a month number (`year * 12 + month - 1`) or asset number below; 0 = no campaign.
    let raw: UInt32

    static let none = Campaign(raw: 0)

    private enum Kind: UInt32 { case nurture = 1, webinar, asset, winBack }

    /// The ebooks and guides behind `content_download`.
    private static let assets: [StaticString] = [
        "ebook-roi-guide", "ebook-buyers-checklist", "report-benchmark-2025", "guide-lead-scoring-playbook",
    ]
    static let assetCount = assets.count

    private init(raw: UInt32) {
        self.raw = raw
    }

    private init(_ kind: Kind, _ value: Int) {
        raw = kind.rawValue << 24 | UInt32(value)
    }

    /// The nurture email sent in the month of `epochSeconds`: `nurture-2025-03`.
    static func nurture(sentAt epochSeconds: Int64) -> Campaign { Campaign(.nurture, monthNumber(epochSeconds)) }
    /// The webinar held in the month of `epochSeconds`: `webinar-2025-03`.
    static func webinar(heldAt epochSeconds: Int64) -> Campaign { Campaign(.webinar, monthNumber(epochSeconds)) }
    /// Asset `index` (below ``assetCount``).
    static func asset(_ index: Int) -> Campaign { Campaign(.asset, index) }
    /// The re-engagement emails a lost lead receives: `win-back`.
    static let winBack = Campaign(.winBack, 0)

    /// Most events have no campaign: the field is empty.
    var isEmpty: Bool { raw == 0 }

    /// The longest rendering, for buffer reservations.
    static let maxBytes = 32

    /// Writes the campaign name (nothing for ``none``).
    func write(to row: inout RowWriter) {
        let value = Int(raw & 0x00FF_FFFF)
        switch Kind(rawValue: raw >> 24) {
        case nil: break
        case .nurture?:
            row.text("nurture-")
            Self.writeMonth(value, to: &row)
        case .webinar?:
            row.text("webinar-")
            Self.writeMonth(value, to: &row)
        case .asset?: row.text(Self.assets[value])
        case .winBack?: row.text("win-back")
        }
    }

    static func < (a: Campaign, b: Campaign) -> Bool { a.raw < b.raw }

    private static func monthNumber(_ epochSeconds: Int64) -> Int {
        let date = Timestamp.civilFromDays(epochSeconds / UTCTimestamp.secondsPerDay)
        return Int(date.year) * 12 + date.month - 1
    }

    private static func writeMonth(_ number: Int, to row: inout RowWriter) {
        row.zeroPadded(number / 12, width: 4)
        row.byte(UInt8(ascii: "-"))
        row.zeroPadded(number % 12 + 1, width: 2)
    }
}

/// One generated event: when, what, and from which campaign.
struct SyntheticEvent {
    var time: Int64
    var kind: EventKind
    var campaign: Campaign

    init(_ kind: EventKind, at time: Int64, campaign: Campaign = .none) {
        self.time = time
        self.kind = kind
        self.campaign = campaign
    }

    /// Export order within a contact: by time, ties broken so that the order is total.
    static func precedes(_ a: SyntheticEvent, _ b: SyntheticEvent) -> Bool {
        if a.time != b.time { return a.time < b.time }
        if a.kind != b.kind { return a.kind.rawValue < b.kind.rawValue }
        return a.campaign < b.campaign
    }
}
