//! oaskit as a required check on a stranger's pull request (issue #10, the input side): every
//! attack a spec or an `oaskit.toml` in the pull request can make on what oaskit reads. Each
//! test sets up the attack in a temporary checkout and asserts it fails.
//!
//! `OASKIT_TEST_BIN=/path/to/oaskit cargo test --test untrusted_input` runs the same attacks
//! against another build (an older release) to see which of them succeed there.

mod common;

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::git;

const FORMATS: [&str; 6] = ["text", "json", "github", "junit", "sarif", "markdown"];
const SECRET: &str = "SECRET-7f3a9c";

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
    elapsed: Duration,
}

impl Run {
    fn all(&self) -> String {
        format!("{}{}", self.stdout, self.stderr)
    }

    fn rules(&self) -> Vec<String> {
        let doc: serde_json::Value = serde_json::from_str(&self.stdout)
            .unwrap_or_else(|e| panic!("JSON output ({e}): {}{}", self.stdout, self.stderr));
        doc["findings"]
            .as_array()
            .map(|a| {
                a.iter()
                    .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
                    .collect()
            })
            .unwrap_or_default()
    }
}

fn binary() -> PathBuf {
    std::env::var_os("OASKIT_TEST_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_BIN_EXE_oaskit")))
}

/// Runs oaskit in `dir`, killed after `limit` (a hang is a failure, not a stuck test).
fn run_for(dir: &Path, args: &[&str], limit: Duration) -> Run {
    let started = Instant::now();
    let mut child = Command::new(binary())
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("oaskit runs");
    let mut stdout = child.stdout.take().expect("stdout");
    let mut stderr = child.stderr.take().expect("stderr");
    let out = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stdout.read_to_end(&mut s);
        s
    });
    let err = std::thread::spawn(move || {
        let mut s = Vec::new();
        let _ = stderr.read_to_end(&mut s);
        s
    });
    let status = loop {
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        if started.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("oaskit {args:?} still running after {limit:?}: it hangs");
        }
        std::thread::sleep(Duration::from_millis(20));
    };
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8_lossy(&out.join().unwrap_or_default()).into_owned(),
        stderr: String::from_utf8_lossy(&err.join().unwrap_or_default()).into_owned(),
        elapsed: started.elapsed(),
    }
}

fn run(dir: &Path, args: &[&str]) -> Run {
    run_for(dir, args, Duration::from_secs(60))
}

fn write(path: &Path, text: &str) {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).expect("mkdir");
    }
    std::fs::write(path, text).expect("write");
}

/// A runner's workspace: secrets beside and inside the checkout's `.git`, and the checkout
/// (a git work tree) holding the pull request's files.
struct Checkout {
    _tmp: tempfile::TempDir,
    outside: PathBuf,
    repo: PathBuf,
}

fn checkout() -> Checkout {
    let tmp = tempfile::tempdir().expect("temp dir");
    let outside = tmp.path().canonicalize().expect("canonical temp dir");
    let repo = outside.join("repo");
    std::fs::create_dir_all(&repo).expect("mkdir");
    git(&repo, &["init", "-q"]);
    write(&outside.join("secret.yaml"), &format!("token: {SECRET}\n"));
    write(&outside.join("secret.txt"), SECRET);
    write(
        &repo.join(".git/config-secret.yaml"),
        &format!("extraheader: {SECRET}\n"),
    );
    Checkout {
        _tmp: tmp,
        outside,
        repo,
    }
}

fn spec_with(schema_ref: &str, extra: &str) -> String {
    format!(
        r#"openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /x:
    get:
      responses:
        "200":
          description: ok
          content:
            application/json:
              schema: {{$ref: '{schema_ref}'}}
{extra}"#
    )
}

fn example_with(external: &str, pattern: &str) -> String {
    format!(
        r#"openapi: 3.0.3
info: {{title: t, version: "1"}}
paths:
  /x:
    get:
      responses:
        "200":
          description: ok
          content:
            text/plain:
              schema: {{type: string, pattern: '{pattern}'}}
              examples:
                a: {{externalValue: '{external}'}}
"#
    )
}

