//! The `wirescan` binary: parse flags, run, map the outcome to an exit code
//! (0 every line used, 1 finished with rejected lines, 2 could not run).

use std::process::ExitCode;

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
