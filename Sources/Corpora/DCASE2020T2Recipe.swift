import Foundation

/// DCASE 2020 Task 2, anomalous sound detection (ToyADMOS + MIMII), datasets.md §5.
///
/// There is no metadata for the development set: the tree and the file names are the metadata.
/// `dev_data/<type>/{train,test}/` (development), `eval_data/<type>/train/` (the additional training
/// set) and `eval_data/<type>/test/` (evaluation test, names without the condition) are walked; the
/// class is the (machine type, machine ID) pair, `ToyCar/id_01` (the ESTM classifier's target), and
/// only the pairs found are listed. Machine type, ID and condition (`normal`, `anomaly`, or `unknown`
/// for an evaluation test file that `eval_data_list.csv` does not label) are the attribute columns.
/// `eval_data_list.csv` (no header; a one-field line starts a machine type's section, the other
/// lines are `file,renamed file,0|1`) labels the evaluation test files when it is present; an
/// evaluation test file it does not label (a line or a whole section missing) is kept as `unknown`
/// and counted in one issue per machine type.
public struct DCASE2020T2Recipe: CorpusRecipe {
    public static let name = "dcase2020t2"
    public static let folderName = "DCASE2020-Task2"
    /// The six machine types, exact spelling (case-sensitive).
    public static let machineTypes = ["ToyCar", "ToyConveyor", "fan", "pump", "slider", "valve"]
    /// The published machine IDs per type (§5.2), development then evaluation.
    public static let machineIDs: [String: [String]] = [
        "ToyCar": ["01", "02", "03", "04", "05", "06", "07"],
        "ToyConveyor": ["01", "02", "03", "04", "05", "06"],
        "fan": ["00", "01", "02", "03", "04", "05", "06"],
        "pump": ["00", "01", "02", "03", "04", "05", "06"],
        "slider": ["00", "01", "02", "03", "04", "05", "06"],
        "valve": ["00", "01", "02", "03", "04", "05", "06"],
    ]
    /// Every published (type, ID) pair, in type then ID order; a catalog lists the ones it found.
    public static let classes = machineTypes.flatMap { type in
        machineIDs[type, default: []].map { DCASE2020T2FileName.className(type: type, machineID: $0) }
    }
    public static let attributeColumns = ["machine_type", "machine_id", "condition"]
    /// The trees and their part folders, with the corpus split each gives.
    static let trees = [("dev_data", "dev"), ("eval_data", "eval")]
    static let parts = ["train", "test"]
    static let evalListFile = "eval_data_list.csv"

    public init() {}

    /// One labelled line of `eval_data_list.csv`.
    private struct EvalLabel {
        var condition: DCASE2020T2FileName.Condition
        var line: Int
    }

