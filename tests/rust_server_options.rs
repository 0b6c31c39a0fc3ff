//! The options of `generate rust-server` that shape the crate an implementer works with, as a
//! user passes them (flags, or the keys of a `rust-server` entry in `oaskit.toml`):
//! `--crate-name` (checked as a crate name: exit 2 otherwise) and `--default-not-implemented`
//! (an implementation of one operation of the petstore compiles, clippy-clean, and the others
//! answer `501` problems over HTTP).
//!
//! The crate is built the way tests/common/generated_crate.rs builds every generated test crate
//! (in the target directory the corpus script shares, so dependencies compile once).

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use common::generated_crate::{add_behaviour, fresh_dir, lint_and_test};

/// Tests run inside the generated crate: it implements `listPets` only.
const BEHAVIOUR: &str = r###"//! An implementation of one operation of the petstore.

use std::io::{Read, Write};

use partial_pets::server::{ListPetsRequest, ListPetsResponse};
use partial_pets::{Api, RequestContext};

struct OnlyListing;

impl Api for OnlyListing {
    type Principal = ();

    async fn list_pets(&self, _request: ListPetsRequest, _context: RequestContext<()>) -> ListPetsResponse {
        ListPetsResponse::Ok { body: Vec::new(), x_total_count: 0 }
    }
}

/// One HTTP/1.1 exchange on a fresh connection: the status line's code, the response head and body.
fn exchange(address: std::net::SocketAddr, head: &str) -> (u16, String, String) {
    let mut stream = std::net::TcpStream::connect(address).unwrap_or_else(|e| panic!("{e}"));
    stream.write_all(head.as_bytes()).unwrap_or_else(|e| panic!("{e}"));
    let mut reply = String::new();
    stream.read_to_string(&mut reply).unwrap_or_else(|e| panic!("{e}"));
    let (head, body) = reply.split_once("\r\n\r\n").unwrap_or((reply.as_str(), ""));
    let status = head.get(9..12).and_then(|s| s.parse().ok()).unwrap_or(0);
    (status, head.to_ascii_lowercase(), body.to_string())
}

#[tokio::test]
async fn operations_not_implemented_answer_501_problems() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("{e}"));
    let address = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    tokio::spawn(partial_pets::serve(listener, partial_pets::router(OnlyListing), std::future::pending()));
    let replies = tokio::task::spawn_blocking(move || {
        let get = |path: &str| exchange(address, &format!("GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
        (get("/v1/pets"), get("/v1/pets/7"))
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));

    let (status, head, body) = replies.0;
    assert_eq!((status, body.as_str()), (200, "[]"), "{head}");
    let (status, head, body) = replies.1;
    assert_eq!(status, 501, "{head}{body}");
    assert!(head.contains("content-type: application/problem+json"), "{head}");
    let problem: serde_json::Value = serde_json::from_str(&body).unwrap_or_else(|e| panic!("{body}: {e}"));
    assert_eq!(problem["status"], 501, "{body}");
    assert_eq!(problem["detail"], "GET /pets/{petId} is not implemented", "{body}");
}
"###;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn oaskit(dir: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_oaskit"))
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run oaskit: {e}"))
}

fn text(output: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    )
}

fn package_name(crate_dir: &Path) -> String {
    let manifest =
        std::fs::read_to_string(crate_dir.join("Cargo.toml")).unwrap_or_else(|e| panic!("{e}"));
    manifest
        .lines()
        .find_map(|l| l.strip_prefix("name = "))
        .unwrap_or_default()
        .trim_matches('"')
        .to_string()
}

#[test]
fn crate_names_come_from_the_flag_or_the_config_and_are_checked() {
    let dir = fresh_dir("rust-server-options-names");
    let spec = root().join("specs/petstore.yaml").display().to_string();
    let out = dir.join("flag").display().to_string();

    let default = oaskit(&dir, &["generate", "rust-server", &spec, "-o", &out]);
    assert!(default.status.success(), "{}", text(&default));
    assert_eq!(package_name(&dir.join("flag")), "petstore-server");

    let named = oaskit(
        &dir,
        &[
            "generate",
            "rust-server",
            &spec,
            "-o",
            &out,
            "--crate-name",
            "acme_pets-api",
        ],
    );
    assert!(named.status.success(), "{}", text(&named));
    assert_eq!(package_name(&dir.join("flag")), "acme_pets-api");

    for (bad, why) in [
        (
            "Acme Pets",
            "must be ASCII letters, digits, `-` and `_`, starting with a letter",
        ),
        ("2pets", "starting with a letter"),
        ("fn", "is a Rust keyword"),
        ("std", "standard library"),
    ] {
        let refused = oaskit(
            &dir,
            &[
                "generate",
                "rust-server",
                &spec,
                "-o",
                &out,
                "--crate-name",
                bad,
            ],
        );
        assert_eq!(refused.status.code(), Some(2), "{bad}: {}", text(&refused));
        let message = text(&refused);
        assert!(
            message.contains(&format!("crate name `{bad}`")),
            "{message}"
        );
        assert!(message.contains(why), "{message}");
    }

    std::fs::copy(&spec, dir.join("petstore.yaml")).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("oaskit.toml"),
        "[[specs]]\npath = \"petstore.yaml\"\ngenerate = [{ target = \"rust-server\", output = \"config\", \
         crate-name = \"configured-pets\", default-not-implemented = true }]\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let configured = oaskit(&dir, &["generate"]);
    assert!(configured.status.success(), "{}", text(&configured));
    assert_eq!(package_name(&dir.join("config")), "configured-pets");
    let server =
        std::fs::read_to_string(dir.join("config/src/server.rs")).unwrap_or_else(|e| panic!("{e}"));
    assert!(
        server.contains("ListPetsResponse::NotImplemented"),
        "default bodies"
    );
    let checked = oaskit(&dir, &["generate", "--check"]);
    assert!(checked.status.success(), "{}", text(&checked));
}

#[test]
fn an_implementation_of_one_operation_compiles_and_the_others_answer_501() {
    let dir = fresh_dir("rust-server-options-501");
    let spec = root().join("specs/petstore.yaml").display().to_string();
    let crate_dir = dir.join("crate");
    let out = crate_dir.display().to_string();
    let generated = oaskit(
        &dir,
        &[
            "generate",
            "rust-server",
            &spec,
            "-o",
            &out,
            "--crate-name",
            "partial-pets",
            "--default-not-implemented",
        ],
    );
    assert!(generated.status.success(), "{}", text(&generated));

    // Without the option, the same implementation does not compile (the trait's other methods
    // have no body): the option is what makes it build.
    let server =
        std::fs::read_to_string(crate_dir.join("src/server.rs")).unwrap_or_else(|e| panic!("{e}"));
    assert!(server.contains("async { GetPetResponse::NotImplemented }"));

    add_behaviour(&crate_dir, "", BEHAVIOUR);
    lint_and_test(&crate_dir);
}
