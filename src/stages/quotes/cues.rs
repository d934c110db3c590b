//! The word lists the quote stage reads: reporting verbs (cues) and the small
//! closed classes the speaker finder walks over (determiners, auxiliaries,
//! pronouns, nouns that name speakers).
//!
//! Written by the project. Every list holds lowercase ASCII words of at most
//! [`MAX_WORD`] bytes; the quote stage looks them up with the lowercase forms
//! it makes once per article (`Ctx::lower`).

use std::sync::LazyLock;

use crate::fxhash::{FxHashMap, FxHashSet};

/// What a reporting verb allows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CueVerb {
    /// Reports speech without "that" ("Rabiei said Iran held ..."); otherwise
    /// reported speech needs "that" ("he complained that ...").
    pub bare: bool,
    /// Takes the addressee as an object ("told reporters that").
    pub object: bool,
    /// An -ing form ("adding that", "as saying").
    pub participle: bool,
    /// A verb of stance or intent whose object is what is attributed
    /// ("Christie endorsed Trump", "she plans to vote", "declined to
    /// comment"): the content is what follows it, never an inverted speaker.
    pub attitude: bool,
}

const fn verb(bare: bool, object: bool, participle: bool) -> CueVerb {
    CueVerb { bare, object, participle, attitude: false }
}

