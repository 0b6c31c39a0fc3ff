//! Loads specs into the contract model and prints how long each stage took: the workload of
//! `bench/load.sh` (`cargo run --release --example load_contract -- SPEC...`).

use std::time::Instant;

use oaskit::LoadOptions;
use oaskit::load::Documents;
use oaskit::model::build_contract;

fn main() {
    let mut failed = false;
    for spec in std::env::args().skip(1) {
        let start = Instant::now();
        let docs = match Documents::load(&spec, &LoadOptions::default()) {
            Ok(d) => d,
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
                continue;
            }
        };
        let loaded = start.elapsed();
        if std::env::var_os("OASKIT_LOAD_ONLY").is_some() {
            println!("{spec}: parse+resolve {:.3}s", loaded.as_secs_f64());
            continue;
        }
        let contract = match build_contract(docs) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("error: {e}");
                failed = true;
                continue;
            }
        };
        let built = start.elapsed();
        println!(
            "{spec}: parse+resolve {:.3}s, model {:.3}s, total {:.3}s; {} operations, {} webhooks, {} schemas",
            loaded.as_secs_f64(),
            (built - loaded).as_secs_f64(),
            built.as_secs_f64(),
            contract.operations.len(),
            contract.webhooks.len(),
            contract.types.len()
        );
    }
    std::process::exit(i32::from(failed));
}
