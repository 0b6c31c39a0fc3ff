//! Every example and default in a contract, validated against its schema from the side of the
//! exchange it is written for: an example that contradicts its schema is a lie in the contract,
//! and mocks, docs and SDK tests are built from it.
//!
//! Examples are collected first (one job per distinct value × schema × view, however many
//! operations share it), then validated with each (schema, view) compiled once.
//!
//! `collect` gathers the jobs, `forms` reads form examples as the data they stand for, `run`
//! validates and reports, `messages` words the violations.

mod collect;
mod forms;
mod messages;
mod run;

use crate::catalogue::validate::examples as rule;
use collect::collect;
use run::Run;

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use jsonschema::ValidationError;
use jsonschema::error::{TypeKind, ValidationErrorKind};
use serde_json::Value;

use crate::json_schema::{
    CompiledSchemas, ExportOptions, Locator, View, batch_instance, batch_slot, compile_batch,
    misdirected_properties,
};
use crate::load::FileId;
use crate::load::pointer;
use crate::model::media::{self, MediaKind};
use crate::model::{
    Contract, Direction, Example, Header, InstanceType, Loc, MediaType, Operation, SchemaId,
    TypeSpace,
};
use crate::report::{Finding, Level};

pub const RULE_INVALID: &str = rule::EXAMPLE_INVALID.id;
pub const RULE_DEFAULT_INVALID: &str = rule::DEFAULT_INVALID.id;
pub const RULE_READ_ONLY_IN_REQUEST: &str = rule::EXAMPLE_READ_ONLY_IN_REQUEST.id;
pub const RULE_WRITE_ONLY_IN_RESPONSE: &str = rule::EXAMPLE_WRITE_ONLY_IN_RESPONSE.id;
pub const RULE_EXTERNAL_UNREADABLE: &str = rule::EXAMPLE_EXTERNAL_UNREADABLE.id;

/// Options of example validation.
#[derive(Debug, Clone)]
pub struct ExampleOptions {
    pub format_assertions: bool,
    /// Schemas whose bounds exclude every value (reported as `impossible-range`): their
    /// bounds are not reported again at each example.
    pub unsatisfiable: HashSet<Loc>,
}

impl Default for ExampleOptions {
    fn default() -> Self {
        ExampleOptions {
            format_assertions: true,
            unsatisfiable: HashSet::new(),
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

/// The media types whose examples are checked (see [`crate::model::media`]): JSON as data,
/// urlencoded and `multipart/form-data` forms as data sent as text, text and XML as text.
/// Binary, other multipart and `*/*` bodies are skipped silently (ruling 5).
fn payload_of(media_type: &str) -> Option<Payload> {
    match media::classify(media_type) {
        MediaKind::Json => Some(Payload::Json),
        MediaKind::Form => Some(Payload::Form),
        MediaKind::Multipart => {
            (media::essence(media_type) == "multipart/form-data").then_some(Payload::Form)
        }
        kind if kind.is_textual() => Some(Payload::Text),
        _ => None,
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
    /// What the example is the value of when that is not its position alone: `query
    /// parameter `limit``, `response header `X-Rate-Limit` (200)`. Messages start with it.
    subject: Option<String>,
    users: usize,
}

#[derive(Default)]
struct Jobs {
    list: Vec<Job>,
    index: HashMap<JobKey, usize>,
}

impl Jobs {
    fn add(&mut self, key: JobKey, operation: Option<&str>, subject: Option<&str>) {
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
                    subject: subject.map(str::to_string),
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
