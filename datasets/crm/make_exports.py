#!/usr/bin/env python3
"""Writes datasets/crm/hubspot/ and datasets/crm/salesforce/: the first 6,000 contacts of the shipped sample
(datasets/sample/) as two CRMs export them, in their own column names, value names and formats, so that leadscore
can be tried on files it was not made for.

HubSpot style (UTF-8, comma-separated):
  contacts.csv    "Record ID", "Create Date" (MM/DD/YYYY HH:MM), "Job Title", "Number of Employees" (with thousands
                  separators), "Industry", "Country/Region", "Original Source", "Lifecycle Stage" (filled in after
                  the deal: "Customer" for every won contact, which leaks the outcome), "Contact owner".
  activities.csv  "Activity ID", "Contact ID", "Activity Date" (MM/DD/YYYY HH:MM), "Activity Type" ("Demo Requested",
                  "Pricing Page Viewed", ...).
  deals.csv       "Deal ID", "Contact ID", "Deal Stage" ("Closed Won", "Closed Lost", or an open stage such as
                  "Appointment Scheduled"), "Close Date" (MM/DD/YYYY; empty while open), "Amount". Some won contacts
                  have a renewal deal a year later; some undecided contacts have an open deal.

Salesforce style (Windows-1252, semicolon-separated, as Excel in much of Europe saves it):
  leads.csv          "Id" (18 characters), "CreatedDate" (2025-01-01T17:33:00.000+0000), "Title",
                     "NumberOfEmployees", "Industry", "Country" (full names, some accented: España, Österreich),
                     "LeadSource", "Status" (filled in after the outcome).
  tasks.csv          "Id", "WhoId", "CompletedDateTime" (DD.MM.YYYY HH:MM, local time in Europe/Berlin), "Subject".
  opportunities.csv  "Id", "ContactId", "StageName", "IsWon", "IsClosed", "CloseDate" (YYYY-MM-DD).

Deterministic: the same sample gives the same bytes. Run from the repository root: python3 datasets/crm/make_exports.py
"""
import csv
import datetime as dt
import os
import random

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SAMPLE = os.path.join(ROOT, "datasets", "sample")
OUT = os.path.join(ROOT, "datasets", "crm")
COUNT = 6000

HUBSPOT_EVENTS = {
    "email_open": "Email Opened", "page_view": "Page Viewed", "pricing_page_view": "Pricing Page Viewed",
    "chat_widget_open": "Chat Started", "content_download": "Content Downloaded", "webinar_attended": "Webinar Attended",
    "demo_request": "Demo Requested", "email_click": "Email Clicked", "unsubscribe": "Unsubscribed",
    "partner_referral": "Partner Referral",
}
SALESFORCE_EVENTS = {
    "email_open": "Email: Opened", "page_view": "Web Visit", "pricing_page_view": "Web Visit: Pricing",
    "chat_widget_open": "Chat", "content_download": "Download: Whitepaper", "webinar_attended": "Webinar: Attended",
    "demo_request": "Demo Request", "email_click": "Email: Clicked", "unsubscribe": "Email: Unsubscribed",
    "partner_referral": "Partner Referral",
}
COUNTRIES = {
    "US": "United States", "UK": "United Kingdom", "DE": "Deutschland", "CA": "Canada", "FR": "France",
    "AU": "Australia", "NL": "Nederland", "IN": "India", "ES": "España", "SE": "Sverige", "BR": "Brasil",
    "IT": "Italia", "JP": "Japan", "SG": "Singapore", "MX": "México", "NZ": "New Zealand", "AT": "Österreich",
}
OPEN_STAGES = ["Appointment Scheduled", "Qualified To Buy", "Presentation Scheduled", "Contract Sent"]
OWNERS = ["Alex Rivera", "Sam Chen", "Jordan Smith", "Taylor Brown"]
BERLIN_OFFSET = {True: 2, False: 1}  # CEST, CET


def parse(text):
    return dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%SZ")


