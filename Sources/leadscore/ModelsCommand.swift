import ArgumentParser
import Foundation
import LeadData
import ModelRegistry
import Reports
import Scoring

/// `leadscore models`: the model registry that `retrain` publishes to and `serve --registry` serves from.
struct ModelsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "models",
        abstract: "Keep every model in a registry: which is current, and why; promote or roll back by hand.",
        discussion: """
            A registry is a folder: models/<id>.json (model files named by the hash of their bytes, the id \
            `serve` shows, never rewritten), log.jsonl (one line per retrain, promotion or rollback: time, data \
            fingerprint, both models' figures, decision and reason) and current.json (the current model, replaced \
            by a rename, so that readers and `serve --registry` see the old pointer or the new one, never half).

            Examples:
              leadscore models init registry --model models/sample.json
              leadscore models list registry
              leadscore models show registry
              leadscore models promote registry 3f2a91c0
              leadscore models promote registry retrained-by-hand.json
              leadscore models rollback registry
            """,
        subcommands: [Init.self, List.self, Show.self, Promote.self, Rollback.self]
    )

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a registry in a new or empty folder, with a model file as its current model.")

        @Argument(help: ArgumentHelp("The registry folder (created).", valueName: "registry"))
        var registry: String

        @Option(help: ArgumentHelp("The first current model.", valueName: "model.json"))
        var model: String

        func run() throws {
            try Failure.guarding {
                let data = try JSONFile.read(path: model, what: "the model file")
                let made = try ModelRegistry.create(folder: registry, modelData: data, source: URL(fileURLWithPath: model).lastPathComponent)
                emit("made \(registry): current model \(try made.pointer().model) (from \(model))\n")
            }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Every record of the registry's log, oldest first, and the current model.")

        @Argument(help: ArgumentHelp("The registry folder.", valueName: "registry"))
        var registry: String

        @Option(help: "text or json.")
        var format: OutputFormat = .text

        func run() throws {
            try Failure.guarding {
                let store = ModelRegistry(folder: registry)
                let listing = RegistryListing(entries: try store.history(), current: try store.pointer().model)
                switch format {
                case .text: emit(listing.text())
                case .json: emit(try listing.json())
                }
            }
        }
    }

    struct Show: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One model of the registry (default: the current one): what it was trained on, how it did, and its records.")

        @Argument(help: ArgumentHelp("The registry folder.", valueName: "registry"))
        var registry: String

        @Argument(help: ArgumentHelp("The model's id, or its first characters (at least 4).", valueName: "id"))
        var id: String?

        @Option(help: "text or json.")
        var format: OutputFormat = .text

        func run() throws {
            try Failure.guarding {
                let store = ModelRegistry(folder: registry)
                let pointer = try store.pointer()
                let id = try self.id.map(store.resolve) ?? pointer.model
                let model = try LeadModel.load(path: store.modelPath(id))
                let records = try store.history().filter { $0.record.current == id || $0.record.challenger == id || $0.record.previous == id }
                let card = RegistryModelCard(id: id, path: store.modelPath(id), model: model, current: pointer.model == id, entries: records)
                switch format {
                case .text: emit(card.text())
                case .json: emit(try card.json())
                }
            }
        }
    }

    struct Promote: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make a model current by hand: one already in the registry (by id), or a model file added to it.")

        @Argument(help: ArgumentHelp("The registry folder.", valueName: "registry"))
        var registry: String

        @Argument(help: ArgumentHelp("A model's id (at least its first 4 characters), or the path of a model file to add.", valueName: "id|model.json"))
        var model: String

        @Option(help: "Why, for the log.")
        var reason: String = "promoted by hand"

        func run() throws {
            try Failure.guarding {
                let store = ModelRegistry(folder: registry)
                let before = try store.pointer().model
                let id: String
                if FileManager.default.fileExists(atPath: model) {
                    id = try store.store(try JSONFile.read(path: model, what: "the model file"), path: model)
                } else {
                    id = try store.resolve(model)
                    _ = try LeadModel.load(path: store.modelPath(id))
                }
                guard id != before else { throw InputError(file: registry, line: nil, message: "model \(id) is already current") }
                let record = try store.commit(RegistryRecord(time: ModelRegistry.timestamp(Date()), action: .promote, reason: reason,
                                                             previous: before, current: id), expectedCurrent: before)
                emit("promoted \(id): it is current (was \(before)), log record \(record.seq)\n")
            }
        }
    }

    struct Rollback: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Make the model that was current before the current one current again.")

        @Argument(help: ArgumentHelp("The registry folder.", valueName: "registry"))
        var registry: String

        @Option(help: "Why, for the log.")
        var reason: String = "rolled back by hand"

        func run() throws {
            try Failure.guarding {
                let store = ModelRegistry(folder: registry)
                let current = try store.pointer().model
                guard let made = try store.history().last(where: { $0.committed && $0.record.changesCurrent && $0.record.current == current }),
                      let previous = made.record.previous else {
                    throw InputError(file: registry, line: nil, message: "model \(current) has been current since the registry was made: there is nothing to roll back to")
                }
                _ = try LeadModel.load(path: store.modelPath(previous))
                let record = try store.commit(RegistryRecord(time: ModelRegistry.timestamp(Date()), action: .rollback,
                                                             reason: "\(reason) (undoing record \(made.record.seq))",
                                                             previous: current, current: previous), expectedCurrent: current)
                emit("rolled back to \(previous): it is current (was \(current)), log record \(record.seq)\n")
            }
        }
    }
}
