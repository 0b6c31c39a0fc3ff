//! The rules of `oaskit check` itself, and the warnings of the generators.

use super::{Category, Command, Family, RuleDirection};

pub const FAMILY: Family = Family {
    name: "check",
    title: "The gate",
    command: Command::Check,
    category: Category::Gate,
    direction: RuleDirection::None,
    doc: include_str!("docs/check.md"),
};

rules! {
    FAMILY;
    CHECK_NO_BASE: "check-no-base", Info, "a spec does not exist at its base revision yet: not diffed";
    GENERATED_CODE_STALE: "generated-code-stale", Error, "a generated file is missing, differs, or is no longer generated";
    CHECK_GENERATE_SKIPPED: "check-generate-skipped", Error, "the spec has structural errors, so generated code was not regenerated and compared (`--allow-invalid` does anyway)";
}

pub mod generate {
    use super::*;

    pub const FAMILY: Family = Family {
        name: "generate",
        title: "Generators",
        command: Command::Generate,
        category: Category::Sdk,
        direction: RuleDirection::None,
        doc: include_str!("docs/generate.md"),
    };

    rules! {
        FAMILY;
        TS_CLIENT_APPROXIMATION: "ts-client-approximation", Warning, "a construct TypeScript cannot express (`not`, `if`/`then`/`else`, circular `allOf`) was approximated";
        TS_CLIENT_PACKAGE: "ts-client-package", Warning, "the npm package's version is 0.0.0: `info.version` is not a semantic version, a date (which becomes `YYYY.M.D`) or `v2`-like (which becomes `2.0.0`); `--package-version` chooses one";
        CODEGEN_APPROXIMATION: "codegen-approximation", Warning, "something the Rust server cannot serve as declared (a path parameter with a suffix, `QUERY`, a schema containing itself only through arrays)";
    }
}
