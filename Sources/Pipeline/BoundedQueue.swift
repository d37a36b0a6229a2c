import DequeModule
import Foundation

/// A blocking FIFO with a fixed capacity: producers wait when it is full, so a fast reader can never
/// pile up more decoded clips than the workers consume (memory stays independent of corpus size).
final class BoundedQueue<Element>: @unchecked Sendable {
    private var items = Deque<Element>()
    private let capacity: Int
    private let condition = NSCondition()
    private var closed = false

    init(capacity: Int) {
        precondition(capacity > 0)
        self.capacity = capacity
    }

    func push(_ item: Element) {
        condition.lock()
        while items.count >= capacity && !closed { condition.wait() }
        items.append(item)
        condition.broadcast()
        condition.unlock()
    }

    /// The next item, or nil once the queue is closed and drained.
    func pop() -> Element? {
        condition.lock()
        defer { condition.unlock() }
        while items.isEmpty && !closed { condition.wait() }
        guard !items.isEmpty else { return nil }
        let item = items.removeFirst()
        condition.broadcast()
        return item
    }

    func close() {
        condition.lock()
        closed = true
        condition.broadcast()
        condition.unlock()
    }
}

/// Results keyed by plan position, released strictly in order to the one writer. Workers block
/// when they run more than `window` positions ahead of the writer, which bounds memory too.
final class ReorderBuffer<Element>: @unchecked Sendable {
    private var pending: [Int: Element] = [:]
    private var next = 0
    private let window: Int
    private let condition = NSCondition()

    init(window: Int) { self.window = window }

    func put(_ item: Element, at position: Int) {
        condition.lock()
        while position >= next + window { condition.wait() }
        pending[position] = item
        condition.broadcast()
        condition.unlock()
    }

    /// Waits for the item at the next position and returns it.
    func takeNext() -> Element {
        condition.lock()
        defer { condition.unlock() }
        while pending[next] == nil { condition.wait() }
        let item = pending.removeValue(forKey: next)!
        next += 1
        condition.broadcast()
        return item
    }
}
