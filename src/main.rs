//! The `wirescan` binary: parse flags, run, map the outcome to an exit code
//! (0 every line used, 1 finished with rejected lines, 2 could not run).

use std::process::ExitCode;

/// The stages make and drop many small strings per article on every worker
/// thread; mimalloc's per-thread free lists serve them at a fraction of the
/// system allocator's cost.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> ExitCode {
    let config = match wirescan::cli::parse() {
        Ok(config) => config,
        Err(code) => return code,
    };
    match wirescan::run(&config) {
        Ok(outcome) => ExitCode::from(outcome.exit_code()),
        Err(err) => {
            eprintln!("wirescan: {err:#}");
            ExitCode::from(2)
        }
    }
}
