//! YAML 1.2 (core schema) to `serde_json::Value` plus its source map, so both formats reach oaskit as one tree type.

use super::parse::ParseError;
use super::sourcemap::{NodePos, NodePositions, to_u32};
use saphyr_parser::{Event, Marker, Parser, ScalarStyle, ScanError, Tag};
use serde_json::{Map, Number, Value};
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

/// Containers nested inside each other; `serde_json` refuses the 128th, and so do we.
const MAX_NESTING: usize = 127;
pub(crate) const NESTING_MESSAGE: &str = "nesting deeper than 128 levels";

/// How far aliases may expand a document: to max(`min_nodes`, `factor` × the nodes written
/// literally in the file) nodes in all. Expansion is eager, so it is cheap up to
/// `count_after` expanded nodes; past that, one counting pass over the whole event stream (no
/// values built) decides with the file's final literal count before anything more is copied.
/// An alias bomb is thus refused after copying at most `count_after` nodes.
///
/// Nodes are not the whole cost: one alias of a 1 MB string is one node. Aliases may also copy
/// at most max(`min_bytes`, `factor` × the file's length) bytes of scalars (keys included), so a
/// 5 MB file cannot expand to gigabytes of strings.
#[derive(Debug, Clone, Copy)]
pub(crate) struct AliasLimits {
    pub(crate) min_nodes: u64,
    pub(crate) factor: u64,
    pub(crate) count_after: u64,
    pub(crate) min_bytes: u64,
}

impl AliasLimits {
    pub(crate) const DEFAULT: AliasLimits = AliasLimits {
        min_nodes: 1_000_000,
        factor: 10,
        count_after: 100_000,
        min_bytes: 16 * 1024 * 1024,
    };

    fn budget(&self, literal_nodes: u64) -> u64 {
        self.min_nodes
            .max(self.factor.saturating_mul(literal_nodes))
    }

    fn byte_budget(&self, text_len: usize) -> u64 {
        self.min_bytes
            .max(self.factor.saturating_mul(text_len as u64))
    }
}

const CORE_TAG_PREFIX: &str = "tag:yaml.org,2002:";

/// Parses one YAML document. Errors on streams with no document or more than one.
pub(crate) fn parse_yaml(text: &str) -> Result<(Value, NodePositions), ParseError> {
    parse_yaml_with(text, AliasLimits::DEFAULT)
}

pub(crate) fn parse_yaml_with(
    text: &str,
    limits: AliasLimits,
) -> Result<(Value, NodePositions), ParseError> {
    let mut parser = Parser::new_from_str(text);
    let mut builder = Builder {
        text,
        limits,
        nodes: Vec::new(),
        stack: Vec::new(),
        anchors: HashMap::new(),
        expanded_nodes: 0,
        expansion_checked: false,
        value_bytes: 0,
        expanded_bytes: 0,
        root: None,
        root_is_blank: false,
    };
    let mut documents = 0u32;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(scan_error)?;
        match event {
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
            Event::StreamEnd => break,
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    return Err(error_at(
                        "the file holds more than one YAML document; an OpenAPI document must be alone in its file",
                        span.start,
                    ));
                }
            }
            Event::Scalar(text, style, anchor, tag) => {
                builder.scalar(text, style, anchor, tag.as_deref(), span.start)?;
            }
            Event::Alias(id) => builder.alias(id, span.start)?,
            Event::SequenceStart(anchor, _) => builder.open(anchor, span.start, false)?,
            Event::MappingStart(anchor, _) => builder.open(anchor, span.start, true)?,
            Event::SequenceEnd | Event::MappingEnd => builder.close()?,
        }
    }
    match builder.root {
        Some(root) if !builder.root_is_blank => {
            Ok((root, NodePositions::from_nodes(builder.nodes)))
        }
        _ => Err(ParseError {
            message: "the file is empty".to_owned(),
            line: 1,
            column: 1,
        }),
    }
}

/// The counting pass: node counts only, every alias adding its anchor's whole subtree. Errors
/// at the first alias past which the document exceeds its budget.
fn check_alias_expansion(text: &str, limits: AliasLimits) -> Result<(), ParseError> {
    let mut parser = Parser::new_from_str(text);
    let mut anchor_sizes: HashMap<usize, u64> = HashMap::new();
    let mut open: Vec<(usize, u64)> = Vec::new();
    let mut literal = 0u64;
    let mut total = 0u64;
    // Aliases after which the total passed the smallest possible budget.
    let mut crossings: Vec<(u64, Marker)> = Vec::new();
    let mut documents = 0u32;
    while let Some(next) = parser.next_event() {
        let (event, span) = next.map_err(scan_error)?;
        match event {
            Event::DocumentStart(_) => {
                documents += 1;
                if documents > 1 {
                    break;
                }
            }
            Event::StreamEnd => break,
            Event::Scalar(_, _, anchor, _) => {
                literal += 1;
                total = total.saturating_add(1);
                if anchor != 0 {
                    anchor_sizes.insert(anchor, 1);
                }
            }
            Event::SequenceStart(anchor, _) | Event::MappingStart(anchor, _) => {
                open.push((anchor, total));
                literal += 1;
                total = total.saturating_add(1);
            }
            Event::SequenceEnd | Event::MappingEnd => {
                if let Some((anchor, before)) = open.pop()
                    && anchor != 0
                {
                    anchor_sizes.insert(anchor, total - before);
                }
            }
            Event::Alias(id) => {
                total = total.saturating_add(anchor_sizes.get(&id).copied().unwrap_or(0));
                if total > limits.min_nodes {
                    crossings.push((total, span.start));
                }
            }
            Event::StreamStart | Event::Nothing | Event::DocumentEnd => {}
        }
    }
    let budget = limits.budget(literal);
    match crossings.iter().find(|(total, _)| *total > budget) {
        Some(&(_, marker)) => Err(error_at(
            &format!("YAML aliases expand to more than {budget} nodes (alias bomb?)"),
            marker,
        )),
        None => Ok(()),
    }
}