    public func catalog(root: URL) throws -> CorpusCatalog {
        let folder = try Self.locateCorpusFolder(root) { Self.hasTree($0) }
        let evalList = folder.appendingPathComponent(Self.evalListFile)
        let hasList = try FileSystem.isMetadataFile(evalList)
        guard Self.hasTree(folder) || hasList else {
            throw CorpusError.noMetadata(corpus: Self.name, path: folder.path,
                                         expected: Self.trees.map { "\($0.0)/" } + [Self.evalListFile])
        }
        var issues: [CorpusIssue] = []
        var labels: [String: EvalLabel] = [:]
        // Files whose ground-truth line was refused (already reported by line).
        var refused: Set<String> = []
        if hasList { labels = try readEvalList(evalList, issues: &issues, refused: &refused) }
        // Evaluation test files the list does not label, per machine type.
        var unlisted: [String: [String]] = [:]

        let corpus = CorpusFolder(folder, publishedFolders: Self.trees.map { folder.appendingPathComponent($0.0) })
        var recordings: [Recording] = []
        var found: Set<String> = []
        var used: Set<String> = []
        for (tree, word) in Self.trees {
            let treeURL = folder.appendingPathComponent(tree, isDirectory: true)
            guard FileSystem.isDirectory(treeURL) else { continue }
            for type in FileSystem.entries(of: treeURL) {
                let typeURL = treeURL.appendingPathComponent(type)
                guard FileSystem.isDirectory(typeURL) else {
                    issues.append(CorpusIssue(path: typeURL.path, line: nil, reason: "is not a machine type folder; skipped"))
                    continue
                }
                guard Self.machineTypes.contains(type) else {
                    issues.append(CorpusIssue(path: typeURL.path, line: nil, reason:
                        "'\(type)' is not one of the six machine types (\(Self.machineTypes.joined(separator: ", "))); skipped"))
                    continue
                }
                for part in Self.parts {
                    let partURL = typeURL.appendingPathComponent(part, isDirectory: true)
                    guard FileSystem.isDirectory(partURL) else { continue }
                    let evalTest = tree == "eval_data" && part == "test"
                    for file in FileSystem.entries(of: partURL) where !file.hasPrefix(".") {
                        let url = partURL.appendingPathComponent(file)
                        func skip(_ reason: String) { issues.append(CorpusIssue(path: url.path, line: nil, reason: "\(reason); skipped")) }
                        guard FileSystem.isWAV(file) else { skip("is not a .wav file"); continue }
                        guard let parsed = DCASE2020T2FileName(file) else {
                            skip("cannot parse the name: expected \(evalTest ? "[normal_|anomaly_]" : "normal_|anomaly_")id_<2 digits>_<8 digits>.wav")
                            continue
                        }
                        if case .rejected(let reason) = corpus.resolve("\(tree)/\(type)/\(part)/\(file)") {
                            skip(reason)
                            continue
                        }
                        var condition = parsed.condition?.rawValue
                        if evalTest, hasList, labels["\(type)/\(file)"] == nil, !refused.contains("\(type)/\(file)") {
                            unlisted[type, default: []].append(file)
                        }
                        if evalTest, let label = labels["\(type)/\(file)"] {
                            used.insert("\(type)/\(file)")
                            if let named = parsed.condition, named != label.condition {
                                issues.append(CorpusIssue(path: evalList.path, line: label.line, reason:
                                    "labels \(type)/\(file) \(label.condition.rawValue) but its name says \(named.rawValue); kept the name's"))
                            } else {
                                condition = label.condition.rawValue
                            }
                        }
                        if condition == nil, !evalTest { skip("has no normal_ or anomaly_ prefix outside eval_data/<type>/test"); continue }
                        if part == "train", condition == "anomaly" { skip("is an anomaly in a train folder, which holds normal sounds only"); continue }
                        let label = DCASE2020T2FileName.className(type: type, machineID: parsed.machineID)
                        found.insert(label)
                        recordings.append(Recording(
                            id: "\(Self.name)/\(tree)/\(type)/\(part)/\(FileSystem.stem(file))", corpus: Self.name,
                            path: url.path, label: label, split: "\(word)_\(part)",
                            attributes: ["machine_type": type, "machine_id": "id_\(parsed.machineID)",
                                         "condition": condition ?? "unknown"]))
                    }
                }
            }
        }
        // A ground-truth line whose file is not on disk: reported where its type's test folder is there
        // (without the folder, only the labels were downloaded and one issue per type says so).
        var missingTypes: [String: Int] = [:]
        for (key, label) in labels.sorted(by: { $0.value.line < $1.value.line }) where !used.contains(key) {
            let type = String(key.prefix { $0 != "/" })
            if FileSystem.isDirectory(folder.appendingPathComponent("eval_data/\(type)/test")) {
                issues.append(CorpusIssue(path: evalList.path, line: label.line, reason: "eval_data/\(type)/test/\(key.dropFirst(type.count + 1)) is listed but missing"))
            } else {
                missingTypes[type, default: 0] += 1
            }
        }
        // A downloaded list labels every evaluation test file: one that it lacks (a whole section, or
        // lines) is kept as `unknown`, and said once per machine type.
        for (type, files) in unlisted.sorted(by: { $0.key < $1.key }) {
            let section = labels.keys.contains { $0.hasPrefix("\(type)/") } ? "" : " (it has no '\(type)' section)"
            issues.append(CorpusIssue(path: evalList.path, line: nil, reason:
                "\(files.count) files of eval_data/\(type)/test are not listed\(section), first \(files.sorted()[0]); kept with condition unknown"))
        }
        for (type, count) in missingTypes.sorted(by: { $0.key < $1.key }) {
            issues.append(CorpusIssue(path: evalList.path, line: nil,
                                      reason: "eval_data/\(type)/test is missing; its \(count) labelled files skipped"))
        }
        let classes = Self.classes.filter(found.contains) + found.subtracting(Self.classes).sorted()
        return CorpusCatalog(corpus: Self.name, recordings: recordings, issues: issues, classes: classes)
    }

    static func hasTree(_ folder: URL) -> Bool {
        trees.contains { FileSystem.isDirectory(folder.appendingPathComponent($0.0)) }
    }

    /// `eval_data_list.csv`, keyed by `<type>/<eval file name>`.
    private func readEvalList(_ url: URL, issues: inout [CorpusIssue], refused: inout Set<String>) throws -> [String: EvalLabel] {
        let table = try MetadataTable.read(url, delimiter: ",") { _ in false }
        issues += table.rejected
        var labels: [String: EvalLabel] = [:]
        var section: String?
        var sectionLine = 0
        for line in table.lines {
            func reject(_ reason: String) { issues.append(CorpusIssue(path: url.path, line: line.number, reason: reason)) }
            switch line.fields.count {
            case 1:
                let type = line.fields[0]
                guard Self.machineTypes.contains(type) else {
                    reject("section header '\(type)' is not one of the six machine types; its lines are skipped")
                    section = nil
                    sectionLine = line.number
                    continue
                }
                section = type
                sectionLine = line.number
            case 3:
                guard let type = section else {
                    // Lines under a refused header were reported with it; only an absent header is new.
                    if sectionLine == 0 { reject("a file line before any machine-type section header") }
                    continue
                }
                let file = line.fields[0]
                guard let parsed = DCASE2020T2FileName(file), parsed.condition == nil, !file.contains("/") else {
                    reject("'\(file)' is not an evaluation test file name id_<2 digits>_<8 digits>.wav")
                    continue
                }
                let condition: DCASE2020T2FileName.Condition
                switch line.fields[2] {
                case "0": condition = .normal
                case "1": condition = .anomaly
                default:
                    reject("label '\(line.fields[2])' is not 0 (normal) or 1 (anomaly)")
                    refused.insert("\(type)/\(file)")
                    continue
                }
                let key = "\(type)/\(file)"
                if let first = labels[key] {
                    reject("\(type)/\(file) is listed twice (first at line \(first.line))")
                    continue
                }
                labels[key] = EvalLabel(condition: condition, line: line.number)
            default:
                reject("expected 1 field (a machine type) or 3 comma-separated fields (file, renamed file, 0|1), found \(line.fields.count)")
            }
        }
        return labels
    }
}
