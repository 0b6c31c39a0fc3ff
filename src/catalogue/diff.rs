//! The rules of `oaskit diff`, one module per family; the judges in `crate::rules` report them.
//! Schema rules are suffixes, expanded by the catalogue over the request and response prefixes.

use super::{Category, Command, Family, RuleDirection};

pub mod endpoints {
    use super::*;

    pub const FAMILY: Family = Family {
        name: "endpoints",
        title: "Paths, operations, webhooks and callbacks",
        command: Command::Diff,
        category: Category::Wire,
        direction: RuleDirection::None,
        doc: include_str!("docs/endpoints.md"),
    };

    rules! {
        FAMILY;
        API_PATH_REMOVED_WITHOUT_DEPRECATION: "api-path-removed-without-deprecation", Error, "every operation of a path was removed, not all of them deprecated first";
        API_PATH_REMOVED_WITH_DEPRECATION: "api-path-removed-with-deprecation", Info, "a path was removed after its deprecation (and sunset, if any)";
        API_PATH_REMOVED_BEFORE_SUNSET: "api-path-removed-before-sunset", Error, "a deprecated path was removed before its `x-sunset` date";
        API_PATH_SUNSET_PARSE: "api-path-sunset-parse", Error, "an operation's `x-sunset` is not a date";
        API_REMOVED_WITHOUT_DEPRECATION: "api-removed-without-deprecation", Error, "an operation was removed without being deprecated first";
        API_REMOVED_WITH_DEPRECATION: "api-removed-with-deprecation", Info, "an operation was removed after its deprecation (and sunset, if any)";
        API_REMOVED_BEFORE_SUNSET: "api-removed-before-sunset", Error, "a deprecated operation was removed before its `x-sunset` date";
        ENDPOINT_ADDED: "endpoint-added", Info, "an operation was added";
        ENDPOINT_DEPRECATED: "endpoint-deprecated", Info, "an operation was deprecated without a sunset date";
        ENDPOINT_DEPRECATED_WITH_SUNSET: "endpoint-deprecated-with-sunset", Info, "an operation was deprecated with a sunset date";
        ENDPOINT_REACTIVATED: "endpoint-reactivated", Info, "an operation is no longer deprecated";
        API_DEPRECATED_SUNSET_PARSE: "api-deprecated-sunset-parse", Error, "an operation was deprecated with an `x-sunset` that is not a date";
        API_DEPRECATED_SUNSET_MISSING: "api-deprecated-sunset-missing", Error, "an operation was deprecated without an `x-sunset` (only with a deprecation policy)";
        API_SUNSET_DATE_TOO_SMALL: "api-sunset-date-too-small", Error, "an operation was deprecated with an `x-sunset` sooner than the policy allows";
        SUNSET_DELETED: "sunset-deleted", Error, "the `x-sunset` of a deprecated operation was deleted";
        API_SUNSET_DATE_CHANGED_TOO_SMALL: "api-sunset-date-changed-too-small", Error, "the `x-sunset` of a deprecated operation moved earlier (or below the policy)";
        API_STABILITY_DECREASED: "api-stability-decreased", Error, "an operation's `x-stability-level` decreased";
        API_STABILITY_INCREASED: "api-stability-increased", Info, "an operation's `x-stability-level` increased";
        API_INVALID_STABILITY_LEVEL: "api-invalid-stability-level", Error, "an `x-stability-level` is not draft, alpha, beta or stable";
        WEBHOOK_ADDED: "webhook-added", Info, "a webhook was added";
        WEBHOOK_REMOVED: "webhook-removed", Error, "a webhook was removed: consumers stop receiving it";
        WEBHOOK_REMOVED_WITH_DEPRECATION: "webhook-removed-with-deprecation", Info, "a deprecated webhook was removed after its sunset";
        API_CALLBACK_ADDED: "api-callback-added", Info, "a callback operation was added";
        API_CALLBACK_REMOVED: "api-callback-removed", Error, "a callback operation was removed: consumers stop receiving it";
        SERVER_PATH_CHANGED: "server-path-changed", Error, "the path of the default server URL changed: every operation moved";
        SERVER_HOST_CHANGED: "server-host-changed", Info, "the scheme, host or port of the default server URL changed, not its path";
    }
}

pub mod parameters {
    use super::*;

    pub const FAMILY: Family = Family {
        name: "parameters",
        title: "Parameters",
        command: Command::Diff,
        category: Category::Wire,
        direction: RuleDirection::Request,
        doc: include_str!("docs/parameters.md"),
    };

