//! The Rust server generator: contract → type IR ([`models`]) and server view model
//! ([`server`]) → handlebars templates → Rust parsed with `syn` and printed with `prettyplease`
//! (so a template bug fails generation, not the user's build) → a crate in a [`FileSet`].

mod checks;
mod defaults;
mod models;
mod naming;
mod request_schemas;
mod server;
mod statements;

use serde::Serialize;

use super::{
    CodegenError, FileSet, GENERATED_MARKER, GenerateOptions, Generated, RuntimeSource, Templates,
};
use crate::model::{Contract, InstanceType, SchemaId};
use models::{Def, DefKind, Dispatch, Field, Ty, Types, Variant, View};
use naming::{doc_attrs, string_literal, unraw};

/// Whether the generated server asserts a string `format` (`uuid`, `date-time`, ...): every
/// other format is an annotation. The diff judges format changes by the same list.
pub(crate) fn asserts_string_format(format: &str) -> bool {
    checks::string_format(format).is_some()
}

/// The embedded templates, each overridable by a file of the same name in `--templates DIR`.
const TEMPLATES: &[(&str, &str)] = &[
    (
        "Cargo.toml.hbs",
        include_str!("../../../templates/rust-server/Cargo.toml.hbs"),
    ),
    (
        "lib.rs.hbs",
        include_str!("../../../templates/rust-server/lib.rs.hbs"),
    ),
    (
        "models.rs.hbs",
        include_str!("../../../templates/rust-server/models.rs.hbs"),
    ),
    (
        "server.rs.hbs",
        include_str!("../../../templates/rust-server/server.rs.hbs"),
    ),
];

/// The modules of the runtime crate (`oaskit-runtime`, whose manifest is `runtime/Cargo.toml`),
/// copied into a generated crate as `src/runtime/` unless it depends on the crate by version
/// ([`RuntimeSource`]). Their home is `runtime/` next to this file, so that they are part of the
/// `oaskit` package: `cargo package` leaves out a directory holding another package.
const RUNTIME_MODULES: &[(&str, &str)] = &[
    ("mod.rs", include_str!("runtime/lib.rs")),
    ("body.rs", include_str!("runtime/body.rs")),
    ("body_stream.rs", include_str!("runtime/body_stream.rs")),
    ("connection.rs", include_str!("runtime/connection.rs")),
    ("context.rs", include_str!("runtime/context.rs")),
    ("format.rs", include_str!("runtime/format.rs")),
    ("media.rs", include_str!("runtime/media.rs")),
    ("multipart.rs", include_str!("runtime/multipart.rs")),
    ("params.rs", include_str!("runtime/params.rs")),
    ("pattern.rs", include_str!("runtime/pattern.rs")),
    ("problem.rs", include_str!("runtime/problem.rs")),
    ("response.rs", include_str!("runtime/response.rs")),
    ("schema.rs", include_str!("runtime/schema.rs")),
    ("security.rs", include_str!("runtime/security.rs")),
    ("serve.rs", include_str!("runtime/serve.rs")),
    ("stream.rs", include_str!("runtime/stream.rs")),
    ("validate.rs", include_str!("runtime/validate.rs")),
];

/// The version of `oaskit-runtime` a generated crate depends on with [`RuntimeSource::Crate`].
pub const RUNTIME_VERSION: &str = env!("CARGO_PKG_VERSION");

/// A runtime module as vendored: the header line first, its unit tests left out (they test the
/// crate, where they run), and in `mod.rs` the re-exports of what only generated code calls made
/// `pub(crate)` ([`crate_private_exports`]).
fn vendored_module(name: &str, header: &str, source: &str) -> String {
    let code = match source.find("\n#[cfg(test)]\nmod tests {") {
        Some(tests) => source[..tests].trim_end(),
        None => source.trim_end(),
    };
    if name == "mod.rs" {
        format!("// {header}\n{}\n", crate_private_exports(code))
    } else {
        format!("// {header}\n{code}\n")
    }
}

/// The line of the runtime's `lib.rs` after which its re-exports are what generated code calls
/// (parsing, validation, response writing, the router's layers), not what an implementer uses.
const CRATE_PRIVATE_MARKER: &str = "// oaskit: crate-private below.";

/// The runtime's `lib.rs` with every `pub use` after [`CRATE_PRIVATE_MARKER`] made
/// `pub(crate) use`: public in the `oaskit-runtime` crate, which generated crates call from
/// outside, and not part of the API of a crate that vendors it.
fn crate_private_exports(lib: &str) -> String {
    match lib.split_once(CRATE_PRIVATE_MARKER) {
        Some((public, internal)) => format!(
            "{public}{CRATE_PRIVATE_MARKER}{}",
            internal.replace("\npub use ", "\npub(crate) use ")
        ),
        None => lib.to_string(),
    }
}

/// The Rust type the server generator gives a JSON value of one scalar type and `format`
/// (`integer` + `uint32` → `u32`, `number` + `float` → `f64`, a binary string → `String`), or
/// `None` for arrays and objects, whose types are named after their schema. The diff's help
/// (`rules::impact`) prints these, so it names exactly what regeneration changes.
pub fn scalar_type_name(ty: crate::model::InstanceType, format: Option<&str>) -> Option<String> {
    models::scalar_ty(ty, format).map(|t| t.render(&[], ""))
}

/// The names the server generator gives an operation (before renaming on a collision with
/// another operation's): used by the diff's help to name what regeneration changes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OperationNames {
    /// The `Api` trait method (`list_pets`).
    pub method: String,
    /// The struct of its parsed input (`ListPetsRequest`).
    pub request: String,
    /// The enum of its declared responses (`ListPetsResponse`).
    pub response: String,
}

/// The names of an operation called `name` (the model's operation name).
pub fn operation_names(name: &str) -> OperationNames {
    let base = naming::stem(&naming::pascal_ident(name, "Op")).to_string();
    OperationNames {
        method: naming::snake_ident(name),
        request: format!("{base}Request"),
        response: format!("{base}Response"),
    }
}

/// The variant of a response enum for a status (`Created`, `NotFound`, `Status4xx`).
pub fn status_variant_name(status: crate::model::StatusCode) -> String {
    server::status_variant(status)
}

/// The type the server generator gives the component schema `name` (before renaming on a
/// collision).
pub fn component_type_name(name: &str) -> String {
    naming::pascal_ident(name, "T")
}

/// The field of a struct for a property or parameter called `name` (`created_at`, `r#type`).
pub fn field_name(name: &str) -> String {
    naming::snake_ident(name)
}

