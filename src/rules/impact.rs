//! What a schema change does to the code oaskit generates. This is the `help` of a finding: it
//! names the type change a developer will see, or says that there is none although the wire
//! changed, which is the silent break. The type names come from the generators themselves
//! ([`crate::codegen::typescript::scalar_type_name`], [`crate::codegen::rust::scalar_type_name`]),
//! so the help is what regeneration produces.

use crate::codegen;
use crate::diff::TypeDesc;
use crate::model::{Direction, InstanceType, StatusCode};

/// The TypeScript type of a schema type.
pub(crate) fn typescript(t: &TypeDesc) -> String {
    let base = match t.types.as_deref() {
        None => "unknown".to_string(),
        Some([]) => "null".to_string(),
        Some(types) => {
            let mut names: Vec<&str> = Vec::new();
            for ty in types {
                let name = match ty {
                    InstanceType::Array => "unknown[]",
                    InstanceType::Object => "object",
                    scalar => codegen::typescript::scalar_type_name(*scalar, t.format.as_deref())
                        .unwrap_or("unknown"),
                };
                if !names.contains(&name) {
                    names.push(name);
                }
            }
            names.join(" | ")
        }
    };
    if t.nullable && t.types.as_deref() != Some(&[]) {
        format!("{base} | null")
    } else {
        base
    }
}

/// The Rust type of a schema type, quoted for a message: `` `u32` ``, `` `Option<String>` ``,
/// or what stands for a type named after its schema (an object's struct, an array's `Vec`).
pub(crate) fn rust(t: &TypeDesc) -> String {
    let (base, named) = match t.types.as_deref() {
        Some([InstanceType::Array]) => ("a `Vec`".to_string(), true),
        Some([InstanceType::Object]) => ("the struct of its schema".to_string(), true),
        Some([scalar]) => (
            codegen::rust::scalar_type_name(*scalar, t.format.as_deref())
                .unwrap_or_else(|| "serde_json::Value".to_string()),
            false,
        ),
        Some([]) => ("()".to_string(), false),
        _ => ("serde_json::Value".to_string(), false),
    };
    let nullable = t.nullable && t.types.as_deref() != Some(&[]);
    match (named, nullable) {
        (false, false) => format!("`{base}`"),
        (false, true) => format!("`Option<{base}>`"),
        (true, false) => base,
        (true, true) => format!("an `Option` of {base}"),
    }
}

/// Help for a type change of `name`, seen in `direction`.
pub(crate) fn type_change(
    name: &str,
    from: &TypeDesc,
    to: &TypeDesc,
    direction: Direction,
) -> String {
    let (ts_from, ts_to) = (typescript(from), typescript(to));
    let (rs_from, rs_to) = (rust(from), rust(to));
    let rust_part = if rs_from == rs_to {
        format!("Rust server: {rs_from} either way.")
    } else {
        format!("Rust server: {rs_from} → {rs_to}.")
    };
    if ts_from == ts_to {
        let what = match direction {
            Direction::Response => format!(
                "the generated code compiles unchanged while the server may now send {}",
                sample_of(to)
            ),
            Direction::Request => format!(
                "the generated code compiles unchanged while the server now expects {}",
                sample_of(to)
            ),
        };
        return format!(
            "TypeScript client: `{name}` stays `{ts_from}`, so {what}: the silent break, nothing fails until run time. {rust_part}"
        );
    }
    let consequence = match direction {
        Direction::Response => {
            "callers that parse it or compute with it break at run time, and fail to compile once the client is regenerated"
        }
        Direction::Request => {
            "existing calls fail to compile once the client is regenerated, and clients built from the old spec send values the server now rejects"
        }
    };
    format!(
        "TypeScript client: `{name}: {ts_from}` → `{name}: {ts_to}`: {consequence}. {rust_part}"
    )
}

/// An example of what the new type admits that the old code does not expect.
fn sample_of(to: &TypeDesc) -> &'static str {
    match to.types.as_deref() {
        Some([InstanceType::Number]) => {
            "non-integers such as `1.5` (`parseInt`, array indexes and integer arithmetic go wrong)"
        }
        Some([InstanceType::Integer]) => "integers only",
        _ if to.format.is_some() => "values of a different format",
        _ => "values of a different kind",
    }
}