    rules! {
        FAMILY;
        NEW_REQUIRED_REQUEST_PARAMETER: "new-required-request-parameter", Error, "a new required parameter";
        NEW_OPTIONAL_REQUEST_PARAMETER: "new-optional-request-parameter", Info, "a new optional parameter";
        NEW_REQUEST_PATH_PARAMETER: "new-request-path-parameter", Error, "a new path parameter";
        NEW_REQUIRED_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH: "new-required-request-default-parameter-to-existing-path", Error, "a new required parameter at the path-item level of an existing path";
        NEW_OPTIONAL_REQUEST_DEFAULT_PARAMETER_TO_EXISTING_PATH: "new-optional-request-default-parameter-to-existing-path", Info, "a new optional parameter at the path-item level of an existing path";
        REQUEST_PARAMETER_REMOVED: "request-parameter-removed", Warning, "a parameter was removed";
        REQUEST_PARAMETER_REMOVED_WITH_DEPRECATION: "request-parameter-removed-with-deprecation", Info, "a deprecated parameter was removed after its sunset";
        REQUEST_PARAMETER_REMOVED_BEFORE_SUNSET: "request-parameter-removed-before-sunset", Error, "a deprecated parameter was removed before its `x-sunset` date";
        REQUEST_PARAMETER_SUNSET_PARSE: "request-parameter-sunset-parse", Error, "a parameter's `x-sunset` is not a date";
        REQUEST_PARAMETER_BECAME_REQUIRED: "request-parameter-became-required", Error, "an optional parameter became required";
        REQUEST_PARAMETER_BECAME_OPTIONAL: "request-parameter-became-optional", Info, "a required parameter became optional";
        REQUEST_PARAMETER_DEPRECATED: "request-parameter-deprecated", Info, "a parameter was deprecated";
        REQUEST_PARAMETER_REACTIVATED: "request-parameter-reactivated", Info, "a parameter is no longer deprecated";
        REQUEST_PARAMETER_DEPRECATED_SUNSET_MISSING: "request-parameter-deprecated-sunset-missing", Error, "a parameter was deprecated without an `x-sunset` (only with a deprecation policy)";
        REQUEST_PARAMETER_SUNSET_DATE_TOO_SMALL: "request-parameter-sunset-date-too-small", Error, "a parameter was deprecated with an `x-sunset` sooner than the policy allows";
        REQUEST_PARAMETER_SUNSET_DELETED: "request-parameter-sunset-deleted", Error, "the `x-sunset` of a deprecated parameter was deleted";
        REQUEST_PARAMETER_SUNSET_DATE_CHANGED_TOO_SMALL: "request-parameter-sunset-date-changed-too-small", Error, "the `x-sunset` of a deprecated parameter moved earlier";
        REQUEST_PARAMETER_STYLE_CHANGED: "request-parameter-style-changed", Error, "a parameter's `style` changed: values are serialized differently";
        REQUEST_PARAMETER_EXPLODE_CHANGED: "request-parameter-explode-changed", Error, "a parameter's `explode` changed: values are serialized differently";
        REQUEST_PATH_PARAMETER_RENAMED: "request-path-parameter-renamed", Warning, "a path parameter was renamed (same template): generated argument names change", sdk;
    }
}

pub mod bodies {
    use super::*;

    pub const FAMILY: Family = Family {
        name: "bodies",
        title: "Request bodies, responses, media types and headers",
        command: Command::Diff,
        category: Category::Wire,
        direction: RuleDirection::None,
        doc: include_str!("docs/bodies.md"),
    };

    rules! {
        FAMILY;
        ADDED_REQUIRED_REQUEST_BODY: "added-required-request-body", Error, "a required request body was added", request;
        ADDED_OPTIONAL_REQUEST_BODY: "added-optional-request-body", Info, "an optional request body was added", request;
        REQUEST_BODY_REMOVED: "request-body-removed", Error, "the request body was removed: what clients send is ignored", request;
        REQUEST_BODY_BECAME_REQUIRED: "request-body-became-required", Error, "the request body became required", request;
        REQUEST_BODY_BECAME_OPTIONAL: "request-body-became-optional", Info, "the request body became optional", request;
        REQUEST_BODY_MEDIA_TYPE_ADDED: "request-body-media-type-added", Info, "a request media type was added", request;
        REQUEST_BODY_MEDIA_TYPE_REMOVED: "request-body-media-type-removed", Error, "a request media type was removed", request;
        REQUEST_BODY_MEDIA_TYPE_SCHEMA_ADDED: "request-body-media-type-schema-added", Error, "a request media type that accepted anything now has a schema", request;
        REQUEST_BODY_MEDIA_TYPE_SCHEMA_REMOVED: "request-body-media-type-schema-removed", Info, "a request media type lost its schema: it accepts anything", request;
        RESPONSE_SUCCESS_STATUS_ADDED: "response-success-status-added", Info, "a success status was added", response;
        RESPONSE_NON_SUCCESS_STATUS_ADDED: "response-non-success-status-added", Info, "an error status was added", response;
        RESPONSE_SUCCESS_STATUS_REMOVED: "response-success-status-removed", Error, "a success status was removed", response;
        RESPONSE_NON_SUCCESS_STATUS_REMOVED: "response-non-success-status-removed", Info, "an error status was removed", response;
        RESPONSE_MEDIA_TYPE_ADDED: "response-media-type-added", Info, "a response media type was added", response;
        RESPONSE_MEDIA_TYPE_REMOVED: "response-media-type-removed", Error, "a media type of a success response was removed", response;
        RESPONSE_NON_SUCCESS_MEDIA_TYPE_REMOVED: "response-non-success-media-type-removed", Warning, "a media type of an error response was removed: clients that read error details get none", response;
        RESPONSE_BODY_MEDIA_TYPE_SCHEMA_ADDED: "response-body-media-type-schema-added", Info, "a response media type now has a schema", response;
        RESPONSE_BODY_MEDIA_TYPE_SCHEMA_REMOVED: "response-body-media-type-schema-removed", Error, "a response media type lost its schema: it may carry anything", response;
        RESPONSE_HEADER_ADDED: "response-header-added", Info, "a response header was added", response;
        REQUIRED_RESPONSE_HEADER_REMOVED: "required-response-header-removed", Error, "a required response header was removed", response;
        OPTIONAL_RESPONSE_HEADER_REMOVED: "optional-response-header-removed", Warning, "an optional response header was removed", response;
        RESPONSE_HEADER_BECAME_OPTIONAL: "response-header-became-optional", Error, "a required response header became optional", response;
        RESPONSE_HEADER_BECAME_REQUIRED: "response-header-became-required", Info, "an optional response header became required", response;
    }
}