fn scan_error(error: ScanError) -> ParseError {
    error_at(&format!("invalid YAML: {}", error.info()), *error.marker())
}

fn error_at(message: &str, marker: Marker) -> ParseError {
    let (line, column) = position(marker);
    ParseError {
        message: message.to_owned(),
        line,
        column,
    }
}

fn position(marker: Marker) -> (u32, u32) {
    (
        to_u32(marker.line()),
        to_u32(marker.col()).saturating_add(1),
    )
}

/// A node with an anchor, kept to expand the aliases that name it.
struct Anchored {
    value: Value,
    nodes: u64,
    /// Bytes of the scalars (keys included) in it.
    bytes: u64,
    height: usize,
}

/// A mapping or sequence whose end has not been seen yet.
struct Open {
    /// Index of the container's own entry in the position table.
    node: usize,
    anchor: usize,
    /// [`Builder::value_bytes`] when it opened.
    bytes_before: u64,
    /// Containers below it (0 = only scalars).
    height: usize,
    kind: OpenKind,
}

enum OpenKind {
    Sequence(Vec<Value>),
    Mapping(OpenMapping),
}

#[derive(Default)]
struct OpenMapping {
    map: Map<String, Value>,
    key: Option<PendingKey>,
    /// `<<` entries, applied when the mapping ends (explicit keys win, wherever they are).
    merges: Vec<Merge>,
    merge_key_line: Option<u32>,
}

struct PendingKey {
    name: String,
    line: u32,
    column: u32,
    is_merge: bool,
}

struct Merge {
    /// Explicit members before the `<<` key: merged entries go there.
    after: usize,
    /// The merged value's range in the position table.
    start: usize,
    end: usize,
    value: Value,
    line: u32,
    column: u32,
}

struct Builder<'t> {
    text: &'t str,
    limits: AliasLimits,
    nodes: Vec<NodePos>,
    stack: Vec<Open>,
    anchors: HashMap<usize, Anchored>,
    expanded_nodes: u64,
    /// The counting pass ran and found the whole document within its budget.
    expansion_checked: bool,
    /// Bytes of every scalar in the tree so far, keys and alias copies included.
    value_bytes: u64,
    /// Bytes copied by aliases.
    expanded_bytes: u64,
    root: Option<Value>,
    root_is_blank: bool,
}

