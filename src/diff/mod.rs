//! The breaking-change diff, first layer: a pure, structural comparison of two contracts that
//! records what changed and where, with no opinion on whom it breaks (that is `crate::rules`).
//!
//! Operations are matched by method and path template with parameter names ignored
//! (`/pets/{id}` is `/pets/{petId}`); schemas are compared by shape after merging `allOf`, never
//! by component name, so moving an inline schema into `components` (or renaming a component)
//! changes nothing on the wire. Every change carries its base and revision locations.

mod change;
mod fxhash;
mod merged_view;
mod operations;
mod schema;

pub use change::{
    Bound, Change, ChangeKind, Composition, DeclaredIn, Keyword, Lifecycle, Openness, OperationRef,
    ParameterRef, Relation, SchemaChange, SchemaPath, SchemaSite, SchemaSubject, SecurityChange,
    Step, Subject, TypeDesc, Visibility,
};

use crate::model::Contract;

/// Every difference between `base` and `revision`, in a deterministic order (document-level
/// changes first, then operations in the order of the base, then added operations).
pub fn diff(base: &Contract, revision: &Contract) -> Vec<Change> {
    let mut all = Vec::new();
    diff_each(base, revision, &mut |changes| {
        all.extend_from_slice(changes)
    });
    all
}

/// [`diff`] in batches, in the same order: each operation's changes (with its callbacks') as
/// soon as it is compared, the document-level ones before the first. A caller that judges and
/// drops each batch never holds every change (or finding) of a big diff at once.
pub fn diff_each(base: &Contract, revision: &Contract, each: &mut dyn FnMut(&[Change])) {
    operations::Differ::new(base, revision, each).run();
}

#[cfg(test)]
mod tests;
