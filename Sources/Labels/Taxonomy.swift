import ConfigCoding
import Foundation
import Yams

/// A label taxonomy: the unified class list and how each corpus's labels map onto it.
///
/// Loaded from YAML (see `manifests/taxonomies/asc10.yaml`, whose comments state the rules
/// `LabelMerge` applies). A corpus label mapped to `null`, or not listed, is dropped from the
/// unified set; it may still carry a coarse class.
///
/// ```yaml
/// name: asc10
/// classes: [Airport, Bus, Car]
/// mappings:
///   tau2020: {airport: Airport, bus: Bus, tram: null}
/// coarse:
///   name: indoor_outdoor
///   classes: [indoor, outdoor]
///   map: {cas2023: {Bus: indoor, Airport: outdoor}}
/// keepUnlabeled: [cas2023]
/// ```
public struct Taxonomy: Codable, Equatable, Sendable {
    public var name: String
    /// The unified classes; the index of a class is its `meta/label` value.
    public var classes: [String]
    /// corpus → original label → unified class (nil = dropped).
    public var mappings: [String: [String: String?]]
    /// An optional coarser labelling (e.g. indoor/outdoor) stored in `meta/label_coarse`.
    public var coarse: CoarseTaxonomy?
    /// Corpora whose unlabeled rows are kept (with label -1).
    public var keepUnlabeled: [String]

    public init(name: String, classes: [String], mappings: [String: [String: String?]],
                coarse: CoarseTaxonomy? = nil, keepUnlabeled: [String] = []) {
        self.name = name
        self.classes = classes
        self.mappings = mappings
        self.coarse = coarse
        self.keepUnlabeled = keepUnlabeled
    }

    private enum CodingKeys: String, CodingKey {
        case name, classes, mappings, coarse, keepUnlabeled
    }

    /// Strict: an unknown key (`mapping:` for `mappings:`) is an error naming the nearest one.
    public init(from decoder: Decoder) throws {
        var f = try ConfigFields(decoder, defaults: Taxonomy(name: "", classes: [], mappings: [:]))
        try f.require("name", \.name)
        try f.require("classes", \.classes)
        try f.decode("mappings", \.mappings)
        try f.decode("coarse", \.coarse)
        try f.decode("keepUnlabeled", \.keepUnlabeled)
        self = try f.finish()
    }

    /// Parses and validates a taxonomy from YAML text; `source` names it in errors.
    public init(yaml: String, source: String = "<yaml>") throws {
        do {
            self = try YAMLDecoder().decode(Taxonomy.self, from: yaml)
        } catch {
            throw TaxonomyError(source: source, reason: ConfigPath.describe(decodingError: error))
        }
        if let problem = validationProblem { throw TaxonomyError(source: source, reason: problem) }
    }

    /// Loads and validates a taxonomy YAML file.
    public static func load(from url: URL) throws -> Taxonomy {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw TaxonomyError(source: url.relativePath, reason: error.localizedDescription)
        }
        return try Taxonomy(yaml: text, source: url.relativePath)
    }

    /// The first inconsistency (duplicate class, an entry mapping to a class the taxonomy does not
    /// declare …), naming the entry by its key path, or nil.
    public var validationProblem: String? {
        if classes.isEmpty { return "classes: none declared" }
        if let twice = Self.firstDuplicate(classes) { return "classes: '\(twice)' is declared twice" }
        for corpus in mappings.keys.sorted() {
            for (label, target) in (mappings[corpus] ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let target, !classes.contains(target) {
                    return "mappings.\(corpus).\(label): maps to '\(target)', which is not one of the classes"
                        + Self.suggestion(target, among: classes)
                }
            }
        }
        if let coarse {
            if coarse.classes.isEmpty { return "coarse.classes: none declared" }
            if let twice = Self.firstDuplicate(coarse.classes) { return "coarse.classes: '\(twice)' is declared twice" }
            for corpus in coarse.map.keys.sorted() {
                for (label, target) in (coarse.map[corpus] ?? [:]).sorted(by: { $0.key < $1.key })
                where !coarse.classes.contains(target) {
                    return "coarse.map.\(corpus).\(label): maps to '\(target)', which is not one of coarse.classes"
                        + Self.suggestion(target, among: coarse.classes)
                }
            }
        }
        return nil
    }

    static func firstDuplicate(_ names: [String]) -> String? {
        var seen = Set<String>()
        return names.first { !seen.insert($0).inserted }
    }

    static func suggestion(_ name: String, among names: [String]) -> String {
        ConfigKeySuggestion.nearest(to: name, among: names).map { "; did you mean '\($0)'?" } ?? ""
    }

    /// The unified class of `label` in `corpus`, or nil if it is dropped or unknown.
    public func unifiedClass(corpus: String, label: String) -> String? {
        mappings[corpus]?[label] ?? nil
    }

    /// The coarse class of `label` in `corpus`: looked up by the original label first, then by
    /// its unified class; nil if neither is mapped or there is no coarse taxonomy.
    public func coarseClass(corpus: String, label: String) -> String? {
        guard let map = coarse?.map[corpus] else { return nil }
        if let direct = map[label] { return direct }
        return unifiedClass(corpus: corpus, label: label).flatMap { map[$0] }
    }
}
