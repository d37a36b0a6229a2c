import Foundation

/// One row of a corpus catalog: a single audio file with the metadata its corpus publishes.
///
/// Values are kept as the corpus publishes them (labels in their original spelling, splits under
/// their original names) so that mapping to a taxonomy stays a separate, explicit step (`Labels`),
/// and a catalog can always be traced back to the metadata line it came from.
public struct Recording: Codable, Hashable, Sendable {
    /// Unique within a store: `"<corpus>/<file stem>"`, e.g. `tau2020/airport-lisbon-1000-40000-a`.
    public var id: String
    /// The recipe name of the corpus (`CorpusRecipe.name`), e.g. `tau2020`.
    public var corpus: String
    /// Absolute path of the audio file.
    public var path: String
    /// The scene label exactly as published; `nil` means unlabeled (e.g. CAS 2023's empty labels).
    public var label: String?
    /// The split exactly as published: TAU `train`/`evaluate`/`unused`, CochlScene
    /// `Train`/`Val`/`Test`, CAS `dev`/`eval`.
    public var split: String
    /// Recording device (TAU `source_label`: `a`, `b`, `c`, `s1`…); `nil` where the corpus has none.
    public var device: String?
    /// Recording city, where the corpus publishes one.
    public var city: String?
    /// The grouping key that keeps recordings of one place or person together when splitting:
    /// TAU `identifier` (`lisbon-1000`), CochlScene user id (`user0009`), CAS city.
    public var location: String?
    /// Seconds since the Unix epoch (UTC) of the source recording; CAS 2023 (APSIPA metadata) only.
    public var recordTime: Int64?
    /// The longer recording a clip was cut from, where the corpus cuts them (TAU 2022: the 10-s
    /// segment `lisbon-1000-40000` of a 1-s piece, shared by the devices that recorded it in
    /// parallel). Pieces of one segment must stay on one side of any split.
    public var segment: String?
    /// Named subsets of the corpus split that list this recording (TAU 2022: the DCASE 2023–2025
    /// train subsets `split5` … `split100`); `inputs.splits` selects by these names as well.
    public var subsets: [String]?
    /// Corpus-specific metadata that has no field of its own, keyed by the column name the recipe
    /// declares in `attributeColumns` (DCASE 2020 T2 `machine_type`, `machine_id`, `condition`;
    /// STARSS22 `fold`, `room`, `mix`): each becomes the string column `/meta/<key>`.
    public var attributes: [String: String]?
    /// The path of the recording's frame-level annotation (a SELD metadata CSV, `SELDAnnotation`),
    /// from which the store's `/targets/*` columns are made.
    public var annotation: String?
    /// For a row that is one segment of a longer file (`audio.segment_hop`): the seconds into the file
    /// where it starts, and the id of the whole recording (`id` is then `<recording>#<k>`).
    public var startSeconds: Double?
    public var recordingID: String?

    public init(id: String, corpus: String, path: String, label: String?, split: String,
                device: String? = nil, city: String? = nil, location: String? = nil, recordTime: Int64? = nil,
                segment: String? = nil, subsets: [String]? = nil, attributes: [String: String]? = nil, annotation: String? = nil) {
        self.id = id
        self.corpus = corpus
        self.path = path
        self.label = label
        self.split = split
        self.device = device
        self.city = city
        self.location = location
        self.recordTime = recordTime
        self.segment = segment
        self.subsets = subsets
        self.attributes = attributes
        self.annotation = annotation
    }

    /// Whether the corpus publishes a label for this recording.
    public var labeled: Bool { label != nil }
}