impl Builder<'_> {
    fn expects_key(&self) -> bool {
        matches!(
            self.stack.last(),
            Some(Open {
                kind: OpenKind::Mapping(OpenMapping { key: None, .. }),
                ..
            })
        )
    }

    /// A member is recorded at its key, anything else at its own first character.
    fn value_position(&self, marker: Marker) -> (u32, u32) {
        match self.stack.last() {
            Some(Open {
                kind: OpenKind::Mapping(OpenMapping { key: Some(key), .. }),
                ..
            }) => (key.line, key.column),
            _ => position(marker),
        }
    }

    fn scalar(
        &mut self,
        text: Cow<'_, str>,
        style: ScalarStyle,
        anchor: usize,
        tag: Option<&Tag>,
        marker: Marker,
    ) -> Result<(), ParseError> {
        let is_merge_key = style == ScalarStyle::Plain
            && text == "<<"
            && tag.is_none_or(|tag| core_tag(tag) == Some("merge"));
        let is_blank =
            text.is_empty() && style == ScalarStyle::Plain && tag.is_none() && anchor == 0;
        let bytes = text.len() as u64;
        self.value_bytes = self.value_bytes.saturating_add(bytes);
        let value = resolve_scalar(text, style, tag);
        if anchor != 0 {
            self.anchors.insert(
                anchor,
                Anchored {
                    value: value.clone(),
                    nodes: 1,
                    bytes,
                    height: 0,
                },
            );
        }
        if self.expects_key() {
            return self.set_key(key_string(value), marker, is_merge_key);
        }
        let (line, column) = self.value_position(marker);
        let start = self.nodes.len();
        self.nodes.push(NodePos {
            line,
            column,
            size: 1,
        });
        if self.stack.is_empty() {
            self.root_is_blank = is_blank;
        }
        self.attach(value, 0, start, marker)
    }

    fn alias(&mut self, id: usize, marker: Marker) -> Result<(), ParseError> {
        let Some(anchored) = self.anchors.get(&id) else {
            return Err(error_at(
                "this alias refers to a node that contains it (recursive alias)",
                marker,
            ));
        };
        let bytes = anchored.bytes;
        self.value_bytes = self.value_bytes.saturating_add(bytes);
        self.expanded_bytes = self.expanded_bytes.saturating_add(bytes);
        let byte_budget = self.limits.byte_budget(self.text.len());
        if self.expanded_bytes > byte_budget {
            return Err(error_at(
                &format!(
                    "YAML aliases copy more than {} of text (alias bomb?)",
                    super::limits::describe_bytes(byte_budget)
                ),
                marker,
            ));
        }
        if self.expects_key() {
            let name = match &anchored.value {
                Value::Object(_) | Value::Array(_) => return Err(complex_key_error(marker)),
                scalar => key_string(scalar.clone()),
            };
            return self.set_key(name, marker, false);
        }
        self.expanded_nodes = self.expanded_nodes.saturating_add(anchored.nodes);
        if !self.expansion_checked && self.expanded_nodes > self.limits.count_after {
            check_alias_expansion(self.text, self.limits)?;
            self.expansion_checked = true;
        }
        if self.stack.len() + anchored.height > MAX_NESTING {
            return Err(error_at(NESTING_MESSAGE, marker));
        }
        let height = anchored.height;
        let value = anchored.value.clone();
        let (line, column) = self.value_position(marker);
        let start = self.nodes.len();
        self.nodes.push(NodePos {
            line,
            column,
            size: 1,
        });
        let (line, column) = position(marker);
        push_copy_positions(&value, line, column, &mut self.nodes);
        let size = to_u32(self.nodes.len() - start);
        if let Some(entry) = self.nodes.get_mut(start) {
            entry.size = size;
        }
        self.attach(value, height, start, marker)
    }

    fn open(&mut self, anchor: usize, marker: Marker, is_mapping: bool) -> Result<(), ParseError> {
        if self.expects_key() {
            return Err(complex_key_error(marker));
        }
        if self.stack.len() >= MAX_NESTING {
            return Err(error_at(NESTING_MESSAGE, marker));
        }
        let (line, column) = self.value_position(marker);
        let node = self.nodes.len();
        self.nodes.push(NodePos {
            line,
            column,
            size: 1,
        });
        let kind = if is_mapping {
            OpenKind::Mapping(OpenMapping::default())
        } else {
            OpenKind::Sequence(Vec::new())
        };
        self.stack.push(Open {
            node,
            anchor,
            bytes_before: self.value_bytes,
            height: 1,
            kind,
        });
        Ok(())
    }

    fn close(&mut self) -> Result<(), ParseError> {
        let Some(open) = self.stack.pop() else {
            return Err(internal_error());
        };
        let value = match open.kind {
            OpenKind::Sequence(items) => Value::Array(items),
            OpenKind::Mapping(mapping) if mapping.merges.is_empty() => Value::Object(mapping.map),
            OpenKind::Mapping(mapping) => self.apply_merges(open.node, mapping)?,
        };
        let size = self.nodes.len() - open.node;
        let Some(entry) = self.nodes.get_mut(open.node) else {
            return Err(internal_error());
        };
        entry.size = to_u32(size);
        let marker = Marker::new(
            0,
            entry.line as usize,
            entry.column.saturating_sub(1) as usize,
        );
        if open.anchor != 0 {
            self.anchors.insert(
                open.anchor,
                Anchored {
                    value: value.clone(),
                    nodes: size as u64,
                    bytes: self.value_bytes.saturating_sub(open.bytes_before),
                    height: open.height,
                },
            );
        }
        self.attach(value, open.height, open.node, marker)
    }

    fn set_key(&mut self, name: String, marker: Marker, is_merge: bool) -> Result<(), ParseError> {
        let (line, column) = position(marker);
        let Some(Open {
            kind: OpenKind::Mapping(mapping),
            node,
            ..
        }) = self.stack.last_mut()
        else {
            return Err(internal_error());
        };
        let first_line = if is_merge {
            mapping.merge_key_line
        } else if mapping.map.contains_key(&name) {
            first_member_line(&self.nodes, *node, mapping, &name)
        } else {
            None
        };
        if let Some(first_line) = first_line {
            let shown = if is_merge { "<<" } else { name.as_str() };
            return Err(error_at(
                &format!(
                    "duplicate key `{shown}` at line {line}; it is already defined at line {first_line}"
                ),
                marker,
            ));
        }
        if is_merge {
            mapping.merge_key_line = Some(line);
        }
        mapping.key = Some(PendingKey {
            name,
            line,
            column,
            is_merge,
        });
        Ok(())
    }

    /// Hands a finished node (whose positions start at `start`) to its parent.
    fn attach(
        &mut self,
        value: Value,
        height: usize,
        start: usize,
        marker: Marker,
    ) -> Result<(), ParseError> {
        let end = self.nodes.len();
        let Some(parent) = self.stack.last_mut() else {
            self.root = Some(value);
            return Ok(());
        };
        match &mut parent.kind {
            OpenKind::Sequence(items) => {
                items.push(value);
                parent.height = parent.height.max(height + 1);
            }
            OpenKind::Mapping(mapping) => {
                let Some(key) = mapping.key.take() else {
                    return Err(error_at("a mapping value without a key", marker));
                };
                if key.is_merge {
                    // Merged entries sit one level above their container in `value`.
                    let merged_height = match &value {
                        Value::Array(_) => height.saturating_sub(1),
                        _ => height,
                    };
                    parent.height = parent.height.max(merged_height);
                    mapping.merges.push(Merge {
                        after: mapping.map.len(),
                        start,
                        end,
                        value,
                        line: key.line,
                        column: key.column,
                    });
                } else {
                    mapping.map.insert(key.name, value);
                    parent.height = parent.height.max(height + 1);
                }
            }
        }
        Ok(())
    }

    /// Builds the mapping with its `<<` entries merged in at the place of the `<<` key: keys set
    /// explicitly anywhere in the mapping win, then earlier merge sources over later ones.
    fn apply_merges(&mut self, node: usize, mapping: OpenMapping) -> Result<Value, ParseError> {
        let nodes_end = self.nodes.len();
        let mut ranges = Vec::with_capacity(mapping.map.len());
        let mut cursor = node + 1;
        let mut merges = mapping.merges.iter().peekable();
        while cursor < nodes_end {
            if let Some(merge) = merges.next_if(|merge| merge.start == cursor) {
                cursor = merge.end;
                continue;
            }
            let end = cursor + size_at(&self.nodes, cursor)?;
            ranges.push((cursor, end));
            cursor = end;
        }
        if ranges.len() != mapping.map.len() {
            return Err(internal_error());
        }
        let explicit: HashSet<String> = mapping.map.keys().cloned().collect();
        let mut merged = Merger {
            explicit: &explicit,
            nodes: &self.nodes,
            map: Map::with_capacity(mapping.map.len()),
            positions: Vec::with_capacity(nodes_end - node),
        };
        let mut merges = mapping.merges.into_iter().peekable();
        for (i, ((key, value), (start, end))) in mapping.map.into_iter().zip(ranges).enumerate() {
            while let Some(merge) = merges.next_if(|merge| merge.after == i) {
                merged.merge(merge)?;
            }
            merged.map.insert(key, value);
            merged
                .positions
                .extend_from_slice(self.nodes.get(start..end).unwrap_or(&[]));
        }
        for merge in merges {
            merged.merge(merge)?;
        }
        let Merger { map, positions, .. } = merged;
        self.nodes.truncate(node + 1);
        self.nodes.extend_from_slice(&positions);
        Ok(Value::Object(map))
    }
}

