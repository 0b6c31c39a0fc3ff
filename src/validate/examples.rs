//! Every example and default in a contract, validated against its schema from the side of the
//! exchange it is written for: an example that contradicts its schema is a lie in the contract,
//! and mocks, docs and SDK tests are built from it.
//!
//! Examples are collected first (one job per distinct value × schema × view, however many
//! operations share it), then validated with each (schema, view) compiled once.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use super::schema_export::{
    CompiledSchemas, ExportOptions, Locator, View, compile_batch, misdirected_properties,
};
use crate::load::pointer;
use crate::load::{FetchOptions, FileId, Origin};
use crate::model::{
    Contract, Direction, Example, Header, InstanceType, Loc, MediaType, Operation, SchemaId,
    TypeSpace,
};
use crate::report::{Finding, Level};

pub const RULE_INVALID: &str = "example-invalid";
pub const RULE_DEFAULT_INVALID: &str = "default-invalid";
pub const RULE_READ_ONLY_IN_REQUEST: &str = "example-read-only-in-request";
pub const RULE_WRITE_ONLY_IN_RESPONSE: &str = "example-write-only-in-response";
pub const RULE_EXTERNAL_UNREADABLE: &str = "example-external-unreadable";

/// Options of example validation.
#[derive(Debug, Clone)]
pub struct ExampleOptions {
    pub format_assertions: bool,
    /// Fetch `externalValue` URLs named by local documents.
    pub allow_remote_refs: bool,
    pub fetch: FetchOptions,
}

impl Default for ExampleOptions {
    fn default() -> Self {
        ExampleOptions {
            format_assertions: true,
            allow_remote_refs: false,
            fetch: FetchOptions::default(),
        }
    }
}

/// What one run checked: comparable across specs (ruling 7 counts invalid examples).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ExampleStats {
    /// Distinct example values validated.
    pub examples: usize,
    /// Examples with at least one `example-invalid` finding.
    pub invalid_examples: usize,
    pub defaults: usize,
    pub invalid_defaults: usize,
    /// Examples not validated: an unreadable external value, a schema that cannot be compiled.
    pub unchecked: usize,
}

/// How an example's value is read, from its media type.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Payload {
    /// `application/json`, `*/*+json`, and parameter/header values.
    Json,
    /// `text/*`: checked only against string schemas.
    Text,
    /// `application/x-www-form-urlencoded` and `multipart/form-data`: the example is the object
    /// the form is made of, whose values travel as text (see [`form_data`]).
    Form,
}

