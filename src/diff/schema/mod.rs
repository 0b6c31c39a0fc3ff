//! Structural comparison of two schemas (one from each contract) in one direction. Schemas are
//! compared by shape, never by component name, after merging `allOf`. Results are memoized per
//! (base schemas, revision schemas, direction) with paths relative to that pair, so a component
//! used by a hundred operations is compared once; a pair met again while it is being compared
//! (a recursive schema) contributes nothing the second time, which is what makes cycles end.

use indexmap::IndexSet;

use super::fxhash::FxMap;
use std::collections::hash_map::Entry;
use std::rc::Rc;

use serde_json::{Number, Value};

use crate::model::{Contract, Direction, InstanceType, Loc, SchemaId, TypeSpace};

use super::change::{
    Bound, Composition, Keyword, Relation, SchemaChange, Step, TypeDesc, Visibility,
};
mod composition;
mod objects;
mod scalars;

use scalars::*;
pub(super) use scalars::{effective_types, same_value};

use super::merged_view::{Extra, MergedView, annotation_only, view};

/// A schema change with its path relative to the compared pair. Cheap to clone: results are
/// shared between every place a pair of schemas is used, and only the path grows.
#[derive(Debug, Clone)]
pub(super) struct Found {
    path: Option<Rc<PathNode>>,
    item: Rc<Item>,
}

/// One change, where it is written on each side.
#[derive(Debug)]
pub(super) struct Item {
    pub change: SchemaChange,
    pub base: Option<Loc>,
    pub revision: Option<Loc>,
    /// Identity of the change regardless of the path it was reached by.
    key: u64,
}

/// A path as a shared list, innermost step last.
#[derive(Debug)]
struct PathNode {
    step: Step,
    rest: Option<Rc<PathNode>>,
    /// The number of steps from here to the end.
    len: usize,
}

impl Found {
    pub(super) fn item(&self) -> &Item {
        &self.item
    }

    /// The steps from the compared pair to the change, outermost first.
    pub(super) fn path(&self) -> Vec<Step> {
        let mut out = Vec::new();
        let mut node = self.path.as_deref();
        while let Some(n) = node {
            out.push(n.step.clone());
            node = n.rest.as_deref();
        }
        out
    }
}

/// Hashes a value's `Debug` text without building the string.
fn debug_hash(value: &impl std::fmt::Debug) -> u64 {
    use std::hash::Hasher;
    struct Feed<'h>(&'h mut std::collections::hash_map::DefaultHasher);
    impl std::fmt::Write for Feed<'_> {
        fn write_str(&mut self, s: &str) -> std::fmt::Result {
            self.0.write(s.as_bytes());
            Ok(())
        }
    }
    let mut hasher = std::collections::hash_map::DefaultHasher::new();
    let _ = std::fmt::write(&mut Feed(&mut hasher), format_args!("{value:?}"));
    hasher.finish()
}

/// How values are carried: as JSON (bodies) or as text (parameters and headers, where `5` and
/// `"5"` are the same characters on the wire).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub(super) enum Carrier {
    Json,
    Text,
}

/// A set of schema ids as a memo key: almost always one id, which needs no allocation.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Ids {
    One(SchemaId),
    Many(Rc<[SchemaId]>),
}

impl Ids {
    fn of(ids: &[SchemaId]) -> Ids {
        match ids {
            [one] => Ids::One(*one),
            many => Ids::Many(Rc::from(many)),
        }
    }
}

type Key = (Ids, Ids, Direction, Carrier);

struct Memo {
    found: Rc<Vec<Found>>,
    /// The result was cut short by a cycle through an ancestor pair: (its depth, its serial).
    /// It is only valid while that same ancestor is being compared.
    depends_on: Option<(usize, u64)>,
}

