import Foundation
import Randomness
import Store

/// `pipe split unseen-locations`: seed 000's Fig. 4 — the same selection as `MetadataShuffle`
/// (same seed, `within` and fraction give the same rows), with each selected row's location replaced
/// by one drawn uniformly (seeded) from the locations that occur in the reference set but not in the
/// view (for CAS 2023: Nanchang, Shenyang, Guangzhou, Changchun, Tianjin, Taiyuan). Record times
/// are untouched. One view per fraction in `<out>/<x as a percent>/`.
public enum UnseenLocations {
    public static let stage = "unseen-locations"
    public static let column = "meta/location"

    /// The reference's locations absent from the view, sorted ("" is no location and never counts).
    public static func unseen(view: StoreReader, reference: StoreReader) throws -> [String] {
        for table in [view, reference] { _ = try MetadataRewrite.spec(table, column) }
        let seen = Set(try view.readStrings(column))
        return Set(try reference.readStrings(column)).subtracting(seen).subtracting([""]).sorted()
    }

    public static func run(view: URL, reference: URL, within: String, fractions: [Double], seed: UInt64 = 0,
                           out: URL, overwrite: Bool = false) throws -> [MetadataShuffle.Outcome] {
        guard !fractions.isEmpty else { throw SplitError.parameter(name: "--fractions", reason: "no fraction given") }
        for x in fractions where !(x > 0 && x <= 1) {
            throw SplitError.parameter(name: "--fractions", reason: "\(x) is outside (0, 1]")
        }
        let parent = try StoreReader(manifest: view)
        let referenceReader = try StoreReader(manifest: reference)
        let locations = try unseen(view: parent, reference: referenceReader)
        guard !locations.isEmpty else {
            throw SplitError.input(path: referenceReader.manifestURL.path, reason:
                "every location of the reference also occurs in \(parent.manifestURL.path): no unseen location to draw")
        }
        let candidates = try MetadataRewrite.candidates(parent, within: within)
        let originals = try parent.readStrings(column)
        let identity = try referenceReader.manifest.identity()
        var plans: [MetadataRewrite.Plan] = []
        var outcomes: [MetadataShuffle.Outcome] = []
        for x in fractions {
            let key = RowSampling.percentName(x)
            let count = RowSampling.count(fraction: x, of: candidates.count)
            let selected = RowSampling.choose(count, of: candidates.count, seed: seed, key: "split-selection/\(within)/\(key)")
                .map { candidates[$0] }
            var random = Randomness.SplitMix64(seed: seed, key: "\(stage)/\(key)")
            var values: [Int: ColumnValue] = [:]
            for row in selected { values[row] = .string(locations[random.nextInt(below: locations.count)]) }
            let parameters: JSONValue = [
                "stage": "split unseen-locations", "within": .string(within), "fraction": .number(x),
                "seed": .integer(Int64(bitPattern: seed)), "reference": .string(reference.standardizedFileURL.path),
                "reference_config_hash": .string(identity.configHash),
                "reference_content_sha256": .string(identity.contentSHA256),
                "unseen_locations": .array(locations.map(JSONValue.string)),
                "candidates": .integer(Int64(candidates.count)), "selected": .integer(Int64(count)),
            ]
            let plan = MetadataRewrite.Plan(out: out.appendingPathComponent(key),
                                            configHash: try MetadataRewrite.configHash(parent: parent, parameters: parameters),
                                            parameters: parameters, selected: selected, values: [column: values])
            plans.append(plan)
            outcomes.append(.init(fraction: x, folder: plan.out, selected: selected, candidates: candidates.count,
                                  changed: [column: selected.filter { values[$0] != .string(originals[$0]) }.count]))
        }
        try MetadataRewrite.write(parent: parent, stage: stage, plans: plans, overwrite: overwrite) { plan in
            "unseen locations: \(locations.joined(separator: ", "))\n"
                + MetadataShuffle.table(outcomes.filter { $0.folder == plan.out }, within: within)
        }
        return outcomes
    }
}
