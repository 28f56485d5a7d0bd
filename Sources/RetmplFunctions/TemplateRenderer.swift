public import RetmplTemplate
public import RetmplRegistry

/// A consul-template template, parsed once, rendered by the complete-pass rule.
///
/// Each render executes the template against a ``DataSource``. Data
/// functions record the dependencies they use; when one has not arrived,
/// the pass only discovers dependencies: its output is dropped and so are
/// errors a watcher should not report yet. Only a complete pass produces
/// output. This lets `{{ (index (service "db") 0).Address }}` render once
/// `db` has instances, where consul-template fails on its first, empty pass.
public struct TemplateRenderer: Sendable {
    /// The outcome of one pass.
    public enum Outcome {
        /// Every dependency was present: the rendered bytes.
        case rendered([UInt8])
        /// Some dependencies had not arrived. `error` is what the pass failed
        /// with, if anything; a watcher ignores it, a one-shot render against
        /// a complete source (a snapshot) may report it.
        case incomplete(missing: [Dependency], error: TemplateError?)
        /// The pass was complete and failed.
        case failed(TemplateError)
    }

    /// The result of one pass: its outcome and every dependency it used,
    /// which a watcher turns into watches.
    public struct Result {
        public let outcome: Outcome
        /// Dependencies used by the pass, in first-use order.
        public let dependencies: [Dependency]
    }

    public let template: TextTemplate

    /// Parses `source` with consul-template's function library.
    /// - Throws: ``TemplateError`` (kind `.parse`) naming file, line and column.
    public init(source: String, name: String, options: TextTemplate.Options = TextTemplate.Options()) throws(TemplateError) {
        self.template = try TextTemplate(source: source, name: name, functions: ConsulFunctions.table, options: options)
    }

    /// Runs one pass against `source`. `sizeHint`: the size of the last
    /// rendering, if any (the output buffer starts that big).
    public func render(source: any DataSource, sizeHint: Int = 0) -> Result {
        let state = RenderState(source: source)
        do {
            let bytes = try template.execute(data: .noValue, environment: state, capacity: max(sizeHint, 4096))
            if state.missing.isEmpty {
                return Result(outcome: .rendered(bytes), dependencies: state.used)
            }
            return Result(outcome: .incomplete(missing: state.missing, error: nil), dependencies: state.used)
        } catch {
            if state.missing.isEmpty {
                return Result(outcome: .failed(error), dependencies: state.used)
            }
            return Result(outcome: .incomplete(missing: state.missing, error: error), dependencies: state.used)
        }
    }
}

/// One offline render (the `retmpl render` contract): parse, run one pass
/// against a complete source, and map the outcome to an exit status.
public struct OfflineRender {
    /// 0 rendered, 1 template error, 2 would never render (missing data).
    public let status: Int32
    /// The rendering when `status == 0`.
    public let output: [UInt8]
    /// What went wrong, ready for stderr, when `status != 0`.
    public let message: String?

    public init(source text: String, name: String, options: TextTemplate.Options, data: any DataSource) {
        let renderer: TemplateRenderer
        do {
            renderer = try TemplateRenderer(source: text, name: name, options: options)
        } catch {
            self.init(status: 1, output: [], message: error.description)
            return
        }
        switch renderer.render(source: data).outcome {
        case .rendered(let bytes):
            self.init(status: 0, output: bytes, message: nil)
        case .failed(let error):
            self.init(status: 1, output: [], message: error.description)
        case .incomplete(let missing, let error):
            // The source is complete: what is missing never arrives, and an
            // error in the same pass is the more useful report.
            if let error {
                self.init(status: 1, output: [], message: error.description)
            } else {
                let names = missing.map(\.description).joined(separator: ", ")
                self.init(status: 2, output: [], message: "\(name): template would not render: missing dependencies: \(names)")
            }
        }
    }

    private init(status: Int32, output: [UInt8], message: String?) {
        self.status = status
        self.output = output
        self.message = message
    }
}
