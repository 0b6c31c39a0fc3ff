//! The probe target: a small inventory service (openapi.yaml beside this file) that serves its
//! spec correctly, or with any set of seeded contract bugs of the kinds real backends ship. The
//! probe tests run `oaskit probe` against both; `cargo run --example probe_target` serves it for
//! side-by-side runs with other tools (bench/probe-bugs.sh).

#![allow(dead_code)] // each user of the module needs a different part of it

use std::collections::{BTreeMap, HashSet};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};

use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{HeaderMap, HeaderValue, Method, Response, StatusCode, header};
use serde_json::{Value, json};

/// The API key the target accepts.
pub const API_KEY: &str = "probe-target-key-3f9a";
/// The spec the target serves.
pub const SPEC: &str = include_str!("openapi.yaml");

/// One seeded contract bug, with the operation and rule that should report it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Bug {
    /// `limit` above its maximum crashes the list (a 500, not a 400).
    LimitAboveMaxCrashes,
    /// `limit=0` (below the minimum) is served as an empty page.
    LimitBelowMinAccepted,
    /// `limit=50`, the maximum, is refused with a 400.
    LimitAtMaxRejected,
    /// A `status` filter outside the enum is accepted and echoed in the items.
    UnknownStatusAccepted,
    /// Archived items carry their price as a decimal string.
    ArchivedPriceAsString,
    /// A negative `offset` crashes the list.
    NegativeOffsetCrashes,
    /// The `next` link is built with an empty `limit=` when `limit` is left out.
    NextLinkBrokenWithoutLimit,
    /// A search string of the maximum length resets the connection.
    LongSearchResets,
    /// Items with an even id lack their (required) price.
    EvenItemsLackPrice,
    /// Item 3's body is cut off: not JSON.
    ItemThreeInvalidJson,
    /// The 404 page is HTML.
    NotFoundAsHtml,
    /// A create answers 201 without the declared `Location`.
    CreateWithoutLocation,
    /// A create body missing a required field gets a 422 (the spec says 400).
    MissingFieldIs422,
    /// A create with `price` as a string is accepted.
    WrongTypeAccepted,
    /// A create with more tags than `maxItems` is accepted.
    TooManyTagsAccepted,
    /// A create body that is not JSON crashes the handler.
    MalformedJsonCrashes,
    /// A create without an API key succeeds.
    CreateWithoutKey,
    /// `/stats` without a key answers 403 (the spec says 401).
    StatsForbiddenNot401,
    /// `/stats` accepts any key.
    StatsAcceptsAnyKey,
    /// A replace with a name of the maximum length is refused.
    NameAtMaxRejected,
    /// A replace answers 200 with the new values and stores nothing.
    UpdateLost,
    /// A delete answers 204 and deletes nothing.
    DeleteNotEffective,
    /// The delete's 204 carries a Content-Type.
    NoContentWithContentType,
    /// HEAD /health answers 405 while GET answers 200.
    HeadMismatch,
    /// A method the path does not declare gets a 405 without `Allow`.
    MethodNotAllowedWithoutAllow,
}

impl Bug {
    pub const ALL: [Bug; 25] = [
        Bug::LimitAboveMaxCrashes,
        Bug::LimitBelowMinAccepted,
        Bug::LimitAtMaxRejected,
        Bug::UnknownStatusAccepted,
        Bug::ArchivedPriceAsString,
        Bug::NegativeOffsetCrashes,
        Bug::NextLinkBrokenWithoutLimit,
        Bug::LongSearchResets,
        Bug::EvenItemsLackPrice,
        Bug::ItemThreeInvalidJson,
        Bug::NotFoundAsHtml,
        Bug::CreateWithoutLocation,
        Bug::MissingFieldIs422,
        Bug::WrongTypeAccepted,
        Bug::TooManyTagsAccepted,
        Bug::MalformedJsonCrashes,
        Bug::CreateWithoutKey,
        Bug::StatsForbiddenNot401,
        Bug::StatsAcceptsAnyKey,
        Bug::NameAtMaxRejected,
        Bug::UpdateLost,
        Bug::DeleteNotEffective,
        Bug::NoContentWithContentType,
        Bug::HeadMismatch,
        Bug::MethodNotAllowedWithoutAllow,
    ];

