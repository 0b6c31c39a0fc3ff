//! One probe run, in phases so that results do not depend on timing: first every safe request
//! built from the examples (their answers give ids and links), then the safe variants, the
//! harvested ids, the auth negatives and the HTTP-semantics requests, then the links those
//! answers give; only then, with `--include-unsafe`, the unsafe requests: invalid ones, each
//! resource's lifecycle one step after another, the rest, and deletes last. Nothing unsafe runs
//! beside a read it could disturb.

use std::collections::HashSet;
use std::sync::Arc;
use std::time::Instant;

use reqwest::redirect::Policy;
use serde_json::Value;

use super::judge::{self, Observation, Probe, Purpose, header};
use super::request::{
    self, AuthMode, Builder, NotPlanned, Payload, can_send_wrong_credentials, credentials_satisfy,
    is_public,
};
use super::resources::{self, Resource};
use super::secrets::{CredentialHeaders, Redactor};
use super::target::Target;
use super::transport::{Outcome, Transport};
use super::variants::{self, Expect, Variant};
use super::{OperationSummary, ProbeError, ProbeOptions, ProbeStats, group};
use crate::catalogue::probe as rule;
use crate::json_schema::{CompiledSchemas, ExportOptions, View};
use crate::model::{Contract, Method, Operation, OperationKind};
use crate::report::Finding;

/// Ids read from one list response and probed per item operation.
const IDS_PER_RESOURCE: usize = 5;
/// Links followed in one run.
const MAX_LINKS: usize = 8;

pub(super) fn run(
    contract: &Contract,
    options: &ProbeOptions,
) -> Result<(Vec<Finding>, ProbeStats), ProbeError> {
    let credential_headers = CredentialHeaders::of(contract);
    let Some(target) = Target::parse(&options.base_url) else {
        let redactor = Redactor::new(&options.auth, &credential_headers, None);
        return Err(ProbeError::BadBaseUrl(
            redactor.scrub(&options.base_url).into_owned(),
        ));
    };
    let redactor = Redactor::new(&options.auth, &credential_headers, target.password());
    let selected = select(contract, &options.only)?;

    let response_roots: Vec<_> = contract
        .operations
        .iter()
        .flat_map(|op| op.responses.iter())
        .flat_map(|r| {
            r.content
                .values()
                .filter_map(|m| m.schema)
                .chain(r.headers.values().filter_map(|h| h.schema))
        })
        .map(|id| (id, View::Response))
        .collect();
    let export = ExportOptions::for_contract(contract, options.format_assertions);
    let responses = CompiledSchemas::new(&contract.types, response_roots, export.clone());
    let requests = CompiledSchemas::new(&contract.types, variants::request_roots(contract), export);

    let runtime = tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .map_err(|e| ProbeError::Setup(e.to_string()))?;
    crate::load::fetch::ensure_tls_provider();
    let client = reqwest::Client::builder()
        .timeout(options.timeout)
        .connect_timeout(options.timeout)
        .redirect(Policy::none())
        .user_agent(concat!("oaskit-probe/", env!("CARGO_PKG_VERSION")))
        .build()
        .map_err(|e| ProbeError::Setup(e.to_string()))?;
    let transport = Transport {
        client,
        target: Arc::new(target.clone()),
        max_body: options.max_body_bytes,
    };
    let builder = Builder {
        contract,
        target: &target,
        auth: &options.auth,
        credential_headers: &credential_headers,
    };
    let mut run = Run {
        contract,
        options,
        builder,
        transport,
        runtime,
        responses,
        requests,
        observations: Vec::new(),
        findings: Vec::new(),
        budget: options.max_requests.max(1),
        summaries: contract
            .operations
            .iter()
            .map(|op| OperationSummary {
                operation: op.label(),
                ..OperationSummary::default()
            })
            .collect(),
        rng: SplitMix(options.seed),
        selected,
        skipped: 0,
        last_exchange: Vec::new(),
    };
    let start = Instant::now();
    run.all_phases(&resources::resources(contract));
    let elapsed = start.elapsed();

    let mut findings = run.findings;
    findings.extend(group::findings(contract, run.observations));
    let any_credential = options.auth.any(&credential_headers);
    findings.extend(credentials_warning(
        contract,
        &run.selected,
        options,
        any_credential,
        &run.summaries,
    ));
    for finding in &mut findings {
        redactor.scrub_finding(finding);
    }
    let operations: Vec<OperationSummary> = run
        .selected
        .iter()
        .map(|i| run.summaries[*i].clone())
        .collect();
    let stats = ProbeStats {
        sent: operations.iter().map(|o| o.sent).sum(),
        skipped: run.skipped,
        elapsed,
        seed: options.seed,
        operations,
    };
    Ok((findings, stats))
}

