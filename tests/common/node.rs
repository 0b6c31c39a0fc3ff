//! TypeScript projects the tests compile and run with Node.js, on the repository's
//! `node_modules` (installed with `npm ci` from the committed lockfile when missing).

use std::path::Path;
use std::process::Command;
use std::sync::OnceLock;

use super::repo_path;

/// The path of tsc, after `npm ci` if TypeScript is not installed yet (once per test binary).
pub fn tsc() -> &'static str {
    static TSC: OnceLock<String> = OnceLock::new();
    TSC.get_or_init(|| {
        let tsc = repo_path("node_modules/typescript/bin/tsc");
        if !tsc.is_file() {
            let out = Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund", "--loglevel=error"])
                .current_dir(repo_path(""))
                .output()
                .unwrap_or_else(|e| panic!("cannot run npm (is Node.js 20+ installed?): {e}"));
            assert!(
                out.status.success(),
                "npm ci failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        assert!(tsc.is_file(), "npm ci did not install TypeScript");
        tsc.display().to_string()
    })
}

/// Makes `dir` a strict ESM TypeScript project on the repository's node_modules; `rest` ends
/// `compilerOptions` and says what to compile.
pub fn node_project(dir: &Path, rest: &str) {
    tsc();
    std::fs::create_dir_all(dir).unwrap_or_else(|e| panic!("{e}"));
    std::os::unix::fs::symlink(repo_path("node_modules"), dir.join("node_modules"))
        .unwrap_or_else(|e| panic!("{e}"));
    std::fs::write(
        dir.join("package.json"),
        "{\"type\": \"module\", \"private\": true}\n",
    )
    .unwrap_or_else(|e| panic!("{e}"));
    let tsconfig = format!(
        r#"{{
  "compilerOptions": {{
    "target": "ES2022",
    "module": "NodeNext",
    "moduleResolution": "NodeNext",
    "lib": ["ES2022", "DOM"],
    "types": ["node"],
    "strict": true,
    "skipLibCheck": true,
    {rest}
}}
"#
    );
    std::fs::write(dir.join("tsconfig.json"), tsconfig).unwrap_or_else(|e| panic!("{e}"));
}

/// The `rest` of a project that compiles `include` into `dist/`.
pub fn emit_into_dist(include: &[&str]) -> String {
    let include = serde_json::to_string(include).unwrap_or_else(|e| panic!("{e}"));
    format!("\"rootDir\": \".\",\n    \"outDir\": \"dist\"\n  }},\n  \"include\": {include}")
}
