//! Where a document comes from (a path, stdin, a URL, a git revision), read from a SPEC
//! argument. Relative references join the origin of the document that contains them.
//!
//! A SPEC is `-`, an `http(s)://` URL, `git:REV:PATH` (always git), a path starting with `/`,
//! `./` or `../` (always a file), `REV:PATH` or a plain path. `REV:PATH` is a file when no
//! revision of that name exists; when both exist the argument is refused as ambiguous, so a
//! file committed as `origin/main:spec.yaml` can never stand in for the revision.

use std::path::{Component, Path, PathBuf};

use url::Url;

use super::git::{self, GitError};

/// The place a document was read from.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Origin {
    Path(PathBuf),
    Stdin,
    Url(Url),
    /// A file at a git revision, with `path` relative to the repository's top directory.
    Git {
        rev: String,
        path: String,
    },
}

/// Why a SPEC argument names nothing oaskit can read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SpecArgError {
    #[error(
        "`{arg}` names both a file and {path} at git revision `{rev}`; write `./{arg}` for the file or `git:{arg}` for the revision"
    )]
    Ambiguous {
        arg: String,
        rev: String,
        path: String,
    },
    #[error("`{arg}`: {error}")]
    Git { arg: String, error: GitError },
    #[error("`{arg}`: expected `git:REV:PATH`")]
    BadGitForm { arg: String },
}

impl Origin {
    /// Reads a SPEC argument given on the command line (see the module doc). Whether `REV` is a
    /// revision is asked of the git repository holding the working directory.
    pub fn from_arg(arg: &str) -> Result<Origin, SpecArgError> {
        if arg == "-" {
            return Ok(Origin::Stdin);
        }
        if (arg.starts_with("http://") || arg.starts_with("https://"))
            && let Ok(url) = Url::parse(arg)
        {
            return Ok(Origin::Url(url));
        }
        if let Some(rest) = arg.strip_prefix("git:") {
            let Some((rev, path)) = rest
                .split_once(':')
                .filter(|(r, p)| !r.is_empty() && !p.is_empty())
            else {
                return Err(SpecArgError::BadGitForm { arg: arg.into() });
            };
            return git_origin(arg, rev, path);
        }
        let path = PathBuf::from(arg);
        if is_explicit_path(arg) {
            return Ok(Origin::Path(path));
        }
        let Some((rev, file)) = arg
            .split_once(':')
            .filter(|(r, f)| !r.is_empty() && !f.is_empty())
        else {
            return Ok(Origin::Path(path));
        };
        // A file name may hold a colon, and a revision may be named like a directory
        // (`origin/main`): when both exist, neither wins.
        if path.symlink_metadata().is_ok() {
            if git::is_revision(Path::new("."), rev) {
                return Err(SpecArgError::Ambiguous {
                    arg: arg.into(),
                    rev: rev.into(),
                    path: file.into(),
                });
            }
            return Ok(Origin::Path(path));
        }
        git_origin(arg, rev, file)
    }

    /// The name shown in messages: the path or URL as given, `REV:path`, or `<stdin>`.
    pub fn display_name(&self) -> String {
        match self {
            Origin::Path(p) => p.display().to_string(),
            Origin::Stdin => "<stdin>".to_string(),
            Origin::Url(u) => u.to_string(),
            Origin::Git { rev, path } => format!("{rev}:{path}"),
        }
    }

    pub fn is_remote(&self) -> bool {
        matches!(self, Origin::Url(_))
    }

    /// The origin of `reference` (the part of a `$ref` before `#`) written inside this
    /// document, joined by name: where it leads on disk is the reader's business.
    pub fn join(&self, reference: &str) -> Result<Origin, String> {
        if reference.starts_with("http://") || reference.starts_with("https://") {
            return Url::parse(reference)
                .map(Origin::Url)
                .map_err(|e| format!("bad URL `{reference}`: {e}"));
        }
        if reference.contains("://") {
            return Err(format!("unsupported URL scheme in `{reference}`"));
        }
        match self {
            Origin::Url(base) => base
                .join(reference)
                .map(Origin::Url)
                .map_err(|e| format!("cannot resolve `{reference}` against {base}: {e}")),
            Origin::Path(p) => {
                let dir = p.parent().unwrap_or(Path::new(""));
                Ok(Origin::Path(normalize(&dir.join(reference))))
            }
            Origin::Stdin => Ok(Origin::Path(normalize(Path::new(reference)))),
            Origin::Git { rev, path } => {
                let dir = Path::new(path).parent().unwrap_or(Path::new(""));
                let joined = normalize(&dir.join(reference));
                Ok(Origin::Git {
                    rev: rev.clone(),
                    path: joined.to_string_lossy().replace('\\', "/"),
                })
            }
        }
    }
}

