/// Which rows of a store or view a stream draws from. Every non-nil field must hold for a row to be
/// kept; a nil field does not filter (and its column is not read).
///
/// - `splits`: values of `/meta/split` (train, validation, test, unlabeled, unused).
/// - `labeled`: true keeps rows with `/meta/label >= 0`, false keeps the unlabeled ones.
/// - `variants`: values of `/meta/variant` (0 = the original clip, k = its k-th augmented copy).
/// - `classes`: class names (from the manifest's class list) whose rows are kept.
/// - `corpora`: values of `/meta/source`, the corpus a row came from.
public struct RowFilter: Codable, Equatable, Hashable, Sendable {
    public var splits: [String]?
    public var labeled: Bool?
    public var variants: [Int]?
    public var classes: [String]?
    public var corpora: [String]?

    public init(splits: [String]? = nil, labeled: Bool? = nil, variants: [Int]? = nil,
                classes: [String]? = nil, corpora: [String]? = nil) {
        self.splits = splits
        self.labeled = labeled
        self.variants = variants
        self.classes = classes
        self.corpora = corpora
    }

    /// Keeps every row.
    public static let all = RowFilter()

    /// The metadata columns this filter reads.
    public var columns: [String] {
        var names: [String] = []
        if splits != nil { names.append("meta/split") }
        if labeled != nil || classes != nil { names.append("meta/label") }
        if variants != nil { names.append("meta/variant") }
        if corpora != nil { names.append("meta/source") }
        return names
    }
}
