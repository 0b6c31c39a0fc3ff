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
use super::view::{Extra, View, annotation_only, view};

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
fn union_kind(v: &View) -> (Composition, Vec<SchemaId>) {
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
    base_views: FxMap<Ids, Rc<View>>,
    revision_views: FxMap<Ids, Rc<View>>,
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
            return (Rc::new(Vec::new()), Some(depth));
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
        let cut = acc.lowest_cut.filter(|d| *d < depth);
        let depends_on = cut.map(|d| (d, self.stack[d].1));
        let found = Rc::new(acc.found);
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

    /// The union's own nullability against the plain schema's, beside a (un)wrapping.
    fn union_nullable(&self, b: &View, r: &View, acc: &mut Acc) {
        if b.nullable != r.nullable {
            let (bl, rl) = self.locs(b, r, "nullable");
            acc.push(
                SchemaChange::NullableChanged {
                    nullable: r.nullable,
                },
                bl,
                rl,
            );
        }
    }

    fn base_view(&mut self, ids: &[SchemaId]) -> Rc<View> {
        let key = Ids::of(ids);
        if let Some(v) = self.base_views.get(&key) {
            return v.clone();
        }
        let v = Rc::new(view(&self.base.types, ids));
        self.base_views.insert(key, v.clone());
        v
    }

    fn revision_view(&mut self, ids: &[SchemaId]) -> Rc<View> {
        let key = Ids::of(ids);
        if let Some(v) = self.revision_views.get(&key) {
            return v.clone();
        }
        let v = Rc::new(view(&self.revision.types, ids));
        self.revision_views.insert(key, v.clone());
        v
    }

    /// The location of a keyword of a view when the schema writes it there, else the schema.
    fn at(&self, contract: &Contract, v: &View, keyword: &str) -> Option<Loc> {
        let written = contract
            .value(&v.loc)
            .and_then(|n| n.as_object())
            .is_some_and(|m| m.contains_key(keyword));
        Some(if written {
            v.loc.child(keyword)
        } else {
            v.loc.clone()
        })
    }

    fn locs(&self, b: &View, r: &View, keyword: &str) -> (Option<Loc>, Option<Loc>) {
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

    /// A plain schema that became a `oneOf`/`anyOf` (or the reverse): reported as such, and
    /// compared with the closest branch rather than with the union as a whole.
    fn wrapping(
        &mut self,
        b_ids: &[SchemaId],
        b: &View,
        r_ids: &[SchemaId],
        r: &View,
        dir: Direction,
        acc: &mut Acc,
    ) -> bool {
        let plain = |v: &View| v.one_of.is_empty() && v.any_of.is_empty();
        let union = |v: &View| !plain(v) && v.properties.is_empty();
        if plain(b) && union(r) {
            let (composition, branches) = union_kind(r);
            let mut best: Option<(usize, SchemaId)> = None;
            for &branch in &branches {
                let named_alike = b.name.is_some() && self.revision_view(&[branch]).name == b.name;
                let cost = if named_alike {
                    0
                } else {
                    self.compare_sets(b_ids, &[branch], dir).0.len()
                };
                if best.is_none_or(|(c, _)| cost < c) {
                    best = Some((cost, branch));
                }
            }
            let Some((_, branch)) = best else {
                return false;
            };
            let label = self.label(&self.revision.types, branch, 0);
            let (bl, rl) = (
                Some(b.loc.clone()),
                self.at(self.revision, r, composition.keyword()),
            );
            let overlapping = self.overlaps_other_branch(b, &branches, branch);
            acc.push(
                SchemaChange::WrappedIn {
                    composition,
                    label: label.clone(),
                    overlapping,
                },
                bl,
                rl,
            );
            self.union_nullable(b, r, acc);
            self.branch_child(
                || branch_step(composition, label),
                b_ids,
                &[branch],
                dir,
                acc,
            );
            return true;
        }
        if union(b) && plain(r) {
            let (composition, branches) = union_kind(b);
            let mut best: Option<(usize, SchemaId)> = None;
            for branch in branches {
                let named_alike = r.name.is_some() && self.base_view(&[branch]).name == r.name;
                let cost = if named_alike {
                    0
                } else {
                    self.compare_sets(&[branch], r_ids, dir).0.len()
                };
                if best.is_none_or(|(c, _)| cost < c) {
                    best = Some((cost, branch));
                }
            }
            let Some((_, branch)) = best else {
                return false;
            };
            let label = self.label(&self.base.types, branch, 0);
            let (bl, rl) = (
                self.at(self.base, b, composition.keyword()),
                Some(r.loc.clone()),
            );
            acc.push(
                SchemaChange::UnwrappedFrom {
                    composition,
                    label: label.clone(),
                },
                bl,
                rl,
            );
            self.union_nullable(b, r, acc);
            self.branch_child(
                || branch_step(composition, label),
                &[branch],
                r_ids,
                dir,
                acc,
            );
            return true;
        }
        if union(b) && union(r) {
            return self.nested_union(b_ids, b, r_ids, r, dir, acc);
        }
        false
    }

    /// Whether a revision branch other than `branch` admits values of `plain`'s types: a value
    /// wrapped into `branch` may then match two branches (invalid under `oneOf`).
    fn overlaps_other_branch(
        &mut self,
        plain: &View,
        branches: &[SchemaId],
        branch: SchemaId,
    ) -> bool {
        let own = effective_types(plain);
        branches
            .iter()
            .filter(|other| **other != branch)
            .any(|other| types_overlap(&own, &effective_types(&self.revision_view(&[*other]))))
    }

    /// Two unions of different kinds or sizes where one side is, as a whole, a branch of the
    /// other: `anyOf: [string, Error]` became `Error` (itself a `oneOf`), or the reverse. That is
    /// an unwrapping (or a wrapping), not every branch of `Error` added and the old ones removed.
    fn nested_union(
        &mut self,
        b_ids: &[SchemaId],
        b: &View,
        r_ids: &[SchemaId],
        r: &View,
        dir: Direction,
        acc: &mut Acc,
    ) -> bool {
        let (b_kind, b_branches) = union_kind(b);
        let (r_kind, r_branches) = union_kind(r);
        if b_kind == r_kind && b_branches.len() == r_branches.len() {
            return false;
        }
        let is_union = |v: &View| !v.one_of.is_empty() || !v.any_of.is_empty();
        // The revision is one of the base's branches: unwrapped.
        for branch in &b_branches {
            if !is_union(&self.base_view(&[*branch])) {
                continue;
            }
            if only_root_null(&self.compare_sets(&[*branch], r_ids, dir).0) {
                let label = self.label(&self.base.types, *branch, 0);
                let (bl, rl) = (self.at(self.base, b, b_kind.keyword()), Some(r.loc.clone()));
                acc.push(
                    SchemaChange::UnwrappedFrom {
                        composition: b_kind,
                        label,
                    },
                    bl,
                    rl,
                );
                self.union_nullable(b, r, acc);
                return true;
            }
        }
        // The base is one of the revision's branches: wrapped.
        for branch in &r_branches {
            if !is_union(&self.revision_view(&[*branch])) {
                continue;
            }
            if only_root_null(&self.compare_sets(b_ids, &[*branch], dir).0) {
                let label = self.label(&self.revision.types, *branch, 0);
                let overlapping = self.overlaps_other_branch(b, &r_branches, *branch);
                let (bl, rl) = (
                    Some(b.loc.clone()),
                    self.at(self.revision, r, r_kind.keyword()),
                );
                acc.push(
                    SchemaChange::WrappedIn {
                        composition: r_kind,
                        label,
                        overlapping,
                    },
                    bl,
                    rl,
                );
                self.union_nullable(b, r, acc);
                return true;
            }
        }
        false
    }

    /// A text parameter that became an array (`?token=a` → `?token=a&token=b`): a single value is
    /// still a valid array of one, so this widens when the items accept what the scalar did.
    fn scalar_to_array(
        &mut self,
        b_ids: &[SchemaId],
        b: &View,
        r: &View,
        dir: Direction,
        acc: &mut Acc,
    ) -> bool {
        let scalar = |v: &View| {
            effective_types(v).is_some_and(|ts| {
                !ts.is_empty()
                    && ts
                        .iter()
                        .all(|t| !matches!(t, InstanceType::Array | InstanceType::Object))
            })
        };
        if !scalar(b) || r.types.as_deref() != Some(&[InstanceType::Array]) || r.items.is_empty() {
            return false;
        }
        let items = r.items.clone();
        let relation = if self.compare_sets(b_ids, &items, dir).0.is_empty() {
            Relation::Widened
        } else {
            Relation::Incomparable
        };
        let from = TypeDesc {
            types: effective_types(b),
            format: b.format.clone(),
            nullable: b.nullable,
        };
        let to = TypeDesc {
            types: r.types.clone(),
            format: r.format.clone(),
            nullable: r.nullable,
        };
        let (bl, rl) = self.locs(b, r, "type");
        acc.push(SchemaChange::TypeChanged { from, to, relation }, bl, rl);
        true
    }

    fn compare_type(&self, b: &View, r: &View, acc: &mut Acc) {
        let (bt, rt) = (effective_types(b), effective_types(r));
        // An unsized `integer` is an int64 and an unsized `number` a double to every generator
        // (`i64`, `f64`): writing the format out changes nothing.
        // A format no generator knows (`unixtime`, `probability`) is an annotation: the value
        // is the same integer or number, so it is that type's default size.
        const NUMBER_FORMATS: [&str; 5] = ["float", "double", "decimal", "int32", "int64"];
        let sized = |types: &Option<Vec<InstanceType>>, own: &Option<String>| match types.as_deref()
        {
            Some([InstanceType::Integer]) => Some(
                own.clone()
                    .filter(|f| integer_range(f).is_some())
                    .unwrap_or_else(|| "int64".to_string()),
            ),
            Some([InstanceType::Number]) => Some(
                own.clone()
                    .filter(|f| NUMBER_FORMATS.contains(&f.as_str()))
                    .unwrap_or_else(|| "double".to_string()),
            ),
            _ => own.clone(),
        };
        let (bf, rf) = (sized(&bt, &b.format), sized(&rt, &r.format));
        let relation = match type_relation(&bt, &rt, self.carrier) {
            Some(relation) => Some(relation),
            None if bt.as_deref() == Some(&[InstanceType::Integer]) => {
                integer_format_relation(b, r, bf.as_deref(), rf.as_deref())
                    .unwrap_or_else(|| format_relation(bf.as_deref(), rf.as_deref()))
            }
            None => format_relation(bf.as_deref(), rf.as_deref()),
        };
        if let Some(relation) = relation {
            let keyword = if bt != rt { "type" } else { "format" };
            let (bl, rl) = self.locs(b, r, keyword);
            let from = TypeDesc {
                types: bt,
                format: b.format.clone(),
                nullable: b.nullable,
            };
            let to = TypeDesc {
                types: rt,
                format: r.format.clone(),
                nullable: r.nullable,
            };
            acc.push(SchemaChange::TypeChanged { from, to, relation }, bl, rl);
        }
    }

    fn compare_values(&self, b: &View, r: &View, acc: &mut Acc) {
        match (&b.enum_values, &r.enum_values) {
            (None, Some(values)) => {
                let (bl, rl) = self.locs(b, r, "enum");
                acc.push(
                    SchemaChange::BecameEnum {
                        values: values.clone(),
                    },
                    bl,
                    rl,
                );
            }
            (Some(_), None) => {
                let (bl, rl) = self.locs(b, r, "enum");
                acc.push(SchemaChange::EnumDropped, bl, rl);
            }
            (Some(bv), Some(rv)) => {
                let removed = minus(bv, rv);
                let added = minus(rv, bv);
                if !removed.is_empty() {
                    let (bl, rl) = self.locs(b, r, "enum");
                    acc.push(SchemaChange::EnumValuesRemoved { values: removed }, bl, rl);
                }
                if !added.is_empty() {
                    let (bl, rl) = self.locs(b, r, "enum");
                    acc.push(SchemaChange::EnumValuesAdded { values: added }, bl, rl);
                }
            }
            (None, None) => {}
        }
        if let (Some(bv), Some(rv)) = (&b.extensible_enum, &r.extensible_enum) {
            let removed = minus(bv, rv);
            if !removed.is_empty() {
                let (bl, rl) = self.locs(b, r, "x-extensible-enum");
                acc.push(
                    SchemaChange::ExtensibleEnumValuesRemoved { values: removed },
                    bl,
                    rl,
                );
            }
        }
        if !same_option_value(&b.const_value, &r.const_value) {
            let (bl, rl) = self.locs(b, r, "const");
            acc.push(
                SchemaChange::ConstChanged {
                    from: b.const_value.clone(),
                    to: r.const_value.clone(),
                },
                bl,
                rl,
            );
        }
        if !same_option_value(&b.default, &r.default) {
            let (bl, rl) = self.locs(b, r, "default");
            acc.push(
                SchemaChange::DefaultChanged {
                    from: b.default.clone(),
                    to: r.default.clone(),
                },
                bl,
                rl,
            );
        }
    }

    fn compare_bound(
        &self,
        b: &View,
        r: &View,
        bound: Bound,
        from: &Option<Number>,
        to: &Option<Number>,
        acc: &mut Acc,
    ) {
        if !same_number(from, to) {
            let (bl, rl) = self.locs(b, r, bound.keyword());
            acc.push(
                SchemaChange::BoundChanged {
                    bound,
                    from: from.clone(),
                    to: to.clone(),
                },
                bl,
                rl,
            );
        }
    }

    fn compare_size(
        &self,
        b: &View,
        r: &View,
        bound: Bound,
        from: Option<u64>,
        to: Option<u64>,
        acc: &mut Acc,
    ) {
        // `minLength: 0` / `minItems: 0` are the same as absent.
        let norm = |v: Option<u64>| {
            if bound.is_lower() && v == Some(0) {
                None
            } else {
                v
            }
        };
        let (from, to) = (norm(from), norm(to));
        if from != to {
            let (bl, rl) = self.locs(b, r, bound.keyword());
            let change = SchemaChange::BoundChanged {
                bound,
                from: from.map(Number::from),
                to: to.map(Number::from),
            };
            acc.push(change, bl, rl);
        }
    }

    fn compare_arrays(&mut self, b: &View, r: &View, dir: Direction, acc: &mut Acc) {
        if !b.items.is_empty() && !r.items.is_empty() {
            self.child(|| Step::Items, &b.items, &r.items, dir, acc);
        }
        self.compare_size(b, r, Bound::MinItems, b.min_items, r.min_items, acc);
        self.compare_size(b, r, Bound::MaxItems, b.max_items, r.max_items, acc);
        self.compare_size(
            b,
            r,
            Bound::MinContains,
            b.min_contains,
            r.min_contains,
            acc,
        );
        self.compare_size(
            b,
            r,
            Bound::MaxContains,
            b.max_contains,
            r.max_contains,
            acc,
        );
        if b.unique_items != r.unique_items {
            let (bl, rl) = self.locs(b, r, "uniqueItems");
            acc.push(
                SchemaChange::UniqueItemsChanged {
                    unique: r.unique_items,
                },
                bl,
                rl,
            );
        }
        let (bn, rn) = (b.prefix_items.len(), r.prefix_items.len());
        if bn < rn {
            let (bl, rl) = self.locs(b, r, "prefixItems");
            acc.push(
                SchemaChange::KeywordAdded {
                    keyword: Keyword::PrefixItems,
                },
                bl,
                rl,
            );
        } else if bn > rn {
            let (bl, rl) = self.locs(b, r, "prefixItems");
            acc.push(
                SchemaChange::KeywordRemoved {
                    keyword: Keyword::PrefixItems,
                },
                bl,
                rl,
            );
        }
        for i in 0..bn.min(rn) {
            self.child(
                || Step::PrefixItem(i),
                &[b.prefix_items[i]],
                &[r.prefix_items[i]],
                dir,
                acc,
            );
        }
        self.optional_subschema(
            b,
            r,
            Keyword::Contains,
            Step::Contains,
            &b.contains,
            &r.contains,
            dir,
            acc,
        );
        self.compare_extra(
            b,
            r,
            Keyword::UnevaluatedItems,
            Step::UnevaluatedItems,
            &b.unevaluated_items,
            &r.unevaluated_items,
            dir,
            acc,
        );
    }

    fn compare_objects(&mut self, b: &View, r: &View, dir: Direction, acc: &mut Acc) {
        let mut names: IndexSet<&String> =
            IndexSet::with_capacity(b.properties.len() + b.required.len());
        names.extend(b.properties.keys());
        names.extend(&b.required);
        names.extend(r.properties.keys());
        names.extend(&r.required);
        for name in names {
            self.compare_property(b, r, name, dir, acc);
        }
        if b.additional.openness() != r.additional.openness() {
            let (bl, rl) = self.locs(b, r, "additionalProperties");
            let change = SchemaChange::AdditionalPropertiesChanged {
                from: b.additional.openness(),
                to: r.additional.openness(),
            };
            acc.push(change, bl, rl);
        } else if let (Extra::Schemas(bs), Extra::Schemas(rs)) = (&b.additional, &r.additional) {
            self.child(|| Step::AdditionalProperties, bs, rs, dir, acc);
        }
        self.compare_extra(
            b,
            r,
            Keyword::UnevaluatedProperties,
            Step::UnevaluatedProperties,
            &b.unevaluated_properties,
            &r.unevaluated_properties,
            dir,
            acc,
        );
        for (pattern, bs) in &b.pattern_properties {
            match r.pattern_properties.get(pattern) {
                Some(rs) => self.child(|| Step::PatternProperty(pattern.clone()), bs, rs, dir, acc),
                None => {
                    let (bl, rl) = self.locs(b, r, "patternProperties");
                    acc.push(
                        SchemaChange::KeywordRemoved {
                            keyword: Keyword::PatternProperty(pattern.clone()),
                        },
                        bl,
                        rl,
                    );
                }
            }
        }
        for pattern in r.pattern_properties.keys() {
            if !b.pattern_properties.contains_key(pattern) {
                let (bl, rl) = self.locs(b, r, "patternProperties");
                acc.push(
                    SchemaChange::KeywordAdded {
                        keyword: Keyword::PatternProperty(pattern.clone()),
                    },
                    bl,
                    rl,
                );
            }
        }
        self.optional_subschema(
            b,
            r,
            Keyword::PropertyNames,
            Step::PropertyNames,
            &b.property_names,
            &r.property_names,
            dir,
            acc,
        );
        for (property, list) in &b.dependent_required {
            let (bl, rl) = self.locs(b, r, "dependentRequired");
            match r.dependent_required.get(property) {
                None => acc.push(
                    SchemaChange::DependentRequiredRemoved {
                        property: property.clone(),
                    },
                    bl,
                    rl,
                ),
                Some(other) => {
                    let same = list.len() == other.len() && list.iter().all(|x| other.contains(x));
                    if !same {
                        acc.push(
                            SchemaChange::DependentRequiredChanged {
                                property: property.clone(),
                            },
                            bl,
                            rl,
                        );
                    }
                }
            }
        }
        for property in r.dependent_required.keys() {
            if !b.dependent_required.contains_key(property) {
                let (bl, rl) = self.locs(b, r, "dependentRequired");
                acc.push(
                    SchemaChange::DependentRequiredAdded {
                        property: property.clone(),
                    },
                    bl,
                    rl,
                );
            }
        }
        for (property, bs) in &b.dependent_schemas {
            match r.dependent_schemas.get(property) {
                Some(rs) => {
                    self.child(|| Step::DependentSchema(property.clone()), bs, rs, dir, acc)
                }
                None => {
                    let (bl, rl) = self.locs(b, r, "dependentSchemas");
                    acc.push(
                        SchemaChange::KeywordRemoved {
                            keyword: Keyword::DependentSchema(property.clone()),
                        },
                        bl,
                        rl,
                    );
                }
            }
        }
        for property in r.dependent_schemas.keys() {
            if !b.dependent_schemas.contains_key(property) {
                let (bl, rl) = self.locs(b, r, "dependentSchemas");
                acc.push(
                    SchemaChange::KeywordAdded {
                        keyword: Keyword::DependentSchema(property.clone()),
                    },
                    bl,
                    rl,
                );
            }
        }
        self.compare_size(
            b,
            r,
            Bound::MinProperties,
            b.min_properties,
            r.min_properties,
            acc,
        );
        self.compare_size(
            b,
            r,
            Bound::MaxProperties,
            b.max_properties,
            r.max_properties,
            acc,
        );
    }

    fn compare_property(
        &mut self,
        b: &View,
        r: &View,
        name: &String,
        dir: Direction,
        acc: &mut Acc,
    ) {
        let empty = Vec::new();
        let b_ids = b.properties.get(name);
        let r_ids = r.properties.get(name);
        let b_visible = visible(&self.base.types, b_ids.unwrap_or(&empty), dir);
        let r_visible = visible(&self.revision.types, r_ids.unwrap_or(&empty), dir);
        // A property exists where `properties` declares it; a name that is only `required`
        // (on both sides) is compared for its required-ness alone.
        let undeclared_both = b_ids.is_none() && r_ids.is_none();
        let b_exists = b_ids.is_some() || (undeclared_both && b.required.contains(name));
        let r_exists = r_ids.is_some() || (undeclared_both && r.required.contains(name));
        let b_required = b.required.contains(name);
        let r_required = r.required.contains(name);
        let b_loc = |this: &Self| {
            b_ids
                .and_then(|ids| ids.first())
                .map(|id| this.base.types.get(*id).loc.clone())
                .or_else(|| this.at(this.base, b, "required"))
        };
        let r_loc = |this: &Self| {
            r_ids
                .and_then(|ids| ids.first())
                .map(|id| this.revision.types.get(*id).loc.clone())
                .or_else(|| this.at(this.revision, r, "required"))
        };
        let why = |other_side_has_it: bool| match (other_side_has_it, dir) {
            (false, _) => Visibility::Declared,
            (true, Direction::Request) => Visibility::ReadOnly,
            (true, Direction::Response) => Visibility::WriteOnly,
        };
        match (b_exists && b_visible, r_exists && r_visible) {
            (true, true) => {
                if b_required != r_required {
                    let has_default =
                        r_ids.is_some_and(|ids| self.revision_view(ids).default.is_some());
                    let change = SchemaChange::PropertyRequiredChanged {
                        name: name.clone(),
                        required: r_required,
                        has_default,
                    };
                    let (bl, rl) = (
                        self.at(self.base, b, "required"),
                        self.at(self.revision, r, "required"),
                    );
                    acc.push(change, bl, rl);
                }
                if let (Some(bs), Some(rs)) = (b_ids, r_ids) {
                    self.child(|| Step::Property(name.clone()), bs, rs, dir, acc);
                }
            }
            (true, false) => {
                let change = SchemaChange::PropertyRemoved {
                    name: name.clone(),
                    required: b_required,
                    why: why(r_exists),
                };
                let rl = if r_exists {
                    r_loc(self)
                } else {
                    Some(r.loc.clone())
                };
                acc.push(change, b_loc(self), rl);
            }
            (false, true) => {
                let has_default =
                    r_ids.is_some_and(|ids| self.revision_view(ids).default.is_some());
                let change = SchemaChange::PropertyAdded {
                    name: name.clone(),
                    required: r_required,
                    has_default,
                    why: why(b_exists),
                };
                let bl = if b_exists {
                    b_loc(self)
                } else {
                    Some(b.loc.clone())
                };
                acc.push(change, bl, r_loc(self));
            }
            (false, false) => {}
        }
    }

    /// `unevaluatedItems` / `unevaluatedProperties`: appearing constrains, disappearing frees.
    #[allow(clippy::too_many_arguments)]
    fn compare_extra(
        &mut self,
        b: &View,
        r: &View,
        keyword: Keyword,
        step: Step,
        from: &Extra,
        to: &Extra,
        dir: Direction,
        acc: &mut Acc,
    ) {
        match (from, to) {
            (Extra::Open, Extra::Open) => {}
            (Extra::Open, _) => {
                let (bl, rl) = self.locs(b, r, keyword.keyword());
                acc.push(SchemaChange::KeywordAdded { keyword }, bl, rl);
            }
            (_, Extra::Open) => {
                let (bl, rl) = self.locs(b, r, keyword.keyword());
                acc.push(SchemaChange::KeywordRemoved { keyword }, bl, rl);
            }
            (Extra::Schemas(bs), Extra::Schemas(rs)) => self.child(move || step, bs, rs, dir, acc),
            (Extra::Closed, Extra::Schemas(_)) => {
                let (bl, rl) = self.locs(b, r, keyword.keyword());
                acc.push(SchemaChange::KeywordRemoved { keyword }, bl, rl);
            }
            (Extra::Schemas(_), Extra::Closed) => {
                let (bl, rl) = self.locs(b, r, keyword.keyword());
                acc.push(SchemaChange::KeywordAdded { keyword }, bl, rl);
            }
            (Extra::Closed, Extra::Closed) => {}
        }
    }

    /// A keyword holding a subschema: added, removed, or compared.
    #[allow(clippy::too_many_arguments)]
    fn optional_subschema(
        &mut self,
        b: &View,
        r: &View,
        keyword: Keyword,
        step: Step,
        from: &[SchemaId],
        to: &[SchemaId],
        dir: Direction,
        acc: &mut Acc,
    ) {
        match (from.is_empty(), to.is_empty()) {
            (true, true) => {}
            (true, false) => {
                let (bl, rl) = self.locs(b, r, keyword.keyword());
                acc.push(SchemaChange::KeywordAdded { keyword }, bl, rl);
            }
            (false, true) => {
                let (bl, rl) = self.locs(b, r, keyword.keyword());
                acc.push(SchemaChange::KeywordRemoved { keyword }, bl, rl);
            }
            (false, false) => self.child(move || step, from, to, dir, acc),
        }
    }

    fn compare_composition(&mut self, b: &View, r: &View, dir: Direction, acc: &mut Acc) {
        // allOf: the merged views are already compared; membership is reported for readers of
        // the spec (and generated types, which mirror it).
        let (pairs, removed, added) = self.match_branches(&b.all_of, &r.all_of, None, None, dir);
        drop(pairs);
        for i in removed {
            let id = b.all_of[i];
            let change = SchemaChange::BranchRemoved {
                composition: Composition::AllOf,
                label: self.label(&self.base.types, id, i),
                annotation_only: annotation_only(&self.base.types, id),
            };
            acc.push(
                change,
                Some(self.base.types.get(id).loc.clone()),
                self.at(self.revision, r, "allOf"),
            );
        }
        for i in added {
            let id = r.all_of[i];
            let change = SchemaChange::BranchAdded {
                composition: Composition::AllOf,
                label: self.label(&self.revision.types, id, i),
                annotation_only: annotation_only(&self.revision.types, id),
            };
            acc.push(
                change,
                self.at(self.base, b, "allOf"),
                Some(self.revision.types.get(id).loc.clone()),
            );
        }
        for (composition, bs, rs) in [
            (Composition::OneOf, &b.one_of, &r.one_of),
            (Composition::AnyOf, &b.any_of, &r.any_of),
        ] {
            if bs.is_empty() && rs.is_empty() {
                continue;
            }
            let (pairs, removed, added) = self.match_branches(
                bs,
                rs,
                b.discriminator.as_ref(),
                r.discriminator.as_ref(),
                dir,
            );
            for i in removed {
                let id = bs[i];
                let change = SchemaChange::BranchRemoved {
                    composition,
                    label: self.label(&self.base.types, id, i),
                    annotation_only: false,
                };
                acc.push(
                    change,
                    Some(self.base.types.get(id).loc.clone()),
                    self.at(self.revision, r, composition.keyword()),
                );
            }
            for i in added {
                let id = rs[i];
                let change = SchemaChange::BranchAdded {
                    composition,
                    label: self.label(&self.revision.types, id, i),
                    annotation_only: false,
                };
                acc.push(
                    change,
                    self.at(self.base, b, composition.keyword()),
                    Some(self.revision.types.get(id).loc.clone()),
                );
            }
            for (bi, ri) in pairs {
                let label = self.label(&self.revision.types, rs[ri], ri);
                self.child(
                    || branch_step(composition, label),
                    &[bs[bi]],
                    &[rs[ri]],
                    dir,
                    acc,
                );
            }
        }
        self.compare_discriminator(b, r, acc);
        self.optional_subschema(b, r, Keyword::Not, Step::Not, &b.not, &r.not, dir, acc);
        let parts = |v: &View| match v.if_then_else {
            Some((i, t, e)) => (
                vec![i],
                t.into_iter().collect::<Vec<_>>(),
                e.into_iter().collect::<Vec<_>>(),
            ),
            None => (Vec::new(), Vec::new(), Vec::new()),
        };
        let (bi, bt, be) = parts(b);
        let (ri, rt, re) = parts(r);
        self.optional_subschema(b, r, Keyword::If, Step::If, &bi, &ri, dir, acc);
        self.optional_subschema(b, r, Keyword::Then, Step::Then, &bt, &rt, dir, acc);
        self.optional_subschema(b, r, Keyword::Else, Step::Else, &be, &re, dir, acc);
    }

    fn compare_discriminator(&self, b: &View, r: &View, acc: &mut Acc) {
        let (bl, rl) = self.locs(b, r, "discriminator");
        match (&b.discriminator, &r.discriminator) {
            (None, None) => {}
            (None, Some(d)) => acc.push(
                SchemaChange::DiscriminatorAdded {
                    property: d.property_name.clone(),
                },
                bl,
                rl,
            ),
            (Some(d), None) => acc.push(
                SchemaChange::DiscriminatorRemoved {
                    property: d.property_name.clone(),
                },
                bl,
                rl,
            ),
            (Some(bd), Some(rd)) => {
                if bd.property_name != rd.property_name {
                    let change = SchemaChange::DiscriminatorPropertyChanged {
                        from: bd.property_name.clone(),
                        to: rd.property_name.clone(),
                    };
                    acc.push(change, bl.clone(), rl.clone());
                }
                let removed: Vec<String> = bd
                    .mapping
                    .keys()
                    .filter(|k| !rd.mapping.contains_key(*k))
                    .cloned()
                    .collect();
                let added: Vec<String> = rd
                    .mapping
                    .keys()
                    .filter(|k| !bd.mapping.contains_key(*k))
                    .cloned()
                    .collect();
                if !removed.is_empty() {
                    acc.push(
                        SchemaChange::DiscriminatorMappingRemoved { values: removed },
                        bl.clone(),
                        rl.clone(),
                    );
                }
                if !added.is_empty() {
                    acc.push(
                        SchemaChange::DiscriminatorMappingAdded { values: added },
                        bl.clone(),
                        rl.clone(),
                    );
                }
                for (value, bt) in &bd.mapping {
                    let Some(rt) = rd.mapping.get(value) else {
                        continue;
                    };
                    let from = self.label(&self.base.types, *bt, 0);
                    let to = self.label(&self.revision.types, *rt, 0);
                    if from != to {
                        let change = SchemaChange::DiscriminatorMappingChanged {
                            value: value.clone(),
                            from,
                            to,
                        };
                        acc.push(change, bl.clone(), rl.clone());
                    }
                }
            }
        }
    }

    /// Pairs up branches: by discriminator value, by component name, by equal shape, by title,
    /// and finally a lone leftover on each side with the same type. Returns the pairs (base
    /// index, revision index) and the unmatched indexes of each side.
    fn match_branches(
        &mut self,
        bs: &[SchemaId],
        rs: &[SchemaId],
        b_disc: Option<&crate::model::Discriminator>,
        r_disc: Option<&crate::model::Discriminator>,
        dir: Direction,
    ) -> (Vec<(usize, usize)>, Vec<usize>, Vec<usize>) {
        let mut pairs = Vec::new();
        let mut b_left: Vec<usize> = (0..bs.len()).collect();
        let mut r_left: Vec<usize> = (0..rs.len()).collect();
        let take = |pairs: &mut Vec<(usize, usize)>,
                    b_left: &mut Vec<usize>,
                    r_left: &mut Vec<usize>,
                    matches: &mut dyn FnMut(usize, usize) -> bool| {
            let mut i = 0;
            while i < b_left.len() {
                let bi = b_left[i];
                if let Some(pos) = r_left.iter().position(|ri| matches(bi, *ri)) {
                    pairs.push((bi, r_left.remove(pos)));
                    b_left.remove(i);
                } else {
                    i += 1;
                }
            }
        };
        if let (Some(bd), Some(rd)) = (b_disc, r_disc)
            && bd.property_name == rd.property_name
        {
            let b_values: Vec<Vec<String>> = bs
                .iter()
                .map(|id| discriminator_values(&self.base.types, bd, *id))
                .collect();
            let r_values: Vec<Vec<String>> = rs
                .iter()
                .map(|id| discriminator_values(&self.revision.types, rd, *id))
                .collect();
            take(&mut pairs, &mut b_left, &mut r_left, &mut |bi, ri| {
                b_values[bi].iter().any(|v| r_values[ri].contains(v))
            });
        }
        let b_names: Vec<Option<String>> = bs
            .iter()
            .map(|id| self.base_view(&[*id]).name.clone())
            .collect();
        let r_names: Vec<Option<String>> = rs
            .iter()
            .map(|id| self.revision_view(&[*id]).name.clone())
            .collect();
        take(&mut pairs, &mut b_left, &mut r_left, &mut |bi, ri| {
            b_names[bi].is_some() && b_names[bi] == r_names[ri]
        });
        if !b_left.is_empty() && !r_left.is_empty() {
            let mut i = 0;
            while i < b_left.len() {
                let bi = b_left[i];
                let hit = r_left
                    .iter()
                    .position(|ri| self.compare_sets(&[bs[bi]], &[rs[*ri]], dir).0.is_empty());
                match hit {
                    Some(pos) => {
                        pairs.push((bi, r_left.remove(pos)));
                        b_left.remove(i);
                    }
                    None => i += 1,
                }
            }
        }
        let b_titles: Vec<Option<String>> = bs
            .iter()
            .map(|id| self.base_view(&[*id]).title.clone())
            .collect();
        let r_titles: Vec<Option<String>> = rs
            .iter()
            .map(|id| self.revision_view(&[*id]).title.clone())
            .collect();
        take(&mut pairs, &mut b_left, &mut r_left, &mut |bi, ri| {
            b_titles[bi].is_some() && b_titles[bi] == r_titles[ri]
        });
        if b_left.len() == 1 && r_left.len() == 1 {
            let b = self.base_view(&[bs[b_left[0]]]);
            let r = self.revision_view(&[rs[r_left[0]]]);
            let (bt, rt) = (effective_types(&b), effective_types(&r));
            let both_objects = bt.as_deref() == Some(&[InstanceType::Object]) && rt == bt;
            let share_property = b.properties.keys().any(|k| r.properties.contains_key(k));
            let unnamed = b.name.is_none() || r.name.is_none();
            if bt == rt && (!both_objects || share_property) && unnamed {
                pairs.push((b_left[0], r_left[0]));
                b_left.clear();
                r_left.clear();
            }
        }
        pairs.sort();
        (pairs, b_left, r_left)
    }

    /// A human name for a branch: its component name, its title, or its position.
    fn label(&self, types: &TypeSpace, id: SchemaId, index: usize) -> String {
        let (target, _) = types.resolve_alias(id);
        let s = types.get(target);
        s.name
            .clone()
            .or_else(|| s.title.clone())
            .unwrap_or_else(|| format!("#{index}"))
    }
}

/// Nothing differs but the nullability of the compared pair itself (which a union carries).
fn only_root_null(found: &[Found]) -> bool {
    found
        .iter()
        .all(|f| f.path.is_none() && matches!(f.item.change, SchemaChange::NullableChanged { .. }))
}

fn branch_step(composition: Composition, label: String) -> Step {
    match composition {
        Composition::AnyOf => Step::AnyOf(label),
        _ => Step::OneOf(label),
    }
}

/// The discriminator values that select a branch: explicit mappings to it, or its name.
fn discriminator_values(
    types: &TypeSpace,
    d: &crate::model::Discriminator,
    id: SchemaId,
) -> Vec<String> {
    let (target, _) = types.resolve_alias(id);
    let mut out: Vec<String> = d
        .mapping
        .iter()
        .filter(|(_, t)| types.resolve_alias(**t).0 == target)
        .map(|(k, _)| k.clone())
        .collect();
    if out.is_empty()
        && let Some(name) = &types.get(target).name
    {
        out.push(name.clone());
    }
    out
}

/// Whether a property (all schemas of a conjunction) is part of the data in a direction.
fn visible(types: &TypeSpace, ids: &[SchemaId], dir: Direction) -> bool {
    ids.iter().all(|id| types.property_visible(*id, dir))
}

/// The types a view admits, inferring `object`/`array` from keywords when `type` is absent (a
/// schema with `properties` and no `type` is an object in every generator).
pub(super) fn effective_types(v: &View) -> Option<Vec<InstanceType>> {
    if v.types.is_some() {
        return v.types.clone();
    }
    if !v.one_of.is_empty() || !v.any_of.is_empty() || !v.not.is_empty() || v.if_then_else.is_some()
    {
        return None;
    }
    if !v.properties.is_empty() || matches!(v.additional, Extra::Closed | Extra::Schemas(_)) {
        return Some(vec![InstanceType::Object]);
    }
    if !v.items.is_empty() || !v.prefix_items.is_empty() {
        return Some(vec![InstanceType::Array]);
    }
    None
}

/// Whether some value can be of both sets of types.
fn types_overlap(a: &Option<Vec<InstanceType>>, b: &Option<Vec<InstanceType>>) -> bool {
    match (a, b) {
        (None, _) | (_, None) => true,
        (Some(a), Some(b)) => a.iter().any(|t| {
            b.contains(t)
                || (*t == InstanceType::Integer && b.contains(&InstanceType::Number))
                || (*t == InstanceType::Number && b.contains(&InstanceType::Integer))
        }),
    }
}

/// Whether every value of the `inner` types is a value of the `outer` types. As text, a string
/// also covers numbers and booleans (`?limit=5` is the same request either way).
fn covers(outer: &[InstanceType], inner: &[InstanceType], carrier: Carrier) -> bool {
    inner.iter().all(|t| {
        outer.contains(t)
            || (*t == InstanceType::Integer && outer.contains(&InstanceType::Number))
            || (carrier == Carrier::Text
                && outer.contains(&InstanceType::String)
                && matches!(
                    t,
                    InstanceType::Integer | InstanceType::Number | InstanceType::Boolean
                ))
    })
}

fn type_relation(
    b: &Option<Vec<InstanceType>>,
    r: &Option<Vec<InstanceType>>,
    carrier: Carrier,
) -> Option<Relation> {
    // `Some([])` is a `type` that names nothing oaskit knows (`type: int`): any change to or
    // from it is incomparable.
    let unknown = |t: &Option<Vec<InstanceType>>| t.as_deref() == Some(&[]);
    if b != r && (unknown(b) || unknown(r)) {
        return Some(Relation::Incomparable);
    }
    match (b, r) {
        (None, None) => None,
        (None, Some(_)) => Some(Relation::Narrowed),
        (Some(_), None) => Some(Relation::Widened),
        (Some(b), Some(r)) => match (covers(r, b, carrier), covers(b, r, carrier)) {
            (true, true) => None,
            (true, false) => Some(Relation::Widened),
            (false, true) => Some(Relation::Narrowed),
            (false, false) => Some(Relation::Incomparable),
        },
    }
}

/// The values an integer format can hold.
fn integer_range(format: &str) -> Option<(i128, i128)> {
    Some(match format {
        "int8" => (i8::MIN.into(), i8::MAX.into()),
        "int16" => (i16::MIN.into(), i16::MAX.into()),
        "int32" => (i32::MIN.into(), i32::MAX.into()),
        "int64" => (i64::MIN.into(), i64::MAX.into()),
        "uint8" => (0, u8::MAX.into()),
        "uint16" => (0, u16::MAX.into()),
        "uint32" => (0, u32::MAX.into()),
        "uint64" => (0, u64::MAX.into()),
        _ => return None,
    })
}

/// The integers a view's bounds allow (exclusive bounds made inclusive).
fn integer_bounds(v: &View) -> (i128, i128) {
    let value = |n: &Number, up: bool| -> i128 {
        if let Some(i) = n.as_i64() {
            i.into()
        } else if let Some(u) = n.as_u64() {
            u.into()
        } else {
            let f = n.as_f64().unwrap_or(0.0);
            (if up { f.ceil() } else { f.floor() }) as i128
        }
    };
    let mut low = i128::MIN;
    let mut high = i128::MAX;
    if let Some(n) = &v.minimum {
        low = low.max(value(n, true));
    }
    if let Some(n) = &v.exclusive_minimum {
        low = low.max(value(n, false).saturating_add(1));
    }
    if let Some(n) = &v.maximum {
        high = high.min(value(n, false));
    }
    if let Some(n) = &v.exclusive_maximum {
        high = high.min(value(n, true).saturating_sub(1));
    }
    (low, high)
}

/// A change between integer formats judged by the values it lets through, given the bounds
/// written beside it: `int64` → `int32` with `maximum: 21600` on both sides changes no value.
/// (The bounds themselves are compared on their own.) `None` when either format is not an
/// integer size.
fn integer_format_relation(
    b: &View,
    r: &View,
    bf: Option<&str>,
    rf: Option<&str>,
) -> Option<Option<Relation>> {
    let (bf, rf) = (bf?, rf?);
    if bf == rf {
        return Some(None);
    }
    let (b_range, r_range) = (integer_range(bf)?, integer_range(rf)?);
    let clip =
        |range: (i128, i128), bounds: (i128, i128)| (range.0.max(bounds.0), range.1.min(bounds.1));
    let fits = |set: (i128, i128), range: (i128, i128)| {
        set.0 > set.1 || (range.0 <= set.0 && set.1 <= range.1)
    };
    let before = clip(b_range, integer_bounds(b));
    let after = clip(r_range, integer_bounds(r));
    let lost = !fits(before, r_range);
    let gained = !fits(after, b_range);
    Some(match (lost, gained) {
        (false, false) => None,
        (true, false) => Some(Relation::Narrowed),
        (false, true) => Some(Relation::Widened),
        (true, true) => Some(Relation::Incomparable),
    })
}

fn format_relation(b: Option<&str>, r: Option<&str>) -> Option<Relation> {
    const WIDENINGS: [(&str, &str); 2] = [("int32", "int64"), ("float", "double")];
    match (b, r) {
        (None, None) => None,
        (Some(x), Some(y)) if x == y => None,
        (None, Some(_)) => Some(Relation::Narrowed),
        (Some(_), None) => Some(Relation::Widened),
        (Some(x), Some(y)) => {
            if WIDENINGS.contains(&(x, y)) {
                Some(Relation::Widened)
            } else if WIDENINGS.contains(&(y, x)) {
                Some(Relation::Narrowed)
            } else {
                Some(Relation::Incomparable)
            }
        }
    }
}

/// Patterns that constrain something (`.*` accepts every string).
fn meaningful_patterns(patterns: &[String]) -> Vec<&String> {
    const ANY: [&str; 7] = ["", ".*", "^.*$", "^.*", ".*$", "(.*)", "^(.*)$"];
    let mut out: Vec<&String> = patterns
        .iter()
        .filter(|p| !ANY.contains(&p.as_str()))
        .collect();
    out.sort();
    out
}

/// JSON equality where `1` and `1.0` are the same number.
pub(super) fn same_value(a: &Value, b: &Value) -> bool {
    match (a, b) {
        (Value::Number(x), Value::Number(y)) => x == y || x.as_f64() == y.as_f64(),
        (Value::Array(x), Value::Array(y)) => {
            x.len() == y.len() && x.iter().zip(y).all(|(a, b)| same_value(a, b))
        }
        (Value::Object(x), Value::Object(y)) => {
            x.len() == y.len()
                && x.iter()
                    .all(|(k, v)| y.get(k).is_some_and(|w| same_value(v, w)))
        }
        _ => a == b,
    }
}

fn same_option_value(a: &Option<Value>, b: &Option<Value>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => same_value(x, y),
        _ => false,
    }
}

fn same_number(a: &Option<Number>, b: &Option<Number>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => x == y || x.as_f64() == y.as_f64(),
        _ => false,
    }
}

/// The values of `a` that are not in `b`.
fn minus(a: &[Value], b: &[Value]) -> Vec<Value> {
    a.iter()
        .filter(|v| !b.iter().any(|w| same_value(v, w)))
        .cloned()
        .collect()
}
