import Foundation

extension TAUSetup {
    /// Resolves every listed file in `corpus` and makes a recording of each one found, for both TAU
    /// recipes. Files are resolved in reading order (file in `readingOrder`, then line), so which of
    /// two spellings of one id wins does not depend on a dictionary's order, and the problems
    /// (rejected, missing, not a WAV, a repeated id) are issues in that order too, each at the fold
    /// line when there is one (the listing a user acts on), else at the `meta.csv` line.
    static func resolve<Entry>(_ entries: [String: Entry], in corpus: CorpusFolder, corpusName: String,
                               readingOrder: [String], metaURL: URL,
                               metaListing: KeyPath<Entry, Listing?>, foldListing: KeyPath<Entry, Listing?>,
                               recording: (_ id: String, _ url: URL, _ entry: Entry) -> Recording)
        -> (recordings: [Recording], issues: [CorpusIssue]) {
        func order(_ listing: Listing?) -> (Int, Int) {
            (listing.flatMap { readingOrder.firstIndex(of: $0.file.path) } ?? 0, listing?.line ?? 0)
        }
        var recordings: [Recording] = []
        var problems: [(file: Int, line: Int, issue: CorpusIssue)] = []
        var firstOfID: [String: String] = [:]
        let sorted = entries.sorted {
            order($0.value[keyPath: metaListing] ?? $0.value[keyPath: foldListing])
                < order($1.value[keyPath: metaListing] ?? $1.value[keyPath: foldListing])
        }
        for (fileName, entry) in sorted {
            let listing = entry[keyPath: foldListing] ?? entry[keyPath: metaListing]
            func problem(_ reason: String) {
                let at = order(listing)
                problems.append((at.0, at.1, CorpusIssue(path: listing?.file.path ?? metaURL.path, line: listing?.line, reason: reason)))
            }
            let url: URL
            switch corpus.resolve(fileName) {
            case .rejected(let reason):
                problem(reason)
                continue
            case .missing:
                problem("\(fileName) is listed but missing")
                continue
            case .file(_, let found):
                url = found
            }
            guard FileSystem.isWAV(fileName) else { problem("\(fileName) is listed but missing"); continue }
            let id = "\(corpusName)/\(FileSystem.stem(fileName))"
            if let first = firstOfID[id] {
                problem("\(fileName) has the same id \(id) as \(first); skipped")
                continue
            }
            firstOfID[id] = fileName
            recordings.append(recording(id, url, entry))
        }
        return (recordings, problems.sorted { ($0.file, $0.line) < ($1.file, $1.line) }.map { $0.issue })
    }
}
