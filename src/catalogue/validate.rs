//! The rules of `oaskit validate`: the spec's structure, and its examples and defaults against
//! their schemas. `check` reports them too.

use super::{Category, Command, Family, RuleDirection};

pub mod structure {
    use super::*;

    pub const FAMILY: Family = Family {
        name: "validate-structure",
        title: "Structure",
        command: Command::Validate,
        category: Category::Spec,
        direction: RuleDirection::None,
        doc: include_str!("docs/validate_structure.md"),
    };

    rules! {
        FAMILY;
        UNRESOLVED_REF: "unresolved-ref", Error, "a `$ref` names a file or pointer that does not exist";
        REF_CYCLE: "ref-cycle", Error, "a chain of `$ref`s loops without reaching an object";
        MISSING_REQUIRED_FIELD: "missing-required-field", Error, "e.g. `info.title`, `info.version`, `paths` (3.0), a response `description`";
        INVALID_VALUE: "invalid-value", Error, "a field of the wrong kind (`type: 12`), an unknown `in`, style or status key";
        DUPLICATE_OPERATION_ID: "duplicate-operation-id", Error, "two operations share an `operationId`";
        DUPLICATE_PATH: "duplicate-path", Error, "`/pets/{id}` and `/pets/{petId}` are the same template";
        DUPLICATE_PARAMETER: "duplicate-parameter", Error, "the same name and location declared twice";
        PATH_PARAMETER_UNDECLARED: "path-parameter-undeclared", Error, "`{petId}` in the template, no path parameter `petId`";
        PATH_PARAMETER_UNUSED: "path-parameter-unused", Error, "a path parameter that is not in the template";
        PATH_PARAMETER_NOT_REQUIRED: "path-parameter-not-required", Error, "a path parameter without `required: true`";
        SECURITY_SCHEME_UNDEFINED: "security-scheme-undefined", Error, "a security requirement names an undeclared scheme";
        INVALID_PATTERN: "invalid-pattern", Error, "a `pattern` that is not an ECMA-262 regular expression";
        UNSUPPORTED_SCHEMA_DIALECT: "unsupported-schema-dialect", Error, "3.1 `jsonSchemaDialect` other than 2020-12 / the OAS dialect";
        UNKNOWN_OPENAPI_VERSION: "unknown-openapi-version", Warning, "a 3.x minor version oaskit does not know (read as 3.2)";
        UNSUPPORTED_FEATURE: "unsupported-feature", Warning, "an OpenAPI 3.2 construct oaskit does not read yet";
    }
}

pub mod examples {
    use super::*;

    pub const FAMILY: Family = Family {
        name: "validate-examples",
        title: "Examples and defaults",
        command: Command::Validate,
        category: Category::Example,
        direction: RuleDirection::None,
        doc: include_str!("docs/validate_examples.md"),
    };

    rules! {
        FAMILY;
        EXAMPLE_INVALID: "example-invalid", Error, "an example does not match its schema";
        DEFAULT_INVALID: "default-invalid", Warning, "a schema's `default` does not match the schema";
        EXAMPLE_READ_ONLY_IN_REQUEST: "example-read-only-in-request", Warning, "a request example sends a readOnly property", request;
        EXAMPLE_WRITE_ONLY_IN_RESPONSE: "example-write-only-in-response", Warning, "a response example contains a writeOnly property", response;
        EXAMPLE_EXTERNAL_UNREADABLE: "example-external-unreadable", Warning, "an `externalValue` cannot be read or parsed (info: a URL not fetched without `--allow-remote-refs`)";
    }
}
