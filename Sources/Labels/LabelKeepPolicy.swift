/// Which labeled rows `LabelMerge` keeps (`pipe labels merge --keep`).
public enum LabelKeepPolicy: String, Codable, CaseIterable, Sendable {
    /// Rows with a unified class or a coarse class (the latter with `meta/label` = -1).
    case all
    /// Only rows with a unified class.
    case unified
}
