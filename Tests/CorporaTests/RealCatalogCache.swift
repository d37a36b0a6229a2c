import Foundation
@testable import Corpora
import TestSupport

/// A catalog of a real-metadata corpus (thousands of generated files), built at most once per test
/// class and removed when the class is done: building it is the slow part of those tests.
final class RealCatalogCache {
    private let label: String
    private let build: (URL) throws -> CorpusCatalog
    private var data: TemporaryFolder?
    private var catalog: Result<CorpusCatalog, Error>?

    init(_ label: String, build: @escaping (URL) throws -> CorpusCatalog) {
        self.label = label
        self.build = build
    }

    /// The catalog (or the error building it threw, every time it is asked for).
    func get() throws -> CorpusCatalog {
        if let catalog { return try catalog.get() }
        let result = Result { () throws -> CorpusCatalog in
            let data = try TemporaryFolder(label)
            self.data = data
            return try build(data.url)
        }
        catalog = result
        return try result.get()
    }

    func remove() {
        data?.remove()
        data = nil
        catalog = nil
    }
}

/// Recordings counted by a key (`nil` keys count as "nil").
func tally(_ recordings: [Recording], by key: (Recording) -> String?) -> [String: Int] {
    var result: [String: Int] = [:]
    for r in recordings { result[key(r) ?? "nil", default: 0] += 1 }
    return result
}