def read(name):
    with open(os.path.join(SAMPLE, name), newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def berlin(t):
    """UTC to Europe/Berlin local time (last Sunday of March to last Sunday of October is summer time)."""
    def last_sunday(year, month):
        d = dt.datetime(year, month + 1, 1) - dt.timedelta(days=1) if month < 12 else dt.datetime(year, 12, 31)
        return d - dt.timedelta(days=(d.weekday() + 1) % 7)
    start = last_sunday(t.year, 3).replace(hour=1)
    end = last_sunday(t.year, 10).replace(hour=1)
    return t + dt.timedelta(hours=BERLIN_OFFSET[start <= t < end])


def write(folder, name, header, rows, encoding="utf-8", delimiter=","):
    os.makedirs(folder, exist_ok=True)
    with open(os.path.join(folder, name), "w", newline="", encoding=encoding) as f:
        out = csv.writer(f, delimiter=delimiter, quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
        out.writerow(header)
        out.writerows(rows)


def main():
    contacts = read("contacts.csv")[:COUNT]
    ids = {c["contact_id"] for c in contacts}
    events = [e for e in read("events.csv") if e["contact_id"] in ids]
    outcomes = {o["contact_id"]: o for o in read("outcomes.csv") if o["contact_id"] in ids}
    random.seed(2026)

    # HubSpot
    record = {c["contact_id"]: str(1200 + 37 * i) for i, c in enumerate(contacts)}
    rows = []
    for c in contacts:
        o = outcomes.get(c["contact_id"])
        stage = "Customer" if o and o["outcome"] == "won" else random.choice(["Lead", "Marketing Qualified Lead", "Subscriber"])
        size = f"{int(c['company_size']):,}" if c["company_size"] else ""
        rows.append([record[c["contact_id"]], parse(c["created_at"]).strftime("%m/%d/%Y %H:%M"), c["job_title"], size,
                     c["industry"], COUNTRIES.get(c["country"], c["country"]), c["lead_source"], stage,
                     random.choice(OWNERS)])
    folder = os.path.join(OUT, "hubspot")
    write(folder, "contacts.csv", ["Record ID", "Create Date", "Job Title", "Number of Employees", "Industry",
                                   "Country/Region", "Original Source", "Lifecycle Stage", "Contact owner"], rows)
    write(folder, "activities.csv", ["Activity ID", "Contact ID", "Activity Date", "Activity Type"],
          [[str(90000 + i), record[e["contact_id"]], parse(e["timestamp"]).strftime("%m/%d/%Y %H:%M"), HUBSPOT_EVENTS[e["event"]]]
           for i, e in enumerate(events)])
    deals = []
    for c in contacts:
        o = outcomes.get(c["contact_id"])
        if o:
            decided = parse(o["decided_at"])
            won = o["outcome"] == "won"
            deals.append([record[c["contact_id"]], "Closed Won" if won else "Closed Lost", decided.strftime("%m/%d/%Y"),
                          f"{random.randint(5, 80) * 500}" if won else ""])
            if won and random.random() < 0.3:
                deals.append([record[c["contact_id"]], "Closed Won", (decided + dt.timedelta(days=365)).strftime("%m/%d/%Y"),
                              f"{random.randint(5, 80) * 500}"])
        elif random.random() < 0.4:
            deals.append([record[c["contact_id"]], random.choice(OPEN_STAGES), "", ""])
    write(folder, "deals.csv", ["Deal ID", "Contact ID", "Deal Stage", "Close Date", "Amount"],
          [[str(500 + i)] + d for i, d in enumerate(deals)])

    # Salesforce
    def sfid(prefix, i):
        return f"{prefix}{i:012d}AAC"[:18]
    lead = {c["contact_id"]: sfid("00Q5g", i) for i, c in enumerate(contacts)}
    rows = []
    for i, c in enumerate(contacts):
        o = outcomes.get(c["contact_id"])
        status = "Closed - Converted" if o and o["outcome"] == "won" else "Closed - Not Converted" if o else random.choice(["Open - Not Contacted", "Working - Contacted"])
        country = COUNTRIES.get(c["country"], c["country"])
        if c["country"] == "DE" and i % 5 == 0:
            country = COUNTRIES["AT"]
        rows.append([lead[c["contact_id"]], parse(c["created_at"]).strftime("%Y-%m-%dT%H:%M:%S.000+0000"), c["job_title"],
                     c["company_size"], c["industry"], country, c["lead_source"], status])
    folder = os.path.join(OUT, "salesforce")
    write(folder, "leads.csv", ["Id", "CreatedDate", "Title", "NumberOfEmployees", "Industry", "Country", "LeadSource", "Status"],
          rows, encoding="cp1252", delimiter=";")
    write(folder, "tasks.csv", ["Id", "WhoId", "CompletedDateTime", "Subject"],
          [[sfid("00T5g", i), lead[e["contact_id"]], berlin(parse(e["timestamp"])).strftime("%d.%m.%Y %H:%M"), SALESFORCE_EVENTS[e["event"]]]
           for i, e in enumerate(events)], encoding="cp1252", delimiter=";")
    opportunities = []
    for c in contacts:
        o = outcomes.get(c["contact_id"])
        if o:
            won = o["outcome"] == "won"
            opportunities.append([lead[c["contact_id"]], "Closed Won" if won else "Closed Lost", "true" if won else "false",
                                  "true", parse(o["decided_at"]).strftime("%Y-%m-%d")])
        elif random.random() < 0.4:
            opportunities.append([lead[c["contact_id"]], random.choice(["Prospecting", "Negotiation/Review"]), "false", "false", ""])
    write(folder, "opportunities.csv", ["Id", "ContactId", "StageName", "IsWon", "IsClosed", "CloseDate"],
          [[sfid("0065g", i)] + o for i, o in enumerate(opportunities)], encoding="cp1252", delimiter=";")


if __name__ == "__main__":
    main()