/// Generates the server crate for a contract.
pub fn generate(contract: &Contract, options: &GenerateOptions) -> Result<Generated, CodegenError> {
    let templates = Templates::new(TEMPLATES, options.templates_dir.as_deref())?;
    let mut types = Types::new(contract);
    let wire = crate::model::wire::WireContract::describe(contract, &options.wire());
    let (server, server_findings, has_multipart) = server::ServerBuilder::new(contract, &mut types)
        .default_not_implemented(options.rust_server.default_not_implemented)
        .build(&wire);
    drop(wire);
    types.add_components();
    types.box_recursion();
    types.compute_validation();
    let items = model_items(&types);

    let header = header_text(options);
    let has_patterns = !types.patterns.borrow().is_empty();
    let request_schema_roots = std::mem::take(&mut *types.request_schemas.borrow_mut());
    let patterns: Vec<PatternView> = types
        .patterns
        .borrow()
        .values()
        .map(|p| PatternView {
            name: p.name.clone(),
            source: string_literal(&p.source),
            flags: string_literal(p.flags),
        })
        .collect();

    let title = contract.info.title.trim();
    let mut lib_docs = format!(
        "{} {}: a typed axum server generated from the spec.",
        title, contract.info.version
    );
    if let Some(description) = &contract.info.description {
        lib_docs.push_str("\n\n");
        lib_docs.push_str(description);
    }
    let root_exports = root_exports(&items, server.security.is_some());
    let models_use_btree_map = uses_map(&types);
    let models_define_types = items.iter().any(|item| !item.is_alias);
    let common = CommonView {
        header: header.clone(),
        crate_name: match &options.rust_server.crate_name {
            Some(name) => {
                check_crate_name(name).map_err(|why| {
                    CodegenError::Unsupported(format!("crate name `{name}` {why}"))
                })?;
                name.clone()
            }
            None => crate_name(title),
        },
        lib_doc_attrs: doc_attrs(&lib_docs)
            .into_iter()
            .map(|a| a.replacen("#[", "#![", 1))
            .collect(),
        has_multipart,
        has_patterns,
        has_request_schemas: !request_schema_roots.is_empty(),
        models_use_btree_map,
        models_define_types,
        models_use_runtime: models_define_types || has_patterns,
        runtime_crate: (options.runtime == RuntimeSource::Crate).then_some(RUNTIME_VERSION),
        has_security: server.security.is_some(),
        root_exports,
    };
    // Each template gets the common fields and only the part of the view it prints: handlebars
    // copies its whole context into JSON on every render.
    let common_view = TemplateView {
        common: &common,
        patterns: None,
        items: None,
        server: None,
    };

    let mut files = FileSet::new();
    if options.runtime == RuntimeSource::Vendored {
        for (name, source) in RUNTIME_MODULES {
            files.insert(
                format!("src/runtime/{name}"),
                vendored_module(name, &header, source),
            );
        }
    }
    files.insert(
        "Cargo.toml",
        templates.render("Cargo.toml.hbs", &common_view)?,
    );
    // What is left of the type IR is its findings: the models' view holds what models.rs prints.
    let mut findings = std::mem::take(&mut *types.findings.borrow_mut());
    findings.extend(server_findings);
    drop(types);
    // The banner is a plain comment, not the first line of the module's docs; it goes in after
    // formatting, which keeps doc comments only.
    let banner = format!("// {header}\n");
    // server.rs is the largest file by far (113 MB on Microsoft Graph): it is rendered on a
    // thread of its own while request_schemas.rs, lib.rs and models.rs are rendered and formatted
    // here (rendering models.rs before the server was 0.5 s on one core of Microsoft Graph's
    // run), and its chunks are formatted as they are rendered (waiting for the whole file left a
    // core idle for 0.4 s, and held its 113 MB of source at once). The server's view is dropped
    // once converted for handlebars, which renders from the converted copy: the two were held
    // together through the rendering, the peak of the run.
    let (templates, common) = (&templates, &common);
    let (early, request_schemas, rendered) = std::thread::scope(|scope| {
        let (chunks, server_chunks) = std::sync::mpsc::channel();
        let rendered = scope.spawn(move || {
            const NAME: &str = "server.rs.hbs";
            let view = TemplateView {
                common,
                patterns: None,
                items: None,
                server: Some(&server),
            };
            let context = Templates::context(NAME, &view);
            drop(server);
            let mut sink = ChunkSink::new(chunks);
            templates.render_context_to(NAME, &context?, &mut sink)?;
            sink.finish();
            Ok::<(), CodegenError>(())
        });
        let models_view = TemplateView {
            common,
            patterns: Some(&patterns),
            items: Some(&items),
            server: None,
        };
        let early = render_early(templates, &common_view, &models_view);
        drop((items, patterns));
        let request_schemas =
            request_schemas::request_schema_module(contract, &request_schema_roots, &header);
        let early =
            early.map(|early| format_all(early, Some(("src/server.rs", server_chunks)), &banner));
        let rendered = rendered
            .join()
            .unwrap_or_else(|panic| std::panic::resume_unwind(panic));
        (early, request_schemas, rendered)
    });
    if let Some(document) = request_schemas {
        files.insert(request_schemas::MODULE_PATH, document);
    }
    let early = early?;
    rendered?;
    for (path, formatted) in early {
        files.insert(path, formatted?);
    }
    Ok(Generated { files, findings })
}

/// A file as it is rendered, sent on in chunks of whole top-level items ([`item_chunks`]) of
/// about a megabyte, so that they are formatted while the rest is rendered.
struct ChunkSink {
    chunks: std::sync::mpsc::Sender<String>,
    pending: Vec<u8>,
    /// How long `pending` must be before it is cut again: one item can be many megabytes (the
    /// `Api` trait), and it is not scanned again for every piece written.
    next_cut: usize,
}

impl ChunkSink {
    fn new(chunks: std::sync::mpsc::Sender<String>) -> ChunkSink {
        ChunkSink {
            chunks,
            pending: Vec::new(),
            next_cut: 2 * CHUNK_BYTES,
        }
    }

    /// Sends every chunk the complete lines pending make but the last, which may go on.
    fn send_complete(&mut self) -> std::io::Result<()> {
        let Some(lines) = self.pending.iter().rposition(|b| *b == b'\n') else {
            return Ok(());
        };
        let text = std::str::from_utf8(&self.pending[..=lines])
            .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e))?;
        let chunks = item_chunks(text);
        let Some((last, complete)) = chunks.split_last() else {
            return Ok(());
        };
        if complete.is_empty() {
            return Ok(());
        }
        for chunk in complete {
            self.chunks
                .send((*chunk).to_string())
                .map_err(|_| std::io::Error::from(std::io::ErrorKind::BrokenPipe))?;
        }
        let sent = last.as_ptr() as usize - text.as_ptr() as usize;
        self.pending.drain(..sent);
        Ok(())
    }

    /// Sends what is left.
    fn finish(mut self) {
        if !self.pending.is_empty() {
            let rest = String::from_utf8(std::mem::take(&mut self.pending))
                .unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned());
            let _ = self.chunks.send(rest);
        }
    }
}