struct Merger<'a> {
    explicit: &'a HashSet<String>,
    nodes: &'a [NodePos],
    map: Map<String, Value>,
    positions: Vec<NodePos>,
}

impl Merger<'_> {
    fn merge(&mut self, merge: Merge) -> Result<(), ParseError> {
        let not_mergeable = || ParseError {
            message: "the value of the merge key `<<` must be a mapping or a list of mappings"
                .to_owned(),
            line: merge.line,
            column: merge.column,
        };
        match merge.value {
            Value::Object(source) => self.merge_mapping(source, merge.start),
            Value::Array(items) => {
                let mut cursor = merge.start + 1;
                for item in items {
                    let size = size_at(self.nodes, cursor)?;
                    match item {
                        Value::Object(source) => self.merge_mapping(source, cursor)?,
                        _ => return Err(not_mergeable()),
                    }
                    cursor += size;
                }
                Ok(())
            }
            _ => Err(not_mergeable()),
        }
    }

    fn merge_mapping(&mut self, source: Map<String, Value>, node: usize) -> Result<(), ParseError> {
        let mut cursor = node + 1;
        for (key, value) in source {
            let size = size_at(self.nodes, cursor)?;
            if !self.explicit.contains(&key) && !self.map.contains_key(&key) {
                self.map.insert(key, value);
                self.positions
                    .extend_from_slice(self.nodes.get(cursor..cursor + size).unwrap_or(&[]));
            }
            cursor += size;
        }
        Ok(())
    }
}

fn size_at(nodes: &[NodePos], index: usize) -> Result<usize, ParseError> {
    match nodes.get(index) {
        Some(pos) if pos.size > 0 => Ok(pos.size as usize),
        _ => Err(internal_error()),
    }
}

/// Line of an explicit member already in an open mapping (walks sibling sizes, skipping `<<`
/// ranges; only used to word an error).
fn first_member_line(
    nodes: &[NodePos],
    node: usize,
    mapping: &OpenMapping,
    name: &str,
) -> Option<u32> {
    let index = mapping.map.keys().position(|key| key == name)?;
    let mut cursor = node + 1;
    let mut explicit = 0;
    let mut merges = mapping.merges.iter().peekable();
    loop {
        if let Some(merge) = merges.next_if(|merge| merge.start == cursor) {
            cursor = merge.end;
            continue;
        }
        let pos = nodes.get(cursor)?;
        if explicit == index {
            return Some(pos.line);
        }
        if pos.size == 0 {
            return None;
        }
        cursor += pos.size as usize;
        explicit += 1;
    }
}

/// Every node below an expanded alias is recorded at the alias (the copy's own node is
/// recorded by the caller: at its key when it is a member).
fn push_copy_positions(value: &Value, line: u32, column: u32, nodes: &mut Vec<NodePos>) {
    match value {
        Value::Array(items) => items
            .iter()
            .for_each(|item| push_copy(item, line, column, nodes)),
        Value::Object(map) => map
            .values()
            .for_each(|item| push_copy(item, line, column, nodes)),
        _ => {}
    }
}

fn push_copy(value: &Value, line: u32, column: u32, nodes: &mut Vec<NodePos>) {
    let index = nodes.len();
    nodes.push(NodePos {
        line,
        column,
        size: 1,
    });
    push_copy_positions(value, line, column, nodes);
    let size = to_u32(nodes.len() - index);
    if let Some(entry) = nodes.get_mut(index) {
        entry.size = size;
    }
}

