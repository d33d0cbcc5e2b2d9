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
        return Table(path: path, columns: selected, rowLines: indices.map { rowLines[$0] })
    }
}
