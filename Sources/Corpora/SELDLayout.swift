import AudioIO
import Foundation

/// The published layout shared by TAU-NIGENS SSE 2021 and STARSS22 (datasets.md §6):
/// `<format>_dev/<split>/fold<N>_room<R>_mix<NNN>.wav` beside `metadata_dev/<split>/<same>.csv`.
///
/// Each WAV with its CSV is one recording; the CSV is validated here (every bad line an issue by
/// line, with the frame count from the WAV's header) and read again when the targets are made. A WAV
/// without a CSV, and a CSV without a WAV, are issues (the recording is skipped: a SELD recording
/// without labels would train as silence). Fold, room and mix from the name are attribute columns.
struct SELDLayout: Sendable {
    var corpus: String
    var classes: [String]
    /// The split folders, as published, with the normalised split of each.
    var splits: [(String, DatasetSplit)]
    var format: SELDFormat

    static let metadataFolder = "metadata_dev"
    static let attributeColumns = ["fold", "room", "mix", "format"]

    static func hasTree(_ folder: URL) -> Bool {
        (SELDFormat.allCases.map { "\($0.rawValue)_dev" } + [metadataFolder])
            .contains { FileSystem.isDirectory(folder.appendingPathComponent($0)) }
    }

    /// `fold<N>_room<R>_mix<NNN>` → (N, R, NNN) as written, or `nil`.
    static func parts(of stem: String) -> (fold: String, room: String, mix: String)? {
        let pieces = stem.split(separator: "_", omittingEmptySubsequences: false).map(String.init)
        func number(_ s: String, after prefix: String) -> String? {
            guard s.hasPrefix(prefix) else { return nil }
            let digits = String(s.dropFirst(prefix.count))
            return !digits.isEmpty && digits.allSatisfy(\.isASCII) && Int(digits) != nil ? digits : nil
        }
        guard pieces.count == 3, let fold = number(pieces[0], after: "fold"), let room = number(pieces[1], after: "room"),
              let mix = number(pieces[2], after: "mix") else { return nil }
        return (fold, room, mix)
    }

    func catalog(folder: URL) throws -> CorpusCatalog {
        let audioTree = "\(format.rawValue)_dev"
        guard Self.hasTree(folder) else {
            throw CorpusError.noMetadata(corpus: corpus, path: folder.path, expected: ["\(audioTree)/", "\(Self.metadataFolder)/"])
        }
        var issues: [CorpusIssue] = []
        var recordings: [Recording] = []
        let corpusFolder = CorpusFolder(folder, publishedFolders: [folder.appendingPathComponent(audioTree),
                                                                   folder.appendingPathComponent(Self.metadataFolder)])
        for (split, _) in splits {
            let audio = folder.appendingPathComponent(audioTree).appendingPathComponent(split, isDirectory: true)
            let metadata = folder.appendingPathComponent(Self.metadataFolder).appendingPathComponent(split, isDirectory: true)
            let wavs = FileSystem.isDirectory(audio) ? FileSystem.entries(of: audio).filter(FileSystem.isWAV) : []
            let csvs = FileSystem.isDirectory(metadata)
                ? FileSystem.entries(of: metadata).filter { $0.lowercased().hasSuffix(".csv") } : []
            let csvStems = Set(csvs.map(FileSystem.stem))
            let wavStems = Set(wavs.map(FileSystem.stem))
            for wav in wavs {
                let url = audio.appendingPathComponent(wav)
                func skip(_ reason: String) { issues.append(CorpusIssue(path: url.path, line: nil, reason: "\(reason); skipped")) }
                let stem = FileSystem.stem(wav)
                guard let parts = Self.parts(of: stem) else {
                    skip("cannot parse the name: expected fold<N>_room<R>_mix<NNN>.wav")
                    continue
                }
                if case .rejected(let reason) = corpusFolder.resolve("\(audioTree)/\(split)/\(wav)") { skip(reason); continue }
                guard csvStems.contains(stem) else { skip("has no metadata \(Self.metadataFolder)/\(split)/\(stem).csv"); continue }
                let csv = metadata.appendingPathComponent("\(stem).csv")
                if case .rejected(let reason) = corpusFolder.resolve("\(Self.metadataFolder)/\(split)/\(stem).csv") {
                    skip(reason)
                    continue
                }
                let frames = (try? AudioDecoder.info(url)).map { SELDEvent.labelFrames(sampleCount: $0.frameCount, sampleRate: $0.sampleRate) }
                let annotation = try SELDAnnotation.read(csv, classCount: classes.count, frameCount: frames)
                issues += annotation.issues
                recordings.append(Recording(
                    id: "\(corpus)/\(split)/\(stem)", corpus: corpus, path: url.path, label: nil, split: split,
                    location: "room\(parts.room)",
                    attributes: ["fold": parts.fold, "room": parts.room, "mix": parts.mix, "format": format.rawValue],
                    annotation: csv.path))
            }
            for csv in csvs where !wavStems.contains(FileSystem.stem(csv)) {
                issues.append(CorpusIssue(path: metadata.appendingPathComponent(csv).path, line: nil,
                                          reason: "has no recording \(audioTree)/\(split)/\(FileSystem.stem(csv)).wav; skipped"))
            }
        }
        return CorpusCatalog(corpus: corpus, recordings: recordings, issues: issues, classes: classes)
    }

    func datasetSplit(of recording: Recording) -> DatasetSplit {
        splits.first { $0.0 == recording.split }?.1 ?? .unused
    }
}