/// What one comparison accumulates.
struct Acc {
    found: Vec<Found>,
    /// Changes already collected (key → index in `found`): one reached again by another path
    /// (a schema used twice in one body, or a cycle of expandable objects) is reported once, at
    /// the shortest path.
    seen: FxMap<u64, usize>,
    /// The shallowest in-progress ancestor a cycle led back to.
    lowest_cut: Option<usize>,
}

impl Acc {
    fn push(&mut self, change: SchemaChange, base: Option<Loc>, revision: Option<Loc>) {
        let key = debug_hash(&(&change, &base, &revision));
        // A change met here that a child already reported keeps the child's path.
        if self.seen.contains_key(&key) {
            return;
        }
        self.add(key, 0, || Found {
            path: None,
            item: Rc::new(Item {
                change,
                base,
                revision,
                key,
            }),
        });
    }

    /// Collects the change `key` found at a path of `len` steps, or, when it is already
    /// collected at a longer path, takes the shorter one. `make` runs only when it is kept.
    fn add(&mut self, key: u64, len: usize, make: impl FnOnce() -> Found) {
        match self.seen.entry(key) {
            Entry::Vacant(slot) => {
                slot.insert(self.found.len());
                self.found.push(make());
            }
            Entry::Occupied(slot) => {
                let kept = &mut self.found[*slot.get()];
                if len < path_len(&kept.path) {
                    kept.path = make().path;
                }
            }
        }
    }
}

/// Which union a view is (`oneOf` when it has both), and its branches.
fn union_kind(v: &MergedView) -> (Composition, Vec<SchemaId>) {
    if v.one_of.is_empty() {
        (Composition::AnyOf, v.any_of.clone())
    } else {
        (Composition::OneOf, v.one_of.clone())
    }
}

/// The number of steps of a path.
fn path_len(path: &Option<Rc<PathNode>>) -> usize {
    path.as_ref().map_or(0, |node| node.len)
}

pub(super) struct SchemaDiffer<'a> {
    base: &'a Contract,
    revision: &'a Contract,
    stack: Vec<(Key, u64)>,
    serial: u64,
    memo: FxMap<Key, Memo>,
    /// The result of every comparison that found nothing (most of them): one allocation shared
    /// by their memo entries rather than one each (N = 16,000: ~280,000 entries).
    nothing: Rc<Vec<Found>>,
    base_views: FxMap<Ids, Rc<MergedView>>,
    revision_views: FxMap<Ids, Rc<MergedView>>,
    /// The carrier of the comparison under way (one per top-level call).
    carrier: Carrier,
}

impl<'a> SchemaDiffer<'a> {
    pub(super) fn new(base: &'a Contract, revision: &'a Contract) -> Self {
        SchemaDiffer {
            base,
            revision,
            stack: Vec::new(),
            serial: 0,
            memo: FxMap::default(),
            nothing: Rc::new(Vec::new()),
            base_views: FxMap::default(),
            revision_views: FxMap::default(),
            carrier: Carrier::Json,
        }
    }

    /// The changes from `base` to `revision` read in `direction`, paths relative to them.
    pub(super) fn compare(
        &mut self,
        base: SchemaId,
        revision: SchemaId,
        direction: Direction,
        carrier: Carrier,
    ) -> Rc<Vec<Found>> {
        self.carrier = carrier;
        self.compare_sets(&[base], &[revision], direction).0
    }

    /// Whether two schemas have the same shape in a direction (as JSON).
    pub(super) fn same_shape(
        &mut self,
        base: SchemaId,
        revision: SchemaId,
        direction: Direction,
    ) -> bool {
        self.carrier = Carrier::Json;
        self.compare_sets(&[base], &[revision], direction)
            .0
            .is_empty()
    }

