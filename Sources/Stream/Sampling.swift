/// How an epoch draws its rows.
///
/// - `natural`: every selected row once per epoch (shuffled or not).
/// - `balanced`: as many draws as selected labelled rows, with replacement, each class equally
///   likely (row weight 1 / rows of its class), so a rare class is seen as often as a common one.
///   Needs hard labels; unlabelled rows are never drawn.
/// - `weighted`: like balanced, with the given weight per class name (a class left out weighs 0).
public enum Sampling: Codable, Equatable, Hashable, Sendable {
    case natural
    case balanced
    case weighted([String: Double])
}