    /// The operation (`METHOD /path`) and rule id a probe should report the bug under, and a
    /// piece of the message that names the cause.
    pub fn expected(self) -> (&'static str, &'static str, &'static str) {
        match self {
            Bug::LimitAboveMaxCrashes => ("GET /items", "probe-server-error", "limit=51"),
            Bug::LimitBelowMinAccepted => ("GET /items", "probe-invalid-accepted", "limit=0"),
            Bug::LimitAtMaxRejected => ("GET /items", "probe-valid-rejected", "limit=50"),
            Bug::UnknownStatusAccepted => {
                ("GET /items", "probe-invalid-accepted", "outside the enum")
            }
            Bug::ArchivedPriceAsString => ("GET /items", "probe-response-invalid", "/price"),
            Bug::NegativeOffsetCrashes => ("GET /items", "probe-server-error", "offset=-1"),
            Bug::NextLinkBrokenWithoutLimit => ("GET /items", "probe-link-broken", "next"),
            Bug::LongSearchResets => (
                "GET /search",
                "probe-connection-error",
                "the longest string",
            ),
            Bug::EvenItemsLackPrice => ("GET /items/{itemId}", "probe-response-invalid", "price"),
            Bug::ItemThreeInvalidJson => ("GET /items/{itemId}", "probe-invalid-json", "itemId=3"),
            Bug::NotFoundAsHtml => (
                "GET /items/{itemId}",
                "probe-undeclared-content-type",
                "text/html",
            ),
            Bug::CreateWithoutLocation => ("POST /items", "probe-missing-header", "Location"),
            Bug::MissingFieldIs422 => ("POST /items", "probe-undeclared-status", "422"),
            Bug::WrongTypeAccepted => ("POST /items", "probe-invalid-accepted", "`price`"),
            Bug::TooManyTagsAccepted => ("POST /items", "probe-invalid-accepted", "`tags`"),
            Bug::MalformedJsonCrashes => ("POST /items", "probe-server-error", "not JSON"),
            Bug::CreateWithoutKey => (
                "POST /items",
                "probe-auth-not-enforced",
                "without credentials",
            ),
            Bug::StatsForbiddenNot401 => ("GET /stats", "probe-undeclared-status", "403"),
            Bug::StatsAcceptsAnyKey => {
                ("GET /stats", "probe-auth-not-enforced", "wrong credential")
            }
            Bug::NameAtMaxRejected => ("PUT /items/{itemId}", "probe-valid-rejected", "`name`"),
            Bug::UpdateLost => ("GET /items/{itemId}", "probe-lifecycle", "not visible"),
            Bug::DeleteNotEffective => ("GET /items/{itemId}", "probe-lifecycle", "still there"),
            Bug::NoContentWithContentType => (
                "DELETE /items/{itemId}",
                "probe-no-content-with-body",
                "Content-Type",
            ),
            Bug::HeadMismatch => ("GET /health", "probe-head-mismatch", "405"),
            Bug::MethodNotAllowedWithoutAllow => {
                ("GET /health", "probe-405-without-allow", "Allow")
            }
        }
    }
}

impl Bug {
    /// Whether a finding (from probe's JSON report) is one this bug causes: its expected
    /// operation and rule, or another place the same bug shows.
    pub fn explains(self, finding: &Value) -> bool {
        let (operation, rule, _) = self.expected();
        let at = |o: &str, r: &str| finding["operation"] == o && finding["rule"] == r;
        at(operation, rule) || self.also().iter().any(|(o, r)| at(o, r))
    }

    /// Where else the bug shows: the create and the replace share their body checks, every
    /// path the 405 handler, every item answer the price rendering.
    pub fn also(self) -> &'static [(&'static str, &'static str)] {
        const PUT: &str = "PUT /items/{itemId}";
        match self {
            Bug::NotFoundAsHtml => &[
                (PUT, "probe-undeclared-content-type"),
                ("DELETE /items/{itemId}", "probe-undeclared-content-type"),
            ],
            Bug::WrongTypeAccepted => &[(PUT, "probe-invalid-accepted")],
            Bug::TooManyTagsAccepted => &[
                (PUT, "probe-invalid-accepted"),
                ("POST /items", "probe-response-invalid"),
                (PUT, "probe-response-invalid"),
            ],
            Bug::MalformedJsonCrashes => &[(PUT, "probe-server-error")],
            Bug::MissingFieldIs422 => &[(PUT, "probe-undeclared-status")],
            Bug::ArchivedPriceAsString => &[
                ("POST /items", "probe-response-invalid"),
                (PUT, "probe-response-invalid"),
                ("GET /items/{itemId}", "probe-response-invalid"),
                ("GET /search", "probe-response-invalid"),
            ],
            Bug::MethodNotAllowedWithoutAllow => &[
                ("GET /items", "probe-405-without-allow"),
                ("GET /items/{itemId}", "probe-405-without-allow"),
                ("GET /search", "probe-405-without-allow"),
                ("GET /stats", "probe-405-without-allow"),
            ],
            _ => &[],
        }
    }
}

