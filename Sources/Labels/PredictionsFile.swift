import Foundation
import Store

/// Per-row class probabilities of one model: the CSV that `pipe predict` writes and that
/// `pipe labels pseudo` (and any other consumer) reads — one type, so writer and readers agree.
///
/// ```
/// id,Airport,Bus,...,Urban Park[,predicted]
/// cas2023/eval/00001.wav,0.01,0.90,...,0.02,Bus
/// ```
///
/// - `id` is the row's `meta/id`; each id appears once.
/// - one column per class, in the model's class order, holding probabilities: finite, in [0, 1],
///   summing to 1 within `sumTolerance` (float32 softmax outputs written with 9 significant
///   digits sum to 1 within ~1e-6; 1e-4 leaves room for rounding to fewer digits).
/// - an optional last column `predicted`: the class the model predicts (a class name). When
///   absent, the prediction is the most probable class (the first on a tie).
///
/// Reading refuses anything else with the file and the data row (1-based, after the header) named.
public struct PredictionsFile: Equatable, Sendable {
    public var classes: [String]
    public var ids: [String]
    /// probabilities[row][class].
    public var probabilities: [[Double]]
    /// The predicted class index of each row (from `predicted`, or the argmax).
    public var predicted: [Int]
    /// Whether the file had a `predicted` column.
    public var hasPredictedColumn: Bool

    public static let sumTolerance = 1e-4

    public init(classes: [String], ids: [String], probabilities: [[Double]], predicted: [Int]? = nil) {
        self.classes = classes
        self.ids = ids
        self.probabilities = probabilities
        self.predicted = predicted ?? probabilities.map(Self.argmax)
        hasPredictedColumn = predicted != nil
    }

    /// The first index of the largest value.
    public static func argmax(_ values: [Double]) -> Int {
        var best = 0
        for i in values.indices where values[i] > values[best] { best = i }
        return best
    }

    /// The probability of the predicted class of each row (the model's confidence).
    public var confidence: [Double] { zip(probabilities, predicted).map { $0[$1] } }

    /// Reads and checks `url`.
    public static func read(_ url: URL) throws -> PredictionsFile {
        var table = try IdTableCSV(url) { header in
            if header.isEmpty { return "the header must start with 'id' (id,<class names…>[,predicted])" }
            let classes = Array(header.dropFirst().dropLast(header.last == "predicted" ? 1 : 0))
            guard !classes.isEmpty else { return "no class columns" }
            if let empty = classes.first(where: { $0.isEmpty }) ?? Self.duplicate(classes) {
                return "class column '\(empty)' is empty or repeated"
            }
            return nil
        }
        let hasPredicted = table.header.last == "predicted"
        let classes = Array(table.header.dropFirst().dropLast(hasPredicted ? 1 : 0))
        var ids: [String] = []
        var probabilities: [[Double]] = []
        var predicted: [Int] = []
        while let (id, fields) = try table.next() {
            var values: [Double] = []
            for (offset, field) in fields[1...classes.count].enumerated() {
                guard let value = Double(field), value.isFinite, value >= 0, value <= 1 else {
                    throw table.error("id '\(id)': \(classes[offset]) = '\(field)' is not a probability in [0, 1]")
                }
                values.append(value)
            }
            let sum = values.reduce(0, +)
            guard abs(sum - 1) <= sumTolerance else {
                throw table.error("id '\(id)': probabilities sum to \(sum), not 1")
            }
            if hasPredicted {
                guard let index = classes.firstIndex(of: fields[fields.count - 1]) else {
                    throw table.error("id '\(id)': predicted '\(fields[fields.count - 1])' is not a class")
                }
                predicted.append(index)
            } else {
                predicted.append(argmax(values))
            }
            ids.append(id)
            probabilities.append(values)
        }
        var file = PredictionsFile(classes: classes, ids: ids, probabilities: probabilities, predicted: predicted)
        file.hasPredictedColumn = hasPredicted
        return file
    }

    /// The CSV text: the header `id,<classes…>,predicted`, one line per row (probabilities `%.6f`,
    /// the predicted class's name), RFC 4180 quoting, LF line ends, a final newline. Six decimals
    /// (what `pipe predict` has always written): with up to a few hundred classes the rounded
    /// probabilities still sum to 1 well within `sumTolerance`.
    public func csvData(path: String) throws -> Data {
        let rows = ids.indices.map { row in
            [ids[row]] + probabilities[row].map { String(format: "%.6f", $0) } + [classes[predicted[row]]]
        }
        return try CSVText.render(header: ["id"] + classes + ["predicted"], rows: rows, path: path)
    }

    /// Writes `csvData` durably to `url`.
    public func write(to url: URL) throws {
        try DurableFile.write(try csvData(path: url.path), to: url)
    }

    private static func duplicate(_ names: [String]) -> String? {
        var seen = Set<String>()
        return names.first { !seen.insert($0).inserted }
    }
}

/// A predictions or logits file that cannot be used, naming the file and the data row.
public struct PredictionsError: Error, Equatable, CustomStringConvertible {
    public var path: String
    public var row: Int?
    public var reason: String
    public init(path: String, row: Int?, reason: String) {
        self.path = path
        self.row = row
        self.reason = reason
    }
    public var description: String { "\(path)\(row.map { ": row \($0)" } ?? ""): \(reason)" }
}