pub mod security {
    use super::*;

    pub const FAMILY: Family = Family {
        name: "security",
        title: "Security",
        command: Command::Diff,
        category: Category::Wire,
        direction: RuleDirection::None,
        doc: include_str!("docs/security.md"),
    };

    rules! {
        FAMILY;
        API_SECURITY_ADDED: "api-security-added", Info, "an operation accepts a new security alternative";
        API_SECURITY_REMOVED: "api-security-removed", Info, "a security alternative was removed; its clients can still use another one";
        API_SECURITY_TIGHTENED: "api-security-tightened", Error, "clients of a security alternative (or anonymous clients) are no longer accepted";
        API_SECURITY_SCOPE_ADDED: "api-security-scope-added", Error, "a security alternative requires a new scope";
        API_SECURITY_SCOPE_REMOVED: "api-security-scope-removed", Info, "a security alternative requires one scope fewer";
        API_GLOBAL_SECURITY_ADDED: "api-global-security-added", Info, "the document-level security accepts a new alternative";
        API_GLOBAL_SECURITY_REMOVED: "api-global-security-removed", Info, "a document-level security alternative was removed; its clients can still use another one";
        API_GLOBAL_SECURITY_TIGHTENED: "api-global-security-tightened", Error, "clients of a document-level security alternative (or anonymous clients) are no longer accepted";
        API_GLOBAL_SECURITY_SCOPE_ADDED: "api-global-security-scope-added", Error, "a document-level security alternative requires a new scope";
        API_GLOBAL_SECURITY_SCOPE_REMOVED: "api-global-security-scope-removed", Info, "a document-level security alternative requires one scope fewer";
        API_SECURITY_COMPONENT_ADDED: "api-security-component-added", Info, "a security scheme was added to components";
        API_SECURITY_COMPONENT_REMOVED: "api-security-component-removed", Info, "a security scheme was removed from components";
        API_SECURITY_COMPONENT_TYPE_CHANGED: "api-security-component-type-changed", Error, "a security scheme changed type: clients send credentials the old way";
        API_SECURITY_COMPONENT_OAUTH_URL_CHANGED: "api-security-component-oauth-url-changed", Warning, "an OAuth flow URL changed";
        API_SECURITY_COMPONENT_OAUTH_SCOPE_ADDED: "api-security-component-oauth-scope-added", Info, "an OAuth flow offers a new scope";
        API_SECURITY_COMPONENT_OAUTH_SCOPE_REMOVED: "api-security-component-oauth-scope-removed", Warning, "an OAuth flow no longer offers a scope: token requests for it fail";
    }
}

pub mod sdk {
    use super::*;

    pub const FAMILY: Family = Family {
        name: "sdk",
        title: "Names of generated code",
        command: Command::Diff,
        category: Category::Sdk,
        direction: RuleDirection::None,
        doc: include_str!("docs/sdk.md"),
    };

    rules! {
        FAMILY;
        API_OPERATION_ID_UPDATED: "api-operation-id-updated", Warning, "an operationId changed: the generated method is renamed";
        API_OPERATION_ID_REMOVED: "api-operation-id-removed", Warning, "an operationId was removed: the generated method gets a derived name";
        API_OPERATION_ID_ADDED: "api-operation-id-added", Info, "an operationId was added: the generated method may be renamed";
        API_TAG_ADDED: "api-tag-added", Info, "an operation gained a tag";
        API_TAG_REMOVED: "api-tag-removed", Warning, "an operation lost a tag: clients grouped by tag move it";
        API_SCHEMA_RENAMED: "api-schema-renamed", Warning, "a component schema was renamed (same shape): the generated type is renamed";
        API_SCHEMA_REMOVED: "api-schema-removed", Warning, "a component schema was removed: the generated type disappears";
    }
}

pub mod schema_properties {
    use super::*;

