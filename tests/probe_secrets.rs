//! probe keeps secrets (issue #10, item 6): credentials given by flag, environment or header are
//! `***` in every report format, a redirect to another origin carries none of them, and a spec
//! path that is not a path (`@host/x`) sends nothing anywhere.

mod common;

use common::*;
use std::io::{BufRead, BufReader, Write};
use std::net::{TcpListener, TcpStream};
use std::process::Command;
use std::sync::{Arc, Mutex};

const TOKEN: &str = "tok-bearer-5f2a9c";
const KEY: &str = "key-api-77d1e0";
const QUERY_KEY: &str = "key-query-31bb07";
const HEADER_TOKEN: &str = "tok-header-90ac4e";
const COOKIE: &str = "sess-cookie-c0ffee";

/// Request heads (request line and headers, lower-cased) a server received.
type Seen = Arc<Mutex<Vec<String>>>;

fn read_head(stream: &TcpStream) -> Option<String> {
    let mut reader = BufReader::new(stream.try_clone().ok()?);
    let mut head = String::new();
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).map_or(true, |n| n == 0) || line == "\r\n" {
            break;
        }
        head.push_str(&line);
    }
    Some(head)
}

/// A server on 127.0.0.1 that records every request and answers through `reply(path, port)`.
fn server(reply: fn(&str, u16) -> String) -> (u16, Seen) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let port = listener.local_addr().expect("address").port();
    let seen: Seen = Arc::default();
    let record = Arc::clone(&seen);
    std::thread::spawn(move || {
        for mut stream in listener.incoming().flatten() {
            let Some(head) = read_head(&stream) else {
                continue;
            };
            let path = head.split_whitespace().nth(1).unwrap_or("/").to_string();
            if let Ok(mut s) = record.lock() {
                s.push(head);
            }
            let _ = stream.write_all(reply(&path, port).as_bytes());
        }
    });
    (port, seen)
}

fn ok(body: &str) -> String {
    format!(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
        body.len()
    )
}

fn heads(seen: &Seen) -> Vec<String> {
    seen.lock().map(|s| s.clone()).unwrap_or_default()
}

fn spec(paths: &str) -> String {
    format!(
        r#"openapi: 3.1.0
info: {{title: secrets, version: '1'}}
security: [{{bearer: [], key: [], qkey: [], session: []}}]
components:
  securitySchemes:
    bearer: {{type: http, scheme: bearer}}
    key: {{type: apiKey, in: header, name: X-API-Key}}
    qkey: {{type: apiKey, in: query, name: api_key}}
    session: {{type: apiKey, in: cookie, name: sid}}
paths:
{paths}"#
    )
}

fn probe_with_secrets(spec_path: &str, base: &str, format: &str) -> common::Outcome {
    let output = Command::new(env!("CARGO_BIN_EXE_oaskit"))
        .args([
            "probe",
            spec_path,
            "--base-url",
            base,
            "--api-key",
            KEY,
            "--header",
            &format!("Proxy-Authorization: Basic {HEADER_TOKEN}"),
            "--header",
            &format!("Cookie: other={COOKIE}"),
            "--timeout",
            "3",
            "--format",
            format,
        ])
        .env("NO_COLOR", "1")
        .env("OASKIT_BEARER", TOKEN)
        .output()
        .expect("run oaskit");
    common::Outcome {
        code: output.status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
    }
}

#[test]
fn credentials_are_masked_in_every_format() {
    // The server echoes the credentials back in an invalid body and an undeclared status.
    let (port, seen) = server(|path, _| {
        if path.starts_with("/echo") {
            ok(&format!(
                r#"{{"id": "{TOKEN} {KEY} {HEADER_TOKEN} {COOKIE}"}}"#
            ))
        } else {
            "HTTP/1.1 418 Teapot\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_string()
        }
    });
    let paths = "  /echo: {get: {responses: {'200': {description: ok, content: {application/json: {schema: {type: object, properties: {id: {type: integer}}}}}}}}}\n  /teapot: {get: {responses: {'200': {description: ok}}}}\n";
    let (_d, spec_path) = temp_spec("secrets.yaml", spec(paths).as_bytes());
    let base = format!("http://127.0.0.1:{port}");
    for format in ["text", "json", "github", "junit", "sarif", "markdown"] {
        let out = probe_with_secrets(&spec_path, &base, format);
        assert_eq!(out.code, 1, "{format}: {}{}", out.stdout, out.stderr);
        for secret in [TOKEN, KEY, HEADER_TOKEN, COOKIE] {
            assert!(
                !out.stdout.contains(secret) && !out.stderr.contains(secret),
                "{format} shows {secret}:\n{}{}",
                out.stdout,
                out.stderr
            );
        }
        assert!(
            out.stdout.contains("***") || out.stdout.contains(r"\*\*\*"),
            "{format}: {}",
            out.stdout
        );
    }
    let out = probe_with_secrets(&spec_path, &base, "json");
    let doc = json(&out);
    let curl = doc["findings"]
        .as_array()
        .and_then(|a| a.iter().find(|f| f["rule"] == "probe-response-invalid"))
        .and_then(|f| f["help"].as_str())
        .unwrap_or("")
        .to_string();
    assert!(
        curl.contains("'Authorization: Bearer ***'")
            && curl.contains("'X-API-Key: ***'")
            && curl.contains("'Proxy-Authorization: Basic ***'")
            && curl.contains("'Cookie: ***'"),
        "{curl}"
    );
    // ... and the credentials did go to the server they are meant for.
    let received = heads(&seen).join("\n");
    assert!(received.contains(&format!("Bearer {TOKEN}")), "{received}");
    assert!(received.contains(KEY), "{received}");
}

