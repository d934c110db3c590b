//! Integration tests: the built binary against files in a temporary directory,
//! as a user runs it. None of them reads ../shared.

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

mod common;
use common::TABLES;

fn samples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("samples")
}

fn wirescan(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wirescan")).args(args).stdin(Stdio::null()).output().expect("the binary runs")
}

fn run_on(inputs: &[&Path], out: &Path, extra: &[&str]) -> Output {
    let mut args: Vec<String> = vec!["run".into()];
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    args.extend(["-o".into(), out.display().to_string(), "--progress".into(), "never".into()]);
    args.extend(extra.iter().map(|s| s.to_string()));
    let refs: Vec<&str> = args.iter().map(String::as_str).collect();
    wirescan(&refs)
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn records(path: &Path) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_path(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    reader.records().map(|r| r.expect("valid CSV")).collect()
}

fn header(path: &Path) -> String {
    fs::read_to_string(path).unwrap().lines().next().unwrap_or_default().to_string()
}

/// Builds a corpus of `n` distinct articles from the bundled samples.
fn corpus(n: usize) -> String {
    let mut texts = Vec::new();
    for name in ["seed.jsonl", "articles.jsonl", "messy.jsonl"] {
        for line in fs::read_to_string(samples().join(name)).unwrap().lines() {
            let v: serde_json::Value = serde_json::from_str(line).unwrap();
            let text = v.get("text").or_else(|| v.get("body")).and_then(|t| t.as_str()).unwrap().to_string();
            texts.push(text);
        }
    }
    let mut out = String::new();
    for i in 0..n {
        let line = serde_json::json!({"id": format!("c{i}"), "outlet": format!("outlet{}", i % 3), "text": texts[i % texts.len()]});
        out.push_str(&line.to_string());
        out.push('\n');
    }
    out
}

#[test]
fn seed_article_runs_cleanly_and_every_table_has_its_contract_header() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = run_on(&[&samples().join("seed.jsonl")], &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert!(stderr(&o).contains("wirescan: 1 articles, 0 rejected"), "{}", stderr(&o));
    let articles = records(&out.join("articles.csv"));
    assert_eq!(articles.len(), 1);
    assert_eq!(&articles[0][0], "iran-prisoner-talks");
    let seed: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(samples().join("seed.jsonl")).unwrap()).unwrap();
    assert_eq!(articles[0][4].parse::<usize>().unwrap(), seed["text"].as_str().unwrap().chars().count());
    assert!(articles[0][5].parse::<usize>().unwrap() >= 15, "sentences: {}", &articles[0][5]);
    assert_eq!(header(&out.join("articles.csv")), "article_id,outlet,published,title,chars,sentences,entities,quotes");
    assert_eq!(header(&out.join("mentions.csv")), "article_id,entity_id,start,end,text,type");
    assert_eq!(
        header(&out.join("entities.csv")),
        "article_id,entity_id,name,type,mentions,first_start,first_end,gender"
    );
    assert_eq!(
        header(&out.join("quotes.csv")),
        "article_id,quote_id,kind,quote,quote_start,quote_end,cue,cue_start,cue_end,speaker,speaker_start,speaker_end,\
         speaker_type,speaker_entity_id,speaker_gender,anonymous,confidence,polarity"
    );
    assert_eq!(
        header(&out.join("stance_evidence.csv")),
        "article_id,quote_id,source,source_type,source_start,source_end,target,target_type,target_start,target_end,polarity,\
         cue"
    );
    assert_eq!(
        header(&out.join("stance.csv")),
        "source,source_type,target,target_type,evidence,articles,positive,negative,neutral,mean_polarity"
    );
    assert_eq!(header(&out.join("sources.csv")), "source,source_type,gender,quotes,articles,outlets,anonymous");
    assert_eq!(header(&out.join("rejects.csv")), "file,line,reason");
    // Nothing is left under a temporary name.
    for entry in fs::read_dir(&out).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(TABLES.contains(&name.as_str()), "unexpected file {name}");
    }
}

