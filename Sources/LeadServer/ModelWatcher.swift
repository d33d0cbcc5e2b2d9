import Dispatch
import LeadData
import Logging
import ServiceLifecycle

/// Replaces the served model when asked (SIGHUP) or when its file (or the rules file) changes, polled every
/// `interval`: the new model is loaded and checked in full here, off the request path, then swapped in at once
/// (``ModelStore``). A model that fails to load is logged and the old one keeps serving. A SIGHUP then asks for
/// ``onHangup`` too (the token file and the open leads read again), which does its work off this task.
struct ModelWatcher: Service {
    let store: ModelStore
    /// The model file, or a registry's pointer.
    let modelPath: String
    /// The registry whose pointer `modelPath` is, if any.
    let registry: String?
    let rulesPath: String?
    /// How often to look at the files; nil to reload on SIGHUP only.
    let interval: Duration?
    let hangups: HangupSignal?
    let log: ServerLog
    /// Counts the reloads served and refused.
    var metrics: ServerMetrics? = nil
    /// What else a SIGHUP asks for, after the model is reloaded: the token file and the open leads read again. It
    /// must return at once, its work done elsewhere.
    var onHangup: (@Sendable () -> Void)? = nil

    /// Runs until the server shuts down (a service that returned early would stop the whole server).
    func run() async throws {
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                // Returns at graceful shutdown; throws (and so returns too) when the task is cancelled.
                try? await gracefulShutdown()
            }
            if let hangups {
                group.addTask {
                    for await _ in hangups.signals {
                        await reloadOffLoop(because: "SIGHUP")
                        onHangup?()
                    }
                }
            }
            if let interval {
                group.addTask {
                    // The identities of a version that failed to load, so that it is reported once, not every poll.
                    var failed: (FileIdentity?, FileIdentity?)?
                    // Whether the missing model or rules file has been reported (once, until it is back).
                    var missingReported = false
                    while !Task.isCancelled {
                        try? await Task.sleep(for: interval)
                        let current = store.current
                        let now = (FileIdentity.of(modelPath), rulesPath.flatMap(FileIdentity.of))
                        // A file given that cannot be read now (without a rules file, only the model counts).
                        let missing = [(modelPath, now.0 != nil)] + (rulesPath.map { [($0, now.1 != nil)] } ?? [])
                        let unreadable = missing.filter { !$0.1 }.map(\.0)
                        if !unreadable.isEmpty {
                            if !missingReported {
                                log.log(.warning, "\(unreadable.joined(separator: " and ")) cannot be read any more (deleted, or mid-replacement); still serving model \(current.hash) as loaded")
                                missingReported = true
                            }
                            continue
                        }
                        missingReported = false
                        guard now.0 != current.modelIdentity || now.1 != current.rulesIdentity else { continue }
                        if let failed, failed.0 == now.0, failed.1 == now.1 { continue }
                        failed = await reloadOffLoop(because: "the file changed") ? nil : now
                    }
                }
            }
            // The first task to end is the shutdown one: the others loop until cancelled.
            await group.next()
            group.cancelAll()
        }
    }

    /// ``reload(because:)`` on a Dispatch thread: reading and checking a model takes milliseconds, which must not
    /// hold up an event loop (concurrency jobs may run on them, see ``LeadServer/runConcurrencyOnEventLoops()``).
    @discardableResult
    func reloadOffLoop(because reason: String) async -> Bool {
        await withCheckedContinuation { continuation in
            Self.loading.async { continuation.resume(returning: reload(because: reason)) }
        }
    }

    private static let loading = DispatchQueue(label: "leadscore.serve.reload")

    /// Loads the files afresh and serves them if they are good; returns whether it did.
    @discardableResult
    func reload(because reason: String) -> Bool {
        let old = store.current.hash
        do {
            let model = try ServingModel.load(modelPath: modelPath, rulesPath: rulesPath, registry: registry)
            store.replace(with: model)
            metrics?.reloaded(succeeded: true)
            log.logger.info("reloaded \(modelPath) (\(reason)): model \(old) -> \(model.hash)")
            return true
        } catch {
            metrics?.reloaded(succeeded: false)
            log.logger.error("\(reason), but the new model is not served; still serving \(old): \(Echo.line(error.description))")
            return false
        }
    }
}
