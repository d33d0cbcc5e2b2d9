/// Scores grouped into runs of equal value, highest first, with how many rows and conversions each run holds.
///
/// Every ranking statistic in this module works on these groups rather than on rows, so that rows with equal scores
/// are always treated together and the order of the input never matters. Built with two plain sorts and a merge:
/// O(n log n) time, O(n) memory.
struct TieGroups: Sendable {
    /// The distinct scores, from the highest to the lowest.
    var scores: [Double] = []
    /// Rows with each score.
    var rows: [Int] = []
    /// Converted rows with each score.
    var positives: [Int] = []
    /// `rowsBefore[g]` rows score above group `g`; one more entry than there are groups, the last is `totalRows`.
    var rowsBefore: [Int] = [0]
    /// `positivesBefore[g]` converted rows score above group `g`; the last entry is `totalPositives`.
    var positivesBefore: [Int] = [0]

    var totalRows: Int { rowsBefore[rowsBefore.count - 1] }
    var totalPositives: Int { positivesBefore[positivesBefore.count - 1] }
    var count: Int { scores.count }

    init(scores allScores: [Double], labels: [Bool]) {
        precondition(allScores.count == labels.count, "one score per label")
        precondition(!allScores.contains(where: \.isNaN), "scores must not be NaN")
        var positive: [Double] = [], negative: [Double] = []
        positive.reserveCapacity(allScores.count)
        negative.reserveCapacity(allScores.count)
        for (s, y) in zip(allScores, labels) {
            if y { positive.append(s) } else { negative.append(s) }
        }
        positive.sort(by: >)
        negative.sort(by: >)
        var i = 0, j = 0
        while i < positive.count || j < negative.count {
            let top = max(i < positive.count ? positive[i] : -.infinity, j < negative.count ? negative[j] : -.infinity)
            var p = 0, n = 0
            while i < positive.count && positive[i] == top { p += 1; i += 1 }
            while j < negative.count && negative[j] == top { n += 1; j += 1 }
            scores.append(top)
            rows.append(p + n)
            positives.append(p)
            rowsBefore.append(rowsBefore[rowsBefore.count - 1] + p + n)
            positivesBefore.append(positivesBefore[positivesBefore.count - 1] + p)
        }
    }

    /// The expected number of converted rows among ranked positions `from ..< to` (0 is the top-scored row), for a
    /// random order within each tie group.
    ///
    /// Positions may be fractional: a tie group of `c` rows with `p` conversions contributes `p * overlap / c`, where
    /// `overlap` is the length of its part of `from ..< to`. Whole groups add their integer count, so the result is
    /// exact whenever both ends fall on group boundaries.
    func expectedPositives(from: Double, to: Double) -> Double {
        let total = Double(totalRows)
        let a = min(max(from, 0), total), b = min(max(to, 0), total)
        guard b > a else { return 0 }
        let first = groupStarting(atOrBefore: a)
        let last = groupEnding(atOrAfter: b)
        if first == last {
            return Double(positives[first]) * (b - a) / Double(rows[first])
        }
        let head = Double(positives[first]) * (Double(rowsBefore[first + 1]) - a) / Double(rows[first])
        let middle = Double(positivesBefore[last] - positivesBefore[first + 1])
        let tail = Double(positives[last]) * (b - Double(rowsBefore[last])) / Double(rows[last])
        return middle + head + tail
    }

    /// The last group `g` with `rowsBefore[g] <= position` (the group holding `position ..< position + tiny`).
    private func groupStarting(atOrBefore position: Double) -> Int {
        var low = 0, high = count - 1  // answer in low...high
        while low < high {
            let mid = (low + high + 1) / 2
            if Double(rowsBefore[mid]) <= position { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The first group `g` with `rowsBefore[g + 1] >= position` (the group holding `position - tiny ..< position`).
    private func groupEnding(atOrAfter position: Double) -> Int {
        var low = 0, high = count - 1
        while low < high {
            let mid = (low + high) / 2
            if Double(rowsBefore[mid + 1]) >= position { high = mid } else { low = mid + 1 }
        }
        return low
    }
}
