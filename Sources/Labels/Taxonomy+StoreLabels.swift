import ConfigCoding

extension Taxonomy {
    /// The entries that match nothing in a store whose rows carry `labels` (corpus → the original
    /// labels of its rows; a corpus with only unlabeled rows maps to an empty set), one sentence
    /// each, naming the entry by its key path.
    ///
    /// These are warnings, not errors: a store may hold a subset of the corpora or classes a
    /// taxonomy knows. But a misspelt label (`airprot: Airport`) silently drops every row it was
    /// meant for, so `labels merge` prints each and records it in its report and the view's manifest.
    public func unmatchedEntries(labels: [String: Set<String>]) -> [String] {
        var warnings: [String] = []
        let corpora = labels.keys.sorted()
        func absent(_ path: String, _ corpus: String) -> String {
            "\(path): the store has no rows of corpus '\(corpus)' (it holds \(corpora.joined(separator: ", ")))"
                + Self.suggestion(corpus, among: corpora)
        }
        for corpus in mappings.keys.sorted() {
            guard let present = labels[corpus] else {
                warnings.append(absent("mappings.\(corpus)", corpus))
                continue
            }
            for label in (mappings[corpus] ?? [:]).keys.sorted() where !present.contains(label) {
                warnings.append("mappings.\(corpus).\(label): matches no label of corpus '\(corpus)' in the store"
                    + Self.suggestion(label, among: present.sorted()))
            }
        }
        for corpus in (coarse?.map ?? [:]).keys.sorted() {
            guard let present = labels[corpus] else {
                warnings.append(absent("coarse.map.\(corpus)", corpus))
                continue
            }
            // A coarse entry is looked up by the original label, then by its unified class.
            let unified = Set(present.compactMap { unifiedClass(corpus: corpus, label: $0) })
            for key in (coarse?.map[corpus] ?? [:]).keys.sorted() where !present.contains(key) && !unified.contains(key) {
                warnings.append("coarse.map.\(corpus).\(key): matches no label of corpus '\(corpus)' in the store"
                    + " nor a class its labels map to" + Self.suggestion(key, among: present.union(unified).sorted()))
            }
        }
        for corpus in keepUnlabeled.sorted() where labels[corpus] == nil {
            warnings.append(absent("keepUnlabeled", corpus))
        }
        return warnings
    }
}
