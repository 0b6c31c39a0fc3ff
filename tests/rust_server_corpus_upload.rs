//! A multipart upload of a real spec: Ably's Control API (`od-ably-control.json` in the shared
//! corpus, `../shared/corpus/specs` or `$OASKIT_SHARED/corpus/specs`) uploads an APNs
//! certificate as `POST /apps/{id}/pkcs12`, a `multipart/form-data` body with a password field
//! and the `p12File` file, under bearer authentication. Its generated server (with
//! `--default-not-implemented`, so only the upload is implemented) is served on 127.0.0.1 and
//! called with curl: the file reaches the handler as a stream after the typed password, within
//! the operation's own body limit. Skipped when the corpus is not there (unless
//! `OASKIT_REQUIRE_CORPUS` is set).

mod common;

use std::path::{Path, PathBuf};

use common::generated_crate::{add_behaviour, fresh_dir, lint_and_test};
use oaskit::codegen::{GenerateOptions, rust};
use oaskit::{Contract, LoadOptions};

fn spec() -> Option<PathBuf> {
    let shared = std::env::var_os("OASKIT_SHARED")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared"));
    let spec = shared.join("corpus/specs/od-ably-control.json");
    spec.is_file().then_some(spec)
}

const BEHAVIOUR: &str = r###"//! Ably's certificate upload over HTTP, with curl.

use api_v1_server::models::AppResponse;
use api_v1_server::runtime::AuthError;
use api_v1_server::server::*;
use api_v1_server::{RequestContext, ServerConfig};

struct Ably;

impl api_v1_server::Api for Ably {
    type Principal = String;

    async fn authenticate_bearer_auth(&self, token: &str, _scopes: &'static [&'static str]) -> Result<String, AuthError> {
        if token == "secret" { Ok("ops".to_string()) } else { Err(AuthError::Unauthenticated) }
    }

    async fn post_apps_id_pkcs12(&self, request: PostAppsIdPkcs12Request, _context: RequestContext<String>) -> PostAppsIdPkcs12Response {
        let Some(mut body) = request.body else {
            return PostAppsIdPkcs12Response::Ok(AppResponse::new());
        };
        // The password is typed and there before the certificate, which arrives as it is read.
        let mut size = 0;
        while let Some(Ok(mut file)) = body.files.next_file().await {
            while let Some(Ok(chunk)) = file.chunk().await {
                size += chunk.len();
            }
        }
        let name = format!("{size} bytes, password of {} characters", body.p12_pass.len());
        PostAppsIdPkcs12Response::Ok(AppResponse { id: Some(request.id), name: Some(name), ..AppResponse::new() })
    }
}

const LIMIT: usize = 1024 * 1024;

async fn start() -> std::net::SocketAddr {
    let mut config = ServerConfig::default();
    config.operation_body_limits.insert("POST /apps/{id}/pkcs12".into(), Some(LIMIT));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let router = api_v1_server::router_with_config(Ably, config.clone());
    tokio::spawn(async move { api_v1_server::runtime::serve_with_config(listener, router, &config, std::future::pending()).await });
    addr
}

/// curl's answer: the status and the body.
async fn curl(args: Vec<String>) -> (String, serde_json::Value) {
    let output = tokio::task::spawn_blocking(move || std::process::Command::new("curl").arg("-sS").args(["-w", "\n%{http_code}"]).args(&args).output())
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|e| panic!("curl: {e}"));
    let text = String::from_utf8_lossy(&output.stdout).to_string();
    let (body, status) = text.rsplit_once('\n').unwrap_or_else(|| panic!("curl said {text}"));
    (status.to_string(), serde_json::from_str(body).unwrap_or(serde_json::Value::Null))
}

#[tokio::test]
async fn the_certificate_streams_to_the_handler_within_the_operations_limit() {
    let addr = start().await;
    let url = format!("http://{addr}/v1/apps/app-1/pkcs12");
    let dir = std::env::temp_dir().join(format!("oaskit-ably-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap_or_else(|e| panic!("{e}"));
    let small = dir.join("small.p12");
    let large = dir.join("large.p12");
    std::fs::write(&small, vec![7u8; 700 * 1024]).unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(&large, vec![7u8; 2 * LIMIT]).unwrap_or_else(|e| panic!("{e}"));
    let call = |extra: &[&str]| {
        let mut args: Vec<String> = ["-H", "authorization: Bearer secret"].iter().map(|s| s.to_string()).collect();
        args.extend(extra.iter().map(|s| s.to_string()));
        args.push(url.clone());
        curl(args)
    };
    let file = |path: &std::path::Path| format!("p12File=@{}", path.display());

    let (status, body) = call(&["-F", "p12Pass=hunter2", "-F", &file(&small)]).await;
    assert_eq!(status, "200", "{body}");
    assert_eq!(body["id"], "app-1");
    assert_eq!(body["name"], "716800 bytes, password of 7 characters");

    // Over the operation's limit: 413, although the default limit of JSON bodies is higher.
    let (status, body) = call(&["-F", "p12Pass=hunter2", "-F", &file(&large)]).await;
    assert_eq!(status, "413", "{body}");
    // Without the certificate; with a part the schema does not declare
    // (additionalProperties: false): 400 with pointers.
    let (status, body) = call(&["-F", "p12Pass=hunter2"]).await;
    assert_eq!((status.as_str(), body["errors"][0]["pointer"].as_str()), ("400", Some("/p12File")), "{body}");
    let (status, body) = call(&["-F", "p12Pass=x", "-F", "note=hi", "-F", &file(&small)]).await;
    assert_eq!((status.as_str(), body["errors"][0]["pointer"].as_str()), ("400", Some("/note")), "{body}");
    // Without the token: 401 before anything is read.
    let (status, _) = curl(vec!["-F".into(), file(&small), url.clone()]).await;
    assert_eq!(status, "401");
    let _ = std::fs::remove_dir_all(&dir);
}
"###;

const DEV_DEPENDENCIES: &str =
    "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"macros\", \"rt\"] }\n";

#[test]
fn a_corpus_upload_streams_over_http() {
    let Some(spec) = spec() else {
        assert!(
            std::env::var_os("OASKIT_REQUIRE_CORPUS").is_none(),
            "OASKIT_REQUIRE_CORPUS is set but the corpus's od-ably-control.json is missing"
        );
        eprintln!("note: ../shared/corpus/specs/od-ably-control.json not found; skipped");
        return;
    };
    let contract = Contract::load(&spec.to_string_lossy(), &LoadOptions::default())
        .unwrap_or_else(|e| panic!("{e}"));
    let mut options = GenerateOptions {
        spec_name: "od-ably-control.json".to_string(),
        ..GenerateOptions::default()
    };
    options.rust_server.default_not_implemented = true;
    let generated = rust::generate(&contract, &options).unwrap_or_else(|e| panic!("{e}"));
    let server = generated.files.get("src/server.rs").unwrap_or_default();
    assert!(
        server.contains("pub files: runtime::FileParts"),
        "the upload is streamed"
    );
    let crate_dir = fresh_dir("rust-server-corpus-upload").join("crate");
    generated
        .files
        .write(&crate_dir)
        .unwrap_or_else(|e| panic!("{e}"));
    add_behaviour(&crate_dir, DEV_DEPENDENCIES, BEHAVIOUR);
    lint_and_test(&crate_dir);
}
