//! Media types on the generated petstore server (generated/rust-server), over HTTP on
//! 127.0.0.1: `415` for a `Content-Type` an operation does not declare (a multipart-only upload
//! refuses a urlencoded body), `406` for an `Accept` that admits none of the media types an
//! operation answers with, and the `Api::error_response` hook answering the server's own errors
//! in the spec's error schema.

use axum::http::HeaderValue;
use petstore_server::models::Problem;
use petstore_server::server::{
    CreatePetRequest, CreatePetResponse, DeletePetRequest, DeletePetResponse, GetInventoryRequest,
    GetInventoryResponse, GetPetRequest, GetPetResponse, ListPetsRequest, ListPetsResponse,
    UpdatePetRequest, UpdatePetResponse, UploadPetPhotoRequest, UploadPetPhotoResponse,
};
use petstore_server::{Api, AuthError, RequestContext, runtime};
use serde_json::Value;
use store::{Caller, Store};

#[path = "common/petstore_store.rs"]
mod store;

/// The store, answering the server's own errors as the spec's `Problem` in `application/json`
/// with an `instance` naming this service, the way an implementer keeps one error schema. Its
/// listing also sends what the spec does not declare: two cookies, an undeclared header and a
/// second value of its declared `X-Total-Count`.
#[derive(Default)]
struct SpecErrors(Store);

impl Api for SpecErrors {
    type Principal = Caller;

    fn error_response(&self, problem: runtime::Problem) -> axum::response::Response {
        let body = Problem {
            detail: problem.detail,
            instance: Some("petstore-media-test".to_string()),
            ..Problem::new(problem.title, i64::from(problem.status))
        };
        let status = runtime::status(problem.status);
        runtime::json_response(status, "application/json", &body)
    }

    async fn authenticate_bearer(
        &self,
        token: &str,
        scopes: &'static [&'static str],
    ) -> Result<Caller, AuthError> {
        self.0.authenticate_bearer(token, scopes).await
    }
    async fn authenticate_api_key(
        &self,
        key: &str,
        scopes: &'static [&'static str],
    ) -> Result<Caller, AuthError> {
        self.0.authenticate_api_key(key, scopes).await
    }
    async fn list_pets(
        &self,
        request: ListPetsRequest,
        context: RequestContext<Caller>,
    ) -> ListPetsResponse {
        context.set_cookie(HeaderValue::from_static("session=s1; HttpOnly; Secure"));
        context.set_cookie(HeaderValue::from_static("theme=dark"));
        context.append_response_header("x-request-cost", HeaderValue::from_static("3"));
        context.append_response_header("x-total-count", HeaderValue::from_static("99"));
        self.0.list_pets(request, context).await
    }
    async fn create_pet(
        &self,
        request: CreatePetRequest,
        context: RequestContext<Caller>,
    ) -> CreatePetResponse {
        self.0.create_pet(request, context).await
    }
    async fn get_pet(
        &self,
        request: GetPetRequest,
        context: RequestContext<Caller>,
    ) -> GetPetResponse {
        self.0.get_pet(request, context).await
    }
    async fn update_pet(
        &self,
        request: UpdatePetRequest,
        context: RequestContext<Caller>,
    ) -> UpdatePetResponse {
        self.0.update_pet(request, context).await
    }
    async fn delete_pet(
        &self,
        request: DeletePetRequest,
        context: RequestContext<Caller>,
    ) -> DeletePetResponse {
        self.0.delete_pet(request, context).await
    }
    async fn upload_pet_photo(
        &self,
        request: UploadPetPhotoRequest,
        context: RequestContext<Caller>,
    ) -> UploadPetPhotoResponse {
        self.0.upload_pet_photo(request, context).await
    }
    async fn get_inventory(
        &self,
        request: GetInventoryRequest,
        context: RequestContext<Caller>,
    ) -> GetInventoryResponse {
        self.0.get_inventory(request, context).await
    }
}

/// Serves `api` on an ephemeral port; the base URL and a client sending the staff's token.
async fn serve<A: Api>(api: A) -> (String, reqwest::Client) {
    let _ = rustls::crypto::ring::default_provider().install_default();
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
        .await
        .unwrap_or_else(|e| panic!("bind: {e}"));
    let addr = listener.local_addr().unwrap_or_else(|e| panic!("{e}"));
    let router = petstore_server::router(api);
    tokio::spawn(async move {
        axum::serve(
            listener,
            router.into_make_service_with_connect_info::<std::net::SocketAddr>(),
        )
        .await
    });
    let mut headers = reqwest::header::HeaderMap::new();
    let token = format!("Bearer {}", store::STAFF_TOKEN);
    headers.insert(
        "authorization",
        reqwest::header::HeaderValue::from_str(&token).unwrap_or_else(|e| panic!("{e}")),
    );
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap_or_else(|e| panic!("client: {e}"));
    (
        format!("http://{addr}{}", petstore_server::server::BASE_PATH),
        client,
    )
}

async fn reply(response: reqwest::Response) -> (u16, String, Value) {
    let status = response.status().as_u16();
    let media = response
        .headers()
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let text = response.text().await.unwrap_or_default();
    (
        status,
        media,
        serde_json::from_str(&text).unwrap_or(Value::Null),
    )
}