/// Every non-blank input line ends up in exactly one of articles.csv and
/// rejects.csv, and the reasons say what was wrong.
#[test]
fn hostile_input_every_line_is_accounted_for() {
    let dir = tempfile::tempdir().unwrap();
    let input = samples().join("hostile.jsonl");
    let o = run_on(&[&input], dir.path(), &[]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let raw = fs::read(&input).unwrap();
    let non_blank = raw.split(|&b| b == b'\n').filter(|l| !l.iter().all(|b| b" \t\r".contains(b))).count();
    let articles = records(&dir.path().join("articles.csv"));
    let rejects = records(&dir.path().join("rejects.csv"));
    assert_eq!(non_blank, articles.len() + rejects.len());
    let ids: Vec<&str> = articles.iter().map(|r| &r[0]).collect();
    assert_eq!(ids, vec!["h-01-valid", "h-10-bom", "h-11-crlf", "h-15-valid-after-junk"]);
    let lines: Vec<u64> = rejects.iter().map(|r| r[1].parse().unwrap()).collect();
    assert_eq!(lines, vec![2, 3, 4, 5, 6, 7, 8, 9, 14, 16]);
    let reason = |line: u64| rejects.iter().find(|r| r[1] == *line.to_string()).unwrap()[2].to_string();
    assert!(reason(2).starts_with("invalid JSON"));
    assert_eq!(reason(3), "not a JSON object (found an array)");
    assert_eq!(reason(6), "text is null");
    assert_eq!(reason(7), "text is a number, not a string");
    assert!(reason(14).starts_with("invalid UTF-8"));
    assert!(reason(16).contains("truncated"));
    for r in &rejects {
        assert!(r[0].ends_with("hostile.jsonl"));
    }
}

#[test]
fn output_is_byte_identical_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("corpus.jsonl");
    let mut text = corpus(700);
    text.push_str("not json\n{\"text\": 5}\n");
    fs::write(&input, text).unwrap();
    let runs: Vec<PathBuf> = ["1", "2", "3"]
        .iter()
        .map(|threads| {
            let out = dir.path().join(format!("out{threads}"));
            let o = run_on(&[&input], &out, &["--threads", threads]);
            assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
            out
        })
        .collect();
    assert_eq!(records(&runs[0].join("articles.csv")).len(), 700);
    for table in TABLES {
        let first = fs::read(runs[0].join(table)).unwrap();
        for other in &runs[1..] {
            assert!(first == fs::read(other.join(table)).unwrap(), "{table} differs in {}", other.display());
        }
    }
}

/// Direct I/O (the default) and the page cache (`--buffered-io`) give the
/// same tables, also with a checkpoint after every batch, where each sync
/// writes a table's partial last block through the page cache and the next
/// block rewrites it directly.
#[test]
fn direct_and_buffered_io_write_the_same_tables() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("corpus.jsonl");
    fs::write(&input, corpus(700)).unwrap();
    let flags: [&[&str]; 4] =
        [&[], &["--buffered-io"], &["--checkpoint-every", "0"], &["--buffered-io", "--checkpoint-every", "0"]];
    let runs: Vec<PathBuf> = flags
        .iter()
        .enumerate()
        .map(|(k, extra)| {
            let out = dir.path().join(format!("out{k}"));
            let o = run_on(&[&input], &out, extra);
            assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
            out
        })
        .collect();
    assert!(fs::metadata(runs[0].join("quotes.csv")).unwrap().len() > 100_000, "tables of many blocks");
    for other in &runs[1..] {
        same_tables(&runs[0], other);
    }
}

#[test]
fn multi_member_gzip_and_zstd_read_like_plain_files() {
    let dir = tempfile::tempdir().unwrap();
    for (compressed, plain) in [("articles.jsonl.gz", "articles.jsonl"), ("messy.jsonl.zst", "messy.jsonl")] {
        let a = dir.path().join(format!("{compressed}.out"));
        let b = dir.path().join(format!("{plain}.out"));
        assert_eq!(run_on(&[&samples().join(compressed)], &a, &[]).status.code(), Some(0));
        assert_eq!(run_on(&[&samples().join(plain)], &b, &[]).status.code(), Some(0));
        assert_eq!(
            fs::read(a.join("articles.csv")).unwrap(),
            fs::read(b.join("articles.csv")).unwrap(),
            "{compressed}"
        );
        assert!(records(&a.join("articles.csv")).len() >= 7);
    }
}

