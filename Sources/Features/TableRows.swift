package import LeadData

extension Table {
    /// The rows at `indices`, in that order, as a new table (for holdouts and folds).
    package func selectingRows(_ indices: [Int]) -> Table {
        let selected = columns.map { column -> TableColumn in
            switch column.values {
            case .numeric(let values):
                return TableColumn(name: column.name, values: .numeric(indices.map { values[$0] }))
            case .categorical(let codes, let levels):
                return TableColumn(name: column.name, values: .categorical(codes: indices.map { codes[$0] }, levels: levels))
            }
        }
        var table = Table(path: path, columns: selected, rowLines: indices.map { rowLines[$0] })
        table.notes = notes
        return table
    }
}

extension Table {
    /// The rows whose `label` value is won or lost by `values`, with the label rewritten as `1` (won) or `0` (lost),
    /// and the number of rows left out as neither (still open, such as an open deal stage).
    package func decided(label: String, by values: OutcomeValues) throws(InputError) -> (table: Table, open: Int) {
        guard let column = column(named: label) else {
            throw InputError(file: path, line: 1, message: "missing column \(Echo.quoted(label)) (the label)")
        }
        guard case .categorical(let codes, let levels) = column.values else {
            throw InputError(file: path, line: nil, message: "the label column \(Echo.quoted(label)) must be read as text (categorical)")
        }
        let decision = levels.map { level in Array(level.utf8).withUnsafeBufferPointer { values.decision($0) } }
        let kept = codes.indices.filter { decision[Int(codes[$0])] != nil }
        let selected = selectingRows(kept)
        let labels = TableColumn(name: label, values: .categorical(codes: kept.map { decision[Int(codes[$0])]! ? 1 : 0 }, levels: ["0", "1"]))
        var decided = Table(path: path, columns: selected.columns.map { $0.name == label ? labels : $0 }, rowLines: selected.rowLines)
        decided.notes = notes
        return (decided,
                codes.count - kept.count)
    }
}
