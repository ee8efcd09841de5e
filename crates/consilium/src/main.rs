use std::process::ExitCode;

use clap::Parser;
use consilium::{cli::Cli, commands};

fn main() -> ExitCode {
    let cli = Cli::parse();
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
    {
        Ok(runtime) => runtime,
        Err(err) => {
            eprintln!("erreur / error: cannot start the runtime: {err}");
            return ExitCode::FAILURE;
        }
    };
    match runtime.block_on(commands::run(cli)) {
        Ok(()) => ExitCode::SUCCESS,
        // `consilium user list | head -1`: the reader had enough.
        Err(err) if commands::is_closed_pipe(&err) => ExitCode::SUCCESS,
        Err(err) => {
            // One line, French then English where the message has both.
            eprintln!("erreur / error: {}", format!("{err:#}").replace('\n', " "));
            ExitCode::FAILURE
        }
    }
}