    fn compare_sets(
        &mut self,
        base: &[SchemaId],
        revision: &[SchemaId],
        direction: Direction,
    ) -> (Rc<Vec<Found>>, Option<usize>) {
        let key: Key = (Ids::of(base), Ids::of(revision), direction, self.carrier);
        if let Some(memo) = self.memo.get(&key) {
            let valid = match memo.depends_on {
                None => true,
                Some((depth, serial)) => self.stack.get(depth).is_some_and(|(_, s)| *s == serial),
            };
            if valid {
                return (memo.found.clone(), memo.depends_on.map(|(depth, _)| depth));
            }
        }
        if let Some(depth) = self.stack.iter().position(|(k, _)| *k == key) {
            return (self.nothing.clone(), Some(depth));
        }
        self.serial += 1;
        let depth = self.stack.len();
        self.stack.push((key.clone(), self.serial));
        let mut acc = Acc {
            found: Vec::new(),
            seen: FxMap::default(),
            lowest_cut: None,
        };
        // Deep enough to be a generated monster, not a real contract: stop descending.
        if depth < 256 {
            self.compare_views(base, revision, direction, &mut acc);
        }
        self.stack.pop();
        if self.stack.is_empty() {
            // The views serve the comparison under way; kept for the whole run they cost more
            // than the two contracts (N = 16,000: 560 MB).
            self.base_views.clear();
            self.revision_views.clear();
        }
        let cut = acc.lowest_cut.filter(|d| *d < depth);
        let depends_on = cut.map(|d| (d, self.stack[d].1));
        let found = if acc.found.is_empty() {
            self.nothing.clone()
        } else {
            Rc::new(acc.found)
        };
        self.memo.insert(
            key,
            Memo {
                found: found.clone(),
                depends_on,
            },
        );
        (found, cut)
    }

    fn child(
        &mut self,
        step: impl FnOnce() -> Step,
        base: &[SchemaId],
        revision: &[SchemaId],
        direction: Direction,
        acc: &mut Acc,
    ) {
        let (found, cut) = self.compare_sets(base, revision, direction);
        if let Some(depth) = cut {
            acc.lowest_cut = Some(acc.lowest_cut.map_or(depth, |d| d.min(depth)));
        }
        if found.is_empty() {
            return;
        }
        let step = step();
        for f in found.iter() {
            let len = path_len(&f.path) + 1;
            acc.add(f.item.key, len, || Found {
                path: Some(Rc::new(PathNode {
                    step: step.clone(),
                    rest: f.path.clone(),
                    len,
                })),
                item: f.item.clone(),
            });
        }
    }

    /// `child`, leaving out a nullability change at the root of the compared pair: when a schema
    /// is compared with one branch of a union, `null` is the union's business, not the branch's
    /// (`nullable` beside `anyOf`, or a `{type: null}` branch, is folded into the union).
    fn branch_child(
        &mut self,
        step: impl FnOnce() -> Step,
        base: &[SchemaId],
        revision: &[SchemaId],
        dir: Direction,
        acc: &mut Acc,
    ) {
        let mut inner = Acc {
            found: Vec::new(),
            seen: FxMap::default(),
            lowest_cut: None,
        };
        self.child(step, base, revision, dir, &mut inner);
        if let Some(depth) = inner.lowest_cut {
            acc.lowest_cut = Some(acc.lowest_cut.map_or(depth, |d| d.min(depth)));
        }
        for f in inner.found {
            let root_null = f.path.as_ref().is_some_and(|p| p.rest.is_none())
                && matches!(f.item.change, SchemaChange::NullableChanged { .. });
            if !root_null {
                acc.add(f.item.key, path_len(&f.path), || f);
            }
        }
    }

    fn base_view(&mut self, ids: &[SchemaId]) -> Rc<MergedView> {
        let key = Ids::of(ids);
        if let Some(v) = self.base_views.get(&key) {
            return v.clone();
        }
        let v = Rc::new(view(&self.base.types, ids));
        self.base_views.insert(key, v.clone());
        v
    }

    fn revision_view(&mut self, ids: &[SchemaId]) -> Rc<MergedView> {
        let key = Ids::of(ids);
        if let Some(v) = self.revision_views.get(&key) {
            return v.clone();
        }
        let v = Rc::new(view(&self.revision.types, ids));
        self.revision_views.insert(key, v.clone());
        v
    }

