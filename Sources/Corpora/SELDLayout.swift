import AudioIO
import Foundation

/// The published layout shared by TAU-NIGENS SSE 2021 and STARSS22 (datasets.md §6):
/// `<format>_dev/<split>/fold<N>_room<R>_mix<NNN>.wav` beside `metadata_dev/<split>/<same>.csv`, and
/// the evaluation set when it is there: `<format>_eval/` with `metadata_eval/` when its labels were
/// downloaded.
///
/// Each WAV with its CSV is one recording; the CSV is validated here (every bad line an issue by
/// line, with the frame count from the WAV's header) and read again when the targets are made. In
/// the development tree a WAV without a CSV, and a CSV without a WAV, are issues (the recording is
/// skipped: a development recording without labels would train as silence). Fold, room and mix from
/// the name are attribute columns.
///
/// The evaluation tree (TAU-NIGENS 2021, soundata's index of Zenodo 5476980:
/// `foa_eval/eval-test/mix<NNN>.wav`, `metadata_eval/mix<NNN>.csv`; STARSS22's evaluation layout is
/// UNVERIFIED): WAVs in `<format>_eval/` or one folder below it, named `mix<NNN>` or
/// `fold<N>_room<R>_mix<NNN>`; each one's CSV in `metadata_eval/`, flat or under the same folder.
/// Evaluation audio without a CSV is the published unlabeled evaluation set, not a defect: its
/// rows are `unlabeled` (targets NaN: unknown, not silence). A CSV without its WAV is an issue.
struct SELDLayout: Sendable {
    var corpus: String
    var classes: [String]
    /// The split folders, as published, with the normalised split of each.
    var splits: [(String, DatasetSplit)]
    var format: SELDFormat

    static let metadataFolder = "metadata_dev"
    static let evalMetadataFolder = "metadata_eval"
    /// The corpus split of evaluation recordings straight in `<format>_eval/` (those one folder down
    /// take that folder's name, TAU-NIGENS 2021's `eval-test`).
    static let evalSplit = "eval"
    static let attributeColumns = ["fold", "room", "mix", "format"]

    static func hasTree(_ folder: URL) -> Bool {
        (SELDFormat.allCases.flatMap { ["\($0.rawValue)_dev", "\($0.rawValue)_eval"] } + [metadataFolder, evalMetadataFolder])
            .contains { FileSystem.isDirectory(folder.appendingPathComponent($0)) }
    }