#[test]
fn compression_is_detected_by_magic_bytes_not_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let misnamed = dir.path().join("looks-plain.jsonl");
    fs::copy(samples().join("articles.jsonl.gz"), &misnamed).unwrap();
    let o = run_on(&[&misnamed], &dir.path().join("out"), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(records(&dir.path().join("out/articles.csv")).len(), 9);
}

/// A corrupt .gz names the file, keeps the rows read before the damage, and
/// the other inputs are still processed.
#[test]
fn truncated_gzip_keeps_rows_and_goes_on_with_other_inputs() {
    let dir = tempfile::tempdir().unwrap();
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
    enc.write_all(corpus(3000).as_bytes()).unwrap();
    let mut gz = enc.finish().unwrap();
    gz.truncate(gz.len() * 2 / 3);
    let broken = dir.path().join("broken.jsonl.gz");
    fs::write(&broken, gz).unwrap();
    let out = dir.path().join("out");
    let o = run_on(&[&broken, &samples().join("seed.jsonl")], &out, &[]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("broken.jsonl.gz: line "), "{}", stderr(&o));
    let articles = records(&out.join("articles.csv"));
    assert!(articles.len() > 100, "rows before the damage are kept: {}", articles.len());
    assert_eq!(&articles.last().unwrap()[0], "iran-prisoner-talks");
    let rejects = records(&out.join("rejects.csv"));
    assert!(rejects.iter().any(|r| r[0].ends_with("broken.jsonl.gz") && r[2].starts_with("read error")));
}

#[test]
fn standard_input_is_read_with_dash_and_ids_fall_back_to_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_wirescan"))
        .args(["run", "-", "-o", dir.path().to_str().unwrap(), "--progress", "never"])
        .stdin(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(b"{\"text\":\"One.\"}\n\n{\"body\":\"Two.\",\"headline\":\"H\"}\n").unwrap();
    let o = child.wait_with_output().unwrap();
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let articles = records(&dir.path().join("articles.csv"));
    assert_eq!(&articles[0][0], "-:1");
    assert_eq!(&articles[1][0], "-:3");
    assert_eq!(&articles[1][3], "H");
}

#[test]
fn field_flags_override_the_alias_lists() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("custom.jsonl");
    fs::write(
        &input,
        "{\"doc\":\"d1\",\"story\":\"Some text.\",\"text\":\"ignored\",\"site\":\"S\",\"when\":\"2020\"}\n",
    )
    .unwrap();
    let out = dir.path().join("out");
    let flags = ["--id-field", "doc", "--text-field", "story", "--outlet-field", "site", "--date-field", "when"];
    let o = run_on(&[&input], &out, &flags);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let row = &records(&out.join("articles.csv"))[0];
    assert_eq!((&row[0], &row[1], &row[2], &row[4]), ("d1", "S", "2020", "10"));
}

#[test]
fn oversized_lines_are_rejected_with_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.jsonl");
    let big = format!("{{\"text\":\"{}\"}}\n{{\"text\":\"small\"}}\n", "word ".repeat(2000));
    fs::write(&input, big).unwrap();
    let o = run_on(&[&input], &dir.path().join("out"), &["--max-article-bytes", "1KB"]);
    assert_eq!(o.status.code(), Some(1));
    let rejects = records(&dir.path().join("out/rejects.csv"));
    assert_eq!(&rejects[0][1], "1");
    assert!(rejects[0][2].contains("over the limit of 1000"), "{}", &rejects[0][2]);
    assert_eq!(records(&dir.path().join("out/articles.csv")).len(), 1);
}

#[test]
fn missing_input_fails_before_writing_and_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("out");
    let o = run_on(&[&dir.path().join("nope.jsonl")], &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("nope.jsonl"), "{}", stderr(&o));
    assert!(!out.exists());
}

#[test]
fn unwritable_output_fails_and_names_the_path() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a-file");
    fs::write(&file, "").unwrap();
    let o = run_on(&[&samples().join("seed.jsonl")], &file.join("out"), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("a-file"), "{}", stderr(&o));
}