/// Reporting verbs, sorted and without repeats (a test checks; [`CUE_MAP`]
/// would keep only the last of two).
const CUES: &[(&str, CueVerb)] = &[
    ("acknowledge", verb(false, false, false)),
    ("acknowledged", verb(true, false, false)),
    ("acknowledges", verb(true, false, false)),
    ("acknowledging", verb(true, false, true)),
    ("added", verb(true, false, false)),
    ("adding", verb(true, false, true)),
    ("adds", verb(true, false, false)),
    ("admit", verb(true, false, false)),
    ("admits", verb(true, false, false)),
    ("admitted", verb(true, false, false)),
    ("admitting", verb(true, false, true)),
    ("affirmed", verb(false, false, false)),
    ("affirms", verb(false, false, false)),
    ("agree", verb(true, false, false)),
    ("agreed", verb(true, false, false)),
    ("alleged", verb(false, false, false)),
    ("alleges", verb(false, false, false)),
    ("alleging", verb(false, false, true)),
    ("announced", verb(false, false, false)),
    ("announces", verb(false, false, false)),
    ("answered", verb(false, false, false)),
    ("answers", verb(false, false, false)),
    ("argue", verb(true, false, false)),
    ("argued", verb(true, false, false)),
    ("argues", verb(true, false, false)),
    ("arguing", verb(true, false, true)),
    ("asked", verb(false, true, false)),
    ("asking", verb(false, false, true)),
    ("asks", verb(false, true, false)),
    ("asserted", verb(true, false, false)),
    ("asserting", verb(true, false, true)),
    ("asserts", verb(true, false, false)),
    ("assured", verb(false, true, false)),
    ("barked", verb(false, false, false)),
    ("believe", verb(true, false, false)),
    ("believed", verb(false, false, false)),
    ("believes", verb(true, false, false)),
    ("boasted", verb(false, false, false)),
    ("boasting", verb(false, false, true)),
    ("bragged", verb(false, false, false)),
    ("cautioned", verb(false, true, false)),
    ("cautioning", verb(false, false, true)),
    ("chanted", verb(false, false, false)),
    ("chanting", verb(false, false, true)),
    ("charged", verb(false, false, false)),
    ("chimed", verb(false, false, false)),
    ("claim", verb(false, false, false)),
    ("claimed", verb(true, false, false)),
    ("claiming", verb(true, false, true)),
    ("claims", verb(true, false, false)),
    ("clarified", verb(false, false, false)),
    ("commented", verb(true, false, false)),
    ("complained", verb(true, false, false)),
    ("complaining", verb(false, false, true)),
    ("complains", verb(true, false, false)),
    ("conceded", verb(true, false, false)),
    ("concedes", verb(true, false, false)),
    ("conceding", verb(false, false, true)),
    ("conclude", verb(false, false, false)),
    ("concluded", verb(false, false, false)),
    ("concludes", verb(false, false, false)),
    ("confessed", verb(true, false, false)),
    ("confirmed", verb(false, false, false)),
    ("contended", verb(true, false, false)),
    ("contending", verb(false, false, true)),
    ("contends", verb(true, false, false)),
    ("continued", verb(false, false, false)),
    ("continues", verb(false, false, false)),
    ("countered", verb(false, false, false)),
    ("countering", verb(false, false, true)),
    ("declared", verb(true, false, false)),
    ("declares", verb(false, false, false)),
    ("declaring", verb(true, false, true)),
    ("demanded", verb(false, false, false)),
    ("demurred", verb(false, false, false)),
    ("denied", verb(false, false, false)),
    ("echoed", verb(false, false, false)),
    ("elaborated", verb(false, false, false)),
    ("emphasized", verb(true, false, false)),
    ("emphasizing", verb(false, false, true)),
    ("estimated", verb(true, false, false)),
    ("exclaimed", verb(false, false, false)),
    ("exhorted", verb(false, false, false)),
    ("explained", verb(true, false, false)),
    ("explaining", verb(true, false, true)),
    ("explains", verb(true, false, false)),
    ("feared", verb(false, false, false)),
    ("fears", verb(false, false, false)),
    ("feel", verb(false, false, false)),
    ("feels", verb(false, false, false)),
    ("felt", verb(false, false, false)),
    ("finds", verb(false, false, false)),
    ("fired", verb(false, false, false)),
    ("found", verb(false, false, false)),
    ("fumed", verb(false, false, false)),
    ("fumes", verb(false, false, false)),
    ("hope", verb(true, false, false)),
    ("hoped", verb(true, false, false)),
    ("hopes", verb(true, false, false)),
    ("implied", verb(false, false, false)),
    ("implying", verb(false, false, true)),
    ("indicate", verb(false, false, false)),
    ("indicated", verb(false, false, false)),
    ("indicates", verb(false, false, false)),
    ("insist", verb(true, false, false)),
    ("insisted", verb(true, false, false)),
    ("insisting", verb(true, false, true)),
    ("insists", verb(true, false, false)),
    ("interjected", verb(false, false, false)),
    ("joked", verb(false, false, false)),
    ("jokes", verb(false, false, false)),
    ("joking", verb(false, false, true)),
    ("knew", verb(false, false, false)),
    ("know", verb(false, false, false)),
    ("lamented", verb(false, false, false)),
    ("lamenting", verb(false, false, true)),
    ("laughed", verb(false, false, false)),
    ("learned", verb(false, false, false)),
    ("maintained", verb(false, false, false)),
    ("maintains", verb(false, false, false)),
    ("mused", verb(false, false, false)),
    ("note", verb(false, false, false)),
    ("noted", verb(true, false, false)),
    ("notes", verb(true, false, false)),
    ("noting", verb(true, false, true)),
    ("observed", verb(false, false, false)),
    ("observes", verb(false, false, false)),
    ("observing", verb(false, false, true)),
    ("opined", verb(false, false, false)),
    ("pleaded", verb(false, false, false)),
    ("pledged", verb(false, false, false)),
    ("posted", verb(false, false, false)),
    ("predicted", verb(true, false, false)),
    ("predicting", verb(true, false, true)),
    ("predicts", verb(true, false, false)),
    ("pressed", verb(false, false, false)),
    ("promised", verb(false, false, false)),
    ("puts", verb(false, false, false)),
    ("quip", verb(false, false, false)),
    ("quipped", verb(false, false, false)),
    ("quipping", verb(false, false, true)),
    ("quips", verb(false, false, false)),
    ("reacted", verb(false, false, false)),
    ("read", verb(false, false, false)),
    ("reads", verb(false, false, false)),
    ("recalled", verb(true, false, false)),
    ("recalls", verb(false, false, false)),
    ("recognize", verb(false, false, false)),
    ("recounted", verb(false, false, false)),
    ("recounting", verb(false, false, true)),
    ("reiterated", verb(false, false, false)),
    ("reiterating", verb(false, false, true)),
    ("remarked", verb(false, false, false)),
    ("remarking", verb(false, false, true)),
    ("remembered", verb(true, false, false)),
    ("remembers", verb(true, false, false)),
    ("repeated", verb(false, false, false)),
    ("repeating", verb(false, false, true)),
    ("replied", verb(false, false, false)),
    ("replies", verb(false, false, false)),
    ("replying", verb(false, false, true)),
    ("reported", verb(false, false, false)),
    ("reports", verb(false, false, false)),
    ("responded", verb(false, false, false)),
    ("responding", verb(false, false, true)),
    ("responds", verb(false, false, false)),
    ("retorted", verb(false, false, false)),
    ("retorting", verb(false, false, true)),
    ("revealed", verb(false, false, false)),
    ("riffed", verb(false, false, false)),
    ("ruled", verb(false, false, false)),
    ("said", verb(true, false, false)),
    ("sang", verb(false, false, false)),
    ("say", verb(true, false, false)),
    ("saying", verb(true, false, true)),
    ("says", verb(true, false, false)),
    ("scoffed", verb(false, false, false)),
    ("shot", verb(false, false, false)),
    ("shouted", verb(false, false, false)),
    ("shouting", verb(false, false, true)),
    ("show", verb(true, false, false)),
    ("showed", verb(true, false, false)),
    ("showing", verb(false, false, true)),
    ("shows", verb(true, false, false)),
    ("snapped", verb(false, false, false)),
    ("speculated", verb(false, false, false)),
    ("stated", verb(false, false, false)),
    ("states", verb(false, false, false)),
    ("stating", verb(true, false, true)),
    ("stressed", verb(true, false, false)),
    ("suggest", verb(true, false, false)),
    ("suggested", verb(true, false, false)),
    ("suggesting", verb(true, false, true)),
    ("suggests", verb(true, false, false)),
    ("surmised", verb(true, false, false)),
    ("tell", verb(false, true, false)),
    ("telling", verb(false, true, true)),
    ("tells", verb(true, true, false)),
    ("testified", verb(false, false, false)),
    ("think", verb(true, false, false)),
    ("thinks", verb(true, false, false)),
    ("thought", verb(false, false, false)),
    ("told", verb(true, true, false)),
    ("tweeted", verb(false, false, false)),
    ("tweeting", verb(false, false, true)),
    ("urged", verb(false, true, false)),
    ("vowed", verb(false, false, false)),
    ("warn", verb(true, false, false)),
    ("warned", verb(true, true, false)),
    ("warning", verb(true, true, true)),
    ("warns", verb(true, true, false)),
    ("wondered", verb(false, false, false)),
    ("write", verb(false, false, false)),
    ("writes", verb(true, false, false)),
    ("writing", verb(false, false, true)),
    ("wrote", verb(true, false, false)),
    ("yelled", verb(false, false, false)),
];

