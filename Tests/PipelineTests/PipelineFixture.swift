import AudioIO
import Corpora
import Features
import Foundation
import Pipeline
import TestSupport
import XCTest

/// A temporary folder with small synthetic corpora and a fast pipeline config for end-to-end tests.
final class PipelineFixture {
    let root: URL
    var data: URL { root.appendingPathComponent("data") }

    init(corpora: [String] = ["tau2020", "cochlscene", "cas2023"], perClass: Int = 1, duration: Double = 1.0) throws {
        root = try TemporaryFolder("pipeline").url
        try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
        for name in corpora {
            let generator = try XCTUnwrap(SyntheticCorpora.generator(named: name))
            _ = try generator.generate(root: data, perClass: perClass, seed: 7, durationSeconds: duration)
        }
    }

    func remove() { try? FileManager.default.removeItem(at: root) }

    func url(_ name: String) -> URL { root.appendingPathComponent(name) }

    /// The default ingest pipeline with short clips, so a test runs in seconds; same code paths.
    static func config(corpora: [String] = ["tau2020", "cochlscene", "cas2023"], duration: Double = 1.0,
                       shardRows: Int = 8) throws -> PipelineConfig {
        var config = try PipelineConfig.load(Repository.url("pipelines/ingest.yaml"))
        config.inputs.corpora = corpora
        config.audio.duration = duration
        config.output.shardRows = shardRows
        return config
    }

    /// Every regular file under `folder`, relative path → bytes.
    static func files(under folder: URL) throws -> [String: Data] {
        var result: [String: Data] = [:]
        let enumerator = FileManager.default.enumerator(at: folder, includingPropertiesForKeys: [.isRegularFileKey])
        while let url = enumerator?.nextObject() as? URL {
            guard (try url.resourceValues(forKeys: [.isRegularFileKey])).isRegularFile == true else { continue }
            result[String(url.path.dropFirst(folder.path.count + 1))] = try Data(contentsOf: url)
        }
        return result
    }
}
