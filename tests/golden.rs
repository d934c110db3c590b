//! Golden cases: `tests/golden/<case>/input.jsonl` is run through the binary
//! and every table is compared with `tests/golden/<case>/<table>.csv`.
//! `WIRESCAN_BLESS=1 cargo test --test golden` rewrites the expected tables on
//! purpose (review the diff before committing it).

use std::fs;
use std::path::Path;
use std::process::Command;

mod common;
use common::TABLES;

#[test]
fn every_golden_case_matches_its_expected_tables() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/golden");
    let bless = std::env::var_os("WIRESCAN_BLESS").is_some();
    let mut cases: Vec<_> = fs::read_dir(&root).unwrap().map(|e| e.unwrap().path()).filter(|p| p.is_dir()).collect();
    cases.sort();
    assert!(!cases.is_empty());
    let mut failures = Vec::new();
    for case in &cases {
        let out = tempfile::tempdir().unwrap();
        // Run from the case directory so that file names in rejects.csv are
        // the same on every machine.
        let status = Command::new(env!("CARGO_BIN_EXE_wirescan"))
            .current_dir(case)
            .args(["run", "input.jsonl", "-o", out.path().to_str().unwrap(), "--progress", "never"])
            .output()
            .unwrap();
        assert!(
            matches!(status.status.code(), Some(0 | 1)),
            "{}: {}",
            case.display(),
            String::from_utf8_lossy(&status.stderr)
        );
        for table in TABLES {
            let got = fs::read_to_string(out.path().join(table)).unwrap();
            let expected_path = case.join(table);
            if bless {
                fs::write(&expected_path, &got).unwrap();
                continue;
            }
            let expected = fs::read_to_string(&expected_path).unwrap_or_default();
            if got != expected {
                failures.push(format!("{}/{table}:\n{}", case.display(), line_diff(&expected, &got)));
            }
        }
    }
    assert!(failures.is_empty(), "golden tables differ (WIRESCAN_BLESS=1 to accept):\n{}", failures.join("\n"));
}

/// The lines only in `expected` (-) and only in `got` (+).
fn line_diff(expected: &str, got: &str) -> String {
    let e: Vec<&str> = expected.lines().collect();
    let g: Vec<&str> = got.lines().collect();
    let mut out = String::new();
    for line in e.iter().filter(|l| !g.contains(l)) {
        out.push_str(&format!("- {line}\n"));
    }
    for line in g.iter().filter(|l| !e.contains(l)) {
        out.push_str(&format!("+ {line}\n"));
    }
    out
}