/// Verbs of intent and of stance toward an object ([`CueVerb::attitude`]),
/// sorted: what they attribute is their object ("declined to comment",
/// "criticized the ruling", "referring to the memo"). Nouns as often as verbs
/// ("attacks", "demands") are left out. [`super::frames`] also reads some of
/// them with a quoted fragment, and the stance stage reads the evaluative ones
/// as clauses too ("Trump blamed China").
const ATTITUDES: &[&str] = &[
    "accused",
    "accuses",
    "accusing",
    "alluding",
    "applauded",
    "assailed",
    "attacked",
    "attacking",
    "backed",
    "backing",
    "bemoaned",
    "bemoaning",
    "blamed",
    "blames",
    "blaming",
    "blasted",
    "blasting",
    "blasts",
    "called",
    "calls",
    "cited",
    "cites",
    "citing",
    "condemned",
    "condemning",
    "condemns",
    "credited",
    "criticized",
    "criticizes",
    "criticizing",
    "decline",
    "declined",
    "declines",
    "decried",
    "decries",
    "defended",
    "defending",
    "defends",
    "demanded",
    "demanding",
    "denounced",
    "denounces",
    "denouncing",
    "derided",
    "described",
    "describes",
    "describing",
    "dismissed",
    "dismisses",
    "dismissing",
    "endorsed",
    "endorses",
    "endorsing",
    "expressed",
    "expresses",
    "expressing",
    "hailed",
    "hails",
    "lambasted",
    "lamented",
    "laments",
    "mentioning",
    "mocked",
    "mocking",
    "mocks",
    "opposed",
    "opposes",
    "opposing",
    "ordered",
    "planned",
    "plans",
    "pointed",
    "portrayed",
    "praised",
    "praises",
    "praising",
    "promising",
    "propose",
    "proposed",
    "proposes",
    "questioned",
    "questioning",
    "rebuked",
    "recalling",
    "referenced",
    "referred",
    "referring",
    "refuse",
    "refused",
    "refuses",
    "reject",
    "rejected",
    "rejecting",
    "rejects",
    "seeks",
    "slammed",
    "slamming",
    "slams",
    "sought",
    "stressing",
    "supported",
    "supports",
    "thanked",
    "thanking",
    "touted",
    "touting",
    "touts",
    "urged",
    "urges",
    "urging",
    "voiced",
    "vowing",
    "wanted",
    "wants",
    "welcomed",
    "welcomes",
];