    pub const FAMILY: Family = Family {
        name: "schema-properties",
        title: "Properties",
        command: Command::Diff,
        category: Category::Wire,
        direction: RuleDirection::None,
        doc: include_str!("docs/schema_properties.md"),
    };

    rules! {
        FAMILY;
        NEW_REQUIRED_REQUEST_PROPERTY: "new-required-request-property", Error, "a new required property: requests without it are rejected", request;
        NEW_REQUIRED_REQUEST_PROPERTY_WITH_DEFAULT: "new-required-request-property-with-default", Error, "a new required property with a default: requests without it are rejected", request;
        NEW_OPTIONAL_REQUEST_PROPERTY: "new-optional-request-property", Info, "a new optional property", request;
        REQUEST_PROPERTY_REMOVED: "request-property-removed", Warning, "a property was removed: clients that still send it depend on what the server does with it", request;
        REQUEST_PROPERTY_BECAME_REQUIRED: "request-property-became-required", Error, "an optional property became required", request;
        REQUEST_PROPERTY_BECAME_REQUIRED_WITH_DEFAULT: "request-property-became-required-with-default", Error, "an optional property with a default became required", request;
        REQUEST_PROPERTY_BECAME_OPTIONAL: "request-property-became-optional", Info, "a required property became optional", request;
        NEW_REQUIRED_REQUEST_HEADER_PROPERTY: "new-required-request-header-property", Error, "a new required property: requests without it are rejected", request;
        NEW_REQUIRED_REQUEST_HEADER_PROPERTY_WITH_DEFAULT: "new-required-request-header-property-with-default", Error, "a new required property with a default: requests without it are rejected", request;
        NEW_OPTIONAL_REQUEST_HEADER_PROPERTY: "new-optional-request-header-property", Info, "a new optional property", request;
        REQUEST_HEADER_PROPERTY_REMOVED: "request-header-property-removed", Warning, "a property was removed: clients that still send it depend on what the server does with it", request;
        REQUEST_HEADER_PROPERTY_BECAME_REQUIRED: "request-header-property-became-required", Error, "an optional property became required", request;
        REQUEST_HEADER_PROPERTY_BECAME_REQUIRED_WITH_DEFAULT: "request-header-property-became-required-with-default", Error, "an optional property with a default became required", request;
        REQUEST_HEADER_PROPERTY_BECAME_OPTIONAL: "request-header-property-became-optional", Info, "a required property became optional", request;
        NEW_REQUIRED_REQUEST_PARAMETER_PROPERTY: "new-required-request-parameter-property", Error, "a new required property: requests without it are rejected", request;
        NEW_REQUIRED_REQUEST_PARAMETER_PROPERTY_WITH_DEFAULT: "new-required-request-parameter-property-with-default", Error, "a new required property with a default: requests without it are rejected", request;
        NEW_OPTIONAL_REQUEST_PARAMETER_PROPERTY: "new-optional-request-parameter-property", Info, "a new optional property", request;
        REQUEST_PARAMETER_PROPERTY_REMOVED: "request-parameter-property-removed", Warning, "a property was removed: clients that still send it depend on what the server does with it", request;
        REQUEST_PARAMETER_PROPERTY_BECAME_REQUIRED: "request-parameter-property-became-required", Error, "an optional property became required", request;
        REQUEST_PARAMETER_PROPERTY_BECAME_REQUIRED_WITH_DEFAULT: "request-parameter-property-became-required-with-default", Error, "an optional property with a default became required", request;
        REQUEST_PARAMETER_PROPERTY_BECAME_OPTIONAL: "request-parameter-property-became-optional", Info, "a required property became optional", request;
        RESPONSE_REQUIRED_PROPERTY_ADDED: "response-required-property-added", Info, "a new required property", response;
        RESPONSE_OPTIONAL_PROPERTY_ADDED: "response-optional-property-added", Info, "a new optional property", response;
        RESPONSE_REQUIRED_PROPERTY_REMOVED: "response-required-property-removed", Error, "a required property was removed: clients that read it get nothing", response;
        RESPONSE_OPTIONAL_PROPERTY_REMOVED: "response-optional-property-removed", Warning, "an optional property was removed", response;
        RESPONSE_PROPERTY_BECAME_REQUIRED: "response-property-became-required", Info, "an optional property became required", response;
        RESPONSE_PROPERTY_BECAME_OPTIONAL: "response-property-became-optional", Error, "a required property became optional: clients that assume it get nothing", response;
        RESPONSE_HEADER_REQUIRED_PROPERTY_ADDED: "response-header-required-property-added", Info, "a new required property", response;
        RESPONSE_HEADER_OPTIONAL_PROPERTY_ADDED: "response-header-optional-property-added", Info, "a new optional property", response;
        RESPONSE_HEADER_REQUIRED_PROPERTY_REMOVED: "response-header-required-property-removed", Error, "a required property was removed: clients that read it get nothing", response;
        RESPONSE_HEADER_OPTIONAL_PROPERTY_REMOVED: "response-header-optional-property-removed", Warning, "an optional property was removed", response;
        RESPONSE_HEADER_PROPERTY_BECAME_REQUIRED: "response-header-property-became-required", Info, "an optional property became required", response;
        RESPONSE_HEADER_PROPERTY_BECAME_OPTIONAL: "response-header-property-became-optional", Error, "a required property became optional: clients that assume it get nothing", response;
        REQUEST_PROPERTY_BECAME_READ_ONLY: "request-property-became-read-only", Warning, "a request property became `readOnly`: clients that send it are ignored or rejected", request;
        RESPONSE_REQUIRED_PROPERTY_BECAME_WRITE_ONLY: "response-required-property-became-write-only", Error, "a required response property became `writeOnly`: responses no longer carry it", response;
        RESPONSE_OPTIONAL_PROPERTY_BECAME_WRITE_ONLY: "response-optional-property-became-write-only", Warning, "an optional response property became `writeOnly`: responses no longer carry it", response;
        RESPONSE_REQUIRED_PROPERTY_BECAME_NOT_WRITE_ONLY: "response-required-property-became-not-write-only", Warning, "a required property is no longer `writeOnly`: responses now carry it", response;
        RESPONSE_OPTIONAL_PROPERTY_BECAME_NOT_WRITE_ONLY: "response-optional-property-became-not-write-only", Info, "an optional property is no longer `writeOnly`: responses may carry it", response;
    }

