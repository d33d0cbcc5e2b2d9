import NIOConcurrencyHelpers

/// The model being served, swapped whole under a lock: a request reads ``current`` once and keeps that model to the
/// end, so a reload never fails or mixes a request in flight; the next request gets the new one.
final class ModelStore: Sendable {
    private let box: NIOLockedValueBox<ServingModel>

    init(_ model: ServingModel) {
        box = NIOLockedValueBox(model)
    }

    /// The model serving now.
    var current: ServingModel { box.withLockedValue { $0 } }

    /// Serves `model` from now on.
    func replace(with model: ServingModel) {
        box.withLockedValue { $0 = model }
    }
}
