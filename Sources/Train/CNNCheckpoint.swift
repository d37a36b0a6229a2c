import Foundation
import Store
import Stream

/// A CNN checkpoint (`DIR/epoch-NNN.h5`, and the final model `pipe train --model cnn --out MODEL.h5`):
/// everything a resumed run or `pipe predict` needs, in one HDF5 file written by the store's own
/// `ShardWriter` (one row; byte-identical for identical content):
///
/// | dataset | shape | holds |
/// |---|---|---|
/// | `weights/parameters` | [1, P] float32 | every trained value, layer by layer (`ConvNet`) |
/// | `weights/state` | [1, S] float32 | BatchNorm running means and variances |
/// | `optimizer/first` | [1, P] float32 | SGD momentum, or Adam's first moment |
/// | `optimizer/second` | [1, P] float32 | Adam's second moment (zeros for SGD) |
///
/// and the root attribute `checkpoint`: the JSON `Header` (format version, model kind, layout,
/// features and their shape, classes, the store's config hash, the training options, the
/// optimizer's step, the stream position). A checkpoint of another model kind, another format
/// version or other shapes is refused by `load` naming the file.
public struct CNNCheckpoint: Equatable, Sendable {
    public static let formatVersion = 1
    public static let attribute = "checkpoint"

    public struct Header: Codable, Equatable, Sendable {
        public var formatVersion = CNNCheckpoint.formatVersion
        public var model = "cnn"
        public var architecture: CNNArchitecture
        public var features: String
        public var featureShape: [Int]
        public var classes: [String]
        public var storeConfigHash: String
        public var options: TrainOptions
        /// The optimizer without its moment vectors (those are datasets).
        public var optimizer: Optimizer
        public var position: StreamPosition
        public var parameterCount: Int
        public var stateCount: Int
    }

    public var header: Header
    public var parameters: [Float]
    public var state: [Float]

    public var classes: [String] { header.classes }
    public var features: String { header.features }
    public var position: StreamPosition { header.position }
    public var optimizer: Optimizer {
        get { header.optimizer }
        set { header.optimizer = newValue }
    }

    public var inputShape: MapShape {
        MapShape(channels: header.featureShape[0], height: header.featureShape[1], width: header.featureShape[2])
    }

    /// The network with these weights (each call builds fresh layers, so predictions on several
    /// threads never share activations).
    public func network() -> ConvNet {
        let net = ConvNet(architecture: header.architecture, input: inputShape, classes: classes.count, seed: 0)
        net.parameters = parameters
        net.state = state
        return net
    }

    public func write(to url: URL) throws {
        let name = url.deletingPathExtension().lastPathComponent
        guard url.pathExtension == "h5" else { throw TrainError.badFile(path: url.path, reason: "a CNN checkpoint's name must end in .h5") }
        let p = parameters.count
        var moments = (header.optimizer.first, header.optimizer.second)
        if moments.0.count != p { moments.0 = [Float](repeating: 0, count: p) }
        if moments.1.count != p { moments.1 = [Float](repeating: 0, count: p) }
        var stripped = header
        stripped.optimizer.first = []
        stripped.optimizer.second = []
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let json = String(decoding: try encoder.encode(stripped), as: UTF8.self)
        let schema = [
            ColumnSpec(name: "weights/parameters", dtype: .float32, rowShape: [p]),
            ColumnSpec(name: "weights/state", dtype: .float32, rowShape: [max(state.count, 1)]),
            ColumnSpec(name: "optimizer/first", dtype: .float32, rowShape: [p]),
            ColumnSpec(name: "optimizer/second", dtype: .float32, rowShape: [p]),
        ]
        // Built in a private folder beside the target (ShardWriter's atomic commit, plus the sidecar
        // a store's manifest needs and a checkpoint does not), then renamed into place: a run killed
        // at any moment leaves the previous checkpoints and at most that hidden folder.
        let directory = url.deletingLastPathComponent()
        let staging = directory.appendingPathComponent(".\(name).\(ProcessInfo.processInfo.processIdentifier).checkpoint-tmp")
        try? FileManager.default.removeItem(at: staging)
        defer { try? FileManager.default.removeItem(at: staging) }
        let writer = try ShardWriter(directory: staging, name: name, schema: schema, rowCount: 1,
                                     attributes: [Self.attribute: json])
        try writer.write(row: ["weights/parameters": .float32(parameters), "weights/state": .float32(state.isEmpty ? [0] : state),
                               "optimizer/first": .float32(moments.0), "optimizer/second": .float32(moments.1)], at: 0)
        _ = try writer.commit()
        guard rename(writer.finalURL.path, url.path) == 0 else {
            throw TrainError.badFile(path: url.path, reason: "cannot move the checkpoint into place (\(String(cString: strerror(errno))))")
        }
    }