/// Which bugs a target has.
#[derive(Debug, Clone, Default)]
pub struct Bugs(HashSet<Bug>);

impl Bugs {
    pub fn none() -> Bugs {
        Bugs::default()
    }

    pub fn all() -> Bugs {
        Bugs(Bug::ALL.into_iter().collect())
    }

    pub fn only(bug: Bug) -> Bugs {
        Bugs([bug].into_iter().collect())
    }

    fn has(&self, bug: Bug) -> bool {
        self.0.contains(&bug)
    }
}

#[derive(Debug, Clone)]
struct Item {
    id: u64,
    name: String,
    price: u64,
    status: String,
    tags: Vec<String>,
}

struct Store {
    items: BTreeMap<u64, Item>,
    next_id: u64,
}

struct Target {
    bugs: Bugs,
    store: Mutex<Store>,
    /// Requests served, read (and not counted) at `GET /__requests`, a path outside the spec:
    /// benchmarks count each tool's requests at the server.
    served: std::sync::atomic::AtomicUsize,
}

/// Serves the target on 127.0.0.1 (a free port when `port` is 0) on a thread of its own;
/// returns its address. The server lives as long as the process.
pub fn start(bugs: Bugs, port: u16) -> SocketAddr {
    quiet_seeded_panics();
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        let runtime = match tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .enable_all()
            .build()
        {
            Ok(r) => r,
            Err(e) => panic!("tokio runtime: {e}"),
        };
        runtime.block_on(async move {
            let listener = tokio::net::TcpListener::bind(("127.0.0.1", port))
                .await
                .expect("bind 127.0.0.1");
            let addr = listener.local_addr().expect("local address");
            let _ = tx.send(addr);
            let state = Arc::new(Target {
                bugs,
                store: Mutex::new(seeded_store()),
                served: std::sync::atomic::AtomicUsize::new(0),
            });
            let app = Router::new().fallback(handle).with_state(state);
            axum::serve(listener, app).await.expect("serve");
        });
    });
    rx.recv().expect("the target's address")
}

/// The message of the panic `LongSearchResets` seeds (it drops the connection, as a crashing
/// worker does).
const SEEDED_PANIC: &str = "seeded bug: search buffer overflow";

/// Keeps the seeded panic out of the test output; every other panic is reported as usual.
fn quiet_seeded_panics() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let previous = std::panic::take_hook();
        std::panic::set_hook(Box::new(move |info| {
            if info.payload().downcast_ref::<&str>() != Some(&SEEDED_PANIC) {
                previous(info);
            }
        }));
    });
}

fn seeded_store() -> Store {
    let items = (1..=30)
        .map(|id| {
            (
                id,
                Item {
                    id,
                    name: format!("item {id}"),
                    price: id * 100,
                    status: if id % 3 == 0 { "archived" } else { "active" }.to_string(),
                    tags: Vec::new(),
                },
            )
        })
        .collect();
    Store { items, next_id: 31 }
}

type Reply = Response<Body>;

fn reply(status: u16, content_type: Option<&str>, body: String) -> Reply {
    let mut response = Response::new(Body::from(body));
    *response.status_mut() =
        StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    if let Some(ct) = content_type {
        response.headers_mut().insert(
            header::CONTENT_TYPE,
            HeaderValue::from_str(ct).expect("content type"),
        );
    }
    response
}

fn json_reply(status: u16, value: &Value) -> Reply {
    reply(status, Some("application/json"), value.to_string())
}

fn problem(status: u16, title: &str) -> Reply {
    reply(
        status,
        Some("application/problem+json"),
        json!({"title": title, "status": status}).to_string(),
    )
}

fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    let decode = |s: &str| {
        let s = s.replace('+', " ");
        let bytes = s.as_bytes();
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if bytes[i] == b'%'
                && let Some(b) = s
                    .get(i + 1..i + 3)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(b);
                i += 3;
                continue;
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    };
    query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|p| {
            let (k, v) = p.split_once('=').unwrap_or((p, ""));
            (decode(k), decode(v))
        })
        .collect()
}

