//! JSON pointer to line:column, so findings can point at the source text (12 bytes per node).

use super::parse::ParseError;
use serde_json::Value;
use std::borrow::Cow;
use std::collections::HashMap;

/// Where one node starts and how many nodes its subtree holds (itself included), so a whole
/// sibling subtree can be skipped in O(1).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct NodePos {
    pub(crate) line: u32,
    pub(crate) column: u32,
    pub(crate) size: u32,
}

/// Positions of every node of a document, in pre-order of the *built* Value tree (object members
/// in map order, array items in order).
///
/// An object member is recorded at its key (the line users look at: `price:`); any other node at
/// its first character. Lines and columns are 1-based, columns count characters.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NodePositions {
    nodes: Vec<NodePos>,
    /// For a table scanned from JSON text: where each node starts in that text (its key's
    /// opening quote for an object member, its first character otherwise), so the text alone
    /// answers pointers once the value tree is dropped. Empty for YAML.
    offsets: Vec<u32>,
    /// Child indexes of the wide containers looked into so far.
    wide: WideIndexes,
}

/// Containers with more children than this are indexed on first lookup: finding a member by
/// walking its siblings would make locating every member of a 100k-member mapping quadratic.
const WIDE: usize = 32;

/// Where each child of a wide container starts in the position table, by key or by item.
#[derive(Debug)]
enum WideIndex {
    Object(HashMap<Box<str>, usize>),
    Array(Vec<usize>),
}

/// A cache beside the table: not part of its value (clones start empty, comparisons ignore it).
#[derive(Debug, Default)]
struct WideIndexes(std::sync::Mutex<HashMap<usize, std::sync::Arc<WideIndex>>>);

impl Clone for WideIndexes {
    fn clone(&self) -> Self {
        WideIndexes::default()
    }
}

impl PartialEq for WideIndexes {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}

impl Eq for WideIndexes {}

impl NodePositions {
    pub(crate) fn from_nodes(mut nodes: Vec<NodePos>) -> NodePositions {
        nodes.shrink_to_fit();
        NodePositions {
            nodes,
            offsets: Vec::new(),
            wide: WideIndexes::default(),
        }
    }

    /// Number of nodes recorded; equals the number of values in the tree it describes.
    pub fn node_count(&self) -> usize {
        self.nodes.len()
    }

    /// Builds the positions of a JSON text without building its values: a byte scanner over
    /// strings, numbers and literals. Agrees with `serde_json` (`preserve_order`) on duplicate
    /// keys: the member keeps the first key's slot and takes the last occurrence's subtree.
    pub fn from_json(text: &str) -> Result<NodePositions, ParseError> {
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        let (nodes, mut offsets) = JsonScanner::new(text.as_bytes()).run()?;
        offsets.shrink_to_fit();
        Ok(NodePositions {
            offsets,
            ..NodePositions::from_nodes(nodes)
        })
    }

    /// Whether these positions were scanned from JSON text and can answer pointers from it
    /// (see [`JsonText`]).
    fn reads_text(&self) -> bool {
        !self.nodes.is_empty() && self.offsets.len() == self.nodes.len()
    }

    /// The JSON text these positions were scanned from (`text` as given to
    /// [`NodePositions::from_json`]), read through them: pointers answered without the value tree.
    pub fn json_text<'a>(&'a self, text: &'a str) -> Option<JsonText<'a>> {
        self.reads_text().then(|| JsonText {
            positions: self,
            bytes: text.strip_prefix('\u{feff}').unwrap_or(text).as_bytes(),
        })
    }

    /// Line and column (1-based, column in characters) of the node at an RFC 6901 `pointer`
    /// (`""` is the root, `/paths/~1pets/get` a nested member), or `None` if there is no such
    /// node. `root` must be the tree these positions were built for.
    pub fn locate(&self, root: &Value, pointer: &str) -> Option<(u32, u32)> {
        let mut index = 0usize;
        let mut node = root;
        if !pointer.is_empty() {
            let rest = pointer.strip_prefix('/')?;
            for raw in rest.split('/') {
                let token = unescape_token(raw)?;
                let mut child = index + 1;
                node = match node {
                    Value::Object(map) if map.len() > WIDE => {
                        let found = map.get(&*token)?;
                        match &*self.wide_index(index, node)? {
                            WideIndex::Object(keys) => child = *keys.get(&*token)?,
                            WideIndex::Array(_) => return None,
                        }
                        found
                    }
                    Value::Object(map) => {
                        let mut found = None;
                        for (key, value) in map {
                            if *key == *token {
                                found = Some(value);
                                break;
                            }
                            child += self.size_at(child)?;
                        }
                        found?
                    }
                    Value::Array(items) => {
                        let position = parse_array_index(&token)?;
                        let item = items.get(position)?;
                        if items.len() > WIDE {
                            match &*self.wide_index(index, node)? {
                                WideIndex::Array(starts) => child = *starts.get(position)?,
                                WideIndex::Object(_) => return None,
                            }
                        } else {
                            for _ in 0..position {
                                child += self.size_at(child)?;
                            }
                        }
                        item
                    }
                    _ => return None,
                };
                index = child;
            }
        }
        let pos = self.nodes.get(index)?;
        Some((pos.line, pos.column))
    }

