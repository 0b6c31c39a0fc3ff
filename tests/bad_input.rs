//! Every kind of bad input gets a clear message with a location and exit code 2 (or, where the
//! spec is readable but wrong, a finding and exit code 1). Never a panic, never a hang.

mod common;

use common::*;
use std::io::{Read, Write};
use std::net::TcpListener;
use std::time::{Duration, Instant};

const MINIMAL: &str = "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n";

fn assert_load_error(out: &Outcome, needle: &str) {
    assert_eq!(out.code, 2, "exit code; stderr: {}", out.stderr);
    assert!(
        out.stderr.contains(needle),
        "stderr should mention {needle:?}: {}",
        out.stderr
    );
    assert!(!out.stderr.contains("panicked"), "a panic: {}", out.stderr);
}

#[test]
fn empty_file() {
    let (_d, p) = temp_spec("empty.yaml", b"");
    let out = oaskit(&["validate", &p]);
    assert_load_error(&out, "empty");
    assert!(out.stderr.contains("empty.yaml:1:1"), "{}", out.stderr);
}

#[test]
fn binary_garbage() {
    let bytes: Vec<u8> = (0..4096u32)
        .map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8)
        .collect();
    let (_d, p) = temp_spec("garbage.bin", &bytes);
    let out = oaskit(&["validate", &p]);
    assert_eq!(out.code, 2, "{}", out.stderr);
    assert!(out.stderr.contains("garbage.bin:"), "{}", out.stderr);
}

#[test]
fn truncated_json_names_line_and_column() {
    let (_d, p) = temp_spec(
        "t.json",
        b"{\n  \"openapi\": \"3.1.0\",\n  \"info\": {\"title\": \"x\",",
    );
    let out = oaskit(&["validate", &p]);
    assert_load_error(&out, "t.json:3:");
}

#[test]
fn yaml_duplicate_keys() {
    let text = "openapi: 3.1.0\ninfo:\n  title: a\n  title: b\n  version: '1'\npaths: {}\n";
    let (_d, p) = temp_spec("dup.yaml", text.as_bytes());
    let out = oaskit(&["validate", &p]);
    assert_load_error(&out, "dup.yaml:4:");
    assert!(out.stderr.contains("title"), "{}", out.stderr);
}