/// Help for a value that may now be (or no longer be) null.
pub(crate) fn nullable(name: &str, now_nullable: bool, direction: Direction) -> String {
    match (now_nullable, direction) {
        (true, Direction::Response) => format!(
            "TypeScript client: `{name}` gains `| null`: code that uses it without a null check throws at run time. Rust server: its field becomes an `Option`."
        ),
        (false, Direction::Request) => format!(
            "TypeScript client: `{name}` loses `| null`: callers that send null get a 400 (and a compile error once regenerated). Rust server: its field is no longer an `Option`."
        ),
        (true, Direction::Request) => format!(
            "TypeScript client: `{name}` now accepts `null`. Rust server: its field becomes an `Option`."
        ),
        (false, Direction::Response) => {
            format!(
                "TypeScript client: `{name}` is never null now. Rust server: its field is no longer an `Option`."
            )
        }
    }
}

/// Help for a property that is gone from responses or became optional there.
pub(crate) fn response_property_optional(name: &str, removed: bool) -> String {
    let field = codegen::rust::field_name(name);
    if removed {
        format!(
            "TypeScript client: `{name}` disappears from the response type: code that reads it gets `undefined` at run time (a compile error once regenerated). Rust server: the field `{field}` is gone from its struct."
        )
    } else {
        format!(
            "TypeScript client: `{name}` → `{name}?`: code that assumes it is present gets `undefined` at run time. Rust server: the field `{field}` becomes an `Option`."
        )
    }
}

/// Help for a property that requests must now carry.
pub(crate) fn request_property_required(name: &str) -> String {
    let field = codegen::rust::field_name(name);
    format!(
        "TypeScript client: `{name}` becomes a required field of the request type: existing calls fail to compile once regenerated, and clients built from the old spec get a 400. Rust server: the field `{field}` is no longer an `Option`."
    )
}

/// Help for enum values, by direction.
pub(crate) fn enum_values(name: &str, added: bool, direction: Direction) -> String {
    match (added, direction) {
        (true, Direction::Response) => format!(
            "TypeScript client: the union type of `{name}` gains members: exhaustive `switch`es stop compiling once regenerated, and clients built from the old spec receive values they do not handle. Rust server: its enum gains variants."
        ),
        (false, Direction::Request) => format!(
            "TypeScript client: the union type of `{name}` loses members: calls that pass them fail to compile once regenerated, and older clients get a 400. Rust server: the enum loses variants."
        ),
        (true, Direction::Request) => {
            format!("TypeScript client: the union type of `{name}` gains members.")
        }
        (false, Direction::Response) => {
            format!("TypeScript client: the union type of `{name}` loses members.")
        }
    }
}

// ----- operations: statuses, bodies, parameters, security ---------------------------------------

/// The names the generators give the operation of a change: `listPets()`, `ListPetsRequest`,
/// `ListPetsResult` in the TypeScript client, `list_pets`, `ListPetsRequest`,
/// `ListPetsResponse` in the Rust server.
pub(crate) struct OperationNames {
    pub ts: codegen::typescript::OperationNames,
    pub rs: codegen::rust::OperationNames,
}

pub(crate) fn operation_names(change: &crate::diff::Change) -> Option<OperationNames> {
    let name = &change.operation.as_ref()?.name;
    Some(OperationNames {
        ts: codegen::typescript::operation_names(name),
        rs: codegen::rust::operation_names(name),
    })
}

/// How the TypeScript result union names a status's member: `status: 201`, or the range.
fn status_member(status: StatusCode) -> String {
    match status {
        StatusCode::Code(code) => format!("`status: {code}` member"),
        StatusCode::Range(digit) => format!("`{digit}XX` members"),
        StatusCode::Default => "`default` members".to_string(),
    }
}

/// Help for a response status added or removed.
pub(crate) fn status(names: &OperationNames, status: StatusCode, added: bool) -> String {
    let (result, response) = (&names.ts.result, &names.rs.response);
    let variant = codegen::rust::status_variant_name(status);
    let member = status_member(status);
    if added {
        format!(
            "TypeScript client: `{result}` gains its {member}: code that switches on `status` exhaustively stops compiling once regenerated, and clients built from the old spec treat the response as unexpected. Rust server: `{response}::{variant}` is new."
        )
    } else {
        format!(
            "TypeScript client: `{result}` loses its {member}: code that handles it fails to compile once regenerated. Rust server: `{response}::{variant}` is gone: handlers that return it fail to compile."
        )
    }
}

