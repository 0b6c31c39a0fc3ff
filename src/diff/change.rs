//! The vocabulary of the diff: what changed and where, with no opinion about who it breaks.
//! The rules layer (`crate::rules`) reads these and decides.

use std::fmt;

use serde_json::{Number, Value};

use crate::model::{Direction, InstanceType, Loc, ParameterLocation, StatusCode};

/// One difference between a base and a revision contract.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    pub subject: Subject,
    pub kind: ChangeKind,
    /// The operation the change is in, if any.
    pub operation: Option<OperationRef>,
    /// The node in the base contract (absent for additions).
    pub base: Option<Loc>,
    /// The node in the revision contract (absent for removals).
    pub revision: Option<Loc>,
    /// For removals: the closest node of the revision that still exists (a path item, `paths`,
    /// the operation), so a finding can point into the file being reviewed.
    pub revision_anchor: Option<Loc>,
}

/// Where an operation is declared (under `paths`, `webhooks` or an operation's `callbacks`),
/// which decides who sends what: for a webhook or a callback the API provider sends the request
/// and the consumer answers it. (Where a spec file came from is `load::Origin`.)
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum DeclaredIn {
    Path,
    Webhook,
    Callback,
}

/// The operation a change belongs to.
#[derive(Debug, Clone, PartialEq)]
pub struct OperationRef {
    /// `GET /pets/{petId}` as the revision writes it (the base's label for a removal).
    pub label: String,
    /// The model's operation name (`operationId`, or one made from the method and path): what
    /// the generators name the operation's method and types after.
    pub name: String,
    pub declared_in: DeclaredIn,
    /// `x-stability-level` of the base operation (`draft`, `alpha`, `beta`, `stable`).
    pub stability: Option<String>,
}

/// A parameter, by location and name.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ParameterRef {
    pub location: ParameterLocation,
    pub name: String,
}

/// Which part of the API a change is about.
#[derive(Debug, Clone, PartialEq)]
pub enum Subject {
    /// The document as a whole: global security, components, tags.
    Document,
    Operation,
    Parameter(ParameterRef),
    RequestBody,
    /// One media type of the request body.
    RequestMedia(String),
    Response(StatusCode),
    ResponseMedia(StatusCode, String),
    ResponseHeader(StatusCode, String),
    /// A node of a schema used somewhere in an operation.
    Schema(SchemaSubject),
}

/// Where a schema change is: the schema's site, the path inside it, and which way the data
/// flows there.
#[derive(Debug, Clone, PartialEq)]
pub struct SchemaSubject {
    pub site: SchemaSite,
    pub path: SchemaPath,
    /// `Request`: data the API consumer sends; `Response`: data the consumer receives. For
    /// webhooks and callbacks the request is received, the response sent.
    pub direction: Direction,
    /// Whether the body or parameter belongs to a path operation, a webhook or a callback
    /// (messages call a webhook's request body its payload).
    pub declared_in: DeclaredIn,
}

impl SchemaSubject {
    /// True for a change at the root of a body, parameter or header schema.
    pub fn is_root(&self) -> bool {
        self.path.0.is_empty()
    }
}

/// The object a schema belongs to.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaSite {
    RequestBody {
        media_type: String,
    },
    Response {
        status: StatusCode,
        media_type: String,
    },
    Parameter(ParameterRef),
    ResponseHeader {
        status: StatusCode,
        name: String,
    },
}

/// One step from a schema into a subschema.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Step {
    Property(String),
    Items,
    PrefixItem(usize),
    AdditionalProperties,
    PatternProperty(String),
    PropertyNames,
    Contains,
    OneOf(String),
    AnyOf(String),
    Not,
    If,
    Then,
    Else,
    DependentSchema(String),
    UnevaluatedItems,
    UnevaluatedProperties,
    ContentSchema,
}

/// The path from a body, parameter or header schema to the node that changed.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Default)]
pub struct SchemaPath(pub Vec<Step>);

impl SchemaPath {
    /// The name of the innermost property on the path, if any.
    pub fn property(&self) -> Option<&str> {
        self.0.iter().rev().find_map(|s| match s {
            Step::Property(name) => Some(name.as_str()),
            _ => None,
        })
    }
}