    /// The child index of the wide container at `index` (whose value is `node`), built once.
    fn wide_index(&self, index: usize, node: &Value) -> Option<std::sync::Arc<WideIndex>> {
        let mut cache = self.wide.0.lock().ok()?;
        if let Some(found) = cache.get(&index) {
            return Some(std::sync::Arc::clone(found));
        }
        let mut child = index + 1;
        let built = match node {
            Value::Object(map) => {
                let mut keys = HashMap::with_capacity(map.len());
                for key in map.keys() {
                    keys.insert(key.as_str().into(), child);
                    child += self.size_at(child)?;
                }
                WideIndex::Object(keys)
            }
            Value::Array(items) => {
                let mut starts = Vec::with_capacity(items.len());
                for _ in items {
                    starts.push(child);
                    child += self.size_at(child)?;
                }
                WideIndex::Array(starts)
            }
            _ => return None,
        };
        let built = std::sync::Arc::new(built);
        cache.insert(index, std::sync::Arc::clone(&built));
        Some(built)
    }

    fn size_at(&self, index: usize) -> Option<usize> {
        let size = self.nodes.get(index)?.size as usize;
        // A size of 0 never comes out of our builders; refusing it keeps a bad table from looping.
        (size > 0).then_some(size)
    }
}

/// A JSON document read through the position table scanned from its text: pointers are answered
/// from the text with no value tree, so a command that keeps the text for line numbers need not
/// keep the tree too (`Documents::release_json_trees`). It agrees with the tree the text parses
/// to: the table lists the nodes in the tree's order, duplicate keys resolved the same way.
#[derive(Clone, Copy)]
pub struct JsonText<'a> {
    positions: &'a NodePositions,
    bytes: &'a [u8],
}

/// A node of a [`JsonText`]: its index in the table and where its value starts in the text.
#[derive(Debug, Clone, Copy)]
struct TextNode {
    index: usize,
    start: usize,
}

impl<'a> JsonText<'a> {
    /// Line and column of the node at `pointer`: what [`NodePositions::locate`] gives with the tree.
    pub fn locate(self, pointer: &str) -> Option<(u32, u32)> {
        let node = self.find(pointer)?;
        let pos = self.positions.nodes.get(node.index)?;
        Some((pos.line, pos.column))
    }

    /// Whether the node at `pointer` is an object with a member `key`.
    pub fn has_member(self, pointer: &str, key: &str) -> bool {
        self.find(pointer)
            .filter(|node| self.bytes.get(node.start) == Some(&b'{'))
            .and_then(|node| self.member(node, key))
            .is_some()
    }

    /// The number of items of the array at `pointer`, if an array is there.
    pub fn array_len(self, pointer: &str) -> Option<usize> {
        let node = self.find(pointer)?;
        (self.bytes.get(node.start) == Some(&b'[')).then(|| self.children(node).count())
    }

    /// The string at `pointer`, if a string is there.
    pub fn string(self, pointer: &str) -> Option<String> {
        let node = self.find(pointer)?;
        if self.bytes.get(node.start) != Some(&b'"') {
            return None;
        }
        let mut out = String::new();
        decode_json_string(self.bytes, node.start, &mut out)?;
        Some(out)
    }

    fn find(self, pointer: &str) -> Option<TextNode> {
        let mut node = TextNode {
            index: 0,
            start: self.offset(0)?,
        };
        if pointer.is_empty() {
            return Some(node);
        }
        for raw in pointer.strip_prefix('/')?.split('/') {
            let token = unescape_token(raw)?;
            node = match self.bytes.get(node.start)? {
                b'{' => self.member(node, &token)?,
                b'[' => self.item(node, parse_array_index(&token)?)?,
                _ => return None,
            };
        }
        Some(node)
    }

    /// The member `key` of the object `node`.
    fn member(self, node: TextNode, key: &str) -> Option<TextNode> {
        let child = if self.is_wide(node) {
            match &*self.wide_index(node)? {
                WideIndex::Object(keys) => *keys.get(key)?,
                WideIndex::Array(_) => return None,
            }
        } else {
            self.children(node)
                .find(|&c| self.offset(c).and_then(|o| self.key(o)).as_deref() == Some(key))?
        };
        Some(TextNode {
            index: child,
            start: self.after_key(self.offset(child)?)?,
        })
    }

    /// The item `position` of the array `node`.
    fn item(self, node: TextNode, position: usize) -> Option<TextNode> {
        let child = if self.is_wide(node) {
            match &*self.wide_index(node)? {
                WideIndex::Array(starts) => *starts.get(position)?,
                WideIndex::Object(_) => return None,
            }
        } else {
            self.children(node).nth(position)?
        };
        Some(TextNode {
            index: child,
            start: self.offset(child)?,
        })
    }

