//! What a schema change does to the code oaskit generates. This is the `help` of a finding: it
//! names the type change a developer will see, or says that there is none although the wire
//! changed, which is the silent break. The type names come from the generators themselves
//! ([`crate::codegen::typescript::scalar_type_name`], [`crate::codegen::rust::scalar_type_name`]),
//! so the help is what regeneration produces.

use crate::codegen;
use crate::diff::TypeDesc;
use crate::model::{Direction, InstanceType};

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

/// The Rust type of a schema type.
pub(crate) fn rust(t: &TypeDesc) -> String {
    let base = match t.types.as_deref() {
        Some([InstanceType::Array]) => "Vec<_>".to_string(),
        Some([InstanceType::Object]) => "a struct".to_string(),
        Some([scalar]) => codegen::rust::scalar_type_name(*scalar, t.format.as_deref())
            .unwrap_or_else(|| "serde_json::Value".to_string()),
        Some([]) => "()".to_string(),
        _ => "serde_json::Value".to_string(),
    };
    if t.nullable && t.types.as_deref() != Some(&[]) {
        format!("Option<{base}>")
    } else {
        base
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
        format!("Rust server: `{rs_from}` either way.")
    } else {
        format!("Rust server: `{rs_from}` → `{rs_to}`.")
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
            "TypeScript client: `{name}` gains `| null`: code that uses it without a null check throws at run time. Rust: `T` → `Option<T>`."
        ),
        (false, Direction::Request) => format!(
            "TypeScript client: `{name}` loses `| null`: callers that send null get a 400 (and a compile error once regenerated). Rust server: `Option<T>` → `T`."
        ),
        (true, Direction::Request) => format!(
            "TypeScript client: `{name}` now accepts `null`. Rust server: `T` → `Option<T>`."
        ),
        (false, Direction::Response) => {
            format!("TypeScript client: `{name}` is never null now. Rust: `Option<T>` → `T`.")
        }
    }
}

/// Help for a property that is gone from responses or became optional there.
pub(crate) fn response_property_optional(name: &str, removed: bool) -> String {
    if removed {
        format!(
            "TypeScript client: `{name}` disappears from the response type: code that reads it gets `undefined` at run time (a compile error once regenerated). Rust: the field is gone from the struct."
        )
    } else {
        format!(
            "TypeScript client: `{name}: T` → `{name}?: T`: code that assumes it is present gets `undefined` at run time. Rust: `T` → `Option<T>`."
        )
    }
}

/// Help for a property that requests must now carry.
pub(crate) fn request_property_required(name: &str) -> String {
    format!(
        "TypeScript client: `{name}` becomes a required field of the request type: existing calls fail to compile once regenerated, and clients built from the old spec get a 400. Rust server: `Option<T>` → `T`."
    )
}

/// Help for enum values, by direction.
pub(crate) fn enum_values(name: &str, added: bool, direction: Direction) -> String {
    match (added, direction) {
        (true, Direction::Response) => format!(
            "TypeScript client: the union type of `{name}` gains members: exhaustive `switch`es stop compiling once regenerated, and clients built from the old spec receive values they do not handle. Rust: new enum variants; an older client fails to deserialize them."
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
