//! The directory tree local reads stay inside. A spec in a pull request names files with
//! `$ref` and `externalValue`; without a boundary it could name `../../secret`, an absolute path,
//! a committed symlink to `/proc/self/environ` or `.git/config` and have them quoted back in the
//! report. Every local read is resolved (symlinks included) and must land on a regular file
//! inside the root: the git work tree holding the root spec (its directory when it is in none),
//! widened only by the user (`--root DIR`).

use std::fs::File;
use std::io::Read;
use std::path::{Component, Path, PathBuf};

use super::git::work_tree_of;
use super::limits::Budget;
use super::reader::ReadError;
use super::source::normalize;

/// Canonical directories whose files may be read.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ReadRoot {
    dirs: Vec<PathBuf>,
}

impl ReadRoot {
    /// The default root of a spec read from `spec` (as given): the git work tree holding it, or
    /// the directory it is in.
    pub fn of_spec(spec: &Path) -> ReadRoot {
        let canonical = spec
            .canonicalize()
            .ok()
            .or_else(|| std::path::absolute(spec).ok())
            .unwrap_or_else(|| spec.to_path_buf());
        let dir = canonical.parent().unwrap_or(Path::new("/"));
        ReadRoot::of_dir(dir)
    }

    /// The default root for documents relative to `dir` (standard input: the working
    /// directory): the git work tree holding it, or `dir` itself.
    pub fn of_dir(dir: &Path) -> ReadRoot {
        ReadRoot {
            dirs: vec![project_of(dir)],
        }
    }

    /// Adds a directory (a `--root` the user gave). It must exist.
    pub fn widen(&mut self, dir: &Path) -> Result<(), String> {
        let canonical = dir
            .canonicalize()
            .map_err(|e| format!("--root {}: {e}", dir.display()))?;
        if !canonical.is_dir() {
            return Err(format!("--root {}: not a directory", dir.display()));
        }
        if !self.dirs.contains(&canonical) {
            self.dirs.push(canonical);
        }
        Ok(())
    }

    /// The directories, for messages.
    pub fn describe(&self) -> String {
        self.dirs
            .iter()
            .map(|d| d.display().to_string())
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// Resolves `path` (symlinks included) and checks that it lands inside the root and
    /// outside any `.git` directory. Returns the canonical path.
    pub fn confine(&self, path: &Path) -> Result<PathBuf, ReadError> {
        // As written first: a path that leaves the root is refused as such, whether or not
        // it exists (`sub/../../x` fails to resolve when `sub` does not exist).
        let absolute = std::path::absolute(path).map_err(|e| ReadError::Io(e.to_string()))?;
        self.check_inside(&normalize(&absolute))?;
        let canonical = path.canonicalize().map_err(|e| match e.kind() {
            std::io::ErrorKind::NotFound => ReadError::NotFound,
            _ => ReadError::Io(e.to_string()),
        })?;
        self.check_inside(&canonical)?;
        Ok(canonical)
    }

    fn check_inside(&self, path: &Path) -> Result<(), ReadError> {
        let Some(root) = self.dirs.iter().find(|d| path.starts_with(d)) else {
            return Err(ReadError::OutsideRoot {
                root: self.describe(),
            });
        };
        let inside = path.strip_prefix(root).unwrap_or(path);
        if inside.components().any(|c| match c {
            Component::Normal(name) => name.to_str().is_some_and(is_git_dir_name),
            _ => false,
        }) {
            return Err(ReadError::GitMetadata);
        }
        Ok(())
    }
}

/// The project a directory belongs to, canonical: the git work tree holding it, or the
/// directory itself.
pub fn project_of(dir: &Path) -> PathBuf {
    let dir = dir
        .canonicalize()
        .ok()
        .or_else(|| std::path::absolute(dir).ok())
        .unwrap_or_else(|| dir.to_path_buf());
    work_tree_of(&dir).unwrap_or(dir)
}

/// Reads a small file named by path in a file of the pull request (`oaskit.toml`, an ignore
/// file, a template override): its real path must lie inside the project of the directory it
/// is named in (the git work tree holding that directory, or the directory) and outside `.git`,
/// and it must be a regular file of at most `cap` bytes. A committed symbolic link to
/// `/proc/self/environ` or a secret elsewhere is refused before anything is read.
pub fn read_in_project(file: &Path, cap: u64) -> Result<Vec<u8>, ReadError> {
    let dir = file
        .parent()
        .filter(|d| !d.as_os_str().is_empty())
        .unwrap_or(Path::new("."));
    let mut root = ReadRoot::default();
    root.widen(&project_of(dir)).map_err(ReadError::Io)?;
    let canonical = root.confine(file)?;
    let budget = Budget::new(super::limits::LoadLimits {
        max_total_bytes: cap,
        max_documents: 1,
    });
    read_regular_file(&canonical, &budget)
}

/// `.git` (any case: case-insensitive file systems serve `.GIT` too).
fn is_git_dir_name(name: &str) -> bool {
    name.eq_ignore_ascii_case(".git")
}

/// Reads a confined (canonical) path: a regular file only, never more than the budget allows.
/// The file is opened without following a symlink and without blocking (a FIFO swapped in
/// after the check), and checked again once open.
pub fn read_regular_file(canonical: &Path, budget: &Budget) -> Result<Vec<u8>, ReadError> {
    let meta = std::fs::symlink_metadata(canonical).map_err(|e| ReadError::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile {
            kind: file_kind(&meta.file_type()),
        });
    }
    let (allowance, binding) = budget.allowance();
    if meta.len() > allowance {
        return Err(ReadError::Limit(binding));
    }
    let file = open_no_follow(canonical).map_err(|e| ReadError::Io(e.to_string()))?;
    let meta = file.metadata().map_err(|e| ReadError::Io(e.to_string()))?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile {
            kind: file_kind(&meta.file_type()),
        });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(allowance.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    if bytes.len() as u64 > allowance {
        return Err(ReadError::Limit(binding));
    }
    budget.spend(bytes.len() as u64).map_err(ReadError::Limit)?;
    Ok(bytes)
}

