//! `oaskit config-schema`: prints the JSON Schema of `oaskit.toml` (committed as
//! `oaskit.schema.json`; point an editor at either).

use super::EXIT_OK;
use super::output::print_stdout;

pub fn run() -> i32 {
    print_stdout(&oaskit::check::config_schema::config_schema_text());
    EXIT_OK
}