    schema_rules! {
        FAMILY;
        ADDITIONAL_PROPERTIES_NARROWED: "additional-properties-narrowed", Error, Info, "`additionalProperties` now allows fewer undeclared properties";
        ADDITIONAL_PROPERTIES_WIDENED: "additional-properties-widened", Info, Info, "`additionalProperties` now allows more undeclared properties";
    }
}

pub mod schema_types {
    use super::*;

    pub const FAMILY: Family = Family {
        name: "schema-types",
        title: "Types, formats and nullability",
        command: Command::Diff,
        category: Category::Wire,
        direction: RuleDirection::None,
        doc: include_str!("docs/schema_types.md"),
    };

    schema_rules! {
        FAMILY;
        TYPE_CHANGED: "type-changed", Error, Error, "the type or format changed to one that neither contains nor is contained in the old";
        TYPE_GENERALIZED: "type-generalized", Info, Error, "the type or format accepts more values (`integer` → `number`, `int32` → `int64`)";
        TYPE_SPECIALIZED: "type-specialized", Error, Info, "the type or format accepts fewer values (`number` → `integer`, a `format` added)";
        BECAME_NULLABLE: "became-nullable", Info, Error, "null is now allowed";
        BECAME_NOT_NULLABLE: "became-not-nullable", Error, Info, "null is no longer allowed";
    }
}

pub mod schema_values {
    use super::*;

    pub const FAMILY: Family = Family {
        name: "schema-values",
        title: "Enums, consts and defaults",
        command: Command::Diff,
        category: Category::Wire,
        direction: RuleDirection::None,
        doc: include_str!("docs/schema_values.md"),
    };

    schema_rules! {
        FAMILY;
        BECAME_ENUM: "became-enum", Error, Info, "an `enum` now restricts a value that was free";
        BECAME_NOT_ENUM: "became-not-enum", Info, Error, "the `enum` was removed: any value of the type is allowed";
        ENUM_VALUE_ADDED: "enum-value-added", Info, Warning, "an `enum` gained values";
        ENUM_VALUE_REMOVED: "enum-value-removed", Error, Info, "an `enum` lost values";
        X_EXTENSIBLE_ENUM_VALUE_REMOVED: "x-extensible-enum-value-removed", Error, Info, "an `x-extensible-enum` lost values";
        CONST_ADDED: "const-added", Error, Info, "a `const` now fixes the value";
        CONST_REMOVED: "const-removed", Info, Error, "the `const` was removed";
        CONST_CHANGED: "const-changed", Error, Error, "the `const` value changed";
        DEFAULT_VALUE_ADDED: "default-value-added", Info, Info, "a `default` was added";
        DEFAULT_VALUE_REMOVED: "default-value-removed", Warning, Info, "the `default` was removed: the server's behaviour for an omitted value is unspecified";
        DEFAULT_VALUE_CHANGED: "default-value-changed", Error, Info, "the `default` changed: clients that omit the value get a different behaviour";
    }
}

pub mod schema_bounds {
    use super::*;

    pub const FAMILY: Family = Family {
        name: "schema-bounds",
        title: "Bounds and other constraints",
        command: Command::Diff,
        category: Category::Wire,
        direction: RuleDirection::None,
        doc: include_str!("docs/schema_bounds.md"),
    };

