//! Hostile requests against the example service (examples/petstore-example, the README's worked
//! example), run as a child process as a user runs it: the security of specs/petstore.yaml
//! enforced by the generated router before any handler. Each refusal is checked for its status,
//! its problem body, its `WWW-Authenticate` challenges, and that it does not echo the
//! credential it refuses.
//!
//! The example is built once (`cargo build -p petstore-example`, in this workspace's target
//! directory) and started three times: with every scope, with a token lacking `pets:write`, and
//! with no credentials configured at all.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use serde_json::Value;

const KEY: &str = "staff-key-0123";
const TOKEN: &str = "user-token-4567";
/// What a caller sends instead of the real credentials: never to be echoed.
const WRONG: &str = "wr0ng-s3cret-89";

/// The example's binary, built once per test process.
fn example_binary() -> PathBuf {
    static BINARY: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    BINARY
        .get_or_init(|| {
            let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
            let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
            let status = Command::new(cargo)
                .args(["build", "--quiet", "-p", "petstore-example"])
                .current_dir(&root)
                .status()
                .unwrap_or_else(|e| panic!("cargo: {e}"));
            assert!(status.success(), "cargo build -p petstore-example failed");
            let target = std::env::var_os("CARGO_TARGET_DIR")
                .map(PathBuf::from)
                .unwrap_or_else(|| root.join("target"));
            let binary = target
                .join("debug")
                .join(format!("petstore-example{}", std::env::consts::EXE_SUFFIX));
            assert!(binary.is_file(), "{} is missing", binary.display());
            binary
        })
        .clone()
}

/// A running example service, killed when dropped.
struct Service {
    child: Child,
    /// `127.0.0.1:PORT`.
    addr: String,
    /// What it printed after its first line.
    log: std::sync::Arc<std::sync::Mutex<Vec<String>>>,
}

impl Service {
    /// Starts the example with `env` (pairs of variable and value) on an ephemeral port.
    fn start(env: &[(&str, &str)]) -> Service {
        let mut command = Command::new(example_binary());
        command
            .args(["--listen", "127.0.0.1:0"])
            .env_remove("PETSTORE_API_KEY")
            .env_remove("PETSTORE_BEARER_TOKEN")
            .env_remove("PETSTORE_BEARER_SCOPES")
            .stdout(Stdio::piped())
            .stderr(Stdio::null());
        for (name, value) in env {
            command.env(name, value);
        }
        let mut child = command.spawn().unwrap_or_else(|e| panic!("spawn: {e}"));
        let stdout = child.stdout.take().unwrap_or_else(|| panic!("no stdout"));
        let mut stdout = BufReader::new(stdout);
        let mut line = String::new();
        stdout
            .read_line(&mut line)
            .unwrap_or_else(|e| panic!("read: {e}"));
        // The service logs to stdout: keep reading (its writes would fail once the pipe is full
        // or closed), and keep the lines for the tests.
        let log = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let lines = log.clone();
        std::thread::spawn(move || {
            for line in stdout.lines().map_while(Result::ok) {
                lines
                    .lock()
                    .unwrap_or_else(std::sync::PoisonError::into_inner)
                    .push(line);
            }
        });
        // `listening on http://127.0.0.1:PORT/v1`
        let addr = line
            .trim()
            .strip_prefix("listening on http://")
            .and_then(|rest| rest.strip_suffix("/v1"))
            .unwrap_or_else(|| panic!("unexpected first line: {line:?}"))
            .to_string();
        Service { child, addr, log }
    }

    /// Sends one request (`Connection: close`) and reads the whole response.
    fn call(&self, method: &str, path: &str, headers: &[(&str, &str)], body: &str) -> Reply {
        let mut stream = TcpStream::connect(&self.addr).unwrap_or_else(|e| panic!("{e}"));
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap_or_else(|e| panic!("{e}"));
        let mut request = format!(
            "{method} /v1{path} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\nContent-Length: {}\r\n",
            self.addr,
            body.len()
        );
        for (name, value) in headers {
            request.push_str(&format!("{name}: {value}\r\n"));
        }
        request.push_str("\r\n");
        request.push_str(body);
        stream
            .write_all(request.as_bytes())
            .unwrap_or_else(|e| panic!("{e}"));
        let mut raw = String::new();
        stream
            .read_to_string(&mut raw)
            .unwrap_or_else(|e| panic!("{e}"));
        Reply::parse(&raw)
    }

