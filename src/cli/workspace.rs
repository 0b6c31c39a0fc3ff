//! File paths as GitHub places them. Workflow annotations and code-scanning results name files
//! relative to the repository's root; a report's paths are as the run found them (absolute when
//! `check` found `oaskit.toml` above the working directory, relative to a subdirectory when a
//! step runs in one), which GitHub cannot put on the pull request's files.

use std::path::{Path, PathBuf};

use oaskit::load::source::normalize;

/// The repository's root: `$GITHUB_WORKSPACE` in GitHub Actions, else the nearest directory at
/// or above `cwd` that holds `.git` (a directory, or a file in a linked work tree).
pub fn repository_root(cwd: &Path) -> Option<PathBuf> {
    if let Some(workspace) = std::env::var_os("GITHUB_WORKSPACE").map(PathBuf::from)
        && workspace.is_absolute()
    {
        return Some(workspace);
    }
    cwd.ancestors()
        .find(|dir| dir.join(".git").exists())
        .map(Path::to_path_buf)
}

/// Where a report's files are placed: the working directory and the repository's root, the
/// root both as given and with symbolic links resolved, worked out once for all the findings
/// (a report of Stripe's size names files tens of thousands of times).
pub struct RepositoryPaths {
    cwd: PathBuf,
    roots: Vec<PathBuf>,
}

impl RepositoryPaths {
    pub fn new(cwd: &Path, root: &Path) -> RepositoryPaths {
        let roots = [Some(root.to_path_buf()), root.canonicalize().ok()]
            .iter()
            .flatten()
            .map(|root| normalize(root))
            .collect();
        RepositoryPaths {
            cwd: cwd.to_path_buf(),
            roots,
        }
    }

    /// `file` relative to the root, with `/` separators, when it names a file under the root (a
    /// relative `file` is taken from the working directory). `None` for anything else: URLs,
    /// `REV:path` git sources, files outside the repository.
    pub fn relative(&self, file: &str) -> Option<String> {
        if file.is_empty() || file.contains("://") {
            return None;
        }
        let path = Path::new(file);
        // `origin/main:specs/api.yaml` is a file at a git revision, not one on disk.
        if !path.is_absolute() && file.contains(':') {
            return None;
        }
        let absolute = normalize(&self.cwd.join(path));
        let inside = self
            .roots
            .iter()
            .find_map(|root| absolute.strip_prefix(root).ok())?;
        let parts: Vec<String> = inside
            .components()
            .map(|c| c.as_os_str().to_string_lossy().into_owned())
            .collect();
        (!parts.is_empty()).then(|| parts.join("/"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_relative_to_the_repository() {
        let root = Path::new("/repo");
        let cwd = Path::new("/repo/api");
        let paths = RepositoryPaths::new(cwd, root);
        let rel = |file| paths.relative(file);
        assert_eq!(
            rel("/repo/api/specs/a.yaml").as_deref(),
            Some("api/specs/a.yaml")
        );
        assert_eq!(rel("specs/a.yaml").as_deref(), Some("api/specs/a.yaml"));
        assert_eq!(rel("./specs/../b.yaml").as_deref(), Some("api/b.yaml"));
        assert_eq!(rel("../oaskit.toml").as_deref(), Some("oaskit.toml"));
        // Outside the repository, at a git revision, over http: left as they are.
        assert_eq!(rel("/elsewhere/a.yaml"), None);
        assert_eq!(rel("../../a.yaml"), None);
        assert_eq!(rel("origin/main:specs/a.yaml"), None);
        assert_eq!(rel("https://example.com/a.yaml"), None);
        assert_eq!(rel(""), None);
        // A sibling whose name starts like the root is not inside it.
        assert_eq!(rel("/repository/a.yaml"), None);
    }
}
