//! A second hostile-request spec, about bodies: a `oneOf` union, a urlencoded form, a multipart
//! upload, a binary upload, a streamed binary download and server-sent events (JSON and text
//! data). It is generated into a crate (see `common::generated_crate`) whose tests implement
//! it as a small service, serve it with the generated `serve_with_config` on 127.0.0.1, and
//! talk to it over real HTTP/1.1 with a client that reads the bytes on the wire: the event
//! stream's exact framing, events arriving while the stream is open, a download larger than
//! any body limit sent in chunks, per-operation body limits (`413`), wrong media types (`415`).

mod common;

use common::generated_crate::{add_behaviour, fresh_dir, generate, lint_and_test};

const SPEC: &str = r###"openapi: 3.1.0
info: {title: Media Lab, version: "1"}
servers: [{url: /v1}]
paths:
  /shapes:
    post:
      operationId: createShape
      requestBody:
        required: true
        content: {application/json: {schema: {$ref: '#/components/schemas/Shape'}}}
      responses:
        '201': {description: created, content: {application/json: {schema: {$ref: '#/components/schemas/Shape'}}}}
  /login:
    post:
      operationId: login
      requestBody:
        required: true
        content:
          application/x-www-form-urlencoded:
            schema:
              type: object
              required: [user, password]
              properties: {user: {type: string, minLength: 1}, password: {type: string}, remember: {type: boolean}}
      responses:
        '204': {description: signed in}
  /photos:
    post:
      operationId: uploadPhoto
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [photo]
              additionalProperties: false
              properties:
                caption: {type: string, maxLength: 20}
                photo: {type: string, format: binary}
                thumbnails: {type: array, items: {type: string, format: binary, maxLength: 1024}}
            encoding:
              photo:
                contentType: 'image/jpeg, image/png'
                headers:
                  X-Rate-Limit: {required: true, schema: {type: integer, minimum: 1}}
                  X-Trace: {schema: {type: string, format: uuid}}
                  Content-Type: {required: true, schema: {type: string, enum: [never]}}
              thumbnails:
                contentType: image/png
                headers: {X-Rate-Limit: {schema: {type: integer, minimum: 1}}}
              caption:
                headers: {X-Lang: {schema: {type: string, maxLength: 2}}}
      responses:
        '201': {description: stored, content: {application/json: {schema: {$ref: '#/components/schemas/Stored'}}}}
  /albums:
    post:
      operationId: createAlbum
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [photos]
              properties:
                title: {type: string}
                metadata: {type: object, properties: {place: {type: string, maxLength: 8}}}
                photos: {type: array, minItems: 2, maxItems: 3, items: {type: string, format: binary}}
      responses:
        '201': {description: stored, content: {application/json: {schema: {$ref: '#/components/schemas/Stored'}}}}
  /notes:
    post:
      operationId: postNote
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema:
              type: object
              required: [text]
              properties:
                meta: {type: object, properties: {lang: {type: string, maxLength: 2}}}
                text: {type: string}
            encoding:
              text:
                contentType: 'text/markdown, text/x-markdown'
                headers: {X-Lang: {schema: {type: string, maxLength: 2}}}
      responses:
        '201': {description: stored, content: {application/json: {schema: {$ref: '#/components/schemas/Stored'}}}}
  /avatar:
    put:
      operationId: putAvatar
      requestBody:
        required: true
        content:
          multipart/form-data:
            schema: {type: object, required: [image], properties: {image: {type: string, contentMediaType: image/png}}}
      responses:
        '201': {description: stored, content: {application/json: {schema: {$ref: '#/components/schemas/Stored'}}}}
  /files/{name}:
    parameters: [{name: name, in: path, required: true, schema: {type: string, pattern: '^[a-z]+$'}}]
    put:
      operationId: putFile
      requestBody:
        required: true
        content: {application/octet-stream: {schema: {type: string, format: binary}}}
      responses:
        '201': {description: stored, content: {application/json: {schema: {$ref: '#/components/schemas/Stored'}}}}
    get:
      operationId: getFile
      parameters: [{name: size, in: query, schema: {type: integer, minimum: 0}}]
      responses:
        '200':
          description: the file
          headers: {X-Checksum: {schema: {type: string}}}
          content: {application/pdf: {schema: {type: string, format: binary}}}
        '404': {description: no such file, content: {application/problem+json: {schema: {$ref: '#/components/schemas/Problem'}}}}
  /events:
    get:
      operationId: watch
      responses:
        '200': {description: changes, content: {text/event-stream: {schema: {$ref: '#/components/schemas/Change'}}}}
  /log:
    get:
      operationId: tail
      responses:
        '200': {description: log lines, content: {text/event-stream: {schema: {type: string}}}}
        default: {description: failure, content: {application/octet-stream: {}}}
  /completions:
    post:
      operationId: complete
      requestBody:
        required: true
        content: {application/json: {schema: {type: object, properties: {prompt: {type: string}}}}}
      responses:
        '200':
          description: the completion, whole or as events
          content:
            application/json: {schema: {$ref: '#/components/schemas/Change'}}
            text/event-stream: {schema: {$ref: '#/components/schemas/Change'}}
  /broken:
    get:
      operationId: broken
      parameters: [{name: via, in: query, required: true, schema: {type: string}}]
      responses:
        '200':
          description: a body whose producer panics
          content:
            application/octet-stream: {schema: {type: string, format: binary}}
            text/event-stream: {schema: {type: string}}
components:
  schemas:
    Shape:
      oneOf: [{$ref: '#/components/schemas/Circle'}, {$ref: '#/components/schemas/Square'}]
      discriminator: {propertyName: kind, mapping: {circle: '#/components/schemas/Circle', square: '#/components/schemas/Square'}}
    Circle:
      type: object
      required: [kind, radius]
      properties: {kind: {type: string}, radius: {type: number, exclusiveMinimum: 0}}
    Square:
      type: object
      required: [kind, side]
      properties: {kind: {type: string}, side: {type: integer, minimum: 1}}
    Stored:
      type: object
      required: [bytes]
      properties: {bytes: {type: integer}, checksum: {type: integer}, caption: {type: string}, files: {type: integer}}
    Change:
      type: object
      required: [path]
      properties: {path: {type: string}, size: {type: integer}}
    Problem:
      type: object
      required: [title]
      properties: {title: {type: string}, detail: {type: string}}
