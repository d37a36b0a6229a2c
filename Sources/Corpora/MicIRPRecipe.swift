import Foundation

/// The MicIRP device impulse-response bank of CP-JKU's DIR augmentation (datasets.md §7): a flat
/// folder `MicIRP/` of mono WAVs whose names are as awkward as published (`B&O_BM2.wav`,
/// `Doremi_.wav`), at 44.1 and 48 kHz.
///
/// It is a bank for the augmentation stage, not a corpus of clips: it is not in `CorpusRegistry`
/// (`pipe ingest micirp` is refused as an unknown corpus), and its catalog lists the response files,
/// sorted by name as CP-JKU's `load_dirs` sorts them, one `Recording` each (`micirp/<stem>`, split
/// `bank`, no label). A file that is no WAV, or a link leading outside the folder, is an issue.
public struct MicIRPRecipe: CorpusRecipe {
    public static let name = "micirp"
    public static let folderName = "MicIRP"
    public static let classes: [String] = []
    static let split = "bank"

    public init() {}

    public func catalog(root: URL) throws -> CorpusCatalog {
        let folder = try Self.locateCorpusFolder(root) { folder in
            FileSystem.entries(of: folder).contains(where: FileSystem.isWAV)
        }
        let corpus = CorpusFolder(folder, publishedFolders: [])
        var recordings: [Recording] = []
        var issues: [CorpusIssue] = []
        for name in FileSystem.entries(of: folder).sorted() where !name.hasPrefix(".") {
            let url = folder.appendingPathComponent(name)
            guard FileSystem.isWAV(name) else {
                if !FileSystem.isDirectory(url) {
                    issues.append(CorpusIssue(path: url.path, line: nil, reason: "is not a .wav file; skipped"))
                }
                continue
            }
            switch corpus.resolve(name) {
            case .rejected(let reason):
                issues.append(CorpusIssue(path: url.path, line: nil, reason: "\(reason); skipped"))
            case .missing:
                issues.append(CorpusIssue(path: url.path, line: nil, reason: "cannot be opened; skipped"))
            case .file(_, let found):
                recordings.append(Recording(id: "\(Self.name)/\(FileSystem.stem(name))", corpus: Self.name,
                                            path: found.path, label: nil, split: Self.split))
            }
        }
        guard !recordings.isEmpty || !issues.isEmpty else {
            throw CorpusError.noMetadata(corpus: Self.name, path: folder.path, expected: ["*.wav"])
        }
        return CorpusCatalog(corpus: Self.name, recordings: recordings, issues: issues, classes: [])
    }

    public func datasetSplit(of recording: Recording) -> DatasetSplit { .unused }
}
