//! Validating the collected jobs (one compiled validator per view) and turning violations into
//! findings, external values read on the way.

use super::forms::form_data;
use super::messages::describe;
use super::*;

pub(super) struct Run<'r> {
    pub(super) contract: &'r Contract,
    pub(super) options: &'r ExampleOptions,
    /// Schemas with readOnly/writeOnly properties anywhere below them: most have none, and then
    /// no example of theirs needs the misdirection walk.
    pub(super) directional: Vec<bool>,
    pub(super) stats: ExampleStats,
}

/// A job whose value is at hand.
pub(super) struct Ready<'j> {
    job: &'j Job,
    value: Cow<'j, Value>,
    /// Where findings point: the value, or the `externalValue` that names it.
    anchor: Loc,
}

/// One violation, ready to become a finding.
pub(super) struct Violation {
    pub(super) instance_path: String,
    pub(super) message: String,
    /// The model schema whose keyword failed, when known.
    pub(super) schema: Option<SchemaId>,
    /// Whether the keyword is a bound (`minimum`, `maxItems`, ...).
    pub(super) bound: bool,
}

impl<'j> Run<'j> {
    /// The value of a job, or `None` (with a finding when an external value is unreadable).
    pub(super) fn instance(
        &mut self,
        job: &'j Job,
        findings: &mut Vec<Finding>,
    ) -> Option<Ready<'j>> {
        let key = &job.key;
        let contract = self.contract;
        let (value, anchor) = match &key.source {
            Source::Inline(loc) => (Cow::Borrowed(contract.value(loc)?), loc.clone()),
            Source::External { reference, at } => match self.external(reference, at, key.payload) {
                Ok(v) => (Cow::Owned(v), at.clone()),
                Err(finding) => {
                    self.stats.unchecked += 1;
                    findings.push(self.with_operation(*finding, job));
                    return None;
                }
            },
        };
        // A text body is its characters: `42` written in YAML is the text "42".
        let value = match (key.payload, value.as_ref()) {
            (Payload::Text, Value::Number(n)) => Cow::Owned(Value::String(n.to_string())),
            (Payload::Text, Value::Bool(b)) => Cow::Owned(Value::String(b.to_string())),
            (Payload::Form, _) => match form_data(&contract.types, key.schema, value.as_ref()) {
                Some(data) => Cow::Owned(data),
                None => value,
            },
            _ => value,
        };
        Some(Ready { job, value, anchor })
    }

    /// The violations of every ready job, in order; `None` when its schema cannot be compiled.
    /// The jobs of a view are validated by one validator compiled once for all of them: the
    /// instance `{"0": value0, "1": value1, ...}` against `{"properties": {"0": schema0, ...}}`.
    pub(super) fn violations(&self, ready: &[Ready<'_>]) -> Vec<Option<Vec<Violation>>> {
        let contract = self.contract;
        let export = ExportOptions::for_contract(contract, self.options.format_assertions);
        let mut by_view: HashMap<View, Vec<usize>> = HashMap::new();
        for (i, r) in ready.iter().enumerate() {
            by_view.entry(r.job.key.view).or_default().push(i);
        }
        let mut groups: Vec<(View, Vec<usize>)> = by_view.into_iter().collect();
        groups.sort_by_key(|(view, _)| *view);
        // Compiling the views on two threads measured no faster on the 2-core CI machine (the
        // largest view dominates), so they run one after the other.
        let results = groups
            .iter()
            .map(|(view, indices)| view_violations(contract, ready, *view, indices, &export));
        let mut out: Vec<Option<Vec<Violation>>> = ready.iter().map(|_| None).collect();
        for (i, violations) in results.flatten() {
            out[i] = violations;
        }
        out
    }

    pub(super) fn report(
        &mut self,
        ready: &Ready<'_>,
        violations: Option<Vec<Violation>>,
        findings: &mut Vec<Finding>,
    ) {
        let Ready { job, value, anchor } = ready;
        let key = &job.key;
        let contract = self.contract;
        let instance = value.as_ref();
        match key.kind {
            Kind::Example => self.stats.examples += 1,
            Kind::Default => self.stats.defaults += 1,
        }
        let Some(mut violations) = violations else {
            self.stats.unchecked += 1;
            return;
        };
        // A bound of a schema whose bounds exclude every value fails for every instance: the
        // impossible range is reported once, by the lint, not again at each example.
        violations.retain(|v| {
            !(v.bound
                && v.schema.is_some_and(|id| {
                    self.options
                        .unsatisfiable
                        .contains(&contract.types.get(id).loc)
                }))
        });
        let external = matches!(key.source, Source::External { .. });
        let refs = if violations.is_empty() {
            Vec::new()
        } else {
            literal_refs(instance)
        };
        if !violations.is_empty() {
            match key.kind {
                Kind::Example => self.stats.invalid_examples += 1,
                Kind::Default => self.stats.invalid_defaults += 1,
            }
        }
        for violation in violations {
            let (rule, level) = match key.kind {
                Kind::Example => (RULE_INVALID, Level::Error),
                Kind::Default => (RULE_DEFAULT_INVALID, Level::Warning),
            };
            let mut message = match &job.subject {
                Some(subject) => format!("{subject}: {}", violation.message),
                None => violation.message,
            };
            if refs.iter().any(|r| related(r, &violation.instance_path)) {
                message.push_str(
                    " — note: `$ref` inside an example value is literal data, not a reference, and was not resolved",
                );
            }
            if let Source::External { reference, .. } = &key.source {
                message = format!("in {reference}: {message}");
            }
            let loc = if external {
                anchor.clone()
            } else {
                inside(contract, anchor, &violation.instance_path)
            };
            let finding = Finding::new(rule, level, self.users_note(message, job))
                .at(contract.location(&loc));
            findings.push(self.with_operation(finding, job));
        }
        let types = &contract.types;
        let directional = self.directional[key.schema.0 as usize];
        if let (Kind::Example, Some(direction), true) =
            (key.kind, key.view.direction(), directional)
        {
            for m in misdirected_properties(types, key.schema, direction, instance) {
                let (rule, flag) = match direction {
                    Direction::Request => (RULE_READ_ONLY_IN_REQUEST, "readOnly"),
                    Direction::Response => (RULE_WRITE_ONLY_IN_RESPONSE, "writeOnly"),
                };
                let mut message = format!(
                    "{}: property `{}` is {flag} and should not be sent in a {} (schema: {})",
                    m.instance_path,
                    m.property,
                    direction.as_str(),
                    schema_ref(contract, m.schema)
                );
                if let Source::External { reference, .. } = &key.source {
                    message = format!("in {reference}: {message}");
                }
                let loc = if external {
                    anchor.clone()
                } else {
                    inside(contract, anchor, &m.instance_path)
                };
                let finding = Finding::new(rule, Level::Warning, self.users_note(message, job))
                    .at(contract.location(&loc));
                findings.push(self.with_operation(finding, job));
            }
        }
    }

    fn with_operation(&self, finding: Finding, job: &Job) -> Finding {
        match &job.operation {
            Some(op) => finding.with_operation(op.clone()),
            None => finding,
        }
    }

    fn users_note(&self, mut message: String, job: &Job) -> String {
        match job.users {
            0 | 1 => {}
            2 => message.push_str(" (the example is also used by 1 other operation)"),
            n => message.push_str(&format!(
                " (the example is also used by {} other operations)",
                n - 1
            )),
        }
        message
    }

    /// Reads and parses an `externalValue`.
    fn external(
        &mut self,
        reference: &str,
        at: &Loc,
        payload: Payload,
    ) -> Result<Value, Box<Finding>> {
        let contract = self.contract;
        let unreadable = |level: Level, message: String| {
            Box::new(
                Finding::new(RULE_EXTERNAL_UNREADABLE, level, message).at(contract.location(at)),
            )
        };
        // Read through the loader: the same root, limits and HTTP client as `$ref`s. A refusal
        // (outside the root, a FIFO, a private address) is an error under its own rule.
        let external = contract
            .documents
            .read_external(at.file, reference)
            .map_err(|e| {
                let message = format!("externalValue `{reference}`: {e}");
                if e.is_remote_not_followed() {
                    unreadable(Level::Info, format!("externalValue `{reference}` was not fetched, so the example is not checked: pass --allow-remote-refs to fetch it"))
                } else if e.is_refusal() {
                    Box::new(
                        Finding::new(e.rule(&rule::EXAMPLE_EXTERNAL_UNREADABLE).id, Level::Error, message)
                            .at(contract.location(at)),
                    )
                } else {
                    unreadable(Level::Warning, message)
                }
            })?;
        let bytes: &[u8] = &external.bytes;
        let origin_name = &external.name;
        match payload {
            Payload::Text => match std::str::from_utf8(bytes) {
                Ok(text) => Ok(Value::String(text.to_string())),
                Err(_) => Err(unreadable(
                    Level::Warning,
                    format!("externalValue `{reference}`: {origin_name} is not UTF-8 text"),
                )),
            },
            Payload::Json | Payload::Form => match crate::load::parse::parse_document(bytes) {
                Ok(parsed) => Ok(parsed.root),
                Err(e) => Err(unreadable(
                    Level::Warning,
                    format!(
                        "externalValue `{reference}`: {origin_name}:{}:{}: not JSON or YAML: {}",
                        e.line, e.column, e.message
                    ),
                )),
            },
        }
    }
}

