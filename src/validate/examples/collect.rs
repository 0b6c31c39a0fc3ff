//! Gathering the jobs: every example and default, with the schema, view and payload it is
//! checked with, deduplicated across the operations that share it.

use super::*;

pub(super) fn collect(contract: &Contract) -> Jobs {
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
                jobs.add(key, None, None);
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
            jobs.add(key, None, None);
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
            let subject = format!(
                "{} parameter `{}`",
                parameter.location.as_str(),
                parameter.name
            );
            let subject = Some(subject.as_str());
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
                        subject,
                    );
                }
            }
            if let Some((media_type, media)) = &parameter.content {
                self.media(media_type, media, Direction::Request, &label, subject);
            }
        }
        if let Some(body) = &op.request_body {
            for (media_type, media) in &body.content {
                self.media(media_type, media, Direction::Request, &label, None);
            }
        }
        for response in &op.responses {
            for (name, header) in &response.headers {
                let subject = format!("response header `{name}` ({})", response.status);
                self.header(header, Direction::Response, &label, Some(&subject));
            }
            for (media_type, media) in &response.content {
                self.media(media_type, media, Direction::Response, &label, None);
            }
        }
    }

    fn header(
        &mut self,
        header: &Header,
        direction: Direction,
        label: &str,
        subject: Option<&str>,
    ) {
        let payload = match &header.content {
            Some((media_type, _)) => payload_of(media_type),
            None => Some(Payload::Json),
        };
        if let Some(schema) = header.schema {
            self.roots.push((schema, direction));
            if let Some(payload) = payload {
                self.examples(&header.examples, schema, direction, payload, label, subject);
            }
        }
        if let Some((media_type, media)) = &header.content {
            self.media(media_type, media, direction, label, subject);
        }
    }

    fn media(
        &mut self,
        media_type: &str,
        media: &MediaType,
        direction: Direction,
        label: &str,
        subject: Option<&str>,
    ) {
        if let Some(schema) = media.schema {
            self.roots.push((schema, direction));
            if let Some(payload) = payload_of(media_type) {
                self.examples(&media.examples, schema, direction, payload, label, subject);
            }
        }
        for (part, encoding) in &media.encoding {
            for (name, header) in &encoding.headers {
                let subject = format!("header `{name}` of part `{part}`");
                self.header(header, direction, label, Some(&subject));
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
        subject: Option<&str>,
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
            self.jobs.add(key, Some(label), subject);
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
