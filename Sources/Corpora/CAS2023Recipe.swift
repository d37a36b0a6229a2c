import Foundation

/// CAS 2023 (Chinese Acoustic Scene) as used by the ICME 2024 and APSIPA ASC 2025 grand challenges,
/// datasets.md §4.
///
/// The audio is two flat folders, `ICME2024_GC_ASC_dev/` and `ICME2024_GC_ASC_eval/`, of
/// `<filename>.wav`. Each split has two published metadata files: APSIPA 2025's
/// (`filename,location,record_time,scene_label`, UTF-8 BOM, LF) and ICME 2024's
/// (`filename,scene_label`, CRLF). They list the same files with the same labels; APSIPA's also
/// has the city and time, so it wins when both are present, and either alone is enough. An empty
/// `scene_label` means unlabeled (80 % of development), not an error.
public struct CAS2023Recipe: CorpusRecipe {
    public static let name = "cas2023"
    public static let folderName = "CAS2023"
    /// The 10 classes in the baseline's `class_2_index` order, spelled exactly (case and spaces matter).
    public static let classes = [
        "Bus", "Airport", "Metro", "Restaurant", "Shopping mall",
        "Public square", "Urban park", "Traffic street", "Construction site", "Bar",
    ]

    /// One split: its name, audio folder and metadata files in order of preference.
    struct SplitLayout: Sendable {
        var split: String
        var audioFolder: String
        var metadataFiles: [String]
    }

    static let layouts = [
        SplitLayout(split: "dev", audioFolder: "ICME2024_GC_ASC_dev",
                    metadataFiles: ["APSIPA2025_GC_ASC_dev_metadata.csv", "ICME2024_ASC_dev_label.csv"]),
        SplitLayout(split: "eval", audioFolder: "ICME2024_GC_ASC_eval",
                    metadataFiles: ["APSIPA2025_GC_ASC_eval_metadata.csv", "ICME2024_ASC_eval.csv"]),
    ]

    /// Folders searched for metadata, relative to the corpus folder: the folder itself, and
    /// `metadata/` as in the APSIPA 2025 repository.
    static let metadataFolders = ["", "metadata"]

    public init() {}

    public func catalog(root: URL) throws -> CorpusCatalog {
        let folder = try Self.locateCorpusFolder(root) { Self.metadataFile(in: $0, for: Self.layouts[0]) != nil
            || Self.metadataFile(in: $0, for: Self.layouts[1]) != nil }
        // A metadata path that is there but is no readable file (a folder, a link loop) throws:
        // falling back to the other file, or to none, would quietly catalogue a different corpus.
        for layout in Self.layouts {
            if let url = Self.metadataFile(in: folder, for: layout) { _ = try FileSystem.isMetadataFile(url) }
        }
        let chosen = Self.layouts.map { (layout: $0, file: Self.metadataFile(in: folder, for: $0)) }
        guard chosen.contains(where: { $0.file != nil }) else {
            throw CorpusError.noMetadata(corpus: Self.name, path: folder.path,
                                         expected: Self.layouts.flatMap { $0.metadataFiles })
        }
        var issues: [CorpusIssue] = []
        var recordings: [Recording] = []
        var seen: [String: (file: String, line: Int)] = [:]
        for case let (layout, file?) in chosen {
            try read(file, layout: layout, corpusFolder: folder, recordings: &recordings, seen: &seen, issues: &issues)
        }
        return CorpusCatalog(corpus: Self.name, recordings: recordings, issues: issues, classes: Self.classes)
    }

    /// The preferred metadata file of `layout` present in `folder` (of any kind: a folder in its
    /// place is an error, not an absence), if any.
    static func metadataFile(in folder: URL, for layout: SplitLayout) -> URL? {
        for name in layout.metadataFiles {
            for sub in metadataFolders {
                let url = (sub.isEmpty ? folder : folder.appendingPathComponent(sub)).appendingPathComponent(name)
                if FileSystem.exists(url) { return url }
            }
        }
        return nil
    }

    private func read(_ url: URL, layout: SplitLayout, corpusFolder: URL, recordings: inout [Recording],
                      seen: inout [String: (file: String, line: Int)], issues: inout [CorpusIssue]) throws {
        let table = try MetadataTable.read(url, delimiter: ",") { _ in true }
        issues += table.rejected
        guard let header = table.header, let fileColumn = header.firstIndex(of: "filename") else {
            issues.append(CorpusIssue(path: url.path, line: table.headerLine ?? 1, reason:
                "the header has no 'filename' column (expected filename,location,record_time,scene_label or filename,scene_label); the \(layout.split) split was skipped"))
            return
        }
        let labelColumn = header.firstIndex(of: "scene_label")
        let cityColumn = header.firstIndex(of: "location")
        let timeColumn = header.firstIndex(of: "record_time")

        let audio = corpusFolder.appendingPathComponent(layout.audioFolder, isDirectory: true)
        if !FileSystem.isDirectory(audio) {
            issues.append(CorpusIssue(path: audio.path, line: nil, reason:
                "the audio folder is missing; the \(table.lines.count) recordings listed in \(url.lastPathComponent) were skipped"))
            return
        }
        // A split's file names are relative to its own audio folder, and must stay in it: a dev line
        // `../ICME2024_GC_ASC_eval/<stem>` would store an eval clip a second time, as dev, labelled.
        let audioFolder = CorpusFolder(audio)
        for line in table.lines {
            func reject(_ reason: String) { issues.append(CorpusIssue(path: url.path, line: line.number, reason: reason)) }
            let fields = line.fields
            guard fields.count == header.count else {
                reject("expected \(header.count) comma-separated fields (\(header.joined(separator: ","))), found \(fields.count)")
                continue
            }
            let fileName = fields[fileColumn].trimmingCharacters(in: .whitespaces)
            guard !fileName.isEmpty else { reject("empty filename"); continue }
            guard let normalized = CorpusFolder.normalized(fileName), !normalized.isEmpty else {
                reject("\(fileName) points outside \(layout.audioFolder)/")
                continue
            }
            let stem = FileSystem.isWAV(normalized) ? String(normalized.dropLast(4)) : normalized
            let label = labelColumn.map { fields[$0].trimmingCharacters(in: .whitespaces) } ?? ""
            guard label.isEmpty || Self.classes.contains(label) else {
                reject("scene_label '\(label)' is not one of the 10 CAS 2023 classes")
                continue
            }
            var recordTime: Int64?
            if let timeColumn, !fields[timeColumn].isEmpty {
                guard let parsed = RecordTime.parse(fields[timeColumn]) else {
                    reject("record_time '\(fields[timeColumn])' is not YYYY-MM-DD HH:MM:SS")
                    continue
                }
                recordTime = parsed
            }
            let id = "\(Self.name)/\(stem)"
            if let first = seen[id] {
                reject("\(stem) is already listed in \(first.file) line \(first.line)")
                continue
            }
            seen[id] = (url.lastPathComponent, line.number)
            let wav: URL
            switch audioFolder.resolve(stem + ".wav") {
            case .rejected(let reason):
                reject(reason)
                continue
            case .missing:
                reject("\(layout.audioFolder)/\(stem).wav is listed but missing")
                continue
            case .file(_, let found):
                wav = found
            }
            let city = cityColumn.map { fields[$0].trimmingCharacters(in: .whitespaces) }.flatMap { $0.isEmpty ? nil : $0 }
            recordings.append(Recording(id: id, corpus: Self.name, path: wav.path, label: label.isEmpty ? nil : label,
                                        split: layout.split, city: city, location: city, recordTime: recordTime))
        }
    }
}
