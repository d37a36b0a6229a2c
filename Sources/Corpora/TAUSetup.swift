import Foundation

/// The metadata layout TAU Urban Acoustic Scenes 2020 and 2022 share (datasets.md §1, §2):
/// `meta.csv`, `evaluation_setup/fold1_{train,evaluate,test}.csv` and `audio/`. Both recipes read,
/// and both synthetic corpora write, the same files with the same headers, so the names, the
/// "is there any metadata at all" check and the written setup files live here once.
enum TAUSetup {
    static let metaFile = "meta.csv"
    static let setupFolder = "evaluation_setup"
    static let audioFolder = "audio"
    /// The fold files that assign splits, with the split name each assigns, in reading order.
    static let folds = [("fold1_train.csv", "train"), ("fold1_evaluate.csv", "evaluate")]
    /// The split of a file in `meta.csv` and in neither fold (the S4–S6 files the official setup leaves out).
    static let unusedSplit = "unused"

    /// Where a file name was listed, so an issue about it can point at the line.
    struct Listing {
        var file: URL
        var line: Int
    }

    /// True when `folder` holds `meta.csv` or one of the fold files: what makes it the corpus folder.
    static func hasMetadata(_ folder: URL) -> Bool {
        FileSystem.exists(folder.appendingPathComponent(metaFile))
            || folds.contains { FileSystem.exists(folder.appendingPathComponent(setupFolder).appendingPathComponent($0.0)) }
    }

    /// `meta.csv` and the fold files of `folder`; a folder with none of them is refused, naming what
    /// was expected, rather than read as an empty corpus.
    static func metadataURLs(in folder: URL, corpus: String) throws -> (meta: URL, folds: [URL]) {
        let metaURL = folder.appendingPathComponent(metaFile)
        let foldURLs = folds.map { folder.appendingPathComponent(setupFolder).appendingPathComponent($0.0) }
        guard FileSystem.exists(metaURL) || foldURLs.contains(where: FileSystem.exists) else {
            throw CorpusError.noMetadata(corpus: corpus, path: folder.path,
                                         expected: [metaFile] + folds.map { "\(setupFolder)/\($0.0)" })
        }
        return (metaURL, foldURLs)
    }

    /// The setup files a synthetic corpus writes, with the real headers: `meta.csv` lines
    /// (`filename	scene_label	identifier	source_label`) and the fold lines (`filename	scene_label`);
    /// `fold1_test.csv` lists the evaluate files without their labels.
    static func setupFiles(meta: [String], train: [String], evaluate: [String]) -> [(String, [String])] {
        [
            (metaFile, ["filename\tscene_label\tidentifier\tsource_label"] + meta.sorted()),
            ("\(setupFolder)/fold1_train.csv", ["filename\tscene_label"] + train.sorted()),
            ("\(setupFolder)/fold1_evaluate.csv", ["filename\tscene_label"] + evaluate.sorted()),
            ("\(setupFolder)/fold1_test.csv", ["filename"] + evaluate.sorted().map { String($0.prefix { $0 != "\t" }) }),
        ]
    }
}
