//! Validators compiled from the exported documents: the `$defs` of a view are registered once and
//! shared by every validator of that view; each validator is compiled on first use.

use std::collections::HashMap;
use std::sync::{Arc, OnceLock};

use jsonschema::{Draft, Keyword, Registry, ValidationError, Validator};
use serde_json::{Map, Value, json};

use super::export::{Locator, Variant, def_name, export_defs};
use super::formats::{NUMBER_FORMAT_KEYWORD, NumberFormat, is_base64};
use super::{BASE_URI, ExportOptions, View};
use crate::model::{SchemaId, TypeSpace};

/// A compiled validator, or why the schema could not be compiled.
type Compiled = Result<Arc<Validator>, String>;

/// The exported `$defs` of one view, registered for `$ref`s into it.
struct Registered {
    registry: Registry<'static>,
    locator: Locator,
}

/// Exports the schemas reachable from `roots` in one view and registers them under
/// [`BASE_URI`].
fn register(
    types: &TypeSpace,
    roots: &[SchemaId],
    view: View,
    options: ExportOptions,
) -> Result<Registered, String> {
    let mut distinct: Vec<SchemaId> = roots.to_vec();
    distinct.sort();
    distinct.dedup();
    let document = Arc::new(export_defs(types, &distinct, view, options));
    let registry = Registry::new()
        .draft(Draft::Draft202012)
        .add(BASE_URI, Arc::clone(&document))
        .and_then(|builder| builder.prepare())
        .map_err(|e| format!("cannot register the exported schemas: {e}"))?;
    Ok(Registered {
        registry,
        locator: Locator { document },
    })
}

fn root_reference(id: SchemaId) -> Value {
    json!({ "$ref": format!("{BASE_URI}#/$defs/{}", def_name(id, Variant::Full)) })
}

/// Compiled validators for (schema, view) pairs, each compiled once on first use. The `$defs` of
/// a view are registered once and shared by every validator of that view.
pub struct CompiledSchemas {
    options: ExportOptions,
    registries: HashMap<View, Result<Registered, String>>,
    validators: HashMap<(SchemaId, View), OnceLock<Compiled>>,
}

impl CompiledSchemas {
    /// Prepares the schemas that [`CompiledSchemas::validator`] will be asked for.
    pub fn new(
        types: &TypeSpace,
        roots: impl IntoIterator<Item = (SchemaId, View)>,
        options: ExportOptions,
    ) -> Self {
        let mut by_view: HashMap<View, Vec<SchemaId>> = HashMap::new();
        let mut validators = HashMap::new();
        for (id, view) in roots {
            if validators.insert((id, view), OnceLock::new()).is_none() {
                by_view.entry(view).or_default().push(id);
            }
        }
        let registries = by_view
            .into_iter()
            .map(|(view, ids)| (view, register(types, &ids, view, options.clone())))
            .collect();
        CompiledSchemas {
            options,
            registries,
            validators,
        }
    }

    /// The validator of a prepared (schema, view); an error says why it could not be compiled.
    pub fn validator(&self, id: SchemaId, view: View) -> Result<&Validator, String> {
        let Some(cell) = self.validators.get(&(id, view)) else {
            return Err(format!(
                "schema {} was not prepared for the {} view",
                id.0,
                view.as_str()
            ));
        };
        let compiled = cell.get_or_init(|| {
            let registered = match self.registries.get(&view) {
                Some(Ok(registered)) => registered,
                Some(Err(e)) => return Err(e.clone()),
                None => return Err("no schemas were exported for this view".to_string()),
            };
            validation_options(&self.options)
                .with_registry(&registered.registry)
                .build(&root_reference(id))
                .map(Arc::new)
                .map_err(|e| format!("the schema cannot be compiled: {e}"))
        });
        compiled.as_ref().map(|v| v.as_ref()).map_err(Clone::clone)
    }

    /// Maps the keyword locations of a view's errors back to model schemas.
    pub fn locator(&self, view: View) -> Option<&Locator> {
        self.registries
            .get(&view)?
            .as_ref()
            .ok()
            .map(|r| &r.locator)
    }
}

/// One validator for many schemas of one view: validates `{"0": value0, "1": value1, ...}`
/// against `roots[0]`, `roots[1]`, ... (errors carry the slot as the first instance-path token).
/// Compiling the shared closure once is far cheaper than compiling every root on its own.
pub fn compile_batch(
    types: &TypeSpace,
    roots: &[SchemaId],
    view: View,
    options: ExportOptions,
) -> Result<(Validator, Locator), String> {
    let registered = register(types, roots, view, options.clone())?;
    let properties: Map<String, Value> = roots
        .iter()
        .enumerate()
        .map(|(slot, id)| (slot.to_string(), root_reference(*id)))
        .collect();
    let validator = validation_options(&options)
        .with_registry(&registered.registry)
        .build(&json!({ "properties": properties }))
        .map_err(|e| format!("the schemas cannot be compiled: {e}"))?;
    Ok((validator, registered.locator))
}

/// The instance a [`compile_batch`] validator checks: each of `values` under its slot, in order.
pub fn batch_instance(values: impl IntoIterator<Item = Value>) -> Value {
    Value::Object(
        values
            .into_iter()
            .enumerate()
            .map(|(slot, value)| (slot.to_string(), value))
            .collect(),
    )
}

/// The slot (the index into the batch's roots) an error of a [`compile_batch`] validator is
/// about: the first token of its instance path.
pub fn batch_slot(error: &ValidationError) -> Option<usize> {
    error
        .instance_path()
        .as_str()
        .split('/')
        .nth(1)
        .and_then(|token| token.parse().ok())
}

/// The `jsonschema` options every oaskit validator is built with: 2020-12, the OpenAPI formats.
pub fn validation_options(options: &ExportOptions) -> jsonschema::ValidationOptions<'static> {
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(options.format_assertions)
        .with_format("byte", is_base64)
        .with_keyword(NUMBER_FORMAT_KEYWORD, |_parent, value, _path| {
            let format = match value.as_str() {
                Some("int32") => NumberFormat::Int32,
                Some("int64") => NumberFormat::Int64,
                Some("float") => NumberFormat::Float,
                _ => return Err(ValidationError::schema("unknown numeric format")),
            };
            Ok(Box::new(format) as Box<dyn for<'i> Keyword<'i>>)
        })
}