fn item_json(target: &Target, item: &Item) -> Value {
    let mut value = json!({
        "id": item.id, "name": item.name, "price": item.price, "status": item.status, "tags": item.tags,
    });
    if target.bugs.has(Bug::ArchivedPriceAsString) && item.status == "archived" {
        value["price"] = json!(format!("{}.00", item.price));
    }
    value
}

async fn handle(State(target): State<Arc<Target>>, request: Request) -> Reply {
    let (parts, body) = request.into_parts();
    let body = axum::body::to_bytes(body, 1 << 20)
        .await
        .unwrap_or_default();
    let path = parts.uri.path().to_string();
    if path == "/__requests" {
        let served = target.served.load(std::sync::atomic::Ordering::Relaxed);
        return json_reply(200, &json!({"requests": served}));
    }
    target
        .served
        .fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let query = query_pairs(parts.uri.query());
    let method = parts.method.clone();
    let segments: Vec<&str> = path.trim_start_matches('/').split('/').collect();
    let declared: &[&str] = match segments.as_slice() {
        ["items"] => &["GET", "POST"],
        ["items", _] => &["GET", "PUT", "DELETE"],
        ["search"] | ["stats"] | ["health"] => &["GET"],
        _ => return not_found(&target),
    };
    let as_get = method == Method::HEAD;
    if as_get && target.bugs.has(Bug::HeadMismatch) && segments == ["health"] {
        return problem(405, "method not allowed");
    }
    let name = if as_get { "GET" } else { method.as_str() };
    if !declared.contains(&name) {
        let mut response = problem(405, "method not allowed");
        if !target.bugs.has(Bug::MethodNotAllowedWithoutAllow) {
            let mut allow: Vec<&str> = declared.to_vec();
            allow.push("HEAD");
            response.headers_mut().insert(
                header::ALLOW,
                HeaderValue::from_str(&allow.join(", ")).expect("allow"),
            );
        }
        return response;
    }
    match (name, segments.as_slice()) {
        ("GET", ["items"]) => list(&target, &query),
        ("POST", ["items"]) => create(&target, &parts.headers, &body),
        ("GET", ["items", id]) => read(&target, id),
        ("PUT", ["items", id]) => replace(&target, &parts.headers, id, &body),
        ("DELETE", ["items", id]) => delete(&target, &parts.headers, id),
        ("GET", ["search"]) => search(&target, &query),
        ("GET", ["stats"]) => stats(&target, &parts.headers),
        _ => json_reply(200, &json!({"status": "ok"})),
    }
}

fn not_found(target: &Target) -> Reply {
    if target.bugs.has(Bug::NotFoundAsHtml) {
        return reply(404, Some("text/html"), "<h1>Not Found</h1>".to_string());
    }
    problem(404, "not found")
}

fn number(query: &[(String, String)], name: &str) -> Result<Option<i64>, ()> {
    match query.iter().find(|(k, _)| k == name) {
        None => Ok(None),
        Some((_, v)) => v.parse::<i64>().map(Some).map_err(|_| ()),
    }
}

