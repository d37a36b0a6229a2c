import Foundation

/// Failures of training, prediction and evaluation, each naming the file and the reason.
public enum TrainError: Error, Equatable, CustomStringConvertible, LocalizedError {
    case invalidOptions(String)
    /// A model file that does not fit the store or view it is applied to.
    case incompatible(model: String, reason: String)
    case badFile(path: String, reason: String)
    /// The loss became NaN or infinite: the weights are garbage from here on.
    case diverged(epoch: Int, batch: Int, loss: Double)

    public var description: String {
        switch self {
        case let .invalidOptions(reason): return "invalid training options: \(reason)"
        case let .incompatible(model, reason): return "model \(model) does not fit: \(reason)"
        case let .badFile(path, reason): return "\(path): \(reason)"
        case let .diverged(epoch, batch, loss):
            return "training diverged: loss \(loss) at epoch \(epoch), batch \(batch); lower the learning rate"
        }
    }

    public var errorDescription: String? { description }
}