    schema_rules! {
        FAMILY;
        MIN_INCREASED: "min-increased", Error, Info, "`minimum` tightened";
        MIN_DECREASED: "min-decreased", Info, Error, "`minimum` loosened";
        MIN_SET: "min-set", Warning, Info, "`minimum` set where there was none";
        MIN_UNSET: "min-unset", Info, Warning, "`minimum` removed";
        MAX_DECREASED: "max-decreased", Error, Info, "`maximum` tightened";
        MAX_INCREASED: "max-increased", Info, Error, "`maximum` loosened";
        MAX_SET: "max-set", Warning, Info, "`maximum` set where there was none";
        MAX_UNSET: "max-unset", Info, Warning, "`maximum` removed";
        EXCLUSIVE_MIN_INCREASED: "exclusive-min-increased", Error, Info, "`exclusiveMinimum` tightened";
        EXCLUSIVE_MIN_DECREASED: "exclusive-min-decreased", Info, Error, "`exclusiveMinimum` loosened";
        EXCLUSIVE_MIN_SET: "exclusive-min-set", Warning, Info, "`exclusiveMinimum` set where there was none";
        EXCLUSIVE_MIN_UNSET: "exclusive-min-unset", Info, Warning, "`exclusiveMinimum` removed";
        EXCLUSIVE_MAX_DECREASED: "exclusive-max-decreased", Error, Info, "`exclusiveMaximum` tightened";
        EXCLUSIVE_MAX_INCREASED: "exclusive-max-increased", Info, Error, "`exclusiveMaximum` loosened";
        EXCLUSIVE_MAX_SET: "exclusive-max-set", Warning, Info, "`exclusiveMaximum` set where there was none";
        EXCLUSIVE_MAX_UNSET: "exclusive-max-unset", Info, Warning, "`exclusiveMaximum` removed";
        MIN_LENGTH_INCREASED: "min-length-increased", Error, Info, "`minLength` tightened";
        MIN_LENGTH_DECREASED: "min-length-decreased", Info, Error, "`minLength` loosened";
        MIN_LENGTH_SET: "min-length-set", Warning, Info, "`minLength` set where there was none";
        MIN_LENGTH_UNSET: "min-length-unset", Info, Warning, "`minLength` removed";
        MAX_LENGTH_DECREASED: "max-length-decreased", Error, Info, "`maxLength` tightened";
        MAX_LENGTH_INCREASED: "max-length-increased", Info, Error, "`maxLength` loosened";
        MAX_LENGTH_SET: "max-length-set", Warning, Info, "`maxLength` set where there was none";
        MAX_LENGTH_UNSET: "max-length-unset", Info, Warning, "`maxLength` removed";
        MIN_ITEMS_INCREASED: "min-items-increased", Error, Info, "`minItems` tightened";
        MIN_ITEMS_DECREASED: "min-items-decreased", Info, Error, "`minItems` loosened";
        MIN_ITEMS_SET: "min-items-set", Warning, Info, "`minItems` set where there was none";
        MIN_ITEMS_UNSET: "min-items-unset", Info, Warning, "`minItems` removed";
        MAX_ITEMS_DECREASED: "max-items-decreased", Error, Info, "`maxItems` tightened";
        MAX_ITEMS_INCREASED: "max-items-increased", Info, Error, "`maxItems` loosened";
        MAX_ITEMS_SET: "max-items-set", Warning, Info, "`maxItems` set where there was none";
        MAX_ITEMS_UNSET: "max-items-unset", Info, Warning, "`maxItems` removed";
        MIN_PROPERTIES_INCREASED: "min-properties-increased", Error, Info, "`minProperties` tightened";
        MIN_PROPERTIES_DECREASED: "min-properties-decreased", Info, Error, "`minProperties` loosened";
        MIN_PROPERTIES_SET: "min-properties-set", Warning, Info, "`minProperties` set where there was none";
        MIN_PROPERTIES_UNSET: "min-properties-unset", Info, Warning, "`minProperties` removed";
        MAX_PROPERTIES_DECREASED: "max-properties-decreased", Error, Info, "`maxProperties` tightened";
        MAX_PROPERTIES_INCREASED: "max-properties-increased", Info, Error, "`maxProperties` loosened";
        MAX_PROPERTIES_SET: "max-properties-set", Warning, Info, "`maxProperties` set where there was none";
        MAX_PROPERTIES_UNSET: "max-properties-unset", Info, Warning, "`maxProperties` removed";
        MIN_CONTAINS_INCREASED: "min-contains-increased", Error, Info, "`minContains` tightened";
        MIN_CONTAINS_DECREASED: "min-contains-decreased", Info, Error, "`minContains` loosened";
        MIN_CONTAINS_SET: "min-contains-set", Warning, Info, "`minContains` set where there was none";
        MIN_CONTAINS_UNSET: "min-contains-unset", Info, Warning, "`minContains` removed";
        MAX_CONTAINS_DECREASED: "max-contains-decreased", Error, Info, "`maxContains` tightened";
        MAX_CONTAINS_INCREASED: "max-contains-increased", Info, Error, "`maxContains` loosened";
        MAX_CONTAINS_SET: "max-contains-set", Warning, Info, "`maxContains` set where there was none";
        MAX_CONTAINS_UNSET: "max-contains-unset", Info, Warning, "`maxContains` removed";
        MULTIPLE_OF_SET: "multiple-of-set", Warning, Info, "a `multipleOf` was added";
        MULTIPLE_OF_UNSET: "multiple-of-unset", Info, Warning, "the `multipleOf` was removed";
        MULTIPLE_OF_CHANGED: "multiple-of-changed", Error, Error, "the `multipleOf` changed";
        UNIQUE_ITEMS_SET: "unique-items-set", Warning, Info, "`uniqueItems: true` was added";
        UNIQUE_ITEMS_UNSET: "unique-items-unset", Info, Warning, "`uniqueItems: true` was removed";
        PATTERN_ADDED: "pattern-added", Error, Info, "a `pattern` now restricts the string";
        PATTERN_REMOVED: "pattern-removed", Info, Warning, "the `pattern` was removed";
        PATTERN_CHANGED: "pattern-changed", Warning, Warning, "the `pattern` changed";
    }
}

