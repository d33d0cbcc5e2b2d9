import ArgumentParser
import Features
import Foundation
import LeadData
import Training

/// Turns a library error into one line on stderr and the documented exit status.
enum Failure {
    /// Runs `body`; on failure prints `leadscore: error: ...` and exits with the status for that kind of error.
    static func guarding(_ body: () throws -> Void) throws {
        do {
            try body()
        } catch let error as InputError {
            throw fail(error.commandLineMessage, status: 1)
        } catch let error as TrainingError {
            throw fail(error.commandLineMessage, status: 2)
        } catch let error as OutputError {
            throw fail(error.description, status: 3)
        } catch let error as ExitCode {
            throw error
        } catch let error as ValidationError {
            throw error  // a usage error: ArgumentParser prints it with the usage and exits 64
        } catch {
            throw fail("\(error)", status: 1)
        }
    }

    private static func fail(_ message: String, status: Int32) -> ExitCode {
        // One line, whatever the message echoes of the input: control characters escaped, length bounded.
        FileHandle.standardError.write(Data("leadscore: error: \(Echo.line(message))\n".utf8))
        return ExitCode(status)
    }
}
