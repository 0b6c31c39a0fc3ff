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
        UNKNOWN_FIELD: "unknown-field", Error, "a field the object does not have: a typo (`paramters`, with the nearest field suggested), a field of another object (`schemas` at the root), a Swagger 2 leftover (`produces`, a response `schema`)";
        VERSION_MISMATCH: "version-mismatch", Error, "a field or keyword form of another OpenAPI version: `type: [string, 'null']` or `const` in 3.0, `exclusiveMinimum: true` in 3.1, `webhooks` in 3.0";
        MISSING_REQUIRED_FIELD: "missing-required-field", Error, "a required field is missing: `info.version`, a response `description`, a parameter's `schema` or `content`, a server variable's `default`, at least one response";
        INVALID_VALUE: "invalid-value", Error, "a value of the wrong kind or outside the allowed ones: `type: strin`, `in: body`, `required: true` on a schema, a style the location does not allow, `schema` and `content` together";
        UNRESOLVED_REF: "unresolved-ref", Error, "a `$ref` names a file or pointer that does not exist (the nearest existing name is suggested)";
        REF_CYCLE: "ref-cycle", Error, "a chain of `$ref`s loops without reaching an object";
        REF_WRONG_KIND: "ref-wrong-kind", Error, "a `$ref` points at another kind of object than its place expects (a Parameter where a Schema belongs), reported at the `$ref`";
        INVALID_JSON: "invalid-json", Error, "a file named `.json` or starting with `{` is not valid JSON (a trailing comma): it was read as YAML";
        REF_OUTSIDE_ROOT: "ref-outside-root", Error, "a `$ref` or `externalValue` names a file outside the root, or inside `.git`";
        REF_NOT_A_FILE: "ref-not-a-file", Error, "a `$ref` or `externalValue` names a FIFO, a device, a directory: not a regular file";
        REF_LIMIT_EXCEEDED: "ref-limit-exceeded", Error, "a referenced document is over 256 MiB, or the run's budget (`--max-total-bytes`, `--max-documents`) is spent";
        REF_ADDRESS_REFUSED: "ref-address-refused", Error, "a URL a document names is on a loopback, private or link-local address";
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

pub mod lint {
    use super::*;

    pub const FAMILY: Family = Family {
        name: "validate-lint",
        title: "Lint",
        command: Command::Validate,
        category: Category::Spec,
        direction: RuleDirection::None,
        doc: include_str!("docs/validate_lint.md"),
    };

    rules! {
        FAMILY;
        UNKNOWN_KEYWORD: "unknown-keyword", Warning, "a 3.1 schema keyword that JSON Schema 2020-12 and the OAS dialect do not define, so 3.1 tools ignore it: `nullable`, a typo such as `minimun`";
        REF_SIBLINGS: "ref-siblings", Warning, "fields beside a `$ref` that the specification ignores and that change the contract (`nullable`, `type`, `readOnly`, ... in 3.0; outside 3.1 schemas all but `summary` and `description`); documentation-only ones (`description`, `title`, `example`) are not reported";
        ENUM_TYPE_MISMATCH: "enum-type-mismatch", Warning, "an `enum` value its schema's `type` does not admit, so it can never be valid";
        IMPOSSIBLE_RANGE: "impossible-range", Warning, "a lower bound above its upper bound (`minimum` > `maximum`, `minLength` > `maxLength`, ...): no value is valid";
        DISCRIMINATOR_PROPERTY_MISSING: "discriminator-property-missing", Warning, "a branch of a discriminated `oneOf`/`anyOf` (or a mapping target) does not declare the discriminator property";
        IGNORED_HEADER_PARAMETER: "ignored-header-parameter", Warning, "a header parameter named `Accept`, `Content-Type` or `Authorization`, which the specification ignores";
        TAG_UNDECLARED: "tag-undeclared", Warning, "an operation tag missing from the top-level `tags` list", off;
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
