//! The one way documents are read while loading: the root spec, every document a `$ref` names
//! and every `externalValue`. It decides where a reference leads (a file inside the root, a
//! URL, a path at a git revision), reads it within the run's budget, and says in a typed
//! [`ReadError`] why it would not, naming the document and never quoting it.

use std::path::{Path, PathBuf};

use url::Url;

use super::LoadOptions;
use super::fetch::{FetchError, Fetcher};
use super::git::{self, GitError};
use super::limits::{Budget, Exhausted};
use super::root::{self, ReadRoot};
use super::source::Origin;
use crate::catalogue::Rule;
use crate::catalogue::validate::structure as rule;

/// Why a document was not read. The message completes "cannot read NAME: ".
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReadError {
    #[error("no such file")]
    NotFound,
    #[error("it is outside the root ({root}); pass --root DIR to widen it")]
    OutsideRoot { root: String },
    #[error("it is inside a .git directory, which oaskit never reads")]
    GitMetadata,
    #[error("it is a {kind}, not a regular file")]
    NotAFile { kind: &'static str },
    #[error("{0}")]
    Limit(Exhausted),
    #[error("remote documents are fetched only with --allow-remote-refs")]
    RemoteNotFollowed,
    #[error("{0}")]
    Git(GitError),
    #[error("{0}")]
    Fetch(FetchError),
    #[error("{0}")]
    Io(String),
    #[error("{0}")]
    BadReference(String),
}

impl ReadError {
    /// The rule of a read oaskit refuses on purpose (confinement, limits, addresses). Such a
    /// refusal is an error wherever it happens; other failures are reported as the consumer
    /// reports an unreadable reference.
    pub fn refusal_rule(&self) -> Option<&'static Rule> {
        match self {
            ReadError::OutsideRoot { .. } | ReadError::GitMetadata => Some(&rule::REF_OUTSIDE_ROOT),
            ReadError::NotAFile { .. } => Some(&rule::REF_NOT_A_FILE),
            ReadError::Limit(_) => Some(&rule::REF_LIMIT_EXCEEDED),
            ReadError::Fetch(FetchError::AddressRefused { .. }) => Some(&rule::REF_ADDRESS_REFUSED),
            _ => None,
        }
    }
}

/// What identifies a document: the canonical path of a file (one file, however it is named, is
/// loaded once), a URL, a path at a revision, standard input.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum DocKey {
    File(PathBuf),
    Url(Url),
    Git { rev: String, path: String },
    Stdin,
}

/// A reference resolved to the document it names, before it is read.
#[derive(Debug, Clone)]
pub struct Target {
    pub key: DocKey,
    /// The origin shown in messages: the path as written from the referring document's name.
    pub origin: Origin,
}

/// Reads documents for one load.
pub struct Reader {
    root: ReadRoot,
    budget: Budget,
    fetcher: Fetcher,
    allow_remote_refs: bool,
}

impl Reader {
    /// A reader for the documents of a spec read from `origin`.
    pub fn new(origin: &Origin, options: &LoadOptions) -> Result<Reader, String> {
        let mut root = match origin {
            Origin::Path(path) => ReadRoot::of_spec(path),
            _ => ReadRoot::of_dir(Path::new(".")),
        };
        for dir in &options.roots {
            root.widen(dir)?;
        }
        let mut fetcher = Fetcher::new(options.fetch.clone());
        if let Origin::Url(url) = origin
            && options.trust_root_url
        {
            fetcher.trust_host_of(url);
        }
        Ok(Reader {
            root,
            budget: options.budget.clone(),
            fetcher,
            allow_remote_refs: options.allow_remote_refs,
        })
    }

