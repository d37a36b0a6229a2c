import ConfigCoding

/// A coarser labelling layered on a taxonomy, such as indoor/outdoor.
///
/// The ASCMamba system adds an indoor/outdoor classifier as a prior (its Eq. 2), and CAS 2023's
/// classes have only that in common with the pre-training set; this is where that grouping lives.
/// `map` is keyed by corpus, then by the corpus's original label or by a unified class.
public struct CoarseTaxonomy: Codable, Equatable, Sendable {
    public var name: String
    /// The coarse classes; the index of a class is its `meta/label_coarse` value.
    public var classes: [String]
    /// corpus → original label or unified class → coarse class.
    public var map: [String: [String: String]]

    public init(name: String, classes: [String], map: [String: [String: String]]) {
        self.name = name
        self.classes = classes
        self.map = map
    }

    public init(from decoder: Decoder) throws {
        var f = try ConfigFields(decoder, defaults: CoarseTaxonomy(name: "", classes: [], map: [:]))
        try f.require("name", \.name)
        try f.require("classes", \.classes)
        try f.decode("map", \.map)
        self = try f.finish()
    }
}