impl std::io::Write for ChunkSink {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.pending.extend_from_slice(bytes);
        if self.pending.len() >= self.next_cut {
            self.send_complete()?;
            self.next_cut = self.pending.len() + CHUNK_BYTES;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

/// lib.rs and models.rs, rendered.
fn render_early(
    templates: &Templates,
    common_view: &TemplateView<'_>,
    models_view: &TemplateView<'_>,
) -> Result<Vec<(&'static str, String)>, CodegenError> {
    Ok(vec![
        ("src/lib.rs", templates.render("lib.rs.hbs", common_view)?),
        (
            "src/models.rs",
            templates.render("models.rs.hbs", models_view)?,
        ),
    ])
}

/// The first line of every generated file.
fn header_text(options: &GenerateOptions) -> String {
    let spec: String = options
        .spec_name
        .chars()
        .filter(|c| !c.is_control())
        .collect();
    let from = if spec.is_empty() {
        String::new()
    } else {
        format!(" from {spec}")
    };
    format!("Code {GENERATED_MARKER}{from}: do not edit, regenerate.")
}

/// A crate name from the API's title: `Swagger Petstore` → `swagger-petstore-server`.
fn crate_name(title: &str) -> String {
    let words: Vec<String> = title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_ascii_lowercase)
        .collect();
    let base = words.join("-");
    let base = if base.starts_with(|c: char| c.is_ascii_alphabetic()) {
        base
    } else {
        format!("api-{base}")
    };
    format!("{}-server", base.trim_end_matches('-'))
}

/// Cargo's rules for a package name, and those of crates.io: ASCII letters, digits, `-` and `_`,
/// starting with a letter, at most 64 characters; not a keyword nor a crate of the standard
/// library (the library is used as `name::…` with `-` read as `_`).
fn check_crate_name(name: &str) -> Result<(), &'static str> {
    if name.is_empty() || name.len() > 64 {
        return Err("must have 1 to 64 characters");
    }
    if !name.starts_with(|c: char| c.is_ascii_alphabetic())
        || !name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
    {
        return Err("must be ASCII letters, digits, `-` and `_`, starting with a letter");
    }
    let library = name.replace('-', "_");
    if naming::is_keyword(&library) {
        return Err("is a Rust keyword");
    }
    if ["std", "core", "alloc", "proc_macro", "test"].contains(&library.as_str()) {
        return Err("is the name of a crate of Rust's standard library");
    }
    Ok(())
}

/// Formats the Rust files, each written after `prefix`: each is cut into chunks of whole
/// top-level items ([`item_chunks`]), and the chunks of all files are parsed and printed by one
/// worker per core, each with a stack large enough for the deepest expression a spec can
/// produce. Memory then grows with the largest chunk instead of the largest file (Microsoft
/// Graph's server.rs is 113 MB). A file with a chunk that does not parse is formatted whole, so
/// its error (or a cut in the wrong place) is judged on the file as written. The workers also
/// put the blank lines between items of their chunks ([`Separated`]: on one thread, after the
/// workers, that was 0.3 s of Microsoft Graph's run); a file's chunks then go into its text one
/// by one, and its source is freed once it is printed: no second or third copy of a 90 MB file.
/// `streamed` is a file that arrives in chunks while it is rendered ([`ChunkSink`]): its chunks
/// are taken after those of `sources`, as they come, and it is the last file of the result.
fn format_all<'a>(
    mut sources: Vec<(&'a str, String)>,
    streamed: Option<(&'a str, std::sync::mpsc::Receiver<String>)>,
    prefix: &str,
) -> Vec<(&'a str, Result<String, CodegenError>)> {
    use std::sync::atomic::{AtomicUsize, Ordering};

    let chunks: Vec<(usize, std::ops::Range<usize>)> = sources
        .iter()
        .enumerate()
        .flat_map(|(file, (_, source))| {
            item_chunks(source).into_iter().map(move |c| {
                let start = c.as_ptr() as usize - source.as_ptr() as usize;
                (file, start..start + c.len())
            })
        })
        .collect();
    let next = AtomicUsize::new(0);
    let sources_ref = &sources;
    // The streamed file's path, and its receiver with the count of chunks taken from it.
    let streamed = streamed.map(|(path, receiver)| (path, std::sync::Mutex::new((receiver, 0))));
    // Each worker takes the next chunk until none is left, then the next chunk of the streamed
    // file until it ends, and returns the chunks it printed: those of `sources` by index, those
    // of the streamed file by position, with their source.
    type Printed = (
        Vec<(usize, Separated)>,
        Vec<(usize, String, Option<Separated>)>,
    );
    let work = || -> Printed {
        let mut printed = Vec::new();
        let mut statements = statements::StatementCache::default();
        loop {
            let i = next.fetch_add(1, Ordering::Relaxed);
            let Some((file, range)) = chunks.get(i) else {
                break;
            };
            let (path, source) = &sources_ref[*file];
            if let Ok(text) = statements.format(path, &source[range.clone()]) {
                printed.push((i, Separated::new(&text)));
            }
        }
        let Some((path, arriving)) = &streamed else {
            return (printed, Vec::new());
        };
        let mut chunks = Vec::new();
        loop {
            let (position, source) = {
                let Ok(mut arriving) = arriving.lock() else {
                    break;
                };
                let Ok(source) = arriving.0.recv() else {
                    break;
                };
                arriving.1 += 1;
                (arriving.1 - 1, source)
            };
            let text = statements.format(path, &source).ok();
            chunks.push((position, source, text.map(|t| Separated::new(&t))));
        }
        (printed, chunks)
    };
    let workers = std::thread::available_parallelism()
        .map_or(1, usize::from)
        .clamp(1, 8);
    let mut texts: Vec<Option<Separated>> = chunks.iter().map(|_| None).collect();
    let mut streamed_chunks = Vec::new();
    std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .filter_map(|_| {
                std::thread::Builder::new()
                    .stack_size(256 * 1024 * 1024)
                    .spawn_scoped(scope, work)
                    .ok()
            })
            .collect();
        // No thread to spare: format here.
        let printed = if handles.is_empty() {
            vec![work()]
        } else {
            // A worker that panicked leaves its chunks unprinted: their files are judged whole.
            handles.into_iter().filter_map(|h| h.join().ok()).collect()
        };
        for (printed, streamed) in printed {
            for (i, text) in printed {
                texts[i] = Some(text);
            }
            streamed_chunks.extend(streamed);
        }
    });
    // Each file's chunk texts, in order (the chunks of a file are consecutive).
    let mut texts = chunks.iter().map(|(file, _)| *file).zip(texts).peekable();
    let mut results = Vec::with_capacity(sources.len() + 1);
    for (file, (path, source)) in sources.iter_mut().enumerate() {
        let mut printed = Vec::new();
        while let Some((_, text)) = texts.next_if(|(f, _)| *f == file) {
            printed.push(text);
        }
        let printed: Option<Vec<Separated>> = printed.into_iter().collect();
        let result = match printed {
            Some(printed) => {
                *source = String::new();
                Ok(joined(prefix, printed))
            }
            None => format_whole(path, source, prefix),
        };
        results.push((*path, result));
    }
    if let Some((path, arriving)) = streamed {
        // A chunk a panicking worker took is missing: the file is judged whole, like one with a
        // chunk that does not parse (the rendering thread has ended: nothing more comes).
        let received = arriving.into_inner().map_or(0, |(_, received)| received);
        streamed_chunks.sort_by_key(|(position, _, _)| *position);
        let complete = streamed_chunks.len() == received;
        let printed: Option<Vec<Separated>> = streamed_chunks
            .iter_mut()
            .map(|(_, _, text)| text.take())
            .collect();
        let result = match printed.filter(|_| complete) {
            Some(printed) => Ok(joined(prefix, printed)),
            None => {
                let source: String = streamed_chunks.iter().map(|(_, s, _)| s.as_str()).collect();
                format_whole(path, &source, prefix)
            }
        };
        results.push((path, result));
    }
    results
}

/// A file formatted whole, written after `prefix`.
fn format_whole(path: &str, source: &str, prefix: &str) -> Result<String, CodegenError> {
    format_rust(path, source).map(|text| joined(prefix, vec![Separated::new(&text)]))
}

