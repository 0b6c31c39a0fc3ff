//! Reading a file at a git revision. Revisions and paths come from pull requests and configs,
//! so they reach git only as data: each request is a line on the standard input of
//! `git cat-file --batch`, never a command-line argument that git could read as an option
//! (`--output=/some/file`). Answers are read from that protocol's framing, not from messages,
//! and git runs with `LC_ALL=C` and without replace objects.

use std::io::{BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Child, ChildStdout, Command, Stdio};

/// Why a file could not be read from git.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum GitError {
    /// A revision that starts with `-` (it could only ever be meant as an option).
    #[error("`{rev}` is not a revision: a revision cannot start with `-`")]
    OptionLikeRevision { rev: String },
    /// Text git's request protocol cannot carry (a line break or NUL).
    #[error("`{text}` cannot be a git revision or path (it contains a line break or NUL)")]
    Unrepresentable { text: String },
    #[error("`{rev}` is not a revision of this repository")]
    UnknownRevision { rev: String },
    #[error("{path} does not exist at revision `{rev}`")]
    NoSuchPath { rev: String, path: String },
    #[error("{path} at revision `{rev}` is a {kind}, not a file")]
    NotAFile {
        rev: String,
        path: String,
        kind: String,
    },
    #[error("{path} at revision `{rev}` is larger than the {} MiB limit", limit / (1024 * 1024))]
    TooLarge {
        rev: String,
        path: String,
        limit: u64,
    },
    /// git is not installed, or the directory is not in a repository, or git broke off.
    #[error("git could not answer: {reason}")]
    Unavailable { reason: String },
}

/// The contents of a file at a revision, run in `dir` (whose repository is read). `path` is
/// relative to the repository's top directory. Reading stops, and the file is refused, past
/// `limit` bytes.
pub fn read_file_at(dir: &Path, rev: &str, path: &str, limit: u64) -> Result<Vec<u8>, GitError> {
    check_revision(rev)?;
    check_line(path)?;
    // `REV^{tree}` first tells an unknown revision from a path missing at a known one.
    let mut batch = Batch::start(dir, &format!("{rev}^{{tree}}\n{rev}:{path}\n"))?;
    match batch.header()? {
        Header::Missing => return Err(GitError::UnknownRevision { rev: rev.into() }),
        Header::Object { size, .. } => batch.skip(size)?,
    }
    match batch.header()? {
        Header::Missing => Err(GitError::NoSuchPath {
            rev: rev.into(),
            path: path.into(),
        }),
        Header::Object { kind, size } if kind == "blob" => {
            if size > limit {
                return Err(GitError::TooLarge {
                    rev: rev.into(),
                    path: path.into(),
                    limit,
                });
            }
            batch.body(size)
        }
        Header::Object { kind, .. } => Err(GitError::NotAFile {
            rev: rev.into(),
            path: path.into(),
            kind: if kind == "tree" {
                "directory".into()
            } else {
                kind
            },
        }),
    }
}

/// Whether `rev` names a revision (a commit, a tag or a tree) of the repository holding `dir`.
/// `false` when git cannot tell (not installed, not a repository).
pub fn is_revision(dir: &Path, rev: &str) -> bool {
    if check_revision(rev).is_err() {
        return false;
    }
    let Ok(mut batch) = Batch::start(dir, &format!("{rev}^{{tree}}\n")) else {
        return false;
    };
    matches!(batch.header(), Ok(Header::Object { .. }))
}

/// A revision as oaskit accepts it: not empty, not option-like, one line.
pub fn check_revision(rev: &str) -> Result<(), GitError> {
    if rev.starts_with('-') {
        return Err(GitError::OptionLikeRevision { rev: rev.into() });
    }
    if rev.is_empty() {
        return Err(GitError::UnknownRevision { rev: rev.into() });
    }
    check_line(rev)
}

fn check_line(text: &str) -> Result<(), GitError> {
    if text.contains(['\n', '\r', '\0']) {
        return Err(GitError::Unrepresentable {
            text: text.escape_debug().to_string(),
        });
    }
    Ok(())
}

/// The top directory of the git work tree holding `path` (a directory or a file, absolute and
/// canonical): the nearest directory at or above it with a `.git` entry (a directory, or the
/// file a linked work tree or submodule has). No git process is run.
pub fn work_tree_of(path: &Path) -> Option<PathBuf> {
    path.ancestors()
        .find(|dir| dir.join(".git").symlink_metadata().is_ok())
        .map(Path::to_path_buf)
}

/// One `git cat-file --batch` process answering the requests written to it at start.
struct Batch {
    child: Child,
    out: BufReader<ChildStdout>,
}

enum Header {
    Object { kind: String, size: u64 },
    Missing,
}

impl Batch {
    fn start(dir: &Path, requests: &str) -> Result<Batch, GitError> {
        let mut child = Command::new("git")
            .arg("--no-replace-objects")
            .args(["cat-file", "--batch"])
            .current_dir(dir)
            .env("LC_ALL", "C")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .map_err(|e| GitError::Unavailable {
                reason: format!("cannot run git: {e}"),
            })?;
        // The requests are a few hundred bytes: they fit the pipe, and closing stdin lets git
        // finish after answering them.
        if let Some(mut stdin) = child.stdin.take() {
            let _ = stdin.write_all(requests.as_bytes());
        }
        let Some(stdout) = child.stdout.take() else {
            return Err(GitError::Unavailable {
                reason: "no output pipe".into(),
            });
        };
        Ok(Batch {
            child,
            out: BufReader::new(stdout),
        })
    }

