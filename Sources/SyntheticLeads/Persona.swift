import Foundation
import LeadData

/// A contact's profile: the `contacts.csv` fields other than id and creation time.
struct Persona {
    /// Indexes into ``ProfileCatalog``'s tables.
    var jobTitle: Int
    var industry: Int
    var country: Int
    var leadSource: Int
    /// Employees; nil = unknown (an empty field).
    var companySize: Int?
    /// Added to the lead source's effect in ``fit``: ``ProcessChange/sourceDropEffect`` for a contact of the
    /// `--source-drop` source created from the change date on, 0 otherwise.
    var leadSourceShift = 0.0

    init(jobTitle: Int, industry: Int, country: Int, leadSource: Int, companySize: Int?) {
        self.jobTitle = jobTitle
        self.industry = industry
        self.country = country
        self.leadSource = leadSource
        self.companySize = companySize
    }

    /// Draws a persona: categorical fields independently with the catalog's shares; company size log-normal
    /// around the industry's median (sd 1.4 in log), smaller for founders and CEOs, unknown for 8% of
    /// contacts and 40% of students. Lead sources are drawn with `leadSourceShares` (cumulative), the catalog's
    /// unless `--source-drop` changes them.
    init(using random: inout SeededGenerator, leadSourceShares: [Double] = ProfileCatalog.leadSourceCumulative) {
        jobTitle = random.pick(ProfileCatalog.jobTitleCumulative)
        industry = random.pick(ProfileCatalog.industryCumulative)
        country = random.pick(ProfileCatalog.countryCumulative)
        leadSource = random.pick(leadSourceShares)
        var median = ProfileCatalog.industries[industry].medianEmployees
        if jobTitle == ProfileCatalog.founder { median *= 0.3 }
        if jobTitle == ProfileCatalog.ceo { median *= 0.5 }
        let employees = Int((median * exp(1.4 * random.normal())).rounded())
        let unknown = random.bernoulli(jobTitle == ProfileCatalog.student ? 0.40 : 0.08)
        companySize = unknown ? nil : min(max(employees, 1), 200_000)
    }

    /// The profile's fit, in log-odds: job title + industry + lead source effects (country has none).
    var fit: Double {
        ProfileCatalog.jobTitles[jobTitle].effect + ProfileCatalog.industries[industry].effect
            + ProfileCatalog.leadSources[leadSource].effect + leadSourceShift
    }

    /// The company-size term, in log-odds: 0.3 per unit of log employees around 300 (about -1 at 10 employees,
    /// +1 at 10,000), -0.2 when unknown.
    var sizeEffect: Double {
        guard let companySize else { return -0.2 }
        return 0.3 * log(Double(companySize) / 300)
    }

    /// The longest CSV rendering of the profile fields, for buffer reservations.
    static let maxBytes = 160

    /// Writes `job_title,company_size,industry,country,lead_source` (no leading or trailing comma).
    func write(to row: inout RowWriter) {
        row.text(ProfileCatalog.jobTitles[jobTitle].csv)
        row.byte(UInt8(ascii: ","))
        if let companySize { row.decimal(companySize) }
        row.byte(UInt8(ascii: ","))
        row.text(ProfileCatalog.industries[industry].csv)
        row.byte(UInt8(ascii: ","))
        row.text(ProfileCatalog.countries[country].csv)
        row.byte(UInt8(ascii: ","))
        row.text(ProfileCatalog.leadSources[leadSource].csv)
    }
}
