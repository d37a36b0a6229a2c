import Augment
import AudioIO
import Foundation
import Store

/// The impulse-response bank of DIR/ADIR as a pipeline input, like a corpus: `--path micirp=DIR`,
/// `inputs.paths.micirp`, or `MicIRP/` under `--data`. Read as CP-JKU's `load_dirs` does: every
/// `*.wav` under the folder, sorted by path, mono, at the model rate (resampled with the pipeline's
/// resampler when the file's rate differs, as `librosa.load(sr=...)` does). Each file's SHA-256 goes
/// into the manifest, so a store names the exact bank its variants were convolved with.
struct ImpulseResponseInput {
    static let name = "micirp"
    static let folderName = "MicIRP"

    /// One response of the bank, as the manifest lists it (its position is its `/aug/…/index`).
    struct File: Codable, Equatable {
        var path: String
        var sha256: String
        var sampleRate: Int
        var samples: Int
        enum CodingKeys: String, CodingKey { case path, sha256, sampleRate = "sample_rate", samples }
    }

    let bank: ImpulseResponseBank
    let files: [File]
    /// Responses left out, each with why (silent, NaN, stereo, too long, undecodable).
    let rejected: [RejectedInput]

    static func folder(request: Ingest.Request) throws -> URL {
        if let override = request.paths[name] { return override }
        if let path = request.config.inputs.paths[name] { return URL(fileURLWithPath: path) }
        guard let data = request.dataRoot ?? request.config.inputs.data.map({ URL(fileURLWithPath: $0) }) else {
            throw PipelineError.invalidConfig("augment needs the impulse-response bank: pass --data DIR (holding \(folderName)/) or --path \(name)=DIR")
        }
        return data.appendingPathComponent(folderName)
    }

    static func load(folder: URL, sampleRate: Int, resampler spec: ResamplerSpec) throws -> ImpulseResponseInput {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw PipelineError.corpusUnavailable("\(name): \(folder.path) is not a folder")
        }
        let root = folder.standardizedFileURL.resolvingSymlinksInPath()
        var relative: [String] = []
        if let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) {
            for case let url as URL in walker where url.pathExtension.lowercased() == "wav" {
                let full = url.standardizedFileURL.resolvingSymlinksInPath().path
                relative.append(String(full.dropFirst(root.path.count + 1)))
            }
        }
        relative.sort()
        let resampler = try spec.makeResampler()
        var responses: [ImpulseResponseBank.Response] = []
        var files: [File] = []
        var rejected: [RejectedInput] = []
        for path in relative {
            let url = root.appendingPathComponent(path)
            do {
                let decoded = try AudioDecoder.decode(url)
                guard decoded.channels.count == 1 else {
                    throw AugmentError("impulse response \(path): \(decoded.channels.count) channels, a device response is mono")
                }
                let atRate = try decoded.resampled(to: sampleRate, with: resampler)
                try ImpulseResponseBank.check(atRate.channels[0], name: path, sampleRate: sampleRate)
                responses.append(.init(name: path, samples: atRate.channels[0]))
                files.append(File(path: path, sha256: try FileDigest.of(url).sha256, sampleRate: decoded.sampleRate,
                                  samples: decoded.channels[0].count))
            } catch let error as AudioError {
                rejected.append(RejectedInput(path: url.path, reason: error.reason, stage: "impulse-response bank"))
            } catch {
                rejected.append(RejectedInput(path: url.path, reason: String(describing: error), stage: "impulse-response bank"))
            }
        }
        guard !responses.isEmpty else {
            let why = rejected.first.map { "; first problem: \($0)" } ?? ""
            throw PipelineError.corpusUnavailable("\(name): the impulse-response bank \(folder.path) holds no usable *.wav (\(rejected.count) rejected\(why))")
        }
        return ImpulseResponseInput(bank: try ImpulseResponseBank(responses: responses, sampleRate: sampleRate),
                                    files: files, rejected: rejected)
    }
}