/// Nothing outside the checkout is quoted, in any format: `..`, absolute paths, committed
/// symlinks that leave, `externalValue`, the checkout's own `.git`.
#[test]
fn files_outside_the_root_are_refused_in_every_format() {
    let c = checkout();
    let absolute = c.outside.join("secret.yaml");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&absolute, c.repo.join("link.yaml")).expect("symlink");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&c.outside, c.repo.join("up")).expect("symlink");
    let cases = [
        spec_with("../secret.yaml#/token", ""),
        spec_with(&format!("{}#/token", absolute.display()), ""),
        spec_with("link.yaml#/token", ""),
        spec_with("up/secret.yaml#/token", ""),
        spec_with(".git/config-secret.yaml#/extraheader", ""),
        spec_with("sub/../../secret.yaml#/token", ""),
        example_with("../secret.txt", ".*"),
        example_with(&c.outside.join("secret.txt").display().to_string(), ".*"),
        example_with("up/secret.txt", ".*"),
    ];
    for (i, spec) in cases.iter().enumerate() {
        let name = format!("spec{i}.yaml");
        write(&c.repo.join(&name), spec);
        for format in FORMATS {
            let out = run(&c.repo, &["validate", "--format", format, &name]);
            assert!(
                !out.all().contains(SECRET),
                "case {i} leaks in {format}:\n{}",
                out.all()
            );
            assert_eq!(out.code, 1, "case {i} {format}: {}", out.all());
            assert!(
                out.all().contains("ref-outside-root"),
                "case {i} {format}: {}",
                out.all()
            );
        }
    }
}

/// The refusal is the root's doing: `--root` widens it and the same spec reads the file.
#[test]
fn root_flag_widens_the_root() {
    let c = checkout();
    write(
        &c.repo.join("spec.yaml"),
        &spec_with("../secret.yaml#/token", ""),
    );
    let out = run(
        &c.repo,
        &["validate", "--format", "json", "spec.yaml", "--root", ".."],
    );
    assert!(
        !out.rules().contains(&"ref-outside-root".to_string()),
        "{}",
        out.all()
    );
    assert!(
        out.stdout.contains(SECRET),
        "the widened root reads the file: {}",
        out.all()
    );
    let out = run(&c.repo, &["validate", "spec.yaml", "--root", "no-such-dir"]);
    assert_eq!(out.code, 2, "{}", out.all());
}

/// Without a root, one `pattern` per example tells whether a secret starts with a guess, so
/// a pull request can recover it byte by byte from pass/fail alone. With the root, a right and
/// a wrong guess give the same answer.
#[test]
fn the_pattern_oracle_learns_nothing() {
    let c = checkout();
    let mut answers = Vec::new();
    for guess in ["^SECRET-7", "^NOTIT"] {
        let spec = example_with("../secret.txt", guess);
        write(&c.repo.join("spec.yaml"), &spec);
        let out = run(&c.repo, &["validate", "--format", "json", "spec.yaml"]);
        let mut rules = out.rules();
        rules.sort();
        assert!(
            !rules.contains(&"example-invalid".to_string()),
            "{}",
            out.all()
        );
        answers.push((out.code, rules));
    }
    assert_eq!(answers[0], answers[1], "the answers differ with the guess");
}