#[tokio::test]
async fn content_type_and_accept_are_negotiated() {
    let (base, client) = serve(Store::default()).await;
    let pet = r#"{"name": "Rex", "price": 1999, "status": "available"}"#;

    // A JSON body sent as text/plain: 415 before anything else is read.
    let sent = client
        .post(format!("{base}/pets"))
        .header("content-type", "text/plain")
        .body(pet)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (status, media, body) = reply(sent).await;
    assert_eq!(
        (status, media.as_str()),
        (415, "application/problem+json"),
        "{body}"
    );
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("application/json"),
        "{body}"
    );

    // Accept admitting only XML, for an operation that answers JSON: 406 (it was a 201 in JSON).
    let sent = client
        .post(format!("{base}/pets"))
        .header("content-type", "application/json")
        .header("accept", "application/xml")
        .body(pet)
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (status, _, body) = reply(sent).await;
    assert_eq!(status, 406, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("application/json"),
        "{body}"
    );

    // Ranges, several values and qualities are understood.
    for (n, accept) in ["application/*", "text/html, application/json;q=0.5", "*/*"]
        .into_iter()
        .enumerate()
    {
        let sent = client
            .post(format!("{base}/pets"))
            .header("content-type", "application/json")
            .header("accept", accept)
            .body(format!(
                r#"{{"name": "Rex {n}", "price": 1999, "status": "available"}}"#
            ))
            .send()
            .await
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(reply(sent).await.0, 201, "Accept: {accept}");
    }
    let sent = client
        .get(format!("{base}/pets/1"))
        .header("accept", "application/json;q=0")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(reply(sent).await.0, 406);

    // The photo upload declares multipart/form-data only: a urlencoded form is refused (it
    // was read and handled before).
    let sent = client
        .post(format!("{base}/pets/1/photo"))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("file=abc&caption=hi")
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (status, _, body) = reply(sent).await;
    assert_eq!(status, 415, "{body}");
    assert!(
        body["detail"]
            .as_str()
            .unwrap_or("")
            .contains("multipart/form-data"),
        "{body}"
    );
}

#[tokio::test]
async fn the_error_hook_answers_the_servers_own_errors_in_the_specs_schema() {
    let (base, client) = serve(SpecErrors::default()).await;
    let cases = [
        (
            client
                .post(format!("{base}/pets"))
                .header("content-type", "text/plain")
                .body("x"),
            415,
        ),
        (
            client
                .get(format!("{base}/pets/1"))
                .header("accept", "text/csv"),
            406,
        ),
        (client.get(format!("{base}/pets?limit=0")), 400),
        (client.get(format!("{base}/nowhere")), 404),
        (client.patch(format!("{base}/pets")), 405),
    ];
    for (request, expected) in cases {
        let sent = request.send().await.unwrap_or_else(|e| panic!("{e}"));
        let allow = sent.headers().get("allow").is_some();
        let (status, media, body) = reply(sent).await;
        assert_eq!(
            (status, media.as_str()),
            (expected, "application/json"),
            "{body}"
        );
        assert_eq!(body["instance"], "petstore-media-test", "{body}");
        assert_eq!(body["status"], expected, "{body}");
        // The server's own headers for the error stay.
        assert_eq!(allow, expected == 405, "{body}");
    }
    // No credentials for a staff-only operation: the 401 keeps its challenge.
    let sent = reqwest::Client::new()
        .delete(format!("{base}/pets/1"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let challenge = sent.headers().get("www-authenticate").is_some();
    let (status, _, body) = reply(sent).await;
    assert_eq!((status, challenge), (401, true), "{body}");
    assert_eq!(body["instance"], "petstore-media-test", "{body}");
    // A handler's own responses are not the hook's business.
    let sent = client
        .get(format!("{base}/pets/424242"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let (status, _, body) = reply(sent).await;
    assert_eq!(status, 404, "{body}");
    assert_ne!(body["instance"], "petstore-media-test", "{body}");
}

#[tokio::test]
async fn handlers_send_repeated_and_undeclared_headers_and_cookies() {
    let (base, client) = serve(SpecErrors::default()).await;
    let sent = client
        .get(format!("{base}/pets"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    let values = |name: &str| -> Vec<String> {
        sent.headers()
            .get_all(name)
            .iter()
            .map(|v| v.to_str().unwrap_or("?").to_string())
            .collect()
    };
    assert_eq!(sent.status().as_u16(), 200);
    assert_eq!(
        values("set-cookie"),
        ["session=s1; HttpOnly; Secure", "theme=dark"]
    );
    assert_eq!(values("x-request-cost"), ["3"]);
    // The declared header keeps the typed value the variant carries; the added one follows it.
    assert_eq!(values("x-total-count"), ["0", "99"]);

    // Headers added by a handler go only on its own response: an error the server answers
    // before the handler runs has none of them.
    let refused = client
        .get(format!("{base}/pets?limit=0"))
        .send()
        .await
        .unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(refused.status().as_u16(), 400);
    assert!(refused.headers().get("set-cookie").is_none());
}
