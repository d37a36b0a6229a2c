extension RejectedInput {
    /// The planned rows this entry stands for.
    public var rowCount: Int { rows ?? 1 }

    /// `list` with each (path, line, stage, reason) once, in first-seen order, its `rows` the sum:
    /// the rows of one recording's variants (and its original) are rejected for the same reason, and
    /// a manifest listing the file once per variant would overstate how many inputs are bad.
    public static func merged(_ list: [RejectedInput]) -> [RejectedInput] {
        var order: [RejectedInput] = []
        var index: [RejectedInput: Int] = [:]
        for item in list {
            var key = item
            key.rows = nil
            if let at = index[key] {
                order[at].rows = order[at].rowCount + item.rowCount
            } else {
                index[key] = order.count
                order.append(item)
            }
        }
        return order
    }
}
