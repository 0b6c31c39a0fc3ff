//! Serves the probe target (tests/probe_target: an inventory API with seeded contract bugs, or
//! its correct twin) for side-by-side runs of probe tools: `bench/probe-bugs.sh` uses it.
//! `cargo run --release --example probe_target -- [--correct] [--port N] [--bugs-json]`

#[path = "../tests/probe_target/mod.rs"]
mod probe_target;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--bugs-json") {
        // Where probe should report each bug: bench/probe_bugs.py scores oaskit's report by it.
        let bugs: Vec<serde_json::Value> = probe_target::Bug::ALL
            .into_iter()
            .map(|bug| {
                let (operation, rule, needle) = bug.expected();
                serde_json::json!({
                    "bug": format!("{bug:?}"),
                    "operation": operation,
                    "rule": rule,
                    "needle": needle,
                    "also": bug.also(),
                })
            })
            .collect();
        println!("{}", serde_json::Value::Array(bugs));
        return;
    }
    let correct = args.iter().any(|a| a == "--correct");
    let port = args
        .iter()
        .position(|a| a == "--port")
        .and_then(|i| args.get(i + 1))
        .and_then(|p| p.parse().ok())
        .unwrap_or(0);
    let bugs = if correct {
        probe_target::Bugs::none()
    } else {
        probe_target::Bugs::all()
    };
    let addr = probe_target::start(bugs, port);
    println!("http://{addr}");
    loop {
        std::thread::park();
    }
}
