//! Arrays and objects: items, tuples and `contains`; properties added, removed, required,
//! visible from a side, and `additionalProperties`.

use super::*;

impl SchemaDiffer<'_> {
    pub(super) fn compare_arrays(
        &mut self,
        b: &MergedView,
        r: &MergedView,
        dir: Direction,
        acc: &mut Acc,
    ) {
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

    pub(super) fn compare_objects(
        &mut self,
        b: &MergedView,
        r: &MergedView,
        dir: Direction,
        acc: &mut Acc,
    ) {
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

    pub(super) fn compare_property(
        &mut self,
        b: &MergedView,
        r: &MergedView,
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
    pub(super) fn compare_extra(
        &mut self,
        b: &MergedView,
        r: &MergedView,
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
    pub(super) fn optional_subschema(
        &mut self,
        b: &MergedView,
        r: &MergedView,
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
}

/// Whether a property (all schemas of a conjunction) is part of the data in a direction.
pub(super) fn visible(types: &TypeSpace, ids: &[SchemaId], dir: Direction) -> bool {
    ids.iter().all(|id| types.property_visible(*id, dir))
}