fn complex_key_error(marker: Marker) -> ParseError {
    error_at(
        "a mapping or sequence cannot be used as a mapping key (JSON and OpenAPI keys are strings)",
        marker,
    )
}

fn internal_error() -> ParseError {
    ParseError {
        message: "internal error: unbalanced YAML events".to_owned(),
        line: 1,
        column: 1,
    }
}

/// Keys become strings: `200` → "200", `true` → "true", null → "null".
fn key_string(value: Value) -> String {
    match value {
        Value::String(text) => text,
        Value::Null => "null".to_owned(),
        other => other.to_string(),
    }
}

/// The suffix of a YAML core-schema tag (`!!str` → "str"), `"!"` for the non-specific tag `!`,
/// `None` for any other tag.
fn core_tag(tag: &Tag) -> Option<&str> {
    if tag.handle == CORE_TAG_PREFIX {
        Some(tag.suffix.as_str())
    } else if tag.handle.is_empty() {
        if tag.suffix == "!" {
            Some("!")
        } else {
            tag.suffix.strip_prefix(CORE_TAG_PREFIX)
        }
    } else {
        None
    }
}

fn resolve_scalar(text: Cow<'_, str>, style: ScalarStyle, tag: Option<&Tag>) -> Value {
    let coerced = match tag.and_then(core_tag) {
        Some("str" | "!") => return Value::String(text.into_owned()),
        Some("null") if text.is_empty() || is_null(&text) => Some(Value::Null),
        Some("bool") => parse_bool(&text).map(Value::Bool),
        Some("int") => parse_int(&text),
        Some("float") => parse_float(&text).or_else(|| {
            parse_int(&text)
                .and_then(|n| n.as_f64())
                .and_then(Number::from_f64)
                .map(Value::Number)
        }),
        _ => None,
    };
    if let Some(value) = coerced {
        return value;
    }
    if style != ScalarStyle::Plain {
        return Value::String(text.into_owned());
    }
    resolve_plain(text)
}

fn is_null(text: &str) -> bool {
    matches!(text, "" | "~" | "null" | "Null" | "NULL")
}

fn parse_bool(text: &str) -> Option<bool> {
    match text {
        "true" | "True" | "TRUE" => Some(true),
        "false" | "False" | "FALSE" => Some(false),
        _ => None,
    }
}

/// YAML 1.2 core schema resolution of a plain scalar. `.inf` and `.nan` stay strings: JSON
/// cannot hold them.
fn resolve_plain(text: Cow<'_, str>) -> Value {
    if is_null(&text) {
        return Value::Null;
    }
    if let Some(b) = parse_bool(&text) {
        return Value::Bool(b);
    }
    let numeric_start = text
        .as_bytes()
        .first()
        .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'-' | b'+' | b'.'));
    if numeric_start && let Some(number) = parse_int(&text).or_else(|| parse_float(&text)) {
        return number;
    }
    Value::String(text.into_owned())
}

/// Decimal (signed), `0x` and `0o` integers; i64 or u64, else f64.
fn parse_int(text: &str) -> Option<Value> {
    let (digits, radix) = if let Some(hex) = text.strip_prefix("0x") {
        (hex, 16)
    } else if let Some(octal) = text.strip_prefix("0o") {
        (octal, 8)
    } else {
        let unsigned = text.strip_prefix(['-', '+']).unwrap_or(text);
        if unsigned.is_empty() || !unsigned.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        if let Ok(n) = text.parse::<i64>() {
            return Some(Value::Number(n.into()));
        }
        if let Ok(n) = unsigned.parse::<u64>()
            && !text.starts_with('-')
        {
            return Some(Value::Number(n.into()));
        }
        return float_value(text.parse::<f64>().ok()?);
    };
    if digits.is_empty() || !digits.chars().all(|c| c.is_digit(radix)) {
        return None;
    }
    match u64::from_str_radix(digits, radix) {
        Ok(n) => Some(Value::Number(n.into())),
        Err(_) => {
            let big = digits
                .chars()
                .filter_map(|c| c.to_digit(radix))
                .fold(0f64, |acc, d| acc * f64::from(radix) + f64::from(d));
            float_value(big)
        }
    }
}

/// `[-+]? (\.[0-9]+ | [0-9]+ (\.[0-9]*)?) ([eE][-+]?[0-9]+)?`
fn parse_float(text: &str) -> Option<Value> {
    let bytes = text.as_bytes();
    let mut i = usize::from(matches!(bytes.first(), Some(b'-' | b'+')));
    let count_digits = |i: &mut usize| {
        let start = *i;
        while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
            *i += 1;
        }
        *i - start
    };
    let integer_digits = count_digits(&mut i);
    if bytes.get(i) == Some(&b'.') {
        i += 1;
        let fraction_digits = count_digits(&mut i);
        if integer_digits == 0 && fraction_digits == 0 {
            return None;
        }
    } else if integer_digits == 0 {
        return None;
    }
    if matches!(bytes.get(i), Some(b'e' | b'E')) {
        i += 1;
        if matches!(bytes.get(i), Some(b'-' | b'+')) {
            i += 1;
        }
        if count_digits(&mut i) == 0 {
            return None;
        }
    }
    if i != bytes.len() {
        return None;
    }
    float_value(text.parse::<f64>().ok()?)
}