"###;

/// Tests run inside the generated crate, against its generated names.
const BEHAVIOUR: &str = r###"//! The media lab served over HTTP/1.1 on 127.0.0.1, read byte for byte.

use std::sync::Arc;
use std::time::Duration;

use axum::body::Bytes;
use media_lab_server::models::{Change, Problem, Shape, Stored};
use media_lab_server::runtime::{ByteStream, Event, EventStream};
use media_lab_server::server::*;
use media_lab_server::{RequestContext, ServerConfig};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::Notify;

/// A download whose stream panics after its first chunk.
struct Panicking {
    sent: bool,
}

impl futures_core::Stream for Panicking {
    type Item = std::io::Result<Bytes>;

    fn poll_next(mut self: std::pin::Pin<&mut Self>, _cx: &mut std::task::Context<'_>) -> std::task::Poll<Option<Self::Item>> {
        assert!(!self.sent, "the download's stream failed");
        self.sent = true;
        std::task::Poll::Ready(Some(Ok(Bytes::from_static(b"partial"))))
    }
}

/// The service: `release` lets the second event of `/events` go.
#[derive(Clone, Default)]
struct Lab {
    release: Arc<Notify>,
}

const CHUNK: usize = 64 * 1024;

impl media_lab_server::Api for Lab {
    async fn create_shape(&self, request: CreateShapeRequest, _context: RequestContext) -> CreateShapeResponse {
        CreateShapeResponse::Created(request.body)
    }

    async fn login(&self, request: LoginRequest, _context: RequestContext) -> LoginResponse {
        assert_eq!(request.body.user, "ada");
        LoginResponse::NoContent
    }

    async fn upload_photo(&self, request: UploadPhotoRequest, _context: RequestContext) -> UploadPhotoResponse {
        // The caption was typed and checked before this runs; the files arrive while this reads
        // them. An error (a part too large, too slow, of a type the spec refuses) ends the
        // files, and the server answers it whatever this returns.
        let mut body = request.body;
        let (mut bytes, mut checksum, mut files) = (0i64, 0i64, 0i64);
        while let Some(part) = body.files.next_file().await {
            let Ok(mut part) = part else { break };
            files += 1;
            if part.name() != "photo" {
                continue;
            }
            assert_eq!(part.content_type(), Some("image/jpeg"));
            // Its declared headers were checked before it got here.
            assert!(part.headers().get("x-rate-limit").is_some());
            while let Some(Ok(chunk)) = part.chunk().await {
                bytes += chunk.len() as i64;
                checksum = chunk.iter().fold(checksum, |sum, b| sum.wrapping_mul(31).wrapping_add(i64::from(*b)));
            }
        }
        UploadPhotoResponse::Created(Stored { checksum: Some(checksum), caption: body.caption, files: Some(files), ..Stored::new(bytes) })
    }

    async fn create_album(&self, request: CreateAlbumRequest, _context: RequestContext) -> CreateAlbumResponse {
        // The files as a Stream of parts (here polled by hand: the crate has no StreamExt).
        let mut files = std::pin::pin!(request.body.files);
        let (mut bytes, mut count) = (0, 0);
        while let Some(Ok(part)) = std::future::poll_fn(|cx| futures_core::Stream::poll_next(files.as_mut(), cx)).await {
            count += 1;
            bytes += part.bytes().await.map_or(0, |b| b.len());
        }
        CreateAlbumResponse::Created(Stored { files: Some(count), caption: request.body.title, ..Stored::new(bytes as i64) })
    }

    async fn post_note(&self, request: PostNoteRequest, _context: RequestContext) -> PostNoteResponse {
        let lang = request.body.meta.and_then(|meta| meta.lang);
        PostNoteResponse::Created(Stored { caption: lang, ..Stored::new(request.body.text.len() as i64) })
    }

    async fn put_avatar(&self, request: PutAvatarRequest, _context: RequestContext) -> PutAvatarResponse {
        // Only a file: a 3.1 contentMediaType without contentEncoding is bytes.
        let mut files = request.body.files;
        let mut bytes = 0;
        while let Some(Ok(part)) = files.next_file().await {
            bytes += part.bytes().await.map_or(0, |b| b.len());
        }
        PutAvatarResponse::Created(Stored::new(bytes as i64))
    }

    async fn put_file(&self, request: PutFileRequest, _context: RequestContext) -> PutFileResponse {
        // Read as it arrives, never more than the operation's limit: a body that breaks it
        // ends in an error, and the server answers 413 (or 408) whatever this returns.
        let mut body = request.body;
        let mut bytes = 0;
        while let Some(Ok(chunk)) = body.chunk().await {
            bytes += chunk.len();
        }
        PutFileResponse::Created(Stored::new(bytes as i64))
    }

    async fn get_file(&self, request: GetFileRequest, _context: RequestContext) -> GetFileResponse {
        match (request.name.as_str(), request.size) {
            ("missing", _) => GetFileResponse::NotFound(Problem::new("no such file".into())),
            // A buffer: sent with its length.
            (_, None) => GetFileResponse::Ok { body: Bytes::from_static(b"%PDF-1.7 small").into(), x_checksum: Some("small".into()) },
            // A stream: produced chunk by chunk while the client reads.
            (_, Some(size)) => {
                let (sender, body) = ByteStream::channel(2);
                tokio::spawn(async move {
                    let mut left = usize::try_from(size).unwrap_or(0);
                    let mut index = 0u8;
                    while left > 0 {
                        let n = left.min(CHUNK);
                        if sender.send(Ok(Bytes::from(vec![index; n]))).await.is_err() {
                            return;
                        }
                        left -= n;
                        index = index.wrapping_add(1);
                    }
                });
                GetFileResponse::Ok { body, x_checksum: None }
            }
        }
    }

    async fn watch(&self, _request: WatchRequest, _context: RequestContext) -> WatchResponse {
        let (sender, events) = EventStream::channel(4);
        let release = Arc::clone(&self.release);
        tokio::spawn(async move {
            let _ = sender.send(Event::new(Change { size: Some(1), ..Change::new("a.txt".into()) }).id("1")).await;
            release.notified().await;
            // Values that would inject fields if they were written as they are.
            let moved = Change::new("b\nevent: forged".into());
            let _ = sender.send(Event::new(moved).event("moved\ndata: forged").id("2\r\nretry: 1")).await;
            let _ = sender.send(Event::comment("bye\nnow")).await;
        });
        WatchResponse::Ok(events.keep_alive(Duration::from_secs(15)))
    }

