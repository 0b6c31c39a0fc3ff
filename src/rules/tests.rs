//! The diff rules' contract with the catalogue: request and response rules in step, and every
//! diff id both emittable by some change and in the catalogue.

use std::collections::BTreeSet;

use serde_json::{Number, Value, json};

use super::*;
use crate::catalogue::{Command, schema_rule_id};
use crate::diff::{
    Bound, Composition, DeclaredIn, Keyword, Lifecycle, Openness, OperationRef, ParameterRef,
    Relation, SchemaChange, SchemaPath, SecurityChange, TypeDesc, Visibility,
};
use crate::model::{InstanceType, StatusCode};

fn diff_rules() -> impl Iterator<Item = &'static Rule> {
    crate::catalogue::for_command(Command::Diff)
}

#[test]
fn every_verdict_has_a_rule() {
    // A schema rule reported on a side it does not exist on has no rule: no change may do that.
    let changes = all_changes();
    let options = CheckOptions::default();
    let cx = Cx {
        options: &options,
        today: Date::today(),
    };
    for c in &changes {
        let mut out = Vec::new();
        judge(c, &cx, &mut out);
        for v in out {
            assert!(v.rule.is_some(), "no rule for {:?}: {}", c.kind, v.message);
        }
    }
}

#[test]
fn schema_rules_exist_on_both_sides() {
    // For every request-body rule there is a response-body rule with the same suffix, and the
    // other way round (oasdiff's one differently spelled id aside).
    let ids: BTreeSet<&str> = diff_rules().map(|r| r.id).collect();
    for id in &ids {
        if let Some(suffix) = id.strip_prefix("request-body-") {
            let twin = schema_rule_id("response-body", suffix);
            let request_only = ["removed", "became-required", "became-optional"].contains(&suffix)
                || suffix.starts_with("media-type");
            if !request_only {
                assert!(ids.contains(twin.as_str()), "{id} has no `{twin}`");
            }
        }
        if let Some(suffix) = id.strip_prefix("response-property-") {
            let twin = format!("request-property-{suffix}");
            let response_only =
                suffix.starts_with("became-required") || suffix.starts_with("became-optional");
            if !response_only {
                assert!(ids.contains(twin.as_str()), "{id} has no `{twin}`");
            }
        }
    }
}

// ----- every change a family can see, and the ids it produces --------------------------------

fn op() -> OperationRef {
    OperationRef {
        label: "GET /x".to_string(),
        name: "getX".to_string(),
        declared_in: DeclaredIn::Path,
        stability: None,
    }
}

fn change(subject: Subject, kind: ChangeKind) -> Change {
    Change {
        subject,
        kind,
        operation: Some(op()),
        base: None,
        revision: None,
        revision_anchor: None,
    }
}

fn schema_subjects() -> Vec<SchemaSubject> {
    let sites = [
        SchemaSite::RequestBody {
            media_type: "application/json".into(),
        },
        SchemaSite::Response {
            status: StatusCode::Code(200),
            media_type: "application/json".into(),
        },
        SchemaSite::Parameter(ParameterRef {
            location: ParameterLocation::Query,
            name: "q".into(),
        }),
        SchemaSite::Parameter(ParameterRef {
            location: ParameterLocation::Header,
            name: "h".into(),
        }),
        SchemaSite::ResponseHeader {
            status: StatusCode::Code(200),
            name: "X".into(),
        },
    ];
    let paths = [
        SchemaPath(Vec::new()),
        SchemaPath(vec![Step::Property("p".into())]),
    ];
    let mut out = Vec::new();
    for site in &sites {
        for path in &paths {
            for direction in [Direction::Request, Direction::Response] {
                out.push(SchemaSubject {
                    site: site.clone(),
                    path: path.clone(),
                    direction,
                    declared_in: DeclaredIn::Path,
                });
            }
        }
    }
    out
}

fn ty(t: InstanceType) -> TypeDesc {
    TypeDesc {
        types: Some(vec![t]),
        format: None,
        nullable: false,
    }
}