/// Help for a request body that requests must now carry.
pub(crate) fn request_body_required(names: &OperationNames) -> String {
    let (request, method) = (&names.ts.request, &names.ts.method);
    format!(
        "TypeScript client: `{request}.body` becomes required: calls of `{method}()` without a body fail to compile once regenerated, and clients built from the old spec get a 400. Rust server: `{}.body` is no longer an `Option`.",
        names.rs.request
    )
}

/// Help for a request body the server no longer reads.
pub(crate) fn request_body_removed(names: &OperationNames) -> String {
    format!(
        "TypeScript client: `{}.body` disappears: calls that pass one fail to compile once regenerated, and what clients built from the old spec send is ignored. Rust server: `{}` has no `body` any more.",
        names.ts.request, names.rs.request
    )
}

/// Help for a parameter that requests must now carry (new, or no longer optional).
pub(crate) fn parameter_required(names: &OperationNames, name: &str, new: bool) -> String {
    let (request, method) = (&names.ts.request, &names.ts.method);
    let field = codegen::rust::field_name(name);
    let ts = if new {
        format!("`{request}` gains the required member `{name}`")
    } else {
        format!("`{request}.{name}?` becomes `{request}.{name}`")
    };
    let rs = if new {
        format!("`{}.{field}` is new and always present", names.rs.request)
    } else {
        format!("`{}.{field}` is no longer an `Option`", names.rs.request)
    };
    format!(
        "TypeScript client: {ts}: calls of `{method}()` without it fail to compile once regenerated, and clients built from the old spec get a 400. Rust server: {rs}."
    )
}

/// Help for a parameter whose serialization (`style`, `explode`) changed.
pub(crate) fn parameter_serialization(names: &OperationNames, name: &str) -> String {
    format!(
        "TypeScript client: `{}()` serializes `{name}` the new way once regenerated; clients built from the old spec keep sending the old form, which the server now parses differently or refuses. Rust server: `{}.{}` is parsed from the new form.",
        names.ts.method,
        names.rs.request,
        codegen::rust::field_name(name)
    )
}

/// Help for an operation that accepts fewer credentials.
pub(crate) fn security_tightened(names: Option<&OperationNames>, requirement: &str) -> String {
    let schemes: Vec<&str> = requirement.split(" + ").collect();
    let auth = schemes
        .iter()
        .map(|s| format!("`auth.{}`", codegen::typescript::property_key(s)))
        .collect::<Vec<_>>()
        .join(" and ");
    let hooks = schemes
        .iter()
        .map(|s| format!("`authenticate_{}`", codegen::rust::field_name(s)))
        .collect::<Vec<_>>()
        .join(" and ");
    let method = names.map_or_else(
        || "the operation".to_string(),
        |n| format!("`{}()`", n.ts.method),
    );
    format!(
        "TypeScript client: {method} no longer uses {auth} of `ClientOptions`: clients that set only that get a 401. Rust server: {hooks} no longer admits a request to it."
    )
}

// ----- schemas: unions, bounds, defaults, additional properties -----------------------------------

/// Help for an alternative added to or removed from a `oneOf` / `anyOf`.
pub(crate) fn union_member(name: &str, label: &str, added: bool, direction: Direction) -> String {
    match (added, direction) {
        (true, Direction::Response) => format!(
            "TypeScript client: the union type of `{name}` gains the member `{label}`: code that narrows it exhaustively (a `switch` with a `never` default) stops compiling once regenerated, and clients built from the old spec receive a shape they were not generated for. Rust server: the enum of `{name}` gains a variant for `{label}`."
        ),
        (false, Direction::Request) => format!(
            "TypeScript client: the union type of `{name}` loses the member `{label}`: calls that pass it fail to compile once regenerated, and clients built from the old spec get a 400. Rust server: the enum of `{name}` loses its `{label}` variant."
        ),
        (true, Direction::Request) => format!(
            "TypeScript client: the union type of `{name}` gains the member `{label}`. Rust server: the enum of `{name}` gains a variant for `{label}`."
        ),
        (false, Direction::Response) => format!(
            "TypeScript client: the union type of `{name}` loses the member `{label}`. Rust server: the enum of `{name}` loses its `{label}` variant."
        ),
    }
}

