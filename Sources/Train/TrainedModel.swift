import Foundation
import Store
import Stream

/// A model file (`pipe train --out MODEL`): the network, its input scaling, and what it was trained
/// on (feature column and shape, class list, the store's config hash), so `pipe predict` refuses a
/// view it does not fit instead of producing probabilities for the wrong classes or features.
public struct TrainedModel: Codable, Equatable, Sendable {
    public static let formatVersion = 1
    public var formatVersion = Self.formatVersion
    public var model = "mlp-band-statistics"
    public var features: String
    public var featureShape: [Int]
    public var classes: [String]
    /// The root store's config hash the training rows came from.
    public var storeConfigHash: String
    public var standardizer: Standardizer
    public var network: MLPClassifier
    public var options: TrainOptions
    public var optimizer: Optimizer
    /// Where the training stream stands (the next batch), for a resumed run.
    public var position: StreamPosition

    public func write(to url: URL) throws {
        try DurableFile.writeJSON(self, to: url)
    }

    public static func load(from url: URL) throws -> TrainedModel {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw TrainError.badFile(path: url.path, reason: "cannot read (\(error.localizedDescription))")
        }
        let model: TrainedModel
        do { model = try JSONDecoder().decode(TrainedModel.self, from: data) } catch {
            throw TrainError.badFile(path: url.path, reason: "not a model file of this version (\(error))")
        }
        guard model.formatVersion == formatVersion else {
            throw TrainError.badFile(path: url.path, reason: "model format \(model.formatVersion), this build reads \(formatVersion)")
        }
        guard model.network.weights.count == model.network.parameterCount,
              model.network.inputs == BandStatistics.width(featureShape: model.featureShape),
              model.standardizer.mean.count == model.network.inputs, model.network.classes == model.classes.count else {
            throw TrainError.badFile(path: url.path, reason: "its weights do not match its own shapes")
        }
        return model
    }

    /// Why this model cannot be applied to `table`, or nil.
    func mismatch(with reader: StoreReader) -> String? {
        guard let spec = reader.columns.first(where: { $0.name == features }) else {
            return "\(reader.manifestURL.path) has no column '\(features)'"
        }
        if spec.isVariableLength {
            return "'\(features)' holds whole recordings of their own lengths \(spec.shapeDescription) there; the MLP predicts fixed-length rows (train a CNN with --crop)"
        }
        if spec.rowShape != featureShape { return "'\(features)' is \(spec.rowShape) there, the model was trained on \(featureShape)" }
        if reader.classes != classes {
            return "the classes there are [\(reader.classes.joined(separator: ", "))], the model's [\(classes.joined(separator: ", "))]"
        }
        return nil
    }
}

extension StoreReader {
    /// The config hash of the store at the root of a view chain.
    var rootConfigHash: String {
        var reader = self
        while let parent = reader.parent { reader = parent }
        return reader.manifest.configHash
    }
}