    /// The table indexes of the children of a container, in order.
    fn children(self, node: TextNode) -> impl Iterator<Item = usize> + 'a {
        let positions = self.positions;
        let end = node.index + positions.size_at(node.index).unwrap_or(1);
        std::iter::successors(Some(node.index + 1).filter(|c| *c < end), move |c| {
            let next = c + positions.size_at(*c)?;
            (next < end).then_some(next)
        })
    }

    /// More children than [`WIDE`]: looked up through an index, as the tree walk does.
    fn is_wide(self, node: TextNode) -> bool {
        self.children(node).nth(WIDE).is_some()
    }

    /// The child index of the wide container `node`, built once (the same cache and contents
    /// as [`NodePositions::wide_index`] builds from the tree).
    fn wide_index(self, node: TextNode) -> Option<std::sync::Arc<WideIndex>> {
        let mut cache = self.positions.wide.0.lock().ok()?;
        if let Some(found) = cache.get(&node.index) {
            return Some(std::sync::Arc::clone(found));
        }
        let built = match self.bytes.get(node.start)? {
            b'{' => {
                let mut keys = HashMap::new();
                for child in self.children(node) {
                    keys.insert(self.key(self.offset(child)?)?.into(), child);
                }
                WideIndex::Object(keys)
            }
            b'[' => WideIndex::Array(self.children(node).collect()),
            _ => return None,
        };
        let built = std::sync::Arc::new(built);
        cache.insert(node.index, std::sync::Arc::clone(&built));
        Some(built)
    }

    fn offset(self, index: usize) -> Option<usize> {
        self.positions.offsets.get(index).map(|o| *o as usize)
    }

    /// The decoded key whose opening quote is at `offset` (borrowed when it has no escape).
    fn key(self, offset: usize) -> Option<Cow<'a, str>> {
        let bytes = self.bytes;
        let content = offset + 1;
        let mut i = content;
        loop {
            match *bytes.get(i)? {
                b'"' => {
                    return std::str::from_utf8(&bytes[content..i])
                        .ok()
                        .map(Cow::Borrowed);
                }
                b'\\' => break,
                _ => i += 1,
            }
        }
        let mut out = String::new();
        decode_json_string(bytes, offset, &mut out)?;
        Some(Cow::Owned(out))
    }

    /// Where the value of the member whose key starts at `offset` starts: past the key, the
    /// colon and the whitespace around it.
    fn after_key(self, offset: usize) -> Option<usize> {
        let bytes = self.bytes;
        let mut i = offset + 1;
        loop {
            match *bytes.get(i)? {
                b'"' => break,
                b'\\' => i += 2,
                _ => i += 1,
            }
        }
        i += 1;
        let skip = |i: &mut usize| {
            while matches!(bytes.get(*i), Some(b' ' | b'\t' | b'\r' | b'\n')) {
                *i += 1;
            }
        };
        skip(&mut i);
        if bytes.get(i) != Some(&b':') {
            return None;
        }
        i += 1;
        skip(&mut i);
        Some(i)
    }
}

/// Decodes one reference token: `~1` is `/`, `~0` is `~`; any other `~` makes the pointer invalid.
fn unescape_token(raw: &str) -> Option<Cow<'_, str>> {
    if !raw.contains('~') {
        return Some(Cow::Borrowed(raw));
    }
    let mut out = String::with_capacity(raw.len());
    let mut chars = raw.chars();
    while let Some(c) = chars.next() {
        if c == '~' {
            match chars.next() {
                Some('0') => out.push('~'),
                Some('1') => out.push('/'),
                _ => return None,
            }
        } else {
            out.push(c);
        }
    }
    Some(Cow::Owned(out))
}

/// RFC 6901 array index: `0` or digits without a leading zero (`-`, the end, names no node).
fn parse_array_index(token: &str) -> Option<usize> {
    let bytes = token.as_bytes();
    if bytes.is_empty() || !bytes.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if bytes.len() > 1 && bytes[0] == b'0' {
        return None;
    }
    token.parse().ok()
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// What the JSON scanner expects next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Expect {
    Value,
    FirstKey,
    Key,
    FirstItem,
    AfterValue,
}

/// An object or array still open while scanning.
struct OpenContainer {
    node: usize,
    is_object: bool,
    keys_base: usize,
}

/// One member of an open object, kept until the object closes to detect duplicate keys.
struct MemberKey {
    hash: u64,
    /// Index of the member's node in the table.
    node: usize,
    /// Byte offset of the key's opening quote.
    offset: usize,
}

struct JsonScanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    line: u32,
    line_start: usize,
    /// UTF-8 continuation bytes in the strings seen so far on the current line.
    continuation_bytes: usize,
    key_buffer: String,
    hash_buffer: Vec<u64>,
}