/// The path operations to probe: all, or those `--operation` names (each must name one).
fn select(contract: &Contract, only: &[String]) -> Result<Vec<usize>, ProbeError> {
    let paths: Vec<(usize, &Operation)> = contract
        .operations
        .iter()
        .enumerate()
        .filter(|(_, o)| o.kind == OperationKind::Path)
        .collect();
    if only.is_empty() {
        return Ok(paths.iter().map(|(i, _)| *i).collect());
    }
    let names = |op: &Operation, wanted: &str| {
        op.operation_id.as_deref() == Some(wanted) || op.label() == wanted
    };
    for wanted in only {
        if !paths.iter().any(|(_, op)| names(op, wanted)) {
            return Err(ProbeError::UnknownOperation(wanted.clone()));
        }
    }
    Ok(paths
        .iter()
        .filter(|(_, op)| only.iter().any(|w| names(op, w)))
        .map(|(i, _)| *i)
        .collect())
}

/// The warning for a run whose credentials do not open the secured operations (#15): none given
/// while some are needed, or every answer a 401/403.
fn credentials_warning(
    contract: &Contract,
    selected: &[usize],
    options: &ProbeOptions,
    any_credential: bool,
    summaries: &[OperationSummary],
) -> Option<Finding> {
    let locked: Vec<&Operation> = selected
        .iter()
        .map(|i| &contract.operations[*i])
        .filter(|op| !credentials_satisfy(contract, op, &options.auth))
        .collect();
    let statuses: Vec<u16> = selected
        .iter()
        .flat_map(|i| summaries[*i].statuses.keys().copied())
        .collect();
    let all_refused = !statuses.is_empty() && statuses.iter().all(|s| matches!(s, 401 | 403));
    let message = if all_refused && !any_credential {
        "every answer was 401 or 403 and no credential was given: only the refusals were tested; \
         pass --bearer, --basic, --api-key or --header"
            .to_string()
    } else if all_refused {
        "every answer was 401 or 403: the credentials given are not accepted, so only the \
         refusals were tested"
            .to_string()
    } else if !locked.is_empty() {
        let names: Vec<String> = locked.iter().take(5).map(|o| o.label()).collect();
        format!(
            "{} secured operation(s) need credentials that were not given ({}{}): they were \
             tested only without credentials",
            locked.len(),
            names.join(", "),
            if locked.len() > 5 { ", ..." } else { "" }
        )
    } else {
        return None;
    };
    Some(rule::PROBE_NO_CREDENTIALS.finding(message))
}

/// A small deterministic generator (SplitMix64): the seed decides variant order and fillers.
struct SplitMix(u64);

impl SplitMix {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            let j = (self.next() % (i as u64 + 1)) as usize;
            items.swap(i, j);
        }
    }
}

struct Run<'a> {
    contract: &'a Contract,
    options: &'a ProbeOptions,
    builder: Builder<'a>,
    transport: Transport,
    runtime: tokio::runtime::Runtime,
    responses: CompiledSchemas,
    requests: CompiledSchemas,
    observations: Vec<Observation>,
    /// Findings that are not about a response (operations not probed).
    findings: Vec<Finding>,
    budget: usize,
    summaries: Vec<OperationSummary>,
    rng: SplitMix,
    selected: Vec<usize>,
    skipped: usize,
    /// Per operation, the evidence and curl line of its latest exchange (lifecycle findings
    /// show the request that revealed them).
    last_exchange: Vec<(usize, String, String)>,
}

/// An exchange kept for later phases.
struct Answered {
    probe: Probe,
    outcome: Outcome,
}