    /// `mix<NNN>` (the evaluation set's names) → ("", "", NNN), or the development grammar.
    static func evalParts(of stem: String) -> (fold: String, room: String, mix: String)? {
        if let parts = parts(of: stem) { return parts }
        guard stem.hasPrefix("mix") else { return nil }
        let digits = String(stem.dropFirst(3))
        return !digits.isEmpty && digits.utf8.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) ? ("", "", digits) : nil
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
        let audioTree = "\(format.rawValue)_dev", evalTree = "\(format.rawValue)_eval"
        guard Self.hasTree(folder) else {
            throw CorpusError.noMetadata(corpus: corpus, path: folder.path,
                                         expected: ["\(audioTree)/", "\(Self.metadataFolder)/", "\(evalTree)/"])
        }
        var issues: [CorpusIssue] = []
        var recordings: [Recording] = []
        let corpusFolder = CorpusFolder(folder, publishedFolders: [audioTree, Self.metadataFolder, evalTree, Self.evalMetadataFolder]
            .map { folder.appendingPathComponent($0) })
        /// Adds the recording at `relativeWAV` (with its CSV `csv`, both relative to the folder, if any).
        func add(split: String, stem: String, relativeWAV: String, csv: String?,
                 parts: (fold: String, room: String, mix: String)) throws {
            let url = folder.appendingPathComponent(relativeWAV)
            func skip(_ reason: String) { issues.append(CorpusIssue(path: url.path, line: nil, reason: "\(reason); skipped")) }
            if case .rejected(let reason) = corpusFolder.resolve(relativeWAV) { return skip(reason) }
            var annotation: String?
            if let csv {
                if case .rejected(let reason) = corpusFolder.resolve(csv) { return skip(reason) }
                let csvURL = folder.appendingPathComponent(csv)
                let frames = (try? AudioDecoder.info(url)).map { SELDEvent.labelFrames(sampleCount: $0.frameCount, sampleRate: $0.sampleRate) }
                issues += try SELDAnnotation.read(csvURL, classCount: classes.count, frameCount: frames).issues
                annotation = csvURL.path
            }
            recordings.append(Recording(
                id: "\(corpus)/\(split)/\(stem)", corpus: corpus, path: url.path, label: nil, split: split,
                location: parts.room.isEmpty ? nil : "room\(parts.room)",
                attributes: ["fold": parts.fold, "room": parts.room, "mix": parts.mix, "format": format.rawValue],
                annotation: annotation))
        }

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
                guard csvStems.contains(stem) else { skip("has no metadata \(Self.metadataFolder)/\(split)/\(stem).csv"); continue }
                try add(split: split, stem: stem, relativeWAV: "\(audioTree)/\(split)/\(wav)",
                        csv: "\(Self.metadataFolder)/\(split)/\(stem).csv", parts: parts)
            }
            for csv in csvs where !wavStems.contains(FileSystem.stem(csv)) {
                issues.append(CorpusIssue(path: metadata.appendingPathComponent(csv).path, line: nil,
                                          reason: "has no recording \(audioTree)/\(split)/\(FileSystem.stem(csv)).wav; skipped"))
            }
        }
        let eval = evalEntries(folder: folder, tree: evalTree)
        for entry in eval.entries {
            try add(split: entry.split, stem: entry.stem, relativeWAV: entry.wav, csv: entry.csv, parts: entry.parts)
        }
        issues += eval.issues
        return CorpusCatalog(corpus: corpus, recordings: recordings, issues: issues, classes: classes)
    }

    /// The evaluation tree: WAVs in `<format>_eval/` and one folder below it, each labelled by its
    /// CSV in `metadata_eval/` (flat, or under the same folder name) when there is one.
    private struct EvalEntry {
        var split: String, stem: String, wav: String, csv: String?
        var parts: (fold: String, room: String, mix: String)
    }

    private func evalEntries(folder: URL, tree: String) -> (entries: [EvalEntry], issues: [CorpusIssue]) {
        var issues: [CorpusIssue] = [], entries: [EvalEntry] = []
        let audioRoot = folder.appendingPathComponent(tree, isDirectory: true)
        let metadataRoot = folder.appendingPathComponent(Self.evalMetadataFolder, isDirectory: true)
        // Every CSV of metadata_eval/, by its path relative to the corpus folder, and by stem.
        var csvByStem: [String: [String]] = [:]
        if FileSystem.isDirectory(metadataRoot) {
            for entry in FileSystem.entries(of: metadataRoot) {
                let url = metadataRoot.appendingPathComponent(entry)
                if FileSystem.isDirectory(url) {
                    for file in FileSystem.entries(of: url) where file.lowercased().hasSuffix(".csv") {
                        csvByStem["\(entry)/\(FileSystem.stem(file))", default: []].append("\(Self.evalMetadataFolder)/\(entry)/\(file)")
                    }
                } else if entry.lowercased().hasSuffix(".csv") {
                    csvByStem[FileSystem.stem(entry), default: []].append("\(Self.evalMetadataFolder)/\(entry)")
                }
            }
        }
        var used: Set<String> = []
        if FileSystem.isDirectory(audioRoot) {
            // (sub-folder or nil, file) of every WAV, in name order.
            var wavs: [(String?, String)] = []
            for entry in FileSystem.entries(of: audioRoot) {
                let url = audioRoot.appendingPathComponent(entry)
                if FileSystem.isDirectory(url) {
                    wavs += FileSystem.entries(of: url).filter(FileSystem.isWAV).map { (entry, $0) }
                } else if FileSystem.isWAV(entry) {
                    wavs.append((nil, entry))
                } else if !entry.hasPrefix(".") {
                    issues.append(CorpusIssue(path: url.path, line: nil, reason: "is not a .wav file; skipped"))
                }
            }
            for (sub, wav) in wavs {
                let stem = FileSystem.stem(wav)
                let relative = [tree, sub, wav].compactMap { $0 }.joined(separator: "/")
                guard let parts = Self.evalParts(of: stem) else {
                    issues.append(CorpusIssue(path: folder.appendingPathComponent(relative).path, line: nil,
                                              reason: "cannot parse the name: expected mix<NNN>.wav or fold<N>_room<R>_mix<NNN>.wav; skipped"))
                    continue
                }
                // Its CSV: under the same sub-folder, else flat (TAU-NIGENS 2021's metadata_eval/mix001.csv).
                let key = sub.map { "\($0)/\(stem)" }
                let csvKey = key.flatMap { csvByStem[$0] != nil ? $0 : nil } ?? (csvByStem[stem] != nil ? stem : nil)
                let csv = csvKey.flatMap { csvByStem[$0]?.first }
                if let csvKey { used.insert(csvKey) }
                entries.append(EvalEntry(split: sub ?? Self.evalSplit, stem: stem, wav: relative, csv: csv, parts: parts))
            }
        }
        for (key, paths) in csvByStem.sorted(by: { $0.key < $1.key }) where !used.contains(key) {
            for path in paths {
                issues.append(CorpusIssue(path: folder.appendingPathComponent(path).path, line: nil,
                                          reason: "has no recording in \(tree)/; skipped"))
            }
        }
        return (entries, issues)
    }

    /// A development folder's split as published; an evaluation recording is `test` with its
    /// labels, `unlabeled` without.
    func datasetSplit(of recording: Recording) -> DatasetSplit {
        if let split = splits.first(where: { $0.0 == recording.split })?.1 { return split }
        guard recording.path.contains("/\(format.rawValue)_eval/") else { return .unused }
        return recording.annotation == nil ? .unlabeled : .test
    }
}