/// Reporting verbs that take what is said as an infinitive ("promised to
/// end", "vowed to fight").
pub fn takes_infinitive(lower: &str) -> bool {
    matches!(
        lower,
        "agreed" | "demanded" | "hope" | "hoped" | "hopes" | "pledged" | "promised" | "threatened" | "vowed"
    )
}

/// Words allowed between a subject and its verb ("officials have repeatedly
/// said").
const ADVERBS: &[&str] = &[
    "again",
    "already",
    "also",
    "can",
    "could",
    "did",
    "does",
    "earlier",
    "flatly",
    "frequently",
    "had",
    "has",
    "have",
    "later",
    "long",
    "might",
    "must",
    "often",
    "once",
    "only",
    "previously",
    "privately",
    "publicly",
    "quickly",
    "recently",
    "repeatedly",
    "reportedly",
    "should",
    "simply",
    "still",
    "then",
    "will",
    "would",
];

/// Words that start a noun phrase; the leftward walk stops after one.
const DETERMINERS: &[&str] = &[
    "a", "an", "another", "both", "her", "his", "its", "many", "most", "one", "other", "our", "several", "some", "the",
    "their", "these", "this", "those", "two", "three",
];

/// Words that never belong to a speaker noun phrase (the leftward walk stops
/// before them).
const STOP: &[&str] = &[
    "about",
    "after",
    "against",
    "also",
    "although",
    "and",
    "are",
    "as",
    "at",
    "because",
    "been",
    "before",
    "being",
    "but",
    "by",
    "can",
    "could",
    "did",
    "do",
    "does",
    "even",
    "for",
    "from",
    "had",
    "has",
    "have",
    "he",
    "her",
    "here",
    "him",
    "how",
    "i",
    "if",
    "in",
    "into",
    "is",
    "it",
    "just",
    "last",
    "like",
    "may",
    "me",
    "might",
    "more",
    "much",
    "must",
    "no",
    "not",
    "now",
    "on",
    "or",
    "over",
    "she",
    "should",
    "since",
    "so",
    "than",
    "that",
    "them",
    "then",
    "there",
    "they",
    "this",
    "to",
    "today",
    "too",
    "under",
    "until",
    "up",
    "was",
    "we",
    "were",
    "what",
    "when",
    "where",
    "whether",
    "which",
    "while",
    "who",
    "whom",
    "why",
    "will",
    "with",
    "would",
    "yesterday",
    "you",
];