    async fn complete(&self, request: CompleteRequest, context: RequestContext) -> CompleteResponse {
        let path = request.body.prompt.unwrap_or_default();
        if path == "whole" {
            // Whatever the client asked for (refused by Accept: the server answers 406).
            return CompleteResponse::Ok(CompleteOkBody::Json(Change::new(path)));
        }
        // The representation the client prefers among those the spec declares.
        match context.preferred_media_type(CompleteOkBody::MEDIA_TYPES) {
            Some("text/event-stream") => CompleteResponse::Ok(CompleteOkBody::EventStream(EventStream::from_events([
                Event::new(Change::new(path.clone())),
                Event::new(Change { size: Some(2), ..Change::new(path) }).event("done"),
            ]))),
            _ => CompleteResponse::Ok(CompleteOkBody::Json(Change::new(path))),
        }
    }

    async fn broken(&self, request: BrokenRequest, _context: RequestContext) -> BrokenResponse {
        let body = match request.via.as_str() {
            "stream" => BrokenOkBody::OctetStream(ByteStream::from_stream(Panicking { sent: false })),
            "channel" => {
                let (sender, body) = ByteStream::channel(2);
                tokio::spawn(async move {
                    let _ = sender.send(Ok(Bytes::from_static(b"partial"))).await;
                    panic!("the download's producer failed");
                });
                BrokenOkBody::OctetStream(body)
            }
            _ => {
                let (sender, events) = EventStream::channel(2);
                tokio::spawn(async move {
                    let _ = sender.send(Event::new("first".to_string())).await;
                    panic!("the events' producer failed");
                });
                BrokenOkBody::EventStream(events)
            }
        };
        assert_eq!(body.media_type(), BrokenOkBody::MEDIA_TYPES[usize::from(request.via == "events")]);
        BrokenResponse::Ok(body)
    }

    async fn tail(&self, _request: TailRequest, _context: RequestContext) -> TailResponse {
        TailResponse::Ok(EventStream::from_events([
            Event::new("line one\nline two\r\nline three".to_string()).retry(Duration::from_millis(2500)),
            Event::new(" indented".to_string()).event("log"),
        ]))
    }
}

/// Serves the lab with JSON bodies (and multipart fields) limited to 1 KiB, photo uploads to
/// 64 MiB and files to 64 KiB.
async fn start(lab: Lab) -> std::net::SocketAddr {
    start_with_body_timeout(lab, Duration::from_millis(500)).await
}

/// The body timeout is a deadline for the whole body: a large upload needs a longer one.
async fn start_with_body_timeout(lab: Lab, body_timeout: Duration) -> std::net::SocketAddr {
    let mut config = ServerConfig { body_limit: Some(1024), body_timeout: Some(body_timeout), ..ServerConfig::default() };
    config.operation_body_limits.insert("uploadPhoto".into(), Some(PHOTO_LIMIT));
    config.operation_body_limits.insert("putFile".into(), Some(64 * 1024));
    // Albums may take their time: their own body timeout.
    config.operation_body_timeouts.insert("createAlbum".into(), Some(Duration::from_secs(5)));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let router = media_lab_server::router_with_config(lab, config.clone());
    tokio::spawn(async move { media_lab_server::runtime::serve_with_config(listener, router, &config, std::future::pending()).await });
    addr
}

/// A response read off the wire: the status, the headers (names in lower case), the body
/// (chunked transfer coding decoded) and whether it came chunked.
#[derive(Debug)]
struct Reply {
    status: u16,
    headers: Vec<(String, String)>,
    body: Vec<u8>,
    chunked: bool,
}

impl Reply {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str())
    }

    fn json(&self) -> Value {
        serde_json::from_slice(&self.body).unwrap_or(Value::Null)
    }
}

/// An HTTP/1.1 connection reading one response incrementally.
struct Connection {
    reader: BufReader<TcpStream>,
}

