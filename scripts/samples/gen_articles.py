#!/usr/bin/env python3
"""Generate samples/articles.jsonl for wirescan (all text original, fictional people).

Each article body below is written one paragraph per source line; the paragraphs
are then joined with the article's chosen separator ("\n" or "\n\n").
"""
import json
import os
import sys
import textwrap

OUT = sys.argv[1] if len(sys.argv) > 1 else os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "samples", "articles.jsonl")


def paras(block):
    return [p.strip() for p in textwrap.dedent(block).strip().split("\n") if p.strip()]


ARTICLES = []


def add(id_, title, outlet, published, url, sep, block, ascii_json=False):
    ARTICLES.append((dict(id=id_, title=title, outlet=outlet, published=published,
                          url=url, text=sep.join(paras(block))), ascii_json))


# 1. Dateline, appositive + pronoun/description references, curly quotes, mixed quote,
#    speaker-after with inversion, "according to", anonymous source.
add("wsn-20240412-kenya-drought",
    "Kenya drought agency says aid corridor to northern counties will reopen",
    "Wirescan News", "2024-04-12",
    "https://news.wirescan.example/2024/04/12/kenya-drought-aid-corridor",
    "\n\n", '''
    NAIROBI, Kenya (Wirescan News) — Kenya’s National Drought Management Authority said on Friday that a key aid corridor to the northern counties of Turkana and Marsabit would reopen next week, after heavy rains washed out two bridges on the main supply road.
    Dana Whitfield, the agency's spokeswoman, told reporters in Nairobi that engineers had completed a temporary crossing near Lodwar and that the first convoy of 40 trucks was already being loaded.
    “We have food and water purification tablets sitting in warehouses, and families who have been waiting for three weeks,” Whitfield said. “That is not acceptable to anybody.”
    The spokeswoman said there was a “clear path forward” now that the county governments had agreed to share fuel costs, but she cautioned that the rains could return before the end of the month.
    “If the river rises again, we are back to square one,” she said.
    Aid groups welcomed the announcement. Peter Kamau Ndirangu, regional director of the Kenya Red Cross Society, said his teams had recorded a sharp rise in malnutrition among children under five in Turkana since February.
    “The numbers are the worst we have seen since 2017,” said Ndirangu. “Every day the road is closed costs lives.”
    According to the United Nations World Food Programme, about 2.1 million people in Kenya’s arid and semi-arid counties need food assistance. A WFP official in Nairobi, who asked not to be named because he was not authorized to speak to the media, said the agency was also preparing airdrops as a fallback.
    Whitfield said the authority would publish convoy schedules every morning on its website, and she urged local leaders to share them by radio.
    ''')

# 2. ALL-CAPS headline, straight quotes, initials + suffix, Sen./Gov./Mr./Sept./U.S.,
#    dash attribution followed by a floating quote, White House as speaker.
add("wsn-20240912-senate-border-bill",
    "SENATE PANEL ADVANCES BORDER FUNDING BILL AFTER LATE-NIGHT DEAL",
    "Wirescan News", "2024-09-12",
    "https://news.wirescan.example/2024/09/12/senate-panel-border-funding",
    "\n", '''
    WASHINGTON (Wirescan News) — A Senate committee voted 14-11 late Wednesday to advance a $9.4 billion border security package, sending the measure to the full Senate on a day when the anniversary of the Sept. 11 attacks had revived debate over domestic security spending.
    Sen. Robert J. Haines Jr., the Ohio Republican who chairs the panel, said the bill was the product of "weeks of hard, unglamorous work" by staff from both parties.
    "Nobody got everything they wanted," Haines said. "That's usually how you know it's a real compromise."
    Democrats on the committee were divided. Sen. Alicia M. Torres of New Mexico voted for the package but said she would seek amendments on the floor to expand funding for immigration judges.
    "We can't keep pouring money into enforcement and then act surprised that the courts have a backlog of three million cases." — Senator Alicia Torres
    "The judges are the bottleneck. Fund the judges, and half of this problem takes care of itself."
    Mr. Haines dismissed that criticism. He told reporters outside the hearing room that the bill already included money for 150 new judges, "which is more than any bill in a decade."
    The White House said in a statement that it supported the bill's "overall direction" but had concerns about a provision that would shift funds away from disaster relief.
    Gov. Linda Barrow of Arizona, whose state would receive the largest share of the new money, called the vote "a long-overdue step." A spokesman for the Department of Homeland Security declined to comment.
    U.S. officials familiar with the negotiations said a floor vote was unlikely before October, because the Senate's calendar is already crowded with spending bills.
    ''')