/// The media types whose examples are checked: JSON and `+json` as data, forms as data sent as
/// text, `text/*` as text. Binary and other types are skipped silently (ruling 5).
fn payload_of(media_type: &str) -> Option<Payload> {
    let essence = media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase();
    let (kind, subtype) = essence.split_once('/')?;
    if subtype == "json" || subtype.ends_with("+json") {
        Some(Payload::Json)
    } else if essence == "application/x-www-form-urlencoded" || essence == "multipart/form-data" {
        Some(Payload::Form)
    } else if kind == "text" {
        Some(Payload::Text)
    } else {
        None
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Source {
    /// The value is written at this location.
    Inline(Loc),
    /// `externalValue`: the reference as written, where it is written, and the file it is
    /// relative to.
    External { reference: String, at: Loc },
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Kind {
    Example,
    Default,
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
struct JobKey {
    source: Source,
    schema: SchemaId,
    view: View,
    payload: Payload,
    kind: Kind,
}

struct Job {
    key: JobKey,
    /// The first operation that uses the example, and how many use it.
    operation: Option<String>,
    users: usize,
}

#[derive(Default)]
struct Jobs {
    list: Vec<Job>,
    index: HashMap<JobKey, usize>,
}

impl Jobs {
    fn add(&mut self, key: JobKey, operation: Option<&str>) {
        match self.index.get(&key) {
            Some(i) => {
                let job = &mut self.list[*i];
                if operation.is_some() && job.operation.as_deref() != operation {
                    job.users += 1;
                }
            }
            None => {
                self.index.insert(key.clone(), self.list.len());
                self.list.push(Job {
                    key,
                    operation: operation.map(str::to_string),
                    users: 1,
                });
            }
        }
    }
}

/// Validates every example and default of a contract.
pub fn check(contract: &Contract, options: &ExampleOptions) -> (Vec<Finding>, ExampleStats) {
    let jobs = collect(contract);
    let mut run = Run {
        contract,
        options,
        externals: HashMap::new(),
        directional: contract.types.directional_schemas(),
        stats: ExampleStats::default(),
    };
    let mut findings = Vec::new();
    let mut ready = Vec::new();
    for job in &jobs.list {
        if let Some(instance) = run.instance(job, &mut findings) {
            ready.push(instance);
        }
    }
    let violations = run.violations(&ready);
    for (instance, violations) in ready.iter().zip(violations) {
        run.report(instance, violations, &mut findings);
    }
    (findings, run.stats)
}

// ----- collecting ---------------------------------------------------------------------------------

fn collect(contract: &Contract) -> Jobs {
    let mut collector = Collector {
        contract,
        jobs: Jobs::default(),
        roots: Vec::new(),
    };
    for op in contract.all_operations() {
        collector.operation(op);
    }
    let views = usage_views(&contract.types, &collector.roots);
    let mut jobs = collector.jobs;
    for (id, schema) in contract.types.iter() {
        let view = views.get(&id).copied().unwrap_or(View::Both);
        for example in &schema.examples {
            if let Some(loc) = &example.value {
                let key = JobKey {
                    source: Source::Inline(loc.clone()),
                    schema: id,
                    view,
                    payload: Payload::Json,
                    kind: Kind::Example,
                };
                jobs.add(key, None);
            }
        }
        if schema.default.is_some() {
            let loc = schema.loc.child("default");
            let key = JobKey {
                source: Source::Inline(loc),
                schema: id,
                view,
                payload: Payload::Json,
                kind: Kind::Default,
            };
            jobs.add(key, None);
        }
    }
    jobs
}

struct Collector<'c> {
    contract: &'c Contract,
    jobs: Jobs,
    /// Schemas used directly by requests and responses, for the view of schema-level examples.
    roots: Vec<(SchemaId, Direction)>,
}

impl Collector<'_> {
    fn operation(&mut self, op: &Operation) {
        let label = op.label();
        for parameter in &op.parameters {
            let payload = match &parameter.content {
                Some((media_type, _)) => payload_of(media_type),
                None => Some(Payload::Json),
            };
            if let Some(schema) = parameter.schema {
                self.roots.push((schema, Direction::Request));
                if let Some(payload) = payload {
                    self.examples(
                        &parameter.examples,
                        schema,
                        Direction::Request,
                        payload,
                        &label,
                    );
                }
            }
            if let Some((media_type, media)) = &parameter.content {
                self.media(media_type, media, Direction::Request, &label);
            }
        }
        if let Some(body) = &op.request_body {
            for (media_type, media) in &body.content {
                self.media(media_type, media, Direction::Request, &label);
            }
        }
        for response in &op.responses {
            for header in response.headers.values() {
                self.header(header, Direction::Response, &label);
            }
            for (media_type, media) in &response.content {
                self.media(media_type, media, Direction::Response, &label);
            }
        }
    }

    fn header(&mut self, header: &Header, direction: Direction, label: &str) {
        let payload = match &header.content {
            Some((media_type, _)) => payload_of(media_type),
            None => Some(Payload::Json),
        };
        if let Some(schema) = header.schema {
            self.roots.push((schema, direction));
            if let Some(payload) = payload {
                self.examples(&header.examples, schema, direction, payload, label);
            }
        }
        if let Some((media_type, media)) = &header.content {
            self.media(media_type, media, direction, label);
        }
    }

    fn media(&mut self, media_type: &str, media: &MediaType, direction: Direction, label: &str) {
        if let Some(schema) = media.schema {
            self.roots.push((schema, direction));
            if let Some(payload) = payload_of(media_type) {
                self.examples(&media.examples, schema, direction, payload, label);
            }
        }
        for encoding in media.encoding.values() {
            for header in encoding.headers.values() {
                self.header(header, direction, label);
            }
        }
    }

    fn examples(
        &mut self,
        examples: &[Example],
        schema: SchemaId,
        direction: Direction,
        payload: Payload,
        label: &str,
    ) {
        // Ruling 5: a text example is checked against a string schema, and skipped otherwise.
        if payload == Payload::Text && !is_string_schema(&self.contract.types, schema) {
            return;
        }
        for example in examples {
            let source = match (&example.value, &example.external_value) {
                (Some(loc), _) => Source::Inline(loc.clone()),
                (None, Some(reference)) => {
                    let at = external_value_loc(self.contract, &example.declared_at);
                    Source::External {
                        reference: reference.clone(),
                        at,
                    }
                }
                (None, None) => continue,
            };
            let key = JobKey {
                source,
                schema,
                view: direction.into(),
                payload,
                kind: Kind::Example,
            };
            self.jobs.add(key, Some(label));
        }
    }
}

/// Where the `externalValue` of an Example Object is written, following a `$ref` at the place
/// the example is declared.
fn external_value_loc(contract: &Contract, declared_at: &Loc) -> Loc {
    let mut at = declared_at.clone();
    for _ in 0..16 {
        let Some(reference) = contract
            .value(&at)
            .and_then(|v| v.get("$ref"))
            .and_then(Value::as_str)
        else {
            break;
        };
        match contract.documents.resolve_ref(at.file, reference) {
            Ok(target) => at = Loc::new(target.file, target.pointer.into_owned()),
            Err(_) => break,
        }
    }
    at.child("externalValue")
}

/// A schema whose values are strings (possibly null): what text examples are checked against.
fn is_string_schema(types: &TypeSpace, id: SchemaId) -> bool {
    let (target, _) = types.resolve_alias(id);
    types.get(target).has_type(InstanceType::String)
}

/// A form example as the data it stands for. A form sends every value as text, so examples are
/// written that way (`Muted: 'true'`, `Port: '5060'`): a string is read as the boolean or number
/// its property's schema asks for, and a single value of an array property as a one-item array
/// (`a=1` is the array `[1]`). Anything else (a wrong enum value, a URL that is not one) is
/// checked as written. `None` when nothing needs reading.
fn form_data(types: &TypeSpace, schema: SchemaId, value: &Value) -> Option<Value> {
    let Value::Object(fields) = value else {
        return None;
    };
    let properties = form_properties(types, schema);
    let mut changed = false;
    let data = fields
        .iter()
        .map(|(name, v)| {
            let read = properties
                .get(name.as_str())
                .and_then(|p| form_value(types, *p, v));
            changed |= read.is_some();
            (name.clone(), read.unwrap_or_else(|| v.clone()))
        })
        .collect();
    changed.then_some(Value::Object(data))
}

/// The properties of a form's schema, through `$ref`s and `allOf`.
fn form_properties(types: &TypeSpace, schema: SchemaId) -> HashMap<&str, SchemaId> {
    let mut properties = HashMap::new();
    let mut seen = HashSet::new();
    let mut stack = vec![schema];
    while let Some(id) = stack.pop() {
        let (id, _) = types.resolve_alias(id);
        if seen.len() > 256 || !seen.insert(id) {
            continue;
        }
        let s = types.get(id);
        for (name, property) in &s.properties {
            properties.entry(name.as_str()).or_insert(*property);
        }
        stack.extend(s.all_of.iter().copied());
    }
    properties
}

/// One form value as the data it stands for, or `None` when it is read as written.
fn form_value(types: &TypeSpace, schema: SchemaId, value: &Value) -> Option<Value> {
    let (id, _) = types.resolve_alias(schema);
    let s = types.get(id);
    if s.has_type(InstanceType::Array) {
        let item = |v: &Value| match s.items {
            Some(items) => form_scalar(types, items, v),
            None => None,
        };
        return match value {
            Value::Array(values) => {
                let read: Vec<Option<Value>> = values.iter().map(item).collect();
                read.iter().any(Option::is_some).then(|| {
                    Value::Array(
                        read.into_iter()
                            .zip(values)
                            .map(|(r, v)| r.unwrap_or_else(|| v.clone()))
                            .collect(),
                    )
                })
            }
            single => Some(Value::Array(vec![
                item(single).unwrap_or_else(|| single.clone()),
            ])),
        };
    }
    form_scalar(types, id, value)
}

/// A string sent for a boolean or number property, as that boolean or number.
fn form_scalar(types: &TypeSpace, schema: SchemaId, value: &Value) -> Option<Value> {
    let text = value.as_str()?;
    let (id, _) = types.resolve_alias(schema);
    let s = types.get(id);
    if s.types.is_none() || s.has_type(InstanceType::String) {
        return None;
    }
    if s.has_type(InstanceType::Boolean) {
        match text {
            "true" => return Some(Value::Bool(true)),
            "false" => return Some(Value::Bool(false)),
            _ => {}
        }
    }
    if s.has_type(InstanceType::Integer) || s.has_type(InstanceType::Number) {
        if let Ok(n) = text.parse::<i64>() {
            return Some(Value::from(n));
        }
        if let Ok(n) = text.parse::<u64>() {
            return Some(Value::from(n));
        }
        if let Some(n) = text
            .parse::<f64>()
            .ok()
            .and_then(serde_json::Number::from_f64)
        {
            return Some(Value::Number(n));
        }
    }
    None
}

/// The view of each schema for its own (schema-level) examples and default: request or response
/// when it is reachable only from one side, both otherwise (including unused components).
fn usage_views(types: &TypeSpace, roots: &[(SchemaId, Direction)]) -> HashMap<SchemaId, View> {
    let mut reached: [HashSet<SchemaId>; 2] = [HashSet::new(), HashSet::new()];
    for (side, direction) in [Direction::Request, Direction::Response]
        .into_iter()
        .enumerate()
    {
        let seen = &mut reached[side];
        let mut stack: Vec<SchemaId> = roots
            .iter()
            .filter(|(_, d)| *d == direction)
            .map(|(id, _)| *id)
            .collect();
        while let Some(id) = stack.pop() {
            if !seen.insert(id) {
                continue;
            }
            let schema = types.get(id);
            let hidden: Vec<SchemaId> = schema
                .properties
                .values()
                .copied()
                .filter(|p| !types.property_visible(*p, direction))
                .collect();
            stack.extend(
                types
                    .children(id)
                    .into_iter()
                    .filter(|c| !hidden.contains(c)),
            );
        }
    }
    let mut views = HashMap::new();
    for (id, _) in types.iter() {
        let view = match (reached[0].contains(&id), reached[1].contains(&id)) {
            (true, false) => View::Request,
            (false, true) => View::Response,
            _ => View::Both,
        };
        views.insert(id, view);
    }
    views
}

// ----- validating ---------------------------------------------------------------------------------

struct Run<'r> {
    contract: &'r Contract,
    options: &'r ExampleOptions,
    /// External files read so far, by origin: their bytes or why not.
    externals: HashMap<Origin, Result<Vec<u8>, String>>,
    /// Schemas with readOnly/writeOnly properties anywhere below them: most have none, and then
    /// no example of theirs needs the misdirection walk.
    directional: Vec<bool>,
    stats: ExampleStats,
}

/// A job whose value is at hand.
struct Ready<'j> {
    job: &'j Job,
    value: Cow<'j, Value>,
    /// Where findings point: the value, or the `externalValue` that names it.
    anchor: Loc,
}