impl Connection {
    async fn send(addr: std::net::SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Connection {
        let length = body.len().to_string();
        let mut all = vec![("content-length", length.as_str())];
        all.extend_from_slice(headers);
        Connection::raw(addr, method, path, &all, body).await
    }

    /// A request with exactly these headers and these body bytes (a chunked body, a body
    /// shorter than its declared length).
    async fn raw(addr: std::net::SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Connection {
        let mut stream = TcpStream::connect(addr).await.unwrap_or_else(|e| panic!("connect: {e}"));
        let mut head = format!("{method} /v1{path} HTTP/1.1\r\nhost: lab\r\nconnection: close\r\n");
        for (name, value) in headers {
            head.push_str(&format!("{name}: {value}\r\n"));
        }
        head.push_str("\r\n");
        stream.write_all(head.as_bytes()).await.unwrap_or_else(|e| panic!("write: {e}"));
        // A refused body may be cut short by the server's answer: the client keeps reading.
        let _ = stream.write_all(body).await;
        Connection { reader: BufReader::new(stream) }
    }

    async fn line(&mut self) -> String {
        let mut line = String::new();
        self.reader.read_line(&mut line).await.unwrap_or_else(|e| panic!("read: {e}"));
        line.trim_end_matches(['\r', '\n']).to_string()
    }

    /// The status line and the headers.
    async fn head(&mut self) -> (u16, Vec<(String, String)>) {
        let status = self.line().await;
        let code = status.split(' ').nth(1).and_then(|c| c.parse().ok()).unwrap_or_else(|| panic!("status line {status:?}"));
        let mut headers = Vec::new();
        loop {
            let line = self.line().await;
            if line.is_empty() {
                return (code, headers);
            }
            let (name, value) = line.split_once(':').unwrap_or_else(|| panic!("header {line:?}"));
            headers.push((name.to_ascii_lowercase(), value.trim().to_string()));
        }
    }

    /// The next chunk of a chunked body; `None` after the last.
    async fn chunk(&mut self) -> Option<Vec<u8>> {
        let size = self.line().await;
        let size = usize::from_str_radix(size.split(';').next().unwrap_or("").trim(), 16).unwrap_or_else(|_| panic!("chunk size {size:?}"));
        if size == 0 {
            while !self.line().await.is_empty() {}
            return None;
        }
        let mut data = vec![0; size];
        self.reader.read_exact(&mut data).await.unwrap_or_else(|e| panic!("chunk: {e}"));
        assert_eq!(self.line().await, "", "a chunk ends with CRLF");
        Some(data)
    }

    /// Reads a chunked body to its end: whether it ended with its final chunk (complete), or
    /// the connection closed before (cut short).
    async fn complete_body(&mut self) -> bool {
        loop {
            let mut size = String::new();
            if self.reader.read_line(&mut size).await.unwrap_or(0) == 0 {
                return false;
            }
            let Ok(size) = usize::from_str_radix(size.trim(), 16) else { return false };
            if size == 0 {
                return true;
            }
            let mut data = vec![0; size + 2];
            if self.reader.read_exact(&mut data).await.is_err() {
                return false;
            }
        }
    }

    async fn reply(mut self) -> Reply {
        let (status, headers) = self.head().await;
        let mut reply = Reply { status, headers, body: Vec::new(), chunked: false };
        if reply.header("transfer-encoding") == Some("chunked") {
            reply.chunked = true;
            while let Some(chunk) = self.chunk().await {
                reply.body.extend(chunk);
            }
        } else if let Some(length) = reply.header("content-length").and_then(|l| l.parse::<usize>().ok()) {
            reply.body = vec![0; length];
            self.reader.read_exact(&mut reply.body).await.unwrap_or_else(|e| panic!("body: {e}"));
        }
        reply
    }
}

async fn call(addr: std::net::SocketAddr, method: &str, path: &str, headers: &[(&str, &str)], body: &[u8]) -> Reply {
    Connection::send(addr, method, path, headers, body).await.reply().await
}

fn assert_problem(reply: &Reply, status: u16, needle: &str) {
    assert_eq!(reply.status, status, "{reply:?}");
    assert_eq!(reply.header("content-type"), Some("application/problem+json"), "{reply:?}");
    let text = reply.json().to_string();
    assert!(text.contains(needle), "{needle:?} not in {text}");
}

#[tokio::test]
async fn events_are_framed_exactly_and_reach_the_client_while_the_stream_is_open() {
    let lab = Lab::default();
    let addr = start(lab.clone()).await;
    let mut connection = Connection::send(addr, "GET", "/events", &[("accept", "text/event-stream")], b"").await;
    let (status, headers) = connection.head().await;
    assert_eq!(status, 200);
    let header = |name: &str| headers.iter().find(|(n, _)| n == name).map(|(_, v)| v.as_str());
    assert_eq!(header("content-type"), Some("text/event-stream"));
    assert_eq!(header("cache-control"), Some("no-cache"));
    assert_eq!(header("transfer-encoding"), Some("chunked"));
    assert_eq!(header("content-length"), None);

    // The first event arrives while the handler's task waits: the stream is not buffered.
    let mut received = Vec::new();
    while !received.ends_with(b"\n\n") {
        let chunk = tokio::time::timeout(Duration::from_secs(5), connection.chunk()).await;
        received.extend(chunk.unwrap_or_else(|_| panic!("the first event did not arrive: {received:?}")).unwrap_or_default());
    }
    assert_eq!(String::from_utf8_lossy(&received), "id: 1\ndata: {\"path\":\"a.txt\",\"size\":1}\n\n");
    lab.release.notify_one();

    let mut rest = Vec::new();
    while let Some(chunk) = connection.chunk().await {
        rest.extend(chunk);
    }
    // Line breaks in the name and id cannot start a field; the JSON data is one line.
    assert_eq!(
        String::from_utf8_lossy(&rest),
        "event: moved data: forged\nid: 2  retry: 1\ndata: {\"path\":\"b\\nevent: forged\"}\n\n: bye\n: now\n\n"
    );
}

#[tokio::test]
async fn text_events_send_each_line_as_a_data_line() {
    let addr = start(Lab::default()).await;
    let reply = call(addr, "GET", "/log", &[], b"").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("text/event-stream"));
    assert_eq!(
        String::from_utf8_lossy(&reply.body),
        "retry: 2500\ndata: line one\ndata: line two\ndata: line three\n\nevent: log\ndata:  indented\n\n"
    );
    // An `Accept` that admits no declared media type is refused before the handler.
    assert_problem(&call(addr, "GET", "/log", &[("accept", "application/json")], b"").await, 406, "text/event-stream");
}

#[tokio::test]
async fn downloads_stream_more_than_any_body_limit_and_buffers_keep_their_length() {
    let addr = start(Lab::default()).await;
    let size = 8 * 1024 * 1024 + 5;
    let reply = call(addr, "GET", &format!("/files/big?size={size}"), &[], b"").await;
    assert_eq!(reply.status, 200);
    assert_eq!(reply.header("content-type"), Some("application/pdf"));
    assert!(reply.chunked, "a stream of unknown length is sent chunked: {:?}", reply.headers);
    assert_eq!(reply.body.len(), size);
    assert!(reply.body.chunks(CHUNK).enumerate().all(|(i, chunk)| chunk.iter().all(|b| *b == i as u8)));

    let small = call(addr, "GET", "/files/small", &[], b"").await;
    assert_eq!(small.status, 200);
    assert!(!small.chunked);
    assert_eq!(small.header("content-length"), Some("14"));
    assert_eq!(small.header("x-checksum"), Some("small"));
    assert_eq!(small.body, b"%PDF-1.7 small");

    let missing = call(addr, "GET", "/files/missing", &[], b"").await;
    assert_eq!(missing.status, 404);
    assert_eq!(missing.json(), json!({"title": "no such file"}));
    assert_problem(&call(addr, "GET", "/files/big?size=-1", &[], b"").await, 400, "size");
}

#[tokio::test]
async fn a_response_declared_in_several_media_types_is_negotiated() {
    let addr = start(Lab::default()).await;
    let prompt = br#"{"prompt":"hi"}"#;
    let ask = |accept: &'static str| {
        let mut headers = vec![("content-type", "application/json")];
        if !accept.is_empty() {
            headers.push(("accept", accept));
        }
        async move { call(addr, "POST", "/completions", &headers, prompt).await }
    };
    for accept in ["", "*/*", "application/json", "text/event-stream;q=0.1, application/*"] {
        let whole = ask(accept).await;
        assert_eq!((whole.status, whole.header("content-type")), (200, Some("application/json")), "{accept}");
        assert_eq!(whole.json(), json!({"path": "hi"}));
    }
    for accept in ["text/event-stream", "application/json;q=0.5, text/event-stream"] {
        let events = ask(accept).await;
        assert_eq!((events.status, events.header("content-type")), (200, Some("text/event-stream")), "{accept}");
        assert_eq!(String::from_utf8_lossy(&events.body), "data: {\"path\":\"hi\"}\n\nevent: done\ndata: {\"path\":\"hi\",\"size\":2}\n\n");
    }
    // Neither representation: refused before the handler, naming both.
    assert_problem(&ask("image/png").await, 406, "application/json, text/event-stream");

