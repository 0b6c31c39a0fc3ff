//! Placeholder until the typescript generator lands (being written in this session).

use super::{CodegenError, GenerateOptions, Generated};
use crate::model::Contract;

pub fn generate(
    _contract: &Contract,
    _options: &GenerateOptions,
) -> Result<Generated, CodegenError> {
    Err(CodegenError::Unsupported(
        "this generator is not available yet".to_string(),
    ))
}