fn float_value(f: f64) -> Option<Value> {
    Number::from_f64(f).map(Value::Number)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::{Duration, Instant};

    fn yaml(text: &str) -> (Value, NodePositions) {
        parse_yaml(text).unwrap_or_else(|e| panic!("{e:?} in {text:?}"))
    }

    fn yaml_error(text: &str) -> ParseError {
        match parse_yaml(text) {
            Ok((value, _)) => panic!("expected an error, got {value}"),
            Err(error) => error,
        }
    }

    #[test]
    fn core_schema_scalars() {
        let (v, _) = yaml(
            "n1: null\nn2: Null\nn3: ~\nn4:\nb1: true\nb2: FALSE\nb3: yes\n\
             i1: 42\ni2: -7\ni3: +3\ni4: 0x1F\ni5: 0o17\ni6: 18446744073709551615\n\
             i7: 99999999999999999999\ni8: 012\n\
             f1: 1.5\nf2: 1e3\nf3: .5\nf4: -2.5E-2\nf5: 1.\n\
             s1: .inf\ns2: -.Inf\ns3: .nan\ns4: 1_000\ns5: 0x\ns6: '12'\ns7: \"true\"\ns8: |\n  x\n\
             s9: 1.2.3\ns10: -0x1\ns11: 2024-01-01\n",
        );
        assert_eq!(
            v,
            json!({
                "n1": null, "n2": null, "n3": null, "n4": null,
                "b1": true, "b2": false, "b3": "yes",
                "i1": 42, "i2": -7, "i3": 3, "i4": 31, "i5": 15, "i6": 18446744073709551615u64,
                "i7": 1e20, "i8": 12,
                "f1": 1.5, "f2": 1000.0, "f3": 0.5, "f4": -0.025, "f5": 1.0,
                "s1": ".inf", "s2": "-.Inf", "s3": ".nan", "s4": "1_000", "s5": "0x", "s6": "12",
                "s7": "true", "s8": "x\n", "s9": "1.2.3", "s10": "-0x1", "s11": "2024-01-01"
            })
        );
        assert!(v["i1"].is_i64() && v["f2"].is_f64());
    }

    #[test]
    fn tags() {
        let (v, _) = yaml(
            "a: !!str 12\nb: !!int \"12\"\nc: !!float 3\nd: !!bool 'true'\ne: !!null ''\n\
             f: !custom 5\ng: ! 7\nh: !!int nope\ni: !<tag:yaml.org,2002:str> true\nj: !!map {k: 1}\n",
        );
        assert_eq!(
            v,
            json!({"a": "12", "b": 12, "c": 3.0, "d": true, "e": null, "f": 5, "g": "7",
                   "h": "nope", "i": "true", "j": {"k": 1}})
        );
    }

    #[test]
    fn keys_become_strings() {
        let (v, p) = yaml(
            "responses:\n  200:\n    d: ok\n  4XX: x\n  true: t\n  ~: n\n  0x10: h\n  1.5: f\n",
        );
        let keys: Vec<&str> = v["responses"]
            .as_object()
            .unwrap()
            .keys()
            .map(String::as_str)
            .collect();
        assert_eq!(keys, ["200", "4XX", "true", "null", "16", "1.5"]);
        assert_eq!(p.locate(&v, "/responses/200/d"), Some((3, 5)));
    }

    #[test]
    fn complex_keys_are_refused_with_a_position() {
        let error = yaml_error("a: 1\n? [x, y]\n: 2\n");
        assert!(
            error.message.contains("cannot be used as a mapping key"),
            "{error:?}"
        );
        assert_eq!((error.line, error.column), (2, 3));
        let error = yaml_error("a: &m {x: 1}\n*m : 2\n");
        assert!(
            error.message.contains("cannot be used as a mapping key"),
            "{error:?}"
        );
        assert_eq!(error.line, 2);
        // A scalar alias is a fine key.
        let (v, _) = yaml("a: &k name\n*k : 2\n");
        assert_eq!(v, json!({"a": "name", "name": 2}));
    }

    #[test]
    fn duplicate_keys_name_both_lines() {
        let error = yaml_error("info:\n  title: a\n  version: 1\n  title: b\n");
        assert_eq!(
            error.message,
            "duplicate key `title` at line 4; it is already defined at line 2"
        );
        assert_eq!((error.line, error.column), (4, 3));
        let error = yaml_error("{a: 1, 'a': 2}");
        assert!(error.message.contains("`a`"), "{error:?}");
        // 200 and "200" are the same JSON key.
        let error = yaml_error("200: a\n'200': b\n");
        assert!(
            error
                .message
                .contains("line 2; it is already defined at line 1")
        );
        // With a merge in between, the first line is still found.
        let error = yaml_error("b: &b {x: 1, y: 2}\nm:\n  <<: *b\n  z: 1\n  z: 2\n");
        assert!(
            error
                .message
                .contains("line 5; it is already defined at line 4"),
            "{error:?}"
        );
        let error = yaml_error("b: &b {x: 1}\nm:\n  <<: *b\n  <<: *b\n");
        assert!(error.message.contains("`<<` at line 4"), "{error:?}");
    }

    #[test]
    fn aliases_expand_and_anchors_can_be_redefined() {
        let text = "a: &x {k: [1, 2]}\nb: *x\nc: &x 3\nd: *x\ne: &s [*x, *x]\nf: *s\n";
        let (v, p) = yaml(text);
        assert_eq!(
            v,
            json!({"a": {"k": [1, 2]}, "b": {"k": [1, 2]}, "c": 3, "d": 3, "e": [3, 3], "f": [3, 3]})
        );
        // The copy's nodes are all at the alias.
        assert_eq!(p.locate(&v, "/b"), Some((2, 1)));
        assert_eq!(p.locate(&v, "/b/k"), Some((2, 4)));
        assert_eq!(p.locate(&v, "/b/k/1"), Some((2, 4)));
        assert_eq!(p.locate(&v, "/a/k/1"), Some((1, 15)));
        assert_eq!(p.locate(&v, "/e/1"), Some((5, 12)));
        assert_eq!(p.locate(&v, "/f/0"), Some((6, 4)));
        assert_eq!(p.node_count(), 17);
    }

    #[test]
    fn recursive_alias_is_refused() {
        let error = yaml_error("a: &a [1, *a]\n");
        assert!(error.message.contains("recursive"), "{error:?}");
        assert_eq!((error.line, error.column), (1, 11));
    }

    #[test]
    fn merge_keys() {
        let text = "base: &base\n  a: 1\n  b: 2\nother: &o {c: 3, a: 9}\n\
                    m:\n  x: 0\n  <<: [*base, *o]\n  b: 20\n\
                    n: {<<: {p: 1, q: 2}, q: 3}\n";
        let (v, p) = yaml(text);
        assert_eq!(v["m"], json!({"x": 0, "a": 1, "c": 3, "b": 20}));
        let order: Vec<&String> = v["m"].as_object().unwrap().keys().collect();
        assert_eq!(order, ["x", "a", "c", "b"]);
        assert_eq!(v["n"], json!({"p": 1, "q": 3}));
        assert_eq!(p.locate(&v, "/m/x"), Some((6, 3)));
        assert_eq!(p.locate(&v, "/m/a"), Some((7, 8)));
        assert_eq!(p.locate(&v, "/m/c"), Some((7, 15)));
        assert_eq!(p.locate(&v, "/m/b"), Some((8, 3)));
        assert_eq!(p.locate(&v, "/n/p"), Some((9, 10)));
        assert_eq!(p.locate(&v, "/n/q"), Some((9, 23)));
        assert_eq!(p.locate(&v, "/other/a"), Some((4, 18)));
        assert_eq!(p.node_count(), 1 + 3 + 3 + 5 + 3);
        // A quoted "<<" is an ordinary key.
        let (v, _) = yaml("'<<': 1\n");
        assert_eq!(v, json!({"<<": 1}));
        let error = yaml_error("m:\n  <<: 3\n");
        assert!(error.message.contains("merge key"), "{error:?}");
        assert_eq!((error.line, error.column), (2, 3));
        let error = yaml_error("m:\n  <<: [{a: 1}, 2]\n");
        assert!(error.message.contains("merge key"), "{error:?}");
    }

    #[test]
    fn billion_laughs_is_refused_fast() {
        let mut text = String::from(
            "a0: &a0 [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
        );
        for level in 1..=9 {
            let previous = format!("*a{}", level - 1);
            let items = [previous.as_str(); 10].join(",");
            text.push_str(&format!("a{level}: &a{level} [{items}]\n"));
        }
        let started = Instant::now();
        let error = yaml_error(&text);
        let elapsed = started.elapsed();
        assert!(
            error
                .message
                .starts_with("YAML aliases expand to more than 1000000 nodes"),
            "{error:?}"
        );
        assert!(error.message.ends_with("(alias bomb?)"));
        // The 8th `*a4` is where the total passes a million nodes.
        assert_eq!((error.line, error.column), (6, 38));
        eprintln!("billion laughs refused in {elapsed:?}");
        assert!(elapsed < Duration::from_millis(500), "took {elapsed:?}");
    }

    const SMALL_LIMITS: AliasLimits = AliasLimits {
        min_nodes: 1_000,
        factor: 10,
        count_after: 50,
        min_bytes: 1_000,
    };

    /// `a: &a [1, ..., 1]` (n items) aliased `aliases` times, then `tail` literal scalars.
    fn alias_document(n: usize, aliases: usize, tail: usize) -> String {
        let mut text = format!("a: &a [{}]\n", vec!["1"; n].join(", "));
        for i in 0..aliases {
            text.push_str(&format!("b{i}: *a\n"));
        }
        text.push_str(&format!("t: [{}]\n", vec!["2"; tail].join(", ")));
        text
    }

    #[test]
    fn alias_budget_counts_the_whole_file() {
        // 100 literal items copied 15 times early: 1_500 nodes expanded before most of the
        // literal nodes are written, fine once the 300 later ones are counted (budget 4_200).
        let text = alias_document(100, 15, 300);
        let (v, p) = parse_yaml_with(&text, SMALL_LIMITS).unwrap();
        assert_eq!(v["b14"].as_array().map(Vec::len), Some(100));
        assert_eq!(p.node_count(), 1 + 101 + 15 * 101 + 301);
        // Without the tail, the same copies exceed max(1_000, 10 × 120).
        let error = parse_yaml_with(&alias_document(100, 15, 0), SMALL_LIMITS).unwrap_err();
        assert_eq!(
            error.message,
            "YAML aliases expand to more than 1200 nodes (alias bomb?)"
        );
        // Literal 1 + 1 + 101 = 103 nodes, then 101 + 2 per alias: the 11th alias passes 1200.
        assert_eq!((error.line, error.column), (12, 6));
        // Under `count_after`, the counting pass does not even run.
        assert!(parse_yaml_with(&alias_document(10, 4, 0), SMALL_LIMITS).is_ok());
    }

    /// One alias is one node however long its string: the bytes aliases copy are bounded too.
    #[test]
    fn aliases_of_long_strings_are_bounded_by_bytes() {
        let mut text = format!("a: &a {}\nitems:\n", "x".repeat(100_000));
        for i in 0..200 {
            text.push_str(&format!("  - *a # {i}\n"));
        }
        let error = yaml_error(&text);
        assert!(
            error
                .message
                .starts_with("YAML aliases copy more than 16 MiB"),
            "{error:?}"
        );
        // The alias that passes the budget: 168 copies of 100,000 bytes.
        assert_eq!(error.line, 170);
        // Ten times the file's own length is always allowed.
        let mut text = format!("a: &a {}\nitems:\n", "x".repeat(100_000));
        for _ in 0..9 {
            text.push_str("  - *a\n");
        }
        assert!(parse_yaml(&text).is_ok());
    }

    #[test]
    fn many_small_aliases_are_fine() {
        let mut text = String::from("d: &d {type: string, maxLength: 10}\nitems:\n");
        for i in 0..5000 {
            text.push_str(&format!("  p{i}: *d\n"));
        }
        let (v, p) = yaml(&text);
        assert_eq!(v["items"]["p4999"]["type"], "string");
        assert_eq!(p.node_count(), 1 + 3 + 1 + 5000 * 3);
    }

    #[test]
    fn nesting_limit_matches_serde_json() {
        let flow = |n: usize| format!("a: {}{}", "[".repeat(n - 1), "]".repeat(n - 1));
        assert!(parse_yaml(&flow(127)).is_ok());
        let error = yaml_error(&flow(128));
        assert_eq!(error.message, NESTING_MESSAGE);
        assert_eq!((error.line, error.column), (1, 130));
        let mut block = String::new();
        for depth in 0..200 {
            block.push_str(&" ".repeat(depth));
            block.push_str(&format!("k{depth}:\n"));
        }
        let error = yaml_error(&block);
        assert_eq!(error.message, NESTING_MESSAGE);
        assert_eq!((error.line, error.column), (128, 128));
        // An alias can not smuggle depth in.
        let deep = format!("a: &d {}{}\nb: [[*d]]\n", "[".repeat(125), "]".repeat(125));
        let error = yaml_error(&deep);
        assert_eq!(error.message, NESTING_MESSAGE);
        assert_eq!(error.line, 2);
        let ok = format!("a: &d {}{}\nb: [*d]\n", "[".repeat(125), "]".repeat(125));
        assert!(parse_yaml(&ok).is_ok());
    }

    #[test]
    fn documents() {
        let error = yaml_error("a: 1\n---\nb: 2\n");
        assert!(
            error.message.contains("more than one YAML document"),
            "{error:?}"
        );
        assert_eq!((error.line, error.column), (2, 1));
        assert!(parse_yaml("---\na: 1\n...\n# done\n").is_ok());
        assert_eq!(
            yaml_error("# only a comment\n\n").message,
            "the file is empty"
        );
        assert_eq!(yaml_error("---\n").message, "the file is empty");
        assert_eq!(yaml_error("").message, "the file is empty");
        assert_eq!(yaml("null\n").0, Value::Null);
    }

    #[test]
    fn block_and_flow_positions() {
        let text = "openapi: 3.1.0\npaths:\n  /pets:\n    get:\n      tags: [a, \"b\"]\n      \
                    parameters:\n        - name: id\n          in: path\n        - {name: q, in: query}\n      \
                    description: |\n        multi\n        line\n  \"/ü/{id}\": {x: 1}\n";
        let (v, p) = yaml(text);
        assert_eq!(p.locate(&v, ""), Some((1, 1)));
        assert_eq!(p.locate(&v, "/openapi"), Some((1, 1)));
        assert_eq!(p.locate(&v, "/paths/~1pets/get"), Some((4, 5)));
        assert_eq!(p.locate(&v, "/paths/~1pets/get/tags"), Some((5, 7)));
        assert_eq!(p.locate(&v, "/paths/~1pets/get/tags/0"), Some((5, 14)));
        assert_eq!(p.locate(&v, "/paths/~1pets/get/tags/1"), Some((5, 17)));
        assert_eq!(
            p.locate(&v, "/paths/~1pets/get/parameters/0"),
            Some((7, 11))
        );
        assert_eq!(
            p.locate(&v, "/paths/~1pets/get/parameters/0/in"),
            Some((8, 11))
        );
        assert_eq!(
            p.locate(&v, "/paths/~1pets/get/parameters/1"),
            Some((9, 11))
        );
        assert_eq!(
            p.locate(&v, "/paths/~1pets/get/parameters/1/in"),
            Some((9, 21))
        );
        assert_eq!(p.locate(&v, "/paths/~1pets/get/description"), Some((10, 7)));
        assert_eq!(p.locate(&v, "/paths/~1ü~1{id}/x"), Some((13, 15)));
        assert_eq!(p.locate(&v, "/paths/~1pets/get/parameters/2"), None);
    }
}
