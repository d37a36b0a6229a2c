import Foundation

/// TAU Urban Acoustic Scenes 2020 Mobile, development set (DCASE2020 Task 1A), datasets.md §1.
///
/// `meta.csv` names every recording with its device and location; `evaluation_setup/fold1_train.csv`
/// and `fold1_evaluate.csv` give the split. Files in `meta.csv` but in neither fold are `unused`
/// (the S4–S6 files the official setup leaves out of training). Without `meta.csv` everything is
/// derived from the fold files' file names. A listed file that is not on disk is an issue, not a
/// recording: a public copy of the setup files lists five recordings that were never published
/// (§1.6), and the counts must come from the files, not from the README.
public struct TAU2020Recipe: CorpusRecipe {
    public static let name = "tau2020"
    public static let folderName = "TAU-urban-acoustic-scenes-2020-mobile-development"
    /// The 10 scene labels exactly as written in the metadata (datasets.md §1.5), alphabetical.
    public static let classes = [
        "airport", "bus", "metro", "metro_station", "park",
        "public_square", "shopping_mall", "street_pedestrian", "street_traffic", "tram",
    ]

    static let metaFile = "meta.csv"
    static let setupFolder = "evaluation_setup"
    static let audioFolder = "audio"
    /// The fold files that assign splits, with the split name each assigns, in reading order.
    static let folds = [("fold1_train.csv", "train"), ("fold1_evaluate.csv", "evaluate")]
    static let unusedSplit = "unused"

    public init() {}

    /// Where a file name was listed, so an issue about it can point at the line.
    private struct Listing {
        var file: URL
        var line: Int
    }

    /// What is known about one listed file while the metadata files are being read.
    private struct Entry {
        var label: String?
        var device: String?
        var city: String?
        var location: String?
        var split: String
        /// The `meta.csv` line, if listed there.
        var metaListing: Listing?
        /// The fold line that assigned the split, if any.
        var foldListing: Listing?
    }

    public func catalog(root: URL) throws -> CorpusCatalog {
        let folder = try Self.locateCorpusFolder(root) { Self.hasMetadata($0) }
        let metaURL = folder.appendingPathComponent(Self.metaFile)
        let foldURLs = Self.folds.map { folder.appendingPathComponent(Self.setupFolder).appendingPathComponent($0.0) }
        guard FileSystem.isFile(metaURL) || foldURLs.contains(where: FileSystem.isFile) else {
            throw CorpusError.noMetadata(corpus: Self.name, path: folder.path,
                                         expected: [Self.metaFile] + Self.folds.map { "\(Self.setupFolder)/\($0.0)" })
        }

        var issues: [CorpusIssue] = []
        var entries: [String: Entry] = [:]
        if FileSystem.isFile(metaURL) {
            readMeta(metaURL, into: &entries, issues: &issues)
        }
        for (url, fold) in zip(foldURLs, Self.folds) where FileSystem.isFile(url) {
            readFold(url, split: fold.1, into: &entries, issues: &issues)
        }

        var recordings: [Recording] = []
        let audio = folder.appendingPathComponent(Self.audioFolder, isDirectory: true)
        if !FileSystem.isDirectory(audio), !entries.isEmpty {
            issues.append(CorpusIssue(path: audio.path, line: nil,
                                      reason: "the audio folder is missing; \(entries.count) listed recordings skipped"))
            return CorpusCatalog(corpus: Self.name, recordings: [], issues: issues, classes: Self.classes)
        }
        let index = DirectoryIndex()
        for fileName in entries.keys.sorted() {
            guard let entry = entries[fileName] else { continue }
            let url = folder.appendingPathComponent(fileName)
            guard index.contains(url), FileSystem.isWAV(fileName) else {
                // Report at the fold line when there is one: that is the listing a user acts on.
                let listing = entry.foldListing ?? entry.metaListing
                issues.append(CorpusIssue(path: listing?.file.path ?? metaURL.path, line: listing?.line,
                                          reason: "\(fileName) is listed but missing"))
                continue
            }
            recordings.append(Recording(
                id: "\(Self.name)/\(FileSystem.stem(fileName))", corpus: Self.name, path: url.path,
                label: entry.label, split: entry.split, device: entry.device, city: entry.city,
                location: entry.location))
        }
        return CorpusCatalog(corpus: Self.name, recordings: recordings, issues: issues, classes: Self.classes)
    }

