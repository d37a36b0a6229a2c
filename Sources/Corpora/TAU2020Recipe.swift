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

    public init() {}

    /// What is known about one listed file while the metadata files are being read.
    private struct Entry {
        var label: String?
        var device: String?
        var city: String?
        var location: String?
        var split: String
        /// The `meta.csv` line, if listed there.
        var metaListing: TAUSetup.Listing?
        /// The fold line that assigned the split, if any.
        var foldListing: TAUSetup.Listing?
    }

    public func catalog(root: URL) throws -> CorpusCatalog {
        let folder = try Self.locateCorpusFolder(root) { TAUSetup.hasMetadata($0) }
        let (metaURL, foldURLs) = try TAUSetup.metadataURLs(in: folder, corpus: Self.name)

        var issues: [CorpusIssue] = []
        var entries: [String: Entry] = [:]
        // A metadata path that is there but is no readable file (a folder, a link loop) throws:
        // reading the corpus without it would quietly catalogue a different corpus.
        if try FileSystem.isMetadataFile(metaURL) {
            try readMeta(metaURL, into: &entries, issues: &issues)
        }
        for (url, fold) in zip(foldURLs, TAUSetup.folds) where try FileSystem.isMetadataFile(url) {
            try readFold(url, split: fold.1, into: &entries, issues: &issues)
        }

        let audio = folder.appendingPathComponent(TAUSetup.audioFolder, isDirectory: true)
        if !FileSystem.isDirectory(audio), !entries.isEmpty {
            issues.append(CorpusIssue(path: audio.path, line: nil,
                                      reason: "the audio folder is missing; \(entries.count) listed recordings skipped"))
            return CorpusCatalog(corpus: Self.name, recordings: [], issues: issues, classes: Self.classes)
        }
        let corpus = CorpusFolder(folder, publishedFolders: [audio])
        let readingOrder = [metaURL.path] + foldURLs.map { $0.path }
        let resolved = TAUSetup.resolve(entries, in: corpus, corpusName: Self.name, readingOrder: readingOrder, metaURL: metaURL,
                                        metaListing: \.metaListing, foldListing: \.foldListing) { id, url, entry in
            Recording(
                id: id, corpus: Self.name, path: url.path,
                label: entry.label, split: entry.split, device: entry.device, city: entry.city,
                location: entry.location)
        }
        issues += resolved.issues
        return CorpusCatalog(corpus: Self.name, recordings: resolved.recordings, issues: issues, classes: Self.classes)
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
            guard !listed.isEmpty else { reject("empty filename"); continue }
            // One file, one spelling: `audio/../audio/X.wav` is `audio/X.wav` listed again.
            guard let fileName = CorpusFolder.normalized(listed), !fileName.isEmpty else {
                reject("\(listed) points outside the corpus folder")
                continue
            }
            if let first = entries[fileName]?.metaListing {
                reject("\(listed) is listed twice (first at line \(first.line))")
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
            guard let fileName = CorpusFolder.normalized(listed), !fileName.isEmpty else {
                reject("\(listed) points outside the corpus folder")
                continue
            }
            guard !label.isEmpty, Self.classes.contains(label) else {
                reject("scene_label '\(label)' is not one of the 10 TAU 2020 classes")
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
                split: split, metaListing: nil, foldListing: TAUSetup.Listing(file: url, line: line.number))
        }
    }
}
