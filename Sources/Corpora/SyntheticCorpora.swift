import Foundation

/// The synthetic-corpus generators by corpus name, for `pipe synth`.
public enum SyntheticCorpora {
    public static let generators: [String: any SyntheticCorpus] = [
        TAU2020Recipe.name: TAU2020Synth(),
        CochlSceneRecipe.name: CochlSceneSynth(),
        CAS2023Recipe.name: CAS2023Synth(),
        TAU2022Recipe.name: TAU2022Synth(),
        DCASE2020T2Recipe.name: DCASE2020T2Synth(),
        STARSS22Recipe.name: STARSS22Synth(),
        TAUNIGENS2021Recipe.name: TAUNIGENS2021Synth(),
        MicIRPRecipe.name: MicIRPSynth(),
    ]

    public static var names: [String] { generators.keys.sorted() }

    public static func generator(named name: String) -> (any SyntheticCorpus)? { generators[name] }
}