fn schema_changes() -> Vec<SchemaChange> {
    let n = |v: u64| Some(Number::from(v));
    let mut out = Vec::new();
    for relation in [
        Relation::Widened,
        Relation::Narrowed,
        Relation::Incomparable,
    ] {
        out.push(SchemaChange::TypeChanged {
            from: ty(InstanceType::Integer),
            to: ty(InstanceType::Number),
            relation,
        });
    }
    for nullable in [true, false] {
        out.push(SchemaChange::NullableChanged { nullable });
        out.push(SchemaChange::UniqueItemsChanged { unique: nullable });
    }
    let values = vec![json!("a")];
    out.extend([
        SchemaChange::BecameEnum {
            values: values.clone(),
        },
        SchemaChange::EnumDropped,
        SchemaChange::EnumValuesAdded {
            values: values.clone(),
        },
        SchemaChange::EnumValuesRemoved {
            values: values.clone(),
        },
        SchemaChange::ExtensibleEnumValuesRemoved { values },
    ]);
    let pairs: [(Option<Value>, Option<Value>); 3] = [
        (None, Some(json!(1))),
        (Some(json!(1)), None),
        (Some(json!(1)), Some(json!(2))),
    ];
    for (from, to) in pairs.clone() {
        out.push(SchemaChange::ConstChanged {
            from: from.clone(),
            to: to.clone(),
        });
        out.push(SchemaChange::DefaultChanged { from, to });
    }
    let bounds = [
        Bound::Minimum,
        Bound::Maximum,
        Bound::ExclusiveMinimum,
        Bound::ExclusiveMaximum,
        Bound::MinLength,
        Bound::MaxLength,
        Bound::MinItems,
        Bound::MaxItems,
        Bound::MinProperties,
        Bound::MaxProperties,
        Bound::MinContains,
        Bound::MaxContains,
    ];
    for bound in bounds {
        for (from, to) in [(None, n(1)), (n(1), None), (n(1), n(2)), (n(2), n(1))] {
            out.push(SchemaChange::BoundChanged { bound, from, to });
        }
    }
    for (from, to) in [(None, n(2)), (n(2), None), (n(2), n(3))] {
        out.push(SchemaChange::MultipleOfChanged { from, to });
    }
    let p = |s: &str| Some(s.to_string());
    for (from, to) in [(None, p("a")), (p("a"), None), (p("a"), p("b"))] {
        out.push(SchemaChange::PatternChanged {
            from: from.clone(),
            to: to.clone(),
        });
        out.push(SchemaChange::ContentMediaTypeChanged {
            from: from.clone(),
            to: to.clone(),
        });
        out.push(SchemaChange::ContentEncodingChanged { from, to });
    }
    for why in [
        Visibility::Declared,
        Visibility::ReadOnly,
        Visibility::WriteOnly,
    ] {
        for required in [true, false] {
            for has_default in [true, false] {
                out.push(SchemaChange::PropertyAdded {
                    name: "n".into(),
                    required,
                    has_default,
                    why,
                });
                out.push(SchemaChange::PropertyRequiredChanged {
                    name: "n".into(),
                    required,
                    has_default,
                });
            }
            out.push(SchemaChange::PropertyRemoved {
                name: "n".into(),
                required,
                why,
            });
        }
    }
    for (from, to) in [
        (Openness::Open, Openness::Closed),
        (Openness::Closed, Openness::Open),
    ] {
        out.push(SchemaChange::AdditionalPropertiesChanged { from, to });
    }
    for composition in [Composition::OneOf, Composition::AnyOf, Composition::AllOf] {
        for annotation_only in [true, false] {
            if annotation_only && composition != Composition::AllOf {
                continue;
            }
            out.push(SchemaChange::BranchAdded {
                composition,
                label: "B".into(),
                annotation_only,
            });
            out.push(SchemaChange::BranchRemoved {
                composition,
                label: "B".into(),
                annotation_only,
            });
        }
        if composition != Composition::AllOf {
            for overlapping in [true, false] {
                out.push(SchemaChange::WrappedIn {
                    composition,
                    label: "B".into(),
                    overlapping,
                });
            }
            out.push(SchemaChange::UnwrappedFrom {
                composition,
                label: "B".into(),
            });
        }
    }
    out.extend([
        SchemaChange::DiscriminatorAdded {
            property: "k".into(),
        },
        SchemaChange::DiscriminatorRemoved {
            property: "k".into(),
        },
        SchemaChange::DiscriminatorPropertyChanged {
            from: "k".into(),
            to: "t".into(),
        },
        SchemaChange::DiscriminatorMappingAdded {
            values: vec!["a".into()],
        },
        SchemaChange::DiscriminatorMappingRemoved {
            values: vec!["a".into()],
        },
        SchemaChange::DiscriminatorMappingChanged {
            value: "a".into(),
            from: "A".into(),
            to: "B".into(),
        },
        SchemaChange::DependentRequiredAdded {
            property: "a".into(),
        },
        SchemaChange::DependentRequiredRemoved {
            property: "a".into(),
        },
        SchemaChange::DependentRequiredChanged {
            property: "a".into(),
        },
    ]);
    let keywords = [
        Keyword::Contains,
        Keyword::If,
        Keyword::Then,
        Keyword::Else,
        Keyword::Not,
        Keyword::PropertyNames,
        Keyword::ContentSchema,
        Keyword::PrefixItems,
        Keyword::PatternProperty("^x".into()),
        Keyword::DependentSchema("a".into()),
        Keyword::UnevaluatedItems,
        Keyword::UnevaluatedProperties,
    ];
    for keyword in keywords {
        out.push(SchemaChange::KeywordAdded {
            keyword: keyword.clone(),
        });
        out.push(SchemaChange::KeywordRemoved { keyword });
    }
    for sunset in [None, p("2000-01-01"), p("2999-01-01"), p("soon")] {
        out.push(SchemaChange::DeprecatedChanged {
            deprecated: true,
            sunset,
        });
    }
    out.push(SchemaChange::DeprecatedChanged {
        deprecated: false,
        sunset: None,
    });
    for (from, to) in [
        (p("stable"), p("beta")),
        (p("beta"), p("stable")),
        (None, p("ga")),
    ] {
        out.push(SchemaChange::StabilityChanged { from, to });
    }
    out
}

