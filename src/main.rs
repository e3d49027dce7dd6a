//! The `daybook` command: arguments in, library call, exit code out.

mod cli;

use std::process::ExitCode;

use clap::Parser as _;

/// See `Cargo.toml` for why; `benches/throughput.rs` uses the same.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    match cli::run(cli::Cli::parse()) {
        Ok(code) => code,
        Err(error) => {
            eprintln!("daybook: error: {error:#}");
            ExitCode::from(2)
        }
    }
}