    public static func load(from url: URL) throws -> CNNCheckpoint {
        let reader: ShardReader
        do { reader = try ShardReader(url: url) } catch {
            throw TrainError.badFile(path: url.path, reason: "not a readable checkpoint (\(error))")
        }
        guard let json = reader.attributes[attribute] else {
            throw TrainError.badFile(path: url.path, reason: "no '\(attribute)' attribute: not a CNN checkpoint of pipe train")
        }
        let header: Header
        do { header = try JSONDecoder().decode(Header.self, from: Data(json.utf8)) } catch {
            throw TrainError.badFile(path: url.path, reason: "its checkpoint header does not decode (\(error))")
        }
        guard header.model == "cnn" else { throw TrainError.badFile(path: url.path, reason: "a '\(header.model)' checkpoint, not a CNN's") }
        guard header.formatVersion == formatVersion else {
            throw TrainError.badFile(path: url.path, reason: "checkpoint format \(header.formatVersion), this build reads \(formatVersion)")
        }
        guard header.featureShape.count == 3, header.featureShape.allSatisfy({ $0 > 0 }), header.classes.count >= 2 else {
            throw TrainError.badFile(path: url.path, reason: "feature shape \(header.featureShape) or classes do not fit a CNN")
        }
        let row = try reader.readRow(0)
        guard let parameters = row.floats("weights/parameters"), let state = row.floats("weights/state"),
              let first = row.floats("optimizer/first"), let second = row.floats("optimizer/second") else {
            throw TrainError.badFile(path: url.path, reason: "missing weights or optimizer datasets")
        }
        var checkpoint = CNNCheckpoint(header: header, parameters: parameters, state: header.stateCount == 0 ? [] : state)
        let shape = checkpoint.inputShape
        if let problem = header.architecture.problem(input: shape) { throw TrainError.badFile(path: url.path, reason: problem) }
        let net = ConvNet(architecture: header.architecture, input: shape, classes: header.classes.count, seed: 0)
        guard parameters.count == header.parameterCount, net.parameterCount == parameters.count, net.stateCount == checkpoint.state.count,
              first.count == parameters.count, second.count == parameters.count else {
            throw TrainError.badFile(path: url.path, reason: "its weights do not match its own layout")
        }
        checkpoint.header.optimizer.first = first
        // SGD keeps no second moment (the file holds zeros for it).
        checkpoint.header.optimizer.second = header.optimizer.kind == .adam ? second : []
        return checkpoint
    }

    /// Why this model cannot be applied to `reader`'s rows, or nil.
    func mismatch(with reader: StoreReader) -> String? {
        guard let spec = reader.columns.first(where: { $0.name == features }) else {
            return "\(reader.manifestURL.path) has no column '\(features)'"
        }
        // Whole recordings are cut into windows of the network's input length T.
        if spec.rowShape(frames: header.featureShape[1]) != header.featureShape {
            return "'\(features)' is \(spec.shapeDescription) there, the model was trained on \(header.featureShape)"
        }
        if reader.classes != classes {
            return "the classes there are [\(reader.classes.joined(separator: ", "))], the model's [\(classes.joined(separator: ", "))]"
        }
        return nil
    }
}
