/// Cosine similarities of statistics vectors with a reference set.
///
/// With `standardise`, every dimension is first z-scored by the mean and population standard
/// deviation of the pooled rows (view and reference): pooling is what keeps the reference mean
/// from being the zero vector, where a cosine is undefined. A dimension with zero spread becomes 0.
/// Standardised vectors are centred, so their cosines spread over [-1, 1] and rarely reach 0.9;
/// raw log-mel statistics share a sign and an overall level, so their cosines sit close to 1 —
/// the setting in which the paper's threshold of 0.9 makes sense, hence not standardised by default.
public struct DomainSimilarity: Sendable {
    /// The similarity of each view row, and of each reference row (NaN where undefined: a lone
    /// reference row under `nearest` / `clipMean`).
    public var view: [Double]
    public var reference: [Double]

    /// Compares `view` rows with `reference` rows. A zero vector (after standardising) has no
    /// cosine: its index is returned in the error so the caller can name the row.
    public static func compute(view: [[Double]], reference: [[Double]], comparison: DomainComparison,
                               standardise: Bool) throws -> DomainSimilarity {
        var viewRows = view
        var referenceRows = reference
        if standardise { Self.standardise(&viewRows, &referenceRows) }
        if let zero = viewRows.firstIndex(where: { norm($0) == 0 }) { throw ZeroVector(set: .view, index: zero) }
        if let zero = referenceRows.firstIndex(where: { norm($0) == 0 }) { throw ZeroVector(set: .reference, index: zero) }
        switch comparison {
        case .referenceMean:
            let dimension = referenceRows.first?.count ?? 0
            var mean = [Double](repeating: 0, count: dimension)
            for row in referenceRows { for j in 0..<dimension { mean[j] += row[j] } }
            for j in 0..<dimension { mean[j] /= Double(referenceRows.count) }
            guard norm(mean) > 0 else { throw ZeroVector(set: .referenceMean, index: 0) }
            return DomainSimilarity(view: viewRows.map { cosine($0, mean) }, reference: referenceRows.map { cosine($0, mean) })
        case .nearest, .clipMean:
            let reduce: ([Double]) -> Double = comparison == .nearest
                ? { $0.max() ?? .nan }
                : { $0.isEmpty ? .nan : $0.reduce(0, +) / Double($0.count) }
            let viewSimilarity = viewRows.map { row in reduce(referenceRows.map { cosine(row, $0) }) }
            let referenceSimilarity = referenceRows.indices.map { i in
                reduce(referenceRows.indices.filter { $0 != i }.map { cosine(referenceRows[i], referenceRows[$0]) })
            }
            return DomainSimilarity(view: viewSimilarity, reference: referenceSimilarity)
        }
    }

    /// Which set held a vector without a cosine.
    public struct ZeroVector: Error, Equatable {
        public enum Set: Equatable { case view, reference, referenceMean }
        public var set: Set
        public var index: Int
    }

    static func cosine(_ a: [Double], _ b: [Double]) -> Double {
        var dot = 0.0
        for j in a.indices { dot += a[j] * b[j] }
        return dot / (norm(a) * norm(b))
    }

    static func norm(_ a: [Double]) -> Double {
        var sum = 0.0
        for value in a { sum += value * value }
        return sum.squareRoot()
    }

    private static func standardise(_ view: inout [[Double]], _ reference: inout [[Double]]) {
        let dimension = reference.first?.count ?? view.first?.count ?? 0
        let count = Double(view.count + reference.count)
        var mean = [Double](repeating: 0, count: dimension)
        for row in view + reference { for j in 0..<dimension { mean[j] += row[j] } }
        for j in 0..<dimension { mean[j] /= count }
        var spread = [Double](repeating: 0, count: dimension)
        for row in view + reference { for j in 0..<dimension { spread[j] += (row[j] - mean[j]) * (row[j] - mean[j]) } }
        for j in 0..<dimension { spread[j] = (spread[j] / count).squareRoot() }
        let scale = { (row: [Double]) in (0..<dimension).map { j in spread[j] > 0 ? (row[j] - mean[j]) / spread[j] : 0 } }
        view = view.map(scale)
        reference = reference.map(scale)
    }
}