/// `prefix` and then the printed chunks of a file in one buffer, each chunk freed once copied:
/// the blank lines inside each chunk are in already ([`Separated`]), and the one that may go
/// between two chunks is put in here.
fn joined(prefix: &str, printed: Vec<Separated>) -> String {
    let length: usize = printed.iter().map(|p| p.text.len() + 1).sum();
    let mut out = String::with_capacity(prefix.len() + length);
    out.push_str(prefix);
    let mut previous: Option<Separator> = None;
    for chunk in printed {
        let Some(first) = chunk.text.lines().next() else {
            continue;
        };
        if previous.is_some_and(|before| before.blank_before(first)) {
            out.push('\n');
        }
        out.push_str(&chunk.text);
        previous = Some(chunk.end);
    }
    out
}

/// A printed chunk with blank lines between its items ([`Separator`]), as if it were the start
/// of its file, and what the separator remembers after its last line: enough to join chunks
/// separated on several threads into the text one separator over the whole file would make.
struct Separated {
    text: String,
    end: Separator,
}

impl Separated {
    fn new(code: &str) -> Separated {
        let mut text = String::with_capacity(code.len() + code.len() / 16);
        let mut end = Separator::default();
        end.push(&mut text, code);
        Separated { text, end }
    }
}

/// How large a chunk of items [`item_chunks`] makes, at least.
const CHUNK_BYTES: usize = 1 << 20;

/// The source cut into chunks of about a megabyte, each made of whole top-level items: a cut
/// goes before a line that starts an item at the left margin, right after a line at the left
/// margin that ends one (`}` or `;`; blank lines between them are fine). The generated code
/// puts items there; a cut anywhere else (inside a multi-line string, say) makes a chunk that
/// does not parse, and the file is then formatted whole.
fn item_chunks(source: &str) -> Vec<&str> {
    let mut chunks = Vec::new();
    let mut start = 0;
    let mut offset = 0;
    let mut after_item_end = false;
    for line in source.split_inclusive('\n') {
        if offset - start >= CHUNK_BYTES && after_item_end && starts_item(line) {
            chunks.push(&source[start..offset]);
            start = offset;
        }
        let text = line.trim_end();
        if text.is_empty() {
            offset += line.len();
            continue;
        }
        after_item_end = !line.starts_with(char::is_whitespace)
            && (text.ends_with('}') || text.ends_with(';'))
            && !text.starts_with("//");
        offset += line.len();
    }
    if start < source.len() || chunks.is_empty() {
        chunks.push(&source[start..]);
    }
    chunks
}

/// Parses generated Rust and prints it with prettyplease.
fn format_rust(path: &str, source: &str) -> Result<String, CodegenError> {
    let file = syn::parse_file(source).map_err(|e| CodegenError::InvalidRust {
        file: path.to_string(),
        message: e.to_string(),
    })?;
    Ok(prettyplease::unparse(&file))
}

/// Whether `models.rs` spells a map anywhere.
fn uses_map(types: &Types<'_>) -> bool {
    fn has_map(ty: &Ty) -> bool {
        match ty {
            Ty::Map(_) => true,
            Ty::Vec(t) | Ty::Option(t) | Ty::Boxed(t) => has_map(t),
            _ => false,
        }
    }
    types.aliases.iter().any(|a| has_map(&a.ty))
        || types.defs.iter().any(|d| match &d.kind {
            DefKind::Struct {
                fields, additional, ..
            } => additional.is_some() || fields.iter().any(|f| has_map(&f.ty)),
            DefKind::OneOf { variants, .. } => variants.iter().any(|v| has_map(&v.ty)),
            DefKind::Tuple { positions, rest } => {
                positions.iter().any(|p| has_map(&p.ty))
                    || rest.as_ref().is_some_and(|(ty, _)| has_map(ty))
            }
            DefKind::Pending | DefKind::StringEnum { .. } => false,
        })
}

/// Whether a line (without its indentation) starts an item: its doc, an attribute or the item.
fn starts_item(line: &str) -> bool {
    const STARTS: &[&str] = &[
        "///",
        "#[",
        "pub ",
        "pub(",
        "impl",
        "fn ",
        "async fn ",
        "struct ",
        "enum ",
        "type ",
        "static ",
        "const ",
        "mod ",
        "use ",
        "trait ",
    ];
    STARTS.iter().any(|s| line.starts_with(s))
}

/// Puts a blank line between items (prettyplease prints none), as a person would: between
/// top-level items and between the methods of a trait or impl, not inside groups of `use`s.
#[cfg(test)]
fn separate_items(code: &str) -> String {
    let mut out = String::with_capacity(code.len() + code.len() / 16);
    Separator::default().push(&mut out, code);
    out
}

/// What [`Separator::push`] remembers of the line before: printed code goes through it piece by
/// piece (each a run of whole lines), with the same result as if it were given all at once.
#[derive(Debug, Default, Clone, Copy)]
struct Separator {
    /// The previous line's indentation, and whether it ends an item, is a `use` and is an inner
    /// attribute; `None` before the first line.
    previous: Option<(usize, bool, bool, bool)>,
}

impl Separator {
    /// Whether a blank line goes before `line`, after the lines pushed so far.
    fn blank_before(&self, line: &str) -> bool {
        let Some((prev_indent, after_item, prev_use, prev_inner_attr)) = self.previous else {
            return false;
        };
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let item_start = starts_item(trimmed);
        let use_group = prev_use && trimmed.starts_with("use ");
        let after_inner_attrs = prev_inner_attr && !trimmed.starts_with("#![");
        (indent == prev_indent
            && (indent == 0 || indent == 4)
            && item_start
            && after_item
            && !use_group)
            || after_inner_attrs
    }

    /// Appends the lines of `code` to `out`, a blank line before each item that follows another
    /// at the left margin or one level in (between top-level items and between the methods of
    /// a trait or impl, not inside groups of `use`s), and after the crate's inner attributes.
    fn push(&mut self, out: &mut String, code: &str) {
        for line in code.lines() {
            if self.blank_before(line) {
                out.push('\n');
            }
            let trimmed = line.trim_start();
            let indent = line.len() - trimmed.len();
            out.push_str(line);
            out.push('\n');
            self.previous = Some((
                indent,
                (trimmed.ends_with('}') || trimmed.ends_with(';')) && !trimmed.starts_with("//"),
                trimmed.starts_with("use "),
                trimmed.starts_with("#!["),
            ));
        }
    }
}

/// What every template sees.
#[derive(Debug, Serialize)]
struct CommonView {
    header: String,
    crate_name: String,
    lib_doc_attrs: Vec<String>,
    /// What the crate root re-exports (`runtime::serve`, `server::Api`, ...), as `module::Name`.
    root_exports: Vec<RootExportView>,
    has_multipart: bool,
    has_patterns: bool,
    /// Whether the crate has `src/request_schemas.rs` (JSON request bodies with schemas).
    has_request_schemas: bool,
    /// The version of `oaskit-runtime` depended on, or `None` when the runtime is vendored.
    runtime_crate: Option<&'static str>,
    /// Whether `models.rs` spells a map (and imports `BTreeMap`).
    models_use_btree_map: bool,
    /// Whether `models.rs` defines a struct or an enum (and imports serde's derives).
    models_define_types: bool,
    /// Whether `models.rs` names the runtime (validation or patterns).
    models_use_runtime: bool,
    /// Whether an operation requires credentials (`server::OPERATION_SECURITY` exists).
    has_security: bool,
}