impl fmt::Display for SchemaPath {
    /// `/price`, `/[]/price` (in each item of an array), `/tags/[]`, `/oneOf[Cat]/name`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.0.is_empty() {
            return f.write_str("/");
        }
        for step in &self.0 {
            match step {
                Step::Property(name) => write!(f, "/{name}")?,
                Step::Items => f.write_str("/[]")?,
                Step::PrefixItem(i) => write!(f, "/[{i}]")?,
                Step::AdditionalProperties => f.write_str("/additionalProperties")?,
                Step::PatternProperty(p) => write!(f, "/patternProperties[{p}]")?,
                Step::PropertyNames => f.write_str("/propertyNames")?,
                Step::Contains => f.write_str("/contains")?,
                Step::OneOf(label) => write!(f, "/oneOf[{label}]")?,
                Step::AnyOf(label) => write!(f, "/anyOf[{label}]")?,
                Step::Not => f.write_str("/not")?,
                Step::If => f.write_str("/if")?,
                Step::Then => f.write_str("/then")?,
                Step::Else => f.write_str("/else")?,
                Step::DependentSchema(name) => write!(f, "/dependentSchemas[{name}]")?,
                Step::UnevaluatedItems => f.write_str("/unevaluatedItems")?,
                Step::UnevaluatedProperties => f.write_str("/unevaluatedProperties")?,
                Step::ContentSchema => f.write_str("/contentSchema")?,
            }
        }
        Ok(())
    }
}

/// A deprecation state: the flag and the `x-sunset` date as written.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Lifecycle {
    pub deprecated: bool,
    pub sunset: Option<String>,
    pub stability: Option<String>,
}

/// What changed.
#[derive(Debug, Clone, PartialEq)]
pub enum ChangeKind {
    // ----- document ---------------------------------------------------------------------------
    SecuritySchemeAdded {
        name: String,
    },
    SecuritySchemeRemoved {
        name: String,
    },
    SecuritySchemeTypeChanged {
        name: String,
        from: String,
        to: String,
    },
    SecuritySchemeScopeAdded {
        name: String,
        flow: String,
        scope: String,
    },
    SecuritySchemeScopeRemoved {
        name: String,
        flow: String,
        scope: String,
    },
    SecuritySchemeUrlChanged {
        name: String,
        field: String,
        from: Option<String>,
        to: Option<String>,
    },
    /// Document-level `security` (applies to operations that do not declare their own).
    /// `inherited`: some operation of both versions declares none, so the change reaches it.
    GlobalSecurity {
        change: SecurityChange,
        inherited: bool,
    },
    /// The default server's URL (the first of the document's `servers`, variables at their
    /// defaults) changed. `path_changed`: the path part differs, so every operation that does
    /// not declare its own servers moved; otherwise only the scheme, host or port did.
    ServerUrlChanged {
        from: String,
        to: String,
        path_changed: bool,
    },
    /// A component schema disappeared and no new one with the same shape took its place.
    ComponentSchemaRemoved {
        name: String,
    },
    /// A component schema was renamed: the same shape under a new name.
    ComponentSchemaRenamed {
        from: String,
        to: String,
    },

    // ----- operations ------------------------------------------------------------------------
    OperationAdded,
    /// `whole_path`: no operation is left under the path template.
    OperationRemoved {
        lifecycle: Lifecycle,
        whole_path: bool,
    },
    OperationDeprecated {
        sunset: Option<String>,
        stability: Option<String>,
    },
    OperationReactivated,
    /// `x-sunset` of an operation that stays deprecated was removed or changed.
    OperationSunsetChanged {
        from: String,
        to: Option<String>,
    },
    OperationStabilityChanged {
        from: Option<String>,
        to: Option<String>,
    },
    OperationIdChanged {
        from: Option<String>,
        to: Option<String>,
    },
    TagAdded {
        tag: String,
    },
    TagRemoved {
        tag: String,
    },
    Security(SecurityChange),

    // ----- parameters ------------------------------------------------------------------------
    ParameterAdded {
        required: bool,
        has_default: bool,
        path_level: bool,
    },
    ParameterRemoved {
        lifecycle: Lifecycle,
    },
    ParameterRequiredChanged {
        required: bool,
    },
    ParameterDeprecated {
        sunset: Option<String>,
    },
    ParameterReactivated,
    ParameterSunsetChanged {
        from: String,
        to: Option<String>,
    },
    /// A path parameter under a new name (the template is the same).
    ParameterRenamed {
        from: String,
        to: String,
    },
    ParameterStyleChanged {
        from: String,
        to: String,
    },
    ParameterExplodeChanged {
        from: bool,
        to: bool,
    },

    // ----- bodies and responses --------------------------------------------------------------
    RequestBodyAdded {
        required: bool,
    },
    RequestBodyRemoved,
    RequestBodyRequiredChanged {
        required: bool,
    },
    /// Subject: `RequestBody` or `Response(status)`.
    MediaTypeAdded {
        media_type: String,
    },
    MediaTypeRemoved {
        media_type: String,
    },
    /// Subject: `RequestMedia` or `ResponseMedia`.
    MediaTypeSchemaAdded,
    MediaTypeSchemaRemoved,
    ResponseAdded,
    ResponseRemoved,
    HeaderAdded {
        required: bool,
    },
    HeaderRemoved {
        required: bool,
    },
    HeaderRequiredChanged {
        required: bool,
    },

