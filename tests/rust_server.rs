//! The generated petstore server (generated/rust-server), implemented in memory and driven over
//! HTTP on 127.0.0.1: typed happy paths, every `400` the edge validation produces, and each
//! hardening measure (panics, body size, timeouts, 404/405, graceful shutdown, slow and
//! trickling clients, the connection limit, oversized heads) on and off.

use std::io::{Read, Write};
use std::time::Duration;

use petstore_server::ServerConfig;
use petstore_server::models::PetStatus;
use serde_json::{Value, json};
use store::Store;
use tokio::sync::oneshot;

#[path = "common/petstore_store.rs"]
mod store;

/// A server on an ephemeral port of 127.0.0.1, stopped when dropped.
struct Server {
    base: String,
    addr: std::net::SocketAddr,
    client: reqwest::Client,
    shutdown: Option<oneshot::Sender<()>>,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Server {
    async fn start(config: ServerConfig) -> Server {
        let _ = rustls::crypto::ring::default_provider().install_default();
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .unwrap_or_else(|e| panic!("bind: {e}"));
        let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
        let (tx, rx) = oneshot::channel::<()>();
        let router = petstore_server::router_with_config(Store::default(), config.clone());
        let task = tokio::spawn(async move {
            let stopped = async {
                let _ = rx.await;
            };
            petstore_server::runtime::serve_with_config(listener, router, &config, stopped).await
        });
        // The staff's credentials on every request: security has its own suite
        // (tests/petstore_example.rs).
        let mut credentials = reqwest::header::HeaderMap::new();
        for (name, value) in [
            ("authorization", format!("Bearer {}", store::STAFF_TOKEN)),
            ("x-api-key", store::API_KEY.to_string()),
        ] {
            let value =
                reqwest::header::HeaderValue::from_str(&value).unwrap_or_else(|e| panic!("{e}"));
            credentials.insert(name, value);
        }
        let client = reqwest::Client::builder()
            .default_headers(credentials)
            .timeout(Duration::from_secs(10))
            .build()
            .unwrap_or_else(|e| panic!("client: {e}"));
        Server {
            // The spec's server is `http://localhost:8080/v1`: every operation is under `/v1`.
            base: format!("http://{addr}{}", petstore_server::server::BASE_PATH),
            addr,
            client,
            shutdown: Some(tx),
            task,
        }
    }

    fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    async fn get(&self, path: &str) -> Reply {
        Reply::of(self.client.get(self.url(path)).send().await).await
    }

    async fn send_json(&self, method: reqwest::Method, path: &str, body: &Value) -> Reply {
        let request = self
            .client
            .request(method, self.url(path))
            .header("content-type", "application/json")
            .body(body.to_string());
        Reply::of(request.send().await).await
    }

    async fn post_json(&self, path: &str, body: &Value) -> Reply {
        self.send_json(reqwest::Method::POST, path, body).await
    }

    async fn create(&self, name: &str, status: &str, tag: Option<&str>) -> Value {
        let mut pet = json!({"name": name, "price": 1999, "status": status});
        if let Some(tag) = tag {
            pet["tag"] = json!(tag);
        }
        let reply = self.post_json("/pets", &pet).await;
        assert_eq!(reply.status, 201, "{reply:?}");
        reply.json
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        self.task.abort();
    }
}

#[derive(Debug)]
struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    text: String,
    json: Value,
}