/// `/x`, `./x`, `../x`: written as a path, so never a revision.
fn is_explicit_path(arg: &str) -> bool {
    Path::new(arg).is_absolute()
        || arg.starts_with("./")
        || arg.starts_with("../")
        || arg == "."
        || arg == ".."
}

fn git_origin(arg: &str, rev: &str, path: &str) -> Result<Origin, SpecArgError> {
    git::check_revision(rev).map_err(|error| SpecArgError::Git {
        arg: arg.into(),
        error,
    })?;
    Ok(Origin::Git {
        rev: rev.to_string(),
        path: path.to_string(),
    })
}

/// `a/b/../c` → `a/c`, without touching the file system (the file may not exist). A `..` that
/// leaves the start is kept (`../../x` stays `../../x`), and `/..` is `/`.
pub fn normalize(path: &Path) -> PathBuf {
    let mut out = PathBuf::new();
    for component in path.components() {
        match component {
            Component::CurDir => {}
            Component::ParentDir => match out.components().next_back() {
                Some(Component::Normal(_)) => {
                    out.pop();
                }
                Some(Component::RootDir | Component::Prefix(_)) => {}
                Some(Component::ParentDir | Component::CurDir) | None => out.push(".."),
            },
            other => out.push(other.as_os_str()),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn arg(text: &str) -> Origin {
        Origin::from_arg(text).unwrap_or_else(|e| panic!("{text}: {e}"))
    }

    #[test]
    fn arguments_are_classified() {
        assert_eq!(arg("-"), Origin::Stdin);
        assert!(matches!(arg("https://example.com/a.yaml"), Origin::Url(_)));
        assert_eq!(
            arg("origin/main:api/openapi.yaml"),
            Origin::Git {
                rev: "origin/main".into(),
                path: "api/openapi.yaml".into()
            }
        );
        assert_eq!(
            arg("git:HEAD~1:openapi.yaml"),
            Origin::Git {
                rev: "HEAD~1".into(),
                path: "openapi.yaml".into()
            }
        );
        assert_eq!(arg("specs/x.yaml"), Origin::Path("specs/x.yaml".into()));
        assert_eq!(
            arg("./origin/main:x.yaml"),
            Origin::Path("./origin/main:x.yaml".into())
        );
        assert!(matches!(
            Origin::from_arg("--output=/tmp/x:spec.yaml"),
            Err(SpecArgError::Git {
                error: GitError::OptionLikeRevision { .. },
                ..
            })
        ));
        assert!(matches!(
            Origin::from_arg("git:HEAD"),
            Err(SpecArgError::BadGitForm { .. })
        ));
    }

    #[test]
    fn relative_refs_join_each_origin_kind() {
        let p = Origin::Path("api/openapi.yaml".into());
        assert_eq!(
            p.join("./schemas/pet.yaml").ok(),
            Some(Origin::Path("api/schemas/pet.yaml".into()))
        );
        assert_eq!(
            p.join("../common.yaml").ok(),
            Some(Origin::Path("common.yaml".into()))
        );
        let g = Origin::Git {
            rev: "HEAD".into(),
            path: "api/openapi.yaml".into(),
        };
        assert_eq!(
            g.join("schemas/a.yaml").ok(),
            Some(Origin::Git {
                rev: "HEAD".into(),
                path: "api/schemas/a.yaml".into()
            })
        );
        let u = Origin::Url(
            Url::parse("https://example.com/api/openapi.yaml").unwrap_or_else(|_| unreachable!()),
        );
        assert_eq!(
            u.join("pet.yaml").ok().map(|o| o.display_name()),
            Some("https://example.com/api/pet.yaml".into())
        );
        assert!(p.join("ftp://x/y").is_err());
    }

    #[test]
    fn parent_components_that_leave_are_kept() {
        let a = Origin::Path("a.yaml".into());
        assert_eq!(
            a.join("../../x.yaml").ok(),
            Some(Origin::Path("../../x.yaml".into()))
        );
        assert_eq!(
            normalize(Path::new("a/../../b/./c")),
            PathBuf::from("../b/c")
        );
        assert_eq!(normalize(Path::new("/a/../../b")), PathBuf::from("/b"));
        let g = Origin::Git {
            rev: "HEAD".into(),
            path: "spec.yaml".into(),
        };
        assert_eq!(
            g.join("../../etc/passwd").ok(),
            Some(Origin::Git {
                rev: "HEAD".into(),
                path: "../../etc/passwd".into()
            })
        );
    }
}
