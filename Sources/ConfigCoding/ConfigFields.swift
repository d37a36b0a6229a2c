import Foundation

/// Decodes one configuration object (a YAML or JSON mapping) field by field onto a default value,
/// and refuses every key no field asked for.
///
/// This is the one way configuration values are decoded, so that none of them can be quietly
/// ignored: a misspelt `n_mel` is an `UnknownConfigKey` naming the key, where it sits and the
/// nearest key that exists, not 128 mel bands. The known keys are not a second list to keep in
/// step with the fields: they are exactly the keys the decoding code asked for (`decode`,
/// `contains`, `accept`), so adding a field cannot forget to make it known.
///
/// ```swift
/// public init(from decoder: Decoder) throws {
///     var f = try ConfigFields(decoder, defaults: Self())
///     try f.decode("n_fft", \.nFFT)
///     try f.decode("fmax", \.fmax)        // optional: `null` gives nil
///     self = try f.finish()               // throws for any key left over
/// }
/// ```
///
/// An object whose keys are shared by several types (a feature entry holds `name`, `kind` and the
/// kind's parameters; MFCC holds the log-mel keys) is decoded through one `ConfigFields`: the owner
/// `accept`s the keys it read itself and decodes the embedded part with `flattened`, so the check
/// and the suggestion see the union of every key of the object.
///
/// It lives in `ConfigCoding`, a target with no dependency, because every module that has
/// configuration (DSP's `PowerToDB`, Features, Labels, Pipeline) needs it and Labels does not
/// depend on DSP: putting it in the lowest of them would add dependencies that mean nothing.
public struct ConfigFields<Value> {
    /// The value decoded so far: the defaults with every present key applied.
    public var value: Value
    let container: KeyedDecodingContainer<ConfigKey>
    let codingPath: [CodingKey]
    /// Every key asked for, present or not: the object's known keys.
    var known: Set<String>

    /// Starts from `defaults` (the type's default value, `Self()`, so a default is written once).
    public init(_ decoder: Decoder, defaults: Value) throws {
        container = try decoder.container(keyedBy: ConfigKey.self)
        codingPath = decoder.codingPath
        value = defaults
        known = []
    }

    init(container: KeyedDecodingContainer<ConfigKey>, codingPath: [CodingKey], value: Value, known: Set<String>) {
        self.container = container
        self.codingPath = codingPath
        self.value = value
        self.known = known
    }

    /// Whether `key` is present (and makes it known).
    public mutating func contains(_ key: String) -> Bool {
        known.insert(key)
        return container.contains(ConfigKey(key))
    }

    /// Marks keys as known that the caller reads through another container of the same object.
    public mutating func accept(_ keys: [String]) {
        known.formUnion(keys)
    }

    /// Sets the field at `path` from `key` when present; an absent key keeps the default. `null`
    /// is an error: the field has no "nothing" value.
    public mutating func decode<T: Decodable>(_ key: String, _ path: WritableKeyPath<Value, T>) throws {
        guard contains(key) else { return }
        value[keyPath: path] = try read(T.self, ConfigKey(key))
    }

    /// Sets a field that has no default: an absent key is an error naming it.
    public mutating func require<T: Decodable>(_ key: String, _ path: WritableKeyPath<Value, T>) throws {
        guard contains(key) else {
            throw DecodingError.keyNotFound(ConfigKey(key), .init(codingPath: codingPath, debugDescription: "required"))
        }
        value[keyPath: path] = try read(T.self, ConfigKey(key))
    }

    /// An error about the value of `key` (for rules between keys that decoding itself checks).
    public func invalid(_ key: String, _ message: String) -> DecodingError {
        .dataCorrupted(.init(codingPath: codingPath + [ConfigKey(key)], debugDescription: message))
    }

    /// Sets an optional field: `null` is nil (librosa's `None`), an absent key keeps the default.
    public mutating func decode<T: Decodable>(_ key: String, _ path: WritableKeyPath<Value, T?>) throws {
        guard contains(key) else { return }
        let k = ConfigKey(key)
        value[keyPath: path] = try container.decodeNil(forKey: k) ? nil : try read(T.self, k)
    }

    /// Sets a field whose `null` means `ifNull` (e.g. `norm: null` is `MelNorm.none`).
    public mutating func decode<T: Decodable>(_ key: String, _ path: WritableKeyPath<Value, T>, ifNull: T) throws {
        guard contains(key) else { return }
        let k = ConfigKey(key)
        value[keyPath: path] = try container.decodeNil(forKey: k) ? ifNull : try read(T.self, k)
    }

    /// Decodes the value of `key` as `T` without storing it (for a key that sets several fields).
    public mutating func decodeIfPresent<T: Decodable>(_ key: String, as type: T.Type) throws -> T? {
        guard contains(key) else { return nil }
        return try read(T.self, ConfigKey(key))
    }

    /// Decodes the part at `path` whose keys sit in this same object (flattened), with `body`
    /// reading them; its keys become known here.
    public mutating func flattened<Part>(_ path: WritableKeyPath<Value, Part>,
                                         _ body: (inout ConfigFields<Part>) throws -> Void) throws {
        var part = ConfigFields<Part>(container: container, codingPath: codingPath,
                                      value: value[keyPath: path], known: known)
        try body(&part)
        value[keyPath: path] = part.value
        known = part.known
    }

    /// Decodes `key` as `T`; a scalar of the wrong kind (`n_fft: many`, `n_mels: null`) becomes a
    /// type mismatch that shows what was written, whatever the decoder's own wording.
    func read<T: Decodable>(_ type: T.Type, _ key: ConfigKey) throws -> T {
        do {
            return try container.decode(T.self, forKey: key)
        } catch let error as DecodingError {
            let context: DecodingError.Context
            switch error {
            case .typeMismatch(_, let c), .valueNotFound(_, let c): context = c
            default: throw error
            }
            // Errors from inside a nested value keep their own path and wording.
            let here = ConfigPath.describe(codingPath + [key])
            guard ConfigPath.describe(context.codingPath) == here else { throw error }
            let found: String
            if (try? container.decodeNil(forKey: key)) == true { found = "null" }
            else if let text = try? container.decode(String.self, forKey: key) { found = "'\(text)'" }
            else { found = "a list or mapping" }
            throw DecodingError.typeMismatch(T.self, .init(codingPath: codingPath + [key], debugDescription: "not \(found)"))
        }
    }

    /// The decoded value, or an `UnknownConfigKey` for the first key (alphabetically) that no
    /// field asked for.
    public func finish() throws -> Value {
        let unknown = container.allKeys.map(\.stringValue).filter { !known.contains($0) }.sorted()
        if let key = unknown.first {
            throw UnknownConfigKey(key: key, path: ConfigPath.describe(codingPath),
                                   suggestion: ConfigKeySuggestion.nearest(to: key, among: known))
        }
        return value
    }
}

/// A key of a configuration object, whatever its name.
public struct ConfigKey: CodingKey, Hashable {
    public var stringValue: String
    public var intValue: Int? { nil }
    public init(_ string: String) { stringValue = string }
    public init?(stringValue: String) { self.stringValue = stringValue }
    public init?(intValue: Int) { stringValue = String(intValue) }
}
