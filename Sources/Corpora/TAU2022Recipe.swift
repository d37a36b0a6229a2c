import Foundation

/// TAU Urban Acoustic Scenes 2022 Mobile, development set (DCASE2022 Task 1, reused 2023–2025),
/// datasets.md §2: the TAU 2020 recordings cut into 1-s pieces.
///
/// The layout and metadata files are TAU 2020's (`meta.csv`, `evaluation_setup/fold1_*.csv`,
/// `audio/`), with the 1-s piece number in the file name. Every recording carries its `segment`
/// (the 10-s recording it was cut from, `<identifier>-<segment id>`), so a split made here can keep
/// the ten pieces and the parallel device recordings of one segment together; fold1 gives the
/// published split, files in `meta.csv` and in neither fold are `unused`. The DCASE 2023–2025 train
/// subsets (`split5.csv` … `split100.csv`, lists of train file names, in `evaluation_setup/` or the
/// baseline's `split_setup/`) become each recording's `subsets`, selectable with `inputs.splits`.
public struct TAU2022Recipe: CorpusRecipe {
    public static let name = "tau2022"
    public static let folderName = "TAU-urban-acoustic-scenes-2022-mobile-development"
    /// The TAU 2020 scene labels (datasets.md §2: "labels are as in §1.5").
    public static let classes = TAU2020Recipe.classes

    /// Where the DCASE 2024 baseline keeps the subset lists when they are not beside the fold files.
    static let subsetFolder = "split_setup"
    /// The DCASE 2023–2025 train subsets, by percentage of the full train fold.
    public static let subsets = ["split5", "split10", "split25", "split50", "split100"]
    public static let clipSeconds: Double? = 1
    public static let pipeline: String? = "ds-flexinet"

    public init() {}

    private struct Entry {
        var label: String?
        var device: String?
        var city: String?
        var location: String?
        var segment: String
        var split: String
        var subsets: [String] = []
        var metaListing: TAUSetup.Listing?
        var foldListing: TAUSetup.Listing?
    }

    public func catalog(root: URL) throws -> CorpusCatalog {
        let folder = try Self.locateCorpusFolder(root) { TAUSetup.hasMetadata($0) }
        let (metaURL, foldURLs) = try TAUSetup.metadataURLs(in: folder, corpus: Self.name)
        let setup = folder.appendingPathComponent(TAUSetup.setupFolder)

        var issues: [CorpusIssue] = []
        var entries: [String: Entry] = [:]
        if try FileSystem.isMetadataFile(metaURL) {
            try readMeta(metaURL, into: &entries, issues: &issues)
        }
        for (url, fold) in zip(foldURLs, TAUSetup.folds) where try FileSystem.isMetadataFile(url) {
            try readFold(url, split: fold.1, into: &entries, issues: &issues)
        }
        var subsetFiles: [URL] = []
        for subset in Self.subsets {
            let candidates = [setup, folder.appendingPathComponent(Self.subsetFolder)].map { $0.appendingPathComponent("\(subset).csv") }
            let present = try candidates.filter { try FileSystem.isMetadataFile($0) }
            guard let url = present.first else { continue }
            if present.count > 1 {
                issues.append(CorpusIssue(path: present[1].path, line: nil,
                                          reason: "\(subset).csv is also in \(TAUSetup.setupFolder)/; that copy is read, this one ignored"))
            }
            subsetFiles.append(url)
            try readSubset(url, name: subset, into: &entries, issues: &issues)
        }

        let audio = folder.appendingPathComponent(TAUSetup.audioFolder, isDirectory: true)
        if !FileSystem.isDirectory(audio), !entries.isEmpty {
            issues.append(CorpusIssue(path: audio.path, line: nil,
                                      reason: "the audio folder is missing; \(entries.count) listed recordings skipped"))
            return CorpusCatalog(corpus: Self.name, recordings: [], issues: issues, classes: Self.classes)
        }
        let corpus = CorpusFolder(folder, publishedFolders: [audio])
        let readingOrder = [metaURL.path] + foldURLs.map { $0.path } + subsetFiles.map { $0.path }
        let resolved = TAUSetup.resolve(entries, in: corpus, corpusName: Self.name, readingOrder: readingOrder, metaURL: metaURL,
                                        metaListing: \.metaListing, foldListing: \.foldListing) { id, url, entry in
            Recording(
                id: id, corpus: Self.name, path: url.path,
                label: entry.label, split: entry.split, device: entry.device, city: entry.city,
                location: entry.location, segment: entry.segment,
                subsets: entry.subsets.isEmpty ? nil : Self.subsets.filter(entry.subsets.contains))
        }
        issues += resolved.issues
        return CorpusCatalog(corpus: Self.name, recordings: resolved.recordings, issues: issues, classes: Self.classes)
    }

    /// The listed name as one spelling under `audio/` and its parsed parts, or the reason it is refused.
    private static func parse(_ listed: String) -> Result<(String, TAU2022FileName), CorpusIssueReason> {
        guard !listed.isEmpty else { return .failure(CorpusIssueReason("empty filename")) }
        guard let fileName = CorpusFolder.normalized(listed), !fileName.isEmpty else {
            return .failure(CorpusIssueReason("\(listed) points outside the corpus folder"))
        }
        guard let parsed = TAU2022FileName(fileName) else {
            return .failure(CorpusIssueReason(
                "cannot parse \(fileName): expected audio/<scene>-<city>-<location>-<segment>-<0..9>-<device>.wav"))
        }
        return .success((fileName, parsed))
    }