    /// `<oid> <type> <size>` or `<request> missing` (also `ambiguous`: treated as missing).
    fn header(&mut self) -> Result<Header, GitError> {
        let mut line = Vec::new();
        self.out
            .by_ref()
            .take(4096)
            .read_until(b'\n', &mut line)
            .map_err(|e| self.broke_off(&e.to_string()))?;
        if line.last() != Some(&b'\n') {
            return Err(self.broke_off("no answer"));
        }
        line.pop();
        let line = String::from_utf8_lossy(&line);
        if line.ends_with(" missing") || line.ends_with(" ambiguous") {
            return Ok(Header::Missing);
        }
        let mut fields = line.rsplitn(3, ' ');
        let size = fields.next().and_then(|s| s.parse::<u64>().ok());
        let kind = fields.next();
        match (size, kind) {
            (Some(size), Some(kind)) => Ok(Header::Object {
                kind: kind.to_string(),
                size,
            }),
            _ => Err(self.broke_off("an answer it could not read")),
        }
    }

    /// Reads an object's `size` bytes and the line feed after them.
    fn body(&mut self, size: u64) -> Result<Vec<u8>, GitError> {
        let mut buf = Vec::with_capacity(usize::try_from(size.min(1 << 24)).unwrap_or(0));
        (&mut self.out)
            .take(size)
            .read_to_end(&mut buf)
            .map_err(|e| self.broke_off(&e.to_string()))?;
        if buf.len() as u64 != size {
            return Err(self.broke_off("a truncated object"));
        }
        let mut newline = [0u8; 1];
        let _ = self.out.read_exact(&mut newline);
        Ok(buf)
    }

    fn skip(&mut self, size: u64) -> Result<(), GitError> {
        let copied = std::io::copy(&mut (&mut self.out).take(size + 1), &mut std::io::sink())
            .map_err(|e| self.broke_off(&e.to_string()))?;
        if copied != size + 1 {
            return Err(self.broke_off("a truncated object"));
        }
        Ok(())
    }

    /// git stopped answering: says why with the first line it wrote to standard error (shown to
    /// the user, never interpreted).
    fn broke_off(&mut self, what: &str) -> GitError {
        let _ = self.child.kill();
        let mut stderr = String::new();
        if let Some(mut pipe) = self.child.stderr.take() {
            let _ = pipe.by_ref().take(4096).read_to_string(&mut stderr);
        }
        let _ = self.child.wait();
        let said = stderr.lines().next().unwrap_or("").trim();
        GitError::Unavailable {
            reason: if said.is_empty() {
                what.to_string()
            } else {
                said.to_string()
            },
        }
    }
}

impl Drop for Batch {
    fn drop(&mut self) {
        // Answers not read (a file refused as too large) are abandoned, not drained.
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn git(dir: &Path, args: &[&str]) {
        let status = Command::new("git")
            .args(args)
            .current_dir(dir)
            .env("GIT_AUTHOR_NAME", "t")
            .env("GIT_AUTHOR_EMAIL", "t@example.com")
            .env("GIT_COMMITTER_NAME", "t")
            .env("GIT_COMMITTER_EMAIL", "t@example.com")
            .status()
            .unwrap();
        assert!(status.success(), "git {args:?}");
    }

    fn repo() -> tempfile::TempDir {
        let dir = tempfile::tempdir().unwrap();
        git(dir.path(), &["init", "-q"]);
        std::fs::create_dir(dir.path().join("api")).unwrap();
        std::fs::write(dir.path().join("api/spec.yaml"), "openapi: 3.0.0\n").unwrap();
        git(dir.path(), &["add", "."]);
        git(dir.path(), &["commit", "-qm", "one"]);
        dir
    }

    #[test]
    fn reads_files_and_types_every_failure() {
        let dir = repo();
        let d = dir.path();
        assert_eq!(
            read_file_at(d, "HEAD", "api/spec.yaml", 1024).unwrap(),
            b"openapi: 3.0.0\n"
        );
        assert!(matches!(
            read_file_at(d, "nope", "api/spec.yaml", 1024),
            Err(GitError::UnknownRevision { .. })
        ));
        assert!(matches!(
            read_file_at(d, "HEAD", "api/other.yaml", 1024),
            Err(GitError::NoSuchPath { .. })
        ));
        assert!(matches!(
            read_file_at(d, "HEAD", "api", 1024),
            Err(GitError::NotAFile { kind, .. }) if kind == "directory"
        ));
        assert!(matches!(
            read_file_at(d, "HEAD", "api/spec.yaml", 4),
            Err(GitError::TooLarge { .. })
        ));
        assert!(matches!(
            read_file_at(d, "--output=/tmp/x", "api/spec.yaml", 1024),
            Err(GitError::OptionLikeRevision { .. })
        ));
        assert!(matches!(
            read_file_at(d, "HEAD\nHEAD", "api/spec.yaml", 1024),
            Err(GitError::Unrepresentable { .. })
        ));
        assert!(is_revision(d, "HEAD"));
        assert!(!is_revision(d, "origin/main"));
        assert!(!is_revision(d, "-h"));
    }

    #[test]
    fn outside_a_repository_git_is_unavailable() {
        let dir = tempfile::tempdir().unwrap();
        match read_file_at(dir.path(), "HEAD", "x.yaml", 1024) {
            Err(GitError::Unavailable { .. }) => {}
            other => panic!("{other:?}"),
        }
        assert!(!is_revision(dir.path(), "HEAD"));
    }

    #[test]
    fn work_trees_are_found_by_their_git_entry() {
        let dir = repo();
        let top = dir.path().canonicalize().unwrap();
        assert_eq!(work_tree_of(&top.join("api/spec.yaml")), Some(top.clone()));
        assert_eq!(work_tree_of(&top.join("api")), Some(top));
    }
}
