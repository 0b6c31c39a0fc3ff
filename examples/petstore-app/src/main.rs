//! A petstore server: the generated crate does the HTTP (routing, parsing, validation, problem
//! responses, limits); this file only implements the `Api` trait, one method per operation.

use std::collections::BTreeMap;
use std::sync::{Mutex, MutexGuard, PoisonError};

use petstore_server::models::{Pet, Problem};
use petstore_server::server::*; // one request struct and one response enum per operation
use petstore_server::{Api, ServerConfig};

#[derive(Default)]
struct Store {
    pets: Mutex<BTreeMap<i64, Pet>>,
}

impl Store {
    fn pets(&self) -> MutexGuard<'_, BTreeMap<i64, Pet>> {
        self.pets.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

fn not_found(id: i64) -> Problem {
    Problem {
        r#type: None,
        title: "Not Found".to_string(),
        status: 404,
        detail: Some(format!("no pet {id}")),
        instance: None,
        errors: None,
    }
}

impl Api for Store {
    async fn list_pets(&self, request: ListPetsRequest) -> ListPetsResponse {
        // Already validated against the spec: 1 <= limit <= 100, status values from the enum.
        let limit = usize::try_from(request.limit.unwrap_or(20)).unwrap_or(20);
        let pets: Vec<Pet> = self.pets().values().take(limit).cloned().collect();
        let total = self.pets().len() as i64;
        ListPetsResponse::Ok {
            body: pets,
            x_total_count: total,
        }
    }

    async fn create_pet(&self, request: CreatePetRequest) -> CreatePetResponse {
        let input = request.body; // a PetInput: no `id`, which is readOnly
        let mut pets = self.pets();
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
            location: format!("/v1/pets/{id}"),
        }
    }

    async fn get_pet(&self, request: GetPetRequest) -> GetPetResponse {
        match self.pets().get(&request.pet_id) {
            Some(pet) => GetPetResponse::Ok(pet.clone()),
            None => GetPetResponse::NotFound(not_found(request.pet_id)),
        }
    }

    async fn update_pet(&self, request: UpdatePetRequest) -> UpdatePetResponse {
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

    async fn delete_pet(&self, request: DeletePetRequest) -> DeletePetResponse {
        match self.pets().remove(&request.pet_id) {
            Some(_) => DeletePetResponse::NoContent,
            None => DeletePetResponse::NotFound(not_found(request.pet_id)),
        }
    }

    async fn upload_pet_photo(&self, request: UploadPetPhotoRequest) -> UploadPetPhotoResponse {
        if !self.pets().contains_key(&request.pet_id) {
            return UploadPetPhotoResponse::NotFound(not_found(request.pet_id));
        }
        println!(
            "photo of pet {}: {} bytes",
            request.pet_id,
            request.body.file.len()
        );
        UploadPetPhotoResponse::NoContent
    }

    async fn get_inventory(&self, _request: GetInventoryRequest) -> GetInventoryResponse {
        let mut counts = BTreeMap::new();
        for pet in self.pets().values() {
            *counts
                .entry(format!("{:?}", pet.status).to_lowercase())
                .or_insert(0) += 1;
        }
        GetInventoryResponse::Ok(counts)
    }
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    // The spec's server URL is http://localhost:8080/v1: every route is under BASE_PATH (/v1),
    // where the generated client calls it.
    let config = ServerConfig::default();
    let app = petstore_server::router_with_config(Store::default(), config);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:8080").await?;
    println!("listening on http://127.0.0.1:8080{BASE_PATH}");
    petstore_server::serve(listener, app, petstore_server::shutdown_signal()).await
}