    static func hasMetadata(_ folder: URL) -> Bool {
        FileSystem.isFile(folder.appendingPathComponent(metaFile))
            || folds.contains { FileSystem.isFile(folder.appendingPathComponent(setupFolder).appendingPathComponent($0.0)) }
    }

    /// `meta.csv`: `filename	scene_label	identifier	source_label`.
    private func readMeta(_ url: URL, into entries: inout [String: Entry], issues: inout [CorpusIssue]) {
        let table: MetadataTable
        do {
            table = try MetadataTable.read(url, delimiter: "\t") { $0.first == "filename" }
        } catch {
            issues.append(CorpusIssue(path: url.path, line: nil, reason: "\(error); its recordings were skipped"))
            return
        }
        for line in table.lines {
            func reject(_ reason: String) { issues.append(CorpusIssue(path: url.path, line: line.number, reason: reason)) }
            guard line.fields.count == 4 else {
                reject("expected 4 TAB-separated fields (filename, scene_label, identifier, source_label), found \(line.fields.count)")
                continue
            }
            let fileName = line.fields[0], label = line.fields[1], identifier = line.fields[2], device = line.fields[3]
            guard !fileName.isEmpty else { reject("empty filename"); continue }
            if let first = entries[fileName]?.metaListing {
                reject("\(fileName) is listed twice (first at line \(first.line))")
                continue
            }
            guard label.isEmpty || Self.classes.contains(label) else {
                reject("scene_label '\(label)' is not one of the 10 TAU 2020 classes")
                continue
            }
            let city = identifier.split(separator: "-", maxSplits: 1).first.map(String.init)
            entries[fileName] = Entry(
                label: label.isEmpty ? nil : label, device: device.isEmpty ? nil : device,
                city: city, location: identifier.isEmpty ? nil : identifier,
                split: Self.unusedSplit, metaListing: Listing(file: url, line: line.number), foldListing: nil)
        }
    }

    /// `fold1_{train,evaluate}.csv`: `filename	scene_label`.
    private func readFold(_ url: URL, split: String, into entries: inout [String: Entry], issues: inout [CorpusIssue]) {
        let table: MetadataTable
        do {
            table = try MetadataTable.read(url, delimiter: "\t") { $0.first == "filename" }
        } catch {
            issues.append(CorpusIssue(path: url.path, line: nil, reason: "\(error); its split assignments were skipped"))
            return
        }
        let name = url.lastPathComponent
        for line in table.lines {
            func reject(_ reason: String) { issues.append(CorpusIssue(path: url.path, line: line.number, reason: reason)) }
            guard line.fields.count == 2 else {
                reject("expected 2 TAB-separated fields (filename, scene_label), found \(line.fields.count)")
                continue
            }
            let fileName = line.fields[0], label = line.fields[1]
            guard !label.isEmpty, Self.classes.contains(label) else {
                reject("scene_label '\(label)' is not one of the 10 TAU 2020 classes")
                continue
            }
            if var entry = entries[fileName] {
                if let earlier = entry.foldListing {
                    reject("\(fileName) is already listed in \(earlier.file.lastPathComponent) line \(earlier.line)")
                    continue
                }
                if let metaLabel = entry.label, metaLabel != label, let meta = entry.metaListing {
                    reject("scene_label '\(label)' contradicts '\(metaLabel)' in meta.csv line \(meta.line); kept meta.csv's")
                }
                entry.split = split
                entry.foldListing = Listing(file: url, line: line.number)
                entries[fileName] = entry
                continue
            }
            guard let parsed = TAU2020FileName(fileName) else {
                reject("cannot parse \(fileName): expected audio/<scene>-<city>-<location>-<segment>-<device>.wav")
                continue
            }
            if parsed.scene != label {
                reject("\(fileName) is labeled '\(label)' in \(name) but its name says '\(parsed.scene)'")
                continue
            }
            entries[fileName] = Entry(
                label: label, device: parsed.device, city: parsed.city, location: parsed.identifier,
                split: split, metaListing: nil, foldListing: Listing(file: url, line: line.number))
        }
    }
}