#[test]
fn yaml_alias_bomb_is_refused_fast() {
    let mut text = String::from("openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n");
    text.push_str(
        "x-a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    let names = ["b", "c", "d", "e", "f", "g", "h", "i"];
    let mut prev = "a";
    for n in names {
        text.push_str(&format!("x-{n}: &{n} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"));
        prev = n;
    }
    let (_d, p) = temp_spec("bomb.yaml", text.as_bytes());
    let start = Instant::now();
    let out = oaskit(&["validate", &p]);
    assert_load_error(&out, "alias");
    assert!(
        start.elapsed() < Duration::from_secs(10),
        "took {:?}",
        start.elapsed()
    );
}

#[test]
fn deep_nesting_is_refused_with_a_position() {
    let mut text = String::from(
        "{\"openapi\": \"3.1.0\", \"info\": {\"title\": \"t\", \"version\": \"1\"}, \"x-deep\": ",
    );
    text.push_str(&"[".repeat(200));
    text.push_str(&"]".repeat(200));
    text.push('}');
    let (_d, p) = temp_spec("deep.json", text.as_bytes());
    let out = oaskit(&["validate", &p]);
    assert_load_error(&out, "deep.json:1:");
}

#[test]
fn ref_to_missing_file_is_a_finding() {
    let text = format!("{MINIMAL}components:\n  schemas:\n    A:\n      $ref: ./nowhere.yaml#/A\n");
    let (_d, p) = temp_spec("a.yaml", text.as_bytes());
    let out = oaskit(&["validate", "--format", "json", &p]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let doc = json(&out);
    let f = &doc["findings"][0];
    assert_eq!(f["rule"], "unresolved-ref");
    assert!(
        f["message"]
            .as_str()
            .unwrap_or_default()
            .contains("nowhere.yaml"),
        "{f}"
    );
    assert_eq!(f["location"]["pointer"], "/components/schemas/A/$ref");
    assert_eq!(f["location"]["line"], 7);
}

#[test]
fn ref_to_missing_pointer_is_a_finding() {
    let text =
        format!("{MINIMAL}components:\n  schemas:\n    A:\n      $ref: '#/components/schemas/B'\n");
    let (_d, p) = temp_spec("a.yaml", text.as_bytes());
    let out = oaskit(&["validate", "--format", "json", &p]);
    assert_eq!(out.code, 1);
    assert_eq!(rules(&out), vec!["unresolved-ref"]);
}

#[test]
fn ref_to_itself_and_ref_loops_are_findings() {
    let text = format!(
        "{MINIMAL}components:\n  schemas:\n    A:\n      $ref: '#/components/schemas/A'\n    B:\n      $ref: '#/components/schemas/C'\n    C:\n      $ref: '#/components/schemas/B'\n"
    );
    let (_d, p) = temp_spec("a.yaml", text.as_bytes());
    let out = oaskit(&["validate", "--format", "json", &p]);
    assert_eq!(out.code, 1, "{}", out.stderr);
    let rules = rules(&out);
    assert!(rules.iter().all(|r| r == "ref-cycle"), "{rules:?}");
    assert!(rules.len() >= 2, "{rules:?}");
}

#[test]
fn recursive_schemas_are_normal() {
    let text = format!(
        "{MINIMAL}components:\n  schemas:\n    Tree:\n      type: object\n      properties:\n        children: {{type: array, items: {{$ref: '#/components/schemas/Tree'}}}}\n"
    );
    let (_d, p) = temp_spec("a.yaml", text.as_bytes());
    let out = oaskit(&["validate", &p]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
}

#[test]
fn a_directory_is_not_a_spec() {
    let dir = tempfile::tempdir().expect("temp dir");
    let out = oaskit(&["validate", &dir.path().display().to_string()]);
    assert_load_error(&out, "directory");
}

#[test]
fn a_missing_file_is_exit_2() {
    let out = oaskit(&["validate", "does/not/exist.yaml"]);
    assert_load_error(&out, "exist.yaml");
}

#[test]
fn other_json_schema_dialect_is_a_finding() {
    let text = "openapi: 3.1.0\njsonSchemaDialect: http://json-schema.org/draft-07/schema#\ninfo: {title: t, version: '1'}\npaths: {}\n";
    let (_d, p) = temp_spec("a.yaml", text.as_bytes());
    let out = oaskit(&["validate", "--format", "json", &p]);
    assert_eq!(out.code, 1);
    assert_eq!(rules(&out), vec!["unsupported-schema-dialect"]);
    assert_eq!(json(&out)["findings"][0]["location"]["line"], 2);
}

#[test]
fn unknown_openapi_major_version() {
    let (_d, p) = temp_spec(
        "a.yaml",
        b"openapi: 4.0.0\ninfo: {title: t, version: '1'}\npaths: {}\n",
    );
    let out = oaskit(&["validate", &p]);
    assert_load_error(&out, "4.0.0");
    assert!(out.stderr.contains("a.yaml:1:1"), "{}", out.stderr);
}

#[test]
fn swagger_2_is_refused_with_advice() {
    let (_d, p) = temp_spec(
        "s.json",
        br#"{"swagger": "2.0", "info": {"title": "t", "version": "1"}, "paths": {}}"#,
    );
    let out = oaskit(&["validate", &p]);
    assert_load_error(&out, "convert it first");
}

#[test]
fn not_openapi_at_all() {
    let (_d, p) = temp_spec("a.yaml", b"hello: world\n");
    let out = oaskit(&["validate", &p]);
    assert_load_error(&out, "not an OpenAPI document");
}

/// Serves `response` (raw HTTP) once per connection on 127.0.0.1, `count` times.
fn serve(response: &'static [u8], count: usize) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    std::thread::spawn(move || {
        for stream in listener.incoming().take(count) {
            let Ok(mut stream) = stream else { continue };
            let mut buf = [0u8; 4096];
            let _ = stream.read(&mut buf);
            let _ = stream.write_all(response);
        }
    });
    format!("http://{addr}/openapi.yaml")
}

#[test]
fn url_returning_404() {
    let url = serve(
        b"HTTP/1.1 404 Not Found\r\ncontent-length: 0\r\nconnection: close\r\n\r\n",
        1,
    );
    let out = oaskit(&["validate", &url]);
    assert_load_error(&out, "404");
}

#[test]
fn url_returning_html() {
    let url = serve(
        b"HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 28\r\nconnection: close\r\n\r\n<html><body>hi</body></html>",
        1,
    );
    let out = oaskit(&["validate", &url]);
    assert_load_error(&out, "HTML");
}

#[test]
fn url_that_times_out() {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("local addr");
    // Accept and never answer.
    let _keep = std::thread::spawn(move || {
        let conns: Vec<_> = listener.incoming().take(1).collect();
        std::thread::sleep(Duration::from_secs(10));
        drop(conns);
    });
    let start = Instant::now();
    let out = oaskit(&[
        "validate",
        "--http-timeout",
        "1",
        &format!("http://{addr}/spec.yaml"),
    ]);
    assert_load_error(&out, "timed out");
    assert!(
        start.elapsed() < Duration::from_secs(8),
        "{:?}",
        start.elapsed()
    );
}

#[test]
fn url_serving_a_spec_works() {
    let url = serve(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/yaml\r\ncontent-length: 58\r\nconnection: close\r\n\r\nopenapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\n\n\n",
        1,
    );
    let out = oaskit(&["validate", &url]);
    assert_eq!(out.code, 0, "{}", out.stderr);
}

#[test]
fn remote_refs_from_local_files_need_the_flag() {
    let text = format!(
        "{MINIMAL}components:\n  schemas:\n    A:\n      $ref: 'http://127.0.0.1:9/a.yaml#/A'\n"
    );
    let (_d, p) = temp_spec("a.yaml", text.as_bytes());
    let out = oaskit(&["validate", "--format", "json", &p]);
    assert_eq!(out.code, 1);
    let message = json(&out)["findings"][0]["message"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    assert!(message.contains("--allow-remote-refs"), "{message}");
}
