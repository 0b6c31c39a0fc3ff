//! The petstore implemented in memory, for tests that run the generated server
//! (generated/rust-server): a tag of `panic` or `slow` in a listing makes the handler panic or
//! take 300 ms, for the hardening tests.

use std::collections::BTreeMap;
use std::sync::Mutex;
use std::time::Duration;

use petstore_server::models::{Pet, Problem};
use petstore_server::server::{
    CreatePetRequest, CreatePetResponse, DeletePetRequest, DeletePetResponse, GetInventoryRequest,
    GetInventoryResponse, GetPetRequest, GetPetResponse, ListPetsRequest, ListPetsResponse,
    UpdatePetRequest, UpdatePetResponse, UploadPetPhotoRequest, UploadPetPhotoResponse,
};
use petstore_server::{Api, AuthError, RequestContext};

/// The petstore, in memory. A tag of `panic` or `slow` in a listing makes the handler panic or
/// take 300 ms, for the hardening tests.
#[derive(Default)]
pub struct Store {
    pets: Mutex<BTreeMap<i64, Pet>>,
    /// (pet, photo size, caption) of every upload.
    photos: Mutex<Vec<(i64, usize, Option<String>)>>,
}

fn problem(status: u16, title: &str, detail: String) -> Problem {
    Problem {
        detail: Some(detail),
        ..Problem::new(title.to_string(), i64::from(status))
    }
}

impl Store {
    fn pets(&self) -> std::sync::MutexGuard<'_, BTreeMap<i64, Pet>> {
        self.pets
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// Who called: the test credentials are the bearer token [`STAFF_TOKEN`] (every scope) and
/// the API key [`API_KEY`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Caller {
    Staff,
    Terminal,
}

/// The bearer token the tests send (the e2e scenario and probe too).
pub const STAFF_TOKEN: &str = "staff-token";
/// The API key the tests send.
pub const API_KEY: &str = "k";

impl Api for Store {
    type Principal = Caller;

    async fn authenticate_bearer(
        &self,
        token: &str,
        _scopes: &'static [&'static str],
    ) -> Result<Caller, AuthError> {
        if token == STAFF_TOKEN {
            Ok(Caller::Staff)
        } else {
            Err(AuthError::Unauthenticated)
        }
    }

    async fn authenticate_api_key(
        &self,
        key: &str,
        _scopes: &'static [&'static str],
    ) -> Result<Caller, AuthError> {
        if key == API_KEY {
            Ok(Caller::Terminal)
        } else {
            Err(AuthError::Unauthenticated)
        }
    }

    async fn list_pets(
        &self,
        request: ListPetsRequest,
        _context: RequestContext<Caller>,
    ) -> ListPetsResponse {
        match request.tag.as_deref() {
            Some("panic") => panic!("a handler bug"),
            Some("slow") => tokio::time::sleep(Duration::from_millis(300)).await,
            _ => {}
        }
        let matching: Vec<Pet> = self
            .pets()
            .values()
            .filter(|p| {
                request
                    .status
                    .as_ref()
                    .is_none_or(|s| s.contains(&p.status))
            })
            .filter(|p| request.tag.is_none() || p.tag.clone().flatten() == request.tag)
            .cloned()
            .collect();
        let total = matching.len() as i64;
        let limit = usize::try_from(request.limit).unwrap_or(20);
        ListPetsResponse::Ok {
            body: matching.into_iter().take(limit).collect(),
            x_total_count: total,
        }
    }

    async fn create_pet(
        &self,
        request: CreatePetRequest,
        _context: RequestContext<Caller>,
    ) -> CreatePetResponse {
        let input = request.body;
        let mut pets = self.pets();
        if pets.values().any(|p| p.name == input.name) {
            let detail = format!("A pet named {} already exists.", input.name);
            return CreatePetResponse::Conflict(problem(409, "Conflict", detail));
        }
        let id = pets.len() as i64 + 1;
        let pet = Pet {
            id,
            name: input.name,
            price: input.price,
            status: input.status,
            tag: input.tag,
            created_at: Some("2024-05-01T09:30:00Z".to_string()),
            category: input.category,
        };
        pets.insert(id, pet.clone());
        CreatePetResponse::Created {
            body: pet,
            location: format!("/v1/pets/{id}"),
        }
    }

    async fn get_pet(
        &self,
        request: GetPetRequest,
        _context: RequestContext<Caller>,
    ) -> GetPetResponse {
        match self.pets().get(&request.pet_id) {
            Some(pet) => GetPetResponse::Ok(pet.clone()),
            None => GetPetResponse::NotFound(problem(
                404,
                "Not Found",
                format!("no pet {}", request.pet_id),
            )),
        }
    }

    async fn update_pet(
        &self,
        request: UpdatePetRequest,
        _context: RequestContext<Caller>,
    ) -> UpdatePetResponse {
        let mut pets = self.pets();
        let Some(pet) = pets.get_mut(&request.pet_id) else {
            return UpdatePetResponse::NotFound(problem(
                404,
                "Not Found",
                format!("no pet {}", request.pet_id),
            ));
        };
        let input = request.body;
        pet.name = input.name;
        pet.price = input.price;
        pet.status = input.status;
        pet.tag = input.tag;
        pet.category = input.category;
        UpdatePetResponse::Ok(pet.clone())
    }

    async fn delete_pet(
        &self,
        request: DeletePetRequest,
        _context: RequestContext<Caller>,
    ) -> DeletePetResponse {
        match self.pets().remove(&request.pet_id) {
            Some(_) => DeletePetResponse::NoContent,
            None => DeletePetResponse::NotFound(problem(
                404,
                "Not Found",
                format!("no pet {}", request.pet_id),
            )),
        }
    }

    async fn upload_pet_photo(
        &self,
        request: UploadPetPhotoRequest,
        _context: RequestContext<Caller>,
    ) -> UploadPetPhotoResponse {
        if !self.pets().contains_key(&request.pet_id) {
            return UploadPetPhotoResponse::NotFound(problem(
                404,
                "Not Found",
                "no such pet".to_string(),
            ));
        }
        // The photo is counted as it arrives, never held whole.
        let mut body = request.body;
        let mut size = 0;
        while let Some(Ok(mut file)) = body.files.next_file().await {
            while let Some(Ok(chunk)) = file.chunk().await {
                size += chunk.len();
            }
        }
        let mut photos = self
            .photos
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner);
        photos.push((request.pet_id, size, body.caption));
        UploadPetPhotoResponse::NoContent
    }

    async fn get_inventory(
        &self,
        _request: GetInventoryRequest,
        _context: RequestContext<Caller>,
    ) -> GetInventoryResponse {
        let mut counts = BTreeMap::new();
        for pet in self.pets().values() {
            let key = serde_json::to_value(pet.status)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string));
            *counts.entry(key.unwrap_or_default()).or_insert(0) += 1;
        }
        GetInventoryResponse::Ok(counts)
    }
}