#[test]
fn bad_flags_exit_2_and_help_teaches() {
    assert_eq!(wirescan(&["run", "x.jsonl"]).status.code(), Some(2), "-o is required");
    assert_eq!(wirescan(&["run", "-o", "o", "--threads", "many"]).status.code(), Some(2));
    let help = wirescan(&["run", "--help"]);
    assert_eq!(help.status.code(), Some(0));
    let text = String::from_utf8_lossy(&help.stdout);
    for needle in ["Examples:", "--text-field", "rejects.csv", "Exit status"] {
        assert!(text.contains(needle), "help lacks {needle}");
    }
}

fn char_slice(text: &str, start: &str, end: &str) -> String {
    let (s, e): (usize, usize) = (start.parse().unwrap(), end.parse().unwrap());
    text.chars().skip(s).take(e - s).collect()
}

/// The seed article's entities (hand-annotated in the project's seed facts):
/// names resolved, types right, titles and sentence-initial words left out.
#[test]
fn seed_entities_are_found_typed_and_resolved() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_on(&[&samples().join("seed.jsonl")], dir.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let entities = records(&dir.path().join("entities.csv"));
    let has = |name: &str, kind: &str| entities.iter().any(|e| &e[2] == name && &e[3] == kind);
    for (name, kind) in [
        ("Iran", "GPE"),
        ("United States", "GPE"),
        ("Ali Rabiei", "PERSON"),
        ("Khabaronline.ir", "ORG"),
        ("Sirous Asgari", "PERSON"),
        ("Kenneth T. Cuccinelli II", "PERSON"),
        ("Michael R. White", "PERSON"),
        ("Imperial Beach", "GPE"),
        ("California", "GPE"),
        ("Trump", "PERSON"),
    ] {
        assert!(has(name, kind), "{name} {kind} missing from {entities:?}");
    }
    let mentions = records(&dir.path().join("mentions.csv"));
    let seed: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(samples().join("seed.jsonl")).unwrap()).unwrap();
    let text = seed["text"].as_str().unwrap();
    let entity_name = |id: &str| entities.iter().find(|e| &e[1] == id).unwrap()[2].to_string();
    for m in &mentions {
        assert_eq!(char_slice(text, &m[2], &m[3]), m[4].to_string(), "offsets of {m:?}");
        assert!(!["But", "Last", "He", "White, from Imperial Beach", "Covid-19 disease"].contains(&&m[4]), "{m:?}");
    }
    // Short references resolve to the full name.
    for (short, full) in [("Rabiei", "Ali Rabiei"), ("Asgari", "Sirous Asgari"), ("White", "Michael R. White")] {
        let m = mentions.iter().find(|m| &m[4] == short).unwrap_or_else(|| panic!("no mention {short}"));
        assert_eq!(entity_name(&m[1]), full);
    }
}

/// Mention offsets survive every kind of cleaning edit in the messy samples.
#[test]
fn mention_offsets_are_code_points_into_the_original_text() {
    let dir = tempfile::tempdir().unwrap();
    let input = samples().join("messy.jsonl");
    assert_eq!(run_on(&[&input], dir.path(), &[]).status.code(), Some(0));
    let mut texts = std::collections::HashMap::new();
    for line in fs::read_to_string(&input).unwrap().lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let text = v.get("text").or_else(|| v.get("body")).unwrap().as_str().unwrap().to_string();
        texts.insert(texts.len(), text);
    }
    let articles = records(&dir.path().join("articles.csv"));
    let ids: Vec<String> = articles.iter().map(|a| a[0].to_string()).collect();
    let mentions = records(&dir.path().join("mentions.csv"));
    assert!(mentions.len() > 20, "the messy samples name many entities");
    for m in &mentions {
        let index = ids.iter().position(|id| id == &m[0]).unwrap();
        assert_eq!(char_slice(&texts[&index], &m[2], &m[3]), m[4].to_string(), "{m:?}");
    }
}

