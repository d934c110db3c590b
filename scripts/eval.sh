#!/usr/bin/env bash
# Runs the release binary on the development splits in ../shared/data (when
# present) and prints the scorers' figures: entities on CoNLL-2003 dev, quotes
# on PolNeAR dev, directed stance on DSA dev.
#
#   scripts/eval.sh            # all three
#   scripts/eval.sh entities   # one of: entities quotes stance
#
# Needs python3 for the scorers (standard library only). The project's tests
# never depend on ../shared; this script is for measuring.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
shared="${WIRESCAN_SHARED:-$root/../shared}"
data="$shared/data"
eval_dir="$shared/eval"
out="${EVAL_OUT:-$root/target/eval}"
what="${1:-all}"

if [[ ! -d "$data" || ! -d "$eval_dir" ]]; then
    echo "eval: no development data at $shared (set WIRESCAN_SHARED); nothing to measure" >&2
    exit 0
fi

cargo build --release --quiet --manifest-path "$root/Cargo.toml"
bin="$root/target/release/wirescan"
mkdir -p "$out"

run() { # name input
    local name="$1" input="$2"
    # Exit 1 (some lines rejected) is fine here; 2 is not.
    "$bin" run "$input" -o "$out/$name" --progress never 2>"$out/$name.log" || [[ $? -eq 1 ]]
    tail -n 1 "$out/$name.log" >&2
}

if [[ "$what" == all || "$what" == entities ]]; then
    run conll2003-dev "$data/conll2003-dev.articles.jsonl"
    echo "== entities: CoNLL-2003 dev (score_entities.py)"
    python3 "$eval_dir/score_entities.py" --gold "$data/conll2003-dev.gold.jsonl" \
        --mentions "$out/conll2003-dev/mentions.csv" | grep -v '^{'
fi
if [[ "$what" == all || "$what" == quotes ]]; then
    run polnear-dev "$data/polnear-dev.articles.jsonl"
    echo "== quotes: PolNeAR dev (score_quotes.py)"
    python3 "$eval_dir/score_quotes.py" --articles "$data/polnear-dev.articles.jsonl" \
        --gold "$data/polnear-dev.gold.jsonl" --quotes "$out/polnear-dev/quotes.csv" | grep -v '^{'
fi
if [[ "$what" == all || "$what" == stance ]]; then
    run dsa-dev "$data/dsa-dev.articles.jsonl"
    echo "== stance: DSA dev (score_stance.py)"
    python3 "$eval_dir/score_stance.py" --gold "$data/dsa-dev.gold.jsonl" \
        --evidence "$out/dsa-dev/stance_evidence.csv" | grep -v '^{'
fi
