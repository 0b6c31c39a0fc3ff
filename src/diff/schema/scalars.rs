//! Types, formats, values and bounds of one schema node: which way a type or format change goes
//! (by the values each side accepts), enums, consts, defaults, numeric and size bounds.

use super::*;

impl SchemaDiffer<'_> {
    /// A text parameter that became an array (`?token=a` → `?token=a&token=b`): a single value is
    /// still a valid array of one, so this widens when the items accept what the scalar did.
    pub(super) fn scalar_to_array(
        &mut self,
        b_ids: &[SchemaId],
        b: &MergedView,
        r: &MergedView,
        dir: Direction,
        acc: &mut Acc,
    ) -> bool {
        let scalar = |v: &MergedView| {
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

    pub(super) fn compare_type(&self, b: &MergedView, r: &MergedView, acc: &mut Acc) {
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
            // On strings likewise: only a format that restricts the values (`uuid`, `date`) or
            // changes the generated type (`binary`) counts; `password`, `unixtime` do not.
            _ if admits_string(types) => own.clone().filter(|f| string_format_counts(f)),
            _ => None,
        };
        let (bf, rf) = (sized(&bt, &b.format), sized(&rt, &r.format));
        let relation = match type_relation(&bt, &rt, self.carrier) {
            // A parameter `integer` → `string` + `format: uuid` accepts text it refused, and
            // refuses every number it accepted: judged by the values, not the type alone.
            Some(relation) => Some(match rf.as_deref() {
                Some(f) if bf.as_deref() != Some(f) && string_format_restricts(f) => {
                    relation.and(Relation::Narrowed)
                }
                _ => relation,
            }),
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

    /// Enums, consts and defaults, compared by their wire form (see [`same_wire_value`]).
    pub(super) fn compare_values(&self, b: &MergedView, r: &MergedView, acc: &mut Acc) {
        let carrier = self.carrier;
        let minus = |a: &[Value], b: &[Value]| -> Vec<Value> {
            a.iter()
                .filter(|v| !b.iter().any(|w| same_wire_value(v, w, carrier)))
                .cloned()
                .collect()
        };
        let same_option_value = |a: &Option<Value>, b: &Option<Value>| match (a, b) {
            (None, None) => true,
            (Some(x), Some(y)) => same_wire_value(x, y, carrier),
            _ => false,
        };
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

    pub(super) fn compare_bound(
        &self,
        b: &MergedView,
        r: &MergedView,
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

    pub(super) fn compare_size(
        &self,
        b: &MergedView,
        r: &MergedView,
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
}

/// The types a view admits, inferring `object`/`array` from keywords when `type` is absent (a
/// schema with `properties` and no `type` is an object in every generator).
pub(in crate::diff) fn effective_types(v: &MergedView) -> Option<Vec<InstanceType>> {
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
pub(super) fn types_overlap(a: &Option<Vec<InstanceType>>, b: &Option<Vec<InstanceType>>) -> bool {
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
pub(super) fn covers(outer: &[InstanceType], inner: &[InstanceType], carrier: Carrier) -> bool {
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

pub(super) fn type_relation(
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
pub(super) fn integer_range(format: &str) -> Option<(i128, i128)> {
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
pub(super) fn integer_bounds(v: &MergedView) -> (i128, i128) {
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
pub(super) fn integer_format_relation(
    b: &MergedView,
    r: &MergedView,
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

/// Whether a view's values can be strings (a `format` applies to them).
fn admits_string(types: &Option<Vec<InstanceType>>) -> bool {
    types
        .as_deref()
        .is_none_or(|ts| ts.contains(&InstanceType::String))
}

/// A string format that restricts the values a schema accepts: the ones the generated server
/// asserts (`crate::codegen::rust::asserts_string_format`, one list for both).
fn string_format_restricts(format: &str) -> bool {
    crate::codegen::rust::asserts_string_format(format)
}

/// A string format the diff compares: one that restricts the values, or `binary`, which makes
/// the generated type a `Blob` / bytes. Every other format is an annotation.
fn string_format_counts(format: &str) -> bool {
    format == "binary" || string_format_restricts(format)
}

pub(super) fn format_relation(b: Option<&str>, r: Option<&str>) -> Option<Relation> {
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
pub(super) fn meaningful_patterns(patterns: &[String]) -> Vec<&String> {
    const ANY: [&str; 7] = ["", ".*", "^.*$", "^.*", ".*$", "(.*)", "^(.*)$"];
    let mut out: Vec<&String> = patterns
        .iter()
        .filter(|p| !ANY.contains(&p.as_str()))
        .collect();
    out.sort();
    out
}

/// JSON equality where `1` and `1.0` are the same number.
pub(in crate::diff) fn same_value(a: &Value, b: &Value) -> bool {
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

/// Whether two values are the same on the wire: in a body, the same JSON value; in a parameter
/// or a header, which are text, the same characters (a query default `20` and `"20"` are both
/// `limit=20`).
pub(super) fn same_wire_value(a: &Value, b: &Value, carrier: Carrier) -> bool {
    let scalar = |v: &Value| !v.is_array() && !v.is_object();
    same_value(a, b)
        || (carrier == Carrier::Text
            && scalar(a)
            && scalar(b)
            && super::super::merged_view::scalar_text(a)
                == super::super::merged_view::scalar_text(b))
}

pub(super) fn same_number(a: &Option<Number>, b: &Option<Number>) -> bool {
    match (a, b) {
        (None, None) => true,
        (Some(x), Some(y)) => x == y || x.as_f64() == y.as_f64(),
        _ => false,
    }
}
