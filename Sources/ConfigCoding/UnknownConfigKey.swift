/// A key a configuration object does not have, with where it was and the nearest key it does have.
public struct UnknownConfigKey: Error, Equatable, CustomStringConvertible {
    public var key: String
    /// The path of the object holding the key (`features[0]`, `audio`), empty at the top level.
    public var path: String
    /// The closest known key, when one is close enough to be a likely misspelling.
    public var suggestion: String?

    public init(key: String, path: String, suggestion: String?) {
        self.key = key
        self.path = path
        self.suggestion = suggestion
    }

    /// `unknown key 'n_mel' in features[0]; did you mean 'n_mels'?`
    public var description: String {
        let place = path.isEmpty ? " at the top level" : " in \(path)"
        return "unknown key '\(key)'\(place)" + (suggestion.map { "; did you mean '\($0)'?" } ?? "")
    }
}