/// Help for a bound (`maximum`, `maxLength`, `minItems`, ...) that changed.
pub(crate) fn bound(name: &str, keyword: &str, direction: Direction) -> String {
    let doc = if codegen::typescript::documents_bound(keyword) {
        format!("only the `@{keyword}` line of its doc comment changes")
    } else {
        "its type does not change".to_string()
    };
    match direction {
        Direction::Request => format!(
            "TypeScript client: `{name}` keeps its type ({doc}), so calls compile unchanged and values outside the new bound get a 400 at run time: the silent break. Rust server: the generated check of `{name}` rejects them with a 400 that names `{keyword}`."
        ),
        Direction::Response => format!(
            "TypeScript client: `{name}` keeps its type ({doc}): values outside the old bound reach code that relied on it without any compile error. Rust server: the generated `{name}` accepts the new range."
        ),
    }
}

/// Help for a default value that changed or was removed.
pub(crate) fn default_value(name: &str) -> String {
    format!(
        "TypeScript client: `{name}` keeps its type (only the `@default` line of its doc comment changes): calls that omit it compile unchanged and now get the server's new behaviour. Rust server: the value `{name}` takes when a request omits it changes."
    )
}

/// Help for `additionalProperties` that now admits fewer (or more) properties.
pub(crate) fn additional_properties(name: &str, narrowed: bool, direction: Direction) -> String {
    match (narrowed, direction) {
        (true, Direction::Request) => format!(
            "TypeScript client: the `[key: string]` index signature of `{name}` narrows or disappears: calls that set other properties fail to compile once regenerated, and clients built from the old spec get a 400. Rust server: the struct of `{name}` loses its flattened map of extra properties or gains `#[serde(deny_unknown_fields)]`."
        ),
        (false, Direction::Response) => format!(
            "TypeScript client: `{name}` gains a `[key: string]` index signature: code that enumerates its keys (`Object.keys`, spreads) meets properties it does not know. Rust server: the struct of `{name}` gains a flattened map of extra properties."
        ),
        (true, Direction::Response) => format!(
            "TypeScript client: the `[key: string]` index signature of `{name}` narrows or disappears. Rust server: the struct of `{name}` keeps fewer extra properties."
        ),
        (false, Direction::Request) => format!(
            "TypeScript client: `{name}` gains a `[key: string]` index signature. Rust server: the struct of `{name}` gains a flattened map of extra properties."
        ),
    }
}

/// Help for a schema that became one alternative of a new `oneOf` / `anyOf`, or was unwrapped
/// from one.
pub(crate) fn union_wrapping(
    name: &str,
    label: &str,
    wrapped: bool,
    direction: Direction,
) -> String {
    match (wrapped, direction) {
        (true, Direction::Response) => format!(
            "TypeScript client: the type of `{name}` becomes a union of `{label}` and the new alternatives: code that reads its members without narrowing it first fails to compile once regenerated, and clients built from the old spec receive shapes they were not generated for. Rust server: `{name}` becomes an enum with a variant for `{label}`."
        ),
        (true, Direction::Request) => format!(
            "TypeScript client: the type of `{name}` becomes a union of `{label}` and the new alternatives: existing calls still compile. Rust server: `{name}` becomes an enum with a variant for `{label}`; a value valid for two alternatives of a `oneOf` is refused."
        ),
        (false, Direction::Request) => format!(
            "TypeScript client: the type of `{name}` is only `{label}` now: calls that pass another alternative fail to compile once regenerated, and clients built from the old spec get a 400. Rust server: the enum of `{name}` becomes the type of `{label}`."
        ),
        (false, Direction::Response) => format!(
            "TypeScript client: the type of `{name}` is only `{label}` now: narrowing code still compiles. Rust server: the enum of `{name}` becomes the type of `{label}`."
        ),
    }
}

// ----- the default help of a change kind --------------------------------------------------------

/// Help for a change the generated code does not see at all: oaskit generates nothing for
/// webhooks and callbacks, whose requests the API provider sends.
pub(crate) fn not_generated(hook: &str) -> String {
    format!(
        "Neither the TypeScript client nor the Rust server has code for a {hook}: oaskit generates none, so regeneration changes nothing. The receivers' own {hook} handlers must follow the change."
    )
}

