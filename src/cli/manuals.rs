//! `oaskit completions SHELL` and `oaskit man`: generated from the clap definition itself, so
//! they can never list a flag the parser does not accept (or miss one it does).

use std::path::PathBuf;

use clap::Args;
use clap_complete::Shell;

use super::output::print_stdout;
use super::{EXIT_ERROR, EXIT_OK, VERSION, command_definition};

#[derive(Args, Debug)]
#[command(after_help = "Install, for example:
  bash:        oaskit completions bash > ~/.local/share/bash-completion/completions/oaskit
  zsh:         oaskit completions zsh > ~/.zfunc/_oaskit   (with fpath+=~/.zfunc before compinit)
  fish:        oaskit completions fish > ~/.config/fish/completions/oaskit.fish
  powershell:  oaskit completions powershell >> $PROFILE")]
pub struct CompletionsArgs {
    /// The shell to complete in.
    #[arg(value_enum)]
    pub shell: Shell,
}

#[derive(Args, Debug)]
#[command(
    after_help = "Read it with `oaskit man | man -l -`, or install the pages with
`oaskit man --output ~/.local/share/man/man1`."
)]
pub struct ManArgs {
    /// Write oaskit.1 and one page per command (oaskit-validate.1, ...) into this directory
    /// instead of printing oaskit.1.
    #[arg(long, short, value_name = "DIR")]
    pub output: Option<PathBuf>,
}

pub fn completions(args: &CompletionsArgs) -> i32 {
    let mut command = command_definition();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "oaskit", &mut script);
    print_stdout(&String::from_utf8_lossy(&script));
    EXIT_OK
}

pub fn man(args: &ManArgs) -> i32 {
    let mut command = command_definition();
    command.build();
    let Some(dir) = &args.output else {
        return match render(&command) {
            Ok(page) => {
                print_stdout(&page);
                EXIT_OK
            }
            Err(e) => {
                eprintln!("error: cannot render the man page: {e}");
                EXIT_ERROR
            }
        };
    };
    if let Err(e) = std::fs::create_dir_all(dir) {
        eprintln!("error: cannot create {}: {e}", dir.display());
        return EXIT_ERROR;
    }
    let mut pages = vec![("oaskit".to_string(), command.clone())];
    for sub in command.get_subcommands() {
        if sub.get_name() == "help" {
            continue;
        }
        // `oaskit-validate(1)`, with the usage line saying `oaskit validate`.
        let name = format!("oaskit-{}", sub.get_name());
        let page = sub
            .clone()
            .name(name.clone())
            .bin_name(format!("oaskit {}", sub.get_name()))
            .version(VERSION);
        pages.push((name, page));
    }
    for (name, page) in &pages {
        let path = dir.join(format!("{name}.1"));
        let written = render(page).and_then(|text| std::fs::write(&path, text));
        if let Err(e) = written {
            eprintln!("error: cannot write {}: {e}", path.display());
            return EXIT_ERROR;
        }
    }
    eprintln!("wrote {} man pages to {}", pages.len(), dir.display());
    EXIT_OK
}

fn render(command: &clap::Command) -> std::io::Result<String> {
    let mut out = Vec::new();
    clap_mangen::Man::new(command.clone()).render(&mut out)?;
    Ok(String::from_utf8_lossy(&out).into_owned())
}
