import Foundation

/// CochlScene (Jeong & Park, APSIPA 2022), datasets.md §3: `<root>/{Train,Val,Test}/<Class>/*.wav`.
///
/// The folders are the metadata: the label is the class folder, the split the split folder, and the
/// crowdsourcing user in the file name (`Bus_user0009_14897252_005.wav`) is the location, the key
/// that keeps one contributor's clips on one side of a split. The zip is reported to add a second
/// `CochlScene/` level; it is detected. The baseline's `Data_info.tsv` is read when present only to
/// report the files it lists that are missing or the lines it cannot parse: its integer label
/// convention is unverified, so the folder walk decides labels and splits.
public struct CochlSceneRecipe: CorpusRecipe {
    public static let name = "cochlscene"
    public static let folderName = "CochlScene"
    /// The 13 class folder names, sorted (the order the baseline's `eval.py` lists them in).
    public static let classes = [
        "Bus", "Cafe", "Car", "CrowdedIndoor", "Elevator", "Kitchen", "Park",
        "ResidentialArea", "Restaurant", "Restroom", "Street", "Subway", "SubwayStation",
    ]
    /// The split folders, as published.
    public static let splits = ["Train", "Val", "Test"]
    static let dataInfoFile = "Data_info.tsv"

    public init() {}

    public func catalog(root: URL) throws -> CorpusCatalog {
        let folder = try Self.locateCorpusFolder(root) { Self.hasSplitFolder($0) }
        // Data_info.tsv sits beside the split folders, or one level up when the zip's extra level is there.
        let dataInfo = [folder, folder.deletingLastPathComponent()]
            .map { $0.appendingPathComponent(Self.dataInfoFile) }
            .first(where: FileSystem.exists)
        // A Data_info.tsv that is there but is no readable file (a folder, a link loop) is an error.
        if let dataInfo { _ = try FileSystem.isMetadataFile(dataInfo) }
        guard Self.hasSplitFolder(folder) || dataInfo != nil else {
            throw CorpusError.noMetadata(corpus: Self.name, path: folder.path,
                                         expected: Self.splits.map { "\($0)/" } + [Self.dataInfoFile])
        }

        var issues: [CorpusIssue] = []
        var recordings: [Recording] = []
        var firstPathOfID: [String: String] = [:]
        // The folders are the metadata: a clip linked in from outside the corpus is no part of it.
        let corpus = CorpusFolder(folder, publishedFolders: Self.splits.map { folder.appendingPathComponent($0) })
        for split in Self.splits {
            let splitURL = folder.appendingPathComponent(split, isDirectory: true)
            guard FileSystem.isDirectory(splitURL) else { continue }
            for classFolder in FileSystem.entries(of: splitURL) {
                let classURL = splitURL.appendingPathComponent(classFolder)
                if !FileSystem.isDirectory(classURL) {
                    if FileSystem.isWAV(classFolder) {
                        issues.append(CorpusIssue(path: classURL.path, line: nil,
                                                  reason: "is not inside a class folder, so it has no label; skipped"))
                    }
                    continue
                }
                let wavs = FileSystem.entries(of: classURL).filter(FileSystem.isWAV)
                guard Self.classes.contains(classFolder) else {
                    issues.append(CorpusIssue(path: classURL.path, line: nil, reason:
                        "'\(classFolder)' is not one of the 13 CochlScene classes; its \(wavs.count) .wav files were skipped"))
                    continue
                }
                for wav in wavs {
                    let url = classURL.appendingPathComponent(wav)
                    if case .rejected(let reason) = corpus.resolve("\(split)/\(classFolder)/\(wav)") {
                        issues.append(CorpusIssue(path: url.path, line: nil, reason: "\(reason); skipped"))
                        continue
                    }
                    let id = "\(Self.name)/\(FileSystem.stem(wav))"
                    if let first = firstPathOfID[id] {
                        issues.append(CorpusIssue(path: url.path, line: nil,
                                                  reason: "has the same id \(id) as \(first); skipped"))
                        continue
                    }
                    firstPathOfID[id] = url.path
                    recordings.append(Recording(id: id, corpus: Self.name, path: url.path, label: classFolder,
                                                split: split, location: Self.user(inFileName: wav)))
                }
            }
        }
        if let dataInfo {
            try checkDataInfo(dataInfo, corpus: corpus, issues: &issues)
        }
        return CorpusCatalog(corpus: Self.name, recordings: recordings, issues: issues, classes: Self.classes)
    }

    static func hasSplitFolder(_ folder: URL) -> Bool {
        splits.contains { FileSystem.isDirectory(folder.appendingPathComponent($0)) }
    }

    /// The `userNNNN` of `<Class>_user<4 digits>_<recording id>_<3-digit clip>.wav`, or `nil` when the
    /// name does not follow that pattern (the pattern comes from third-party copies, so a file that
    /// breaks it is still a valid recording, just without a location).
    public static func user(inFileName fileName: String) -> String? {
        let parts = FileSystem.stem(fileName).split(separator: "_", omittingEmptySubsequences: false)
        guard parts.count == 4, !parts[0].isEmpty else { return nil }
        func digits(_ s: Substring, count: Int? = nil) -> Bool {
            !s.isEmpty && s.utf8.allSatisfy { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }
                && (count == nil || s.utf8.count == count)
        }
        let user = parts[1]
        guard user.hasPrefix("user"), digits(user.dropFirst(4), count: 4),
              digits(parts[2]), digits(parts[3], count: 3) else { return nil }
        return String(user)
    }

    /// `Data_info.tsv`: `path<TAB>label index<TAB>split`, path relative to the corpus folder; a first
    /// line whose label column is not an integer is taken as a header (whether the file has one is
    /// unverified).
    private func checkDataInfo(_ url: URL, corpus: CorpusFolder, issues: inout [CorpusIssue]) throws {
        let table = try MetadataTable.read(url, delimiter: "\t") { $0.count < 2 || Int($0[1]) == nil }
        issues += table.rejected
        for line in table.lines {
            func reject(_ reason: String) { issues.append(CorpusIssue(path: url.path, line: line.number, reason: reason)) }
            guard line.fields.count >= 3 else {
                reject("expected 3 TAB-separated fields (path, label index, split), found \(line.fields.count)")
                continue
            }
            let path = line.fields[0], split = line.fields[2]
            guard let label = Int(line.fields[1]), Self.classes.indices.contains(label) else {
                reject("label index '\(line.fields[1])' is not an integer in 0...\(Self.classes.count - 1)")
                continue
            }
            guard Self.splits.contains(split) else {
                reject("split '\(split)' is not one of \(Self.splits.joined(separator: ", "))")
                continue
            }
            switch corpus.resolve(path) {
            case .rejected(let reason): reject(reason)
            case .missing: reject("\(path) is listed but missing")
            case .file: break
            }
        }
    }
}