/// Help for a keyword that restricts values without shaping a type (`pattern`, `multipleOf`,
/// `const`, `contains`, `not`, `if`/`then`/`else`, `dependentRequired`, `contentMediaType`, ...).
pub(crate) fn constraint(name: &str, keyword: &str, direction: Direction) -> String {
    match direction {
        Direction::Request => format!(
            "TypeScript client: `{name}` keeps its type (`{keyword}` is not part of the generated TypeScript types), so calls compile unchanged and values the new schema refuses get a 400 at run time: the silent break. Rust server: its generated validation refuses them with a 400 that names `{keyword}` (a keyword it cannot check is reported by `oaskit generate` as `unchecked-keywords`)."
        ),
        Direction::Response => format!(
            "TypeScript client: `{name}` keeps its type (`{keyword}` is not part of the generated TypeScript types): values the old schema excluded reach code that relied on `{keyword}`, with no compile error. Rust server: the types do not change; handlers may now return such values."
        ),
    }
}

/// Help for a deprecation, a sunset or a stability level of a schema, parameter or operation:
/// a promise of the contract that the generated types do not carry.
pub(crate) fn lifecycle(name: &str) -> String {
    format!(
        "No generated type changes: `{name}` keeps its TypeScript and Rust types, and the TypeScript client marks it `@deprecated` while it is deprecated. The finding is about the promise to clients: code that uses `{name}` keeps compiling until it is removed, so the sunset date is the only warning they get."
    )
}

/// Help for a property that requests no longer carry (removed, or now `readOnly`).
pub(crate) fn request_property_removed(name: &str) -> String {
    let field = codegen::rust::field_name(name);
    format!(
        "TypeScript client: `{name}` disappears from the request type: calls that set it fail to compile once regenerated, and clients built from the old spec keep sending it, which the server ignores (or refuses with a 400 where `additionalProperties: false`). Rust server: the field `{field}` is gone from its struct."
    )
}

/// Help for an `allOf` member added or removed: the generated type is the intersection of the
/// members (TypeScript) or one struct with their properties (Rust).
pub(crate) fn all_of_member(name: &str, label: &str, added: bool) -> String {
    if added {
        format!(
            "TypeScript client: the type of `{name}` gains `& {label}`: the properties `{label}` requires become required members. Rust server: the struct of `{name}` gains the fields of `{label}`."
        )
    } else {
        format!(
            "TypeScript client: the type of `{name}` loses `& {label}`: code that reads the members only `{label}` declared fails to compile once regenerated. Rust server: the struct of `{name}` loses the fields of `{label}`."
        )
    }
}

/// Help for a discriminator whose property or mapping changed.
pub(crate) fn discriminator(name: &str, direction: Direction) -> String {
    let effect = match direction {
        Direction::Request => {
            "clients built from the old spec send a tag value the server now maps to another alternative or refuses with a 400"
        }
        Direction::Response => {
            "clients built from the old spec narrow responses by the old tag values and pick the wrong alternative (or none) at run time"
        }
    };
    format!(
        "TypeScript client: the union type of `{name}` is narrowed by the new discriminator once regenerated; {effect}. Rust server: the enum of `{name}` is tagged by the new property and values."
    )
}

/// Help for an enum removed from a response value: any string may now arrive.
pub(crate) fn enum_dropped(name: &str, direction: Direction) -> String {
    match direction {
        Direction::Response => format!(
            "TypeScript client: the union of literals of `{name}` becomes `string` (or its plain type): exhaustive `switch`es stop compiling once regenerated, and clients built from the old spec receive values outside the union they were generated with. Rust server: the enum of `{name}` becomes a `String`."
        ),
        Direction::Request => format!(
            "TypeScript client: the union of literals of `{name}` becomes `string` (or its plain type). Rust server: the enum of `{name}` becomes a `String`."
        ),
    }
}

