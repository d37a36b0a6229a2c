/// What a row's statistics are compared with, by cosine similarity (seed 000 §IV-A leaves it open).
///
/// - `referenceMean` (the default): the mean of the reference rows' statistics vectors — one
///   vector for the whole reference set, the reading of "the statistical distribution of the
///   evaluation set" closest to the paper's text, and O(n) rather than O(n·m).
/// - `nearest`: the highest cosine with any single reference row.
/// - `clipMean`: the mean of the cosines with every reference row.
///
/// For the reference rows themselves (the histogram's second set), `nearest` and `clipMean` leave
/// the row out; `referenceMean` includes it.
public enum DomainComparison: String, CaseIterable, Codable, Sendable {
    case referenceMean = "reference-mean"
    case nearest
    case clipMean = "clip-mean"
}