# 3. « » from a French official (French + English), German „ “, colon lead-in across a
#    paragraph break, anonymous diplomat, Commission spokesman.
add("wsn-20240318-eu-farm-cap",
    "EU ministers clash over farm subsidy cap at Brussels meeting",
    "Wirescan News", "2024-03-18",
    "https://news.wirescan.example/2024/03/18/eu-farm-subsidy-cap",
    "\n\n", '''
    BRUSSELS (Wirescan News) — European agriculture ministers failed on Monday to agree on a cap for direct farm payments, with France and Germany leading opposing camps at a tense meeting in Brussels.
    Étienne Marchand, France’s agriculture minister, arrived at the meeting in a combative mood.
    « Nous ne laisserons pas tomber nos agriculteurs », Marchand told reporters, before adding in English that a cap at the proposed level of 100,000 euros per farm would « hit exactly the family farms we claim to protect ».
    « This is not a technical question. It is a question of what kind of countryside Europe wants in twenty years », the minister said.
    Germany’s state secretary for agriculture, Katrin Vogelsang, said Berlin backed the cap as a matter of fairness.
    „Es kann nicht sein, dass zwanzig Prozent der Betriebe achtzig Prozent des Geldes bekommen“, Vogelsang said. She added in English: „Twenty percent of farms taking eighty percent of the money is not a policy. It is an accident of history.“
    Asked whether a compromise was possible before the June summit, Poland’s agriculture minister, Tomasz Wierzbicki, said:
    “There is always a compromise in Brussels. The only question is how many nights without sleep it costs.”
    A diplomat from a northern member state, speaking on condition of anonymity because the talks were confidential, said the French position had hardened after farmer protests in Lyon and Toulouse last month.
    The European Commission said it would present a revised proposal in May. Commission spokesman Luca Ferrante said the executive remained “open to all ideas” but would not drop the cap altogether.
    ''')

# 4. Quote continued over three paragraphs (reopened, closed only at the end), nested
#    ‘…’ quotes inside “…”, a curly apostrophe inside a nested quote, O'Connell, Ms.
add("wsn-20240507-maternity-inquiry",
    "Former hospital manager tells inquiry she was warned to stay silent",
    "Wirescan News", "2024-05-07",
    "https://news.wirescan.example/2024/05/07/maternity-inquiry-oconnell",
    "\n", '''
    LONDON (Wirescan News) — A former manager at a Manchester hospital told a public inquiry on Tuesday that she had been warned by a senior executive to stay silent about staffing shortages in the hospital's maternity unit.
    Helen O'Connell, who ran the unit's night rota from 2019 to 2022, read a prepared statement to the inquiry panel, which is chaired by retired judge Sir Anthony Pryce.
    “I raised the rota gaps in writing at least eleven times,” O'Connell said. “Each time the answer was the same. I was told, ‘We are aware, Helen, and it is being managed.’ It was not being managed.
    “In March 2021 I was called into a meeting with the deputy chief executive. He said to me, and I wrote it down that evening, ‘If this ends up in the papers, nobody will remember who was right. They’ll remember who talked.’ I took that as a threat, and I still do.
    “I am here because the mothers and babies on that ward deserved better than a spreadsheet, and because I didn't speak loudly enough when it mattered.”
    The former deputy chief executive, Graham Tolley, has denied making the remark. In a statement issued through his lawyers on Tuesday, Tolley said he “entirely rejected” Ms. O'Connell's account and had always encouraged staff to raise concerns.
    Under questioning, O'Connell said that she had also contacted the Care Quality Commission, England's health regulator, in 2022. A spokeswoman for the commission said it could not comment on individual cases while the inquiry was under way.
    Pryce adjourned the hearing until Thursday, when the inquiry is expected to hear from Tolley himself.
    ''')

