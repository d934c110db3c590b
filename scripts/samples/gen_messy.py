#!/usr/bin/env python3
"""Generate samples/messy.jsonl: valid, usable articles whose text carries the damage
real dumps have, and whose field names vary the way different scrapers' output does.
Every line is meant to be ACCEPTED. All text original, people fictional.
"""
import json
import os
import sys

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "samples", "messy.jsonl")

NBSP, ZWSP, SHY = "\u00a0", "\u200b", "\u00ad"

LINES = []  # (dict, ensure_ascii)

# M1: canonical field names; classic single-escaped HTML entities (named, decimal).
LINES.append(({
    "id": "msy-001-chile-copper",
    "title": "Chile copper workers extend strike at Andes mine",
    "outlet": "Wirescan News",
    "published": "2024-03-05",
    "url": "https://news.wirescan.example/2024/03/05/chile-copper-strike",
    "text": "\n".join([
        "SANTIAGO, Chile (Wirescan News) &mdash; Workers at the Cerro Alto copper mine in northern Chile voted on Tuesday to extend a strike into its third week, the union said, rejecting what it called a &quot;miserable&quot; offer from the mine&#39;s owner.",
        "&#8220;We have given this company twenty years of our lives,&#8221; said union president Rodrigo Vald&eacute;s Ibarra. &#8220;They can give us a fair contract.&#8221;",
        "The company, Minera Cerro Alto S.A., said its offer was &quot;the best in the sector&quot; and that output had fallen by 40&nbsp;percent since the strike began.",
        "Vald&eacute;s said the union&rsquo;s members would vote again on Friday. Chile&#39;s labor ministry said it had offered to mediate &amp; urged both sides to return to talks.",
        "According to Cochilco, the state copper commission, the mine produced about 180,000&nbsp;tonnes of copper last year, roughly 3&nbsp;percent of national output.",
    ]),
}, False))

# M2: article_id / headline / source (string) / date_publish (news-please style) / body;
#     DOUBLE-escaped entities (&amp;quot; &amp;#39; &amp;amp;).
LINES.append(({
    "article_id": "msy-002-dhaka-garment",
    "headline": "Bangladesh garment workers demand back pay after factory closure",
    "source": "Wirescan News",
    "date_publish": "2024-05-21 09:14:00",
    "url": "https://news.wirescan.example/2024/05/21/dhaka-garment-back-pay",
    "body": "\n".join([
        "DHAKA, Bangladesh (Wirescan News) - Hundreds of garment workers protested outside a shuttered factory in Gazipur on Monday, demanding three months of unpaid wages.",
        "&amp;quot;We sewed their clothes, and now we cannot buy rice,&amp;quot; said Nasrin Begum, 34, a machine operator. &amp;quot;Where is our money?&amp;quot;",
        "The factory&amp;#39;s owner, Sunbeam Apparels Ltd., could not be reached for comment. The Bangladesh Garment Manufacturers &amp;amp; Exporters Association said it was &amp;quot;aware of the situation&amp;quot; and would meet workers&amp;#39; representatives on Wednesday.",
        "Labour rights activist Shirin Haque Chowdhury said factory owners often closed plants abruptly before the Eid holidays to avoid paying bonuses. &amp;quot;It happens every year,&amp;quot; she said. &amp;quot;And every year the government is surprised.&amp;quot;",
    ]),
}, False))

# M3: _id / title / source_domain / date_publish (ISO with Z) / text;
#     orphan entities with the ampersand lost (",quot;" and "#39;") and a missing
#     semicolon ("&quot" followed by a space).
LINES.append(({
    "_id": "msy-003-johannesburg-court",
    "title": "South African court orders release of detained housing activists",
    "source_domain": "wirescan.example",
    "date_publish": "2024-06-03T11:30:00Z",
    "url": "https://news.wirescan.example/2024/06/03/johannesburg-activists-released",
    "text": "\n".join([
        "JOHANNESBURG (Wirescan News) — A Johannesburg High Court judge on Monday ordered the release of six housing activists detained for nearly a month, ruling that police had held them without proper charges.",
        "Judge Nomvula Dlamini said the detentions were &quot;unlawful from the first day,quot; and ordered the state to pay the activists#39; legal costs.",
        "Outside the court, lawyer Themba Mokoena told reporters: &quot We are grateful to the court, but our clients should never have been arrested.&quot;",
        "The police service#39;s spokesman, Col. Sipho Ndlovu, said the service would study the judgment before deciding whether to appeal.",
        "The activists, members of a residents#39; group in Soweto, were arrested on May 6 after a protest outside a municipal office. One of them, Lerato Sithole, 27, said: &quot;They thought jail would make us quiet. It didn#39;t.&quot;",
    ]),
}, False))

# M4: uuid / headline / source as an OBJECT / date_publish / body;
#     raw NBSP (between first and last name, after a dateline), zero-width spaces
#     (mid-name and at paragraph end), soft hyphens mid-word. Written as raw UTF-8.
LINES.append(({
    "uuid": "5f0c2b1e-8d7a-4c3e-9b61-2a4f7e9d0c13",
    "headline": "Lagos floods displace thousands as drainage channels overflow",
    "source": {"id": "dailypulse", "name": "The Daily Pulse"},
    "date_publish": "2024-07-08 16:05:00",
    "url": "https://dailypulse.example/news/lagos-floods-displace-thousands",
    "body": "\n\n".join([
        f"LAGOS{NBSP}— Heavy overnight rain flooded large parts of Lagos on Sunday, displacing thousands of residents in Ajegunle, Ikorodu and Lekki as drainage channels overflowed, emergency officials said.",
        f"“We lost everything on the ground floor,” said Chinedu Oka{ZWSP}for, a trader in Ikorodu. “The water came up to my chest in ten minutes.”",
        f"The Lagos State Emergency Management Agency said its teams had rescued 212 people. Its director-general, Femi{NBSP}Adeyemi-Cole, said in a statement that residents living near canals should “move to higher ground im{SHY}mediately”.",
        f"Environmental campaigners blamed illegal construction on drainage routes.{NBSP}“This is not an act of God, it is an act of plan{SHY}ning,” said Toyin Bakare of the Lagos Urban Environment Network.{ZWSP}",
        f"The Nigerian Meteorological Agency has fore{SHY}cast more rain through Wednesday.{ZWSP}",
    ]),
}, False))