    /// Reads the root spec, named by the user: it need not be inside the root (that is where
    /// the root comes from) nor a regular file (`<(curl ...)` is a pipe), but it is bounded.
    pub fn read_root(&mut self, origin: &Origin) -> Result<(DocKey, Vec<u8>), ReadError> {
        self.budget.start_document().map_err(ReadError::Limit)?;
        match origin {
            Origin::Path(path) => {
                let canonical = path.canonicalize().map_err(|e| match e.kind() {
                    std::io::ErrorKind::NotFound => ReadError::NotFound,
                    _ => ReadError::Io(e.to_string()),
                })?;
                if canonical.is_dir() {
                    return Err(ReadError::NotAFile { kind: "directory" });
                }
                let file =
                    std::fs::File::open(&canonical).map_err(|e| ReadError::Io(e.to_string()))?;
                let expected_len = file.metadata().map_or(0, |m| m.len());
                let bytes = root::read_stream(file, &self.budget, expected_len)?;
                Ok((DocKey::File(canonical), bytes))
            }
            Origin::Stdin => {
                let bytes = root::read_stream(std::io::stdin().lock(), &self.budget, 0)?;
                Ok((DocKey::Stdin, bytes))
            }
            Origin::Url(url) => {
                let bytes = self.fetch(url)?;
                Ok((DocKey::Url(url.clone()), bytes))
            }
            Origin::Git { rev, path } => {
                let bytes = self.git(rev, path)?;
                Ok((
                    DocKey::Git {
                        rev: rev.clone(),
                        path: path.clone(),
                    },
                    bytes,
                ))
            }
        }
    }

    /// Where `reference` (the document part of a `$ref` or an `externalValue`) written in the
    /// document `from` (known by its key and origin) leads.
    pub fn locate(
        &self,
        from: &DocKey,
        from_origin: &Origin,
        reference: &str,
    ) -> Result<Target, ReadError> {
        let origin = from_origin
            .join(reference)
            .map_err(ReadError::BadReference)?;
        let key = match (&origin, from) {
            (Origin::Url(url), _) => {
                if !matches!(from, DocKey::Url(_)) && !self.allow_remote_refs {
                    return Err(ReadError::RemoteNotFollowed);
                }
                DocKey::Url(url.clone())
            }
            (Origin::Git { rev, path }, _) => {
                if path.starts_with("..") || path.starts_with('/') {
                    return Err(ReadError::OutsideRoot {
                        root: format!("the repository at revision `{rev}`"),
                    });
                }
                DocKey::Git {
                    rev: rev.clone(),
                    path: path.clone(),
                }
            }
            (Origin::Path(_), DocKey::File(canonical)) => {
                // Relative to where the referring file really is (symlinks resolved), so a
                // file reached under several names resolves its references one way.
                let dir = canonical.parent().unwrap_or(Path::new("/"));
                DocKey::File(self.root.confine(&dir.join(reference))?)
            }
            (Origin::Path(path), _) => DocKey::File(self.root.confine(path)?),
            (Origin::Stdin, _) => {
                return Err(ReadError::BadReference(format!(
                    "`{reference}` cannot name standard input"
                )));
            }
        };
        Ok(Target { key, origin })
    }

    /// Reads a located document.
    pub fn read(&mut self, key: &DocKey) -> Result<Vec<u8>, ReadError> {
        self.budget.start_document().map_err(ReadError::Limit)?;
        match key {
            DocKey::File(canonical) => root::read_regular_file(canonical, &self.budget),
            DocKey::Url(url) => self.fetch(url),
            DocKey::Git { rev, path } => self.git(rev, path),
            DocKey::Stdin => root::read_stream(std::io::stdin().lock(), &self.budget, 0),
        }
    }

    fn fetch(&mut self, url: &Url) -> Result<Vec<u8>, ReadError> {
        let (allowance, binding) = self.budget.allowance();
        let bytes = self.fetcher.fetch(url, allowance).map_err(|e| match e {
            FetchError::TooLarge { .. } => ReadError::Limit(binding),
            other => ReadError::Fetch(other),
        })?;
        self.budget
            .spend(bytes.len() as u64)
            .map_err(ReadError::Limit)?;
        Ok(bytes)
    }

    fn git(&mut self, rev: &str, path: &str) -> Result<Vec<u8>, ReadError> {
        let (allowance, binding) = self.budget.allowance();
        let bytes =
            git::read_file_at(Path::new("."), rev, path, allowance).map_err(|e| match e {
                GitError::TooLarge { .. } => ReadError::Limit(binding),
                other => ReadError::Git(other),
            })?;
        self.budget
            .spend(bytes.len() as u64)
            .map_err(ReadError::Limit)?;
        Ok(bytes)
    }
}