/// The violations of the ready jobs `indices`, all of one view, by job index; `None` for a job
/// whose schema cannot be compiled.
fn view_violations(
    contract: &Contract,
    ready: &[Ready<'_>],
    view: View,
    indices: &[usize],
    export: &ExportOptions,
) -> Vec<(usize, Option<Vec<Violation>>)> {
    let roots: Vec<SchemaId> = indices.iter().map(|i| ready[*i].job.key.schema).collect();
    match compile_batch(&contract.types, &roots, view, export.clone()) {
        Ok((validator, locator)) => {
            let instance = batch_instance(indices.iter().map(|i| ready[*i].value.as_ref().clone()));
            let mut out: Vec<(usize, Option<Vec<Violation>>)> =
                indices.iter().map(|i| (*i, Some(Vec::new()))).collect();
            for error in validator.iter_errors(&instance) {
                let Some(slot) = batch_slot(&error) else {
                    continue;
                };
                let Some((_, Some(list))) = out.get_mut(slot) else {
                    continue;
                };
                list.extend(describe(
                    &error,
                    &format!("/{slot}"),
                    contract,
                    Some(&locator),
                ));
            }
            drop_in_background((validator, instance, locator));
            out
        }
        // One schema the crate cannot compile must not cost the others their check: compile
        // each on its own.
        Err(_) => {
            let compiled = CompiledSchemas::new(
                &contract.types,
                roots.iter().map(|r| (*r, view)),
                export.clone(),
            );
            indices
                .iter()
                .map(|i| {
                    let r = &ready[*i];
                    let violations =
                        compiled
                            .validator(r.job.key.schema, view)
                            .ok()
                            .map(|validator| {
                                validator
                                    .iter_errors(r.value.as_ref())
                                    .flat_map(|e| {
                                        describe(&e, "", contract, compiled.locator(view))
                                    })
                                    .collect()
                            });
                    (*i, violations)
                })
                .collect()
        }
    }
}

/// Frees a large value on another thread: tearing down a compiled validator and the batch
/// instance takes about a tenth of the run on big specs, and nothing waits for it.
fn drop_in_background<T: Send + 'static>(value: T) {
    // If no thread can be started, the value comes back in the error and is dropped here.
    let _ = std::thread::Builder::new()
        .name("oaskit-drop".into())
        .spawn(move || drop(value));
}