# M5: NO id field at all; title / outlet / published / text; Windows CRLF line endings
#     inside the text, runs of spaces, trailing spaces before CRLF.
LINES.append(({
    "title": "Evacuation order lifted for Alberta town as wildfire eases",
    "outlet": "Prairie Wire Service",
    "published": "2024-05-25T18:40:00-06:00",
    "url": "https://prairiewire.example/2024/05/25/fox-creek-evacuation-lifted",
    "text": "\r\n\r\n".join([
        "EDMONTON, Alberta (Wirescan News) — Residents of Fox Creek were allowed to return home on Saturday after firefighters contained a wildfire that had burned to within three kilometres of the town,  provincial officials said.",
        "\"It's been a long eleven days,\"  said Mayor Janet Kowalczyk.   \"People want to sleep in their own beds.\"  ",
        "Derek Strand,   an information officer with Alberta Wildfire, said crews would remain in the area for at least a week.    He warned that hot,  dry weather forecast for the coming days could cause flare-ups.",
        "\"We are not out of the woods, and I mean that literally,\" Strand said.\r\n\"Please keep your go-bags packed.\"",
        "The province said about 1,900 people had been displaced at the height of the fire.   ",
    ]),
}, False))

# M6: id / headline / source_domain / date_publish / body; written with ensure_ascii
#     so NBSP, em dash etc. arrive as JSON \u escapes; &ldquo;/&rdquo;/&lsquo;/&rsquo;
#     entities incl. a nested quote and &rsquo; as apostrophe; &#8212; dash attribution;
#     CRLF paragraph breaks; "&amp;" followed by a run of spaces.
LINES.append(({
    "id": "msy-006-manila-typhoon",
    "headline": "Philippines evacuates 200,000 as Typhoon Aurelio nears",
    "source_domain": "wirescan.example",
    "date_publish": "2024-10-17 07:45:00",
    "url": "https://news.wirescan.example/2024/10/17/philippines-typhoon-aurelio",
    "body": "\r\n".join([
        f"MANILA (Wirescan News) &#8212; More than 200,000 people were evacuated from coastal villages in the eastern Philippines on Thursday as Typhoon Aurelio approached with winds of up to 185{NBSP}km/h, the country&rsquo;s disaster agency said.",
        "&ldquo;We are not taking chances,&rdquo; said Undersecretary Ramon dela Cruz of the Office of Civil Defense. &ldquo;Our order to mayors is simple: &lsquo;Zero casualties.&rsquo;&rdquo;",
        "Fisherman Arnel Bautista, 52, said he had moved his boat inland on Wednesday. &ldquo;The sea doesn&rsquo;t give warnings twice,&rdquo; he said.",
        f"The weather bureau said the typhoon could make landfall in Samar province late Friday &amp;   warned of storm surges of up to 3{NBSP}metres.",
        "&ldquo;Stay away from the shore. Do not wait for the water to reach your door.&rdquo; &#8212; state forecaster Liza Montemayor",
    ]),
}, True))

# M7: article_id / title / outlet / date_publish / text; HEX numeric entities
#     (&#x201C; &#x201D; &#x2019;), decimal &#160;, and double-escaped numeric
#     entities (&amp;#8217;) mixed in the same article.
LINES.append(({
    "article_id": "msy-007-peru-count",
    "title": "Peru election count drags on as both camps claim lead",
    "outlet": "Andean Dispatch",
    "date_publish": "2024-04-15 22:10:00",
    "url": "https://andeandispatch.example/politica/2024/04/15/peru-count",
    "text": "\n".join([
        "LIMA, Peru (Wirescan News) &#x2014; Peru&#x2019;s electoral authority said on Monday that 96&#160;percent of ballots had been counted in Sunday&#x2019;s regional runoff, with the two candidates separated by fewer than 4,000 votes.",
        "&#x201C;Nobody should declare victory tonight,&#x201D; said Carmen Huamán Rojas, head of the National Office of Electoral Processes. &#x201C;The numbers will speak, and they will speak soon.&#x201D;",
        "Both campaigns nonetheless held rallies. Former mayor Julio Cárdenas Ugarte told supporters in Arequipa that he was &amp;#8220;certain&amp;#8221; of the result, while his rival&amp;#8217;s spokeswoman, Patricia Velarde, said the count was &#x201C;moving in our direction.&#x201D;",
        "International observers from the Organization of American States said in a preliminary report that voting had been &#x201C;orderly and transparent.&#x201D;",
    ]),
}, False))


ids = []
with open(OUT, "w", encoding="utf-8", newline="") as f:
    for d, ascii_json in LINES:
        f.write(json.dumps(d, ensure_ascii=ascii_json) + "\n")
for d, _ in LINES:
    body = d.get("text") or d.get("body")
    print(f"{str(d.get('id') or d.get('article_id') or d.get('_id') or d.get('uuid')):40s} words={len(body.split())}")