/// Markup in the text is not text: a name set in bold is one name, a quote
/// across paragraph tags is cut at them, and offsets still give the original
/// characters back.
#[test]
fn html_markup_is_skipped_and_offsets_still_slice_the_original() {
    let dir = tempfile::tempdir().unwrap();
    let text = "<p>The minister, <b>Ali Rabiei</b>, said the sanctions were &quot;cruel&quot;.</p>\
                <p>&ldquo;We will not bow,&rdquo; Rabiei said.<!-- ad --><script>var s = \"<p>x</p>\";</script></p>";
    let input = dir.path().join("html.jsonl");
    fs::write(&input, format!("{}\n", serde_json::json!({"id": "h1", "text": text}))).unwrap();
    let out = dir.path().join("out");
    let o = run_on(&[&input], &out, &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let mentions = records(&out.join("mentions.csv"));
    for m in &mentions {
        assert_eq!(char_slice(text, &m[2], &m[3]), m[4].to_string(), "{m:?}");
        assert!(!m[4].contains('<') && !m[4].contains('>'), "{m:?}");
    }
    assert!(mentions.iter().any(|m| &m[4] == "Ali Rabiei"), "{mentions:?}");
    let quotes = records(&out.join("quotes.csv"));
    let direct = quotes.iter().find(|q| &q[2] == "direct").unwrap_or_else(|| panic!("no direct quote in {quotes:?}"));
    assert_eq!(&direct[3], "“We will not bow,”");
    assert_eq!(&direct[9], "Ali Rabiei");
    assert_eq!(char_slice(text, &direct[4], &direct[5]), "&ldquo;We will not bow,&rdquo;");
}

/// The seed article's ten quotes (hand-annotated: a substring of the quote,
/// the resolved speaker, the kind, the cue where given) are all in quotes.csv,
/// with offsets that give the quote back from the original text.
#[test]
fn seed_quotes_have_their_speakers_kinds_and_cues() {
    const FACTS: [(&str, &str, &str, Option<&str>); 10] = [
        ("the United States has refused to respond", "Ali Rabiei", "direct", Some("said")),
        ("will eventually prefer lives to politics", "Ali Rabiei", "direct", None),
        ("There has been no offer or offer of direct talks", "senior US official", "direct", None),
        ("provision for all prisoners", "Ali Rabiei", "mixed", None),
        ("it appears that the United States is more willing to end the situation", "Ali Rabiei", "mixed", None),
        ("Iran held the United States government responsible", "Ali Rabiei", "indirect", None),
        ("case had never been related", "Kenneth T. Cuccinelli II", "indirect", None),
        ("Iran had been slow to accept", "Kenneth T. Cuccinelli II", "indirect", None),
        ("advancing efforts to secure the release", "United States officials", "indirect", None),
        ("view the release of American hostages", "Trump administration officials", "indirect", None),
    ];
    let dir = tempfile::tempdir().unwrap();
    let o = run_on(&[&samples().join("seed.jsonl")], dir.path(), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let seed: serde_json::Value =
        serde_json::from_str(&fs::read_to_string(samples().join("seed.jsonl")).unwrap()).unwrap();
    let text = seed["text"].as_str().unwrap();
    let quotes = records(&dir.path().join("quotes.csv"));
    for (contains, speaker, kind, cue) in FACTS {
        let row = quotes
            .iter()
            .find(|r| r[3].contains(contains))
            .unwrap_or_else(|| panic!("no quote containing {contains:?}: {quotes:?}"));
        assert!(row[9].to_lowercase().contains(&speaker.to_lowercase()), "{contains:?}: speaker {:?}", &row[9]);
        assert_eq!(&row[2], kind, "{contains:?}");
        if let Some(cue) = cue {
            assert_eq!(&row[6], cue, "{contains:?}");
        }
        assert!(char_slice(text, &row[4], &row[5]).contains(contains), "{contains:?}: offsets");
    }
    let anonymous = quotes.iter().find(|r| r[3].contains("no offer or offer")).unwrap();
    assert_eq!(&anonymous[15], "true");
    let cued = quotes.iter().find(|r| r[3].contains("refused to respond")).unwrap();
    assert_eq!(char_slice(text, &cued[6 + 1], &cued[6 + 2]), "said");
    assert_eq!(char_slice(text, &cued[10], &cued[11]), "Rabiei");
}

/// The seed article's stance: the Iranian spokesman is negative toward the
/// United States ("the United States has refused to respond", "held the United
/// States government responsible"), the US official negative toward Iran
/// ("complained that Iran had been slow").
#[test]
fn seed_stance_has_the_negative_edges() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_on(&[&samples().join("seed.jsonl")], dir.path(), &[]);
    assert!(o.status.success(), "{}", stderr(&o));
    let rows = records(&dir.path().join("stance.csv"));
    let mean = |source: &str, target: &str| -> f32 {
        let row = rows
            .iter()
            .find(|r| &r[0] == source && &r[2] == target)
            .unwrap_or_else(|| panic!("no stance row {source} -> {target}"));
        row[9].parse().unwrap()
    };
    assert!(mean("Ali Rabiei", "United States") < 0.0);
    assert!(mean("Kenneth T. Cuccinelli II", "Iran") < 0.0);
}

#[test]
fn stages_flag_stops_after_entities_or_quotes_with_the_same_rows() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, corpus(12)).unwrap();
    let out = |name: &str| dir.path().join(name);
    for (name, extra) in [("all", vec![]), ("ent", vec!["--stages", "entities"]), ("quo", vec!["--stages", "quotes"])] {
        let o = run_on(&[&input], &out(name), &extra);
        assert_eq!(o.status.code(), Some(0), "{name}: {}", stderr(&o));
    }
    let read = |dir: &str, table: &str| fs::read_to_string(out(dir).join(table)).unwrap();
    for table in ["mentions.csv", "entities.csv"] {
        assert_eq!(read("ent", table), read("all", table), "{table}");
        assert_eq!(read("quo", table), read("all", table), "{table}");
    }
    let full_quotes = records(&out("all").join("quotes.csv"));
    assert!(!full_quotes.is_empty());
    for table in ["quotes.csv", "stance_evidence.csv", "stance.csv", "sources.csv"] {
        assert_eq!(read("ent", table).lines().count(), 1, "{table} holds its header only");
    }
    assert_eq!(read("quo", "stance_evidence.csv").lines().count(), 1);
    // The same quotes, without stance's polarity.
    let quotes = records(&out("quo").join("quotes.csv"));
    assert_eq!(quotes.len(), full_quotes.len());
    for (q, f) in quotes.iter().zip(&full_quotes) {
        assert_eq!(q.iter().take(17).collect::<Vec<_>>(), f.iter().take(17).collect::<Vec<_>>());
        assert_eq!(&q[17], "0.000");
    }
    let o = run_on(&[&input], &out("bad"), &["--stages", "stance"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("entities"), "the error lists the values: {}", stderr(&o));
}