/// The default help of a schema change that its family did not explain, by the kind of change.
pub(crate) fn schema_default(
    name: &str,
    change: &crate::diff::SchemaChange,
    direction: Direction,
) -> Option<String> {
    use crate::diff::SchemaChange as C;
    Some(match change {
        C::EnumDropped => enum_dropped(name, direction),
        C::ExtensibleEnumValuesRemoved { .. } => constraint(name, "x-extensible-enum", direction),
        C::ConstChanged { .. } => constraint(name, "const", direction),
        C::MultipleOfChanged { .. } => constraint(name, "multipleOf", direction),
        C::UniqueItemsChanged { .. } => constraint(name, "uniqueItems", direction),
        C::PatternChanged { .. } => constraint(name, "pattern", direction),
        C::KeywordAdded { keyword } | C::KeywordRemoved { keyword } => {
            constraint(name, keyword.keyword(), direction)
        }
        C::DependentRequiredAdded { .. }
        | C::DependentRequiredRemoved { .. }
        | C::DependentRequiredChanged { .. } => constraint(name, "dependentRequired", direction),
        C::ContentMediaTypeChanged { .. } => constraint(name, "contentMediaType", direction),
        C::ContentEncodingChanged { .. } => constraint(name, "contentEncoding", direction),
        C::DiscriminatorPropertyChanged { .. }
        | C::DiscriminatorMappingRemoved { .. }
        | C::DiscriminatorMappingChanged { .. } => discriminator(name, direction),
        C::BranchAdded {
            composition: crate::diff::Composition::AllOf,
            label,
            ..
        } => all_of_member(name, label, true),
        C::BranchRemoved {
            composition: crate::diff::Composition::AllOf,
            label,
            ..
        } => all_of_member(name, label, false),
        C::PropertyRemoved { name: short, .. } => match direction {
            Direction::Request => request_property_removed(short),
            Direction::Response => response_property_optional(short, true),
        },
        C::PropertyAdded { name: short, .. } => match direction {
            Direction::Response => format!(
                "TypeScript client: `{short}` appears in the response type again. Rust server: the field `{}` is back in its struct.",
                codegen::rust::field_name(short)
            ),
            Direction::Request => request_property_required(short),
        },
        C::PropertyRequiredChanged { name: short, .. } => match direction {
            Direction::Response => response_property_optional(short, false),
            Direction::Request => request_property_required(short),
        },
        C::DeprecatedChanged { .. } | C::StabilityChanged { .. } => lifecycle(name),
        _ => return None,
    })
}

/// Help for a security scheme whose type, scopes or URLs changed.
pub(crate) fn security_scheme(scheme: &str) -> String {
    format!(
        "TypeScript client: `auth.{}` of `ClientOptions` keeps its type, so clients compile unchanged and send credentials the server may now refuse with a 401 or 403: the silent break. Rust server: the `authenticate_{}` hook now receives the new scheme's credentials.",
        codegen::typescript::property_key(scheme),
        codegen::rust::field_name(scheme)
    )
}

/// Help for an operation that is gone.
pub(crate) fn operation_removed(n: &OperationNames) -> String {
    format!(
        "TypeScript client: `{}()`, `{}` and `{}` disappear once regenerated: calls fail to compile, and clients built from the old spec get a 404 or 405. Rust server: `{}` leaves the `Api` trait, with `{}` and `{}`.",
        n.ts.method, n.ts.request, n.ts.result, n.rs.method, n.rs.request, n.rs.response
    )
}

/// Help for an operation whose generated names change (its `operationId` changed or went):
/// `from` is the old operation name.
pub(crate) fn operation_renamed(n: &OperationNames, from: &str) -> String {
    let ts = codegen::typescript::operation_names(from);
    let rs = codegen::rust::operation_names(from);
    format!(
        "The wire does not change, the names do: TypeScript client: `{}()` becomes `{}()` (`{}` → `{}`, `{}` → `{}`): callers fail to compile once regenerated. Rust server: the `Api` method `{}` becomes `{}` (`{}` → `{}`): implementations fail to compile until renamed.",
        ts.method,
        n.ts.method,
        ts.request,
        n.ts.request,
        ts.result,
        n.ts.result,
        rs.method,
        n.rs.method,
        rs.response,
        n.rs.response
    )
}

/// Help for a component schema renamed (same shape).
pub(crate) fn component_renamed(from: &str, to: &str) -> String {
    format!(
        "The wire is the same, the type names are not: TypeScript client: `{}` becomes `{}` in `models.ts`; Rust server: `{}` becomes `{}` in `models.rs`. Code that imports the old name fails to compile once regenerated.",
        codegen::typescript::component_type_name(from),
        codegen::typescript::component_type_name(to),
        codegen::rust::component_type_name(from),
        codegen::rust::component_type_name(to)
    )
}