/// Nouns that name speakers: a phrase headed by one is a speaker even without
/// a determiner ("officials said").
const SPEAKER_NOUNS: &[(&str, Role)] = &[
    ("activists", Role::Person),
    ("administration", Role::Org),
    ("adviser", Role::Anonymous),
    ("advisers", Role::Anonymous),
    ("advisor", Role::Anonymous),
    ("advisors", Role::Anonymous),
    ("agency", Role::Org),
    ("aide", Role::Anonymous),
    ("aides", Role::Anonymous),
    ("americans", Role::Person),
    ("analyst", Role::Person),
    ("analysts", Role::Person),
    ("campaign", Role::Org),
    ("committee", Role::Org),
    ("company", Role::Org),
    ("conservatives", Role::Person),
    ("court", Role::Org),
    ("critics", Role::Person),
    ("data", Role::Org),
    ("department", Role::Org),
    ("diplomat", Role::Anonymous),
    ("diplomats", Role::Anonymous),
    ("documents", Role::Org),
    ("economists", Role::Person),
    ("experts", Role::Person),
    ("filings", Role::Org),
    ("government", Role::Org),
    ("half", Role::Person),
    ("historians", Role::Person),
    ("insider", Role::Anonymous),
    ("insiders", Role::Anonymous),
    ("investigators", Role::Person),
    ("lawmakers", Role::Person),
    ("leaders", Role::Person),
    ("liberals", Role::Person),
    ("majority", Role::Person),
    ("media", Role::Org),
    ("members", Role::Person),
    ("ministry", Role::Org),
    ("newspaper", Role::Org),
    ("observers", Role::Person),
    ("office", Role::Org),
    ("official", Role::Anonymous),
    ("officials", Role::Anonymous),
    ("opponents", Role::Person),
    ("people", Role::Anonymous),
    ("percent", Role::Person),
    ("person", Role::Anonymous),
    ("plurality", Role::Person),
    ("police", Role::Org),
    ("poll", Role::Org),
    ("polls", Role::Org),
    ("pollster", Role::Person),
    ("pollsters", Role::Person),
    ("prosecutors", Role::Person),
    ("records", Role::Org),
    ("report", Role::Org),
    ("researchers", Role::Person),
    ("residents", Role::Person),
    ("respondents", Role::Person),
    ("scientists", Role::Person),
    ("source", Role::Anonymous),
    ("sources", Role::Anonymous),
    ("spokesman", Role::Person),
    ("spokesperson", Role::Person),
    ("spokeswoman", Role::Person),
    ("staffer", Role::Anonymous),
    ("staffers", Role::Anonymous),
    ("statement", Role::Org),
    ("strategists", Role::Person),
    ("studies", Role::Org),
    ("study", Role::Org),
    ("supporters", Role::Person),
    ("survey", Role::Org),
    ("surveys", Role::Org),
    ("voters", Role::Person),
];