/// The location of a node inside an example, or the example itself when the node is not written
/// there (a missing required property).
fn inside(contract: &Contract, anchor: &Loc, instance_path: &str) -> Loc {
    if instance_path.is_empty() {
        return anchor.clone();
    }
    let loc = Loc::new(anchor.file, format!("{}{}", anchor.pointer, instance_path));
    if contract.value(&loc).is_some() {
        loc
    } else {
        anchor.clone()
    }
}

/// `#/components/schemas/Toy/properties/size`, or `other.yaml#/Toy` for a schema in another file.
pub(super) fn schema_ref(contract: &Contract, id: SchemaId) -> String {
    let loc = &contract.types.get(id).loc;
    if loc.file == FileId::ROOT {
        format!("#{}", loc.pointer)
    } else {
        format!("{}#{}", contract.documents.file(loc.file).name, loc.pointer)
    }
}

/// Pointers of the objects with a `$ref` member inside an example value.
fn literal_refs(instance: &Value) -> Vec<String> {
    fn walk(value: &Value, path: &mut String, out: &mut Vec<String>, depth: usize) {
        if depth > 256 || out.len() > 64 {
            return;
        }
        match value {
            Value::Object(map) => {
                if map.contains_key("$ref") {
                    out.push(path.clone());
                }
                for (key, child) in map {
                    let len = path.len();
                    path.push('/');
                    path.push_str(&pointer::escape_token(key));
                    walk(child, path, out, depth + 1);
                    path.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    let len = path.len();
                    path.push_str(&format!("/{i}"));
                    walk(child, path, out, depth + 1);
                    path.truncate(len);
                }
            }
            _ => {}
        }
    }
    let mut out = Vec::new();
    walk(instance, &mut String::new(), &mut out, 0);
    out
}

/// Whether two instance paths are the same node or one contains the other.
fn related(a: &str, b: &str) -> bool {
    let contains = |outer: &str, inner: &str| {
        inner.starts_with(outer) && inner[outer.len()..].starts_with('/')
    };
    a == b || contains(a, b) || contains(b, a)
}
