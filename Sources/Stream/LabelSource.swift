/// Which labels a batch carries: the hard class index (`/meta/label`), a soft target vector
/// (`/targets/<name>`, teacher logits or pseudo-label probabilities), both, or none.
///
/// Why a value and not two flags at the call site: the stream reads only what is asked for, and a
/// trainer mixing hard and soft targets (distillation) must say so once, where the batch is made.
public struct LabelSource: Codable, Equatable, Hashable, Sendable {
    /// Read `/meta/label` (int32, -1 = unlabeled) into `Batch.labels`.
    public var hard: Bool
    /// Read `/targets/<targets>` (float32 [K]) into `Batch.targets`.
    public var targets: String?

    public init(hard: Bool = true, targets: String? = nil) {
        self.hard = hard
        self.targets = targets
    }

    public static let hardLabels = LabelSource(hard: true)
    public static let none = LabelSource(hard: false)
    public static func soft(_ name: String) -> LabelSource { LabelSource(hard: false, targets: name) }
    public static func both(_ name: String) -> LabelSource { LabelSource(hard: true, targets: name) }

    /// The column holding the soft targets, e.g. `targets/teacher`.
    public var targetColumn: String? { targets.map { "targets/\($0)" } }
}
