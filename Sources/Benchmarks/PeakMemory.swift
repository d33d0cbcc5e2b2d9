import Foundation
import Scoring
import Workflows

/// The most memory this process has held resident so far (`getrusage`'s `ru_maxrss`), in bytes.
///
/// Linux reports kibibytes and macOS bytes; this hides the difference so benchmark figures compare across machines.
package enum PeakMemory {
    package static var residentBytes: Int {
        var usage = rusage()
        #if os(Linux)
        guard getrusage(RUSAGE_SELF.rawValue, &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss) * 1024
        #else
        guard getrusage(RUSAGE_SELF, &usage) == 0 else { return 0 }
        return Int(usage.ru_maxrss)
        #endif
    }
}