fn other_changes() -> Vec<Change> {
    let s = |t: &str| Some(t.to_string());
    let mut out = Vec::new();
    let sunsets = [None, s("2000-01-01"), s("2999-01-01"), s("soon")];
    for declared_in in [DeclaredIn::Path, DeclaredIn::Webhook, DeclaredIn::Callback] {
        for whole_path in [true, false] {
            for deprecated in [true, false] {
                for sunset in sunsets.clone() {
                    let lifecycle = Lifecycle {
                        deprecated,
                        sunset,
                        stability: None,
                    };
                    let mut c = change(
                        Subject::Operation,
                        ChangeKind::OperationRemoved {
                            lifecycle,
                            whole_path,
                        },
                    );
                    if let Some(o) = c.operation.as_mut() {
                        o.declared_in = declared_in;
                    }
                    out.push(c);
                }
            }
        }
        let mut c = change(Subject::Operation, ChangeKind::OperationAdded);
        if let Some(o) = c.operation.as_mut() {
            o.declared_in = declared_in;
        }
        out.push(c);
    }
    for sunset in sunsets.clone() {
        out.push(change(
            Subject::Operation,
            ChangeKind::OperationDeprecated {
                sunset: sunset.clone(),
                stability: s("beta"),
            },
        ));
        out.push(change(
            Subject::Operation,
            ChangeKind::OperationDeprecated {
                sunset: sunset.clone(),
                stability: s("wrong"),
            },
        ));
        let param = Subject::Parameter(ParameterRef {
            location: ParameterLocation::Query,
            name: "q".into(),
        });
        out.push(change(
            param.clone(),
            ChangeKind::ParameterDeprecated {
                sunset: sunset.clone(),
            },
        ));
        for deprecated in [true, false] {
            let lifecycle = Lifecycle {
                deprecated,
                sunset: sunset.clone(),
                stability: None,
            };
            out.push(change(
                param.clone(),
                ChangeKind::ParameterRemoved { lifecycle },
            ));
        }
    }
    for (from, to) in [
        ("2030-01-01", None),
        ("2030-01-01", s("2029-01-01")),
        ("2030-01-01", s("x")),
    ] {
        out.push(change(
            Subject::Operation,
            ChangeKind::OperationSunsetChanged {
                from: from.into(),
                to: to.clone(),
            },
        ));
        let param = Subject::Parameter(ParameterRef {
            location: ParameterLocation::Query,
            name: "q".into(),
        });
        out.push(change(
            param,
            ChangeKind::ParameterSunsetChanged {
                from: from.into(),
                to,
            },
        ));
    }
    for (from, to) in [
        (s("stable"), s("beta")),
        (s("beta"), s("stable")),
        (s("ga"), s("beta")),
    ] {
        out.push(change(
            Subject::Operation,
            ChangeKind::OperationStabilityChanged { from, to },
        ));
    }
    out.push(change(Subject::Operation, ChangeKind::OperationReactivated));
    for (from, to) in [(s("a"), s("b")), (s("a"), None), (None, s("b"))] {
        out.push(change(
            Subject::Operation,
            ChangeKind::OperationIdChanged { from, to },
        ));
    }
    out.push(change(
        Subject::Operation,
        ChangeKind::TagAdded { tag: "t".into() },
    ));
    out.push(change(
        Subject::Operation,
        ChangeKind::TagRemoved { tag: "t".into() },
    ));
    let securities = [
        SecurityChange::RequirementAdded {
            requirement: "a".into(),
        },
        SecurityChange::RequirementRemoved {
            requirement: "a".into(),
        },
        SecurityChange::RequirementTightened {
            requirement: "anonymous".into(),
        },
        SecurityChange::ScopeAdded {
            scheme: "a".into(),
            scope: "s".into(),
        },
        SecurityChange::ScopeRemoved {
            scheme: "a".into(),
            scope: "s".into(),
        },
    ];
    for sec in securities {
        out.push(change(
            Subject::Operation,
            ChangeKind::Security(sec.clone()),
        ));
        out.push(change(
            Subject::Document,
            ChangeKind::GlobalSecurity {
                change: sec,
                inherited: true,
            },
        ));
    }
    let doc = [
        ChangeKind::SecuritySchemeAdded { name: "a".into() },
        ChangeKind::SecuritySchemeRemoved { name: "a".into() },
        ChangeKind::SecuritySchemeTypeChanged {
            name: "a".into(),
            from: "x".into(),
            to: "y".into(),
        },
        ChangeKind::SecuritySchemeScopeAdded {
            name: "a".into(),
            flow: "f".into(),
            scope: "s".into(),
        },
        ChangeKind::SecuritySchemeScopeRemoved {
            name: "a".into(),
            flow: "f".into(),
            scope: "s".into(),
        },
        ChangeKind::SecuritySchemeUrlChanged {
            name: "a".into(),
            field: "f".into(),
            from: None,
            to: s("u"),
        },
        ChangeKind::ComponentSchemaRemoved { name: "A".into() },
        ChangeKind::ComponentSchemaRenamed {
            from: "A".into(),
            to: "B".into(),
        },
        ChangeKind::ServerUrlChanged {
            from: "https://a.example/v1".into(),
            to: "https://a.example/v2".into(),
            path_changed: true,
        },
        ChangeKind::ServerUrlChanged {
            from: "https://a.example/v1".into(),
            to: "https://b.example/v1".into(),
            path_changed: false,
        },
    ];
    for kind in doc {
        out.push(change(Subject::Document, kind));
    }
    for location in [ParameterLocation::Path, ParameterLocation::Query] {
        let param = Subject::Parameter(ParameterRef {
            location,
            name: "q".into(),
        });
        for required in [true, false] {
            for path_level in [true, false] {
                out.push(change(
                    param.clone(),
                    ChangeKind::ParameterAdded {
                        required,
                        has_default: false,
                        path_level,
                    },
                ));
            }
            out.push(change(
                param.clone(),
                ChangeKind::ParameterRequiredChanged { required },
            ));
        }
        out.push(change(param.clone(), ChangeKind::ParameterReactivated));
        out.push(change(
            param.clone(),
            ChangeKind::ParameterRenamed {
                from: "a".into(),
                to: "b".into(),
            },
        ));
        out.push(change(
            param.clone(),
            ChangeKind::ParameterStyleChanged {
                from: "form".into(),
                to: "simple".into(),
            },
        ));
        out.push(change(
            param,
            ChangeKind::ParameterExplodeChanged {
                from: true,
                to: false,
            },
        ));
    }
    for required in [true, false] {
        out.push(change(
            Subject::RequestBody,
            ChangeKind::RequestBodyAdded { required },
        ));
        out.push(change(
            Subject::RequestBody,
            ChangeKind::RequestBodyRequiredChanged { required },
        ));
        let header = Subject::ResponseHeader(StatusCode::Code(200), "X".into());
        out.push(change(header.clone(), ChangeKind::HeaderAdded { required }));
        out.push(change(
            header.clone(),
            ChangeKind::HeaderRemoved { required },
        ));
        out.push(change(
            header,
            ChangeKind::HeaderRequiredChanged { required },
        ));
    }
    out.push(change(Subject::RequestBody, ChangeKind::RequestBodyRemoved));
    for owner in [
        Subject::RequestBody,
        Subject::Response(StatusCode::Code(200)),
        Subject::Response(StatusCode::Code(404)),
    ] {
        out.push(change(
            owner.clone(),
            ChangeKind::MediaTypeAdded {
                media_type: "a/b".into(),
            },
        ));
        out.push(change(
            owner,
            ChangeKind::MediaTypeRemoved {
                media_type: "a/b".into(),
            },
        ));
    }
    for media in [
        Subject::RequestMedia("a/b".into()),
        Subject::ResponseMedia(StatusCode::Code(200), "a/b".into()),
    ] {
        out.push(change(media.clone(), ChangeKind::MediaTypeSchemaAdded));
        out.push(change(media, ChangeKind::MediaTypeSchemaRemoved));
    }
    for status in [StatusCode::Code(200), StatusCode::Code(404)] {
        out.push(change(Subject::Response(status), ChangeKind::ResponseAdded));
        out.push(change(
            Subject::Response(status),
            ChangeKind::ResponseRemoved,
        ));
    }
    out
}