/// Nouns of roles and bodies ("the retired neurosurgeon", "a teacher from
/// Mount Pleasant", "the board"), sorted: they head a speaker's
/// description as the sentence's subject, but unlike [`SPEAKER_NOUNS`] they
/// do not make a fragment after a verb a quote ("a group called “X”", "a
/// website called").
const ROLE_NOUNS: &[(&str, Role)] = &[
    ("activist", Role::Person),
    ("actor", Role::Person),
    ("actress", Role::Person),
    ("ad", Role::Org),
    ("administrator", Role::Person),
    ("ads", Role::Org),
    ("agent", Role::Person),
    ("agents", Role::Person),
    ("allies", Role::Person),
    ("ally", Role::Person),
    ("ambassador", Role::Person),
    ("anchor", Role::Person),
    ("association", Role::Org),
    ("attorney", Role::Person),
    ("attorneys", Role::Person),
    ("audience", Role::Person),
    ("author", Role::Person),
    ("billionaire", Role::Person),
    ("bishop", Role::Person),
    ("board", Role::Org),
    ("businessman", Role::Person),
    ("businesswoman", Role::Person),
    ("candidate", Role::Person),
    ("candidates", Role::Person),
    ("caucus", Role::Org),
    ("chairman", Role::Person),
    ("chairwoman", Role::Person),
    ("challenger", Role::Person),
    ("chief", Role::Person),
    ("coach", Role::Person),
    ("coalition", Role::Org),
    ("columnist", Role::Person),
    ("comedian", Role::Person),
    ("commander", Role::Person),
    ("commentator", Role::Person),
    ("commentators", Role::Person),
    ("commission", Role::Org),
    ("commissioner", Role::Person),
    ("congressman", Role::Person),
    ("congresswoman", Role::Person),
    ("consultant", Role::Person),
    ("consultants", Role::Person),
    ("contender", Role::Person),
    ("contestant", Role::Person),
    ("council", Role::Org),
    ("critic", Role::Person),
    ("crowd", Role::Person),
    ("daughter", Role::Person),
    ("delegate", Role::Person),
    ("delegates", Role::Person),
    ("director", Role::Person),
    ("doctor", Role::Person),
    ("donor", Role::Person),
    ("donors", Role::Person),
    ("economist", Role::Person),
    ("editor", Role::Person),
    ("employee", Role::Person),
    ("employees", Role::Person),
    ("envoy", Role::Person),
    ("evangelicals", Role::Person),
    ("executive", Role::Person),
    ("executives", Role::Person),
    ("expert", Role::Person),
    ("fans", Role::Person),
    ("father", Role::Person),
    ("firm", Role::Org),
    ("foundation", Role::Org),
    ("founder", Role::Person),
    ("friend", Role::Person),
    ("front-runner", Role::Person),
    ("frontrunner", Role::Person),
    ("governor", Role::Person),
    ("governors", Role::Person),
    ("group", Role::Org),
    ("groups", Role::Org),
    ("historian", Role::Person),
    ("hopeful", Role::Person),
    ("hopefuls", Role::Person),
    ("host", Role::Person),
    ("husband", Role::Person),
    ("imam", Role::Person),
    ("incumbent", Role::Person),
    ("inspector", Role::Person),
    ("institute", Role::Org),
    ("investigator", Role::Person),
    ("journalist", Role::Person),
    ("judge", Role::Person),
    ("judges", Role::Person),
    ("lawmaker", Role::Person),
    ("lawyer", Role::Person),
    ("lawyers", Role::Person),
    ("leader", Role::Person),
    ("legislator", Role::Person),
    ("legislators", Role::Person),
    ("letter", Role::Org),
    ("magazine", Role::Org),
    ("manager", Role::Person),
    ("mayor", Role::Person),
    ("mayors", Role::Person),
    ("member", Role::Person),
    ("memo", Role::Org),
    ("minister", Role::Person),
    ("mother", Role::Person),
    ("neighbor", Role::Person),
    ("neighbors", Role::Person),
    ("network", Role::Org),
    ("neurosurgeon", Role::Person),
    ("nominee", Role::Person),
    ("nominees", Role::Person),
    ("nurse", Role::Person),
    ("officer", Role::Person),
    ("officers", Role::Person),
    ("operative", Role::Person),
    ("operatives", Role::Person),
    ("opponent", Role::Person),
    ("organization", Role::Org),
    ("organizer", Role::Person),
    ("organizers", Role::Person),
    ("outlet", Role::Org),
    ("owner", Role::Person),
    ("panel", Role::Org),
    ("paper", Role::Org),
    ("party", Role::Org),
    ("pastor", Role::Person),
    ("physician", Role::Person),
    ("player", Role::Person),
    ("president", Role::Person),
    ("professor", Role::Person),
    ("professors", Role::Person),
    ("progressives", Role::Person),
    ("prosecutor", Role::Person),
    ("protester", Role::Person),
    ("protesters", Role::Person),
    ("pundit", Role::Person),
    ("pundits", Role::Person),
    ("rabbi", Role::Person),
    ("regulators", Role::Person),
    ("representative", Role::Person),
    ("researcher", Role::Person),
    ("resident", Role::Person),
    ("rival", Role::Person),
    ("rivals", Role::Person),
    ("scientist", Role::Person),
    ("secretary", Role::Person),
    ("senator", Role::Person),
    ("senators", Role::Person),
    ("singer", Role::Person),
    ("soldier", Role::Person),
    ("son", Role::Person),
    ("strategist", Role::Person),
    ("student", Role::Person),
    ("students", Role::Person),
    ("supporter", Role::Person),
    ("surgeon", Role::Person),
    ("survivor", Role::Person),
    ("teacher", Role::Person),
    ("teachers", Role::Person),
    ("union", Role::Org),
    ("users", Role::Person),
    ("veteran", Role::Person),
    ("veterans", Role::Person),
    ("video", Role::Org),
    ("voter", Role::Person),
    ("website", Role::Org),
    ("wife", Role::Person),
    ("witness", Role::Person),
    ("witnesses", Role::Person),
    ("worker", Role::Person),
    ("workers", Role::Person),
];