    // ----- schemas ---------------------------------------------------------------------------
    Schema(SchemaChange),
}

/// A change of a security requirement list (alternatives, each a set of schemes and scopes).
#[derive(Debug, Clone, PartialEq)]
pub enum SecurityChange {
    /// A new alternative, shown as `scheme[scope,…] + scheme`.
    RequirementAdded {
        requirement: String,
    },
    /// An alternative is gone, and clients that used it can still use another one.
    RequirementRemoved {
        requirement: String,
    },
    /// An alternative clients could use is gone and nothing it satisfies replaced it
    /// (`anonymous` when requests without credentials were accepted).
    RequirementTightened {
        requirement: String,
    },
    ScopeAdded {
        scheme: String,
        scope: String,
    },
    ScopeRemoved {
        scheme: String,
        scope: String,
    },
}

/// How a new set of values relates to the old one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Relation {
    /// Everything valid before is valid now, and more.
    Widened,
    /// Everything valid now was valid before, and less.
    Narrowed,
    /// Neither contains the other.
    Incomparable,
}

impl Relation {
    /// Both changes at once: a widening and a narrowing make the sets incomparable.
    pub fn and(self, other: Relation) -> Relation {
        if self == other {
            self
        } else {
            Relation::Incomparable
        }
    }
}

/// A schema's type as a diff sees it: instance types, format and nullability.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TypeDesc {
    /// `None`: any type.
    pub types: Option<Vec<InstanceType>>,
    pub format: Option<String>,
    pub nullable: bool,
}

impl fmt::Display for TypeDesc {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.types.as_deref() {
            None => f.write_str("any")?,
            Some([]) => f.write_str("null")?,
            Some([t]) => f.write_str(t.as_str())?,
            Some(ts) => {
                let names: Vec<&str> = ts.iter().map(|t| t.as_str()).collect();
                write!(f, "[{}]", names.join(", "))?;
            }
        }
        if let Some(format) = &self.format {
            write!(f, " ({format})")?;
        }
        Ok(())
    }
}

/// Numeric and size bounds of a schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Bound {
    Minimum,
    Maximum,
    ExclusiveMinimum,
    ExclusiveMaximum,
    MinLength,
    MaxLength,
    MinItems,
    MaxItems,
    MinProperties,
    MaxProperties,
    MinContains,
    MaxContains,
}

impl Bound {
    /// The keyword as written in a schema.
    pub fn keyword(self) -> &'static str {
        match self {
            Bound::Minimum => "minimum",
            Bound::Maximum => "maximum",
            Bound::ExclusiveMinimum => "exclusiveMinimum",
            Bound::ExclusiveMaximum => "exclusiveMaximum",
            Bound::MinLength => "minLength",
            Bound::MaxLength => "maxLength",
            Bound::MinItems => "minItems",
            Bound::MaxItems => "maxItems",
            Bound::MinProperties => "minProperties",
            Bound::MaxProperties => "maxProperties",
            Bound::MinContains => "minContains",
            Bound::MaxContains => "maxContains",
        }
    }

    /// A lower bound (raising it narrows); otherwise an upper bound.
    pub fn is_lower(self) -> bool {
        matches!(
            self,
            Bound::Minimum
                | Bound::ExclusiveMinimum
                | Bound::MinLength
                | Bound::MinItems
                | Bound::MinProperties
                | Bound::MinContains
        )
    }
}

/// The composition keywords whose branches a diff matches.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Composition {
    OneOf,
    AnyOf,
    AllOf,
}

impl Composition {
    pub fn keyword(self) -> &'static str {
        match self {
            Composition::OneOf => "oneOf",
            Composition::AnyOf => "anyOf",
            Composition::AllOf => "allOf",
        }
    }
}

/// Keywords that hold a subschema (or a set of them) and constrain when present.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Keyword {
    Contains,
    If,
    Then,
    Else,
    Not,
    PropertyNames,
    ContentSchema,
    PrefixItems,
    PatternProperty(String),
    DependentSchema(String),
    UnevaluatedItems,
    UnevaluatedProperties,
}

