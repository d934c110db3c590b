#!/usr/bin/env python3
"""Generate samples/hostile.jsonl byte by byte (BOM, CRLF, invalid UTF-8 are real bytes).
See samples/hostile.README.md for the per-line expectations."""
import os
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "samples", "hostile.jsonl")

BOM = b"\xef\xbb\xbf"

LINES = [
    # 1 valid article
    b'{"id": "h-01-valid", "title": "Harbour authority reopens ferry terminal", "outlet": "Wirescan News", "published": "2024-08-02", "url": "https://news.wirescan.example/h/01", "text": "The harbour authority reopened the ferry terminal on Friday. \\"Services will run on the normal timetable from Monday,\\" said Paul Brennan, the authority\'s operations director."}\n',
    # 2 invalid JSON (Python dict repr: single quotes)
    b"{'id': 'h-02-python-repr', 'title': 'Not JSON', 'text': 'A Python dict repr, not JSON.'}\n",
    # 3 JSON array line
    b'[{"id": "h-03-array", "title": "Wrapped in an array", "text": "An article object inside a JSON array is not an article line."}]\n',
    # 4 JSON string line
    b'"h-04: a bare JSON string, not an object"\n',
    # 5 object without a text field
    b'{"id": "h-05-no-text", "title": "Headline only", "outlet": "Wirescan News", "published": "2024-08-02"}\n',
    # 6 text is null
    b'{"id": "h-06-text-null", "title": "Null text", "text": null}\n',
    # 7 text is a number
    b'{"id": "h-07-text-number", "title": "Numeric text", "text": 42}\n',
    # 8 text is empty
    b'{"id": "h-08-text-empty", "title": "Empty text", "text": ""}\n',
    # 9 text is whitespace only
    b'{"id": "h-09-text-blank", "title": "Blank text", "text": "   "}\n',
    # 10 UTF-8 BOM, then a valid article (mid-file BOM, as produced by `cat a.jsonl b.jsonl`)
    BOM + b'{"id": "h-10-bom", "title": "BOM-prefixed line", "outlet": "Wirescan News", "published": "2024-08-03", "text": "City officials said on Saturday that the water supply had been restored to all districts."}\n',
    # 11 valid article, line ends with CRLF
    b'{"id": "h-11-crlf", "title": "CRLF-terminated line", "outlet": "Wirescan News", "published": "2024-08-03", "text": "\\"We expect the bridge to reopen by Tuesday,\\" the transport minister, Aoife Keane, said."}\r\n',
    # 12 blank line
    b"\n",
    # 13 whitespace-only line (spaces and a tab)
    b"  \t  \n",
    # 14 otherwise-valid JSON with invalid UTF-8 bytes (Latin-1 e-acute, then FF FE)
    b'{"id": "h-14-bad-utf8", "title": "Invalid UTF-8", "text": "The mayor of Mal\xe9 said \xff\xfe the council would meet on Monday."}\n',
    # 15 valid article after the junk (the reader must still be going)
    b'{"id": "h-15-valid-after-junk", "title": "Reader keeps going", "outlet": "Wirescan News", "published": "2024-08-04", "text": "Police said on Sunday that the road would stay closed overnight, according to a statement from the regional command."}\n',
    # 16 truncated object, NO trailing newline (last line of the file)
    b'{"id": "h-16-truncated", "title": "Cut off mid-write", "text": "The minister said the report would be publ',
]

with open(OUT, "wb") as f:
    f.write(b"".join(LINES))
print(f"wrote {len(LINES)} lines to {OUT}")
