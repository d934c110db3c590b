//! Quotation-mark pairing: the quoted stretches of an article.
//!
//! Works on canonical marks (`“` opens, `”` closes; a doubled single mark
//! `‘‘`, `’’` or `‘’` — the `''` of some wires — counts as one double mark,
//! its direction read from its neighbours). Pairing is per paragraph, with a
//! depth counter for nesting; a closing mark with nothing open is skipped, and
//! a mark still open at the end of a paragraph either continues into the next
//! paragraph (the news convention: each paragraph of a long quote reopens, only
//! the last closes) or is closed at the paragraph end when it holds a few
//! words, else dropped. So no mark, however malformed, stops the article.
//!
//! Invariant: spans are in text order, never overlap, start at an opening
//! mark token and end at a closing mark token or a paragraph's last token.

use super::Ctx;
use super::cues;
use crate::text::TokenKind;

/// One quoted stretch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Quoted {
    /// First token (the opening mark).
    pub open: usize,
    /// One past the last token (the closing mark, or the paragraph end).
    pub end: usize,
    /// First token of the closing mark, when there is one.
    pub close: Option<usize>,
    /// Runs on into the next paragraph, which reopens it.
    pub continues: bool,
    /// Continues a quote of the previous paragraph.
    pub continued: bool,
    /// A whole quote (not a fragment inside a reported clause): starts a
    /// sentence or follows a colon, a cue or a comma with a capital letter.
    pub whole: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mark {
    Open,
    Close,
}

/// The mark at token `i`, and how many tokens it takes. (The test of the
/// token's kind inline, since it is asked of every token; the rest out of
/// line.)
#[inline]
fn mark_at(ctx: &Ctx, i: usize) -> Option<(Mark, usize)> {
    if ctx.tokens[i].kind != TokenKind::Quote {
        return None;
    }
    quote_mark_at(ctx, i)
}

/// [`mark_at`] of a quote token.
fn quote_mark_at(ctx: &Ctx, i: usize) -> Option<(Mark, usize)> {
    let tokens = ctx.tokens;
    match ctx.word(i) {
        // An opening mark typed for a closing one ("here,“ said Clyburn"):
        // glued to the word before, a space after.
        "“" => {
            let before = ctx.text[..tokens[i].start as usize].chars().next_back();
            let after = ctx.text[tokens[i].end as usize..].chars().next();
            let closes =
                before.is_some_and(|c| matches!(c, ',' | '.' | '?' | '!')) && after.is_none_or(|c| c.is_whitespace());
            Some((if closes { Mark::Close } else { Mark::Open }, 1))
        }
        "”" => Some((Mark::Close, 1)),
        _ => {
            // A single mark counts only when doubled.
            let next = tokens.get(i + 1)?;
            if next.kind != TokenKind::Quote || next.start != tokens[i].end || !matches!(ctx.word(i + 1), "‘" | "’")
            {
                return None;
            }
            let before = ctx.text[..tokens[i].start as usize].chars().next_back();
            let after = ctx.text[next.end as usize..].chars().next();
            let opens_before = before.is_none_or(|c| c.is_whitespace() || matches!(c, '(' | '[' | '—' | '–' | '“'));
            let word_after = after.is_some_and(|c| c.is_alphanumeric() || matches!(c, '…' | '$' | '‘'));
            let mark = if opens_before && word_after { Mark::Open } else { Mark::Close };
            Some((mark, 2))
        }
    }
}

/// Finds the quoted stretches of the article.
pub fn find(ctx: &Ctx) -> Vec<Quoted> {
    let mut out: Vec<Quoted> = Vec::new();
    let paragraphs = ctx.doc.paragraphs().len() as u32;
    let mut continued = false;
    for p in 0..paragraphs {
        let range = ctx.paragraph_tokens(p);
        let mut open: Option<usize> = None;
        let mut depth = 0u32;
        let mut i = range.start;
        while i < range.end {
            let Some((mark, width)) = mark_at(ctx, i) else {
                i += 1;
                continue;
            };
            match mark {
                Mark::Open if open.is_none() => open = Some(i),
                Mark::Open => depth += 1,
                Mark::Close if depth > 0 => depth -= 1,
                Mark::Close => {
                    if let Some(o) = open.take() {
                        let end = (i + width).min(range.end);
                        out.push(Quoted { open: o, end, close: Some(i), continues: false, continued, whole: false });
                        continued = false;
                    }
                }
            }
            i += width;
        }
        if let Some(o) = open {
            let next_opens = p + 1 < paragraphs && {
                let next = ctx.paragraph_tokens(p + 1).start;
                matches!(mark_at(ctx, next), Some((Mark::Open, _)))
            };
            let words = (o..range.end).filter(|&t| ctx.tokens[t].kind == TokenKind::Word).count();
            if next_opens || words >= 4 {
                out.push(Quoted {
                    open: o,
                    end: range.end,
                    close: None,
                    continues: next_opens,
                    continued,
                    whole: false,
                });
            }
            continued = next_opens;
        } else {
            continued = false;
        }
    }
    for q in &mut out {
        q.whole = is_whole(ctx, q);
    }
    out
}

