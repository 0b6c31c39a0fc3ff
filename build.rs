//! Records the commit oaskit is built from, for `oaskit --version`: a bug report that says
//! `oaskit 0.1.0 (a1b2c3d4e5f6)` names exactly the code that ran.
//!
//! Sources, first found wins: `$OASKIT_COMMIT` (set by packagers building without `.git`), the
//! git work tree the crate is built in, and `.cargo_vcs_info.json` (written by `cargo package`,
//! so a build from crates.io still knows its commit). Otherwise `unknown commit`.

use std::path::Path;
use std::process::Command;

fn main() {
    println!("cargo:rerun-if-env-changed=OASKIT_COMMIT");
    let commit = std::env::var("OASKIT_COMMIT")
        .ok()
        .filter(|c| !c.trim().is_empty())
        .or_else(git_commit)
        .or_else(packaged_commit)
        .map(|c| c.trim().chars().take(12).collect::<String>())
        .filter(|c| c.chars().all(|ch| ch.is_ascii_hexdigit()) && !c.is_empty())
        .unwrap_or_else(|| "unknown commit".to_string());
    println!("cargo:rustc-env=OASKIT_COMMIT={commit}");
}

/// `git rev-parse HEAD` of the work tree, and the files whose change means a new commit.
fn git_commit() -> Option<String> {
    let git = |args: &[&str]| -> Option<String> {
        let out = Command::new("git").args(args).output().ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).trim().to_string())
    };
    // Only the repository this crate lives in: a crate unpacked inside another repository (a
    // vendored dependency) must not report that repository's commit.
    let top = git(&["rev-parse", "--show-toplevel"])?;
    let manifest_dir = std::env::var("CARGO_MANIFEST_DIR").ok()?;
    if Path::new(&top).canonicalize().ok()? != Path::new(&manifest_dir).canonicalize().ok()? {
        return None;
    }
    let commit = git(&["rev-parse", "HEAD"])?;
    // HEAD moves on checkout, the branch's ref on commit. Watching them rebuilds the whole crate
    // after every commit, which only release builds (what is shipped) pay: a debug build keeps
    // the commit of its first build until something else rebuilds it. A path that does not
    // exist would make cargo rerun this script on every build, so only real files.
    if std::env::var("PROFILE").as_deref() != Ok("release") {
        return Some(commit);
    }
    let mut watched = vec![git(&["rev-parse", "--git-path", "HEAD"])];
    if let Some(reference) = git(&["symbolic-ref", "-q", "HEAD"]) {
        watched.push(git(&["rev-parse", "--git-path", &reference]));
    }
    watched.push(git(&["rev-parse", "--git-path", "packed-refs"]));
    for path in watched.into_iter().flatten() {
        if Path::new(&path).is_file() {
            println!("cargo:rerun-if-changed={path}");
        }
    }
    Some(commit)
}

/// The `git.sha1` that `cargo package` records in `.cargo_vcs_info.json`.
fn packaged_commit() -> Option<String> {
    let text = std::fs::read_to_string(".cargo_vcs_info.json").ok()?;
    let at = text.find("\"sha1\"")?;
    let rest = &text[at + "\"sha1\"".len()..];
    let start = rest.find('"')? + 1;
    let end = start + rest[start..].find('"')?;
    Some(rest[start..end].to_string())
}
