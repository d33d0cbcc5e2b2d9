package import LeadData
import PostgresNIO

/// What the database says about the inputs of a source description: which columns a table, view or query has, and
/// their types, so that a missing table or column is named with what does exist, and values are read as text the
/// same way every time.
package struct TableCatalog {
    let database: DatabaseConnection

    package init(database: DatabaseConnection) {
        self.database = database
    }

    /// One column: its name, and its type (`pg_type.typname`: `timestamptz`, `text`, `int4`, ...).
    package struct Column: Sendable, Equatable {
        package var name: String
        package var type: String

        /// The value as text, as PostgreSQL writes it. The session's `TimeZone` is UTC and its `DateStyle` ISO, so times
        /// read as ISO 8601 (`2026-03-01 14:05:00+00`, without the offset for `timestamp`, so that the source
        /// description's time zone applies), which the readers parse without a pattern. (`to_char` to the `T` and `Z`
        /// form costs the server 40% more on 50 million events.)
        var textExpression: String { textExpression(in: nil) }

        /// As ``textExpression``, the column named as a column of `alias` (`c."created_at"`) when given.
        func textExpression(in alias: String?) -> String {
            (alias.map { $0 + "." } ?? "") + DatabaseConnection.quoted(name) + "::text"
        }

        /// The value in a chunked read's array: text and times as they are stored (times go as 8 binary bytes, which
        /// leadscore writes as ISO 8601 itself: formatting them cost the server a third of a 50-million-event read),
        /// anything else as text.
        var chunkExpression: String {
            ["text", "varchar", "timestamptz", "timestamp", "date"].contains(type) ? DatabaseConnection.quoted(name) : textExpression
        }

        /// The column in `ORDER BY`: text by bytes (`COLLATE "C"`), so the order does not depend on the server's locale.
        var orderExpression: String { orderExpression(in: nil) }

        /// As ``orderExpression``, the column named as a column of `alias` when given.
        func orderExpression(in alias: String?) -> String {
            let column = (alias.map { $0 + "." } ?? "") + DatabaseConnection.quoted(name)
            return ["text", "varchar", "bpchar", "name"].contains(type) ? column + " COLLATE \"C\"" : column
        }
    }

    /// `"crm"."contacts"`, or the query as a subquery.
    package static func from(_ table: DatabaseTable) -> String {
        switch table.relation {
        case .table(let schema, let name): return (schema.map { DatabaseConnection.quoted($0) + "." } ?? "") + DatabaseConnection.quoted(name)
        case .query(let sql): return "(\(sql)) AS leadscore_query"
        }
    }

    /// The columns of `table` in their order; a table that does not exist is an error that lists those that do, and a
    /// query that does not run is an error with the server's message.
    package func columns(of table: DatabaseTable) async throws(InputError) -> [Column] {
        let relation: String
        switch table.relation {
        case .table:
            relation = Self.from(table)
            let found = try await database.rows("SELECT (to_regclass($1) IS NOT NULL)::text", Self.binds(relation))
            guard found.first?.first == "true" else {
                let tables = try await self.tables()
                let list = tables.isEmpty ? "the database has no tables" : "tables: " + tables.prefix(30).joined(separator: ", ") + (tables.count > 30 ? ", ..." : "")
                throw database.settings.failure("table \(table.shortName) does not exist (\(list))")
            }
        case .query(let sql):
            // A temporary view makes the query's columns and types readable like a table's, without running it.
            do {
                try await database.execute("CREATE OR REPLACE TEMPORARY VIEW leadscore_query AS " + sql)
            } catch {
                throw database.settings.failure("the query does not run: \(error.message)")
            }
            relation = "pg_temp.leadscore_query"
        }
        let rows = try await database.rows("""
            SELECT a.attname::text, t.typname::text FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
            WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped ORDER BY a.attnum
            """, Self.binds(relation))
        return rows.map { Column(name: $0[0] ?? "", type: $0[1] ?? "") }
    }

    /// Whether `table` is an ordinary table (not a view, a partitioned table or a query): one whose pages can be read
    /// in runs by `ctid`.
    package func isPlainTable(_ table: DatabaseTable) async throws(InputError) -> Bool {
        guard case .table = table.relation else { return false }
        let kind = try await database.rows("SELECT relkind::text FROM pg_class WHERE oid = to_regclass($1)", Self.binds(Self.from(table)))
        return kind.first?.first == "r"
    }

    /// The tables and views a user can read, `schema.name` outside the search path's first schema.
    package func tables() async throws(InputError) -> [String] {
        try await database.rows("""
            SELECT (CASE WHEN table_schema = current_schema() THEN table_name ELSE table_schema || '.' || table_name END)::text
            FROM information_schema.tables WHERE table_schema NOT IN ('pg_catalog', 'information_schema')
            ORDER BY table_schema <> current_schema(), 1
            """).compactMap { $0[0] }
    }

    private static func binds(_ text: String) -> PostgresBindings {
        var binds = PostgresBindings()
        binds.append(text)
        return binds
    }
}
