import ArgumentParser

/// `--pushdown`, for the commands that learn from contact history (train, features, rules learn): the events are
/// aggregated in the database, so that one row per contact leaves it instead of every event.
struct PushdownOption: ParsableArguments {
    @Flag(help: "With events in a PostgreSQL table (--source): aggregate them in the database, one row per contact, instead of reading every event. The same features; `leadscore sql` prints the statement.")
    var pushdown = false
}