fn list(target: &Target, query: &[(String, String)]) -> Reply {
    let bugs = &target.bugs;
    let Ok(limit_given) = number(query, "limit") else {
        return problem(400, "limit must be an integer");
    };
    let Ok(offset) = number(query, "offset") else {
        return problem(400, "offset must be an integer");
    };
    let limit = limit_given.unwrap_or(20);
    if limit > 50 && bugs.has(Bug::LimitAboveMaxCrashes) {
        return problem(500, "internal error: the page buffer overflowed");
    }
    if limit == 50 && bugs.has(Bug::LimitAtMaxRejected) {
        return problem(400, "limit too large");
    }
    let below_ok = limit == 0 && bugs.has(Bug::LimitBelowMinAccepted);
    if !(1..=50).contains(&limit) && !below_ok {
        return problem(400, "limit must be between 1 and 50");
    }
    let offset = offset.unwrap_or(0);
    if offset < 0 {
        if bugs.has(Bug::NegativeOffsetCrashes) {
            return problem(500, "internal error: negative slice index");
        }
        return problem(400, "offset must not be negative");
    }
    let status = query
        .iter()
        .find(|(k, _)| k == "status")
        .map(|(_, v)| v.clone());
    let mut echoed = None;
    if let Some(s) = &status
        && s != "active"
        && s != "archived"
    {
        if !bugs.has(Bug::UnknownStatusAccepted) {
            return problem(400, "unknown status");
        }
        echoed = Some(s.clone());
    }
    let store = target.store.lock().expect("store");
    let matching: Vec<&Item> = store
        .items
        .values()
        .filter(|i| echoed.is_some() || status.as_ref().is_none_or(|s| &i.status == s))
        .collect();
    let start = usize::try_from(offset).unwrap_or(usize::MAX);
    let page: Vec<Value> = matching
        .iter()
        .skip(start)
        .take(usize::try_from(limit).unwrap_or(0))
        .map(|i| {
            let mut v = item_json(target, i);
            if let Some(s) = &echoed {
                v["status"] = json!(s);
            }
            v
        })
        .collect();
    let end = start.saturating_add(usize::try_from(limit).unwrap_or(0));
    let next = if end < matching.len() {
        let filter = status.map(|s| format!("&status={s}")).unwrap_or_default();
        let shown_limit = if limit_given.is_none() && bugs.has(Bug::NextLinkBrokenWithoutLimit) {
            String::new()
        } else {
            limit.to_string()
        };
        json!(format!("/items?limit={shown_limit}&offset={end}{filter}"))
    } else {
        Value::Null
    };
    json_reply(200, &json!({"items": page, "next": next}))
}

fn authorized(headers: &HeaderMap) -> Result<(), Option<()>> {
    match headers.get("x-api-key").and_then(|v| v.to_str().ok()) {
        Some(API_KEY) => Ok(()),
        Some(_) => Err(Some(())),
        None => Err(None),
    }
}

/// A NewItem from a body: `Err` is the status and title to answer with.
fn new_item(target: &Target, body: &Bytes) -> Result<Item, (u16, String)> {
    let bugs = &target.bugs;
    let value: Value = match serde_json::from_slice(body) {
        Ok(v) => v,
        Err(e) => {
            if bugs.has(Bug::MalformedJsonCrashes) {
                return Err((500, format!("internal error: {e}")));
            }
            return Err((400, "the body is not JSON".to_string()));
        }
    };
    let Some(map) = value.as_object() else {
        return Err((400, "the body must be an object".to_string()));
    };
    let missing = if bugs.has(Bug::MissingFieldIs422) {
        422
    } else {
        400
    };
    for key in map.keys() {
        if !["name", "price", "status", "tags"].contains(&key.as_str()) {
            return Err((400, format!("unknown field {key}")));
        }
    }
    let name = match map.get("name") {
        None => return Err((missing, "name is required".to_string())),
        Some(Value::String(s)) if !s.is_empty() && s.chars().count() <= 40 => s.clone(),
        Some(_) => return Err((400, "name must be 1 to 40 characters".to_string())),
    };
    let price = match map.get("price") {
        None => return Err((missing, "price is required".to_string())),
        Some(Value::Number(n)) => match n.as_u64() {
            Some(p) if p <= 1_000_000 => p,
            _ => return Err((400, "price out of range".to_string())),
        },
        Some(Value::String(s)) if bugs.has(Bug::WrongTypeAccepted) => s.parse::<u64>().unwrap_or(0),
        Some(_) => return Err((400, "price must be an integer".to_string())),
    };
    let status = match map.get("status") {
        None => "active".to_string(),
        Some(Value::String(s)) if s == "active" || s == "archived" => s.clone(),
        Some(_) => return Err((400, "unknown status".to_string())),
    };
    let tags = match map.get("tags") {
        None => Vec::new(),
        Some(Value::Array(tags)) => {
            let limit = if bugs.has(Bug::TooManyTagsAccepted) {
                usize::MAX
            } else {
                5
            };
            if tags.len() > limit {
                return Err((400, "at most 5 tags".to_string()));
            }
            let mut out = Vec::new();
            for t in tags {
                match t {
                    Value::String(s) if s.chars().count() <= 16 => out.push(s.clone()),
                    _ => {
                        return Err((400, "tags are strings of at most 16 characters".to_string()));
                    }
                }
            }
            out
        }
        Some(_) => return Err((400, "tags must be an array".to_string())),
    };
    Ok(Item {
        id: 0,
        name,
        price,
        status,
        tags,
    })
}

