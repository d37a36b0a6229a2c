import Store

/// The parameters of `pipe split domain`, all recorded in the view's manifest.
public struct DomainSplitOptions: Equatable, Sendable {
    /// The feature column whose statistics are compared; nil = the view's only `features/` column.
    public var feature: String?
    public var statistics: [DomainStatistic] = [.mean, .variance]
    public var comparison: DomainComparison = .referenceMean
    public var standardise = false
    public var rule: DomainRule = .threshold(0.9)
    /// Only the view's rows whose `meta/split` is this value are split (the others keep their
    /// split and get a NaN similarity); nil = every row.
    public var within: String?
    /// Only the reference's rows whose `meta/split` / `meta/source` is this value are the
    /// reference set; nil = every row.
    public var referenceSplit: String?
    public var referenceSource: String?

    public init(feature: String? = nil, statistics: [DomainStatistic] = [.mean, .variance],
                comparison: DomainComparison = .referenceMean, standardise: Bool = false,
                rule: DomainRule = .threshold(0.9), within: String? = nil,
                referenceSplit: String? = nil, referenceSource: String? = nil) {
        self.feature = feature
        self.statistics = statistics
        self.comparison = comparison
        self.standardise = standardise
        self.rule = rule
        self.within = within
        self.referenceSplit = referenceSplit
        self.referenceSource = referenceSource
    }

    /// The split names written.
    public static let hard = "valid-hard"
    public static let easy = "valid-easy"

    /// The manifest's `parameters` (with the resolved feature column and the reference's identity).
    func parameters(feature: String, reference: String, referenceIdentity: ParentIdentity) -> JSONValue {
        var object: [String: JSONValue] = [
            "stage": "split domain",
            "feature": .string(feature),
            "statistics": .array(statistics.map { .string($0.rawValue) }),
            "comparison": .string(comparison.rawValue),
            "standardise": .bool(standardise),
            "within": within.map(JSONValue.string) ?? .null,
            "reference": .string(reference),
            "reference_config_hash": .string(referenceIdentity.configHash),
            "reference_content_sha256": .string(referenceIdentity.contentSHA256),
            "reference_split": referenceSplit.map(JSONValue.string) ?? .null,
            "reference_source": referenceSource.map(JSONValue.string) ?? .null,
            "hard": .string(Self.hard), "easy": .string(Self.easy),
        ]
        for (key, value) in rule.parameters { object[key] = .number(value) }
        return .object(object)
    }
}