# 5. Indirect speech in many forms, straight quotes + ASCII apostrophes, O'Malley,
#    'single-quoted' headline fragment, White House, anonymous official; JSON \\u escapes.
add("wsn-20240226-iran-vienna-talks",
    "Iran's foreign ministry says Vienna talks 'not dead' as U.S. weighs new sanctions",
    "Wirescan News", "2024-02-26",
    "https://news.wirescan.example/2024/02/26/iran-vienna-talks-not-dead",
    "\n\n", '''
    TEHRAN (Wirescan News) — Iran's foreign ministry said on Monday that talks with world powers over its nuclear program were "not dead," even as U.S. officials signaled that Washington was preparing a fresh round of sanctions.
    Foreign ministry spokesman Kamran Bagheri-Nia told reporters in Tehran that Iran had "not closed any door" and that its negotiators were ready to return to Vienna "as soon as the other side shows seriousness."
    He said Iran's parliament had not yet voted on a bill that would further limit access for international inspectors, adding that the government didn't support "unnecessary escalation."
    In Washington, the White House said it remained committed to diplomacy but would "not wait forever." A senior administration official who spoke on condition of anonymity said the Treasury Department was finalizing sanctions on a network of shipping companies accused of moving Iranian oil to Asia.
    "The window is not closed, but it is closing," the official said.
    Sen. Thomas O'Malley, a Democrat from Massachusetts who sits on the Foreign Relations Committee, said the administration should give negotiators more time. O'Malley's spokesman said the senator had spoken with State Department officials over the weekend.
    According to diplomats in Vienna, the International Atomic Energy Agency is expected to report this week that Iran has again expanded its stockpile of enriched uranium. An IAEA spokeswoman declined to comment on the report before its release.
    Iran's state news agency IRNA quoted Deputy Foreign Minister Reza Fallahzadeh as saying that Tehran would respond "proportionately" to any new sanctions.
    Talks have been stalled since December, when the last round ended without agreement, Western diplomats said.
    ''', ascii_json=True)

# 6. Domain name as organisation, al-Hassan / Al-Hassan, split quote, O'Sullivan,
#    curly quotes with ASCII apostrophes inside them.
add("wsn-20240620-nigeria-doctored-video",
    "Nigerian fact-checkers say viral fuel subsidy video was doctored",
    "Wirescan News", "2024-06-20",
    "https://news.wirescan.example/2024/06/20/nigeria-doctored-subsidy-video",
    "\n", '''
    LAGOS, Nigeria (Wirescan News) — A video circulating on social media that appears to show a Nigerian minister promising to restore fuel subsidies was digitally altered, the Lagos-based fact-checking site Dailypulse.ng said on Thursday.
    Dailypulse.ng said the clip, viewed more than two million times since Tuesday, spliced audio from a 2019 campaign speech onto footage of a news conference held in Abuja last month.
    “The lip movements don't match, the lighting changes mid-sentence, and the original audio is still online for anyone to find,” said Ibrahim al-Hassan, the site's editor. “This wasn't sophisticated. It was fast.”
    “People shared it,” he said, “because they wanted it to be true. That's the part that worries me more than the technology.”
    The Ministry of Petroleum Resources called the video “malicious” and said it had reported the accounts that first posted it. Aisha Danjuma-Okafor, a ministry spokeswoman, said the minister had “never made any such commitment.”
    Fact-checkers in Kenya and Ghana have reported similar altered videos ahead of elections in the region. Niamh O'Sullivan, a researcher at the University of Cape Town who studies election misinformation, said cheap editing tools had “lowered the bar to almost nothing.”
    “Five years ago you needed a studio,” O'Sullivan said. “Now you need a phone and an afternoon.”
    Al-Hassan said the site would publish a frame-by-frame breakdown of the clip on Friday, along with the original footage.
    ''')

# 7. Dr., speaker-before with colon in the same paragraph, colon lead-in across a
#    paragraph break ("He added:"), Gov. X's office, CDC spokesman with initial.
add("wsn-20240731-texas-measles",
    "Measles cases climb in Texas as health officials urge vaccination",
    "Gulf Coast Ledger", "2024-07-31",
    "https://gulfcoastledger.example/health/2024/07/31/texas-measles-cases-climb",
    "\n\n", '''
    HOUSTON (Wirescan News) — Health officials in Texas reported 23 new measles cases on Wednesday, bringing the total in the current outbreak to 146, and urged parents to check their children's vaccination records before the school year begins.
    Dr. Maria Lopez, the state's chief epidemiologist, said most of the cases were in unvaccinated children between the ages of 5 and 17.
    "This is a preventable disease," said Maria Lopez. "Two doses of the vaccine are about 97 percent effective. We have the tools; we need people to use them."
    At a news briefing in Austin, Lopez said: "I understand that parents have questions. Call your pediatrician. Call us. Don't get your medical advice from a stranger on the internet."
    Federal health officials said they had sent a team from the Centers for Disease Control and Prevention to assist. A CDC spokesman, Mark E. Delaney, said in an email that the agency was "in close contact" with state and local authorities.
    U.S. officials have warned that vaccination rates among kindergartners have fallen for several years in a row. According to federal data, coverage is now below the 95 percent threshold that experts say is needed to prevent outbreaks.
    Gov. Raymond Castillo's office said in a statement that the state would fund additional mobile vaccination clinics in the affected counties.
    Dr. Samuel Okonkwo-Reyes, a pediatrician in Lubbock, said he had seen "more worried parents in the past two weeks than in the past two years." He added:
    "Some of them were told vaccines cause autism. They don't. I spend a lot of my day now undoing things people read online."
    ''')

