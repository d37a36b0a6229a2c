import Foundation

/// The recipes this build knows, by name, so configs and the command line can name a corpus.
public enum CorpusRegistry {
    /// Every recipe, in the order `names` lists them.
    public static let recipes: [any CorpusRecipe] = [
        TAU2020Recipe(), CochlSceneRecipe(), CAS2023Recipe(), TAU2022Recipe(), DCASE2020T2Recipe(), STARSS22Recipe(), TAUNIGENS2021Recipe(),
        FolderRecipe(),
    ]

    /// The recipe names: `tau2020`, `cochlscene`, `cas2023`, `tau2022`, `dcase2020t2`, `starss22`, `tau-nigens2021`, `folder`.
    public static var names: [String] { recipes.map { $0.name } }

    /// The recipe called `name` (exact, case-sensitive, as it appears in ids), or `nil`.
    public static func recipe(named name: String) -> (any CorpusRecipe)? {
        recipes.first { $0.name == name }
    }
}
