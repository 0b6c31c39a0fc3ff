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
    let doc = if matches!(
        keyword,
        "minimum"
            | "maximum"
            | "exclusiveMinimum"
            | "exclusiveMaximum"
            | "minLength"
            | "maxLength"
            | "minItems"
            | "maxItems"
    ) {
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
