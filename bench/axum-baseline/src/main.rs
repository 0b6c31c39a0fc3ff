//! What an engineer would write by hand for `GET /v1/pets/{petId}` and `PUT /v1/pets/{petId}` of
//! specs/petstore.yaml with axum: the same models, the same checks (petId >= 1; name 1..=64
//! characters, price >= 0, status from the enum, secretToken >= 8 characters, readOnly fields
//! ignored), the same in-memory store and the same problem+json errors. The throughput benchmark
//! compares the generated server against it.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};

use axum::Router;
use axum::extract::rejection::JsonRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
enum PetStatus {
    Available,
    Pending,
    Sold,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
struct Category {
    id: i64,
    name: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    parent: Option<Box<Category>>,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
struct Pet {
    id: i64,
    name: String,
    price: i64,
    status: PetStatus,
    #[serde(skip_serializing_if = "Option::is_none")]
    tag: Option<Option<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    created_at: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    category: Option<Category>,
}

/// A pet as a request sends it: `id` and `createdAt` are readOnly and ignored.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
struct PetInput {
    name: String,
    price: i64,
    status: PetStatus,
    #[serde(default, deserialize_with = "present")]
    tag: Option<Option<String>>,
    secret_token: Option<String>,
    category: Option<Category>,
}

/// Tells an explicit `null` from an absent field.
fn present<'de, D: serde::Deserializer<'de>>(d: D) -> Result<Option<Option<String>>, D::Error> {
    Option::<String>::deserialize(d).map(Some)
}

fn problem(status: StatusCode, detail: String) -> Response {
    let body = serde_json::json!({
        "title": status.canonical_reason().unwrap_or("Error"),
        "status": status.as_u16(),
        "detail": detail,
    });
    (
        status,
        [(header::CONTENT_TYPE, "application/problem+json")],
        body.to_string(),
    )
        .into_response()
}

fn pet_id(raw: &str) -> Result<i64, Response> {
    match raw.parse::<i64>() {
        Ok(id) if id >= 1 => Ok(id),
        _ => Err(problem(
            StatusCode::BAD_REQUEST,
            "path parameter petId must be an integer >= 1".into(),
        )),
    }
}

fn check(input: &PetInput) -> Result<(), String> {
    let name = input.name.chars().count();
    if !(1..=64).contains(&name) {
        return Err("/name must have 1 to 64 characters".into());
    }
    if input.price < 0 {
        return Err("/price must be >= 0".into());
    }
    if input
        .secret_token
        .as_ref()
        .is_some_and(|t| t.chars().count() < 8)
    {
        return Err("/secretToken must have at least 8 characters".into());
    }
    Ok(())
}

type Store = Arc<Mutex<BTreeMap<i64, Pet>>>;

async fn get_pet(State(store): State<Store>, Path(raw): Path<String>) -> Response {
    let id = match pet_id(&raw) {
        Ok(id) => id,
        Err(response) => return response,
    };
    let pets = store.lock().unwrap_or_else(PoisonError::into_inner);
    match pets.get(&id) {
        Some(pet) => axum::Json(pet.clone()).into_response(),
        None => problem(StatusCode::NOT_FOUND, format!("no pet {id}")),
    }
}

async fn update_pet(
    State(store): State<Store>,
    Path(raw): Path<String>,
    body: Result<axum::Json<PetInput>, JsonRejection>,
) -> Response {
    let id = match pet_id(&raw) {
        Ok(id) => id,
        Err(response) => return response,
    };
    let input = match body {
        Ok(axum::Json(input)) => input,
        Err(rejection) => return problem(rejection.status(), rejection.body_text()),
    };
    if let Err(detail) = check(&input) {
        return problem(StatusCode::BAD_REQUEST, detail);
    }
    let mut pets = store.lock().unwrap_or_else(PoisonError::into_inner);
    let Some(pet) = pets.get_mut(&id) else {
        return problem(StatusCode::NOT_FOUND, format!("no pet {id}"));
    };
    pet.name = input.name;
    pet.price = input.price;
    pet.status = input.status;
    pet.tag = input.tag;
    pet.category = input.category;
    axum::Json(pet.clone()).into_response()
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listen = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "127.0.0.1:8081".into());
    let mut pets = BTreeMap::new();
    pets.insert(
        1,
        Pet {
            id: 1,
            name: "Rex".into(),
            price: 1999,
            status: PetStatus::Available,
            tag: Some(Some("dog".into())),
            created_at: None,
            category: Some(Category {
                id: 1,
                name: "Dogs".into(),
                parent: None,
            }),
        },
    );
    let store: Store = Arc::new(Mutex::new(pets));
    let app = Router::new()
        .route("/v1/pets/{pet_id}", get(get_pet).put(update_pet))
        .with_state(store);
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    println!("listening on http://{}", listener.local_addr()?);
    axum::serve(listener, app).await
}