/// The context of one template: the common fields, plus `patterns` and `items` for
/// `models.rs.hbs`, `server` for `server.rs.hbs`.
#[derive(Debug, Serialize)]
struct TemplateView<'a> {
    #[serde(flatten)]
    common: &'a CommonView,
    #[serde(skip_serializing_if = "Option::is_none")]
    patterns: Option<&'a [PatternView]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    items: Option<&'a [ItemView]>,
    #[serde(skip_serializing_if = "Option::is_none")]
    server: Option<&'a server::ServerView>,
}

#[derive(Debug, Serialize)]
struct PatternView {
    name: String,
    source: String,
    flags: String,
}

/// One item of `models.rs`.
#[derive(Debug, Serialize, Default)]
struct ItemView {
    doc_attrs: Vec<String>,
    name: String,
    is_struct: bool,
    is_enum: bool,
    is_tagged: bool,
    /// An enum of a `type` array: deserialized by the value's JSON type.
    is_by_type: bool,
    /// A tuple struct of `prefixItems`, (de)serialized as an array.
    is_tuple: bool,
    /// A tuple's `visit_seq` statements, reading `item0`, `item1`, ... and `rest`.
    tuple_reads: Vec<String>,
    /// A tuple's fields as the visitor built them: `item0, item1, rest`.
    tuple_build: String,
    /// A tuple's `serialize` statements over `seq`.
    tuple_writes: String,
    is_alias: bool,
    /// `#[derive]` and `#[serde]` attributes of the item.
    attrs: Vec<String>,
    fields: Vec<MemberView>,
    variants: Vec<MemberView>,
    /// For an alias: the aliased type.
    ty: String,
    tag: String,
    expected: String,
    arms: Vec<ArmView>,
    validate: bool,
    validate_params: String,
    validate_lines: Vec<String>,
    /// A struct's `default_field()` function for each field with a default (serde's
    /// `default = "..."` names a function).
    default_fns: Vec<DefaultFnView>,
    /// A struct's `new`: its required fields as arguments, the others absent or at their
    /// defaults, so that a field the spec adds does not break the implementer's code.
    new_args: Vec<ArgView>,
    /// `field` or `field: value` for each field, in order.
    new_inits: Vec<String>,
    /// `new` has more arguments than clippy's `too_many_arguments` allows.
    new_many_args: bool,
    /// No field is required: the struct is `Default` (`new()`).
    is_default: bool,
}

#[derive(Debug, Serialize)]
struct DefaultFnView {
    name: String,
    ty: String,
    expr: String,
}

#[derive(Debug, Serialize)]
struct ArgView {
    ident: String,
    ty: String,
}

/// A field or a variant.
#[derive(Debug, Serialize)]
struct MemberView {
    doc_attrs: Vec<String>,
    attrs: Vec<String>,
    /// `pub name: Type` for a field, `Name(Type)` / `Name` for a variant.
    decl: String,
}

#[derive(Debug, Serialize)]
struct ArmView {
    tag: String,
    ty: String,
    wrap: String,
}

impl ArmView {
    /// The arm taking `tag` to `variant`: the type it deserializes and how it wraps the value
    /// (boxed variants through `Box::new`).
    fn new(tag: String, variant: &Variant, defs: &[Def]) -> ArmView {
        let (ty, wrap) = match &variant.ty {
            Ty::Boxed(inner) => (
                inner.render(defs, ""),
                format!("|v| Self::{}(Box::new(v))", variant.ident),
            ),
            other => (other.render(defs, ""), format!("Self::{}", variant.ident)),
        };
        ArmView { tag, ty, wrap }
    }
}

/// Enums of schemas are values moved a few times per request: boxing their large variants would
/// only make them harder to build.
const LARGE_VARIANTS: &str = "#[allow(clippy::large_enum_variant)]";

const DERIVES: &str = "#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]";

/// The items the crate root re-exports for implementers (`runtime::serve`, `server::Api`, ...),
/// less those a model of the spec is named like: a spec's own `Problem` schema and
/// `runtime::Problem` would make `Problem` ambiguous to code that glob-imports the crate root and
/// its `models` (error E0659 at each use). The runtime's item stays reachable at `runtime::Problem`.
fn root_exports(items: &[ItemView], has_security: bool) -> Vec<RootExportView> {
    let runtime = [
        "serve",
        "shutdown_signal",
        "AuthError",
        "Problem",
        "RequestContext",
        "ServerConfig",
    ];
    let mut server = vec!["router", "router_with_config", "Api"];
    if has_security {
        server.push("OPERATION_SECURITY");
    }
    let free = |name: &&str| !items.iter().any(|item| item.name == *name);
    [("runtime", runtime.to_vec()), ("server", server)]
        .into_iter()
        .map(|(module, names)| RootExportView {
            module,
            names: names.into_iter().filter(free).collect(),
        })
        .filter(|export| !export.names.is_empty())
        .collect()
}

/// `pub use module::{names};` in the crate root.
#[derive(Debug, Serialize)]
struct RootExportView {
    module: &'static str,
    names: Vec<&'static str>,
}

/// A field's identifier without `r#` and leading underscores, never starting with a digit: the
/// stem of the names made from it (`_1` → `field_1`, `_links` → `links`, `r#type` → `type`), so
/// that they have no `__` (rustc's `non_snake_case`) and no only-digits name.
fn snake_stem(ident: &str) -> String {
    let stem = unraw(ident).trim_start_matches('_');
    if stem.is_empty() || stem.starts_with(|c: char| c.is_ascii_digit()) {
        format!("field_{stem}").trim_end_matches('_').to_string()
    } else {
        stem.to_string()
    }
}

/// The parameter of `new` for a required field: the field's identifier, unless it is only
/// underscores and digits (`_1`, which clippy's `just_underscores_and_digits` refuses as a
/// binding); then its stem, made unique by `arguments` (which holds the struct's field names).
fn argument_name(ident: &str, arguments: &mut naming::Namer) -> String {
    if ident.chars().all(|c| c == '_' || c.is_ascii_digit()) {
        arguments.fresh(&snake_stem(ident))
    } else {
        ident.to_string()
    }
}

fn model_items(types: &Types<'_>) -> Vec<ItemView> {
    let mut items = Vec::new();
    for alias in types.aliases.clone() {
        items.push(ItemView {
            doc_attrs: doc_attrs(alias.doc.as_deref().unwrap_or("")),
            name: alias.name.clone(),
            is_alias: true,
            ty: alias.ty.render(&types.defs, ""),
            ..ItemView::default()
        });
    }
    for (index, def) in types.defs.iter().enumerate() {
        items.push(def_item(types, index, def));
    }
    items
}

