#!/usr/bin/env python3
"""Build data/lexicons/vader.tsv (word<TAB>valence) from the VADER sentiment lexicon.

Source: PyPI package vaderSentiment==3.3.2 (MIT License, Copyright (c) 2016 C.J. Hutto),
file vaderSentiment/vader_lexicon.txt (token<TAB>mean<TAB>sd<TAB>ratings). Only word
entries are kept (letters with inner apostrophes or hyphens; emoticons and other
symbol entries are dropped, the tokenizer never yields them as words), lower-cased,
with the mean valence (-4..4) as written. The output has a header line and is sorted
by the whole line in byte order with no duplicates, like every list in data/.

Get the input (exact version; this script never touches the network):

  pip download --no-deps vaderSentiment==3.3.2 -d /tmp/vader
  python3 scripts/data/build_vader.py /tmp/vader/vaderSentiment-3.3.2-py2.py3-none-any.whl

Standard library only.
"""
import re
import sys
import zipfile
from pathlib import Path

WORD = re.compile(r"^[a-z]+(?:['-][a-z]+)*$")
OUT = Path(__file__).resolve().parents[2] / "data" / "lexicons" / "vader.tsv"


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with zipfile.ZipFile(sys.argv[1]) as z:
        text = z.read("vaderSentiment/vader_lexicon.txt").decode("utf-8")
    rows = {}
    for line in text.splitlines():
        cols = line.split("\t")
        if len(cols) < 2:
            continue
        word = cols[0].strip().lower()
        if not WORD.match(word):
            continue
        valence = float(cols[1])
        if valence == 0:
            continue
        rows[word] = f"{word}\t{valence:g}"
    lines = sorted(rows.values())
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text("word\tvalence\n" + "".join(l + "\n" for l in lines), encoding="utf-8")
    print(f"{OUT}: {len(lines)} rows")


if __name__ == "__main__":
    main()
