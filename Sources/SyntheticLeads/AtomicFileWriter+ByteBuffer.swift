import LeadData

extension AtomicFileWriter {
    /// Appends the rendered bytes of `buffer`.
    func write(_ buffer: ByteBuffer) throws(OutputError) {
        try buffer.withBytes { raw in Result { () throws(OutputError) in try write(raw) } }.get()
    }
}
