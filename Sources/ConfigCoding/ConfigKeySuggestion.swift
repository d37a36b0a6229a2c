/// The known key a misspelt one was most likely meant to be.
///
/// Distance is the optimal-string-alignment edit distance (insertions, deletions, substitutions
/// and adjacent transpositions, so `hop_lenght` is one edit from `hop_length`), compared without
/// case. A key is only suggested when it is close (at most a third of the typed key's length, and
/// at least one edit is allowed, and never every character): suggesting `duration` for `normalise` would mislead.
public enum ConfigKeySuggestion {
    public static func nearest(to key: String, among known: some Sequence<String>) -> String? {
        let typed = Array(key.lowercased())
        let limit = max(1, typed.count / 3)
        var best: (key: String, distance: Int)? = nil
        for candidate in known.sorted() {
            let d = distance(typed, Array(candidate.lowercased()))
            // `d < typed.count`: replacing every character is not a misspelling (`B` for `A`).
            if d <= limit, d < typed.count, d < (best?.distance ?? .max) { best = (candidate, d) }
        }
        return best?.key
    }

    /// Optimal string alignment distance between `a` and `b`.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var d = [[Int]](repeating: [Int](repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { d[i][0] = i }
        for j in 0...b.count { d[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                d[i][j] = min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    d[i][j] = min(d[i][j], d[i - 2][j - 2] + 1)
                }
            }
        }
        return d[a.count][b.count]
    }
}
