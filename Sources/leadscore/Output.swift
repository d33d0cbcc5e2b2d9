import Foundation

/// Writes to standard output without buffering surprises.
func emit(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
}

func emit(_ data: Data) {
    FileHandle.standardOutput.write(data)
}
