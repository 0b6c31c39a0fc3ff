//! Generates the petstore server into OUT_DIR at build time. A change to the spec (or any file
//! it references) re-runs this script; a spec that does not validate fails the build with the
//! findings, file, line and column.

use std::path::PathBuf;

fn main() {
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").unwrap_or_default());
    oaskit::Generate::rust_server("../../specs/petstore.yaml")
        .module_file(out_dir.join("petstore.rs"))
        .run_or_exit();
}
