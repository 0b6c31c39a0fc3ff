//! The petstore of `specs/petstore.yaml`, in memory, on the generated server: the generated
//! crate does the HTTP (routing, security, parsing, validation, problem responses, limits); this
//! file implements its `Api` trait: who a credential identifies (the `authenticate_*` hooks) and
//! one method per operation.
//!
//! `cargo run --release -p petstore-example -- --listen 127.0.0.1:8080`, with the credentials in
//! the environment: `PETSTORE_API_KEY` (the staff's API key), `PETSTORE_BEARER_TOKEN` (a bearer
//! token) and `PETSTORE_BEARER_SCOPES` (the scopes that token grants, space-separated; default
//! `pets:write`). A scheme whose variable is unset lets nobody in.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use petstore_server::models::{Pet, Problem};
use petstore_server::server::*; // one request struct and one response enum per operation
use petstore_server::{Api, AuthError, RequestContext, ServerConfig};

/// Who is calling: what the hooks return and the handlers find in their context.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Caller {
    /// The holder of the staff's API key.
    Staff,
    /// The holder of a bearer token, with the scopes it grants.
    User { scopes: Vec<String> },
}

/// The credentials this server accepts, from the environment.
struct Credentials {
    api_key: Option<String>,
    bearer_token: Option<String>,
    bearer_scopes: Vec<String>,
}

impl Credentials {
    fn from_env() -> Credentials {
        let var = |name: &str| std::env::var(name).ok().filter(|v| !v.is_empty());
        Credentials {
            api_key: var("PETSTORE_API_KEY"),
            bearer_token: var("PETSTORE_BEARER_TOKEN"),
            bearer_scopes: var("PETSTORE_BEARER_SCOPES")
                .unwrap_or_else(|| "pets:write".to_string())
                .split_whitespace()
                .map(str::to_string)
                .collect(),
        }
    }
}

/// Compares a secret in time independent of where it differs (a timing side channel would
/// reveal a key byte by byte).
fn same_secret(sent: &str, expected: &str) -> bool {
    sent.len() == expected.len()
        && sent
            .bytes()
            .zip(expected.bytes())
            .fold(0u8, |diff, (a, b)| diff | (a ^ b))
            == 0
}

struct Store {
    pets: Mutex<BTreeMap<i64, Pet>>,
    credentials: Credentials,
}

impl Store {
    fn pets(&self) -> MutexGuard<'_, BTreeMap<i64, Pet>> {
        self.pets.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn not_found(id: i64) -> Problem {
    Problem {
        detail: Some(format!("no pet {id}")),
        ..Problem::new("Not Found".to_string(), 404)
    }
}

impl Api for Store {
    type Principal = Caller;

    // Called before the handler of every operation whose security names the scheme, with the
    // scopes it requires there; the router applies the spec's OR/AND of schemes and answers
    // 401/403 problems with WWW-Authenticate itself.
    async fn authenticate_bearer(
        &self,
        token: &str,
        scopes: &'static [&'static str],
    ) -> Result<Caller, AuthError> {
        let expected = self.credentials.bearer_token.as_deref();
        if !expected.is_some_and(|expected| same_secret(token, expected)) {
            return Err(AuthError::Unauthenticated);
        }
        let granted = &self.credentials.bearer_scopes;
        if !scopes
            .iter()
            .all(|scope| granted.iter().any(|g| g == scope))
        {
            return Err(AuthError::Forbidden);
        }
        Ok(Caller::User {
            scopes: granted.clone(),
        })
    }

