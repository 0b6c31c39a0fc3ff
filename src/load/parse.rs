//! Bytes of one spec file to a JSON tree (JSON or YAML, decided by content), or an error with a line and column.

use super::sourcemap::{NodePositions, to_u32};
use super::yaml::{NESTING_MESSAGE, parse_yaml};
use serde_json::Value;

/// One parsed file. `positions` is filled for YAML (built while parsing); for JSON it is `None`
/// and built on demand with [`NodePositions::from_json`] from the same text, since most runs
/// never need a position.
#[derive(Debug, Clone)]
pub struct ParsedDocument {
    pub root: Value,
    pub format: DocFormat,
    pub positions: Option<NodePositions>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DocFormat {
    Json,
    Yaml,
}

/// Why a file could not be parsed; `line` and `column` are 1-based, the column in characters.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct ParseError {
    pub message: String,
    pub line: u32,
    pub column: u32,
}

const UTF8_BOM: &[u8] = b"\xEF\xBB\xBF";

/// Parses one JSON or YAML document whose top level is a mapping. The format is decided by the
/// content: a document whose first character is `{` or `[` is JSON, unless `serde_json` refuses
/// it and it is valid YAML (a YAML flow mapping also starts with `{`). A UTF-8 byte order mark
/// is skipped, and positions are counted after it.
pub fn parse_document(bytes: &[u8]) -> Result<ParsedDocument, ParseError> {
    if bytes.starts_with(b"\xFF\xFE") || bytes.starts_with(b"\xFE\xFF") {
        return Err(ParseError {
            message: "the file is UTF-16 encoded; save it as UTF-8".to_owned(),
            line: 1,
            column: 1,
        });
    }
    let bytes = bytes.strip_prefix(UTF8_BOM).unwrap_or(bytes);
    if let Some(nul) = bytes.iter().position(|&b| b == 0) {
        let (line, column) = position_of_offset(bytes, nul);
        return Err(ParseError {
            message: "binary data, not a JSON or YAML document".to_owned(),
            line,
            column,
        });
    }
    let text = std::str::from_utf8(bytes).map_err(|error| {
        let offset = error.valid_up_to();
        let (line, column) = position_of_offset(bytes, offset);
        ParseError {
            message: format!("invalid UTF-8 at byte offset {offset}"),
            line,
            column,
        }
    })?;
    let start = text.len() - text.trim_start_matches([' ', '\t', '\r', '\n']).len();
    match text.as_bytes().get(start) {
        None => Err(ParseError {
            message: "the file is empty".to_owned(),
            line: 1,
            column: 1,
        }),
        Some(b'{' | b'[') => parse_json_or_flow_yaml(text, start),
        Some(_) => {
            let (root, positions) = parse_yaml(text)?;
            yaml_document(root, positions)
        }
    }
}

fn parse_json_or_flow_yaml(text: &str, start: usize) -> Result<ParsedDocument, ParseError> {
    match super::json_value::from_str(text) {
        Ok(root) => {
            if !root.is_object() {
                let (line, column) = position_of_offset(text.as_bytes(), start);
                return Err(not_a_mapping(line, column));
            }
            Ok(ParsedDocument {
                root,
                format: DocFormat::Json,
                positions: None,
            })
        }
        Err(json_error) => match parse_yaml(text) {
            Ok((root, positions)) => yaml_document(root, positions),
            Err(_) => Err(convert_json_error(&json_error, text)),
        },
    }
}

fn yaml_document(root: Value, positions: NodePositions) -> Result<ParsedDocument, ParseError> {
    if !root.is_object() {
        let (line, column) = positions.locate(&root, "").unwrap_or((1, 1));
        return Err(not_a_mapping(line, column));
    }
    Ok(ParsedDocument {
        root,
        format: DocFormat::Yaml,
        positions: Some(positions),
    })
}

fn not_a_mapping(line: u32, column: u32) -> ParseError {
    ParseError {
        message: "an OpenAPI document must be a mapping at the top level".to_owned(),
        line,
        column,
    }
}

