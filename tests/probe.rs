//! `oaskit probe` against a deliberately misbehaving server on 127.0.0.1: each fault becomes a
//! finding, and nothing hangs past the timeouts.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

const SPEC: &str = r#"openapi: 3.1.0
info: {title: faults, version: '1'}
paths:
  /good: {get: {operationId: good, responses: {'200': {description: ok, headers: {X-Count: {required: true, schema: {type: integer}}}, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}}}}
  /wrong-type: {get: {operationId: wrongType, responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}}}}
  /html: {get: {operationId: html, responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}}}}
  /undeclared: {get: {operationId: undeclared, responses: {'200': {description: ok}}}}
  /hang: {get: {operationId: hang, responses: {'200': {description: ok}}}}
  /reset: {get: {operationId: reset, responses: {'200': {description: ok}}}}
  /big: {get: {operationId: big, responses: {'200': {description: ok, content: {application/json: {schema: {type: string}}}}}}}
  /loop: {get: {operationId: loop, responses: {'200': {description: ok}}}}
  /items/{id}:
    get:
      operationId: getItem
      parameters: [{name: id, in: path, required: true, schema: {type: integer}, example: 42}]
      responses: {'200': {description: ok, content: {application/json: {schema: {$ref: '#/components/schemas/Item'}}}}}
    delete:
      operationId: deleteItem
      parameters: [{name: id, in: path, required: true, schema: {type: integer}}]
      responses: {'204': {description: gone}}
components:
  schemas:
    Item:
      type: object
      required: [id, price]
      properties:
        id: {type: integer}
        price: {type: integer}
"#;

fn respond(mut stream: TcpStream) {
    let mut reader = BufReader::new(stream.try_clone().expect("clone the stream"));
    let mut request_line = String::new();
    if reader.read_line(&mut request_line).is_err() {
        return;
    }
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).map_or(true, |n| n == 0) || line == "\r\n" {
            break;
        }
    }
    let path = request_line
        .split_whitespace()
        .nth(1)
        .unwrap_or("/")
        .to_string();
    let json = |status: &str, extra: &str, body: &str| {
        format!(
            "HTTP/1.1 {status}\r\ncontent-type: application/json\r\n{extra}content-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    };
    let reply = match path.as_str() {
        "/good" => json("200 OK", "x-count: 3\r\n", r#"{"id": 1, "price": 1250}"#),
        "/items/42" => json("200 OK", "", r#"{"id": 42, "price": 1250}"#),
        "/wrong-type" => json("200 OK", "", r#"{"id": 1, "price": "12.50"}"#),
        "/html" => "HTTP/1.1 200 OK\r\ncontent-type: text/html\r\ncontent-length: 13\r\nconnection: close\r\n\r\n<html></html>".to_string(),
        "/undeclared" => json("418 I'm a teapot", "", "{}"),
        "/hang" => {
            std::thread::sleep(Duration::from_secs(8));
            return;
        }
        "/reset" => return, // drop the connection without a response
        "/big" => {
            let body = format!("\"{}\"", "x".repeat(64 * 1024));
            json("200 OK", "", &body)
        }
        "/loop" => "HTTP/1.1 302 Found\r\nlocation: /loop\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_string(),
        _ => json("404 Not Found", "", "{}"),
    };
    let _ = stream.write_all(reply.as_bytes());
}

fn start_server() -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let addr = listener.local_addr().expect("address");
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            std::thread::spawn(move || respond(stream));
        }
    });
    format!("http://{addr}")
}

fn findings_by_operation(out: &Outcome) -> Vec<(String, String)> {
    let doc = json(out);
    let mut pairs: Vec<(String, String)> = doc["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| {
                    (
                        f["operation"].as_str().unwrap_or("").to_string(),
                        f["rule"].as_str().unwrap_or("").to_string(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    pairs.sort();
    pairs
}

#[test]
fn every_fault_is_a_finding_and_nothing_hangs() {
    let base = start_server();
    let (_d, spec) = temp_spec("faults.yaml", SPEC.as_bytes());
    let start = Instant::now();
    let out = oaskit(&[
        "probe",
        &spec,
        "--base-url",
        &base,
        "--timeout",
        "2",
        "--max-body",
        "16384",
        "--examples-only",
        "--format",
        "json",
    ]);
    assert!(
        start.elapsed() < Duration::from_secs(7),
        "took {:?}",
        start.elapsed()
    );
    assert_eq!(out.code, 1, "{}", out.stderr);
    let found = findings_by_operation(&out);
    let expected: Vec<(String, String)> = [
        ("GET /big", "probe-body-too-large"),
        ("GET /hang", "probe-timeout"),
        ("GET /html", "probe-undeclared-content-type"),
        ("GET /loop", "probe-redirect-loop"),
        ("GET /reset", "probe-connection-error"),
        ("GET /undeclared", "probe-undeclared-status"),
        ("GET /wrong-type", "probe-response-invalid"),
    ]
    .iter()
    .map(|(a, b)| (a.to_string(), b.to_string()))
    .collect();
    assert_eq!(found, expected, "{}", out.stdout);
    let doc = json(&out);
    let wrong = doc["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["rule"] == "probe-response-invalid"))
        .cloned()
        .unwrap_or_default();
    assert!(
        wrong["message"].as_str().unwrap_or("").contains("/price"),
        "{wrong}"
    );
    assert!(
        wrong["help"].as_str().unwrap_or("").contains("curl -X GET"),
        "{wrong}"
    );
    assert!(out.stderr.contains("requests/s"), "{}", out.stderr);
}

#[test]
fn unsafe_methods_only_on_request_and_examples_fill_parameters() {
    let base = start_server();
    let (_d, spec) = temp_spec("faults.yaml", SPEC.as_bytes());
    let out = oaskit(&[
        "probe",
        &spec,
        "--base-url",
        &base,
        "--operation",
        "getItem",
        "--operation",
        "deleteItem",
        "--examples-only",
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 0, "{}{}", out.stdout, out.stderr);
    assert!(
        out.stderr.contains("1 requests"),
        "DELETE is skipped without --include-unsafe: {}",
        out.stderr
    );
    let out = oaskit(&[
        "probe",
        &spec,
        "--base-url",
        &base,
        "--operation",
        "deleteItem",
        "--include-unsafe",
        "--examples-only",
        "--format",
        "json",
    ]);
    // The fake server answers 404 to DELETE /items/1: undeclared.
    assert_eq!(
        findings_by_operation(&out),
        vec![(
            "DELETE /items/{id}".to_string(),
            "probe-undeclared-status".to_string()
        )]
    );
}

#[test]
fn a_bad_base_url_is_exit_2() {
    let (_d, spec) = temp_spec("faults.yaml", SPEC.as_bytes());
    let out = oaskit(&["probe", &spec, "--base-url", "ftp://example.com"]);
    assert_eq!(out.code, 2);
    assert!(out.stderr.contains("base-url"), "{}", out.stderr);
}