impl<'a> JsonScanner<'a> {
    fn new(bytes: &'a [u8]) -> JsonScanner<'a> {
        JsonScanner {
            bytes,
            pos: 0,
            line: 1,
            line_start: 0,
            continuation_bytes: 0,
            key_buffer: String::new(),
            hash_buffer: Vec::new(),
        }
    }

    /// The node table and where each node starts in the text (see [`NodePositions::offsets`]).
    fn run(mut self) -> Result<(Vec<NodePos>, Vec<u32>), ParseError> {
        let mut nodes: Vec<NodePos> = Vec::with_capacity(self.bytes.len() / 32 + 1);
        let mut offsets: Vec<u32> = Vec::with_capacity(self.bytes.len() / 32 + 1);
        let mut open: Vec<OpenContainer> = Vec::new();
        let mut keys: Vec<MemberKey> = Vec::new();
        let mut key_position: Option<(u32, u32, usize)> = None;
        let mut expect = Expect::Value;
        loop {
            self.skip_whitespace();
            match expect {
                Expect::Value => {
                    let Some(byte) = self.peek() else {
                        return Err(self.error("unexpected end of input, expected a value"));
                    };
                    let (line, column, offset) = match key_position.take() {
                        Some(position) => position,
                        None => {
                            let (line, column) = self.position();
                            (line, column, self.pos)
                        }
                    };
                    let node = nodes.len();
                    nodes.push(NodePos {
                        line,
                        column,
                        size: 1,
                    });
                    offsets.push(to_u32(offset));
                    expect = Expect::AfterValue;
                    match byte {
                        b'{' | b'[' => {
                            self.pos += 1;
                            let is_object = byte == b'{';
                            open.push(OpenContainer {
                                node,
                                is_object,
                                keys_base: keys.len(),
                            });
                            expect = if is_object {
                                Expect::FirstKey
                            } else {
                                Expect::FirstItem
                            };
                        }
                        b'"' => {
                            self.skip_string()?;
                        }
                        b'-' | b'0'..=b'9' => self.skip_number()?,
                        b't' => self.skip_literal(b"true")?,
                        b'f' => self.skip_literal(b"false")?,
                        b'n' => self.skip_literal(b"null")?,
                        _ => return Err(self.error("expected a JSON value")),
                    }
                }
                Expect::FirstKey | Expect::Key => match self.peek() {
                    Some(b'}') if expect == Expect::FirstKey => {
                        self.pos += 1;
                        self.close(&mut nodes, &mut offsets, &mut open, &mut keys)?;
                        expect = Expect::AfterValue;
                    }
                    Some(b'"') => {
                        let offset = self.pos;
                        let (line, column) = self.position();
                        key_position = Some((line, column, offset));
                        let hash = self.scan_key()?;
                        self.skip_whitespace();
                        if self.peek() != Some(b':') {
                            return Err(self.error("expected `:` after an object key"));
                        }
                        self.pos += 1;
                        keys.push(MemberKey {
                            hash,
                            node: nodes.len(),
                            offset,
                        });
                        expect = Expect::Value;
                    }
                    Some(_) => return Err(self.error("expected a string key")),
                    None => return Err(self.error("unexpected end of input inside an object")),
                },
                Expect::FirstItem => {
                    if self.peek() == Some(b']') {
                        self.pos += 1;
                        self.close(&mut nodes, &mut offsets, &mut open, &mut keys)?;
                        expect = Expect::AfterValue;
                    } else {
                        expect = Expect::Value;
                    }
                }
                Expect::AfterValue => {
                    let Some(container) = open.last() else {
                        if self.pos < self.bytes.len() {
                            return Err(self.error("trailing characters after the JSON value"));
                        }
                        return Ok((nodes, offsets));
                    };
                    match (self.peek(), container.is_object) {
                        (Some(b','), true) => {
                            self.pos += 1;
                            expect = Expect::Key;
                        }
                        (Some(b','), false) => {
                            self.pos += 1;
                            expect = Expect::Value;
                        }
                        (Some(b'}'), true) | (Some(b']'), false) => {
                            self.pos += 1;
                            self.close(&mut nodes, &mut offsets, &mut open, &mut keys)?;
                        }
                        (None, _) => {
                            return Err(
                                self.error("unexpected end of input, the JSON is truncated")
                            );
                        }
                        (Some(_), true) => return Err(self.error("expected `,` or `}`")),
                        (Some(_), false) => return Err(self.error("expected `,` or `]`")),
                    }
                }
            }
        }
    }

    fn close(
        &mut self,
        nodes: &mut Vec<NodePos>,
        offsets: &mut Vec<u32>,
        open: &mut Vec<OpenContainer>,
        keys: &mut Vec<MemberKey>,
    ) -> Result<(), ParseError> {
        let Some(container) = open.pop() else {
            return Err(self.error("unbalanced brackets"));
        };
        if container.is_object {
            let members = keys.get(container.keys_base..).unwrap_or(&[]);
            self.drop_duplicate_members(nodes, offsets, container.node, members)?;
            keys.truncate(container.keys_base);
        }
        let size = to_u32(nodes.len() - container.node);
        if let Some(pos) = nodes.get_mut(container.node) {
            pos.size = size;
        }
        Ok(())
    }

    /// `serde_json` keeps a duplicated key in its first slot with the last value: rebuild the
    /// object's node range the same way. Duplicates are rare, so the check is a hash comparison
    /// and the rebuild only happens when one is found.
    fn drop_duplicate_members(
        &mut self,
        nodes: &mut Vec<NodePos>,
        offsets: &mut Vec<u32>,
        object: usize,
        members: &[MemberKey],
    ) -> Result<(), ParseError> {
        if members.len() < 2 {
            return Ok(());
        }
        let maybe_duplicate = if members.len() <= 16 {
            members
                .iter()
                .enumerate()
                .any(|(i, a)| members[i + 1..].iter().any(|b| a.hash == b.hash))
        } else {
            self.hash_buffer.clear();
            self.hash_buffer.extend(members.iter().map(|m| m.hash));
            self.hash_buffer.sort_unstable();
            self.hash_buffer.windows(2).any(|w| w[0] == w[1])
        };
        if !maybe_duplicate {
            return Ok(());
        }
        let mut decoded = Vec::with_capacity(members.len());
        for member in members {
            let mut key = String::new();
            decode_json_string(self.bytes, member.offset, &mut key)
                .ok_or_else(|| self.error("invalid object key"))?;
            decoded.push(key);
        }
        let mut slot_of: HashMap<&str, usize> = HashMap::with_capacity(members.len());
        let mut order: Vec<usize> = Vec::with_capacity(members.len());
        for (i, key) in decoded.iter().enumerate() {
            match slot_of.get(key.as_str()) {
                Some(&slot) => order[slot] = i,
                None => {
                    slot_of.insert(key, order.len());
                    order.push(i);
                }
            }
        }
        if order.len() == members.len() {
            return Ok(());
        }
        let end = nodes.len();
        let mut rebuilt = Vec::with_capacity(end - object);
        let mut rebuilt_offsets = Vec::with_capacity(end - object);
        for &i in &order {
            let start = members[i].node;
            let stop = members.get(i + 1).map_or(end, |next| next.node);
            rebuilt.extend_from_slice(nodes.get(start..stop).unwrap_or(&[]));
            rebuilt_offsets.extend_from_slice(offsets.get(start..stop).unwrap_or(&[]));
        }
        nodes.truncate(object + 1);
        nodes.extend_from_slice(&rebuilt);
        offsets.truncate(object + 1);
        offsets.extend_from_slice(&rebuilt_offsets);
        Ok(())
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_whitespace(&mut self) {
        while let Some(&byte) = self.bytes.get(self.pos) {
            match byte {
                b' ' | b'\t' | b'\r' => self.pos += 1,
                b'\n' => {
                    self.pos += 1;
                    self.line += 1;
                    self.line_start = self.pos;
                    self.continuation_bytes = 0;
                }
                _ => break,
            }
        }
    }

    /// Position of `self.pos`. Outside strings valid JSON is ASCII, so the column is the byte
    /// offset on the line minus the UTF-8 continuation bytes counted in the strings before it.
    fn position(&self) -> (u32, u32) {
        let offset = self.pos.saturating_sub(self.line_start);
        let column = offset.saturating_sub(self.continuation_bytes) + 1;
        (self.line, to_u32(column))
    }

    /// Errors may sit on non-ASCII text outside strings: count the characters of the line.
    fn error(&self, message: &str) -> ParseError {
        let end = self.pos.min(self.bytes.len());
        let column = self.bytes[self.line_start.min(end)..end]
            .iter()
            .filter(|&&b| b & 0xC0 != 0x80)
            .count()
            + 1;
        ParseError {
            message: format!("invalid JSON: {message}"),
            line: self.line,
            column: to_u32(column),
        }
    }

    /// Skips a string starting at the opening quote; returns whether it held an escape.
    fn skip_string(&mut self) -> Result<bool, ParseError> {
        let bytes = self.bytes;
        let start = self.pos;
        let mut escaped = false;
        let mut i = start + 1;
        loop {
            // Eight bytes at a time while none of them is `"`, `\` or a control character.
            while let Some(chunk) = bytes.get(i..i + 8) {
                let Ok(word) = <[u8; 8]>::try_from(chunk) else {
                    break;
                };
                if has_special_byte(u64::from_le_bytes(word)) {
                    break;
                }
                i += 8;
            }
            match bytes.get(i) {
                None => {
                    self.pos = bytes.len();
                    return Err(self.error("unterminated string"));
                }
                Some(b'"') => {
                    let content = &bytes[start..i];
                    if !content.is_ascii() {
                        self.continuation_bytes +=
                            content.iter().filter(|&&b| b & 0xC0 == 0x80).count();
                    }
                    self.pos = i + 1;
                    return Ok(escaped);
                }
                Some(b'\\') => {
                    escaped = true;
                    match bytes.get(i + 1) {
                        Some(b'"' | b'\\' | b'/' | b'b' | b'f' | b'n' | b'r' | b't') => i += 2,
                        Some(b'u') if bytes.get(i + 2..i + 6).and_then(hex4).is_some() => i += 6,
                        _ => {
                            self.pos = i;
                            return Err(self.error("invalid escape in a string"));
                        }
                    }
                }
                Some(&b) if b < 0x20 => {
                    self.pos = i;
                    return Err(self.error("control character inside a string"));
                }
                Some(_) => i += 1,
            }
        }
    }

    /// Skips a key and returns the hash of its decoded text.
    fn scan_key(&mut self) -> Result<u64, ParseError> {
        let start = self.pos;
        let escaped = self.skip_string()?;
        if !escaped {
            return Ok(hash_bytes(&self.bytes[start + 1..self.pos - 1]));
        }
        let mut key = std::mem::take(&mut self.key_buffer);
        key.clear();
        let decoded = decode_json_string(self.bytes, start, &mut key);
        let hash = hash_bytes(key.as_bytes());
        self.key_buffer = key;
        match decoded {
            Some(()) => Ok(hash),
            None => {
                self.pos = start;
                Err(self.error("invalid escape in an object key"))
            }
        }
    }

    fn skip_number(&mut self) -> Result<(), ParseError> {
        let bytes = self.bytes;
        let mut i = self.pos;
        if bytes.get(i) == Some(&b'-') {
            i += 1;
        }
        let digits = |i: &mut usize| {
            let start = *i;
            while bytes.get(*i).is_some_and(u8::is_ascii_digit) {
                *i += 1;
            }
            *i > start
        };
        match bytes.get(i) {
            Some(b'0') => i += 1,
            Some(b'1'..=b'9') => {
                digits(&mut i);
            }
            _ => return Err(self.error("invalid number")),
        }
        if bytes.get(i) == Some(&b'.') {
            i += 1;
            if !digits(&mut i) {
                self.pos = i;
                return Err(self.error("invalid number"));
            }
        }
        if matches!(bytes.get(i), Some(b'e' | b'E')) {
            i += 1;
            if matches!(bytes.get(i), Some(b'+' | b'-')) {
                i += 1;
            }
            if !digits(&mut i) {
                self.pos = i;
                return Err(self.error("invalid number"));
            }
        }
        self.pos = i;
        Ok(())
    }

    fn skip_literal(&mut self, literal: &[u8]) -> Result<(), ParseError> {
        if self.bytes.get(self.pos..self.pos + literal.len()) == Some(literal) {
            self.pos += literal.len();
            Ok(())
        } else {
            Err(self.error("expected a JSON value"))
        }
    }
}

/// Decodes the JSON string whose opening quote is at `start` into `out`; `None` if malformed.
fn decode_json_string(bytes: &[u8], start: usize, out: &mut String) -> Option<()> {
    let mut i = start + 1;
    let mut raw_start = i;
    loop {
        match *bytes.get(i)? {
            b'"' => {
                out.push_str(std::str::from_utf8(bytes.get(raw_start..i)?).ok()?);
                return Some(());
            }
            b'\\' => {
                out.push_str(std::str::from_utf8(bytes.get(raw_start..i)?).ok()?);
                let escape = *bytes.get(i + 1)?;
                i += 2;
                match escape {
                    b'"' => out.push('"'),
                    b'\\' => out.push('\\'),
                    b'/' => out.push('/'),
                    b'b' => out.push('\u{8}'),
                    b'f' => out.push('\u{c}'),
                    b'n' => out.push('\n'),
                    b'r' => out.push('\r'),
                    b't' => out.push('\t'),
                    b'u' => {
                        let high = hex4(bytes.get(i..i + 4)?)?;
                        i += 4;
                        let c = if (0xD800..0xDC00).contains(&high)
                            && bytes.get(i..i + 2) == Some(b"\\u")
                        {
                            match hex4(bytes.get(i + 2..i + 6)?) {
                                Some(low) if (0xDC00..0xE000).contains(&low) => {
                                    i += 6;
                                    char::from_u32(
                                        0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00),
                                    )
                                }
                                _ => None,
                            }
                        } else {
                            char::from_u32(high)
                        };
                        out.push(c.unwrap_or('\u{fffd}'));
                    }
                    _ => return None,
                }
                raw_start = i;
            }
            _ => i += 1,
        }
    }
}

/// Whether any byte of the word is `"`, `\\` or below 0x20 (SWAR: a byte equal to the pattern
/// becomes zero, and `(x - 0x01..) & !x & 0x80..` is non-zero exactly when some byte is zero).
fn has_special_byte(word: u64) -> bool {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGHS: u64 = 0x8080_8080_8080_8080;
    let has_zero = |x: u64| x.wrapping_sub(ONES) & !x & HIGHS != 0;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word & HIGHS != 0;
    has_zero(word ^ (ONES * u64::from(b'"')))
        || has_zero(word ^ (ONES * u64::from(b'\\')))
        || below_space
}

fn hex4(digits: &[u8]) -> Option<u32> {
    if digits.len() != 4 || !digits.iter().all(u8::is_ascii_hexdigit) {
        return None;
    }
    u32::from_str_radix(std::str::from_utf8(digits).ok()?, 16).ok()
}

/// A fast non-cryptographic hash (FxHash-style) for duplicate-key detection; equal hashes are
/// confirmed by comparing the decoded keys.
fn hash_bytes(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut hash = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut word = [0u8; 8];
        word.copy_from_slice(chunk);
        hash = (hash.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K);
    }
    let mut word = [0u8; 8];
    let rest = chunks.remainder();
    word[..rest.len()].copy_from_slice(rest);
    (hash.rotate_left(5) ^ u64::from_le_bytes(word)).wrapping_mul(K)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Calls `check` with the JSON pointer of every node of `v`, depth first.
    fn each_pointer(v: &Value, pointer: &mut String, check: &mut dyn FnMut(&str, &Value)) {
        check(pointer, v);
        let len = pointer.len();
        match v {
            Value::Object(map) => {
                for (k, child) in map {
                    pointer.push('/');
                    pointer.push_str(&k.replace('~', "~0").replace('/', "~1"));
                    each_pointer(child, pointer, check);
                    pointer.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter().enumerate() {
                    pointer.push_str(&format!("/{i}"));
                    each_pointer(child, pointer, check);
                    pointer.truncate(len);
                }
            }
            _ => {}
        }
    }

    fn check_all_pointers(value: &Value, positions: &NodePositions) -> usize {
        let mut count = 0;
        each_pointer(value, &mut String::new(), &mut |pointer, _| {
            assert!(
                positions.locate(value, pointer).is_some(),
                "no position for {pointer:?}"
            );
            count += 1;
        });
        assert_eq!(count, positions.node_count());
        count
    }

    fn json(text: &str) -> (Value, NodePositions) {
        let value: Value = serde_json::from_str(text.trim_start_matches('\u{feff}')).unwrap();
        let positions = NodePositions::from_json(text).unwrap();
        check_all_pointers(&value, &positions);
        assert_text_agrees(text, &value, &positions);
        (value, positions)
    }

    /// The text alone (a fresh table, so no index the tree walk built) answers every pointer
    /// of the tree as the tree does: position, members, array lengths and strings.
    fn assert_text_agrees(text: &str, value: &Value, positions: &NodePositions) {
        let alone = NodePositions::from_json(text).unwrap();
        let reader = alone.json_text(text).expect("a JSON table reads its text");
        each_pointer(value, &mut String::new(), &mut |pointer, v| {
            assert_eq!(
                reader.locate(pointer),
                positions.locate(value, pointer),
                "{pointer:?}"
            );
            assert_eq!(reader.array_len(pointer), v.as_array().map(Vec::len));
            assert_eq!(reader.string(pointer).as_deref(), v.as_str(), "{pointer:?}");
            if let Some(map) = v.as_object() {
                for key in map.keys() {
                    assert!(reader.has_member(pointer, key), "{pointer:?} {key:?}");
                }
            }
            assert!(!reader.has_member(pointer, "no such member"));
        });
    }

    #[test]
    fn locates_nested_members_items_and_keys() {
        let text = "{\n  \"openapi\": \"3.1.0\",\n  \"paths\": {\n    \"/pets\": {\n      \"get\": {\"tags\": [\"a\", {\"x\": 1}]}\n    }\n  },\n  \"e\": []\n}";
        let (v, p) = json(text);
        assert_eq!(p.locate(&v, ""), Some((1, 1)));
        assert_eq!(p.locate(&v, "/openapi"), Some((2, 3)));
        assert_eq!(p.locate(&v, "/paths"), Some((3, 3)));
        assert_eq!(p.locate(&v, "/paths/~1pets"), Some((4, 5)));
        assert_eq!(p.locate(&v, "/paths/~1pets/get"), Some((5, 7)));
        assert_eq!(p.locate(&v, "/paths/~1pets/get/tags"), Some((5, 15)));
        // Array items are located at their value.
        assert_eq!(p.locate(&v, "/paths/~1pets/get/tags/0"), Some((5, 24)));
        assert_eq!(p.locate(&v, "/paths/~1pets/get/tags/1"), Some((5, 29)));
        assert_eq!(p.locate(&v, "/paths/~1pets/get/tags/1/x"), Some((5, 30)));
        assert_eq!(p.locate(&v, "/e"), Some((8, 3)));
        assert_eq!(p.locate(&v, "/paths/~1pets/get/tags/2"), None);
        assert_eq!(p.locate(&v, "/paths/~1pets/get/tags/01"), None);
        assert_eq!(p.locate(&v, "/paths/~1pets/get/tags/-"), None);
        assert_eq!(p.locate(&v, "/paths/pets"), None);
        assert_eq!(p.locate(&v, "/openapi/x"), None);
        assert_eq!(p.locate(&v, "openapi"), None);
        assert_eq!(p.locate(&v, "/paths/~2"), None);
        let r = p.json_text(text).unwrap();
        for missing in [
            "/paths/~1pets/get/tags/2",
            "/paths/~1pets/get/tags/01",
            "/paths/~1pets/get/tags/-",
            "/paths/pets",
            "/openapi/x",
            "openapi",
            "/paths/~2",
        ] {
            assert_eq!(r.locate(missing), None, "{missing}");
        }
        assert!(!r.has_member("/paths/~1pets/get/tags", "0"));
    }

    #[test]
    fn tilde_escapes() {
        let (v, p) = json("{\"a/b\": 1, \"c~d\": 2, \"~1\": 3, \"\": 4}");
        assert_eq!(p.locate(&v, "/a~1b"), Some((1, 2)));
        assert_eq!(p.locate(&v, "/c~0d"), Some((1, 12)));
        assert_eq!(p.locate(&v, "/~01"), Some((1, 22)));
        assert_eq!(p.locate(&v, "/"), Some((1, 31)));
    }

    #[test]
    fn unicode_columns_count_characters() {
        let (v, p) = json("{\"é\": \"日本語\", \"k\": [\"🎉\", 2]}");
        assert_eq!(p.locate(&v, "/é"), Some((1, 2)));
        assert_eq!(p.locate(&v, "/k"), Some((1, 14)));
        assert_eq!(p.locate(&v, "/k/0"), Some((1, 20)));
        assert_eq!(p.locate(&v, "/k/1"), Some((1, 25)));
    }

    #[test]
    fn duplicate_keys_follow_serde_json() {
        let text = "{\"a\": {\"x\": 1, \"y\": 2},\n \"b\": 3,\n \"a\": [4, 5],\n \"\\u0062\": 6}";
        let (v, p) = json(text);
        assert_eq!(v["a"], serde_json::json!([4, 5]));
        // The surviving member is the later occurrence, in the first occurrence's slot.
        assert_eq!(p.locate(&v, "/a"), Some((3, 2)));
        assert_eq!(p.locate(&v, "/a/1"), Some((3, 11)));
        assert_eq!(p.locate(&v, "/b"), Some((4, 2)));
    }

    #[test]
    fn many_members_with_a_duplicate() {
        let mut text = String::from("{");
        for i in 0..40 {
            text.push_str(&format!("\"k{i}\": {{\"v\": {i}}},\n"));
        }
        text.push_str("\"k7\": [true]}");
        let (v, p) = json(&text);
        assert_eq!(p.locate(&v, "/k7/0"), Some((41, 8)));
        assert_eq!(p.locate(&v, "/k8/v"), Some((9, 8)));
    }

    /// Every member of a wide mapping and item of a wide array is found, each in constant
    /// time (walking the siblings made 100k lookups in a 100k-member mapping take minutes).
    #[test]
    fn wide_containers_are_indexed() {
        let n = 50_000;
        let mut text = String::from("{\"list\": [\n");
        for i in 0..n {
            text.push_str(&format!("[{i}],\n"));
        }
        text.push_str("0],\n");
        for i in 0..n {
            text.push_str(&format!("\"k{i}\": {{\"v\": {i}}},\n"));
        }
        text.push_str("\"end\": 0}");
        let (v, p) = json(&text);
        let started = std::time::Instant::now();
        for i in 0..n {
            assert_eq!(
                p.locate(&v, &format!("/list/{i}/0")),
                Some((i as u32 + 2, 2))
            );
            let column = format!("\"k{i}\": {{").len() as u32 + 1;
            assert_eq!(
                p.locate(&v, &format!("/k{i}/v")),
                Some((i as u32 + n as u32 + 3, column))
            );
        }
        assert_eq!(p.locate(&v, "/list/50000"), Some((n as u32 + 2, 1)));
        assert_eq!(p.locate(&v, "/list/50001"), None);
        assert_eq!(p.locate(&v, "/nope"), None);
        assert!(started.elapsed().as_secs() < 20, "{:?}", started.elapsed());
    }

    #[test]
    fn bom_escapes_and_literals() {
        let (v, p) =
            json("\u{feff}{\"s\": \"a\\\"b\\\\\", \"n\": -1.5e+3, \"t\": [true, false, null]}");
        assert_eq!(p.locate(&v, "/n"), Some((1, 17)));
        assert_eq!(p.locate(&v, "/t/2"), Some((1, 50)));
    }

    #[test]
    fn malformed_json_is_an_error_not_a_panic() {
        for text in [
            "",
            "{",
            "{\"a\"",
            "{\"a\":",
            "{\"a\": 1",
            "[1,]",
            "[01]",
            "{\"a\" 1}",
            "\"abc",
            "[1] x",
            "{1: 2}",
            "[tru]",
            "[-]",
            "[1.]",
            "[1e]",
            "[\"\\u12\"]",
            "{\"\\q\": 1}",
            "[\"a\nb\"]",
            "}",
            "]",
        ] {
            let error = NodePositions::from_json(text).unwrap_err();
            assert!(error.line >= 1 && error.column >= 1, "{text:?}: {error:?}");
        }
        let error = NodePositions::from_json("{\n  \"a\": tru\n}").unwrap_err();
        assert_eq!((error.line, error.column), (2, 8));
    }

    #[test]
    fn special_byte_detection_matches_a_byte_loop() {
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        for round in 0..200_000u32 {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            let mut word = state.to_le_bytes();
            // Plant interesting bytes often enough.
            let plant = [b'"', b'\\', 0x1f, 0x20, 0x7f, 0x80, 0xff, b'!', b']'];
            word[(round % 8) as usize] = plant[(round % 9) as usize];
            let naive = word.iter().any(|&b| b == b'"' || b == b'\\' || b < 0x20);
            assert_eq!(
                has_special_byte(u64::from_le_bytes(word)),
                naive,
                "{word:?}"
            );
        }
    }

    #[test]
    fn long_strings_with_escapes_and_unicode() {
        let pieces = [
            "a",
            "é",
            "\\\"",
            "\\\\",
            "日本",
            "\\u00e9",
            "abcdefghij",
            "🎉",
            "\\n",
        ];
        for len in 0..60 {
            let body: String = (0..len)
                .map(|i| pieces[(i * 7 + len) % pieces.len()])
                .collect();
            let text = format!("{{\"k\": \"{body}\", \"z\": [1]}}");
            let value: Value = serde_json::from_str(&text).unwrap();
            let p = NodePositions::from_json(&text).unwrap();
            let z = text.rfind("\"z\"").unwrap();
            let column = text[..z].chars().count() as u32 + 1;
            assert_eq!(p.locate(&value, "/z"), Some((1, column)), "{text}");
            assert_eq!(p.locate(&value, "/z/0"), Some((1, column + 6)), "{text}");
        }
    }

    #[test]
    fn pointer_tokens() {
        assert_eq!(unescape_token("a~1b~0c").as_deref(), Some("a/b~c"));
        assert_eq!(unescape_token("~01").as_deref(), Some("~1"));
        assert_eq!(unescape_token("~"), None);
        assert_eq!(parse_array_index("0"), Some(0));
        assert_eq!(parse_array_index("10"), Some(10));
        assert_eq!(parse_array_index("+1"), None);
        assert_eq!(parse_array_index(""), None);
    }
}
