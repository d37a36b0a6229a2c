import AudioIO
import Foundation
import TestSupport

/// Corpus folders built from the real, unmodified metadata files in `shared/data/metadata/`, with
/// tiny WAV files under the names they list, so the recipes are tested on the real quirks.
///
/// Every listed file is a hard link to one 10-sample WAV written by `AudioFileWriter`: the recipes
/// only check that files exist, ~27,000 written clips would take minutes, and ~27,000 `Data.write`
/// calls still take tens of seconds on a busy machine, while `link(2)` takes microseconds.
enum RealMetadataFixture {
    /// The five recordings that the MihawkHu copy of the setup files lists but the published audio
    /// lacks (datasets.md §1.6), with the fold file and line that list them.
    static let tauMissing: [(file: String, line: Int, name: String)] = [
        ("fold1_train.csv", 1102, "audio/airport-barcelona-1-87-c.wav"),
        ("fold1_train.csv", 8046, "audio/public_square-barcelona-108-3109-b.wav"),
        ("fold1_train.csv", 9512, "audio/shopping_mall-london-131-3930-c.wav"),
        ("fold1_evaluate.csv", 65, "audio/airport-barcelona-203-6132-b.wav"),
        ("fold1_evaluate.csv", 2742, "audio/tram-barcelona-275-8394-c.wav"),
    ]

    /// A real metadata file of `shared/data/metadata/`, beside the repository; the test is skipped
    /// (with the reason) when shared/ is absent, and fails when shared/ is there without the file.
    static func file(_ relativePath: String) throws -> URL {
        let url = try Repository.shared("data/metadata/\(relativePath)")
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw TestSupportError("real metadata file \(url.path) not found in \(Repository.shared.path)")
        }
        return url
    }

    /// The lines of a real file with BOM and CR removed and blank lines dropped, header included;
    /// a deliberately naive reader, independent of the recipes' own, to cross-check their counts.
    static func lines(_ relativePath: String) throws -> [String] {
        var text = try String(contentsOf: file(relativePath), encoding: .utf8)
        if text.hasPrefix("\u{feff}") { text.removeFirst() }
        return text.unicodeScalars.split(separator: "\n", omittingEmptySubsequences: false)
            .map { String(String.UnicodeScalarView($0)).replacingOccurrences(of: "\r", with: "") }
            .filter { !$0.isEmpty }
    }

    /// The first column of every data line (header skipped).
    static func listedNames(_ relativePath: String, separator: Character) throws -> [String] {
        try lines(relativePath).dropFirst().map { String($0.split(separator: separator, omittingEmptySubsequences: false)[0]) }
    }

    /// `<data>/TAU-…-development/` holding the real fold1 train/evaluate files (no `meta.csv`) and a
    /// WAV for every listed name except `skipping`.
    static func makeTAU(in data: URL, skipping: Set<String>) throws -> URL {
        let corpus = data.appendingPathComponent("TAU-urban-acoustic-scenes-2020-mobile-development")
        let setup = corpus.appendingPathComponent("evaluation_setup")
        let audio = corpus.appendingPathComponent("audio")
        try FileManager.default.createDirectory(at: setup, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: audio, withIntermediateDirectories: true)
        let wav = try tinyWAV(in: data)
        defer { try? FileManager.default.removeItem(at: wav) }
        for fold in ["fold1_train.csv", "fold1_evaluate.csv"] {
            let relative = "tau2020/evaluation_setup/\(fold)"
            try FileManager.default.copyItem(at: file(relative), to: setup.appendingPathComponent(fold))
            for name in try listedNames(relative, separator: "\t") where !skipping.contains(name) {
                try link(wav, to: corpus.appendingPathComponent(name))
            }
        }
        return corpus
    }

    /// `<data>/CAS2023/` holding the real APSIPA 2025 dev and eval metadata and a WAV for every row.
    static func makeCAS(in data: URL) throws -> URL {
        let corpus = data.appendingPathComponent("CAS2023")
        let wav = try tinyWAV(in: data)
        defer { try? FileManager.default.removeItem(at: wav) }
        for (split, metadata) in [("dev", "APSIPA2025_GC_ASC_dev_metadata.csv"), ("eval", "APSIPA2025_GC_ASC_eval_metadata.csv")] {
            let audio = corpus.appendingPathComponent("ICME2024_GC_ASC_\(split)")
            try FileManager.default.createDirectory(at: audio, withIntermediateDirectories: true)
            try FileManager.default.copyItem(at: file("cas2023/\(metadata)"), to: corpus.appendingPathComponent(metadata))
            for name in try listedNames("cas2023/\(metadata)", separator: ",") {
                try link(wav, to: audio.appendingPathComponent(name + ".wav"))
            }
        }
        return corpus
    }

    /// A 10-sample, 44.1 kHz mono 16-bit WAV in `folder`, the target of every link.
    static func tinyWAV(in folder: URL) throws -> URL {
        let url = folder.appendingPathComponent("template-\(UUID().uuidString).wav")
        let samples: [Float] = (0..<10).map { Float($0) / 20 }
        try AudioFileWriter.write(AudioBuffer(sampleRate: 44_100, channels: [samples]), to: url, format: .pcm16)
        return url
    }

    /// Hard-links `target` at `url`.
    static func link(_ target: URL, to url: URL) throws {
        guard Foundation.link(target.path, url.path) == 0 else {
            throw TestSupportError("cannot link \(url.path) to \(target.path): errno \(errno)")
        }
    }
}