    /// `meta.csv`: `filename	scene_label	identifier	source_label`.
    private func readMeta(_ url: URL, into entries: inout [String: Entry], issues: inout [CorpusIssue]) throws {
        let table = try MetadataTable.read(url, delimiter: "\t") { $0.first == "filename" }
        issues += table.rejected
        for line in table.lines {
            func reject(_ reason: String) { issues.append(CorpusIssue(path: url.path, line: line.number, reason: reason)) }
            guard line.fields.count == 4 else {
                reject("expected 4 TAB-separated fields (filename, scene_label, identifier, source_label), found \(line.fields.count)")
                continue
            }
            let listed = line.fields[0], label = line.fields[1], identifier = line.fields[2], device = line.fields[3]
            let fileName: String, parsed: TAU2022FileName
            switch Self.parse(listed) {
            case .failure(let reason): reject(reason.text); continue
            case .success(let value): (fileName, parsed) = value
            }
            if let first = entries[fileName]?.metaListing {
                reject("\(listed) is listed twice (first at line \(first.line))")
                continue
            }
            guard label.isEmpty || Self.classes.contains(label) else {
                reject("scene_label '\(label)' is not one of the 10 TAU 2022 classes")
                continue
            }
            // The identifier column wins over the name (datasets.md §2); a disagreement is reported.
            if !identifier.isEmpty, identifier != parsed.identifier {
                reject("identifier '\(identifier)' contradicts the file name's '\(parsed.identifier)'; kept the column")
            }
            let location = identifier.isEmpty ? parsed.identifier : identifier
            entries[fileName] = Entry(
                label: label.isEmpty ? nil : label, device: device.isEmpty ? parsed.device : device,
                city: location.split(separator: "-", maxSplits: 1).first.map(String.init), location: location,
                segment: "\(location)-\(parsed.segmentID)",
                split: TAUSetup.unusedSplit, metaListing: TAUSetup.Listing(file: url, line: line.number), foldListing: nil)
        }
    }

    /// `fold1_{train,evaluate}.csv`: `filename	scene_label`.
    private func readFold(_ url: URL, split: String, into entries: inout [String: Entry], issues: inout [CorpusIssue]) throws {
        let table = try MetadataTable.read(url, delimiter: "\t") { $0.first == "filename" }
        issues += table.rejected
        let name = url.lastPathComponent
        for line in table.lines {
            func reject(_ reason: String) { issues.append(CorpusIssue(path: url.path, line: line.number, reason: reason)) }
            guard line.fields.count == 2 else {
                reject("expected 2 TAB-separated fields (filename, scene_label), found \(line.fields.count)")
                continue
            }
            let listed = line.fields[0], label = line.fields[1]
            let fileName: String, parsed: TAU2022FileName
            switch Self.parse(listed) {
            case .failure(let reason): reject(reason.text); continue
            case .success(let value): (fileName, parsed) = value
            }
            guard !label.isEmpty, Self.classes.contains(label) else {
                reject("scene_label '\(label)' is not one of the 10 TAU 2022 classes")
                continue
            }
            if var entry = entries[fileName] {
                if let earlier = entry.foldListing {
                    reject("\(listed) is already listed in \(earlier.file.lastPathComponent) line \(earlier.line)")
                    continue
                }
                if let metaLabel = entry.label, metaLabel != label, let meta = entry.metaListing {
                    reject("scene_label '\(label)' contradicts '\(metaLabel)' in meta.csv line \(meta.line); kept meta.csv's")
                }
                entry.split = split
                entry.foldListing = TAUSetup.Listing(file: url, line: line.number)
                entries[fileName] = entry
                continue
            }
            if parsed.scene != label {
                reject("\(fileName) is labeled '\(label)' in \(name) but its name says '\(parsed.scene)'")
                continue
            }
            entries[fileName] = Entry(
                label: label, device: parsed.device, city: parsed.city, location: parsed.identifier,
                segment: parsed.segment, split: split, metaListing: nil, foldListing: TAUSetup.Listing(file: url, line: line.number))
        }
    }

    /// `split<N>.csv`: `filename` (and, in the DCASE 2024 files, `scene_label`), a subset of fold1 train.
    private func readSubset(_ url: URL, name: String, into entries: inout [String: Entry], issues: inout [CorpusIssue]) throws {
        let table = try MetadataTable.read(url, delimiter: "\t") { $0.first == "filename" }
        issues += table.rejected
        var seen: [String: Int] = [:]
        for line in table.lines {
            func reject(_ reason: String) { issues.append(CorpusIssue(path: url.path, line: line.number, reason: reason)) }
            guard (1...2).contains(line.fields.count) else {
                reject("expected a filename (and a scene_label), TAB-separated; found \(line.fields.count) fields")
                continue
            }
            let fileName: String
            switch Self.parse(line.fields[0]) {
            case .failure(let reason): reject(reason.text); continue
            case .success(let value): fileName = value.0
            }
            if let first = seen[fileName] {
                reject("\(fileName) is listed twice (first at line \(first))")
                continue
            }
            seen[fileName] = line.number
            guard var entry = entries[fileName], entry.split == "train" else {
                reject("\(fileName) is in \(url.lastPathComponent) but not in fold1_train.csv; a train subset lists train files only")
                continue
            }
            if line.fields.count == 2, let labelled = entry.label, line.fields[1] != labelled {
                reject("scene_label '\(line.fields[1])' contradicts '\(labelled)'; kept the fold's")
            }
            entry.subsets.append(name)
            entries[fileName] = entry
        }
    }
}

/// The reason a metadata value was refused, as it goes into a `CorpusIssue`.
struct CorpusIssueReason: Error {
    var text: String
    init(_ text: String) { self.text = text }
}
