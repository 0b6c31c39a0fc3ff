//! The petstore server's types and router, generated at build time by `build.rs`.

include!(concat!(env!("OUT_DIR"), "/petstore.rs"));

#[cfg(test)]
mod tests {
    use super::models::{Pet, PetStatus};

    #[test]
    fn generated_models_round_trip_the_wire_format() {
        let json = r#"{"id": 7, "name": "Rex", "price": 1250, "status": "available"}"#;
        let pet: Pet = serde_json::from_str(json).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(pet.price, 1250);
        assert_eq!(pet.status, PetStatus::Available);
        assert!(json.contains(&serde_json::to_string(&pet.status).unwrap_or_default()));
    }

    #[test]
    fn the_router_builds() {
        // The generated trait and router are in scope: a type error here fails the build.
        fn _assert_router<A: super::Api>(api: A) -> axum::Router {
            super::router(api)
        }
    }
}