/// One violation, ready to become a finding.
struct Violation {
    instance_path: String,
    message: String,
}

impl<'j> Run<'j> {
    /// The value of a job, or `None` (with a finding when an external value is unreadable).
    fn instance(&mut self, job: &'j Job, findings: &mut Vec<Finding>) -> Option<Ready<'j>> {
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
    fn violations(&self, ready: &[Ready<'_>]) -> Vec<Option<Vec<Violation>>> {
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

    fn report(
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
        let Some(violations) = violations else {
            self.stats.unchecked += 1;
            return;
        };
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
            let mut message = violation.message;
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
        let base = &contract.documents.file(at.file).origin;
        let unreadable = |level: Level, message: String| {
            Box::new(
                Finding::new(RULE_EXTERNAL_UNREADABLE, level, message).at(contract.location(at)),
            )
        };
        let origin = base.join(reference).map_err(|reason| {
            unreadable(
                Level::Warning,
                format!("externalValue `{reference}`: {reason}"),
            )
        })?;
        if origin.is_remote() && !base.is_remote() && !self.options.allow_remote_refs {
            let message = format!(
                "externalValue `{reference}` was not fetched, so the example is not checked: pass --allow-remote-refs to fetch it"
            );
            return Err(unreadable(Level::Info, message));
        }
        let fetch = &self.options.fetch;
        let bytes = self
            .externals
            .entry(origin.clone())
            .or_insert_with(|| crate::load::source::read_bytes(&origin, fetch));
        let bytes = bytes.as_ref().map_err(|reason| {
            unreadable(
                Level::Warning,
                format!(
                    "externalValue `{reference}`: cannot read {}: {reason}",
                    origin.display_name()
                ),
            )
        })?;
        match payload {
            Payload::Text => match std::str::from_utf8(bytes) {
                Ok(text) => Ok(Value::String(text.to_string())),
                Err(_) => Err(unreadable(
                    Level::Warning,
                    format!(
                        "externalValue `{reference}`: {} is not UTF-8 text",
                        origin.display_name()
                    ),
                )),
            },
            Payload::Json | Payload::Form => match crate::load::parse::parse_document(bytes) {
                Ok(parsed) => Ok(parsed.root),
                Err(e) => Err(unreadable(
                    Level::Warning,
                    format!(
                        "externalValue `{reference}`: {}:{}:{}: not JSON or YAML: {}",
                        origin.display_name(),
                        e.line,
                        e.column,
                        e.message
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
            let instance: serde_json::Map<String, Value> = indices
                .iter()
                .enumerate()
                .map(|(slot, i)| (slot.to_string(), ready[*i].value.as_ref().clone()))
                .collect();
            let instance = Value::Object(instance);
            let mut out: Vec<(usize, Option<Vec<Violation>>)> =
                indices.iter().map(|i| (*i, Some(Vec::new()))).collect();
            for error in validator.iter_errors(&instance) {
                let path = error.instance_path().as_str();
                let token = path.split('/').nth(1).unwrap_or("");
                let Some((_, Some(list))) = token
                    .parse::<usize>()
                    .ok()
                    .and_then(|slot| out.get_mut(slot))
                else {
                    continue;
                };
                list.extend(describe(
                    &error,
                    &format!("/{token}"),
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
fn schema_ref(contract: &Contract, id: SchemaId) -> String {
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

// ----- messages -----------------------------------------------------------------------------------

/// One violation per unexpected property, one per other error; message:
/// `/toys/1/size: "big" is not of type integer (schema: #/components/schemas/Toy/properties/size)`.
fn describe(
    error: &ValidationError<'_>,
    prefix: &str,
    contract: &Contract,
    locator: Option<&Locator>,
) -> Vec<Violation> {
    let full = error.instance_path().as_str();
    let path = full.strip_prefix(prefix).unwrap_or(full).to_string();
    let schema = locator
        .and_then(|l| l.schema_at(error.schema_path().as_str()))
        .map(|id| schema_ref(contract, id));
    let suffix = schema
        .map(|s| format!(" (schema: {s})"))
        .unwrap_or_default();
    let at = |p: &str, text: String| Violation {
        instance_path: p.to_string(),
        message: if p.is_empty() {
            format!("{text}{suffix}")
        } else {
            format!("{p}: {text}{suffix}")
        },
    };
    match error.kind() {
        ValidationErrorKind::AdditionalProperties { unexpected }
        | ValidationErrorKind::UnevaluatedProperties { unexpected } => {
            let keyword = error.kind().keyword();
            unexpected
                .iter()
                .map(|name| {
                    let p = pointer::push(&path, name);
                    at(
                        &p,
                        format!("property `{name}` is not allowed ({keyword}: false)"),
                    )
                })
                .collect()
        }
        ValidationErrorKind::OneOfNotValid { context } | ValidationErrorKind::AnyOf { context } => {
            let keyword = error.kind().keyword();
            let text = format!(
                "{} matches none of the {keyword} alternatives",
                show(error.instance())
            );
            let mut violation = at(&path, text);
            if let Some(first) = closest_branch(context)
                .and_then(|c| describe(c, prefix, contract, locator).into_iter().next())
            {
                violation
                    .message
                    .push_str(&format!("; closest: {}", first.message));
            }
            vec![violation]
        }
        ValidationErrorKind::Type { .. } if path.is_empty() => {
            let mut text = message(error);
            if let Some(hint) = serialized_json_hint(error.instance()) {
                text.push_str(hint);
            }
            vec![at(&path, text)]
        }
        _ => vec![at(&path, message(error))],
    }
}

/// An example written as a string holding JSON (`example: '{"id": 1}'`) for a JSON media type:
/// the value should be written as data.
fn serialized_json_hint(instance: &Value) -> Option<&'static str> {
    let text = instance.as_str()?.trim();
    let looks_like_json = (text.starts_with('{') && text.ends_with('}'))
        || (text.starts_with('[') && text.ends_with(']'));
    (looks_like_json && serde_json::from_str::<Value>(text).is_ok()).then_some(
        " (the example is JSON serialized into a string: write it as a value, not as a string)",
    )
}

/// The branch of a failed `oneOf`/`anyOf` that came nearest to matching: the fewest errors,
/// preferring the deepest (an error about a property means the branch's shape fitted).
fn closest_branch<'a>(
    context: &'a [Vec<ValidationError<'static>>],
) -> Option<&'a ValidationError<'static>> {
    context
        .iter()
        .filter(|errors| !errors.is_empty())
        .min_by_key(|errors| {
            let depth = errors
                .iter()
                .map(|e| e.instance_path().as_str().matches('/').count())
                .max()
                .unwrap_or(0);
            (errors.len(), usize::MAX - depth)
        })
        .and_then(|errors| errors.first())
}

fn message(error: &ValidationError<'_>) -> String {
    let instance = show(error.instance());
    match error.kind() {
        ValidationErrorKind::Type { kind } => {
            let expected = match kind {
                TypeKind::Single(t) => t.to_string(),
                TypeKind::Multiple(set) => set
                    .iter()
                    .map(|t| t.to_string())
                    .collect::<Vec<_>>()
                    .join(" or "),
            };
            format!("{instance} is not of type {expected}")
        }
        ValidationErrorKind::Required { property } => {
            format!("required property {property} is missing")
        }
        ValidationErrorKind::Enum { options } => {
            format!("{instance} is not one of {}", show_choices(options))
        }
        ValidationErrorKind::Constant { expected_value } => {
            format!("{instance} is not {}", show(expected_value))
        }
        ValidationErrorKind::Format { format } if format == "byte" => {
            format!("{instance} is not base64 (format: byte)")
        }
        ValidationErrorKind::Format { format } => format!("{instance} is not a valid {format}"),
        ValidationErrorKind::Pattern { pattern } => {
            format!("{instance} does not match the pattern `{pattern}`")
        }
        ValidationErrorKind::Not { .. } => {
            format!("{instance} matches a schema it must not match (not)")
        }
        ValidationErrorKind::OneOfMultipleValid { .. } => {
            format!("{instance} matches more than one oneOf alternative")
        }
        ValidationErrorKind::FalseSchema => {
            format!("{instance} is not allowed here (false schema)")
        }
        ValidationErrorKind::Custom { message, .. } => message.clone(),
        _ => {
            // The crate's wording, with the instance shortened.
            let full = error.to_string();
            let raw = error.instance().to_string();
            if raw.len() > 80 {
                full.replacen(&raw, &instance, 1)
            } else {
                full
            }
        }
    }
}

/// The values of an `enum`: all of them when short, else the first few and how many more.
fn show_choices(options: &Value) -> String {
    let Some(values) = options.as_array() else {
        return show(options);
    };
    let mut shown: Vec<String> = Vec::new();
    let mut length = 0;
    for value in values {
        let item = show(value);
        if !shown.is_empty() && length + item.len() > 100 {
            return format!(
                "[{}, … {} more]",
                shown.join(", "),
                values.len() - shown.len()
            );
        }
        length += item.len() + 2;
        shown.push(item);
    }
    format!("[{}]", shown.join(", "))
}

/// A value for a message: short values as JSON, long ones summarised.
fn show(value: &Value) -> String {
    let text = value.to_string();
    if text.chars().count() <= 80 {
        return text;
    }
    match value {
        Value::Object(map) => format!("an object with {} properties", map.len()),
        Value::Array(items) => format!("an array of {} items", items.len()),
        Value::String(s) => {
            let head: String = s.chars().take(60).collect();
            format!("\"{head}…\"")
        }
        _ => text,
    }
}