# 8. Nested straight single quotes inside straight double quotes, plural possessive
#    apostrophe (employers'), lower-case particle name (van der Berg / Van der Berg),
#    non-ASCII name (Øvergaard), "the FNV union said", anonymous ministry official.
add("wsn-20240601-rotterdam-strike",
    "Rotterdam dockworkers strike after wage talks collapse",
    "Wirescan News", "2024-06-01",
    "https://news.wirescan.example/2024/06/01/rotterdam-dockworkers-strike",
    "\n\n", '''
    ROTTERDAM, Netherlands (Wirescan News) — Thousands of dockworkers at the port of Rotterdam, Europe's busiest, walked off the job on Saturday after wage talks with terminal operators collapsed overnight, the FNV union said.
    Jeroen van der Berg, who led the union's negotiating team, said employers had refused to move on a demand for a 7 percent pay rise.
    "At two in the morning their lead negotiator stood up and said, 'This is our final offer, take it or leave it,' and then he left the room," van der Berg said. "So we left too."
    Van der Berg said the strike would last at least 48 hours and could be extended if the employers did not return with a better offer.
    The Rotterdam Terminal Employers' Association said in a statement that its offer of 4.5 percent over two years was "generous and responsible" given rising energy costs.
    A spokeswoman for the association, Marloes de Wit, told reporters the strike would "hurt everyone, including the workers." She declined to say whether the employers would return to the table.
    Shipping analysts warned of delays across northern Europe. "Every day of strike at Rotterdam takes a week to unwind," said Lars Øvergaard, an analyst at Oslo-based consultancy Nordic Freight Insight. "Shippers will divert to Antwerp and Hamburg, but those ports are already close to capacity."
    The Dutch infrastructure ministry said it was monitoring the situation. A ministry official, speaking on condition of anonymity, said the government had no plans to intervene "at this stage."
    ''')

# 9. Floating quote after a description reference ("the minister"), X's spokesman with
#    hyphenated name, Prof., Inc., a.m., Corp., Mt., company as speaker, "She said".
add("wsn-20241115-nsw-alert-outage",
    "Australian minister defends bushfire warning system after outage",
    "Wirescan News", "2024-11-15",
    "https://news.wirescan.example/2024/11/15/australia-bushfire-alert-outage",
    "\n", '''
    SYDNEY (Wirescan News) — Australia's emergency management minister on Friday defended the country's bushfire alert system after a four-hour outage left residents in parts of New South Wales without warnings as fires approached towns west of Sydney.
    Minister Catherine Ashdown said the outage, which began at about 2:15 a.m. on Thursday, had been caused by a failed software update at a data centre run by a private contractor, Telcove Systems Inc.
    "I'm not going to pretend this was acceptable," the minister told the Australian Broadcasting Corp. "It was not. People deserved to get those alerts and they didn't."
    "We will find out exactly what went wrong, and someone will be held responsible."
    Ashdown's spokesman, Daniel Fitzgerald-Hughes, later said the minister had ordered an independent review led by Prof. Ruth Kingsley of the Australian National University. The spokesman said the review would report within 60 days.
    Telcove Systems said in a statement that it "deeply regretted" the disruption and that its backup systems had failed to activate "for reasons we are still investigating."
    Residents in the Blue Mountains village of Mt. Victoria said they had learned of the fires from neighbours and social media. "My phone didn't buzz once," said Gwen Tarrant, 71, who evacuated with her husband at dawn. "We saw the glow on the ridge and just went."
    She said the couple's house was still standing.
    The New South Wales Rural Fire Service said no lives were lost and that 14 homes were destroyed.
    ''')


with open(OUT, "w", encoding="utf-8", newline="") as f:
    for art, ascii_json in ARTICLES:
        f.write(json.dumps(art, ensure_ascii=ascii_json) + "\n")

for art, _ in ARTICLES:
    print(f"{art['id']:40s} words={len(art['text'].split()):4d} paras={art['text'].count(chr(10)) + 1}")