/// `serde_json` reports the line and the byte column of the character it stopped at; the
/// column is converted to characters and the position suffix dropped from the message.
fn convert_json_error(error: &serde_json::Error, text: &str) -> ParseError {
    let full = error.to_string();
    let suffix = format!(" at line {} column {}", error.line(), error.column());
    let detail = full.strip_suffix(&suffix).unwrap_or(&full);
    let message = if detail == "recursion limit exceeded" {
        NESTING_MESSAGE.to_owned()
    } else if error.is_eof() {
        format!("unexpected end of file, the JSON is truncated ({detail})")
    } else {
        format!("invalid JSON: {detail}")
    };
    let line = error.line().max(1);
    let line_text = text.split('\n').nth(line - 1).unwrap_or("");
    let byte_column = error.column().min(line_text.len());
    let column = line_text.as_bytes()[..byte_column]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count()
        .max(1);
    ParseError {
        message,
        line: to_u32(line),
        column: to_u32(column),
    }
}

/// 1-based line and character column of a byte offset (the bytes before it need not be UTF-8).
fn position_of_offset(bytes: &[u8], offset: usize) -> (u32, u32) {
    let before = &bytes[..offset.min(bytes.len())];
    let line_start = before
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(0, |i| i + 1);
    let line = before.iter().filter(|&&b| b == b'\n').count() + 1;
    let column = before[line_start..]
        .iter()
        .filter(|&&b| b & 0xC0 != 0x80)
        .count()
        + 1;
    (to_u32(line), to_u32(column))
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;
    use std::time::Instant;

    fn parse(text: &str) -> ParsedDocument {
        parse_document(text.as_bytes()).unwrap_or_else(|e| panic!("{e:?} in {text:?}"))
    }

    fn parse_error(bytes: &[u8]) -> ParseError {
        match parse_document(bytes) {
            Ok(doc) => panic!("expected an error, got {}", doc.root),
            Err(error) => error,
        }
    }

    /// Every node has a position and every pointer of the tree is located.
    fn assert_positions_cover(root: &Value, positions: &NodePositions) {
        fn walk(v: &Value, pointer: &mut String, root: &Value, positions: &NodePositions) -> usize {
            assert!(positions.locate(root, pointer).is_some(), "{pointer:?}");
            let len = pointer.len();
            let mut count = 1;
            match v {
                Value::Object(map) => {
                    for (k, child) in map {
                        pointer.push('/');
                        pointer.push_str(&k.replace('~', "~0").replace('/', "~1"));
                        count += walk(child, pointer, root, positions);
                        pointer.truncate(len);
                    }
                }
                Value::Array(items) => {
                    for (i, child) in items.iter().enumerate() {
                        pointer.push('/');
                        pointer.push_str(&i.to_string());
                        count += walk(child, pointer, root, positions);
                        pointer.truncate(len);
                    }
                }
                _ => {}
            }
            count
        }
        let count = walk(root, &mut String::new(), root, positions);
        assert_eq!(count, positions.node_count());
    }

    #[test]
    fn json_and_yaml_give_the_same_tree() {
        let json_text = r#"{
  "openapi": "3.1.0",
  "info": {"title": "Pets", "version": "1.0"},
  "paths": {
    "/pets/{id}": {
      "get": {
        "parameters": [{"name": "id", "in": "path", "required": true,
                        "schema": {"type": "integer", "minimum": -5, "maximum": 1.5e3}}],
        "responses": {"200": {"description": "ok", "content": {"application/json": {
          "example": {"price": 12.5, "tags": [], "owner": null, "big": 18446744073709551615}}}}}
      }
    }
  }
}"#;
        let yaml_text = r#"openapi: 3.1.0
info:
  title: Pets
  version: "1.0"
paths:
  /pets/{id}:
    get:
      parameters:
        - name: id
          in: path
          required: true
          schema:
            type: integer
            minimum: -5
            maximum: 1.5e3
      responses:
        200:
          description: ok
          content:
            application/json:
              example:
                price: 12.5
                tags: []
                owner: ~
                big: 18446744073709551615
"#;
        let from_json = parse(json_text);
        let from_yaml = parse(yaml_text);
        assert_eq!(from_json.format, DocFormat::Json);
        assert_eq!(from_yaml.format, DocFormat::Yaml);
        assert!(from_json.positions.is_none());
        assert_eq!(from_json.root, from_yaml.root);
        assert_eq!(from_json.root.to_string(), from_yaml.root.to_string());
        let json_positions = NodePositions::from_json(json_text).unwrap();
        assert_positions_cover(&from_json.root, &json_positions);
        let yaml_positions = from_yaml.positions.as_ref().unwrap();
        assert_positions_cover(&from_yaml.root, yaml_positions);
        let pointer =
            "/paths/~1pets~1{id}/get/responses/200/content/application~1json/example/price";
        assert_eq!(
            json_positions.locate(&from_json.root, pointer),
            Some((10, 23))
        );
        assert_eq!(
            yaml_positions.locate(&from_yaml.root, pointer),
            Some((22, 17))
        );
        let pointer = "/paths/~1pets~1{id}/get/parameters/0/schema/minimum";
        assert_eq!(
            json_positions.locate(&from_json.root, pointer),
            Some((8, 55))
        );
        assert_eq!(
            yaml_positions.locate(&from_yaml.root, pointer),
            Some((14, 13))
        );
    }

    #[test]
    fn format_is_decided_by_content() {
        let doc = parse("\u{feff}  \n {\"a\": 1}");
        assert_eq!(doc.format, DocFormat::Json);
        // A YAML flow mapping starts with `{` too.
        let doc = parse("{a: 1, b: [x, y]}\n");
        assert_eq!(doc.format, DocFormat::Yaml);
        assert_eq!(doc.root, json!({"a": 1, "b": ["x", "y"]}));
        let doc = parse("# comment\n{\"a\": 1}\n");
        assert_eq!(doc.format, DocFormat::Yaml);
        assert_eq!(doc.root, json!({"a": 1}));
        // The byte order mark does not count as a column.
        let doc = parse("\u{feff}a: 1\nb: 2\n");
        let positions = doc.positions.unwrap();
        assert_eq!(positions.locate(&doc.root, "/a"), Some((1, 1)));
        assert_eq!(
            NodePositions::from_json("\u{feff}{\"a\": 1}")
                .unwrap()
                .locate(&json!({"a": 1}), "/a"),
            Some((1, 2))
        );
    }

    #[test]
    fn truncated_json_reports_where_it_stops() {
        let error = parse_error(b"{\n  \"openapi\": \"3.0.0\",\n  \"info\": {\"title\": \"x\"");
        assert!(
            error
                .message
                .starts_with("unexpected end of file, the JSON is truncated"),
            "{error:?}"
        );
        assert_eq!((error.line, error.column), (3, 23));
        let error = parse_error("{\"é\": ]}".as_bytes());
        assert!(
            error.message.starts_with("invalid JSON: expected value"),
            "{error:?}"
        );
        assert_eq!((error.line, error.column), (1, 7));
        let error = parse_error(b"{\"a\": 1}\n{\"b\": 2}");
        assert!(error.message.contains("trailing characters"), "{error:?}");
        assert_eq!((error.line, error.column), (2, 1));
    }

    #[test]
    fn empty_files() {
        for text in [
            "",
            "   \n\t\r\n",
            "\u{feff}",
            "# nothing here\n# really\n",
            "---\n",
        ] {
            let error = parse_error(text.as_bytes());
            assert_eq!(error.message, "the file is empty", "{text:?}");
            assert_eq!((error.line, error.column), (1, 1));
        }
    }

    #[test]
    fn binary_and_encodings() {
        let error = parse_error(b"openapi: 3.0.0\nx: \x00\x01\x02\xff");
        assert_eq!(error.message, "binary data, not a JSON or YAML document");
        assert_eq!((error.line, error.column), (2, 4));
        let error = parse_error(b"a: 1\nb: \xff\n");
        assert_eq!(error.message, "invalid UTF-8 at byte offset 8");
        assert_eq!((error.line, error.column), (2, 4));
        let mut bytes = "a: é\nbé: ".as_bytes().to_vec();
        bytes.extend_from_slice(b"\xC3\x28 rest");
        let error = parse_error(&bytes);
        assert_eq!(error.message, "invalid UTF-8 at byte offset 11");
        assert_eq!((error.line, error.column), (2, 5));
        let error = parse_error(b"\xFF\xFEa\x00:\x00");
        assert!(error.message.contains("UTF-16"), "{error:?}");
    }

    #[test]
    fn nesting_limit_in_both_formats() {
        let json_deep = format!("{{\"a\": {}{}}}", "[".repeat(199), "]".repeat(199));
        let error = parse_error(json_deep.as_bytes());
        assert_eq!(error.message, "nesting deeper than 128 levels");
        assert_eq!((error.line, error.column), (1, 133));
        let mut yaml_deep = String::new();
        for depth in 0..200 {
            yaml_deep.push_str(&"  ".repeat(depth));
            yaml_deep.push_str("k:\n");
        }
        let error = parse_error(yaml_deep.as_bytes());
        assert_eq!(error.message, "nesting deeper than 128 levels");
        assert_eq!((error.line, error.column), (128, 255));
        // 127 nested containers are accepted by both.
        let json_ok = format!("{{\"a\": {}{}}}", "[".repeat(126), "]".repeat(126));
        let yaml_ok = format!("a: {}{}", "[".repeat(126), "]".repeat(126));
        assert_eq!(parse(&json_ok).root, parse(&yaml_ok).root);
    }

    #[test]
    fn multiple_documents() {
        let error = parse_error(b"openapi: 3.0.0\n---\nopenapi: 3.1.0\n");
        assert!(
            error.message.contains("more than one YAML document"),
            "{error:?}"
        );
        assert_eq!((error.line, error.column), (2, 1));
    }

    #[test]
    fn top_level_must_be_a_mapping() {
        for (text, line, column) in [
            ("[1, 2]", 1, 1),
            ("\n  \"x\"", 2, 3),
            ("- a\n- b\n", 1, 1),
            ("42\n", 1, 1),
            ("null", 1, 1),
            ("[a, b]", 1, 1),
        ] {
            let error = parse_error(text.as_bytes());
            assert_eq!(
                error.message, "an OpenAPI document must be a mapping at the top level",
                "{text:?}"
            );
            assert_eq!((error.line, error.column), (line, column), "{text:?}");
        }
    }

    #[test]
    fn yaml_errors_carry_positions() {
        let error = parse_error(b"a: 1\nb: [1, 2\nc: 3\n");
        assert!(error.message.starts_with("invalid YAML"), "{error:?}");
        assert!(error.line >= 2);
        let error = parse_error(b"a:\n  b: 1\n c: 2\n");
        assert!(error.message.starts_with("invalid YAML"), "{error:?}");
        let error = parse_error(b"a: *nope\n");
        assert!(error.message.starts_with("invalid YAML"), "{error:?}");
        assert_eq!(error.line, 1);
    }

    /// A tiny deterministic generator: random token soups and every truncation and one-byte
    /// corruption of small valid documents. Whatever comes out, parse must return, not panic,
    /// and every success must come with a complete, consistent position table.
    #[test]
    fn parse_never_panics_on_generated_inputs() {
        const TOKENS: &[&str] = &[
            "{",
            "}",
            "[",
            "]",
            ",",
            ":",
            " ",
            "\n",
            "  ",
            "- ",
            "a",
            "\"k\"",
            "'q'",
            "1",
            "-2.5",
            "0x1F",
            "true",
            "null",
            "~",
            "&x ",
            "*x",
            "&y ",
            "*y",
            "<<: ",
            "? ",
            "!!str ",
            "!!int ",
            "---\n",
            "...\n",
            "# c\n",
            "|\n",
            ">-\n",
            "\\",
            "\"",
            "\u{e9}",
            "\t",
            "%YAML 1.2\n",
            "200",
            "\"\\u00e9\"",
            "!",
            "@",
            "`",
            "\r\n",
        ];
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let check = |bytes: &[u8]| {
            if let Ok(doc) = parse_document(bytes) {
                assert!(doc.root.is_object());
                let positions = match doc.positions {
                    Some(positions) => positions,
                    None => NodePositions::from_json(std::str::from_utf8(bytes).unwrap()).unwrap(),
                };
                assert_positions_cover(&doc.root, &positions);
            }
        };
        for _ in 0..20_000 {
            let len = (next() % 24) as usize;
            let mut text = String::new();
            for _ in 0..len {
                text.push_str(TOKENS[(next() % TOKENS.len() as u64) as usize]);
            }
            check(text.as_bytes());
        }
        let seeds = [
            "a: &a {x: [1, 2], y: {z: null}}\nb: *a\nc:\n  <<: *a\n  y: 2\n",
            "{\"a\": {\"b\": [1, 2.5, \"x\\n\", true]}, \"c\": \"\\u00e9\", \"a\": 3}",
            "openapi: 3.0.0\npaths:\n  /p:\n    get:\n      responses:\n        200: {description: ok}\n",
        ];
        for seed in seeds {
            let bytes = seed.as_bytes();
            for cut in 0..=bytes.len() {
                check(&bytes[..cut]);
            }
            for i in 0..bytes.len() {
                for replacement in [b'{', b'"', b':', b' ', b'\n', b'&', b'*', b'[', 0xff] {
                    let mut mutated = bytes.to_vec();
                    mutated[i] = replacement;
                    check(&mutated);
                }
            }
        }
    }

    const CORPUS: &str = "/work/shared/corpus/specs";

    /// Every real spec parses and every node of it is located. Slow in debug builds:
    /// `cargo test --release -- --ignored corpus`.
    #[test]
    #[ignore]
    fn corpus_specs_parse_with_positions() {
        let Ok(entries) = std::fs::read_dir(CORPUS) else {
            eprintln!("no corpus at {CORPUS}, skipped");
            return;
        };
        let mut paths: Vec<_> = entries.filter_map(|e| e.ok()).map(|e| e.path()).collect();
        paths.sort();
        for path in paths {
            let bytes = std::fs::read(&path).unwrap();
            let started = Instant::now();
            let doc =
                parse_document(&bytes).unwrap_or_else(|e| panic!("{}: {e:?}", path.display()));
            let positions = match doc.positions {
                Some(positions) => positions,
                None => NodePositions::from_json(std::str::from_utf8(&bytes).unwrap()).unwrap(),
            };
            let elapsed = started.elapsed();
            assert_positions_cover(&doc.root, &positions);
            eprintln!(
                "{:>10} bytes {:>9.1?} {:?} {}",
                bytes.len(),
                elapsed,
                doc.format,
                path.display()
            );
        }
    }

    /// Release-mode timings of the biggest JSON and YAML specs:
    /// `cargo test --release -- --ignored --nocapture timings`.
    #[test]
    #[ignore]
    fn timings_on_large_specs() {
        for name in ["od-microsoft-graph-v1.0.json", "stripe-spec3.yaml"] {
            let Ok(bytes) = std::fs::read(format!("{CORPUS}/{name}")) else {
                eprintln!("{name} not found, skipped");
                continue;
            };
            let started = Instant::now();
            let doc = parse_document(&bytes).unwrap();
            let parsed = started.elapsed();
            let positions = match doc.positions {
                Some(positions) => positions,
                None => NodePositions::from_json(std::str::from_utf8(&bytes).unwrap()).unwrap(),
            };
            let total = started.elapsed();
            let located = Instant::now();
            let found = positions.locate(&doc.root, "/info/title");
            eprintln!(
                "{name}: {} bytes, {} nodes, parse {parsed:.1?}, parse + positions {total:.1?}, locate {:.1?} -> {found:?}",
                bytes.len(),
                positions.node_count(),
                located.elapsed()
            );
        }
    }
}