/// Whether a quoted stretch stands as a quote of its own rather than a
/// fragment woven into a clause ("a “provision for all prisoners”").
fn is_whole(ctx: &Ctx, q: &Quoted) -> bool {
    if q.continued || q.continues {
        return true;
    }
    let first_inner = ctx.text[ctx.tokens[q.open].end as usize..].chars().find(|c| !c.is_whitespace());
    let capital = first_inner.is_some_and(|c| c.is_uppercase() || c.is_ascii_digit() || c == '…');
    let sentence_start = ctx.sentence_tokens(ctx.sentence_of[q.open]).start;
    let para_start = ctx.paragraph_tokens(ctx.paragraph_of(q.open)).start;
    if q.open == sentence_start || q.open == para_start {
        return true;
    }
    let prev = q.open - 1;
    // The first mark on its line ("… ― Esther Tapia\n“Mostly …”").
    if ctx.text[ctx.tokens[prev].end as usize..ctx.tokens[q.open].start as usize].contains('\n') {
        return true;
    }
    let prev_word = ctx.word(prev);
    if matches!(prev_word, ":" | "—" | "–" | "(") {
        return true;
    }
    if matches!(prev_word, "," | "-") || ctx.closes_quote(prev) {
        // "“A,” he said, “b”": a split quote goes on in lower case.
        let cue_before = (q.open.saturating_sub(5)..prev).any(|t| ctx.lower(t).and_then(cues::cue_verb).is_some());
        return capital || cue_before || after_attribution(ctx, prev, sentence_start);
    }
    if ctx.lower(prev).and_then(cues::cue_verb).is_some() {
        return capital;
    }
    // A long quote with a capital after an ordinary word is still whole
    // ("He then read “We the people ...”" is rare; fragments are the rule).
    false
}

/// Whether the tokens before `prev` back to a closing mark in the sentence
/// hold a cue: "“A,” he told Bloomberg News in October, “b”" (the longer
/// attribution of a split quote).
fn after_attribution(ctx: &Ctx, prev: usize, sentence_start: usize) -> bool {
    let mut cue = false;
    for t in (prev.saturating_sub(30).max(sentence_start)..prev).rev() {
        if ctx.closes_quote(t) {
            return cue;
        }
        if ctx.tokens[t].kind == TokenKind::Quote && ctx.word(t) != "’" && ctx.word(t) != "'" {
            return false;
        }
        cue |= ctx.lower(t).and_then(cues::cue_verb).is_some();
    }
    false
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::stages::entities::Entities;
    use crate::text::Document;

    fn quoted(original: &str) -> Vec<(String, bool)> {
        let doc = Document::new(original);
        let entities = Entities::default();
        let ctx = Ctx::new(&doc, &entities);
        find(&ctx)
            .iter()
            .map(|q| {
                let s = ctx.span(q.open, q.end);
                let (a, b) = doc.original_span(s.start as usize, s.end as usize);
                (original.chars().skip(a as usize).take((b - a) as usize).collect(), q.whole)
            })
            .collect()
    }

    #[test]
    fn pairs_marks_of_every_style_and_maps_back_to_the_original() {
        let got = quoted("He said: &quot;No deal.&quot; She said «Oui,» and, and „Ja“ too. ''We won,'' he said.");
        assert_eq!(
            got,
            vec![
                ("&quot;No deal.&quot;".to_string(), true),
                ("«Oui,»".to_string(), true),
                ("„Ja“".to_string(), false),
                ("''We won,''".to_string(), true),
            ]
        );
    }

    #[test]
    fn nested_quotes_stay_inside_the_outer_one() {
        let got = quoted("“He told me ‘never,’ then “no” and “ok” twice,” she said.");
        assert_eq!(got.len(), 1, "{got:?}");
        assert_eq!(got[0].0, "“He told me ‘never,’ then “no” and “ok” twice,”");
    }

    #[test]
    fn a_quote_reopened_in_the_next_paragraph_continues() {
        let got = quoted("“First part of it,” he said. “Second part\n“Third part.”\nAfter.");
        assert_eq!(
            got.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(),
            ["“First part of it,”", "“Second part", "“Third part.”"]
        );
    }

    #[test]
    fn stray_marks_are_skipped_or_closed_at_the_paragraph_end() {
        let got = quoted("Stray” close. An open “quote that never ends here\nNext “x paragraph.");
        assert_eq!(got.iter().map(|g| g.0.as_str()).collect::<Vec<_>>(), ["“quote that never ends here"]);
    }

    #[test]
    fn fragments_are_not_whole_quotes() {
        let got = quoted("He said there is a “provision for all,” to be discussed. He called it “Bad.”");
        assert_eq!(got.iter().map(|g| g.1).collect::<Vec<_>>(), [false, false]);
    }
}
