import AudioIO
import Foundation
import Randomness

/// The file writing shared by the synthetic-corpus generators.
enum SynthWriter {
    /// Rejects requests that would write nothing useful or an absurd amount.
    static func validate(perClass: Int, durationSeconds: Double) throws {
        guard (1...10_000).contains(perClass) else {
            throw CorpusError.invalidParameter("perClass must be in 1...10000, got \(perClass)")
        }
        guard durationSeconds.isFinite, durationSeconds > 0, durationSeconds <= 600 else {
            throw CorpusError.invalidParameter("durationSeconds must be in (0, 600], got \(durationSeconds)")
        }
    }

    /// Creates `root/folderName` and returns it. Refuses a non-empty folder: files left from an
    /// earlier run would silently change the counts a test expects.
    static func prepareCorpusFolder(root: URL, folderName: String) throws -> URL {
        let folder = root.standardizedFileURL.appendingPathComponent(folderName, isDirectory: true)
        if FileSystem.isDirectory(folder), !FileSystem.entries(of: folder).isEmpty {
            throw CorpusError.invalidParameter("\(folder.path) already exists and is not empty; generate into a new folder")
        }
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        } catch {
            throw CorpusError.invalidParameter("cannot create \(folder.path): \(error.localizedDescription)")
        }
        return folder
    }

    /// Renders and writes every clip as mono WAV.
    static func writeClips(_ clips: [SynthClip], in folder: URL, corpus: String, classCount: Int, seed: UInt64,
                           sampleRate: Int, format: SampleFormat, durationSeconds: Double) throws {
        let frames = max(1, Int((durationSeconds * Double(sampleRate)).rounded()))
        var createdFolders: Set<String> = []
        for clip in clips {
            let url = folder.appendingPathComponent(clip.relativePath)
            let parent = url.deletingLastPathComponent()
            if createdFolders.insert(parent.path).inserted {
                try FileManager.default.createDirectory(at: parent, withIntermediateDirectories: true)
            }
            var rng = SplitMix64(seed: seed, key: "\(corpus)/\(clip.relativePath)")
            let samples = SceneSignal(classIndex: clip.classIndex, classCount: classCount)
                .render(sampleRate: sampleRate, frameCount: frames, rng: &rng)
            try AudioFileWriter.write(AudioBuffer(sampleRate: sampleRate, channels: [samples]), to: url, format: format)
        }
    }

    /// Writes a text file line by line with the given line ending (and a UTF-8 BOM if asked), the
    /// last line terminated too, as the published files are.
    static func writeText(_ lines: [String], to url: URL, lineEnding: String = "\n", byteOrderMark: Bool = false) throws {
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        var data = Data()
        if byteOrderMark { data.append(contentsOf: [0xEF, 0xBB, 0xBF]) }
        for line in lines {
            data.append(contentsOf: Array(line.utf8))
            data.append(contentsOf: Array(lineEnding.utf8))
        }
        try data.write(to: url, options: .atomic)
    }

    /// The summary of `clips` written into `folder`.
    static func summary(corpus: String, folder: URL, clips: [SynthClip], classes: [String],
                        metadataFiles: [String]) -> SynthSummary {
        var perClass: [String: Int] = [:]
        var perSplit: [String: Int] = [:]
        for clip in clips {
            perClass[classes[clip.classIndex], default: 0] += 1
            perSplit[clip.split, default: 0] += 1
        }
        return SynthSummary(corpus: corpus, corpusFolder: folder.path, filesWritten: clips.count, perClass: perClass,
                            perSplit: perSplit, unlabeled: clips.filter { !$0.labeled }.count,
                            metadataFiles: metadataFiles)
    }
}
