//! `oneOf` / `anyOf` / `allOf` and discriminators: branches matched across versions, a schema
//! wrapped in or unwrapped from a union, nested unions, and the nullability a union carries.

use super::*;

impl SchemaDiffer<'_> {
    /// The union's own nullability against the plain schema's, beside a (un)wrapping.
    pub(super) fn union_nullable(&self, b: &MergedView, r: &MergedView, acc: &mut Acc) {
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

    /// A plain schema that became a `oneOf`/`anyOf` (or the reverse): reported as such, and
    /// compared with the closest branch rather than with the union as a whole.
    pub(super) fn wrapping(
        &mut self,
        b_ids: &[SchemaId],
        b: &MergedView,
        r_ids: &[SchemaId],
        r: &MergedView,
        dir: Direction,
        acc: &mut Acc,
    ) -> bool {
        let plain = |v: &MergedView| v.one_of.is_empty() && v.any_of.is_empty();
        let union = |v: &MergedView| !plain(v) && v.properties.is_empty();
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
    pub(super) fn overlaps_other_branch(
        &mut self,
        plain: &MergedView,
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
    pub(super) fn nested_union(
        &mut self,
        b_ids: &[SchemaId],
        b: &MergedView,
        r_ids: &[SchemaId],
        r: &MergedView,
        dir: Direction,
        acc: &mut Acc,
    ) -> bool {
        let (b_kind, b_branches) = union_kind(b);
        let (r_kind, r_branches) = union_kind(r);
        if b_kind == r_kind && b_branches.len() == r_branches.len() {
            return false;
        }
        let is_union = |v: &MergedView| !v.one_of.is_empty() || !v.any_of.is_empty();
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

    pub(super) fn compare_composition(
        &mut self,
        b: &MergedView,
        r: &MergedView,
        dir: Direction,
        acc: &mut Acc,
    ) {
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
        let parts = |v: &MergedView| match v.if_then_else {
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

    pub(super) fn compare_discriminator(&self, b: &MergedView, r: &MergedView, acc: &mut Acc) {
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
    pub(super) fn match_branches(
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
    pub(super) fn label(&self, types: &TypeSpace, id: SchemaId, index: usize) -> String {
        let (target, _) = types.resolve_alias(id);
        let s = types.get(target);
        s.name
            .clone()
            .or_else(|| s.title.clone())
            .unwrap_or_else(|| format!("#{index}"))
    }
}

/// Nothing differs but the nullability of the compared pair itself (which a union carries).
pub(super) fn only_root_null(found: &[Found]) -> bool {
    found
        .iter()
        .all(|f| f.path.is_none() && matches!(f.item.change, SchemaChange::NullableChanged { .. }))
}

pub(super) fn branch_step(composition: Composition, label: String) -> Step {
    match composition {
        Composition::AnyOf => Step::AnyOf(label),
        _ => Step::OneOf(label),
    }
}

/// The discriminator values that select a branch: explicit mappings to it, or its name.
pub(super) fn discriminator_values(
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