fn all_changes() -> Vec<Change> {
    let mut changes = other_changes();
    for subject in schema_subjects() {
        for kind in schema_changes() {
            changes.push(change(
                Subject::Schema(subject.clone()),
                ChangeKind::Schema(kind),
            ));
        }
    }
    changes
}

fn emitted_ids() -> BTreeSet<String> {
    let changes = all_changes();
    let policy = CheckOptions {
        deprecation_days: Some(DeprecationPolicy {
            stable: 90,
            beta: 30,
        }),
        ..CheckOptions::default()
    };
    let mut ids = BTreeSet::new();
    for options in [CheckOptions::default(), policy] {
        let cx = Cx {
            options: &options,
            today: Date::parse("2025-06-01").unwrap_or_else(Date::today),
        };
        for c in &changes {
            let mut out = Vec::new();
            judge(c, &cx, &mut out);
            ids.extend(
                out.into_iter()
                    .filter_map(|v| v.rule.map(|r| r.id.to_string())),
            );
        }
    }
    ids
}

#[test]
fn every_emitted_id_is_registered_and_every_registered_id_is_emitted() {
    let emitted = emitted_ids();
    let unregistered: Vec<&String> = emitted.iter().filter(|id| lookup(id).is_none()).collect();
    assert!(
        unregistered.is_empty(),
        "emitted but not registered: {unregistered:?}"
    );
    let unreachable: Vec<&str> = diff_rules()
        .map(|r| r.id)
        // The waivers are reported by the configuration, not by a change.
        .filter(|id| !id.starts_with("diff-ignore-"))
        .filter(|id| !emitted.contains(*id))
        .collect();
    assert!(
        unreachable.is_empty(),
        "registered but never emitted: {unreachable:?}"
    );
}

