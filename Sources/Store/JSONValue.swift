/// Any JSON value, for the parts of a manifest whose shape belongs to another module (feature
/// parameters, a taxonomy, a stage's options).
///
/// Integers and non-integers are kept apart so `44100` stays `44100` and does not come back as
/// `44100.0` after a round trip.
///
/// ```swift
/// let parameters: JSONValue = ["sample_rate": 44100, "n_mels": 64, "fmax": nil, "window": "hann"]
/// ```
public enum JSONValue: Codable, Equatable, Hashable, Sendable,
    ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral,
    ExpressibleByNilLiteral {
    case null
    case bool(Bool)
    case integer(Int64)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    public init(from decoder: Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .number(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([JSONValue].self) {
            self = .array(value)
        } else if let value = try? container.decode([String: JSONValue].self) {
            self = .object(value)
        } else {
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not a JSON value")
        }
    }

    public func encode(to encoder: Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case let .bool(value): try container.encode(value)
        case let .integer(value): try container.encode(value)
        case let .number(value): try container.encode(value)
        case let .string(value): try container.encode(value)
        case let .array(value): try container.encode(value)
        case let .object(value): try container.encode(value)
        }
    }

    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .integer(value) }
    public init(floatLiteral value: Double) { self = .number(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(Dictionary(elements, uniquingKeysWith: { _, last in last }))
    }

    /// Converts any `Encodable` (e.g. a feature's parameter struct) into a `JSONValue`, so modules
    /// can store their own parameter types in a manifest without the Store knowing them.
    public init<T: Encodable>(encoding value: T) throws {
        let data = try StoreJSON.encoder().encode(value)
        self = try StoreJSON.decoder().decode(JSONValue.self, from: data)
    }

    /// Decodes this value as `T` (the inverse of `init(encoding:)`).
    public func decode<T: Decodable>(as type: T.Type) throws -> T {
        try StoreJSON.decoder().decode(type, from: StoreJSON.encoder().encode(self))
    }

    /// The member `key` of an object, else nil.
    public subscript(key: String) -> JSONValue? {
        if case let .object(members) = self { return members[key] }
        return nil
    }
}
