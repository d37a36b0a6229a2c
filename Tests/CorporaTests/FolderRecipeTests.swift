import TestSupport
import XCTest
import Corpora

final class FolderRecipeTests: XCTestCase {
    func testLabelsComeFromTheFirstSubFolder() throws {
        let dir = try TemporaryFolder()
        defer { dir.remove() }
        for path in ["dog/001.wav", "dog/deep/002.FLAC", "cat/a.ogg", "loose.wav", "cat/notes.txt", ".hidden/x.wav"] {
            try dir.write("", to: path)
        }
        let catalog = try FolderRecipe().catalog(root: dir.url)
        XCTAssertEqual(catalog.recordings.map { "\($0.id) \($0.label ?? "-") \($0.split)" }, [
            "folder/cat/a cat all", "folder/dog/001 dog all", "folder/dog/deep/002 dog all", "folder/loose - all",
        ])
        XCTAssertEqual(catalog.classes, ["cat", "dog"])
        XCTAssertEqual(catalog.issues, [])
        XCTAssertThrowsError(try FolderRecipe().catalog(root: dir.url.appendingPathComponent("none")))
    }
}