/// Error and warning rules whose findings may carry no help, with the reason. Empty: every one
/// says what it does to the generated client and server.
const WITHOUT_HELP: &[(&str, &str)] = &[];

#[test]
fn every_error_and_warning_has_help() {
    // Every change every family can see, with and without a deprecation policy: each verdict
    // of a rule that is an error or a warning by default says what it does to the generated
    // code, or its rule is listed in WITHOUT_HELP with the reason.
    let changes = all_changes();
    let policy = CheckOptions {
        deprecation_days: Some(DeprecationPolicy {
            stable: 90,
            beta: 30,
        }),
        ..CheckOptions::default()
    };
    let mut without: BTreeSet<&str> = BTreeSet::new();
    let mut seen: BTreeSet<&str> = BTreeSet::new();
    for options in [CheckOptions::default(), policy] {
        let cx = Cx {
            options: &options,
            today: Date::parse("2025-06-01").unwrap_or_else(Date::today),
        };
        for c in &changes {
            let mut out = Vec::new();
            judge(c, &cx, &mut out);
            for v in out {
                let Some(rule) = v.rule else { continue };
                if rule.level < Level::Warning {
                    continue;
                }
                seen.insert(rule.id);
                let help = v.help.unwrap_or_default();
                if help.is_empty() && !WITHOUT_HELP.iter().any(|(id, _)| *id == rule.id) {
                    without.insert(rule.id);
                }
                assert!(
                    !help.contains(" T ") && !help.contains("a struct"),
                    "{}: {help}",
                    rule.id
                );
            }
        }
    }
    assert!(
        without.is_empty(),
        "errors and warnings without help: {without:?}"
    );
    // Every error and warning of the catalogue was met (the waivers are the configuration's).
    let unmet: Vec<&str> = diff_rules()
        .filter(|r| r.level >= Level::Warning && !r.id.starts_with("diff-ignore-"))
        .map(|r| r.id)
        .filter(|id| !seen.contains(id))
        .collect();
    assert!(unmet.is_empty(), "never met: {unmet:?}");
}