    // The handler answers JSON whatever Accept says: a representation Accept refuses while it
    // admits another is a 406 naming both, not sent silently.
    let whole = |accept: &'static str| async move {
        call(addr, "POST", "/completions", &[("content-type", "application/json"), ("accept", accept)], br#"{"prompt":"whole"}"#).await
    };
    for accept in ["text/event-stream", "application/json;q=0, */*"] {
        let refused = whole(accept).await;
        assert_problem(&refused, 406, "the response was produced as application/json, which the Accept header refuses; of its media types the Accept header admits text/event-stream");
    }
    for accept in ["text/event-stream, application/json;q=0.1", "*/*", "application/*"] {
        let sent = whole(accept).await;
        assert_eq!((sent.status, sent.json()), (200, json!({"path": "whole"})), "{accept}");
    }
}

#[tokio::test]
async fn a_panic_while_streaming_cuts_the_body_short_and_the_server_keeps_serving() {
    let addr = start(Lab::default()).await;
    for (via, accept) in [("stream", "application/octet-stream"), ("channel", "*/*"), ("events", "text/event-stream")] {
        let mut connection = Connection::send(addr, "GET", &format!("/broken?via={via}"), &[("accept", accept)], b"").await;
        // The connection is closed: before the head when the body failed before anything was
        // written, else before the final chunk.
        if connection.reader.fill_buf().await.map_or(true, |buffered| buffered.is_empty()) {
            continue;
        }
        let (status, headers) = connection.head().await;
        assert_eq!(status, 200, "{via}");
        assert!(headers.contains(&("transfer-encoding".to_string(), "chunked".to_string())), "{via}: {headers:?}");
        let complete = tokio::time::timeout(Duration::from_secs(5), connection.complete_body()).await;
        assert_eq!(complete.ok(), Some(false), "{via}: the body must be cut short, not complete");
    }
    let next = call(addr, "POST", "/completions", &[("content-type", "application/json")], b"{}").await;
    assert_eq!((next.status, next.json()), (200, json!({"path": ""})));
}

fn multipart(caption: &str, photo: &[u8]) -> (String, Vec<u8>) {
    let mut body = field_part("caption", caption);
    body.extend(file_part("photo", "image/jpeg", photo));
    (MULTIPART.into(), end(body))
}

const BOUNDARY: &str = "lab-boundary-7d1";
const MULTIPART: &str = "multipart/form-data; boundary=lab-boundary-7d1";

fn field_part(name: &str, value: &str) -> Vec<u8> {
    format!("--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").into_bytes()
}

/// A file part with the `X-Rate-Limit` a photo must have.
fn file_part(name: &str, media_type: &str, data: &[u8]) -> Vec<u8> {
    file_part_with(name, media_type, "x-rate-limit: 5\r\n", data)
}

fn file_part_with(name: &str, media_type: &str, headers: &str, data: &[u8]) -> Vec<u8> {
    let mut part = format!("--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"{name}\"; filename=\"f.bin\"\r\ncontent-type: {media_type}\r\n{headers}\r\n").into_bytes();
    part.extend_from_slice(data);
    part.extend_from_slice(b"\r\n");
    part
}

fn end(mut body: Vec<u8>) -> Vec<u8> {
    body.extend_from_slice(format!("--{BOUNDARY}--\r\n").as_bytes());
    body
}

const PHOTO_LIMIT: usize = 64 * 1024 * 1024;

/// The bytes allocated and not yet freed on this thread, and their peak: the tests run on
/// tokio's current-thread runtime, so the server's tasks count here, curl (another process) not.
struct Counting;

thread_local! {
    static LIVE: std::cell::Cell<isize> = const { std::cell::Cell::new(0) };
    static PEAK: std::cell::Cell<isize> = const { std::cell::Cell::new(0) };
}

fn count(delta: isize) {
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + delta);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
}

