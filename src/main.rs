//! The `oaskit` binary: parse the command line, run the command, exit with its code.

mod cli;

/// oaskit builds and drops millions of small values (the model, views, generated text): glibc's
/// allocator spent a third of `generate rust-server` on Microsoft Graph in malloc/free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    no_transparent_huge_pages();
    std::process::exit(cli::run());
}

/// mimalloc asks for transparent huge pages (`MADV_HUGEPAGE`), and where the kernel's THP
/// `defrag` setting is `madvise` (the default of most distributions) each such fault may compact
/// memory synchronously first: after another large process had run, `generate ts-client` on
/// GitHub's spec spent 0.42-0.55 s of system time (more than its 0.35 s of user time) on a run
/// that otherwise takes 0.10-0.14 s. A short-lived process gains nothing from huge pages, so it
/// declines them (what `MIMALLOC_ALLOW_THP=0` does; the setting is inherited by the processes it
/// starts, such as rustfmt).
fn no_transparent_huge_pages() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl(PR_SET_THP_DISABLE) takes integer arguments only and changes nothing but
    // whether this process's future page faults may be served with huge pages.
    unsafe {
        libc::prctl(libc::PR_SET_THP_DISABLE, 1, 0, 0, 0);
    }
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    /// The kernel reports the setting in /proc/self/status (`THP_enabled: 0`, Linux 5.0+).
    #[test]
    fn the_process_declines_transparent_huge_pages() {
        let thp = || {
            std::fs::read_to_string("/proc/self/status")
                .unwrap_or_default()
                .lines()
                .find_map(|l| l.strip_prefix("THP_enabled:").map(|v| v.trim().to_string()))
        };
        if thp().is_none() {
            return; // a kernel older than 5.0 does not say
        }
        super::no_transparent_huge_pages();
        assert_eq!(thp().as_deref(), Some("0"));
    }
}
