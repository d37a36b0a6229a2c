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

    public init(from decoder: Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        name = try container.decode(String.self, forKey: .name)
        classes = try container.decode([String].self, forKey: .classes)
        mappings = try container.decodeIfPresent([String: [String: String?]].self, forKey: .mappings) ?? [:]
        coarse = try container.decodeIfPresent(CoarseTaxonomy.self, forKey: .coarse)
        keepUnlabeled = try container.decodeIfPresent([String].self, forKey: .keepUnlabeled) ?? []
    }

    /// Parses and validates a taxonomy from YAML text; `source` names it in errors.
    public init(yaml: String, source: String = "<yaml>") throws {
        do {
            self = try YAMLDecoder().decode(Taxonomy.self, from: yaml)
        } catch {
            throw TaxonomyError(source: source, reason: "\(error)")
        }
        if let problem = validationProblem { throw TaxonomyError(source: source, reason: problem) }
    }

    /// Loads and validates a taxonomy YAML file.
    public static func load(from url: URL) throws -> Taxonomy {
        let text: String
        do { text = try String(contentsOf: url, encoding: .utf8) } catch {
            throw TaxonomyError(source: url.path, reason: error.localizedDescription)
        }
        return try Taxonomy(yaml: text, source: url.path)
    }

    /// The first inconsistency (duplicate class, mapping to an unknown class …), or nil.
    public var validationProblem: String? {
        if classes.isEmpty { return "no classes" }
        if Set(classes).count != classes.count { return "duplicate classes" }
        for corpus in mappings.keys.sorted() {
            for (label, target) in (mappings[corpus] ?? [:]).sorted(by: { $0.key < $1.key }) {
                if let target, !classes.contains(target) {
                    return "\(corpus): '\(label)' maps to '\(target)', which is not in classes"
                }
            }
        }
        if let coarse {
            if coarse.classes.isEmpty || Set(coarse.classes).count != coarse.classes.count {
                return "coarse classes must be non-empty and unique"
            }
            for corpus in coarse.map.keys.sorted() {
                for (label, target) in (coarse.map[corpus] ?? [:]).sorted(by: { $0.key < $1.key })
                where !coarse.classes.contains(target) {
                    return "coarse \(corpus): '\(label)' maps to '\(target)', which is not a coarse class"
                }
            }
        }
        return nil
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