/// The response growth policy (`[diff] response-growth`): a response that may carry a value
/// outside a closed set the client was generated from, a new enum value or a new `oneOf` /
/// `anyOf` alternative, is judged alike. Clients that read the set exhaustively (a `switch`
/// with a `never` default, a Rust `match`) must handle the new member; tolerant readers need
/// not. Warning by default; the key sets all of them at once, `[diff.rules]` still wins.
pub const RESPONSE_GROWTH: [&super::SchemaRule; 3] = [
    &schema_values::ENUM_VALUE_ADDED,
    &schema_composition::ONE_OF_ADDED,
    &schema_composition::ANY_OF_ADDED,
];

pub mod schema_composition {
    use super::*;

    pub const FAMILY: Family = Family {
        name: "schema-composition",
        title: "oneOf, anyOf, allOf and discriminators",
        command: Command::Diff,
        category: Category::Wire,
        direction: RuleDirection::None,
        doc: include_str!("docs/schema_composition.md"),
    };

    schema_rules! {
        FAMILY;
        ONE_OF_ADDED: "one-of-added", Info, Warning, "a `oneOf` alternative was added";
        ONE_OF_REMOVED: "one-of-removed", Error, Info, "a `oneOf` alternative was removed";
        ANY_OF_ADDED: "any-of-added", Info, Warning, "an `anyOf` alternative was added";
        ANY_OF_REMOVED: "any-of-removed", Error, Info, "an `anyOf` alternative was removed";
        WRAPPED_IN_ONE_OF: "wrapped-in-one-of", Error, Error, "the schema became one alternative of a `oneOf`";
        WRAPPED_IN_ANY_OF: "wrapped-in-any-of", Info, Error, "the schema became one alternative of an `anyOf`";
        UNWRAPPED_FROM_ONE_OF: "unwrapped-from-one-of", Error, Info, "a `oneOf` was replaced by one of its alternatives";
        UNWRAPPED_FROM_ANY_OF: "unwrapped-from-any-of", Error, Info, "an `anyOf` was replaced by one of its alternatives";
        DISCRIMINATOR_ADDED: "discriminator-added", Info, Info, "a discriminator was added";
        DISCRIMINATOR_REMOVED: "discriminator-removed", Info, Info, "the discriminator was removed";
        DISCRIMINATOR_PROPERTY_NAME_CHANGED: "discriminator-property-name-changed", Error, Error, "the discriminator property changed: the tag clients send and read moved";
        DISCRIMINATOR_MAPPING_ADDED: "discriminator-mapping-added", Info, Info, "discriminator values were added";
        DISCRIMINATOR_MAPPING_DELETED: "discriminator-mapping-deleted", Error, Info, "discriminator values were removed";
        DISCRIMINATOR_MAPPING_CHANGED: "discriminator-mapping-changed", Error, Error, "a discriminator value now selects another schema";
        NOT_ADDED: "not-added", Error, Info, "a `not` now excludes values";
        NOT_REMOVED: "not-removed", Info, Error, "the `not` was removed";
        IF_ADDED: "if-added", Error, Info, "an `if` condition was added";
        IF_REMOVED: "if-removed", Info, Error, "the `if` condition was removed";
        THEN_ADDED: "then-added", Error, Info, "a `then` branch was added";
        THEN_REMOVED: "then-removed", Info, Error, "the `then` branch was removed";
        ELSE_ADDED: "else-added", Error, Info, "an `else` branch was added";
        ELSE_REMOVED: "else-removed", Info, Error, "the `else` branch was removed";
        ALL_OF_ADDED: "all-of-added", Warning, Info, "an `allOf` member was added (its constraints are reported by the other rules)", sdk;
        ALL_OF_REMOVED: "all-of-removed", Warning, Info, "an `allOf` member was removed (its constraints are reported by the other rules)", sdk;
        ALL_OF_ADDED_ANNOTATION_ONLY: "all-of-added-annotation-only", Info, Info, "an `allOf` member that only carries annotations was added", sdk;
        ALL_OF_REMOVED_ANNOTATION_ONLY: "all-of-removed-annotation-only", Info, Info, "an `allOf` member that only carries annotations was removed", sdk;
    }
}

pub mod schema_keywords {
    use super::*;

