/// Who a view's parent was when the view was made: its config hash and a checksum of its content.
///
/// A view stores row indices into its parent and values row-aligned with them; if the parent is
/// rebuilt (another seed, config or catalog) the indices point at other clips. Opening a view
/// compares the parent's current identity with this record, so a stale view is an error instead of
/// labels silently paired with other clips' features. Because the parent's own content checksum
/// includes *its* parent identity, a change anywhere up the chain is caught.
public struct ParentIdentity: Codable, Equatable, Hashable, Sendable {
    public var configHash: String
    /// `Manifest.contentChecksum()` of the parent at view time.
    public var contentSHA256: String

    public init(configHash: String, contentSHA256: String) {
        self.configHash = configHash
        self.contentSHA256 = contentSHA256
    }
}
