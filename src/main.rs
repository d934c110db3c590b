//! The `wirescan` binary: parse flags, run, map the outcome to an exit code
//! (0 every line used, 1 finished with rejected lines, 2 could not run).

use std::process::ExitCode;

/// mimalloc (see [`wirescan::alloc`] for why).
#[global_allocator]
static ALLOCATOR: wirescan::alloc::MiMalloc = wirescan::alloc::MiMalloc;

fn main() -> ExitCode {
    let job = match wirescan::cli::parse() {
        Ok(job) => job,
        Err(code) => return code,
    };
    let result = match job {
        wirescan::cli::Job::Run(config) => wirescan::run(&config).map(|outcome| outcome.exit_code()),
        wirescan::cli::Job::Merge(config) => wirescan::merge::merge(&config).map(|()| 0),
    };
    match result {
        Ok(code) => ExitCode::from(code),
        Err(err) => {
            eprintln!("wirescan: {err:#}");
            ExitCode::from(2)
        }
    }
}