/// The default help of an operation-level change its family did not explain.
pub(crate) fn operation_default(change: &crate::diff::Change) -> Option<String> {
    use crate::diff::{ChangeKind as K, DeclaredIn, Subject};
    let hook = match change.operation.as_ref().map(|o| o.declared_in) {
        Some(DeclaredIn::Webhook) => Some("webhook"),
        Some(DeclaredIn::Callback) => Some("callback"),
        _ => None,
    };
    if let Some(hook) = hook
        && !matches!(change.kind, K::Schema(_))
    {
        return Some(not_generated(hook));
    }
    let names = operation_names(change);
    let method = names.as_ref().map_or_else(
        || "the operation".to_string(),
        |n| format!("`{}()`", n.ts.method),
    );
    Some(match (&change.kind, &change.subject) {
        (K::OperationRemoved { .. }, _) => operation_removed(names.as_ref()?),
        (
            K::OperationDeprecated { .. }
            | K::OperationSunsetChanged { .. }
            | K::OperationStabilityChanged { .. },
            _,
        ) => lifecycle(&method.replace('`', "")),
        (
            K::OperationIdChanged {
                from: Some(from), ..
            },
            _,
        ) => operation_renamed(names.as_ref()?, from),
        (K::TagRemoved { tag }, _) => format!(
            "The wire does not change. TypeScript client: each operation's function lives in the module of its first tag (`src/operations/`, `untagged` without one): if `{tag}` was the first tag of {method}, its function moves to another module, and imports of it from the old module fail to compile once regenerated; the `Client` method stays. Rust server: nothing changes."
        ),
        (K::ComponentSchemaRemoved { name }, _) => format!(
            "TypeScript client: `{}` is no longer exported from `models.ts`: code that imports it fails to compile once regenerated. Rust server: `{}` is gone from `models.rs`.",
            codegen::typescript::component_type_name(name),
            codegen::rust::component_type_name(name)
        ),
        (
            K::SecuritySchemeTypeChanged { name, .. }
            | K::SecuritySchemeScopeRemoved { name, .. }
            | K::SecuritySchemeUrlChanged { name, .. },
            _,
        ) => security_scheme(name),
        (K::MediaTypeRemoved { media_type }, Subject::RequestBody) => format!(
            "TypeScript client: {method} no longer sends `{media_type}` once regenerated; clients built from the old spec that send it get a 415. Rust server: the handler refuses `{media_type}` bodies with a 415."
        ),
        (K::MediaTypeRemoved { media_type }, _) => format!(
            "TypeScript client: the result of {method} no longer has a `{media_type}` body: code that reads one fails to compile once regenerated, and clients that accept only `{media_type}` get a 406 from the generated server. Rust server: the response variants lose their `{media_type}` body."
        ),
        (K::MediaTypeSchemaAdded | K::MediaTypeSchemaRemoved, _) => format!(
            "TypeScript client: the body type of {method} changes between `unknown` and the schema's type once regenerated. Rust server: the body is validated against the schema where there is one, and requests it refuses get a 400."
        ),
        (K::HeaderRemoved { .. }, Subject::ResponseHeader(status, name)) => {
            let n = names.as_ref()?;
            format!(
                "TypeScript client: response headers are not part of `{}`, so nothing fails to compile; code that reads `{name}` gets `null`. Rust server: `{}::{}` loses its `{}` field: handlers that set it fail to compile.",
                n.ts.result,
                n.rs.response,
                codegen::rust::status_variant_name(*status),
                codegen::rust::field_name(name)
            )
        }
        (K::HeaderRequiredChanged { required }, Subject::ResponseHeader(status, name)) => {
            let n = names.as_ref()?;
            let variant = codegen::rust::status_variant_name(*status);
            let field = codegen::rust::field_name(name);
            if *required {
                format!(
                    "TypeScript client: response headers are not part of `{}`: nothing changes. Rust server: `{}::{variant}.{field}` is no longer an `Option`: handlers must set it.",
                    n.ts.result, n.rs.response
                )
            } else {
                format!(
                    "TypeScript client: response headers are not part of `{}`, so nothing fails to compile; code that reads `{name}` may get `null`. Rust server: `{}::{variant}.{field}` becomes an `Option`.",
                    n.ts.result, n.rs.response
                )
            }
        }
        (K::ParameterRemoved { .. }, Subject::Parameter(p)) => {
            let n = names.as_ref()?;
            format!(
                "TypeScript client: `{}.{}` disappears: calls that pass it fail to compile once regenerated, and what clients built from the old spec send is ignored. Rust server: `{}.{}` is gone.",
                n.ts.request,
                p.name,
                n.rs.request,
                codegen::rust::field_name(&p.name)
            )
        }
        (
            K::ParameterDeprecated { .. } | K::ParameterSunsetChanged { .. },
            Subject::Parameter(p),
        ) => lifecycle(&p.name),
        _ => return None,
    })
}