#[test]
fn an_api_key_in_the_query_is_masked_in_the_url() {
    let (port, _seen) = server(|_, _| {
        "HTTP/1.1 418 Teapot\r\ncontent-length: 0\r\nconnection: close\r\n\r\n".to_string()
    });
    let doc = r#"openapi: 3.1.0
info: {title: q, version: '1'}
security: [{qkey: []}]
components: {securitySchemes: {qkey: {type: apiKey, in: query, name: api_key}}}
paths:
  /items: {get: {responses: {'200': {description: ok}}}}
"#;
    let (_d, spec_path) = temp_spec("q.yaml", doc.as_bytes());
    let out = oaskit(&[
        "probe",
        &spec_path,
        "--base-url",
        &format!("http://127.0.0.1:{port}"),
        "--api-key",
        QUERY_KEY,
        "--format",
        "json",
    ]);
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(!out.stdout.contains(QUERY_KEY), "{}", out.stdout);
    assert!(out.stdout.contains("api_key=***"), "{}", out.stdout);
}

#[test]
fn a_redirect_to_another_origin_carries_no_credential() {
    let (other_port, other_seen) = server(|_, _| ok(r#"{"id": 1}"#));
    // The probed server redirects /away to the other origin and /here to itself.
    static OTHER: std::sync::OnceLock<u16> = std::sync::OnceLock::new();
    OTHER.get_or_init(|| other_port);
    let (port, seen) = server(|path, _| {
        let other = OTHER.get().copied().unwrap_or(0);
        let redirect = |to: String| {
            format!(
                "HTTP/1.1 307 Temporary Redirect\r\nlocation: {to}\r\ncontent-length: 0\r\nconnection: close\r\n\r\n"
            )
        };
        match path {
            p if p.starts_with("/away") => redirect(format!("http://127.0.0.1:{other}/landed")),
            p if p.starts_with("/here") => redirect("/landed".to_string()),
            _ => ok(r#"{"id": 1}"#),
        }
    });
    let paths = "  /away: {get: {responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}}}}}}\n  /here: {get: {responses: {'200': {description: ok, content: {application/json: {schema: {type: object}}}}}}}\n";
    let (_d, spec_path) = temp_spec("redirects.yaml", spec(paths).as_bytes());
    let out = probe_with_secrets(&spec_path, &format!("http://127.0.0.1:{port}"), "json");
    assert!(out.code <= 1, "{}{}", out.stdout, out.stderr);
    let other = heads(&other_seen);
    assert!(!other.is_empty(), "the redirect was followed: {other:?}");
    let received = other.join("\n").to_ascii_lowercase();
    for leaked in [
        "authorization",
        "x-api-key",
        "cookie",
        "proxy-authorization",
    ] {
        assert!(
            !received.contains(&format!("{leaked}:")),
            "{leaked} went to the other origin:\n{received}"
        );
    }
    for secret in [TOKEN, KEY, HEADER_TOKEN, COOKIE] {
        assert!(
            !received.contains(&secret.to_ascii_lowercase()),
            "{received}"
        );
    }
    // A redirect on the same origin keeps them.
    let own = heads(&seen);
    let landed: Vec<&String> = own.iter().filter(|h| h.contains("/landed")).collect();
    assert!(landed.iter().any(|h| h.contains(KEY)), "{own:?}");
}

#[test]
fn a_path_without_a_leading_slash_sends_nothing() {
    let (other_port, other_seen) = server(|_, _| ok("{}"));
    let (port, seen) = server(|_, _| ok("{}"));
    // Appended to the base this reads http://127.0.0.1:PORT@127.0.0.1:OTHER/x: the base becomes
    // user-info and the request (with the credentials) goes to the other port.
    let paths = format!(
        "  '@127.0.0.1:{other_port}/x': {{get: {{responses: {{'200': {{description: ok}}}}}}}}\n  /fine: {{get: {{responses: {{'200': {{description: ok}}}}}}}}\n"
    );
    let (_d, spec_path) = temp_spec("at.yaml", spec(&paths).as_bytes());
    let out = probe_with_secrets(&spec_path, &format!("http://127.0.0.1:{port}"), "json");
    assert_eq!(out.code, 1, "{}{}", out.stdout, out.stderr);
    assert!(heads(&other_seen).is_empty(), "{:?}", heads(&other_seen));
    let sent = heads(&seen);
    assert!(
        !sent.is_empty()
            && sent.iter().all(|h| h
                .split_whitespace()
                .nth(1)
                .is_some_and(|p| p.starts_with("/fine"))),
        "only /fine is sent: {sent:?}"
    );
    let doc = json(&out);
    let refused: Vec<&serde_json::Value> = doc["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .filter(|f| f["rule"] == "probe-path-refused")
                .collect()
        })
        .unwrap_or_default();
    assert_eq!(refused.len(), 1, "{}", out.stdout);
    assert!(
        refused[0]["message"]
            .as_str()
            .unwrap_or("")
            .contains("does not start with `/`"),
        "{}",
        refused[0]
    );
}