    pub const FAMILY: Family = Family {
        name: "schema-keywords",
        title: "Other keywords",
        command: Command::Diff,
        category: Category::Wire,
        direction: RuleDirection::None,
        doc: include_str!("docs/schema_keywords.md"),
    };

    schema_rules! {
        FAMILY;
        CONTAINS_ADDED: "contains-added", Error, Info, "a `contains` now requires a matching item";
        CONTAINS_REMOVED: "contains-removed", Info, Error, "the `contains` was removed";
        PREFIX_ITEMS_ADDED: "prefix-items-added", Error, Error, "`prefixItems` gained positions: the tuple shape changed";
        PREFIX_ITEMS_REMOVED: "prefix-items-removed", Error, Error, "`prefixItems` lost positions: the tuple shape changed";
        PATTERN_PROPERTY_ADDED: "pattern-property-added", Error, Info, "a `patternProperties` entry now constrains matching properties";
        PATTERN_PROPERTY_REMOVED: "pattern-property-removed", Info, Error, "a `patternProperties` entry was removed";
        PROPERTY_NAMES_ADDED: "property-names-added", Error, Info, "a `propertyNames` schema now constrains keys";
        PROPERTY_NAMES_REMOVED: "property-names-removed", Info, Error, "the `propertyNames` schema was removed";
        DEPENDENT_REQUIRED_ADDED: "dependent-required-added", Error, Info, "a `dependentRequired` entry was added";
        DEPENDENT_REQUIRED_REMOVED: "dependent-required-removed", Info, Error, "a `dependentRequired` entry was removed";
        DEPENDENT_REQUIRED_CHANGED: "dependent-required-changed", Error, Error, "a `dependentRequired` entry changed";
        DEPENDENT_SCHEMA_ADDED: "dependent-schema-added", Error, Info, "a `dependentSchemas` entry was added";
        DEPENDENT_SCHEMA_REMOVED: "dependent-schema-removed", Info, Error, "a `dependentSchemas` entry was removed";
        UNEVALUATED_ITEMS_ADDED: "unevaluated-items-added", Error, Info, "`unevaluatedItems` now constrains extra items";
        UNEVALUATED_ITEMS_REMOVED: "unevaluated-items-removed", Info, Error, "`unevaluatedItems` was removed";
        UNEVALUATED_PROPERTIES_ADDED: "unevaluated-properties-added", Error, Info, "`unevaluatedProperties` now constrains extra properties";
        UNEVALUATED_PROPERTIES_REMOVED: "unevaluated-properties-removed", Info, Error, "`unevaluatedProperties` was removed";
        CONTENT_SCHEMA_ADDED: "content-schema-added", Error, Info, "a `contentSchema` now constrains the decoded content";
        CONTENT_SCHEMA_REMOVED: "content-schema-removed", Info, Error, "the `contentSchema` was removed";
        CONTENT_MEDIA_TYPE_CHANGED: "content-media-type-changed", Error, Error, "`contentMediaType` changed";
        CONTENT_ENCODING_CHANGED: "content-encoding-changed", Error, Error, "`contentEncoding` changed";
    }
}

pub mod schema_lifecycle {
    use super::*;

    pub const FAMILY: Family = Family {
        name: "schema-lifecycle",
        title: "Deprecation and stability of properties",
        command: Command::Diff,
        category: Category::Wire,
        direction: RuleDirection::None,
        doc: include_str!("docs/schema_lifecycle.md"),
    };

    schema_rules! {
        FAMILY;
        DEPRECATED: "deprecated", Info, Info, "deprecated without a sunset date";
        DEPRECATED_WITH_SUNSET: "deprecated-with-sunset", Info, Info, "deprecated with a sunset date";
        REACTIVATED: "reactivated", Info, Info, "no longer deprecated";
        DEPRECATED_SUNSET_INVALID: "deprecated-sunset-invalid", Error, Error, "deprecated with an `x-sunset` that is not a date";
        DEPRECATED_SUNSET_MISSING: "deprecated-sunset-missing", Error, Error, "deprecated without an `x-sunset` (only with a deprecation policy)";
        SUNSET_DATE_TOO_SMALL: "sunset-date-too-small", Error, Error, "deprecated with an `x-sunset` sooner than the deprecation policy allows";
        STABILITY_DECREASED: "stability-decreased", Error, Error, "`x-stability-level` decreased";
        STABILITY_INCREASED: "stability-increased", Info, Info, "`x-stability-level` increased";
    }
}

pub mod waivers {
    use super::*;

    pub const FAMILY: Family = Family {
        name: "waivers",
        title: "Accepted breaks",
        command: Command::Diff,
        category: Category::Gate,
        direction: RuleDirection::None,
        doc: include_str!("docs/waivers.md"),
    };

    rules! {
        FAMILY;
        DIFF_IGNORE_EXPIRED: "diff-ignore-expired", Warning, "an accepted break's `expires` date has passed: it waives nothing, and what it matched is reported again";
        DIFF_IGNORE_UNUSED: "diff-ignore-unused", Info, "an accepted break matches no finding: remove it";
    }
}
