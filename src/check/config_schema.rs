//! The JSON Schema of `oaskit.toml`, printed by `oaskit config-schema` and committed as
//! `oaskit.schema.json`, so editors (Taplo / Even Better TOML, IntelliJ) complete keys and rule
//! ids and flag mistakes while the file is written, not when CI reads it.
//!
//! It describes what [`super::CheckConfig::parse`] accepts: a test feeds the same table of
//! configs to both and requires the same verdict, and another keeps the committed file equal to
//! this function's output. Rule ids come from the rule catalogue, so a new rule is completed as
//! soon as it exists (and the committed file must be regenerated, which the test says).

use serde_json::{Value, json};

/// Where the schema is published, relative to the repository root.
pub const SCHEMA_FILE: &str = "oaskit.schema.json";

/// The schema, in JSON Schema draft 2020-12.
pub fn config_schema() -> Value {
    let rule_ids: Vec<&str> = crate::catalogue::all().iter().map(|r| r.id).collect();
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "oaskit.toml",
        "description": "Configuration of `oaskit check` (the contract gate) and of `oaskit generate` without a target. Paths are relative to this file.",
        "type": "object",
        "additionalProperties": false,
        "required": ["specs"],
        "properties": {
            "fail-on": {
                "description": "Exit 1 when a finding is at or above this level (the command line's --fail-on wins).",
                "enum": ["error", "warning", "info", "never"]
            },
            "validate": {
                "description": "Options of structural and example validation.",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "format-assertions": {
                        "description": "Check `format` (date-time, uuid, email, ...) in examples; false makes formats annotations.",
                        "type": "boolean",
                        "default": true
                    }
                }
            },
            "specs": {
                "description": "The specs the gate covers.",
                "type": "array",
                "minItems": 1,
                "items": { "$ref": "#/$defs/spec" }
            },
            "rules": {
                "description": "Rule id → level, for any rule of any command (see `oaskit check --list-rules`); `[diff.rules]` is read after it.",
                "type": "object",
                "propertyNames": { "$ref": "#/$defs/rule-id" },
                "additionalProperties": { "$ref": "#/$defs/level" }
            },
            "diff": { "$ref": "#/$defs/diff" }
        },
        "$defs": {
            "spec": {
                "type": "object",
                "additionalProperties": false,
                "required": ["path"],
                "properties": {
                    "path": {
                        "description": "The spec file, relative to oaskit.toml; it must lie inside the project (the git work tree holding oaskit.toml, or its directory).",
                        "type": "string"
                    },
                    "base": {
                        "description": "What the spec is diffed against: a git revision (this path at that revision, e.g. `origin/main`), `REV:path` or `git:REV:path`, a file written as a path (`./old.yaml`, `../v1/openapi.yaml`: a bare name is a revision, never a file) or an http(s) URL. A revision cannot start with `-`. `oaskit check --base REV` overrides it.",
                        "type": "string"
                    },
                    "generate": {
                        "description": "Generated code that must be up to date (`oaskit check`) and that `oaskit generate` without a target writes.",
                        "type": "array",
                        "items": { "$ref": "#/$defs/generate" }
                    }
                }
            },
            "generate": {
                "type": "object",
                "additionalProperties": false,
                "required": ["target", "output"],
                "properties": {
                    "target": {
                        "description": "The generator.",
                        "enum": ["ts-client", "rust-server"]
                    },
                    "output": {
                        "description": "The directory of the generated code: a relative path inside the directory of oaskit.toml (no `..` out of it, no absolute path).",
                        "type": "string"
                    },
                    "templates": {
                        "description": "A directory of templates replacing the embedded ones of the same name, relative to oaskit.toml and inside the project.",
                        "type": "string"
                    },
                    "package-name": {
                        "description": "ts-client: the npm package name (default: from info.title).",
                        "type": "string"
                    },
                    "package-version": {
                        "description": "ts-client: the package version, a semantic version (default: info.version; a date becomes YYYY.M.D).",
                        "type": "string"
                    },
                    "license": {
                        "description": "ts-client: an SPDX license expression (default: info.license, else UNLICENSED).",
                        "type": "string"
                    },
                    "repository": {
                        "description": "ts-client: the package's repository URL (https://, git+https:// or github:owner/name).",
                        "type": "string"
                    },
                    "crate-name": {
                        "description": "rust-server: the generated crate's name (default: from info.title, e.g. petstore-server): ASCII letters, digits, `-` and `_`, starting with a letter, at most 64 characters, not a Rust keyword.",
                        "type": "string",
                        "pattern": "^[A-Za-z][A-Za-z0-9_-]{0,63}$"
                    },
                    "default-not-implemented": {
                        "description": "rust-server: every operation of the Api trait gets a default body answering 501 Not Implemented (problem+json), so that an operation added to the spec does not break the implementation.",
                        "type": "boolean"
                    }
                }
            },
            "diff": {
                "description": "Rule levels, accepted breaks and the deprecation policy of the breaking-change diff.",
                "type": "object",
                "additionalProperties": false,
                "properties": {
                    "rules": {
                        "description": "Rule id → level, any rule (see `oaskit check --list-rules`).",
                        "type": "object",
                        "propertyNames": { "$ref": "#/$defs/rule-id" },
                        "additionalProperties": { "$ref": "#/$defs/level" }
                    },
                    "ignore": {
                        "description": "Accepted breaks: each needs a reason and a rule, a change or a fingerprint, and may expire.",
                        "type": "array",
                        "items": { "$ref": "#/$defs/ignore" }
                    },
                    "response-growth": {
                        "description": "The level of a new enum value or oneOf/anyOf alternative in a response (warning unless set); `[diff.rules]` entries still win.",
                        "$ref": "#/$defs/level"
                    },
                    "deprecation-days": {
                        "description": "Require deprecations to carry an `x-sunset` at least this many days ahead.",
                        "type": "object",
                        "additionalProperties": false,
                        "properties": {
                            "stable": { "$ref": "#/$defs/days" },
                            "beta": { "$ref": "#/$defs/days" }
                        }
                    }
                }
            },
            "rule-id": {
                "description": "A rule of the catalogue (`oaskit check --list-rules`).",
                "enum": rule_ids
            },
            "level": {
                "description": "error, warning, info or off (case does not matter; `warn`, `none` and `ignore` are accepted too).",
                "type": "string",
                "anyOf": [
                    { "enum": ["error", "warning", "info", "off"] },
                    { "pattern": "^([Ee][Rr][Rr][Oo][Rr]|[Ww][Aa][Rr][Nn]([Ii][Nn][Gg])?|[Ii][Nn][Ff][Oo]|[Oo][Ff][Ff]|[Nn][Oo][Nn][Ee]|[Ii][Gg][Nn][Oo][Rr][Ee])$" }
                ]
            },
            "ignore": {
                "type": "object",
                "additionalProperties": false,
                "required": ["reason"],
                "anyOf": [
                    { "required": ["rule"] },
                    { "required": ["fingerprint"] },
                    { "required": ["change"] }
                ],
                "properties": {
                    "rule": {
                        "description": "The rule id of the accepted finding.",
                        "$ref": "#/$defs/rule-id"
                    },
                    "operation": {
                        "description": "Only findings on this operation, e.g. `GET /pets/{petId}`.",
                        "type": "string"
                    },
                    "contains": {
                        "description": "Only findings whose message contains this text.",
                        "type": "string"
                    },
                    "fingerprint": {
                        "description": "Only the finding with this fingerprint (in the JSON output).",
                        "type": "string"
                    },
                    "change": {
                        "description": "Only the change with this id (shown in text and markdown, `change` in JSON), in every operation it reaches.",
                        "type": "string"
                    },
                    "reason": {
                        "description": "Why the break is accepted (required, not blank).",
                        "type": "string",
                        "pattern": "\\S"
                    },
                    "expires": {
                        "description": "From this day (YYYY-MM-DD) the entry no longer waives anything and is itself an error.",
                        "type": "string",
                        "pattern": "^\\s*[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([Tt ].*)?\\s*$"
                    }
                }
            },
            "days": {
                "type": "integer",
                "minimum": 0,
                "maximum": u32::MAX
            }
        }
    })
}

/// The schema as committed: pretty-printed, with a final newline.
pub fn config_schema_text() -> String {
    let mut text = serde_json::to_string_pretty(&config_schema()).unwrap_or_default();
    text.push('\n');
    text
}