impl Run<'_> {
    fn all_phases(&mut self, resources: &[Resource]) {
        let contract = self.contract;
        let filler = char::from(b'a' + (self.rng.next() % 26) as u8);
        // Baselines of every selected operation.
        let mut baselines: Vec<Option<request::Assignment>> = vec![None; contract.operations.len()];
        let selected = self.selected.clone();
        for &index in &selected {
            let op = &contract.operations[index];
            if !op.method.is_safe() && !self.options.include_unsafe {
                self.skipped += 1;
                self.note(index, "not sent: unsafe method without --include-unsafe");
                continue;
            }
            match request::baseline(contract, op) {
                Ok(assignment) => baselines[index] = Some(assignment),
                Err(reason) => self.not_planned(index, reason),
            }
        }
        let is_selected_safe = |i: &usize| contract.operations[*i].method.is_safe();

        // Phase 1: safe requests from the examples.
        let mut first = Vec::new();
        for &index in selected.iter().filter(|i| is_selected_safe(i)) {
            if let Some(assignment) = &baselines[index] {
                for _ in 0..self.options.repeat.max(1) {
                    first.extend(self.call(
                        index,
                        assignment,
                        AuthMode::Given,
                        Expect::Valid,
                        String::new(),
                        None,
                    ));
                }
            }
        }
        let answered = self.send(first);
        if self.options.examples_only {
            let unsafe_ops: Vec<usize> = selected
                .iter()
                .copied()
                .filter(|i| !is_selected_safe(i))
                .collect();
            let mut rest = Vec::new();
            for index in unsafe_ops {
                if let Some(assignment) = &baselines[index] {
                    for _ in 0..self.options.repeat.max(1) {
                        rest.extend(self.call(
                            index,
                            assignment,
                            AuthMode::Given,
                            Expect::Valid,
                            String::new(),
                            None,
                        ));
                    }
                }
            }
            self.send(rest);
            return;
        }

        // Ids the lists give, per resource.
        let mut ids: Vec<Vec<Value>> = vec![Vec::new(); resources.len()];
        for (r, resource) in resources.iter().enumerate() {
            let Some(list) = resource.list else { continue };
            for a in answered
                .iter()
                .filter(|a| a.probe.request.operation_index == list)
            {
                if let Outcome::Response {
                    status: 200..=299,
                    body,
                    ..
                } = &a.outcome
                    && let Ok(value) = serde_json::from_slice::<Value>(body)
                {
                    for id in resources::ids_from_list(&value, &resource.param, IDS_PER_RESOURCE) {
                        if !ids[r].contains(&id) {
                            ids[r].push(id);
                        }
                    }
                }
            }
        }

        // Phase 2: everything else that is safe.
        let mut second = Vec::new();
        for (r, resource) in resources.iter().enumerate() {
            for &index in selected.iter().filter(|i| is_selected_safe(i)) {
                let op = &contract.operations[index];
                if !op.path.starts_with(&resource.item_path) {
                    continue;
                }
                let Some(baseline) = &baselines[index] else {
                    continue;
                };
                second.extend(self.with_ids(index, baseline, &resource.param, &ids[r]));
            }
        }
        for &index in selected.iter().filter(|i| is_selected_safe(i)) {
            let Some(baseline) = baselines[index].clone() else {
                continue;
            };
            second.extend(self.auth_negatives(index, &baseline));
        }
        second.extend(self.semantics(&answered, &baselines));
        let mut variant_probes: Vec<Vec<Probe>> = Vec::new();
        for &index in selected.iter().filter(|i| is_selected_safe(i)) {
            let Some(baseline) = baselines[index].clone() else {
                continue;
            };
            let op = &contract.operations[index];
            let mut list = variants::variants(contract, op, &baseline, &self.requests, filler);
            self.rng.shuffle(&mut list);
            variant_probes.push(
                list.into_iter()
                    .filter_map(|v| self.variant(index, v))
                    .collect(),
            );
        }
        second.extend(round_robin(variant_probes));
        let answered_second = self.send(second);

        // Phase 3: the links those answers give.
        let mut seen = HashSet::new();
        let mut links = Vec::new();
        for a in answered.iter().chain(&answered_second) {
            if links.len() >= MAX_LINKS {
                break;
            }
            let Outcome::Response {
                status,
                headers,
                body,
            } = &a.outcome
            else {
                continue;
            };
            if !matches!(
                a.probe.purpose,
                Purpose::Call {
                    expect: Expect::Valid
                }
            ) {
                continue;
            }
            let op = &contract.operations[a.probe.request.operation_index];
            for (url, what) in
                resources::next_links(contract, op, *status, &a.probe.request.url, headers, body)
            {
                if !seen.insert(url.to_string()) {
                    continue;
                }
                if let Some(request) = a.probe.request.follow(self.builder.target, url) {
                    links.push(Probe {
                        request,
                        purpose: Purpose::Link {
                            from: format!("{what} answering {}", a.probe.label),
                        },
                        label: format!("{what} of the request with {}", a.probe.label),
                        subject: a.probe.subject.clone(),
                    });
                }
                break;
            }
        }
        self.send(links);

        if !self.options.include_unsafe {
            return;
        }
        self.unsafe_phases(resources, &baselines, filler);
    }

    /// Unsafe requests, after every read: invalid ones and auth negatives first (they must
    /// change nothing), then each lifecycle step by step, then what is left, deletes last.
    fn unsafe_phases(
        &mut self,
        resources: &[Resource],
        baselines: &[Option<request::Assignment>],
        filler: char,
    ) {
        let contract = self.contract;
        let unsafe_ops: Vec<usize> = self
            .selected
            .iter()
            .copied()
            .filter(|i| !contract.operations[*i].method.is_safe())
            .collect();
        let mut invalid = Vec::new();
        let mut valid: Vec<Vec<Probe>> = Vec::new();
        for &index in &unsafe_ops {
            let Some(baseline) = baselines[index].clone() else {
                continue;
            };
            invalid.extend(self.auth_negatives(index, &baseline));
            let op = &contract.operations[index];
            let mut list = variants::variants(contract, op, &baseline, &self.requests, filler);
            self.rng.shuffle(&mut list);
            let (good, bad): (Vec<Variant>, Vec<Variant>) =
                list.into_iter().partition(|v| v.expect == Expect::Valid);
            invalid.extend(bad.into_iter().filter_map(|v| self.variant(index, v)));
            valid.push(
                good.into_iter()
                    .filter_map(|v| self.variant(index, v))
                    .collect(),
            );
        }
        self.send(invalid);

        let mut in_lifecycle = HashSet::new();
        for resource in resources {
            if let Some(steps) = self.lifecycle(resource, baselines) {
                in_lifecycle.extend(steps);
            }
        }

        let mut rest = Vec::new();
        let mut deletes = Vec::new();
        for &index in &unsafe_ops {
            if in_lifecycle.contains(&index) {
                continue;
            }
            let Some(baseline) = &baselines[index] else {
                continue;
            };
            let probes = self.call(
                index,
                baseline,
                AuthMode::Given,
                Expect::Valid,
                String::new(),
                None,
            );
            if contract.operations[index].method == Method::Delete {
                deletes.extend(probes);
            } else {
                rest.extend(probes);
            }
        }
        rest.extend(round_robin(valid));
        self.send(rest);
        self.send(deletes);
    }

    /// create → read → update → read → delete → read, one step after another, on the id the
    /// create returned. Returns the operations it exercised.
    fn lifecycle(
        &mut self,
        resource: &Resource,
        baselines: &[Option<request::Assignment>],
    ) -> Option<Vec<usize>> {
        let contract = self.contract;
        let selected = self.selected.clone();
        let usable =
            |i: Option<usize>| i.filter(|i| selected.contains(i) && baselines[*i].is_some());
        let create = usable(resource.create)?;
        let read = usable(resource.read);
        let mut exercised = vec![create];
        let created = self.step(
            create,
            baselines[create].as_ref()?,
            "lifecycle: create",
            Expect::Valid,
        )?;
        let Outcome::Response {
            status: 200..=299,
            headers,
            body,
        } = &created.outcome
        else {
            return Some(exercised);
        };
        let Some(id) =
            resources::created_id(&created.probe.request.url, headers, body, &resource.param)
        else {
            self.note(
                create,
                "lifecycle not run: the create response gives no id (no Location, no id field)",
            );
            return Some(exercised);
        };
        let with_id = |index: usize| -> Option<request::Assignment> {
            let op = &contract.operations[index];
            let mut assignment = baselines[index].clone()?;
            let position = op.parameters.iter().position(|p| {
                p.name == resource.param && p.location == crate::model::ParameterLocation::Path
            })?;
            assignment.params[position] = Some(id.clone());
            Some(assignment)
        };
        let shown = match &id {
            Value::String(s) => s.clone(),
            other => other.to_string(),
        };
        let read_back = |run: &mut Self, label: &str, expect: Expect| -> Option<(u16, Value)> {
            let read = read?;
            let assignment = with_id(read)?;
            let answered = run.step(read, &assignment, label, expect)?;
            match answered.outcome {
                Outcome::Response { status, body, .. } => {
                    Some((status, serde_json::from_slice(&body).unwrap_or(Value::Null)))
                }
                _ => None,
            }
        };
        let before = if let Some(read) = read {
            exercised.push(read);
            let got = read_back(
                self,
                &format!("lifecycle: read {shown} after create"),
                Expect::Valid,
            );
            if let Some((status, _)) = &got
                && !(200..300).contains(status)
            {
                self.lifecycle_finding(
                    read,
                    format!(
                        "the resource just created ({}={shown}) cannot be read: status {status}",
                        resource.param
                    ),
                );
            }
            got.map(|(_, v)| v)
        } else {
            None
        };
        if let Some(update) = usable(resource.update)
            && let Some(mut assignment) = with_id(update)
        {
            exercised.push(update);
            let changed = change_a_field(
                &contract.operations[update],
                &mut assignment,
                &self.requests,
            );
            let updated = self.step(
                update,
                &assignment,
                &format!("lifecycle: update {shown}"),
                Expect::Valid,
            );
            let ok = matches!(
                updated.as_ref().map(|a| &a.outcome),
                Some(Outcome::Response {
                    status: 200..=299,
                    ..
                })
            );
            if ok
                && let Some((field, sent)) = changed
                && let Some((200..=299, after)) = read_back(
                    self,
                    &format!("lifecycle: read {shown} after update"),
                    Expect::Valid,
                )
                && let Some(now) = after.get(&field)
                && *now != sent
                && before.as_ref().and_then(|b| b.get(&field)) == Some(now)
                && let Some(read) = read
            {
                self.lifecycle_finding(read, format!("the update is not visible: `{field}` is still {now} after the update set {sent}"));
            }
        }
        if let Some(delete) = usable(resource.delete)
            && let Some(assignment) = with_id(delete)
        {
            exercised.push(delete);
            let deleted = self.step(
                delete,
                &assignment,
                &format!("lifecycle: delete {shown}"),
                Expect::Valid,
            );
            let ok = matches!(
                deleted.as_ref().map(|a| &a.outcome),
                Some(Outcome::Response {
                    status: 200..=299,
                    ..
                })
            );
            if ok
                && let Some((status @ 200..=299, _)) = read_back(
                    self,
                    &format!("lifecycle: read {shown} after delete"),
                    Expect::Absent,
                )
                && let Some(read) = read
            {
                self.lifecycle_finding(
                    read,
                    format!(
                        "the deleted resource is still there: status {status} after the delete"
                    ),
                );
            }
        }
        Some(exercised)
    }

    fn lifecycle_finding(&mut self, operation: usize, message: String) {
        let op = &self.contract.operations[operation];
        let last = self.observations_last_request(operation);
        self.observations.push(Observation {
            operation,
            rule: &rule::PROBE_LIFECYCLE,
            loc: op.loc.clone(),
            key: message.clone(),
            message,
            label: String::new(),
            evidence: last.0,
            curl: last.1,
        });
    }

    fn observations_last_request(&self, operation: usize) -> (String, String) {
        self.last_exchange
            .iter()
            .find(|(i, _, _)| *i == operation)
            .map(|(_, e, c)| (e.clone(), c.clone()))
            .unwrap_or_default()
    }

    /// One lifecycle step, sent alone and judged.
    fn step(
        &mut self,
        index: usize,
        assignment: &request::Assignment,
        label: &str,
        expect: Expect,
    ) -> Option<Answered> {
        let probe = self
            .call(
                index,
                assignment,
                AuthMode::Given,
                expect,
                label.to_string(),
                None,
            )
            .into_iter()
            .next()?;
        self.send(vec![probe]).into_iter().next()
    }

    /// The probes of one request (none when it cannot be built).
    fn call(
        &mut self,
        index: usize,
        assignment: &request::Assignment,
        auth: AuthMode,
        expect: Expect,
        label: String,
        subject: Option<crate::model::Loc>,
    ) -> Option<Probe> {
        match self.builder.build(index, assignment, auth) {
            Ok(request) => Some(Probe {
                request,
                purpose: Purpose::Call { expect },
                label,
                subject: subject.unwrap_or_else(|| self.contract.operations[index].loc.clone()),
            }),
            Err(reason) => {
                self.not_planned(index, reason);
                None
            }
        }
    }

    fn variant(&mut self, index: usize, v: Variant) -> Option<Probe> {
        self.call(
            index,
            &v.assignment,
            AuthMode::Given,
            v.expect,
            v.label,
            Some(v.subject),
        )
    }

    /// One request per harvested id for an operation under the resource's item path.
    fn with_ids(
        &mut self,
        index: usize,
        baseline: &request::Assignment,
        param: &str,
        ids: &[Value],
    ) -> Vec<Probe> {
        let op = &self.contract.operations[index];
        let Some(position) = op
            .parameters
            .iter()
            .position(|p| p.name == param && p.location == crate::model::ParameterLocation::Path)
        else {
            return Vec::new();
        };
        let subject = op.parameters[position].loc.clone();
        let mut out = Vec::new();
        for id in ids {
            if baseline.params[position].as_ref() == Some(id) {
                continue;
            }
            let mut assignment = baseline.clone();
            assignment.params[position] = Some(id.clone());
            let shown = match id {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            out.extend(self.call(
                index,
                &assignment,
                AuthMode::Given,
                Expect::Valid,
                format!("{param}={shown} (from the list)"),
                Some(subject.clone()),
            ));
        }
        out
    }

    /// Without credentials, and with a wrong one, for a secured operation.
    fn auth_negatives(&mut self, index: usize, baseline: &request::Assignment) -> Vec<Probe> {
        let op = &self.contract.operations[index];
        if is_public(op) {
            return Vec::new();
        }
        let subject = op.loc.child("security");
        let mut out = Vec::new();
        out.extend(self.call(
            index,
            baseline,
            AuthMode::Omitted,
            Expect::Refused,
            "without credentials".to_string(),
            Some(subject.clone()),
        ));
        if can_send_wrong_credentials(self.contract, op) {
            out.extend(self.call(
                index,
                baseline,
                AuthMode::Wrong,
                Expect::Refused,
                "with a wrong credential".to_string(),
                Some(subject),
            ));
        }
        out
    }

    /// HEAD beside every GET that succeeded, and one method each path does not declare.
    fn semantics(
        &mut self,
        answered: &[Answered],
        baselines: &[Option<request::Assignment>],
    ) -> Vec<Probe> {
        let contract = self.contract;
        let mut out = Vec::new();
        let mut heads = HashSet::new();
        for a in answered {
            let op = &contract.operations[a.probe.request.operation_index];
            if op.method != Method::Get || !heads.insert(a.probe.request.operation_index) {
                continue;
            }
            let declares_head = contract.operations.iter().any(|o| {
                o.kind == OperationKind::Path && o.path == op.path && o.method == Method::Head
            });
            if declares_head {
                continue;
            }
            if let Outcome::Response {
                status: status @ 200..=299,
                headers,
                ..
            } = &a.outcome
            {
                out.push(Probe {
                    request: a.probe.request.with_method("HEAD"),
                    purpose: Purpose::Head {
                        status: *status,
                        content_type: header(headers, "content-type").map(str::to_string),
                    },
                    label: String::new(),
                    subject: op.loc.clone(),
                });
            }
        }
        let mut paths = HashSet::new();
        for &index in &self.selected {
            let op = &contract.operations[index];
            if !paths.insert(op.path.clone()) {
                continue;
            }
            let declared: Vec<String> = contract
                .operations
                .iter()
                .filter(|o| o.kind == OperationKind::Path && o.path == op.path)
                .map(|o| o.method.as_upper().to_string())
                .collect();
            let Some(method) = ["GET", "TRACE"]
                .into_iter()
                .find(|m| !declared.iter().any(|d| d == m))
            else {
                continue;
            };
            let Some(baseline) = &baselines[index] else {
                continue;
            };
            let Ok(request) = self.builder.build(index, baseline, AuthMode::Given) else {
                continue;
            };
            out.push(Probe {
                request: request.with_method(method),
                purpose: Purpose::UndeclaredMethod { declared },
                label: String::new(),
                subject: op.loc.clone(),
            });
        }
        out
    }

    fn not_planned(&mut self, index: usize, reason: NotPlanned) {
        let op = &self.contract.operations[index];
        let already = self.summaries[index]
            .not_exercised
            .iter()
            .any(|n| n.starts_with("not probed"));
        if already {
            return;
        }
        self.skipped += 1;
        let (rule, message) = match reason {
            NotPlanned::NoValue(why) => (&rule::PROBE_SKIPPED, format!("not probed: {why}")),
            NotPlanned::Refused(why) => (
                &rule::PROBE_PATH_REFUSED,
                format!("not probed: {why}; no request was sent"),
            ),
        };
        self.note(index, &message);
        self.findings.push(
            rule.finding(message)
                .with_operation(op.label())
                .at(self.contract.location(&op.loc)),
        );
    }

    fn note(&mut self, index: usize, text: &str) {
        let notes = &mut self.summaries[index].not_exercised;
        if !notes.iter().any(|n| n == text) {
            notes.push(text.to_string());
        }
    }

    /// Sends a batch at once (within the budget), judges every answer, and returns them.
    fn send(&mut self, mut probes: Vec<Probe>) -> Vec<Answered> {
        if probes.len() > self.budget {
            for dropped in probes.split_off(self.budget) {
                let index = dropped.request.operation_index;
                let count = self.summaries[index]
                    .not_exercised
                    .iter()
                    .position(|n| n.ends_with("over --max-requests"));
                let note = match count {
                    Some(position) => {
                        let text = self.summaries[index].not_exercised.remove(position);
                        let n: usize = text
                            .split(' ')
                            .next()
                            .and_then(|n| n.parse().ok())
                            .unwrap_or(0);
                        format!("{} requests over --max-requests", n + 1)
                    }
                    None => "1 requests over --max-requests".to_string(),
                };
                self.summaries[index].not_exercised.push(note);
            }
        }
        if probes.is_empty() {
            return Vec::new();
        }
        self.budget -= probes.len();
        let plans: Vec<_> = probes.iter().map(|p| p.request.clone()).collect();
        let outcomes = self
            .runtime
            .block_on(self.transport.send_all(plans, self.options.concurrency));
        let mut out = Vec::new();
        for (probe, (_, outcome)) in probes.into_iter().zip(outcomes) {
            let index = probe.request.operation_index;
            let summary = &mut self.summaries[index];
            summary.sent += 1;
            if let Outcome::Response { status, .. } = &outcome {
                *summary.statuses.entry(*status).or_default() += 1;
            }
            self.last_exchange.retain(|(i, _, _)| *i != index);
            self.last_exchange
                .push((index, judge::evidence(&outcome), probe.request.curl.clone()));
            self.observations.extend(judge::judge(
                self.contract,
                &self.responses,
                &probe,
                &outcome,
            ));
            out.push(Answered { probe, outcome });
        }
        out
    }
}