    /// Creates a pet (an anonymous caller may: `{}` is an alternative) and returns its id.
    fn create(&self, name: &str) -> i64 {
        let reply = self.call(
            "POST",
            "/pets",
            &[("Content-Type", "application/json")],
            &format!(r#"{{"name":"{name}","price":1,"status":"available"}}"#),
        );
        assert_eq!(reply.status, 201, "{}", reply.body);
        reply.json()["id"]
            .as_i64()
            .unwrap_or_else(|| panic!("{}", reply.body))
    }
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

struct Reply {
    status: u16,
    /// (lower-case name, value) in order.
    headers: Vec<(String, String)>,
    body: String,
}

impl Reply {
    fn parse(raw: &str) -> Reply {
        let (head, body) = raw.split_once("\r\n\r\n").unwrap_or((raw, ""));
        let mut lines = head.lines();
        let status = lines
            .next()
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| panic!("no status line: {raw:?}"));
        let headers = lines
            .filter_map(|l| l.split_once(':'))
            .map(|(n, v)| (n.trim().to_ascii_lowercase(), v.trim().to_string()))
            .collect();
        Reply {
            status,
            headers,
            body: body.to_string(),
        }
    }

    fn all(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or_else(|e| panic!("{e}: {}", self.body))
    }

    /// A refusal: its status, a problem body of that status, the challenges, no echo.
    fn assert_refused(&self, status: u16, challenges: &[&str], detail: &str) {
        let raw = format!("{} {:?} {}", self.status, self.headers, self.body);
        assert_eq!(self.status, status, "{raw}");
        assert_eq!(
            self.all("content-type"),
            ["application/problem+json"],
            "{raw}"
        );
        let problem = self.json();
        assert_eq!(problem["status"], status, "{raw}");
        let shown = problem["detail"].as_str().unwrap_or_default();
        assert!(shown.contains(detail), "{shown:?} lacks {detail:?}");
        assert_eq!(self.all("www-authenticate"), challenges, "{raw}");
        for secret in [KEY, TOKEN, WRONG] {
            assert!(!raw.contains(secret), "{secret} echoed: {raw}");
        }
    }
}

const KEY_CHALLENGE: &str = r#"ApiKey realm="Petstore", in="header", name="x-api-key""#;
const DELETE_CHALLENGES: [&str; 2] = [
    r#"Bearer realm="Petstore", scope="pets:write""#,
    KEY_CHALLENGE,
];

#[test]
fn security_is_enforced_before_the_handler_with_the_specs_semantics() {
    let full = Service::start(&[("PETSTORE_API_KEY", KEY), ("PETSTORE_BEARER_TOKEN", TOKEN)]);
    let bearer = format!("Bearer {TOKEN}");
    let wrong_bearer = format!("Bearer {WRONG}");

    // getInventory: [{api_key: []}].
    full.call("GET", "/store/inventory", &[], "")
        .assert_refused(
            401,
            &[KEY_CHALLENGE],
            "requires an API key in the x-api-key header (api_key)",
        );
    full.call("GET", "/store/inventory", &[("X-API-Key", WRONG)], "")
        .assert_refused(401, &[KEY_CHALLENGE], "not valid");
    // The other scheme is not an alternative here.
    full.call("GET", "/store/inventory", &[("Authorization", &bearer)], "")
        .assert_refused(401, &[KEY_CHALLENGE], "requires an API key");
    // Two keys are one too many, even if one is right.
    full.call(
        "GET",
        "/store/inventory",
        &[("X-API-Key", KEY), ("X-API-Key", WRONG)],
        "",
    )
    .assert_refused(401, &[KEY_CHALLENGE], "not valid");
    let inventory = full.call("GET", "/store/inventory", &[("X-API-Key", KEY)], "");
    assert_eq!(inventory.status, 200, "{}", inventory.body);

    // listPets: [{}, {bearer: []}]: anonymous or a valid token; a wrong token is refused.
    assert_eq!(full.call("GET", "/pets", &[], "").status, 200);
    assert_eq!(
        full.call("GET", "/pets", &[("Authorization", &bearer)], "")
            .status,
        200
    );
    let invalid_token = r#"Bearer realm="Petstore", error="invalid_token""#;
    full.call("GET", "/pets", &[("Authorization", &wrong_bearer)], "")
        .assert_refused(401, &[invalid_token], "not valid");
    full.call("GET", "/pets", &[("Authorization", "Bearer")], "")
        .assert_refused(401, &[invalid_token], "not valid");
    full.call(
        "GET",
        "/pets",
        &[("Authorization", &bearer), ("Authorization", &bearer)],
        "",
    )
    .assert_refused(401, &[invalid_token], "not valid");

    // deletePet: [{bearer: [pets:write]}, {api_key: [], bearer: []}].
    let id = full.create("Rex");
    let path = format!("/pets/{id}");
    full.call("DELETE", &path, &[], "").assert_refused(
        401,
        &DELETE_CHALLENGES,
        "requires a bearer token (bearer), or an API key in the x-api-key header (api_key) and a bearer token (bearer)",
    );
    // The key alone is half of the second alternative.
    full.call("DELETE", &path, &[("X-API-Key", KEY)], "")
        .assert_refused(401, &DELETE_CHALLENGES, "requires a bearer token");
    full.call("DELETE", &path, &[("Authorization", &wrong_bearer)], "")
        .assert_refused(
            401,
            &[
                r#"Bearer realm="Petstore", scope="pets:write", error="invalid_token""#,
                KEY_CHALLENGE,
            ],
            "not valid",
        );
    // Security comes before validation: a malformed id is not even looked at.
    full.call("DELETE", "/pets/abc", &[], "")
        .assert_refused(401, &DELETE_CHALLENGES, "requires");
    // The first alternative: a token granting pets:write.
    let deleted = full.call("DELETE", &path, &[("Authorization", &bearer)], "");
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    // The handler got the principal and the peer address through its context.
    let logged =
        format!(r#"pet {id} deleted by bearer (User {{ scopes: ["pets:write"] }}) from 127.0.0.1"#);
    let deadline = std::time::Instant::now() + Duration::from_secs(5);
    while !full.log.lock().is_ok_and(|l| l.contains(&logged))
        && std::time::Instant::now() < deadline
    {
        std::thread::sleep(Duration::from_millis(10));
    }
    assert!(
        full.log.lock().is_ok_and(|l| l.contains(&logged)),
        "{:?} lacks {logged}",
        full.log.lock().map(|l| l.clone())
    );
    let gone = full.call("DELETE", &path, &[("Authorization", &bearer)], "");
    assert_eq!(gone.status, 404, "{}", gone.body);
}

#[test]
fn missing_scopes_are_403_and_the_and_of_two_schemes_is_required_whole() {
    // A token without pets:write.
    let reader = Service::start(&[
        ("PETSTORE_API_KEY", KEY),
        ("PETSTORE_BEARER_TOKEN", TOKEN),
        ("PETSTORE_BEARER_SCOPES", "pets:read"),
    ]);
    let bearer = format!("Bearer {TOKEN}");
    let id = reader.create("Tom");
    let path = format!("/pets/{id}");
    let insufficient = r#"Bearer realm="Petstore", error="insufficient_scope", scope="pets:write""#;
    reader
        .call("DELETE", &path, &[("Authorization", &bearer)], "")
        .assert_refused(403, &[insufficient], "do not grant the scopes");
    // A wrong key does not help.
    reader
        .call(
            "DELETE",
            &path,
            &[("Authorization", &bearer), ("X-API-Key", WRONG)],
            "",
        )
        .assert_refused(403, &[insufficient], "do not grant");
    // The second alternative: the key and the token, together.
    let deleted = reader.call(
        "DELETE",
        &path,
        &[("Authorization", &bearer), ("X-API-Key", KEY)],
        "",
    );
    assert_eq!(deleted.status, 204, "{}", deleted.body);
    // The scopes do not matter where none are required.
    let listed = reader.call("GET", "/pets", &[("Authorization", &bearer)], "");
    assert_eq!(listed.status, 200, "{}", listed.body);
}

#[test]
fn a_server_without_credentials_lets_nobody_in() {
    // Default-deny: with no credential configured, the hooks refuse whatever is sent.
    let closed = Service::start(&[]);
    closed
        .call("GET", "/store/inventory", &[("X-API-Key", WRONG)], "")
        .assert_refused(401, &[KEY_CHALLENGE], "not valid");
    closed
        .call("GET", "/store/inventory", &[("X-API-Key", "")], "")
        .assert_refused(401, &[KEY_CHALLENGE], "not valid");
    closed
        .call(
            "DELETE",
            "/pets/1",
            &[
                ("Authorization", &format!("Bearer {WRONG}")),
                ("X-API-Key", WRONG),
            ],
            "",
        )
        .assert_refused(
            401,
            &[
                r#"Bearer realm="Petstore", scope="pets:write", error="invalid_token""#,
                KEY_CHALLENGE,
            ],
            "not valid",
        );
    // `{}` still lets anonymous callers list.
    assert_eq!(closed.call("GET", "/pets", &[], "").status, 200);
}