    /// The location of a keyword of a view when the schema writes it there, else the schema.
    fn at(&self, contract: &Contract, v: &MergedView, keyword: &str) -> Option<Loc> {
        let written = contract
            .documents
            .file(v.loc.file)
            .has_member(&v.loc.pointer, keyword);
        Some(if written {
            v.loc.child(keyword)
        } else {
            v.loc.clone()
        })
    }

    fn locs(&self, b: &MergedView, r: &MergedView, keyword: &str) -> (Option<Loc>, Option<Loc>) {
        (
            self.at(self.base, b, keyword),
            self.at(self.revision, r, keyword),
        )
    }

    fn compare_views(
        &mut self,
        b_ids: &[SchemaId],
        r_ids: &[SchemaId],
        dir: Direction,
        acc: &mut Acc,
    ) {
        let b = self.base_view(b_ids);
        let r = self.revision_view(r_ids);
        if b.unresolved || r.unresolved {
            return;
        }
        if self.wrapping(b_ids, &b, r_ids, &r, dir, acc) {
            return;
        }
        if self.carrier == Carrier::Text && self.scalar_to_array(b_ids, &b, &r, dir, acc) {
            return;
        }
        self.compare_type(&b, &r, acc);
        if b.nullable != r.nullable {
            let (bl, rl) = self.locs(&b, &r, "nullable");
            acc.push(
                SchemaChange::NullableChanged {
                    nullable: r.nullable,
                },
                bl,
                rl,
            );
        }
        self.compare_values(&b, &r, acc);
        // A keyword family is compared when both sides can hold values it applies to, or when
        // the type did not change (a bound written on the wrong type is still a contract).
        let same_types = b.types == r.types;
        let both = |t: InstanceType| same_types || (b.admits(t) && r.admits(t));
        if both(InstanceType::Number) || both(InstanceType::Integer) {
            self.compare_bound(&b, &r, Bound::Minimum, &b.minimum, &r.minimum, acc);
            self.compare_bound(&b, &r, Bound::Maximum, &b.maximum, &r.maximum, acc);
            self.compare_bound(
                &b,
                &r,
                Bound::ExclusiveMinimum,
                &b.exclusive_minimum,
                &r.exclusive_minimum,
                acc,
            );
            self.compare_bound(
                &b,
                &r,
                Bound::ExclusiveMaximum,
                &b.exclusive_maximum,
                &r.exclusive_maximum,
                acc,
            );
            if !same_number(&b.multiple_of, &r.multiple_of) {
                let (bl, rl) = self.locs(&b, &r, "multipleOf");
                let change = SchemaChange::MultipleOfChanged {
                    from: b.multiple_of.clone(),
                    to: r.multiple_of.clone(),
                };
                acc.push(change, bl, rl);
            }
        }
        if both(InstanceType::String) {
            self.compare_size(&b, &r, Bound::MinLength, b.min_length, r.min_length, acc);
            self.compare_size(&b, &r, Bound::MaxLength, b.max_length, r.max_length, acc);
            let (bp, rp) = (
                meaningful_patterns(&b.patterns),
                meaningful_patterns(&r.patterns),
            );
            if bp != rp {
                let (bl, rl) = self.locs(&b, &r, "pattern");
                let join = |p: Vec<&String>| {
                    (!p.is_empty()).then(|| {
                        p.iter()
                            .map(|s| s.as_str())
                            .collect::<Vec<_>>()
                            .join(" and ")
                    })
                };
                acc.push(
                    SchemaChange::PatternChanged {
                        from: join(bp),
                        to: join(rp),
                    },
                    bl,
                    rl,
                );
            }
            if b.content_media_type != r.content_media_type {
                let (bl, rl) = self.locs(&b, &r, "contentMediaType");
                let change = SchemaChange::ContentMediaTypeChanged {
                    from: b.content_media_type.clone(),
                    to: r.content_media_type.clone(),
                };
                acc.push(change, bl, rl);
            }
            if b.content_encoding != r.content_encoding {
                let (bl, rl) = self.locs(&b, &r, "contentEncoding");
                let change = SchemaChange::ContentEncodingChanged {
                    from: b.content_encoding.clone(),
                    to: r.content_encoding.clone(),
                };
                acc.push(change, bl, rl);
            }
            self.optional_subschema(
                &b,
                &r,
                Keyword::ContentSchema,
                Step::ContentSchema,
                &b.content_schema,
                &r.content_schema,
                dir,
                acc,
            );
        }
        if both(InstanceType::Array) {
            self.compare_arrays(&b, &r, dir, acc);
        }
        if both(InstanceType::Object) {
            self.compare_objects(&b, &r, dir, acc);
        }
        self.compare_composition(&b, &r, dir, acc);
        if b.deprecated != r.deprecated {
            let (bl, rl) = self.locs(&b, &r, "deprecated");
            acc.push(
                SchemaChange::DeprecatedChanged {
                    deprecated: r.deprecated,
                    sunset: r.sunset.clone(),
                },
                bl,
                rl,
            );
        }
        if b.stability != r.stability {
            let (bl, rl) = self.locs(&b, &r, "x-stability-level");
            acc.push(
                SchemaChange::StabilityChanged {
                    from: b.stability.clone(),
                    to: r.stability.clone(),
                },
                bl,
                rl,
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::test_contract;

    /// The merged views are a cache of the comparison under way: kept for the whole run they
    /// held every schema of both contracts twice over (N = 16,000 of bench/diff-scale.sh:
    /// 1.55 GB peak, 560 MB of it views).
    #[test]
    fn views_live_only_while_a_comparison_is_under_way() {
        let spec = |amount: &str| {
            format!(
                "openapi: 3.0.3\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        amount: {{type: {amount}}}\n        owner: {{$ref: '#/components/schemas/Owner'}}\n    Owner:\n      type: object\n      properties:\n        name: {{type: string}}\n"
            )
        };
        let (base, revision) = (
            test_contract(&spec("integer")),
            test_contract(&spec("string")),
        );
        let pet = |c: &Contract| c.types.named()["Pet"];
        let mut differ = SchemaDiffer::new(&base, &revision);
        let found = differ.compare(
            pet(&base),
            pet(&revision),
            Direction::Response,
            Carrier::Json,
        );
        assert_eq!(found.len(), 1, "{found:?}");
        assert!(differ.base_views.is_empty() && differ.revision_views.is_empty());
        // The memo still answers the same question without views.
        let again = differ.compare(
            pet(&base),
            pet(&revision),
            Direction::Response,
            Carrier::Json,
        );
        assert_eq!(again.len(), 1);
    }

    /// Most comparisons find nothing; their memo entries share one empty result instead of
    /// allocating one each (N = 16,000: ~280,000 entries, ~13 MB).
    #[test]
    fn comparisons_that_find_nothing_share_one_result() {
        let spec = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pet:\n      type: object\n      properties:\n        amount: {type: integer}\n        tags: {type: array, items: {type: string}}\n        owner: {$ref: '#/components/schemas/Owner'}\n    Owner:\n      type: object\n      properties:\n        name: {type: string}\n        pet: {$ref: '#/components/schemas/Pet'}\n";
        let (base, revision) = (test_contract(spec), test_contract(spec));
        let pet = |c: &Contract| c.types.named()["Pet"];
        let mut differ = SchemaDiffer::new(&base, &revision);
        let found = differ.compare(
            pet(&base),
            pet(&revision),
            Direction::Response,
            Carrier::Json,
        );
        assert!(found.is_empty());
        assert!(differ.memo.len() >= 4, "{}", differ.memo.len());
        for memo in differ.memo.values() {
            assert!(Rc::ptr_eq(&memo.found, &differ.nothing));
        }
    }
}