/// Interleaves per-operation lists, so a short budget still reaches every operation.
fn round_robin(lists: Vec<Vec<Probe>>) -> Vec<Probe> {
    let mut iters: Vec<_> = lists.into_iter().map(Vec::into_iter).collect();
    let mut out = Vec::new();
    loop {
        let mut any = false;
        for it in &mut iters {
            if let Some(p) = it.next() {
                out.push(p);
                any = true;
            }
        }
        if !any {
            return out;
        }
    }
}

/// Changes one string field of an update's body to a new valid value, so the read after it can
/// tell whether the update took. Returns the field and the value sent.
fn change_a_field(
    op: &Operation,
    assignment: &mut request::Assignment,
    schemas: &CompiledSchemas,
) -> Option<(String, Value)> {
    let Payload::Json {
        value: Value::Object(fields),
        ..
    } = &mut assignment.body
    else {
        return None;
    };
    let (_, media) = request::json_body_media(op)?;
    let schema = media.schema?;
    let validator = schemas.validator(schema, View::Request).ok()?;
    let names: Vec<String> = fields.keys().cloned().collect();
    for name in names {
        let Some(Value::String(old)) = fields.get(&name).cloned() else {
            continue;
        };
        for new in ["oaskit-updated", "updated", "oaskit", "zz"] {
            if new == old {
                continue;
            }
            let mut changed = fields.clone();
            changed.insert(name.clone(), Value::from(new));
            if validator.is_valid(&Value::Object(changed.clone())) {
                *fields = changed;
                return Some((name, Value::from(new)));
            }
        }
    }
    None
}