unsafe impl std::alloc::GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: std::alloc::Layout) -> *mut u8 {
        count(layout.size() as isize);
        unsafe { std::alloc::System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: std::alloc::Layout) {
        count(-(layout.size() as isize));
        unsafe { std::alloc::System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: std::alloc::Layout, new_size: usize) -> *mut u8 {
        count(new_size as isize - layout.size() as isize);
        unsafe { std::alloc::System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static COUNTING: Counting = Counting;

/// The checksum the handler computes.
fn checksum(data: &[u8]) -> i64 {
    data.iter().fold(0i64, |sum, b| sum.wrapping_mul(31).wrapping_add(i64::from(*b)))
}

#[tokio::test]
async fn a_50_mb_upload_streams_through_a_server_that_never_holds_it() {
    let addr = start_with_body_timeout(Lab::default(), Duration::from_secs(120)).await;
    let size = 50 * 1024 * 1024;
    let photo: Vec<u8> = (0..size).map(|i| (i % 251) as u8).collect();
    let path = std::env::temp_dir().join(format!("oaskit-photo-{}.jpg", std::process::id()));
    std::fs::write(&path, &photo).unwrap_or_else(|e| panic!("{e}"));
    let expected = checksum(&photo);
    drop(photo);
    let before = LIVE.with(|live| live.get());
    PEAK.with(|peak| peak.set(before));
    // curl, a real client: the fields, then the file, streamed from disk.
    let url = format!("http://{addr}/v1/photos");
    let file = format!("photo=@{};type=image/jpeg;headers=\"X-Rate-Limit: 5\"", path.display());
    let curl = tokio::task::spawn_blocking(move || {
        std::process::Command::new("curl").args(["-sS", "-F", "caption=cat", "-F", &file, "-w", "\n%{http_code}", &url]).output()
    });
    let output = curl.await.unwrap_or_else(|e| panic!("{e}")).unwrap_or_else(|e| panic!("curl: {e}"));
    let _ = std::fs::remove_file(&path);
    let peak = PEAK.with(|peak| peak.get()) - before;
    let text = String::from_utf8_lossy(&output.stdout);
    let (body, status) = text.rsplit_once('\n').unwrap_or_else(|| panic!("curl said {text} {}", String::from_utf8_lossy(&output.stderr)));
    assert_eq!(status, "201", "{text}");
    let stored: Value = serde_json::from_str(body).unwrap_or(Value::Null);
    assert_eq!(stored, json!({"bytes": size, "checksum": expected, "caption": "cat", "files": 1}));
    // The server held a few chunks at a time, never the file.
    eprintln!("peak of live allocations while serving the {size}-byte upload: {peak} bytes");
    assert!(peak < 4 * 1024 * 1024, "the server held {peak} bytes of a {size}-byte upload");
}

#[tokio::test]
async fn multipart_parts_are_checked_as_they_arrive() {
    let addr = start(Lab::default()).await;
    let post = |body: Vec<u8>| async move { call(addr, "POST", "/photos", &[("content-type", MULTIPART)], &body).await };
    // Repeated files (an array of files), each within its own maxLength.
    let mut body = field_part("caption", "two");
    body.extend(file_part("photo", "image/jpeg", b"jpeg"));
    body.extend(file_part("thumbnails", "image/png", &[1; 1024]));
    body.extend(file_part("thumbnails", "image/png", &[2; 10]));
    let stored = post(end(body)).await;
    assert_eq!((stored.status, stored.json()["files"].clone()), (201, json!(3)), "{stored:?}");

    // A file over its maxLength: 413 naming it, although the handler answered 201.
    let mut body = file_part("photo", "image/jpeg", b"jpeg");
    body.extend(file_part("thumbnails", "image/png", &[1; 1025]));
    let refused = post(end(body)).await;
    assert_problem(&refused, 413, "the part `thumbnails` is larger than 1024 bytes");
    assert_problem(&refused, 413, "\"pointer\":\"/thumbnails\"");
    // A field over the server's default body limit (1 KiB): 413 before the handler.
    let mut body = field_part("caption", &"c".repeat(2000));
    body.extend(file_part("photo", "image/jpeg", b"jpeg"));
    assert_problem(&post(end(body)).await, 413, "the part `caption` is larger than 1024 bytes");
    // A declared length over the operation's limit: 413 before anything is read.
    let huge = (PHOTO_LIMIT + 1).to_string();
    let declared = [("content-type", MULTIPART), ("content-length", huge.as_str())];
    assert_problem(&Connection::raw(addr, "POST", "/photos", &declared, b"").await.reply().await, 413, "67108864 bytes");

    // A required file missing, a caption too long: every error with its pointer.
    let refused = post(end(field_part("caption", &"c".repeat(21)))).await;
    assert_problem(&refused, 400, "\"pointer\":\"/photo\"");
    assert_problem(&refused, 400, "\"pointer\":\"/caption\"");
    assert_problem(&refused, 400, "is required");
    // A file of a type its encoding does not declare: 415 naming the part.
    let refused = post(end(file_part("photo", "text/plain", b"hi"))).await;
    assert_problem(&refused, 415, "the part `photo` must be of type image/jpeg, image/png, got text/plain");
    // A part additionalProperties: false refuses; a field after the files.
    let mut body = field_part("owner", "me");
    body.extend(file_part("photo", "image/jpeg", b"jpeg"));
    assert_problem(&post(end(body)).await, 400, "\"pointer\":\"/owner\"");
    let mut body = file_part("photo", "image/jpeg", b"jpeg");
    body.extend(field_part("caption", "late"));
    assert_problem(&post(end(body)).await, 400, "must be sent before the files");

    // A body of one file; its contentMediaType is the type its part must have.
    let avatar = call(addr, "PUT", "/avatar", &[("content-type", MULTIPART)], &end(file_part("image", "image/png", b"png"))).await;
    assert_eq!((avatar.status, avatar.json()), (201, json!({"bytes": 3})));
    let gif = call(addr, "PUT", "/avatar", &[("content-type", MULTIPART)], &end(file_part("image", "image/gif", b"gif"))).await;
    assert_problem(&gif, 415, "must be of type image/png");

    // No boundary, a boundary the body does not use: 400.
    let mut body = field_part("caption", "x");
    body.extend(file_part("photo", "image/jpeg", b"jpeg"));
    let body = end(body);
    let unbounded = call(addr, "POST", "/photos", &[("content-type", "multipart/form-data")], &body).await;
    assert_problem(&unbounded, 400, "invalid multipart body");
    let other = call(addr, "POST", "/photos", &[("content-type", "multipart/form-data; boundary=other")], &body).await;
    assert_problem(&other, 400, "invalid multipart body");

    // A body that stops arriving in the middle of the photo: 408 once the body timeout passes.
    let mut body = field_part("caption", "slow");
    body.extend(file_part("photo", "image/jpeg", &[9; 100]));
    body.truncate(body.len() - 60);
    let slow = [("content-type", MULTIPART), ("content-length", "100000")];
    assert_problem(&Connection::raw(addr, "POST", "/photos", &slow, &body).await.reply().await, 408, "not received in time");
}

/// The headers a part's encoding declares are checked like request headers: a field's and
/// the first file's before the handler runs (every problem in one 400), a later file's before
/// the handler sees it. Content-Type there is not one of them (the spec ignores it).
#[tokio::test]
async fn the_headers_parts_declare_are_checked() {
    let addr = start(Lab::default()).await;
    let post = |path: &'static str, body: Vec<u8>| async move { call(addr, "POST", path, &[("content-type", MULTIPART)], &body).await };
    let caption = |lang: &str, value: &str| {
        format!("--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"caption\"\r\nx-lang: {lang}\r\n\r\n{value}\r\n").into_bytes()
    };
    // Declared and valid (a declared Content-Type header with `enum: [never]` is not checked).
    let mut body = caption("en", "hi");
    body.extend(file_part_with("photo", "image/jpeg", "x-rate-limit: 2\r\nx-trace: 7b4e0f3c-58c4-4c0e-9b9c-6f1f2b3c4d5e\r\n", b"jpeg"));
    let stored = post("/photos", end(body)).await;
    assert_eq!((stored.status, stored.json()["bytes"].clone()), (201, json!(4)), "{stored:?}");
    // A required header missing: 400 naming the part and the header.
    let refused = post("/photos", end(file_part_with("photo", "image/jpeg", "", b"jpeg"))).await;
    assert_problem(&refused, 400, "\"header\":\"X-Rate-Limit\"");
    assert_problem(&refused, 400, "\"pointer\":\"/photo\"");
    assert_problem(&refused, 400, "header `X-Rate-Limit` of the request body's part at `/photo`: is required");
    // Every problem at once: the field's, both of the file's.
    let mut body = caption("english", "hi");
    body.extend(file_part_with("photo", "image/jpeg", "x-rate-limit: 0\r\nx-trace: nope\r\n", b"jpeg"));
    let refused = post("/photos", end(body)).await;
    assert_eq!(refused.json()["errors"].as_array().map(Vec::len), Some(3), "{refused:?}");
    for needle in ["header `X-Lang` of the request body's part at `/caption`", "header `X-Rate-Limit` of the request body's part at `/photo`", "header `X-Trace` of the request body's part at `/photo`"] {
        assert_problem(&refused, 400, needle);
    }
    // A later file's: the files end in a 400, whatever the handler answers.
    let mut body = file_part("photo", "image/jpeg", b"jpeg");
    body.extend(file_part_with("thumbnails", "image/png", "x-rate-limit: -1\r\n", b"png"));
    let refused = post("/photos", end(body)).await;
    assert_problem(&refused, 400, "header `X-Rate-Limit` of the request body's part at `/thumbnails`");
    // A body without files, read whole: the same checks.
    let note = |lang: &str| {
        end(format!("--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"text\"\r\ncontent-type: text/markdown\r\nx-lang: {lang}\r\n\r\n# Hi\r\n").into_bytes())
    };
    assert_eq!(post("/notes", note("en")).await.status, 201);
    assert_problem(&post("/notes", note("english")).await, 400, "header `X-Lang` of the request body's part at `/text`");
}

#[tokio::test]
async fn arrays_of_files_are_counted_against_min_items_and_max_items() {
    let addr = start(Lab::default()).await;
    let album = |photos: usize| {
        let mut body = field_part("title", "summer");
        for i in 0..photos {
            body.extend(file_part("photos", "image/jpeg", &vec![1; 10 + i]));
        }
        end(body)
    };
    let post = |body: Vec<u8>| async move { call(addr, "POST", "/albums", &[("content-type", MULTIPART)], &body).await };
    let stored = post(album(3)).await;
    assert_eq!((stored.status, stored.json()), (201, json!({"bytes": 33, "files": 3, "caption": "summer"})), "{stored:?}");
    // A fourth photo: refused as it starts, although the handler answered 201.
    let refused = post(album(4)).await;
    assert_problem(&refused, 400, "\"pointer\":\"/photos\"");
    assert_problem(&refused, 400, "has more than 3 files (maxItems)");
    // One photo: refused when the body ends.
    assert_problem(&post(album(1)).await, 400, "has 1 files, fewer than 2 (minItems)");
    // None: required, before the handler runs.
    assert_problem(&post(album(0)).await, 400, "`/photos`: is required");
}

/// The parts of fields are checked against their encoding's contentType (an object's is JSON),
/// with or without files, and a JSON part is validated with pointers into it.
#[tokio::test]
async fn field_parts_have_their_declared_types() {
    let addr = start(Lab::default()).await;
    let typed = |name: &str, media_type: &str, value: &str| {
        format!("--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"{name}\"\r\ncontent-type: {media_type}\r\n\r\n{value}\r\n").into_bytes()
    };
    let album = |metadata: Vec<u8>| {
        let mut body = metadata;
        body.extend(file_part("photos", "image/jpeg", b"one"));
        body.extend(file_part("photos", "image/jpeg", b"two"));
        end(body)
    };
    let post = |path: &'static str, body: Vec<u8>| async move { call(addr, "POST", path, &[("content-type", MULTIPART)], &body).await };
    // Streamed (with files): JSON by default for an object.
    let stored = post("/albums", album(typed("metadata", "application/json", r#"{"place":"Oslo"}"#))).await;
    assert_eq!(stored.status, 201, "{stored:?}");
    let refused = post("/albums", album(typed("metadata", "text/plain", r#"{"place":"Oslo"}"#))).await;
    assert_problem(&refused, 415, "the part `metadata` must be of type application/json, got text/plain");
    assert_problem(&refused, 415, "\"pointer\":\"/metadata\"");
    let refused = post("/albums", album(typed("metadata", "application/json", r#"{"place":"Copenhagen"}"#))).await;
    assert_problem(&refused, 400, "\"pointer\":\"/metadata/place\"");
    // Read whole (no files): the same checks.
    let note = |text_type: &str, meta: &str| {
        let mut body = typed("meta", "application/json", meta);
        body.extend(typed("text", text_type, "# Hi"));
        end(body)
    };
    let stored = post("/notes", note("text/markdown", r#"{"lang":"en"}"#)).await;
    assert_eq!((stored.status, stored.json()), (201, json!({"bytes": 4, "caption": "en"})), "{stored:?}");
    assert_problem(&post("/notes", note("text/html", r#"{"lang":"en"}"#)).await, 415, "the part `text` must be of type text/markdown, text/x-markdown, got text/html");
    assert_problem(&post("/notes", note("text/x-markdown", r#"{"lang":"english"}"#)).await, 400, "\"pointer\":\"/meta/lang\"");
    // A field's part without a Content-Type is taken as the declared type (as browsers send it).
    let mut body = field_part("meta", r#"{"lang":"nb"}"#);
    body.extend(field_part("text", "plain"));
    assert_eq!(post("/notes", end(body)).await.status, 201);
}

/// An operation's own body timeout: an album sent with a pause of a second (over the server's
/// 500 ms) is stored, a photo sent so is `408`.
#[tokio::test]
async fn an_operation_has_its_own_body_timeout() {
    let addr = start(Lab::default()).await;
    let paused = |path: &'static str, name: &'static str| async move {
        let mut body = file_part(name, "image/jpeg", &[1; 300]);
        if name == "photos" {
            body.extend(file_part(name, "image/jpeg", b"two"));
        }
        let body = end(body);
        let length = body.len().to_string();
        let headers = [("content-type", MULTIPART), ("content-length", length.as_str())];
        let (first, rest) = body.split_at(body.len() / 2);
        let mut connection = Connection::raw(addr, "POST", path, &headers, first).await;
        tokio::time::sleep(Duration::from_millis(1000)).await;
        let _ = connection.reader.get_mut().write_all(rest).await;
        connection.reply().await
    };
    let album = paused("/albums", "photos").await;
    assert_eq!((album.status, album.json()["bytes"].clone()), (201, json!(303)), "{album:?}");
    assert_problem(&paused("/photos", "photo").await, 408, "not received in time");
}

/// A part's header block is bounded (multer would hold it whole, up to the body limit).
#[tokio::test]
async fn a_part_with_a_megabyte_of_headers_is_refused() {
    let addr = start(Lab::default()).await;
    let mut body = format!("--{BOUNDARY}\r\ncontent-disposition: form-data; name=\"photo\"; filename=\"f.jpg\"\r\n").into_bytes();
    body.extend(format!("x-pad: {}\r\n", "p".repeat(1024 * 1024)).into_bytes());
    body.extend(b"content-type: image/jpeg\r\n\r\njpeg\r\n");
    let body = end(body);
    assert!(body.len() > 1024 * 1024);
    let refused = call(addr, "POST", "/photos", &[("content-type", MULTIPART)], &body).await;
    assert_problem(&refused, 400, "a part's headers are longer than 8192 bytes");
}

#[tokio::test]
async fn each_operation_has_its_own_body_limit() {
    let addr = start(Lab::default()).await;
    let octets = [("content-type", "application/octet-stream")];
    let stored = call(addr, "PUT", "/files/notes", &octets, &vec![7; 60 * 1024]).await;
    assert_eq!((stored.status, stored.json()), (201, json!({"bytes": 61440})));
    assert_problem(&call(addr, "PUT", "/files/notes", &octets, &vec![7; 70 * 1024]).await, 413, "65536 bytes");
    // Without a declared length, the limit stops the stream the handler reads: still 413.
    let mut chunked = Vec::new();
    for _ in 0..5 {
        chunked.extend_from_slice(format!("{:x}\r\n", 16 * 1024).as_bytes());
        chunked.extend(vec![7; 16 * 1024]);
        chunked.extend_from_slice(b"\r\n");
    }
    chunked.extend_from_slice(b"0\r\n\r\n");
    let streamed = [("content-type", "application/octet-stream"), ("transfer-encoding", "chunked")];
    assert_problem(&Connection::raw(addr, "PUT", "/files/notes", &streamed, &chunked).await.reply().await, 413, "65536 bytes");
    // A body that stops arriving: 408 once the body timeout passes.
    let slow = [("content-type", "application/octet-stream"), ("content-length", "100")];
    assert_problem(&Connection::raw(addr, "PUT", "/files/notes", &slow, &[7; 10]).await.reply().await, 408, "not received in time");

    // A 200 KiB photo is accepted where a 2 KiB JSON body is not.
    let (media, body) = multipart("cat", &vec![1; 200 * 1024]);
    let photo = call(addr, "POST", "/photos", &[("content-type", &media)], &body).await;
    assert_eq!((photo.status, photo.json()["bytes"].clone()), (201, json!(204800)));
    let padded = format!("{{\"kind\":\"circle\",\"radius\":1,\"note\":\"{}\"}}", "x".repeat(2048));
    assert_problem(&call(addr, "POST", "/shapes", &[("content-type", "application/json")], padded.as_bytes()).await, 413, "1024 bytes");
}

#[tokio::test]
async fn unions_forms_and_media_types_are_checked() {
    let addr = start(Lab::default()).await;
    let json_body = [("content-type", "application/json")];
    let circle = call(addr, "POST", "/shapes", &json_body, br#"{"kind":"circle","radius":2.5}"#).await;
    assert_eq!((circle.status, circle.json()), (201, json!({"kind": "circle", "radius": 2.5})));
    assert!(matches!(serde_json::from_value::<Shape>(circle.json()), Ok(Shape::Circle(_))));
    assert_problem(&call(addr, "POST", "/shapes", &json_body, br#"{"kind":"square","side":0}"#).await, 400, "/side");
    assert_problem(&call(addr, "POST", "/shapes", &json_body, br#"{"kind":"hexagon"}"#).await, 400, "hexagon");
    assert_problem(&call(addr, "POST", "/shapes", &[("content-type", "text/plain")], br#"{"kind":"circle","radius":1}"#).await, 415, "application/json");

    let form = [("content-type", "application/x-www-form-urlencoded")];
    assert_eq!(call(addr, "POST", "/login", &form, b"user=ada&password=x&remember=true").await.status, 204);
    let refused = call(addr, "POST", "/login", &form, b"user=&remember=maybe").await;
    assert_problem(&refused, 400, "password");
    assert_problem(&refused, 400, "remember");
    assert_problem(&call(addr, "POST", "/login", &json_body, br#"{"user":"ada","password":"x"}"#).await, 415, "urlencoded");
    let (_, body) = multipart("cat", b"jpeg");
    assert_problem(&call(addr, "POST", "/photos", &form, &body).await, 415, "multipart/form-data");
}
"###;

#[test]
fn streams_forms_and_uploads_behave_over_http() {
    let dir = fresh_dir("rust-server-streams");
    let generated = generate(&dir, "streams.yaml", SPEC);
    let server = generated.files.get("src/server.rs").unwrap_or_default();
    // Streams can be neither cloned nor compared: only their enums lose those derives.
    assert!(
        server.contains("#[derive(Debug)]\npub enum WatchResponse"),
        "{server}"
    );
    assert!(server.contains("#[derive(Debug, Clone, PartialEq)]\npub enum CreateShapeResponse"));
    let crate_dir = dir.join("crate");
    generated
        .files
        .write(&crate_dir)
        .unwrap_or_else(|e| panic!("{e}"));
    add_behaviour(&crate_dir, DEV_DEPENDENCIES, BEHAVIOUR);
    lint_and_test(&crate_dir);
}

/// What the byte-level client needs.
const DEV_DEPENDENCIES: &str = "\n[dev-dependencies]\ntokio = { version = \"1\", features = [\"io-util\", \"macros\", \"rt\"] }\n";