/// Words in a speaker's description or appositive that mark an unnamed source.
const ANONYMITY: &[&str] = &["anonymity", "anonymous", "authorized", "familiar", "unidentified", "unnamed"];

/// What kind of speaker a noun names.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    Person,
    Org,
    /// A person the article does not name when the phrase has no name in it.
    Anonymous,
}

/// Personal pronouns that can be speakers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Pronoun {
    He,
    She,
    They,
    It,
    /// "I", "we": the writer or a quoted speaker; left unresolved.
    First,
}

/// The longest word the lists are asked about; longer ones are in no list.
pub const MAX_WORD: usize = 24;

/// The cue list (and below, other lists) as a hash map: the speaker and cue
/// finders ask about every word several times, and a binary search costs a
/// string comparison per step.
static CUE_MAP: LazyLock<FxHashMap<&'static str, CueVerb>> = LazyLock::new(|| CUES.iter().copied().collect());
static STOP_SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| STOP.iter().copied().collect());
static ATTITUDE_SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| ATTITUDES.iter().copied().collect());
static ADVERB_SET: LazyLock<FxHashSet<&'static str>> = LazyLock::new(|| ADVERBS.iter().copied().collect());
static SPEAKER_MAP: LazyLock<FxHashMap<&'static str, Role>> = LazyLock::new(|| SPEAKER_NOUNS.iter().copied().collect());
static ROLE_MAP: LazyLock<FxHashMap<&'static str, Role>> = LazyLock::new(|| ROLE_NOUNS.iter().copied().collect());

pub fn cue_verb(lower: &str) -> Option<CueVerb> {
    CUE_MAP.get(lower).copied()
}

/// One bit per [`crate::stages::entities::model::hash_str`] of a cue or
/// attitude verb (the hash's top 16 bits pick it): a word whose bit is clear
/// is neither, told without hashing its letters again (the entity stage
/// hashed every lowercase word already). A set bit says only "maybe".
static VERB_BITS: LazyLock<Box<[u64; 1024]>> = LazyLock::new(|| {
    let mut bits = Box::new([0u64; 1024]);
    for word in CUES.iter().map(|(w, _)| w).chain(ATTITUDES.iter()) {
        let bit = verb_bit(crate::stages::entities::model::hash_str(word));
        bits[bit / 64] |= 1 << (bit % 64);
    }
    bits
});

fn verb_bit(word_hash: u64) -> usize {
    (word_hash >> 48) as usize
}

/// Whether the word whose lowercase form hashes to `word_hash` may be a cue
/// or attitude verb: false means [`cue_verb`] and [`attitude_verb`] both say
/// no.
#[inline]
pub fn may_be_verb(word_hash: u64) -> bool {
    let bit = verb_bit(word_hash);
    VERB_BITS[bit / 64] & (1 << (bit % 64)) != 0
}

/// Reporting verbs that, with no clause after them, attribute their object
/// ("announced his candidacy", "urged voters to stay home").
pub fn takes_object(lower: &str) -> bool {
    matches!(
        lower,
        "announced"
            | "announces"
            | "announcing"
            | "reported"
            | "reports"
            | "urged"
            | "urges"
            | "urging"
            | "offered"
            | "offers"
            | "unveiled"
            | "released"
    )
}

/// A verb of stance or intent ("endorsed", "plans", "declined").
pub fn attitude_verb(lower: &str) -> Option<CueVerb> {
    ATTITUDE_SET.contains(lower).then(|| CueVerb {
        bare: false,
        object: false,
        participle: lower.ends_with("ing"),
        attitude: true,
    })
}

