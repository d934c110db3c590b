#!/usr/bin/env python3
"""Builds data/lexicons/common_words.tsv from Debian's `scowl` package.

The list is SCOWL's two most common levels (english-words.10 and .20: the
~10,700 most common English words and their inflections), lower-case letters
only (entries with apostrophes or other characters dropped). The stance stage
reads it to tell a capitalised common word at the start of a sentence
("Every", "People", "Call") from a name the entity stage did not tag.

    apt-get download scowl=2020.12.07-2     # Debian bookworm, any machine
    python3 scripts/data/build_common_words.py scowl_2020.12.07-2_all.deb

Standard library only; no network. The .deb is checked against its SHA-256.
The output is deterministic (sorted, one word a line after a header line).
"""

import hashlib
import io
import lzma
import sys
import tarfile
from pathlib import Path

DEB_SHA256 = "de692546df9b169f2cbdf4d8d88111a374733a9c382b820a6f943914ca705718"
LEVELS = ("10", "20")
OUT = Path(__file__).resolve().parents[2] / "data" / "lexicons" / "common_words.tsv"


def ar_members(blob: bytes):
    """The members of a Unix `ar` archive (a .deb) as (name, bytes)."""
    if not blob.startswith(b"!<arch>\n"):
        sys.exit("not an ar archive (a .deb)")
    at = 8
    while at + 60 <= len(blob):
        header = blob[at : at + 60]
        name = header[:16].decode().strip().rstrip("/")
        size = int(header[48:58].decode().strip())
        at += 60
        yield name, blob[at : at + size]
        at += size + (size & 1)


def main() -> None:
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    blob = Path(sys.argv[1]).read_bytes()
    digest = hashlib.sha256(blob).hexdigest()
    if digest != DEB_SHA256:
        sys.exit(f"{sys.argv[1]}: SHA-256 {digest}, expected {DEB_SHA256} (scowl 2020.12.07-2)")
    data = dict(ar_members(blob)).get("data.tar.xz")
    if data is None:
        sys.exit("no data.tar.xz in the package")
    words = set()
    with tarfile.open(fileobj=io.BytesIO(lzma.decompress(data))) as tar:
        for level in LEVELS:
            member = tar.extractfile(f"./usr/share/dict/scowl/english-words.{level}")
            for line in member.read().decode("utf-8").splitlines():
                if line.isascii() and line.isalpha() and line.islower():
                    words.add(line)
    OUT.write_text("word\n" + "".join(f"{w}\n" for w in sorted(words)), encoding="utf-8")
    print(f"{OUT}: {len(words)} words")


if __name__ == "__main__":
    main()
