import Foundation

/// The facts encoded in a DCASE 2020 Task 2 file name (datasets.md §5.1):
/// `<normal|anomaly>_id_<2-digit machine id>_<8-digit index>.wav`, or `id_<2 digits>_<8 digits>.wav`
/// for the evaluation test files, whose condition is withheld (it is in `eval_data_list.csv`).
public struct DCASE2020T2FileName: Hashable, Sendable {
    public enum Condition: String, Sendable {
        case normal, anomaly
    }

    /// `nil` for an evaluation test file, which drops the prefix.
    public var condition: Condition?
    /// The two digits after `id_`, as written (`"01"`).
    public var machineID: String
    public var index: Int

    /// `nil` unless the name follows the grammar exactly (the baseline's `id_[0-9][0-9]` and globs
    /// `normal_id_XX*.wav` would also take a stray `normal_id_01_copy.wav`; that file is refused here).
    public init?(_ fileName: String) {
        let base = (fileName as NSString).lastPathComponent
        guard FileSystem.isWAV(base) else { return nil }
        var parts = FileSystem.stem(base).split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        if let first = parts.first, let condition = Condition(rawValue: first) {
            self.condition = condition
            parts.removeFirst()
        } else {
            condition = nil
        }
        func digits(_ s: String, _ count: Int) -> Bool {
            s.utf8.count == count && s.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
        }
        guard parts.count == 3, parts[0] == "id", digits(parts[1], 2), digits(parts[2], 8), let index = Int(parts[2]) else {
            return nil
        }
        machineID = parts[1]
        self.index = index
    }

    /// The class of the ESTM classifier: the (machine type, machine ID) pair, `ToyCar/id_01`.
    public static func className(type: String, machineID: String) -> String { "\(type)/id_\(machineID)" }
}