/// `../../x.yaml` from `a.yaml` used to become `x.yaml`, a different file that exists.
#[test]
fn parent_components_are_not_dropped() {
    let c = checkout();
    write(&c.repo.join("x.yaml"), "X: {type: string}\n");
    write(&c.repo.join("spec.yaml"), &spec_with("../../x.yaml#/X", ""));
    let out = run(&c.repo, &["validate", "--format", "json", "spec.yaml"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.rules().contains(&"ref-outside-root".to_string()),
        "{}",
        out.all()
    );
    assert!(out.stdout.contains("../../x.yaml"), "{}", out.all());
}

/// A FIFO blocks a reader forever, /dev/zero never ends, /proc/self/fd/1 is the report
/// itself: none of them is a document.
#[cfg(unix)]
#[test]
fn special_files_are_refused_without_blocking() {
    let c = checkout();
    let fifo = c.repo.join("pipe.yaml");
    let made = Command::new("mkfifo")
        .arg(&fifo)
        .status()
        .expect("mkfifo runs");
    assert!(made.success());
    let limit = Duration::from_secs(20);
    for (reference, extra, rule) in [
        ("pipe.yaml#/X", vec![], "ref-not-a-file"),
        ("/dev/zero#/X", vec![], "ref-outside-root"),
        ("/dev/zero#/X", vec!["--root", "/dev"], "ref-not-a-file"),
        ("/proc/self/fd/1#/X", vec![], "ref-outside-root"),
        ("/proc/self/fd/0#/X", vec!["--root", "/"], ""),
    ] {
        write(&c.repo.join("spec.yaml"), &spec_with(reference, ""));
        let mut args = vec!["validate", "--format", "json", "spec.yaml"];
        args.extend(extra.iter().copied());
        let out = run_for(&c.repo, &args, limit);
        assert_eq!(out.code, 1, "{reference} {extra:?}: {}", out.all());
        if !rule.is_empty() {
            assert!(
                out.rules().contains(&rule.to_string()),
                "{reference}: {}",
                out.all()
            );
        }
        assert!(out.elapsed < limit);
    }
    let external = example_with("pipe.yaml", ".*");
    write(&c.repo.join("spec.yaml"), &external);
    let out = run_for(
        &c.repo,
        &["validate", "--format", "json", "spec.yaml"],
        limit,
    );
    assert!(
        out.rules().contains(&"ref-not-a-file".to_string()),
        "{}",
        out.all()
    );
}

/// One big file reached through many symlinked directories is one document, read once.
#[cfg(unix)]
#[test]
fn a_file_under_many_names_is_read_once() {
    let c = checkout();
    let big = format!(
        "X:\n  type: string\n  description: '{}'\n",
        "x".repeat(1 << 20)
    );
    write(&c.repo.join("shared/big.yaml"), &big);
    let mut refs = String::from("components:\n  schemas:\n");
    for i in 0..40 {
        std::os::unix::fs::symlink(c.repo.join("shared"), c.repo.join(format!("d{i}")))
            .expect("symlink");
        refs.push_str(&format!("    S{i}: {{$ref: 'd{i}/big.yaml#/X'}}\n"));
    }
    write(
        &c.repo.join("spec.yaml"),
        &spec_with("shared/big.yaml#/X", &refs),
    );
    // Forty copies would be 40 MiB; one is 1 MiB.
    let out = run(
        &c.repo,
        &[
            "validate",
            "--format",
            "json",
            "--max-total-bytes",
            "3MiB",
            "spec.yaml",
        ],
    );
    assert_eq!(out.code, 0, "{}", out.all());
    let docs = oaskit::load::Documents::load(
        &c.repo.join("spec.yaml").display().to_string(),
        &oaskit::LoadOptions::default(),
    )
    .expect("loads");
    assert_eq!(docs.files().count(), 2);
}

// ----- git: revisions are data, never options -------------------------------------------------

const V1: &str = "openapi: 3.0.3\ninfo: {title: t, version: '1'}\npaths:\n  /pets:\n    get:\n      responses:\n        '200': {description: ok}\n";
const V2: &str = "openapi: 3.0.3\ninfo: {title: t, version: '2'}\npaths: {}\n";

/// A repository whose `origin/main` has V1 and whose work tree (the pull request) has V2,
/// which removes an operation: a breaking change the gate must see.
fn pull_request() -> Checkout {
    let c = checkout();
    write(&c.repo.join("spec.yaml"), V1);
    git(&c.repo, &["add", "spec.yaml"]);
    git(&c.repo, &["commit", "-qm", "v1"]);
    git(&c.repo, &["update-ref", "refs/remotes/origin/main", "HEAD"]);
    write(&c.repo.join("spec.yaml"), V2);
    c
}

#[test]
fn option_like_revisions_never_reach_git() {
    let c = pull_request();
    let target = c.outside.join("overwritten");
    let arg = format!("--output={}:spec.yaml", target.display());
    let out = run(&c.repo, &["diff", "--", &arg, "spec.yaml"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(
        out.stderr.contains("cannot start with `-`"),
        "{}",
        out.stderr
    );
    assert!(!target.exists(), "git wrote {}", target.display());

    write(
        &c.repo.join("oaskit.toml"),
        &format!(
            "[[specs]]\npath = \"spec.yaml\"\nbase = \"--output={}\"\n",
            target.display()
        ),
    );
    let out = run(&c.repo, &["check"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(!target.exists(), "git wrote {}", target.display());
}

/// A file committed under a revision's name must not stand in for the revision.
#[test]
fn shadow_files_cannot_replace_the_base() {
    let c = pull_request();
    // The pull request commits its own spec as `origin/main:spec.yaml`.
    write(&c.repo.join("origin/main:spec.yaml"), V2);
    let out = run(&c.repo, &["diff", "origin/main:spec.yaml", "spec.yaml"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(
        out.stderr.contains("./origin/main:spec.yaml"),
        "{}",
        out.stderr
    );
    assert!(
        out.stderr.contains("git:origin/main:spec.yaml"),
        "{}",
        out.stderr
    );
    // Each meaning, written unambiguously.
    let out = run(&c.repo, &["diff", "git:origin/main:spec.yaml", "spec.yaml"]);
    assert_eq!(out.code, 1, "the revision shows the break: {}", out.all());
    let out = run(&c.repo, &["diff", "./origin/main:spec.yaml", "spec.yaml"]);
    assert_eq!(out.code, 0, "the file is the same spec: {}", out.all());

    // In oaskit.toml, `base = "origin/main"` is the revision even when a file has that name.
    std::fs::remove_dir_all(c.repo.join("origin")).expect("rm");
    write(&c.repo.join("origin/main"), V2);
    write(
        &c.repo.join("oaskit.toml"),
        "[[specs]]\npath = \"spec.yaml\"\nbase = \"origin/main\"\n",
    );
    let out = run(&c.repo, &["check", "--format", "json"]);
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.rules().iter().any(|r| r.contains("removed")),
        "{}",
        out.all()
    );
    // A file base is written as a path.
    write(
        &c.repo.join("oaskit.toml"),
        "[[specs]]\npath = \"spec.yaml\"\nbase = \"./origin/main\"\n",
    );
    let out = run(&c.repo, &["check"]);
    assert_eq!(out.code, 0, "{}", out.all());
}

/// A revision that does not exist is an error, not "no base": a typo must not skip the diff.
#[test]
fn unknown_base_revisions_fail_the_gate() {
    let c = pull_request();
    write(
        &c.repo.join("oaskit.toml"),
        "[[specs]]\npath = \"spec.yaml\"\nbase = \"origin/mian\"\n",
    );
    let out = run(&c.repo, &["check"]);
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("origin/mian"), "{}", out.stderr);
    // A spec new on the branch is not diffed, and says so.
    write(&c.repo.join("new.yaml"), V2);
    write(
        &c.repo.join("oaskit.toml"),
        "[[specs]]\npath = \"new.yaml\"\nbase = \"origin/main\"\n",
    );
    let out = run(&c.repo, &["check", "--format", "json"]);
    assert_eq!(out.code, 0, "{}", out.all());
    assert!(
        out.rules().contains(&"check-no-base".to_string()),
        "{}",
        out.all()
    );
}

// ----- oaskit.toml: the command line wins, the files it names stay home ------------------------

#[test]
fn config_inputs_stay_inside_the_project() {
    let c = pull_request();
    for (key, value) in [("path", "../secret.yaml"), ("base", "../secret.yaml")] {
        let entry = if key == "path" {
            format!("path = \"{value}\"")
        } else {
            format!("path = \"spec.yaml\"\nbase = \"{value}\"")
        };
        write(
            &c.repo.join("oaskit.toml"),
            &format!("[[specs]]\n{entry}\n"),
        );
        let out = run(&c.repo, &["check"]);
        assert_eq!(out.code, 2, "{key} = {value}: {}", out.all());
        assert!(!out.all().contains(SECRET), "{}", out.all());
        // Refused for where it is, before anything is read (not merely unparsable).
        assert!(out.stderr.contains("outside the root"), "{}", out.all());
    }
}

#[test]
fn explicit_flags_beat_the_config() {
    let c = pull_request();
    write(
        &c.repo.join("oaskit.toml"),
        "fail-on = \"never\"\n[[specs]]\npath = \"spec.yaml\"\nbase = \"origin/main\"\n",
    );
    let out = run(&c.repo, &["check", "--fail-on", "error"]);
    assert_eq!(
        out.code,
        1,
        "--fail-on error given explicitly: {}",
        out.all()
    );
    // Not given: the config's level applies.
    let out = run(&c.repo, &["check"]);
    assert_eq!(out.code, 0, "{}", out.all());
}

/// `output = "../elsewhere"` made `check` print foreign files and `generate` write them;
/// `output = "/"` walked the whole disk.
#[test]
fn config_outputs_stay_inside_the_config_directory() {
    let c = pull_request();
    write(&c.outside.join("elsewhere/index.ts"), SECRET);
    let mut cases = vec!["../elsewhere", "/", "gen/../../elsewhere"];
    #[cfg(unix)]
    {
        // A committed symlink, as the output or above a not yet existing output.
        std::os::unix::fs::symlink(c.outside.join("elsewhere"), c.repo.join("gen"))
            .expect("symlink");
        cases.push("gen");
        cases.push("gen/client");
    }
    for output in &cases {
        write(
            &c.repo.join("oaskit.toml"),
            &format!(
                "[[specs]]\npath = \"spec.yaml\"\ngenerate = [{{ target = \"ts-client\", output = \"{output}\" }}]\n"
            ),
        );
        for args in [&["check"][..], &["generate"][..]] {
            let out = run(&c.repo, args);
            assert_eq!(out.code, 2, "{args:?} output = {output}: {}", out.all());
            assert!(!out.all().contains(SECRET), "{}", out.all());
            assert!(out.stderr.contains("output"), "{}", out.all());
        }
    }
    assert_eq!(
        std::fs::read_dir(c.outside.join("elsewhere"))
            .expect("elsewhere")
            .count(),
        1,
        "nothing was written outside"
    );
}

/// A committed `oaskit.toml` that is a symbolic link out of the checkout: a TOML error quotes
/// the line it stops at, so `oaskit.toml -> /proc/self/environ` printed the runner's
/// environment (its tokens) in `check`, and in `validate` and `diff`, which read `[rules]`.
#[cfg(unix)]
#[test]
fn a_config_linked_out_of_the_checkout_is_not_read() {
    let c = pull_request();
    let config = c.repo.join("oaskit.toml");
    std::os::unix::fs::symlink(c.outside.join("secret.yaml"), &config).expect("symlink");
    let commands: [&[&str]; 3] = [
        &["check"],
        &["validate", "spec.yaml"],
        &["diff", "git:origin/main:spec.yaml", "spec.yaml"],
    ];
    for args in commands {
        let out = run(&c.repo, args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.all());
        assert!(!out.all().contains(SECRET), "{args:?}: {}", out.all());
        assert!(
            out.stderr.contains("outside its project"),
            "{args:?}: {}",
            out.all()
        );
    }
    std::fs::remove_file(&config).expect("unlink");
    std::os::unix::fs::symlink("/proc/self/environ", &config).expect("symlink");
    let out = Command::new(binary())
        .args(["check", "--format", "json"])
        .current_dir(&c.repo)
        .env("OASKIT_TEST_TOKEN", SECRET)
        .stdin(Stdio::null())
        .output()
        .expect("oaskit runs");
    let all = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(out.status.code(), Some(2), "{all}");
    assert!(!all.contains(SECRET), "the environment was printed: {all}");
}

/// A template override committed as a symbolic link out of the checkout: its content became
/// generated code, and `check` printed it in the diff against the committed output.
#[cfg(unix)]
#[test]
fn a_template_linked_out_of_the_checkout_is_not_read() {
    let c = pull_request();
    std::fs::create_dir_all(c.repo.join("tpl")).expect("mkdir");
    std::os::unix::fs::symlink(
        c.outside.join("secret.txt"),
        c.repo.join("tpl/client.ts.hbs"),
    )
    .expect("symlink");
    // The committed output, generated with the embedded templates: `check` diffs against it.
    let config = "[[specs]]\npath = \"spec.yaml\"\ngenerate = [{ target = \"ts-client\", output = \"gen\" }]\n";
    write(&c.repo.join("oaskit.toml"), config);
    assert_eq!(run(&c.repo, &["generate"]).code, 0);
    let before = std::fs::read_to_string(c.repo.join("gen/src/client.ts")).expect("generated");
    write(
        &c.repo.join("oaskit.toml"),
        &config.replace("output = \"gen\"", "output = \"gen\", templates = \"tpl\""),
    );
    for args in [&["check"][..], &["generate"][..]] {
        let out = run(&c.repo, args);
        assert_eq!(out.code, 2, "{args:?}: {}", out.all());
        assert!(!out.all().contains(SECRET), "{args:?}: {}", out.all());
        assert!(
            out.stderr.contains("outside its project"),
            "{args:?}: {}",
            out.all()
        );
    }
    assert_eq!(
        std::fs::read_to_string(c.repo.join("gen/src/client.ts")).expect("generated"),
        before,
        "nothing regenerated from the secret"
    );
}

// ----- work grows near-linearly with the spec ------------------------------------------------

/// A chain of `$ref`s, each schema naming the next: 65 links were called a cycle, and each
/// reference followed the whole chain again (10,000 links ran for minutes).
#[test]
fn a_long_ref_chain_is_neither_a_cycle_nor_quadratic() {
    let c = checkout();
    let links = 20_000;
    let mut schemas = String::from("components:\n  schemas:\n");
    for i in 0..links - 1 {
        schemas.push_str(&format!(
            "    S{i}: {{$ref: '#/components/schemas/S{}'}}\n",
            i + 1
        ));
    }
    schemas.push_str(&format!("    S{}: {{type: object}}\n", links - 1));
    write(
        &c.repo.join("spec.yaml"),
        &spec_with("#/components/schemas/S0", &schemas),
    );
    let out = run_for(
        &c.repo,
        &["validate", "--format", "json", "spec.yaml"],
        Duration::from_secs(60),
    );
    assert_eq!(out.code, 0, "{}", out.all());
    assert_eq!(out.rules(), Vec::<String>::new());
    // A real loop is still one.
    write(
        &c.repo.join("spec.yaml"),
        &spec_with(
            "#/components/schemas/A",
            "components:\n  schemas:\n    A: {$ref: '#/components/schemas/B'}\n    B: {$ref: '#/components/schemas/A'}\n",
        ),
    );
    let out = run(&c.repo, &["validate", "--format", "json", "spec.yaml"]);
    assert!(
        out.rules().contains(&"ref-cycle".to_string()),
        "{}",
        out.all()
    );
}

// ----- the network: deadlines, private addresses, endless documents ---------------------------

/// What the test server sends for a path.
enum Reply {
    Yaml(String),
    /// Headers, then one byte every 200 ms, for a minute.
    Trickle,
}

/// A local HTTP server answering `respond(path)`, one thread per connection. Returns the port.
fn serve(respond: impl Fn(&str) -> Reply + Send + Sync + 'static) -> u16 {
    use std::io::Write;
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let port = listener.local_addr().expect("address").port();
    let respond = std::sync::Arc::new(respond);
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let respond = std::sync::Arc::clone(&respond);
            std::thread::spawn(move || {
                let mut request = Vec::new();
                let mut byte = [0u8; 1];
                while !request.ends_with(b"\r\n\r\n") && request.len() < 16 * 1024 {
                    match stream.read(&mut byte) {
                        Ok(1) => request.push(byte[0]),
                        _ => return,
                    }
                }
                let text = String::from_utf8_lossy(&request);
                let path = text.split(' ').nth(1).unwrap_or("/").to_string();
                match respond(&path) {
                    Reply::Yaml(body) => {
                        let _ = write!(
                            stream,
                            "HTTP/1.1 200 OK\r\nContent-Type: application/yaml\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                            body.len()
                        );
                    }
                    Reply::Trickle => {
                        let _ = write!(
                            stream,
                            "HTTP/1.1 200 OK\r\nContent-Type: application/yaml\r\nContent-Length: 100000\r\nConnection: close\r\n\r\n"
                        );
                        for _ in 0..300 {
                            if stream
                                .write_all(b"#")
                                .and_then(|()| stream.flush())
                                .is_err()
                            {
                                return;
                            }
                            std::thread::sleep(Duration::from_millis(200));
                        }
                    }
                }
            });
        }
    });
    port
}

/// A server that sends a byte every 200 ms never trips a per-read timeout: the deadline covers
/// the whole body.
#[test]
fn a_trickling_server_times_out() {
    let port = serve(|_| Reply::Trickle);
    let url = format!("http://127.0.0.1:{port}/spec.yaml");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_for(
        dir.path(),
        &["validate", "--http-timeout", "2", "--format", "json", &url],
        Duration::from_secs(40),
    );
    assert_eq!(out.code, 2, "{}", out.all());
    assert!(out.stderr.contains("timed out"), "{}", out.all());
    assert!(out.elapsed < Duration::from_secs(15), "{:?}", out.elapsed);
}

/// URLs a document names may not reach the runner's own network (a metadata service, a
/// database): by address or by a name that resolves there.
#[test]
fn documents_cannot_name_private_addresses() {
    let port = serve(|_| Reply::Yaml("X: {type: string}\n".into()));
    let c = checkout();
    let literal = format!("http://127.0.0.1:{port}/x.yaml#/X");
    write(&c.repo.join("spec.yaml"), &spec_with(&literal, ""));
    let out = run(
        &c.repo,
        &[
            "validate",
            "--allow-remote-refs",
            "--format",
            "json",
            "spec.yaml",
        ],
    );
    assert_eq!(out.code, 1, "{}", out.all());
    assert_eq!(out.rules(), ["ref-address-refused"], "{}", out.all());
    let out = run(
        &c.repo,
        &[
            "validate",
            "--allow-remote-refs",
            "--allow-private-addresses",
            "--format",
            "json",
            "spec.yaml",
        ],
    );
    assert_eq!(out.code, 0, "allowed by the user: {}", out.all());
    // A name, not an address: refused when it resolves, even on the host the user named
    // (`127.0.0.1` is trusted, `localhost` is another name).
    let named = format!("http://localhost:{port}/x.yaml#/X");
    write(&c.repo.join("spec.yaml"), &spec_with(&named, ""));
    let out = run(
        &c.repo,
        &[
            "validate",
            "--allow-remote-refs",
            "--format",
            "json",
            "spec.yaml",
        ],
    );
    assert_eq!(out.rules(), ["ref-address-refused"], "{}", out.all());
}

/// A server that answers every document with a reference to a new one: the run stops at the
/// document limit instead of fetching forever.
#[test]
fn an_endless_chain_of_remote_documents_stops_at_the_limit() {
    let port = serve(|path| {
        let n: u64 = path
            .trim_start_matches("/d/")
            .trim_end_matches(".yaml")
            .parse()
            .unwrap_or(0);
        let next = format!("{}.yaml#/X", n + 1);
        Reply::Yaml(if n == 0 {
            spec_with(&next, "")
        } else {
            format!("X: {{$ref: '{next}'}}\n")
        })
    });
    let url = format!("http://127.0.0.1:{port}/d/0.yaml");
    let dir = tempfile::tempdir().expect("temp dir");
    let out = run_for(
        dir.path(),
        &[
            "validate",
            "--max-documents",
            "50",
            "--format",
            "json",
            &url,
        ],
        Duration::from_secs(60),
    );
    assert_eq!(out.code, 1, "{}", out.all());
    assert!(
        out.rules().contains(&"ref-limit-exceeded".to_string()),
        "{}",
        out.all()
    );
}
