import Stream

/// The stream's batch under a name Foundation's `Stream` class does not shadow.
typealias StreamBatch = Batch
