import ArgumentParser
import Foundation
import Store

/// `pipe info STORE`: what a store or view holds.
struct InfoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "info", abstract: "Describe a store or view.")

    @Argument(help: "Store (or view) folder or manifest.json.")
    var store: String

    func run() throws {
        let reader = try StoreReader(manifest: manifestURL(store))
        // Every shard (and an ancestor's) is checked against its manifest first: a store that
        // cannot be read is not described as if it could.
        try reader.openSegments()
        print("rows: \(reader.rowCount)")
        print("classes: \(reader.classes.joined(separator: ", "))")
        print("columns:")
        for column in reader.columns { print("  /\(column.name)  \(column.dtype.rawValue) \(column.shapeDescription)") }
    }
}

/// `pipe verify STORE`: check the manifest's own checksum, every file it lists, every shard or
/// column file and its sidecar, and (by opening it) that a view's ancestors are the ones it was made from.
struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a store or view: manifest checksum, catalog, sidecars, shards, column files, ancestors.")

    @Argument(help: "Store (or view) folder or manifest.json.")
    var store: String

    func run() throws {
        let reader = try StoreReader(manifest: manifestURL(store))
        let report = reader.verify()
        for failure in report.failures { printError("\(failure.path): \(failure.reason)") }
        guard report.isValid else { throw ExitCode(2) }
        print("ok: \(report.checked.count) files checked (manifests, listed files, shards and sidecars), "
              + "\(reader.rowCount) rows, every file matches its SHA-256")
    }
}

/// A store folder or its manifest file.
func manifestURL(_ path: String) -> URL {
    let url = URL(fileURLWithPath: path)
    var isDirectory: ObjCBool = false
    if FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory), isDirectory.boolValue {
        return url.appendingPathComponent("manifest.json")
    }
    return url
}