    async fn authenticate_api_key(
        &self,
        key: &str,
        _scopes: &'static [&'static str],
    ) -> Result<Caller, AuthError> {
        match self.credentials.api_key.as_deref() {
            Some(expected) if same_secret(key, expected) => Ok(Caller::Staff),
            _ => Err(AuthError::Unauthenticated),
        }
    }

    async fn list_pets(
        &self,
        request: ListPetsRequest,
        _context: RequestContext<Caller>,
    ) -> ListPetsResponse {
        // Already validated against the spec: 1 <= limit <= 100 (the spec's default, 20, when
        // absent), status values from the enum.
        let limit = usize::try_from(request.limit).unwrap_or(20);
        let pets = self.pets();
        let matching: Vec<&Pet> = pets
            .values()
            .filter(|p| {
                request
                    .status
                    .as_ref()
                    .is_none_or(|s| s.contains(&p.status))
            })
            .filter(|p| request.tag.is_none() || p.tag.clone().flatten() == request.tag)
            .collect();
        ListPetsResponse::Ok {
            x_total_count: matching.len() as i64,
            body: matching.into_iter().take(limit).cloned().collect(),
        }
    }

    async fn create_pet(
        &self,
        request: CreatePetRequest,
        _context: RequestContext<Caller>,
    ) -> CreatePetResponse {
        let input = request.body; // a PetInput: no `id`, which is readOnly
        let mut pets = self.pets();
        if pets.values().any(|p| p.name == input.name) {
            return CreatePetResponse::Conflict(Problem {
                detail: Some(format!("a pet named {} already exists", input.name)),
                ..Problem::new("Conflict".to_string(), 409)
            });
        }
        let id = pets.keys().next_back().map_or(1, |last| last + 1);
        let pet = Pet {
            id,
            name: input.name,
            price: input.price,
            status: input.status,
            tag: input.tag,
            created_at: None,
            category: input.category,
        };
        pets.insert(id, pet.clone());
        CreatePetResponse::Created {
            body: pet,
            location: format!("{BASE_PATH}/pets/{id}"),
        }
    }

    async fn get_pet(
        &self,
        request: GetPetRequest,
        _context: RequestContext<Caller>,
    ) -> GetPetResponse {
        match self.pets().get(&request.pet_id) {
            Some(pet) => GetPetResponse::Ok(pet.clone()),
            None => GetPetResponse::NotFound(not_found(request.pet_id)),
        }
    }

    async fn update_pet(
        &self,
        request: UpdatePetRequest,
        _context: RequestContext<Caller>,
    ) -> UpdatePetResponse {
        let mut pets = self.pets();
        let Some(pet) = pets.get_mut(&request.pet_id) else {
            return UpdatePetResponse::NotFound(not_found(request.pet_id));
        };
        let input = request.body;
        pet.name = input.name;
        pet.price = input.price;
        pet.status = input.status;
        pet.tag = input.tag;
        pet.category = input.category;
        UpdatePetResponse::Ok(pet.clone())
    }

    // Only called once the security of deletePet is satisfied: a token granting `pets:write`,
    // or the API key and a token. The context says which (never the credentials themselves).
    async fn delete_pet(
        &self,
        request: DeletePetRequest,
        context: RequestContext<Caller>,
    ) -> DeletePetResponse {
        if self.pets().remove(&request.pet_id).is_none() {
            return DeletePetResponse::NotFound(not_found(request.pet_id));
        }
        let by: Vec<String> = context
            .principals()
            .iter()
            .map(|p| format!("{} ({:?})", p.scheme, p.principal))
            .collect();
        let from = context.peer_addr().map(|a| a.ip().to_string());
        println!(
            "pet {} deleted by {} from {}",
            request.pet_id,
            by.join(" + "),
            from.as_deref().unwrap_or("an unknown address")
        );
        DeletePetResponse::NoContent
    }

    async fn upload_pet_photo(
        &self,
        request: UploadPetPhotoRequest,
        _context: RequestContext<Caller>,
    ) -> UploadPetPhotoResponse {
        if !self.pets().contains_key(&request.pet_id) {
            return UploadPetPhotoResponse::NotFound(not_found(request.pet_id));
        }
        // The photo is read as it arrives (a real service would write it to storage).
        let mut files = request.body.files;
        let mut size = 0;
        while let Some(file) = files.next_file().await {
            let Ok(mut file) = file else {
                // The server answers the body's error (413, 408, 415, 400) itself.
                return UploadPetPhotoResponse::NoContent;
            };
            while let Some(Ok(chunk)) = file.chunk().await {
                size += chunk.len();
            }
        }
        println!("photo of pet {}: {size} bytes", request.pet_id);
        UploadPetPhotoResponse::NoContent
    }

    async fn get_inventory(
        &self,
        _request: GetInventoryRequest,
        context: RequestContext<Caller>,
    ) -> GetInventoryResponse {
        // getInventory requires the API key: the principal is always the staff here.
        debug_assert_eq!(context.principal(), Some(&Caller::Staff));
        let mut counts = BTreeMap::new();
        for pet in self.pets().values() {
            *counts
                .entry(format!("{:?}", pet.status).to_lowercase())
                .or_insert(0) += 1;
        }
        GetInventoryResponse::Ok(counts)
    }
}

const USAGE: &str = "usage: petstore-example [--listen ADDRESS:PORT]   (default 127.0.0.1:8080)";

/// The address of `--listen`, or the usage error.
fn listen_address() -> Result<String, String> {
    let mut args = std::env::args().skip(1);
    let mut listen = "127.0.0.1:8080".to_string();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => listen = args.next().ok_or("--listen needs an address")?,
            "-h" | "--help" => return Err(String::new()),
            other => match other.strip_prefix("--listen=") {
                Some(address) => listen = address.to_string(),
                None => return Err(format!("unknown argument `{other}`")),
            },
        }
    }
    Ok(listen)
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listen = match listen_address() {
        Ok(listen) => listen,
        Err(message) => {
            if message.is_empty() {
                println!("{USAGE}");
                return Ok(());
            }
            eprintln!("petstore-example: {message}\n{USAGE}");
            std::process::exit(2);
        }
    };
    let store = Store {
        pets: Mutex::new(BTreeMap::new()),
        credentials: Credentials::from_env(),
    };
    if store.credentials.api_key.is_none() || store.credentials.bearer_token.is_none() {
        eprintln!(
            "petstore-example: PETSTORE_API_KEY or PETSTORE_BEARER_TOKEN is unset: its scheme lets nobody in"
        );
    }
    // The spec's server URL is http://localhost:8080/v1: every route is under BASE_PATH (/v1),
    // where the generated client calls it.
    let app = petstore_server::router_with_config(store, ServerConfig::default());
    let listener = tokio::net::TcpListener::bind(&listen).await?;
    // The bound address (port 0 picks one): tests read this line.
    println!("listening on http://{}{BASE_PATH}", listener.local_addr()?);
    petstore_server::serve(listener, app, petstore_server::shutdown_signal()).await
}
