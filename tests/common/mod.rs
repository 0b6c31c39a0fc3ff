//! Running the `oaskit` binary from tests.
#![allow(dead_code)]

pub mod generated_crate;
pub mod golden;
pub mod node;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

pub struct Outcome {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

pub fn oaskit(args: &[&str]) -> Outcome {
    oaskit_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, None)
}

pub fn oaskit_stdin(args: &[&str], stdin: &[u8]) -> Outcome {
    oaskit_in(Path::new(env!("CARGO_MANIFEST_DIR")), args, Some(stdin))
}

pub fn oaskit_in(dir: &Path, args: &[&str], stdin: Option<&[u8]>) -> Outcome {
    let mut child = Command::new(env!("CARGO_BIN_EXE_oaskit"))
        .args(args)
        .current_dir(dir)
        .env("NO_COLOR", "1")
        // Run inside GitHub Actions, the tests' `--format github` must not write the job summary.
        .env_remove("GITHUB_STEP_SUMMARY")
        .stdin(if stdin.is_some() {
            Stdio::piped()
        } else {
            Stdio::null()
        })
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the oaskit binary runs");
    if let Some(bytes) = stdin {
        let mut pipe = child.stdin.take().expect("stdin is piped");
        pipe.write_all(bytes).expect("stdin accepts the input");
    }
    let out = child.wait_with_output().expect("oaskit finishes");
    Outcome {
        code: out
            .status
            .code()
            .expect("oaskit exits with a code, not a signal"),
        stdout: String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr: String::from_utf8_lossy(&out.stderr).into_owned(),
    }
}

pub fn fixture(rel: &str) -> String {
    repo_path(&format!("tests/fixtures/{rel}"))
        .display()
        .to_string()
}

pub fn repo_path(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Writes `content` to `name` in a fresh temporary directory and returns both.
pub fn temp_spec(name: &str, content: &[u8]) -> (tempfile::TempDir, String) {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join(name);
    std::fs::write(&path, content).expect("write the spec");
    let p = path.display().to_string();
    (dir, p)
}

pub fn json(out: &Outcome) -> serde_json::Value {
    serde_json::from_str(&out.stdout)
        .unwrap_or_else(|e| panic!("JSON output ({e}): {}", out.stdout))
}

pub fn rules(out: &Outcome) -> Vec<String> {
    json(out)["findings"]
        .as_array()
        .map(|a| {
            a.iter()
                .map(|f| f["rule"].as_str().unwrap_or_default().to_string())
                .collect()
        })
        .unwrap_or_default()
}

/// Runs git in `dir` as a throwaway identity (no signing), panicking with its stderr on failure.
pub fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=t",
            "-c",
            "user.email=t@example.com",
            "-c",
            "commit.gpgsign=false",
        ])
        .args(args)
        .current_dir(dir)
        .output()
        .unwrap_or_else(|e| panic!("cannot run git: {e}"));
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// Copies the tree `from` into `to`, leaving out build outputs (`target`, `node_modules`, `dist`).
pub fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("{e}"));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("{}: {e}", from.display())) {
        let entry = entry.unwrap_or_else(|e| panic!("{e}"));
        let name = entry.file_name();
        let path = entry.path();
        if path.is_dir() {
            if !["target", "node_modules", "dist"].contains(&name.to_string_lossy().as_ref()) {
                copy_dir(&path, &to.join(&name));
            }
        } else {
            std::fs::copy(&path, to.join(&name)).unwrap_or_else(|e| panic!("{e}"));
        }
    }
}