fn def_item(types: &Types<'_>, index: usize, def: &Def) -> ItemView {
    let defs = &types.defs;
    let mut doc = def.doc.clone().unwrap_or_default();
    let view_note = match def.view {
        View::Request => Some("The request view: readOnly properties are left out."),
        View::Response => Some("The response view: writeOnly properties are left out."),
        View::Neutral => None,
    };
    if let Some(note) = view_note {
        doc = if doc.is_empty() {
            note.to_string()
        } else {
            format!("{doc}\n\n{note}")
        };
    }
    let mut item = ItemView {
        doc_attrs: doc_attrs(&doc),
        name: def.name.clone(),
        validate: true,
        ..ItemView::default()
    };
    match &def.kind {
        DefKind::Pending => {}
        DefKind::Struct {
            fields,
            additional,
            deny_unknown,
            patterned,
        } => {
            item.is_struct = true;
            item.attrs.push(DERIVES.to_string());
            // The derives become inherent functions, wrapped by the template's trait impls:
            // deserialization goes through `runtime::ObjectsOnly`, which refuses arrays.
            item.attrs.push("#[serde(remote = \"Self\")]".to_string());
            if *deny_unknown {
                item.attrs.push("#[serde(deny_unknown_fields)]".to_string());
            }
            let mut arguments = naming::Namer::snake();
            arguments.reserve(fields.iter().map(|f| unraw(&f.ident)));
            let mut default_names = naming::Namer::snake();
            for field in fields {
                let ty = field.declared().render(defs, "");
                let default_fn = field.default.as_ref().map(|expr| {
                    let name =
                        default_names.fresh(&format!("default_{}", snake_stem(&field.ident)));
                    item.default_fns.push(DefaultFnView {
                        name: name.clone(),
                        ty: ty.clone(),
                        expr: expr.clone(),
                    });
                    name
                });
                item.new_inits.push(match (&default_fn, field.required) {
                    (_, true) => {
                        let arg = argument_name(&field.ident, &mut arguments);
                        let init = if arg == field.ident {
                            arg.clone()
                        } else {
                            format!("{}: {arg}", field.ident)
                        };
                        item.new_args.push(ArgView { ident: arg, ty });
                        init
                    }
                    (Some(name), false) => format!("{}: Self::{name}()", field.ident),
                    (None, false) => format!("{}: None", field.ident),
                });
                let default_fn = default_fn.map(|name| format!("{}::{name}", def.name));
                item.fields
                    .push(field_member(field, defs, default_fn.as_deref()));
                let checks = types.checks(field.schema, &field.declared());
                if !checks.is_empty() {
                    item.validate_lines.push(format!(
                        "{{ let at = &at.child({}); let value = &self.{}; {} }}",
                        string_literal(&field.wire),
                        field.ident,
                        checks.join(" ")
                    ));
                }
            }
            if let Some((ident, ty, schema)) = additional {
                item.new_inits.push(format!("{ident}: BTreeMap::new()"));
                item.fields.push(MemberView {
                    doc_attrs: doc_attrs("The properties not declared by the schema."),
                    attrs: vec!["#[serde(flatten)]".to_string()],
                    decl: format!("pub {ident}: BTreeMap<String, {}>", ty.render(defs, "")),
                });
                if *patterned && let Some(check) = types.pattern_map_checks(def.schema, ty, 0) {
                    item.validate_lines
                        .push(format!("{{ let value = &self.{ident}; {check} }}"));
                }
                if let Some(schema) = schema {
                    let checks = types.checks(*schema, ty);
                    if !checks.is_empty() {
                        item.validate_lines.push(format!(
                            "for (key, value) in &self.{ident} {{ let at = &at.child(key); {} }}",
                            checks.join(" ")
                        ));
                    }
                }
            }
            item.is_default = item.new_args.is_empty();
            item.new_many_args = item.new_args.len() > 7;
        }
        DefKind::Tuple { positions, rest } => {
            tuple_item(&mut item, positions, rest.as_ref(), defs);
            item.validate_lines = types.tuple_checks(index);
        }
        DefKind::StringEnum { variants } => {
            item.is_enum = true;
            item.attrs.push(
                "#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]"
                    .to_string(),
            );
            for (ident, wire) in variants {
                let attrs = if unraw(ident) == wire {
                    Vec::new()
                } else {
                    vec![format!("#[serde(rename = {})]", string_literal(wire))]
                };
                item.variants.push(MemberView {
                    doc_attrs: Vec::new(),
                    attrs,
                    decl: ident.clone(),
                });
            }
        }
        DefKind::OneOf { dispatch, variants } => {
            let mut arms = Vec::new();
            for variant in variants {
                let ty = variant.ty.render(defs, "");
                let space = types.space();
                let s = space.get(space.resolve_alias(variant.schema).0);
                // The variants of a `type` array share the enum's schema (and its doc).
                let doc = match dispatch {
                    Dispatch::JsonType(_) => String::new(),
                    _ => s
                        .description
                        .clone()
                        .or_else(|| s.title.clone())
                        .unwrap_or_default(),
                };
                item.variants.push(MemberView {
                    doc_attrs: doc_attrs(&doc),
                    attrs: Vec::new(),
                    decl: format!("{}({ty})", variant.ident),
                });
                let checks = types.checks(variant.schema, &variant.ty);
                arms.push(if checks.is_empty() {
                    format!("Self::{}(_) => {{}}", variant.ident)
                } else {
                    format!(
                        "Self::{}(value) => {{ {} }}",
                        variant.ident,
                        checks.join(" ")
                    )
                });
            }
            match dispatch {
                Dispatch::Tag(tagging) => {
                    item.is_tagged = true;
                    item.attrs
                        .push("#[derive(Debug, Clone, PartialEq, Serialize)]".to_string());
                    item.attrs.push("#[serde(untagged)]".to_string());
                    item.attrs.push(LARGE_VARIANTS.to_string());
                    item.tag = string_literal(&tagging.property);
                    let expected: Vec<String> =
                        tagging.arms.iter().map(|(t, _)| format!("`{t}`")).collect();
                    item.expected = string_literal(&expected.join(", "));
                    for (value, index) in &tagging.arms {
                        item.arms.push(ArmView::new(
                            string_literal(value),
                            &variants[*index],
                            defs,
                        ));
                    }
                    item.doc_attrs.extend(doc_attrs(&format!(
                        "\nTagged by the `{}` property.",
                        tagging.property
                    )));
                }
                Dispatch::Untagged => {
                    item.is_enum = true;
                    item.attrs.push(DERIVES.to_string());
                    item.attrs.push("#[serde(untagged)]".to_string());
                    item.attrs.push(LARGE_VARIANTS.to_string());
                }
                Dispatch::JsonType(types) => {
                    item.is_by_type = true;
                    item.attrs
                        .push("#[derive(Debug, Clone, PartialEq, Serialize)]".to_string());
                    item.attrs.push("#[serde(untagged)]".to_string());
                    item.arms = json_type_arms(types, variants, defs);
                    let names: Vec<&str> = types.iter().map(|t| t.as_str()).collect();
                    let expected = match names.split_last() {
                        Some((last, rest)) if !rest.is_empty() => {
                            format!("{} or {last}", rest.join(", "))
                        }
                        _ => names.concat(),
                    };
                    item.expected = string_literal(&format!("invalid type: expected {expected}"));
                }
            }
            if arms.iter().any(|a| !a.ends_with("(_) => {}")) {
                item.validate_lines
                    .push(format!("match self {{ {} }}", arms.join(" ")));
            }
        }
    }
    item.validate_params = if item.validate_lines.is_empty() {
        "_at: &runtime::At, _errors: &mut runtime::Errors".to_string()
    } else {
        "at: &runtime::At, errors: &mut runtime::Errors".to_string()
    };
    item
}