fn create(target: &Target, headers: &HeaderMap, body: &Bytes) -> Reply {
    match authorized(headers) {
        Ok(()) => {}
        Err(None) if target.bugs.has(Bug::CreateWithoutKey) => {}
        Err(_) => return problem(401, "an API key is required"),
    }
    let mut item = match new_item(target, body) {
        Ok(item) => item,
        Err((status, title)) => return problem(status, &title),
    };
    let mut store = target.store.lock().expect("store");
    item.id = store.next_id;
    store.next_id += 1;
    store.items.insert(item.id, item.clone());
    let mut response = json_reply(201, &item_json(target, &item));
    if !target.bugs.has(Bug::CreateWithoutLocation) {
        response.headers_mut().insert(
            header::LOCATION,
            HeaderValue::from_str(&format!("/items/{}", item.id)).expect("location"),
        );
    }
    response
}

/// The item id of a path, or `None` (answered with a 400) when it is not a positive integer.
fn item_id(text: &str) -> Option<u64> {
    text.parse::<u64>().ok().filter(|id| *id >= 1)
}

fn read(target: &Target, id: &str) -> Reply {
    let Some(id) = item_id(id) else {
        return problem(400, "itemId must be a positive integer");
    };
    let store = target.store.lock().expect("store");
    let Some(item) = store.items.get(&id) else {
        return not_found(target);
    };
    if id == 3 && target.bugs.has(Bug::ItemThreeInvalidJson) {
        return reply(
            200,
            Some("application/json"),
            r#"{"id": 3, "name": "item 3""#.to_string(),
        );
    }
    let mut value = item_json(target, item);
    if id % 2 == 0
        && target.bugs.has(Bug::EvenItemsLackPrice)
        && let Some(map) = value.as_object_mut()
    {
        map.remove("price");
    }
    json_reply(200, &value)
}

fn replace(target: &Target, headers: &HeaderMap, id: &str, body: &Bytes) -> Reply {
    if authorized(headers).is_err() {
        return problem(401, "an API key is required");
    }
    let Some(id) = item_id(id) else {
        return problem(400, "itemId must be a positive integer");
    };
    let mut item = match new_item(target, body) {
        Ok(item) => item,
        Err((status, title)) => return problem(status, &title),
    };
    if target.bugs.has(Bug::NameAtMaxRejected) && item.name.chars().count() == 40 {
        return problem(400, "name too long");
    }
    let mut store = target.store.lock().expect("store");
    if !store.items.contains_key(&id) {
        return not_found(target);
    }
    item.id = id;
    if !target.bugs.has(Bug::UpdateLost) {
        store.items.insert(id, item.clone());
    }
    json_reply(200, &item_json(target, &item))
}

fn delete(target: &Target, headers: &HeaderMap, id: &str) -> Reply {
    if authorized(headers).is_err() {
        return problem(401, "an API key is required");
    }
    let Some(id) = item_id(id) else {
        return problem(400, "itemId must be a positive integer");
    };
    let mut store = target.store.lock().expect("store");
    if !store.items.contains_key(&id) {
        return not_found(target);
    }
    if !target.bugs.has(Bug::DeleteNotEffective) {
        store.items.remove(&id);
    }
    let content_type = target
        .bugs
        .has(Bug::NoContentWithContentType)
        .then_some("application/json");
    reply(204, content_type, String::new())
}

fn search(target: &Target, query: &[(String, String)]) -> Reply {
    let Some((_, q)) = query.iter().find(|(k, _)| k == "q") else {
        return problem(400, "q is required");
    };
    let length = q.chars().count();
    if length == 64 && target.bugs.has(Bug::LongSearchResets) {
        std::panic::panic_any(SEEDED_PANIC);
    }
    if !(1..=64).contains(&length) {
        return problem(400, "q must be 1 to 64 characters");
    }
    let store = target.store.lock().expect("store");
    let results: Vec<Value> = store
        .items
        .values()
        .filter(|i| i.name.contains(q.as_str()))
        .map(|i| item_json(target, i))
        .collect();
    json_reply(200, &json!({"results": results}))
}

fn stats(target: &Target, headers: &HeaderMap) -> Reply {
    match authorized(headers) {
        Ok(()) => {}
        Err(Some(())) if target.bugs.has(Bug::StatsAcceptsAnyKey) => {}
        Err(None) if target.bugs.has(Bug::StatsForbiddenNot401) => {
            return problem(403, "forbidden");
        }
        Err(_) => return problem(401, "an API key is required"),
    }
    let count = target.store.lock().expect("store").items.len();
    json_reply(200, &json!({"count": count}))
}
