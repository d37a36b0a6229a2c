/// Which rows become `valid-hard`: those strictly above a cosine threshold, or the most similar
/// fraction.
public enum DomainRule: Equatable, Sendable {
    /// Rows whose similarity is strictly above the threshold (the paper's 0.9).
    case threshold(Double)
    /// The ⌊f·n⌋ most similar rows (at least one), f in (0, 1]; ties by row order.
    case fraction(Double)

    /// Refuses a threshold that is not a finite number in [-1, 1] or a fraction outside (0, 1].
    public func validate() throws {
        switch self {
        case let .threshold(value):
            guard value.isFinite, value >= -1, value <= 1 else {
                throw SplitError.parameter(name: "--threshold", reason: "\(value) is not a cosine in [-1, 1]")
            }
        case let .fraction(value):
            guard value.isFinite, value > 0, value <= 1 else {
                throw SplitError.parameter(name: "--fraction", reason: "\(value) is outside (0, 1]")
            }
        }
    }

    /// Whether each of `similarities` is selected as hard.
    public func select(_ similarities: [Double]) -> [Bool] {
        switch self {
        case let .threshold(value):
            return similarities.map { $0 > value }
        case let .fraction(value):
            let count = max(1, Int((value * Double(similarities.count)).rounded(.down)))
            let order = similarities.indices.sorted { a, b in
                similarities[a] != similarities[b] ? similarities[a] > similarities[b] : a < b
            }
            var hard = [Bool](repeating: false, count: similarities.count)
            for index in order.prefix(count) { hard[index] = true }
            return hard
        }
    }

    /// The parameters recorded in the manifest.
    var parameters: [String: Double] {
        switch self {
        case let .threshold(value): return ["threshold": value]
        case let .fraction(value): return ["fraction": value]
        }
    }
}