impl Keyword {
    pub fn keyword(&self) -> &'static str {
        match self {
            Keyword::Contains => "contains",
            Keyword::If => "if",
            Keyword::Then => "then",
            Keyword::Else => "else",
            Keyword::Not => "not",
            Keyword::PropertyNames => "propertyNames",
            Keyword::ContentSchema => "contentSchema",
            Keyword::PrefixItems => "prefixItems",
            Keyword::PatternProperty(_) => "patternProperties",
            Keyword::DependentSchema(_) => "dependentSchemas",
            Keyword::UnevaluatedItems => "unevaluatedItems",
            Keyword::UnevaluatedProperties => "unevaluatedProperties",
        }
    }
}

/// `additionalProperties` as a diff sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Openness {
    /// Absent or `true`: any other property is allowed.
    Open,
    /// A schema: other properties are allowed if they match it.
    Schema,
    /// `false`: no other property is allowed.
    Closed,
}

/// Why a property appears or disappears in one direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Visibility {
    /// Declared or deleted.
    Declared,
    /// It exists on both sides but `readOnly` changed (requests do not carry readOnly ones).
    ReadOnly,
    /// It exists on both sides but `writeOnly` changed (responses do not carry writeOnly ones).
    WriteOnly,
}

/// What changed in one schema node.
#[derive(Debug, Clone, PartialEq)]
pub enum SchemaChange {
    TypeChanged {
        from: TypeDesc,
        to: TypeDesc,
        relation: Relation,
    },
    NullableChanged {
        nullable: bool,
    },
    /// An `enum` appeared where any value of the type was allowed.
    BecameEnum {
        values: Vec<Value>,
    },
    /// The `enum` disappeared.
    EnumDropped,
    EnumValuesAdded {
        values: Vec<Value>,
    },
    EnumValuesRemoved {
        values: Vec<Value>,
    },
    /// `x-extensible-enum` (Zalando): a list of known values that may grow.
    ExtensibleEnumValuesRemoved {
        values: Vec<Value>,
    },
    ConstChanged {
        from: Option<Value>,
        to: Option<Value>,
    },
    DefaultChanged {
        from: Option<Value>,
        to: Option<Value>,
    },
    BoundChanged {
        bound: Bound,
        from: Option<Number>,
        to: Option<Number>,
    },
    MultipleOfChanged {
        from: Option<Number>,
        to: Option<Number>,
    },
    UniqueItemsChanged {
        unique: bool,
    },
    PatternChanged {
        from: Option<String>,
        to: Option<String>,
    },
    PropertyAdded {
        name: String,
        required: bool,
        has_default: bool,
        why: Visibility,
    },
    PropertyRemoved {
        name: String,
        required: bool,
        why: Visibility,
    },
    PropertyRequiredChanged {
        name: String,
        required: bool,
        has_default: bool,
    },
    AdditionalPropertiesChanged {
        from: Openness,
        to: Openness,
    },
    /// A branch of `oneOf`/`anyOf`, or a member of `allOf`, appeared. `annotation_only`: an
    /// `allOf` member that only carries annotations (description, examples).
    BranchAdded {
        composition: Composition,
        label: String,
        annotation_only: bool,
    },
    BranchRemoved {
        composition: Composition,
        label: String,
        annotation_only: bool,
    },
    /// The schema became one branch of a new `oneOf`/`anyOf`. `overlapping`: another branch
    /// admits values of the same type, so a value may match two branches (invalid under `oneOf`).
    WrappedIn {
        composition: Composition,
        label: String,
        overlapping: bool,
    },
    /// A `oneOf`/`anyOf` was replaced by one of its branches.
    UnwrappedFrom {
        composition: Composition,
        label: String,
    },
    DiscriminatorAdded {
        property: String,
    },
    DiscriminatorRemoved {
        property: String,
    },
    DiscriminatorPropertyChanged {
        from: String,
        to: String,
    },
    DiscriminatorMappingAdded {
        values: Vec<String>,
    },
    DiscriminatorMappingRemoved {
        values: Vec<String>,
    },
    DiscriminatorMappingChanged {
        value: String,
        from: String,
        to: String,
    },
    KeywordAdded {
        keyword: Keyword,
    },
    KeywordRemoved {
        keyword: Keyword,
    },
    DependentRequiredAdded {
        property: String,
    },
    DependentRequiredRemoved {
        property: String,
    },
    DependentRequiredChanged {
        property: String,
    },
    ContentMediaTypeChanged {
        from: Option<String>,
        to: Option<String>,
    },
    ContentEncodingChanged {
        from: Option<String>,
        to: Option<String>,
    },
    DeprecatedChanged {
        deprecated: bool,
        sunset: Option<String>,
    },
    StabilityChanged {
        from: Option<String>,
        to: Option<String>,
    },
}
