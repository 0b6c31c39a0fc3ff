//! How much one run may read. A spec from a pull request chooses which documents are read, so
//! every read is bounded: each document by a size cap, all documents of a run together by a
//! budget of bytes and of documents (an endless chain of distinct documents ends there).

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

/// The largest document oaskit reads, from any source: far above any real spec (Microsoft Graph
/// is 20 MB), low enough that a hostile source cannot exhaust memory.
pub const MAX_DOCUMENT_BYTES: u64 = 256 * 1024 * 1024;

/// The limits of one run.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoadLimits {
    /// Bytes of all documents read (specs, referenced files, external examples) together.
    pub max_total_bytes: u64,
    /// Documents read.
    pub max_documents: u64,
}

impl LoadLimits {
    pub const DEFAULT: LoadLimits = LoadLimits {
        max_total_bytes: 512 * 1024 * 1024,
        max_documents: 2000,
    };
}

impl Default for LoadLimits {
    fn default() -> Self {
        LoadLimits::DEFAULT
    }
}

/// The part of the run's limits still unspent. Clones share it, so every load of one run
/// (both sides of a diff, every spec of a check) draws on one budget.
#[derive(Debug, Clone)]
pub struct Budget {
    limits: LoadLimits,
    spent: Arc<Spent>,
}

#[derive(Debug, Default)]
struct Spent {
    bytes: AtomicU64,
    documents: AtomicU64,
}

/// Which limit a read ran into.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exhausted {
    /// The document alone is larger than [`MAX_DOCUMENT_BYTES`].
    DocumentSize(u64),
    /// The run has read this many bytes already.
    TotalBytes(u64),
    /// The run has read this many documents already.
    Documents(u64),
}

impl std::fmt::Display for Exhausted {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Exhausted::DocumentSize(limit) => {
                write!(f, "larger than the {} limit", describe_bytes(*limit))
            }
            Exhausted::TotalBytes(limit) => write!(
                f,
                "the run's documents would exceed {} in all (raise it with --max-total-bytes)",
                describe_bytes(*limit)
            ),
            Exhausted::Documents(limit) => write!(
                f,
                "the run has read its limit of {limit} documents (raise it with --max-documents)"
            ),
        }
    }
}

impl Default for Budget {
    fn default() -> Self {
        Budget::new(LoadLimits::DEFAULT)
    }
}

impl Budget {
    pub fn new(limits: LoadLimits) -> Budget {
        Budget {
            limits,
            spent: Arc::default(),
        }
    }

    pub fn limits(&self) -> LoadLimits {
        self.limits
    }

    /// Takes one document from the budget, before it is read.
    pub fn start_document(&self) -> Result<(), Exhausted> {
        let before = self.spent.documents.fetch_add(1, Ordering::Relaxed);
        if before >= self.limits.max_documents {
            self.spent.documents.fetch_sub(1, Ordering::Relaxed);
            return Err(Exhausted::Documents(self.limits.max_documents));
        }
        Ok(())
    }

    /// How many bytes the next document may have: the per-document cap, or what is left of
    /// the run's bytes, whichever is smaller, with the limit that binds.
    pub fn allowance(&self) -> (u64, Exhausted) {
        let left = self
            .limits
            .max_total_bytes
            .saturating_sub(self.spent.bytes.load(Ordering::Relaxed));
        if left < MAX_DOCUMENT_BYTES {
            (left, Exhausted::TotalBytes(self.limits.max_total_bytes))
        } else {
            (
                MAX_DOCUMENT_BYTES,
                Exhausted::DocumentSize(MAX_DOCUMENT_BYTES),
            )
        }
    }

    /// Records the bytes of a document read.
    pub fn spend(&self, bytes: u64) -> Result<(), Exhausted> {
        let before = self.spent.bytes.fetch_add(bytes, Ordering::Relaxed);
        if before.saturating_add(bytes) > self.limits.max_total_bytes {
            return Err(Exhausted::TotalBytes(self.limits.max_total_bytes));
        }
        Ok(())
    }
}

/// `256 MiB`, `1.5 GiB`, `700 bytes`.
pub fn describe_bytes(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= 1024 * MIB && bytes.is_multiple_of(1024 * MIB) {
        format!("{} GiB", bytes / (1024 * MIB))
    } else if bytes >= MIB && bytes.is_multiple_of(MIB) {
        format!("{} MiB", bytes / MIB)
    } else {
        format!("{bytes} bytes")
    }
}

/// Reads a size written on the command line: `1000`, `64KiB`, `512MiB`, `2GiB` (`K`, `M`, `G`,
/// `KB`, ... mean the same binary units).
pub fn parse_bytes(text: &str) -> Result<u64, String> {
    let text = text.trim();
    let digits = text.len() - text.trim_start_matches(|c: char| c.is_ascii_digit()).len();
    let (number, unit) = text.split_at(digits);
    let number: u64 = number
        .parse()
        .map_err(|_| format!("`{text}` is not a size (e.g. 512MiB)"))?;
    let factor: u64 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "k" | "kb" | "kib" => 1024,
        "m" | "mb" | "mib" => 1024 * 1024,
        "g" | "gb" | "gib" => 1024 * 1024 * 1024,
        _ => return Err(format!("`{text}`: unknown unit (use KiB, MiB or GiB)")),
    };
    number
        .checked_mul(factor)
        .ok_or_else(|| format!("`{text}` is too large"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_are_read_and_described() {
        assert_eq!(parse_bytes("1000"), Ok(1000));
        assert_eq!(parse_bytes("64KiB"), Ok(64 * 1024));
        assert_eq!(parse_bytes("512MiB"), Ok(512 * 1024 * 1024));
        assert_eq!(parse_bytes("2 G"), Ok(2 * 1024 * 1024 * 1024));
        assert!(parse_bytes("lots").is_err());
        assert!(parse_bytes("5 parsecs").is_err());
        assert!(parse_bytes("99999999999999999999G").is_err());
        assert_eq!(describe_bytes(MAX_DOCUMENT_BYTES), "256 MiB");
        assert_eq!(describe_bytes(2 << 30), "2 GiB");
        assert_eq!(describe_bytes(700), "700 bytes");
    }

    #[test]
    fn the_budget_is_shared_by_clones() {
        let budget = Budget::new(LoadLimits {
            max_total_bytes: 100,
            max_documents: 2,
        });
        let other = budget.clone();
        assert!(budget.start_document().is_ok());
        assert!(other.start_document().is_ok());
        assert_eq!(budget.start_document(), Err(Exhausted::Documents(2)));
        assert!(budget.spend(60).is_ok());
        assert_eq!(other.allowance(), (40, Exhausted::TotalBytes(100)));
        assert_eq!(other.spend(41), Err(Exhausted::TotalBytes(100)));
    }
}
