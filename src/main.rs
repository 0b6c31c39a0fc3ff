//! The `oaskit` binary: parse the command line, run the command, exit with its code.

mod cli;

/// oaskit builds and drops millions of small values (the model, views, generated text): glibc's
/// allocator spent a third of `generate rust-server` on Microsoft Graph in malloc/free.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(cli::run());
}