/// `--stats` reports the reader's, writer's and workers' CPU time after the
/// summary, so a run can show that the single-threaded parts are not the
/// bottleneck.
#[test]
fn stats_flag_reports_cpu_per_thread_kind() {
    let dir = tempfile::tempdir().unwrap();
    let o = run_on(&[&samples().join("articles.jsonl")], &dir.path().join("out"), &["--stats"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let err = stderr(&o);
    let line = err.lines().find(|l| l.starts_with("wirescan: cpu reader ")).unwrap_or_else(|| panic!("{err}"));
    assert!(line.contains("writer ") && line.contains("workers ") && line.contains("% of worker cpu"), "{line}");
    let kernel = err
        .lines()
        .find(|l| l.starts_with("wirescan: of which in the kernel: reader "))
        .unwrap_or_else(|| panic!("{err}"));
    assert!(kernel.contains("outside the kernel, reader+writer = ") && kernel.ends_with("% of worker cpu"), "{kernel}");
}

fn same_tables(a: &Path, b: &Path) {
    for table in TABLES {
        let (x, y) = (fs::read(a.join(table)).unwrap(), fs::read(b.join(table)).unwrap());
        assert!(x == y, "{table} differs between {} and {}", a.display(), b.display());
    }
}

/// A corpus with articles, blank lines and rejects spread over several
/// blocks of 64 lines, in two inputs (one gzip); the first holds more than
/// one block of every shard of three, so that one batch does.
fn sharded_inputs(dir: &Path) -> Vec<PathBuf> {
    let mut text = corpus(400);
    text.insert_str(0, "\n\nnot json\n");
    let a = dir.join("a.jsonl");
    fs::write(&a, &text).unwrap();
    let b = dir.join("b.jsonl.gz");
    let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    enc.write_all(corpus(60).as_bytes()).unwrap();
    enc.write_all(b"{\"text\": null}\n").unwrap();
    fs::write(&b, enc.finish().unwrap()).unwrap();
    vec![a, b]
}

/// Three shards merged give byte for byte the tables of one run, whatever
/// order the shard directories are named in.
#[test]
fn merging_three_shards_gives_the_tables_of_one_run() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = sharded_inputs(dir.path());
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let single = dir.path().join("single");
    assert_eq!(run_on(&inputs, &single, &[]).status.code(), Some(1));
    for k in 0..3 {
        let o = run_on(&inputs, &dir.path().join(format!("s{k}")), &["--shard", &format!("{k}/3")]);
        assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    }
    let shard = |k: u32| dir.path().join(format!("s{k}")).display().to_string();
    let merged = dir.path().join("merged");
    let o = wirescan(&["merge", &shard(2), &shard(0), &shard(1), "-o", merged.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    same_tables(&single, &merged);
    assert!(records(&merged.join("articles.csv")).len() > 200);
    let buffered = dir.path().join("merged-buffered");
    let o = wirescan(&["merge", &shard(0), &shard(1), &shard(2), "-o", buffered.to_str().unwrap(), "--buffered-io"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    same_tables(&single, &buffered);

    // A missing shard, a shard given twice, and a shard of another command
    // are refused with the reason.
    let o = wirescan(&["merge", &shard(0), &shard(1), "-o", dir.path().join("x").to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("shard 2/3 is missing"), "{}", stderr(&o));
    let o = wirescan(&["merge", &shard(0), &shard(1), &shard(1), "-o", dir.path().join("x").to_str().unwrap()]);
    assert!(stderr(&o).contains("shard 1/3 is given twice"), "{}", stderr(&o));
    let other = dir.path().join("other");
    run_on(&inputs[..1], &other, &["--shard", "2/3"]);
    let o = wirescan(&[
        "merge",
        &shard(0),
        &shard(1),
        other.to_str().unwrap(),
        "-o",
        dir.path().join("x").to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("different commands"), "{}", stderr(&o));
    let o = wirescan(&["merge", &shard(0), single.to_str().unwrap(), "-o", dir.path().join("x").to_str().unwrap()]);
    assert!(stderr(&o).contains("not the output of a completed `wirescan run --shard K/N`"), "{}", stderr(&o));
}

/// A run killed with SIGKILL after it wrote a checkpoint, then rerun with
/// --resume, ends with the tables of an uninterrupted run; without
/// --resume the checkpoint is not clobbered.
#[test]
fn a_killed_run_resumes_to_the_tables_of_an_uninterrupted_run() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("big.jsonl");
    let mut text = corpus(600);
    text.push_str("not json\n");
    fs::write(&input, text).unwrap();
    let clean = dir.path().join("clean");
    assert_eq!(run_on(&[&input], &clean, &[]).status.code(), Some(1));

    let out = dir.path().join("out");
    let mut child = Command::new(env!("CARGO_BIN_EXE_wirescan"))
        .args(["run", input.to_str().unwrap(), "-o", out.to_str().unwrap(), "--progress", "never"])
        .args(["-j", "1", "--checkpoint-every", "0"])
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let checkpoint = out.join("checkpoint.json");
    let started = std::time::Instant::now();
    // Kill once some articles are past a checkpoint.
    while !fs::read_to_string(&checkpoint)
        .is_ok_and(|c| c.contains("\"articles\": ") && !c.contains("\"articles\": 0,"))
    {
        assert!(started.elapsed().as_secs() < 60, "no checkpoint appeared");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    assert!(child.try_wait().unwrap().is_none(), "the run ended before it could be killed");
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!out.join("articles.csv").exists());

    let o = run_on(&[&input], &out, &[]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("add --resume to continue it"), "{}", stderr(&o));
    let o = run_on(&[&input], &out, &["--max-article-bytes", "1MB", "--resume"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("cannot resume") && stderr(&o).contains("--max-article-bytes"), "{}", stderr(&o));

    let o = run_on(&[&input], &out, &["--unattributed", "--resume"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("--unattributed was not given"), "{}", stderr(&o));

    let o = run_on(&[&input], &out, &["--resume"]);
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert!(stderr(&o).contains("wirescan: resuming at line "), "{}", stderr(&o));
    same_tables(&clean, &out);
    // No checkpoint (nor a temporary one a kill may leave) outlives the run.
    for entry in fs::read_dir(&out).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(TABLES.contains(&name.as_str()), "unexpected file {name}");
    }
}

/// A full disk (here a table that is really /dev/full) fails the run with
/// exit 2 and a message naming the file, at the end of a run or mid-run at a
/// checkpoint; no table is left under its final name looking complete.
#[cfg(target_os = "linux")]
#[test]
fn a_full_disk_fails_the_run_naming_the_table() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    fs::write(&input, corpus(80)).unwrap();
    for (file, extra) in [
        ("quotes.csv.partial", &[][..]),
        ("mentions.csv.partial", &["--checkpoint-every", "0"][..]),
        ("checkpoint.json.tmp", &["--checkpoint-every", "0"][..]),
    ] {
        let out = dir.path().join(file);
        fs::create_dir_all(&out).unwrap();
        std::os::unix::fs::symlink("/dev/full", out.join(file)).unwrap();
        let o = run_on(&[&input], &out, extra);
        assert_eq!(o.status.code(), Some(2), "{file}: {}", stderr(&o));
        let err = stderr(&o);
        assert!(err.contains(&format!("cannot write {}", out.join(file).display())), "{err}");
        assert!(err.contains("No space left on device"), "{err}");
        for table in TABLES {
            assert!(!out.join(table).exists(), "{table} exists after a failed run");
        }
    }
}

/// Run-wide totals written out to run files (the corpus's totals come to
/// about 400 KB by the fold's estimate: a 20 KB budget spills some twenty
/// times) give the tables of a run that keeps them in memory, in a run and in
/// a shard merge, and the spill directory is gone at the end.
#[test]
fn a_tiny_fold_memory_gives_the_same_tables() {
    let dir = tempfile::tempdir().unwrap();
    let inputs = sharded_inputs(dir.path());
    let inputs: Vec<&Path> = inputs.iter().map(PathBuf::as_path).collect();
    let roomy = dir.path().join("roomy");
    assert_eq!(run_on(&inputs, &roomy, &[]).status.code(), Some(1));
    assert!(records(&roomy.join("stance.csv")).len() > 3, "the corpus has stance to fold");
    let tight = dir.path().join("tight");
    assert_eq!(run_on(&inputs, &tight, &["--fold-memory", "20KB"]).status.code(), Some(1));
    same_tables(&roomy, &tight);
    assert!(!tight.join(".wirescan-folds").exists());
    for k in 0..3 {
        let o = run_on(&inputs, &dir.path().join(format!("s{k}")), &["--shard", &format!("{k}/3")]);
        assert!(matches!(o.status.code(), Some(0 | 1)), "{}", stderr(&o));
    }
    let shard = |k: u32| dir.path().join(format!("s{k}")).display().to_string();
    let merged = dir.path().join("merged");
    let o =
        wirescan(&["merge", &shard(0), &shard(1), &shard(2), "-o", merged.to_str().unwrap(), "--fold-memory", "30KB"]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    same_tables(&roomy, &merged);
}

/// By default every row of quotes.csv has a speaker; `--unattributed` adds
/// the whole quotes nobody was found to say, with the speaker columns empty
/// and the same rows otherwise.
#[test]
fn unattributed_quotes_only_on_request() {
    let dir = tempfile::tempdir().unwrap();
    let input = dir.path().join("in.jsonl");
    let text = "“We are ready for this,” said John Smith.\n\nA.\n\nB.\n\nC.\n\n“We will keep going whatever happens next week.”";
    fs::write(&input, format!("{}\n", serde_json::json!({"id": "u1", "text": text}))).unwrap();
    let (plain, keep) = (dir.path().join("plain"), dir.path().join("keep"));
    assert_eq!(run_on(&[&input], &plain, &[]).status.code(), Some(0));
    assert_eq!(run_on(&[&input], &keep, &["--unattributed"]).status.code(), Some(0));
    let (plain, keep) = (records(&plain.join("quotes.csv")), records(&keep.join("quotes.csv")));
    assert_eq!(plain.len(), 1, "{plain:?}");
    assert!(plain.iter().all(|r| !r[9].is_empty()), "{plain:?}");
    assert_eq!(keep.len(), 2, "{keep:?}");
    assert_eq!(&keep[1][3], "“We will keep going whatever happens next week.”");
    assert!(keep[1][9].is_empty() && keep[1][10].is_empty(), "{keep:?}");
}