/// The struct, serde and construction parts of a tuple struct's item.
fn tuple_item(
    item: &mut ItemView,
    positions: &[Field],
    rest: Option<&(Ty, Option<SchemaId>)>,
    defs: &[Def],
) {
    item.is_tuple = true;
    item.attrs
        .push("#[derive(Debug, Clone, PartialEq)]".to_string());
    let mut names = Vec::new();
    for p in positions {
        let declared = p.declared().render(defs, "");
        item.fields.push(MemberView {
            doc_attrs: doc_attrs(p.doc.as_deref().unwrap_or("")),
            attrs: Vec::new(),
            decl: format!("pub {declared}"),
        });
        let name = format!("item{}", p.ident);
        item.tuple_reads.push(if p.required {
            format!(
                "let {name}: {declared} = seq.next_element()?.ok_or_else(|| serde::de::Error::invalid_length({}, &self))?;",
                p.ident
            )
        } else {
            format!("let {name}: {declared} = seq.next_element()?;")
        });
        names.push(name);
    }
    let required = positions.iter().filter(|p| p.required).count();
    let count = positions.len();
    let items = |n: usize| {
        if n == 1 {
            "1 item".to_string()
        } else {
            format!("{n} items")
        }
    };
    let expected = match (rest, required) {
        (None, r) if r == count => format!("an array of {}", items(count)),
        (None, r) => format!("an array of {r} to {}", items(count)),
        (Some(_), 0) => "an array".to_string(),
        (Some(_), r) => format!("an array of at least {}", items(r)),
    };
    let mut writes = String::new();
    match rest {
        Some((ty, _)) => {
            item.fields.push(MemberView {
                doc_attrs: doc_attrs(&format!("The items after the first {}.", items(count))),
                attrs: Vec::new(),
                decl: format!("pub Vec<{}>", ty.render(defs, "")),
            });
            item.tuple_reads.push(
                "let mut rest = Vec::new(); while let Some(item) = seq.next_element()? { rest.push(item); }".to_string(),
            );
            names.push("rest".to_string());
            writes = format!("for item in &self.{count} {{ seq.serialize_element(item)?; }}");
        }
        None => item.tuple_reads.push(format!(
            "if seq.next_element::<serde::de::IgnoredAny>()?.is_some() {{ return Err(serde::de::Error::custom({})); }}",
            string_literal(&format!("too many items, expected {expected}"))
        )),
    }
    for p in positions.iter().rev() {
        writes = if p.required {
            format!("seq.serialize_element(&self.{})?; {writes}", p.ident)
        } else {
            format!(
                "if let Some(value) = &self.{} {{ seq.serialize_element(value)?; {writes} }}",
                p.ident
            )
        };
    }
    item.tuple_writes = writes;
    item.tuple_build = names.join(", ");
    item.expected = string_literal(&expected);
}

/// The arms of a `type` array's `Deserialize`, one per variant: the JSON value it takes (an
/// integer, exactly, for the integer variant; any other number for the number variant).
fn json_type_arms(types: &[InstanceType], variants: &[Variant], defs: &[Def]) -> Vec<ArmView> {
    let mut arms: Vec<(bool, ArmView)> = types
        .iter()
        .zip(variants)
        .map(|(t, variant)| {
            let pattern = match t {
                InstanceType::Boolean => "serde_json::Value::Bool(_)",
                InstanceType::String => "serde_json::Value::String(_)",
                InstanceType::Array => "serde_json::Value::Array(_)",
                InstanceType::Object => "serde_json::Value::Object(_)",
                InstanceType::Integer => {
                    "serde_json::Value::Number(_) if value.is_i64() || value.is_u64()"
                }
                InstanceType::Number => "serde_json::Value::Number(_)",
            };
            let arm = ArmView::new(pattern.to_string(), variant, defs);
            (*t != InstanceType::Integer, arm)
        })
        .collect();
    // The integer arm comes first (the sort is stable): it takes the integers, the number arm
    // the other numbers.
    arms.sort_by_key(|(later, _)| *later);
    arms.into_iter().map(|(_, arm)| arm).collect()
}

/// A struct field; `default_fn` names the function giving its default.
fn field_member(field: &Field, defs: &[Def], default_fn: Option<&str>) -> MemberView {
    let mut serde = Vec::new();
    if unraw(&field.ident) != field.wire {
        serde.push(format!("rename = {}", string_literal(&field.wire)));
    }
    if let (false, Some(path)) = (field.required, default_fn) {
        // Absent: the default; `null` (when nullable): `None`.
        serde.push(format!("default = {}", string_literal(path)));
    }
    match (field.required, field.nullable) {
        _ if default_fn.is_some() => {}
        (true, false) => {}
        (true, true) => serde.push("deserialize_with = \"Option::deserialize\"".to_string()),
        (false, false) => {
            serde.push("default".to_string());
            serde.push("skip_serializing_if = \"Option::is_none\"".to_string());
        }
        (false, true) => {
            serde.push("default".to_string());
            serde.push("deserialize_with = \"runtime::double_option\"".to_string());
            serde.push("skip_serializing_if = \"Option::is_none\"".to_string());
        }
    }
    let attrs = if serde.is_empty() {
        Vec::new()
    } else {
        vec![format!("#[serde({})]", serde.join(", "))]
    };
    let mut doc = field.doc.clone().unwrap_or_default();
    if !field.required && field.nullable && default_fn.is_none() {
        let note = "`None`: absent; `Some(None)`: null.";
        doc = if doc.is_empty() {
            note.to_string()
        } else {
            format!("{doc}\n\n{note}")
        };
    }
    MemberView {
        doc_attrs: doc_attrs(&doc),
        attrs,
        decl: format!("pub {}: {}", field.ident, field.declared().render(defs, "")),
    }
}

#[cfg(test)]
mod tests {
    use super::{check_crate_name, crate_name};

    /// Big files are formatted in chunks of whole items, byte for byte as a whole; a cut that
    /// falls inside a multi-line string makes a chunk that does not parse, and the file is
    /// formatted whole instead.
    #[test]
    fn chunked_formatting_equals_whole_file_formatting() {
        let mut source = String::from("#![allow(dead_code)]\n//! Docs.\nuse std::fmt;\n\n");
        for i in 0..12_000 {
            source.push_str(&format!(
                "#[doc = \" Item {i}.\"]\npub struct S{i} {{ pub a: u32, pub b: Option<String> }}\n\nimpl S{i} {{ pub fn get(&self) -> u32 {{ self.a + {i} }} }}\n"
            ));
        }
        let chunks = super::item_chunks(&source);
        assert!(chunks.len() > 1, "{} bytes in one chunk", source.len());
        assert_eq!(chunks.concat(), source);
        assert!(
            chunks[1..]
                .iter()
                .all(|c| c.starts_with("#[doc") || c.starts_with("impl"))
        );
        let whole = super::separate_items(&super::format_rust("x.rs", &source).unwrap());
        let sources = vec![("x.rs", source.clone())];
        let chunked = super::format_all(sources, None, "// x\n")
            .remove(0)
            .1
            .unwrap();
        assert_eq!(chunked, format!("// x\n{whole}"));

        // A string spanning lines that look like item boundaries.
        let mut tricky = source.clone();
        tricky.push_str("pub const TEXT: &str = r\"\n");
        for _ in 0..60_000 {
            tricky.push_str("};\npub fn f() {}\n");
        }
        tricky.push_str("\";\npub struct End;\n");
        assert!(super::item_chunks(&tricky).len() > chunks.len());
        let whole = super::separate_items(&super::format_rust("y.rs", &tricky).unwrap());
        let sources = vec![("y.rs", tricky)];
        assert_eq!(
            super::format_all(sources, None, "").remove(0).1.unwrap(),
            whole
        );
    }