impl Reply {
    async fn of(response: reqwest::Result<reqwest::Response>) -> Reply {
        let response = response.unwrap_or_else(|e| panic!("request failed: {e}"));
        let status = response.status().as_u16();
        let headers = response.headers().clone();
        let text = response
            .text()
            .await
            .unwrap_or_else(|e| panic!("body: {e}"));
        let json = serde_json::from_str(&text).unwrap_or(Value::Null);
        Reply {
            status,
            headers,
            text,
            json,
        }
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    /// Asserts a problem+json response with this status.
    fn assert_problem(&self, status: u16) -> &Reply {
        assert_eq!(self.status, status, "{self:?}");
        assert_eq!(
            self.header("content-type"),
            "application/problem+json",
            "{self:?}"
        );
        assert_eq!(self.json["status"], json!(status), "{self:?}");
        self
    }

    /// Asserts a 400 naming one field: its `in`, its name (`parameter` for a parameter,
    /// `pointer` for the body) and a phrase of the message.
    fn assert_invalid(&self, location: &str, field: &str, phrase: &str) {
        self.assert_errors(400, location, field, phrase);
    }

    /// Asserts a problem with this status listing an error in `location` `field` (a parameter
    /// name, or a body pointer) whose detail contains `phrase`.
    fn assert_errors(&self, status: u16, location: &str, field: &str, phrase: &str) {
        self.assert_problem(status);
        let errors = self.json["errors"].as_array().cloned().unwrap_or_default();
        let hit = errors.iter().any(|e| {
            let named = match (location, field) {
                ("body", "") => e.get("pointer").is_none(),
                ("body", _) => e["pointer"] == json!(field),
                _ => e["parameter"] == json!(field),
            };
            e["in"] == json!(location)
                && named
                && e["detail"].as_str().is_some_and(|d| d.contains(phrase))
        });
        assert!(
            hit,
            "no error in {location} `{field}` containing {phrase:?}: {}",
            self.text
        );
    }
}

fn pet_json(name: &str) -> Value {
    json!({"name": name, "price": 1999, "status": "available"})
}

#[tokio::test]
async fn typed_happy_paths() {
    let server = Server::start(ServerConfig::default()).await;

    // Create: 201, Location, read-only fields assigned, write-only ones never returned.
    let mut rex = pet_json("Rex");
    rex["tag"] = json!("dog");
    rex["secretToken"] = json!("s3cr3t-t0ken");
    rex["category"] = json!({"id": 4, "name": "Terriers", "parent": {"id": 1, "name": "Dogs"}});
    rex["id"] = json!(999); // readOnly: ignored in a request
    let created = server.post_json("/pets", &rex).await;
    assert_eq!(created.status, 201, "{created:?}");
    assert_eq!(created.header("location"), "/v1/pets/1");
    assert_eq!(created.header("content-type"), "application/json");
    assert_eq!(created.json["id"], json!(1));
    assert_eq!(created.json["createdAt"], json!("2024-05-01T09:30:00Z"));
    assert_eq!(created.json["category"]["parent"]["name"], json!("Dogs"));
    assert!(
        created.json.get("secretToken").is_none(),
        "writeOnly leaked: {}",
        created.text
    );

    // Absent and null stay distinct: `tag: null` is echoed as null, a missing tag is absent.
    let mut tom = pet_json("Tom");
    tom["tag"] = Value::Null;
    tom["status"] = json!("pending");
    let tom = server.post_json("/pets", &tom).await;
    assert_eq!(tom.json["tag"], Value::Null);
    assert!(
        tom.json.as_object().is_some_and(|o| o.contains_key("tag")),
        "{}",
        tom.text
    );
    let kit = server.create("Kit", "sold", None).await;
    assert!(
        kit.as_object().is_some_and(|o| !o.contains_key("tag")),
        "{kit}"
    );

    // Read, list with filters (form-exploded array of enums), headers.
    let got = server.get("/pets/1").await;
    assert_eq!(got.status, 200);
    assert_eq!(got.json["name"], json!("Rex"));
    let all = server.get("/pets").await;
    assert_eq!(all.status, 200);
    assert_eq!(all.header("x-total-count"), "3");
    assert_eq!(all.json.as_array().map(Vec::len), Some(3));
    let some = server
        .get("/pets?status=available&status=pending&limit=1")
        .await;
    assert_eq!(some.header("x-total-count"), "2");
    assert_eq!(some.json.as_array().map(Vec::len), Some(1));
    let dogs = server.get("/pets?tag=dog").await;
    assert_eq!(dogs.json[0]["name"], json!("Rex"));

    // Update, inventory, conflict, delete, not found.
    let mut sold = pet_json("Rex");
    sold["status"] = json!("sold");
    let updated = server
        .send_json(reqwest::Method::PUT, "/pets/1", &sold)
        .await;
    assert_eq!(updated.status, 200, "{updated:?}");
    assert_eq!(updated.json["status"], json!("sold"));
    let inventory = server.get("/store/inventory").await;
    assert_eq!(inventory.json, json!({"pending": 1, "sold": 2}));
    server
        .post_json("/pets", &pet_json("Tom"))
        .await
        .assert_problem(409);
    let deleted = Reply::of(server.client.delete(server.url("/pets/2")).send().await).await;
    assert_eq!(deleted.status, 204);
    assert_eq!(deleted.text, "");
    server.get("/pets/2").await.assert_problem(404);

    // A multipart upload: the file as bytes, the caption as text.
    let boundary = "oaskit-boundary";
    let multipart = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\nRex at the beach\r\n--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"rex.png\"\r\nContent-Type: image/png\r\n\r\n\u{89}PNG-bytes\r\n--{boundary}--\r\n"
    );
    let upload = server
        .client
        .post(server.url("/pets/1/photo"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(multipart)
        .send()
        .await;
    assert_eq!(Reply::of(upload).await.status, 204);
}

#[tokio::test]
async fn every_invalid_request_is_a_400_naming_the_field() {
    let server = Server::start(ServerConfig::default()).await;
    server.create("Rex", "available", Some("dog")).await;

    // Query parameters: type, range, enum.
    server
        .get("/pets?limit=abc")
        .await
        .assert_invalid("query", "limit", "invalid type");
    server
        .get("/pets?limit=0")
        .await
        .assert_invalid("query", "limit", "must be at least 1");
    server
        .get("/pets?limit=101")
        .await
        .assert_invalid("query", "limit", "must be at most 100");
    // JSON Schema's integers: 1e2 is the integer 100, 1.5 is not an integer.
    assert_eq!(server.get("/pets?limit=1e2").await.status, 200);
    server
        .get("/pets?limit=1.5")
        .await
        .assert_invalid("query", "limit", "invalid type");
    // A scalar given twice is refused in either order (the first value used to win).
    for query in ["/pets?limit=1&limit=500", "/pets?limit=500&limit=1"] {
        server
            .get(query)
            .await
            .assert_invalid("query", "limit", "may be given only once");
    }
    server.get("/pets?status=flying").await.assert_invalid(
        "query",
        "status",
        "unknown variant `flying`",
    );
    // Path parameters: type, range. GET and DELETE /pets/{petId} declare a 404 and no 400: a
    // malformed id names no pet (the probe reported the undeclared 400); PUT declares its 400.
    server
        .get("/pets/abc")
        .await
        .assert_errors(404, "path", "petId", "invalid type");
    server
        .get("/pets/0")
        .await
        .assert_errors(404, "path", "petId", "must be at least 1");
    Reply::of(server.client.delete(server.url("/pets/abc")).send().await)
        .await
        .assert_errors(404, "path", "petId", "invalid type");
    server
        .send_json(reqwest::Method::PUT, "/pets/abc", &pet_json("Rex"))
        .await
        .assert_invalid("path", "petId", "invalid type");

    // Body: required fields, types, enums, lengths, ranges, nested, writeOnly, syntax.
    let cases: Vec<(Value, &str, &str)> = vec![
        (
            json!({"price": 1, "status": "available"}),
            "/name",
            "is required",
        ),
        (
            json!({"name": "Rex", "status": "available"}),
            "/price",
            "is required",
        ),
        (
            json!({"name": "Rex", "price": "cheap", "status": "available"}),
            "/price",
            "invalid type",
        ),
        (
            json!({"name": "Rex", "price": 1, "status": "flying"}),
            "/status",
            "must be one of `available`",
        ),
        (
            json!({"name": "", "price": 1, "status": "sold"}),
            "/name",
            "at least 1 character",
        ),
        (
            json!({"name": "x".repeat(65), "price": 1, "status": "sold"}),
            "/name",
            "at most 64 characters",
        ),
        (
            json!({"name": "Max", "price": -1, "status": "sold"}),
            "/price",
            "must be at least 0",
        ),
        (
            json!({"name": "Max", "price": 1.5, "status": "sold"}),
            "/price",
            "invalid type",
        ),
        (
            json!({"name": "Max", "price": 1, "status": "sold", "tag": 7}),
            "/tag",
            "invalid type",
        ),
        (
            json!({"name": "Max", "price": 1, "status": "sold", "category": {"id": "x", "name": "Dogs"}}),
            "/category/id",
            "invalid type",
        ),
        (
            json!({"name": "Max", "price": 1, "status": "sold", "category": {"id": 1, "name": "D", "parent": {"id": 2}}}),
            "/category/parent/name",
            "is required",
        ),
        (
            json!({"name": "Max", "price": 1, "status": "sold", "secretToken": "short"}),
            "/secretToken",
            "at least 8",
        ),
    ];
    for (body, pointer, phrase) in cases {
        server
            .post_json("/pets", &body)
            .await
            .assert_invalid("body", pointer, phrase);
    }
    let reply = server.post_json("/pets", &json!([1, 2])).await;
    reply.assert_problem(400);
    // serde's derived structs accept their fields as an array; JSON Schema's objects never do
    // (and the message names the schema's type, not a Rust one).
    server
        .post_json("/pets", &json!(["Rex", 5, "available"]))
        .await
        .assert_invalid("body", "", "invalid type: expected object");
    let nested = json!({"name": "Max", "price": 1, "status": "sold", "category": [1, "dogs"]});
    server.post_json("/pets", &nested).await.assert_invalid(
        "body",
        "/category",
        "invalid type: expected object",
    );
    // serde_json writes 1e3 as 1000.0: an integer for JSON Schema.
    let integral = json!({"name": "Max", "price": 1e3, "status": "sold"});
    let reply = server.post_json("/pets", &integral).await;
    assert_eq!(
        (reply.status, &reply.json["price"]),
        (201, &json!(1000)),
        "{}",
        reply.text
    );
    let malformed = server
        .client
        .post(server.url("/pets"))
        .header("content-type", "application/json")
        .body("{\"name\": ");
    Reply::of(malformed.send().await).await.assert_problem(400);
    let missing = server
        .client
        .post(server.url("/pets"))
        .header("content-type", "application/json");
    Reply::of(missing.send().await)
        .await
        .assert_invalid("body", "", "request body: is required");
    let wrong_type = server
        .client
        .post(server.url("/pets"))
        .header("content-type", "text/plain")
        .body("Rex");
    Reply::of(wrong_type.send().await).await.assert_problem(415);

    // Several errors are reported together, in one problem.
    let both = server
        .send_json(
            reqwest::Method::PUT,
            "/pets/0",
            &json!({"name": "", "price": -5, "status": "sold"}),
        )
        .await;
    both.assert_invalid("path", "petId", "at least 1");
    both.assert_invalid("body", "/name", "at least 1 character");
    both.assert_invalid("body", "/price", "at least 0");

    // Multipart fields: a missing file, a caption that is too long.
    let boundary = "b";
    let caption_only = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"caption\"\r\n\r\n{}\r\n--{boundary}--\r\n",
        "c".repeat(281)
    );
    let upload = server
        .client
        .post(server.url("/pets/1/photo"))
        .header(
            "content-type",
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(caption_only)
        .send()
        .await;
    let upload = Reply::of(upload).await;
    upload.assert_invalid("body", "/file", "is required");
    upload.assert_invalid("body", "/caption", "at most 280 characters");

    // Nothing invalid reached the store (Rex, and Max with the integral price).
    assert_eq!(server.get("/pets").await.header("x-total-count"), "2");
}

#[tokio::test]
async fn a_panic_is_a_500_and_the_server_keeps_serving() {
    let server = Server::start(ServerConfig::default()).await;
    let reply = server.get("/pets?tag=panic").await;
    reply.assert_problem(500);
    assert!(
        !reply.text.contains("a handler bug"),
        "the panic message leaked: {}",
        reply.text
    );
    assert_eq!(
        server.get("/pets").await.status,
        200,
        "the next request succeeds"
    );
    server.get("/pets?tag=panic").await.assert_problem(500);
    assert_eq!(server.get("/pets").await.status, 200);
}

#[tokio::test]
async fn without_catch_panics_a_panic_drops_only_that_connection() {
    let server = Server::start(ServerConfig {
        catch_panics: false,
        ..ServerConfig::default()
    })
    .await;
    let failed = server
        .client
        .get(server.url("/pets?tag=panic"))
        .send()
        .await;
    assert!(failed.is_err(), "{failed:?}");
    assert_eq!(server.get("/pets").await.status, 200);
}

#[tokio::test]
async fn oversized_bodies_are_413() {
    let config = ServerConfig {
        body_limit: Some(1024),
        ..ServerConfig::default()
    };
    let server = Server::start(config).await;
    let mut big = pet_json("Rex");
    big["tag"] = json!("x".repeat(2000));
    let reply = server.post_json("/pets", &big).await;
    reply.assert_problem(413);
    assert!(
        reply.json["detail"]
            .as_str()
            .is_some_and(|d| d.contains("1024 bytes")),
        "{reply:?}"
    );

    // A chunked body has no Content-Length: it is cut off while being read.
    let addr = server.addr;
    let raw = tokio::task::spawn_blocking(move || {
        let mut stream = std::net::TcpStream::connect(addr).unwrap_or_else(|e| panic!("{e}"));
        let _ = stream.set_read_timeout(Some(Duration::from_secs(5)));
        let chunk = "y".repeat(800);
        let request = format!(
            "POST {}/pets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n{:x}\r\n{chunk}\r\n{:x}\r\n{chunk}\r\n0\r\n\r\n",
            petstore_server::server::BASE_PATH,
            chunk.len(),
            chunk.len()
        );
        let _ = stream.write_all(request.as_bytes());
        let mut response = String::new();
        let _ = stream.read_to_string(&mut response);
        response
    })
    .await
    .unwrap_or_else(|e| panic!("{e}"));
    assert!(raw.starts_with("HTTP/1.1 413"), "{raw}");

    // Under the limit it is accepted; with no limit, anything is.
    assert_eq!(
        server.post_json("/pets", &pet_json("Tom")).await.status,
        201
    );
    let unlimited = Server::start(ServerConfig {
        body_limit: None,
        ..ServerConfig::default()
    })
    .await;
    let mut huge = pet_json("Big");
    huge["tag"] = json!("x".repeat(3 * 1024 * 1024));
    assert_eq!(unlimited.post_json("/pets", &huge).await.status, 201);
}

#[tokio::test]
async fn slow_requests_time_out() {
    let config = ServerConfig {
        request_timeout: Some(Duration::from_millis(100)),
        ..ServerConfig::default()
    };
    let server = Server::start(config).await;
    let reply = server.get("/pets?tag=slow").await;
    reply.assert_problem(503);
    assert_eq!(server.get("/pets").await.status, 200);
    let patient = Server::start(ServerConfig {
        request_timeout: None,
        ..ServerConfig::default()
    })
    .await;
    assert_eq!(patient.get("/pets?tag=slow").await.status, 200);
}

#[tokio::test]
async fn unknown_paths_are_404_and_other_methods_405_with_allow() {
    let server = Server::start(ServerConfig::default()).await;
    server.get("/nope").await.assert_problem(404);
    server.get("/pets/1/photo/extra").await.assert_problem(404);
    let patch = Reply::of(server.client.patch(server.url("/pets")).send().await).await;
    patch.assert_problem(405);
    let allow = patch.header("allow");
    assert!(
        allow.contains("GET") && allow.contains("POST") && !allow.contains("PATCH"),
        "Allow: {allow}"
    );
    let get_photo = server.get("/pets/1/photo").await;
    get_photo.assert_problem(405);
    assert_eq!(get_photo.header("allow"), "POST");
}

#[tokio::test]
async fn graceful_shutdown_lets_requests_in_flight_finish() {
    let mut server = Server::start(ServerConfig::default()).await;
    let slow = server.client.get(server.url("/pets?tag=slow")).send();
    let in_flight = tokio::spawn(slow);
    tokio::time::sleep(Duration::from_millis(100)).await;
    if let Some(tx) = server.shutdown.take() {
        let _ = tx.send(());
    }
    let reply = in_flight
        .await
        .unwrap_or_else(|e| panic!("{e}"))
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reply.status(), 200, "the request in flight completes");
    let served = tokio::time::timeout(Duration::from_secs(5), &mut server.task).await;
    let result = served.unwrap_or_else(|_| panic!("serve did not return after shutdown"));
    assert!(matches!(result, Ok(Ok(()))), "{result:?}");
    assert!(
        server.client.get(server.url("/pets")).send().await.is_err(),
        "no longer listening"
    );
}

#[test]
fn the_default_config_is_hardened() {
    let config = ServerConfig::default();
    assert_eq!(config.body_limit, Some(2 * 1024 * 1024));
    assert_eq!(config.request_timeout, Some(Duration::from_secs(30)));
    assert!(config.catch_panics);
    assert_eq!(
        PetStatus::Available,
        serde_json::from_value(json!("available")).unwrap_or(PetStatus::Sold)
    );
}

/// A raw HTTP/1.1 exchange: writes `head`, then reads until the server closes the connection or
/// `patience` passes; returns what was read and how long it took.
async fn raw_exchange(
    addr: std::net::SocketAddr,
    head: &str,
    patience: Duration,
) -> (String, Duration) {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let started = std::time::Instant::now();
    let mut stream = tokio::net::TcpStream::connect(addr)
        .await
        .unwrap_or_else(|e| panic!("connect: {e}"));
    let _ = stream.write_all(head.as_bytes()).await;
    let mut response = Vec::new();
    let _ = tokio::time::timeout(patience, stream.read_to_end(&mut response)).await;
    (
        String::from_utf8_lossy(&response).into_owned(),
        started.elapsed(),
    )
}

#[tokio::test]
async fn clients_trickling_headers_do_not_hold_the_server_or_their_connections() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let config = ServerConfig {
        header_read_timeout: Some(Duration::from_millis(500)),
        ..ServerConfig::default()
    };
    let server = Server::start(config).await;
    let mut tricklers = Vec::new();
    for _ in 0..300 {
        let mut stream = tokio::net::TcpStream::connect(server.addr)
            .await
            .unwrap_or_else(|e| panic!("connect: {e}"));
        let _ = stream.write_all(b"GET /v1/pets HTTP/1.1\r\nHo").await;
        tricklers.push(stream);
    }
    // One more header byte from each of them every 100 ms, for 1.5 s.
    let trickle = tokio::spawn(async move {
        for _ in 0..15 {
            for stream in &mut tricklers {
                let _ = stream.write_all(b"s").await;
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
        tricklers
    });
    let started = std::time::Instant::now();
    assert_eq!(server.get("/pets").await.status, 200);
    assert!(
        started.elapsed() < Duration::from_secs(2),
        "{:?}",
        started.elapsed()
    );
    let mut tricklers = trickle.await.unwrap_or_else(|e| panic!("{e}"));
    // The header-read timeout closed every one of them.
    for stream in &mut tricklers {
        let mut rest = Vec::new();
        let closed =
            tokio::time::timeout(Duration::from_secs(2), stream.read_to_end(&mut rest)).await;
        assert!(closed.is_ok(), "a trickling connection is still open");
    }
    assert_eq!(server.get("/pets").await.status, 200);
}

#[tokio::test]
async fn a_slow_body_is_408() {
    let config = ServerConfig {
        body_timeout: Some(Duration::from_millis(300)),
        ..ServerConfig::default()
    };
    let server = Server::start(config).await;
    let head = "POST /v1/pets HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{\"name\"";
    let (response, _) = raw_exchange(server.addr, head, Duration::from_secs(3)).await;
    assert!(response.starts_with("HTTP/1.1 408"), "{response}");
    assert!(response.contains("application/problem+json"), "{response}");
}

#[tokio::test]
async fn long_targets_and_large_headers_are_414_and_431_problems() {
    let server = Server::start(ServerConfig::default()).await;
    let long = server.get(&format!("/pets?tag={}", "x".repeat(9000))).await;
    long.assert_problem(414);
    let large = server
        .client
        .get(server.url("/pets"))
        .header("x-padding", "y".repeat(40_000));
    Reply::of(large.send().await).await.assert_problem(431);
    assert_eq!(server.get("/pets").await.status, 200);
}

#[tokio::test]
async fn connections_beyond_the_limit_wait_for_a_free_one() {
    let config = ServerConfig {
        max_connections: Some(1),
        header_read_timeout: Some(Duration::from_millis(400)),
        ..ServerConfig::default()
    };
    let server = Server::start(config).await;
    // An idle connection holds the only slot until the header-read timeout closes it.
    let idle = tokio::spawn(raw_exchange(server.addr, "", Duration::from_secs(3)));
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = std::time::Instant::now();
    assert_eq!(server.get("/pets").await.status, 200);
    let waited = started.elapsed();
    assert!(
        waited >= Duration::from_millis(250),
        "served at once: {waited:?}"
    );
    let (_, held) = idle.await.unwrap_or_else(|e| panic!("{e}"));
    assert!(held < Duration::from_secs(2), "{held:?}");
}

#[tokio::test]
async fn operations_can_have_their_own_body_limit() {
    let mut config = ServerConfig::default();
    config
        .operation_body_limits
        .insert("createPet".to_string(), Some(32));
    let server = Server::start(config).await;
    let pet = json!({"name": "Rex", "price": 1999, "status": "available", "tag": "dog"});
    server.post_json("/pets", &pet).await.assert_problem(413);
    let update = server
        .send_json(reqwest::Method::PUT, "/pets/1", &pet)
        .await;
    assert_ne!(update.status, 413, "{update:?}");
}