/// Reads at most the budget's allowance from a stream (standard input, or the root file named by
/// the user). `expected_len` (the file's size, 0 when unknown) sizes the buffer up front: the
/// 13 MB GitHub spec read into a growing vector was copied and zeroed page by page at every
/// doubling.
pub fn read_stream(
    stream: impl Read,
    budget: &Budget,
    expected_len: u64,
) -> Result<Vec<u8>, ReadError> {
    let (allowance, binding) = budget.allowance();
    let capacity = expected_len.min(allowance).saturating_add(1);
    let mut bytes = Vec::with_capacity(usize::try_from(capacity).unwrap_or(0));
    stream
        .take(allowance.saturating_add(1))
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(e.to_string()))?;
    if bytes.len() as u64 > allowance {
        return Err(ReadError::Limit(binding));
    }
    budget.spend(bytes.len() as u64).map_err(ReadError::Limit)?;
    Ok(bytes)
}

/// Opens a file for reading without following a symbolic link in its last component and without
/// blocking on a FIFO (`O_NOFOLLOW | O_NONBLOCK` where the platform has them).
#[cfg(unix)]
pub fn open_no_follow(path: &Path) -> std::io::Result<File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK | libc::O_NOCTTY | libc::O_NOFOLLOW)
        .open(path)
}

#[cfg(not(unix))]
pub fn open_no_follow(path: &Path) -> std::io::Result<File> {
    File::open(path)
}

fn file_kind(file_type: &std::fs::FileType) -> &'static str {
    if file_type.is_dir() {
        return "directory";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if file_type.is_fifo() {
            return "FIFO";
        }
        if file_type.is_char_device() {
            return "character device";
        }
        if file_type.is_block_device() {
            return "block device";
        }
        if file_type.is_socket() {
            return "socket";
        }
    }
    if file_type.is_symlink() {
        return "symbolic link";
    }
    "special file"
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_stream_of_known_length_is_read_into_a_buffer_of_that_size() {
        let text = vec![b'x'; 1_000_000];
        let bytes = read_stream(text.as_slice(), &Budget::default(), 1_000_000)
            .unwrap_or_else(|e| panic!("{e:?}"));
        assert_eq!(bytes.len(), 1_000_000);
        // A vector grown by doubling ends at 1 MiB or more.
        assert!(bytes.capacity() <= 1_000_001, "{}", bytes.capacity());
        // A length that lies is only a hint: the allowance still bounds what is read.
        let budget = Budget::new(crate::load::limits::LoadLimits {
            max_total_bytes: 10,
            max_documents: 1,
        });
        assert!(read_stream(text.as_slice(), &budget, u64::MAX).is_err());
    }
}