    #[test]
    fn a_file_formatted_as_it_is_rendered_equals_the_file_formatted_whole() {
        use std::io::Write;
        let mut source = String::from("//! Docs.\npub trait Api {\n");
        for i in 0..40_000 {
            source.push_str(&format!("    fn op_{i}(&self) -> u32;\n"));
        }
        source.push_str("}\n");
        for i in 0..30_000 {
            source.push_str(&format!(
                "pub struct S{i} {{ pub a: u32 }}\n\nfn f{i}() -> u32 {{\n    let a = {i};\n    let b = 2;\n    a + b\n}}\n"
            ));
        }
        // Written in pieces, as handlebars writes: cut into whole items, the big trait one of them.
        let (sender, receiver) = std::sync::mpsc::channel();
        let mut sink = super::ChunkSink::new(sender);
        for piece in source.as_bytes().chunks(100) {
            sink.write_all(piece).unwrap();
        }
        sink.finish();
        let chunks: Vec<String> = receiver.iter().collect();
        assert!(chunks.len() > 2, "{} chunks", chunks.len());
        assert_eq!(chunks.concat(), source);

        let whole = super::separate_items(&super::format_rust("x.rs", &source).unwrap());
        let streamed = |chunks: &[String]| {
            let (sender, receiver) = std::sync::mpsc::channel();
            for chunk in chunks {
                sender.send(chunk.clone()).unwrap();
            }
            drop(sender);
            let early = vec![("a.rs", "pub struct A;\n".to_string())];
            let mut out = super::format_all(early, Some(("x.rs", receiver)), "// x\n");
            assert_eq!(out[0].1.as_deref().ok(), Some("// x\npub struct A;\n"));
            out.remove(1)
        };
        let (path, text) = streamed(&chunks);
        assert_eq!((path, text.unwrap()), ("x.rs", format!("// x\n{whole}")));
        // A chunk that does not parse: the file is judged whole.
        let mut broken = chunks.clone();
        broken[1].push_str("fn broken( {\n");
        let (_, error) = streamed(&broken);
        assert!(
            matches!(&error, Err(super::CodegenError::InvalidRust { file, .. }) if file == "x.rs"),
            "{error:?}"
        );
    }

    /// A vendored runtime exports publicly what implementers use, and nothing generated code
    /// alone calls.
    #[test]
    fn the_vendored_runtime_exports_only_what_implementers_use() {
        let lib = super::RUNTIME_MODULES
            .iter()
            .find(|(name, _)| *name == "mod.rs")
            .map(|(name, source)| super::vendored_module(name, "header", source))
            .unwrap_or_default();
        let (public, internal) = lib
            .split_once(super::CRATE_PRIVATE_MARKER)
            .unwrap_or_default();
        // The re-exports, not the module's docs.
        let public = &public[public.find("\npub use").unwrap_or(0)..];
        for name in [
            "RequestContext",
            "Problem",
            "ServerConfig",
            "serve_with_config",
            "AuthError",
            "VerifiedClient",
            "OperationSecurity",
            "json_response",
        ] {
            assert!(public.contains(name), "{name} is public");
        }
        assert!(!internal.contains("\npub use"), "{internal}");
        for name in [
            "json_body",
            "FormFields",
            "harden",
            "Validate",
            "Errors",
            "authorize",
        ] {
            assert!(
                internal.contains(name) && !public.contains(name),
                "{name} is internal"
            );
        }
        let exported = |text: &str| text.matches("pub use").count();
        assert!(exported(&lib) < exported(super::RUNTIME_MODULES[0].1));
    }

    #[test]
    fn crate_names() {
        assert_eq!(crate_name("Petstore"), "petstore-server");
        assert_eq!(
            crate_name("Swagger Petstore - OpenAPI 3.0"),
            "swagger-petstore-openapi-3-0-server"
        );
        assert_eq!(crate_name("3D API"), "api-3d-api-server");
        assert_eq!(crate_name(""), "api-server");
    }

    /// A spec's own `Problem` (or `ServerConfig`) model is not shadowed by a root re-export of
    /// the runtime's: `use crate_root::*; use crate_root::models::*;` then names one item.
    #[test]
    fn the_crate_root_does_not_reexport_what_a_model_is_named() {
        let lib = |schemas: &str| {
            let contract = crate::model::test_contract(&format!(
                "openapi: 3.1.0\ninfo: {{title: t, version: '1'}}\npaths: {{}}\ncomponents:\n  schemas:\n{schemas}"
            ));
            let generated =
                super::generate(&contract, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
            generated
                .files
                .get("src/lib.rs")
                .unwrap_or_default()
                .to_string()
        };
        let own = lib("    Problem: {type: object}\n    ServerConfig: {type: string}\n");
        assert!(!own.contains("Problem"), "{own}");
        assert!(!own.contains("ServerConfig"), "{own}");
        assert!(own.contains("pub use runtime::{"), "{own}");
        assert!(
            own.contains("serve,") && own.contains("server::{router"),
            "{own}"
        );
        let other = lib("    Pet: {type: object}\n");
        assert!(other.contains("Problem,"), "{other}");
        assert!(other.contains("ServerConfig"), "{other}");
    }

    /// Properties named `1` and `2` become fields `_1` and `_2`; `new` takes them as `field_1`
    /// and `field_2` (clippy's `just_underscores_and_digits` refused `_1` as a parameter:
    /// od-discourse failed the corpus lint), and the default functions of `_links` and `links`
    /// are `default_links` and `default_links_2` (no `__`, no clash).
    #[test]
    fn constructor_and_default_names_are_lint_clean() {
        let contract = crate::model::test_contract(
            "openapi: 3.1.0\ninfo: {title: t, version: '1'}\npaths: {}\ncomponents:\n  schemas:\n    Pair:\n      type: object\n      required: ['1', '2', field_1]\n      properties:\n        '1': {type: string}\n        '2': {type: string}\n        field_1: {type: string}\n        _links: {type: integer, default: 1}\n        links: {type: integer, default: 2}\n",
        );
        let generated =
            super::generate(&contract, &Default::default()).unwrap_or_else(|e| panic!("{e}"));
        let models = generated.files.get("src/models.rs").unwrap_or_default();
        assert!(
            models.contains("pub fn new(field_1_2: String, field_2: String, field_1: String)"),
            "{models}"
        );
        assert!(models.contains("_1: field_1_2,"), "{models}");
        assert!(models.contains("fn default_links() -> i64"), "{models}");
        assert!(models.contains("fn default_links_2() -> i64"), "{models}");
        assert!(!models.contains("default__"), "{models}");
    }

    #[test]
    fn crate_names_given_are_checked() {
        for good in ["pets", "pets-api", "Pets_2", "a"] {
            assert_eq!(check_crate_name(good), Ok(()), "{good}");
        }
        for bad in [
            "",
            "9pets",
            "-pets",
            "pets api",
            "pets.api",
            "pëts",
            "fn",
            "self",
            "std",
            "proc-macro",
        ] {
            assert!(check_crate_name(bad).is_err(), "{bad}");
        }
        assert!(check_crate_name(&"a".repeat(65)).is_err());
    }
}