pub fn is_adverb(lower: &str) -> bool {
    ADVERB_SET.contains(lower)
}

pub fn is_determiner(lower: &str) -> bool {
    DETERMINERS.contains(&lower)
}

pub fn is_stop(lower: &str) -> bool {
    STOP_SET.contains(lower)
}

pub fn speaker_noun(lower: &str) -> Option<Role> {
    SPEAKER_MAP.get(lower).copied()
}

/// [`speaker_noun`], or a noun of [`ROLE_NOUNS`].
pub fn role_noun(lower: &str) -> Option<Role> {
    speaker_noun(lower).or_else(|| ROLE_MAP.get(lower).copied())
}

/// Documents that carry someone's words ("a statement saying").
pub fn is_document(lower: &str) -> bool {
    matches!(
        lower,
        "statement"
            | "statements"
            | "release"
            | "letter"
            | "letters"
            | "tweet"
            | "tweets"
            | "ad"
            | "ads"
            | "email"
            | "emails"
            | "memo"
            | "post"
            | "posts"
            | "video"
            | "message"
            | "messages"
            | "cover"
    )
}

pub fn marks_anonymity(lower: &str) -> bool {
    ANONYMITY.contains(&lower)
}

pub fn pronoun(lower: &str) -> Option<Pronoun> {
    Some(match lower {
        "he" => Pronoun::He,
        "she" => Pronoun::She,
        "they" => Pronoun::They,
        "it" => Pronoun::It,
        "i" | "we" => Pronoun::First,
        _ => return None,
    })
}

pub fn is_weekday(lower: &str) -> bool {
    matches!(lower, "monday" | "tuesday" | "wednesday" | "thursday" | "friday" | "saturday" | "sunday")
}

pub fn is_month(lower: &str) -> bool {
    matches!(
        lower,
        "january"
            | "february"
            | "march"
            | "april"
            | "may"
            | "june"
            | "july"
            | "august"
            | "september"
            | "october"
            | "november"
            | "december"
            | "jan."
            | "feb."
            | "aug."
            | "sept."
            | "oct."
            | "nov."
            | "dec."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_are_sorted_lowercase_and_unique() {
        let check = |words: Vec<&str>| {
            assert!(words.windows(2).all(|w| w[0] < w[1]), "{words:?}");
            assert!(words.iter().all(|w| w.bytes().all(|b| b.is_ascii_lowercase())));
        };
        check(CUES.iter().map(|c| c.0).collect());
        check(ADVERBS.to_vec());
        check(ATTITUDES.to_vec());
        assert!(ATTITUDES.iter().all(|w| attitude_verb(w).is_some()), "{ATTITUDES:?}");
        let hash = crate::stages::entities::model::hash_str;
        assert!(CUES.iter().map(|(w, _)| w).chain(ATTITUDES).all(|w| may_be_verb(hash(w))));
        assert!(!may_be_verb(hash("the")) || !may_be_verb(hash("table")), "a filter that lets through all");
        check(STOP.to_vec());
        check(SPEAKER_NOUNS.iter().map(|c| c.0).collect());
        // Role nouns may be hyphenated ("front-runner"), and are no speaker nouns.
        let roles: Vec<&str> = ROLE_NOUNS.iter().map(|c| c.0).collect();
        assert!(roles.windows(2).all(|w| w[0] < w[1]), "{roles:?}");
        assert!(roles.iter().all(|w| w.bytes().all(|b| b.is_ascii_lowercase() || b == b'-') && w.len() <= MAX_WORD));
        assert!(roles.iter().all(|w| speaker_noun(w).is_none()));
    }

    #[test]
    fn lookups() {
        assert!(cue_verb("said").is_some_and(|c| c.bare));
        assert!(cue_verb("told").is_some_and(|c| c.object));
        assert_eq!(speaker_noun("officials"), Some(Role::Anonymous));
        let all = CUES.iter().map(|c| c.0).chain(STOP.iter().copied()).chain(ATTITUDES.iter().copied());
        assert!(all.into_iter().all(|w| w.len() <= MAX_WORD && w.is_ascii()));
    }
}
