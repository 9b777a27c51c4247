//! Reading the lines above an article's body, one line at a time.
//!
//! Every layout has metadata lines before its body, and real files decorate
//! them in every way: `-- By Joseph Menn` (scraped wire copy), `## Title`,
//! `**Published:** 3 March 2024`, `> Source: Reuters`, `publish date: …`,
//! `authors:` with nothing after it. A line gets its role from what it
//! *is* once the decoration is peeled off, never from where it stands, so
//! the same rules hold in every layout: a date is a date whether it sits
//! above or below the title, a byline is never a section or a paragraph.
//!
//! [`classify`] answers for one line; the layouts decide what a line that
//! is not metadata means (a title, a section label, or the start of the
//! body).

use super::dates::{DateValue, parse_date_value};
use super::draft::{Draft, Field, is_empty_value};

/// What a metadata line is. Values are the undecorated text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Role {
    /// A `Title:` line (an unlabelled title is the layout's call).
    Title(String),
    Date(String),
    /// The names of a byline (`By X and Y` → `X and Y`).
    Byline(String),
    Source(String),
    Url(String),
    Section(String),
    Tags(String),
    Summary(String),
    /// A labelled line whose label names no field Broadsheet shows
    /// (`Number: 657`); kept as metadata.
    Other(String, String),
    /// A known label with nothing after it (`authors:`, `publish date: None`).
    Empty,
    /// Lines aggregators add that are not content (`Promote your business`).
    Boilerplate,
}

impl Role {
    /// The name `check --explain` prints.
    pub(crate) fn name(&self) -> &'static str {
        match self {
            Self::Title(_) => "title",
            Self::Date(_) => "date",
            Self::Byline(_) => "byline",
            Self::Source(_) => "source",
            Self::Url(_) => "url",
            Self::Section(_) => "section",
            Self::Tags(_) => "tags",
            Self::Summary(_) => "summary",
            Self::Other(..) => "metadata",
            Self::Empty => "empty field",
            Self::Boilerplate => "boilerplate",
        }
    }
}

/// A metadata line's role and why it got it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Classified {
    pub role: Role,
    pub why: &'static str,
}

/// One line above the body as `check --explain` shows it: the line, the
/// role it got and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Explained {
    pub line: String,
    pub role: &'static str,
    pub why: &'static str,
}

impl Draft {
    /// Records how a line above the body was read.
    pub(crate) fn explain(&mut self, line: &str, role: &'static str, why: &'static str) {
        self.explained.push(Explained { line: line.trim().to_owned(), role, why });
    }

    /// Puts a classified metadata line into its field. The first value of a
    /// field wins; tags and unknown labels accumulate.
    pub(crate) fn read_role(&mut self, line: &str, classified: Classified) {
        let name = classified.role.name();
        self.explain(line, name, classified.why);
        match classified.role {
            Role::Title(title) => self.fill_first(name, |draft| &mut draft.title, title),
            Role::Date(date) => self.fill_first(name, |draft| &mut draft.date, date),
            Role::Byline(names) => match self.author.as_deref() {
                // A joint release names several people, one line each.
                Some(author) if !author.contains(names.split(',').next().unwrap_or(&names).trim()) => {
                    self.author = Some(format!("{author}, {names}"));
                }
                Some(_) => {}
                None => self.set("author", &names, false),
            },
            Role::Source(source) => self.fill_first(name, |draft| &mut draft.source, source),
            Role::Url(url) => self.fill_first(name, |draft| &mut draft.url, url),
            Role::Section(section) => self.fill_first(name, |draft| &mut draft.section, section),
            Role::Tags(tags) => self.set("tags", &tags, false),
            Role::Summary(summary) => self.fill_first(name, |draft| &mut draft.summary, summary),
            Role::Other(key, value) => self.metadata.push((key, value)),
            Role::Empty | Role::Boilerplate => {}
        }
    }

    /// Sets the field `slot` picks unless it has a value already (the first
    /// line of a kind wins), and records that a header line set it.
    fn fill_first(&mut self, name: &'static str, slot: fn(&mut Draft) -> &mut Option<String>, value: String) {
        let slot = slot(self);
        if slot.is_some() {
            return;
        }
        *slot = Some(value);
        self.origins.push((name, "a header line"));
    }
}

/// Reads the metadata lines at the top of a Markdown body (after any front
/// matter) into the draft: a heading as the title when nothing named one,
/// labelled fields (`publish date: …`, `作者:`), bylines, and the lines of
/// links and images that scrapers put above the text (`[Original
/// Article](url)`, the lead image). Returns the byte offset where the body
/// starts.
pub(crate) fn read_markdown_top(draft: &mut Draft, body: &str) -> usize {
    let mut offset = 0;
    let mut read_any = false;
    let mut labels_only = true;
    for line in body.split_inclusive('\n') {
        let trimmed = line.trim();
        if trimmed.is_empty() {
            offset += line.len();
            continue;
        }
        let heading = trimmed.starts_with('#') && undecorate(trimmed) != trimmed;
        if heading && draft.title.is_none() && !read_any {
            draft.explain(trimmed, "title", "a heading before any text");
            draft.title = Some(undecorate(trimmed));
        } else if let Some(classified) = classify(trimmed) {
            draft.read_role(trimmed, classified);
        } else if let Some((key, value)) = pelican_field(trimmed).filter(|_| !read_any || labels_only) {
            // `Number: 657` among Pelican's `Title:`/`Date:` lines.
            let classified =
                Classified { role: Role::Other(key.to_owned(), value.to_owned()), why: "a field among fields" };
            draft.read_role(trimmed, classified);
        } else if let Some((text, target)) = lone_link(trimmed) {
            if !read_markdown_link(draft, trimmed, text, target) {
                break;
            }
        } else {
            break;
        }
        labels_only &= pelican_field(trimmed).is_some();
        read_any = true;
        offset += line.len();
    }
    offset
}

/// `Key: value` with a one-word ASCII key, as Pelican writes its headers.
fn pelican_field(line: &str) -> Option<(&str, &str)> {
    let (key, value) = line.split_once(':')?;
    let is_key = key.len() <= 24
        && key.starts_with(|c: char| c.is_ascii_alphabetic())
        && key.chars().all(|c| c.is_ascii_alphanumeric() || matches!(c, '_' | '-'));
    let value = value.trim();
    (is_key && !value.is_empty() && !value.starts_with("//")).then_some((key, value))
}

/// Reads the lines at the end of a Markdown body that an aggregator adds
/// below the text: a rule, then `[阅读原文 →](url)` / `[Read more](url)`.
/// The address becomes the URL; returns where the body ends.
pub(crate) fn read_markdown_bottom(draft: &mut Draft, body: &str) -> usize {
    let mut end = body.len();
    let mut found_link = false;
    for line in body.lines().rev() {
        let trimmed = line.trim();
        let at = body[..end].rfind(line).unwrap_or(0);
        if trimmed.is_empty() {
            end = at;
            continue;
        }
        let rule = trimmed.len() >= 3 && trimmed.chars().all(|c| matches!(c, '-' | '*' | '_'));
        match lone_link(trimmed) {
            Some((text, target)) if !found_link && is_original_link(text) => {
                draft.explain(trimmed, "url", "a link to the original below the text");
                draft.url.get_or_insert_with(|| target.to_owned());
                found_link = true;
            }
            _ if rule && found_link => draft.explain(trimmed, "boilerplate", "a rule above the link to the original"),
            _ => break,
        }
        end = at;
    }
    end
}

/// Link texts that point to the article's original.
fn is_original_link(text: &str) -> bool {
    const ORIGINAL: &[&str] = &["original article", "original", "source", "原网页", "原文", "阅读原文", "read more"];
    let text = text.trim().trim_end_matches(['→', '»', ' ']);
    ORIGINAL.iter().any(|name| name.eq_ignore_ascii_case(text))
}

/// A scraper's link line above the text: the original article's address
/// becomes the URL, the lead image the image, a link to a translation is
/// kept as metadata. `false` when the link is not one of these (the body
/// starts with it).
fn read_markdown_link(draft: &mut Draft, line: &str, text: &str, target: &str) -> bool {
    if line.starts_with('!') {
        draft.explain(line, "image", "an image above the text");
        draft.image.get_or_insert_with(|| target.to_owned());
        return true;
    }
    let text = text.trim();
    if is_original_link(text) {
        draft.explain(line, "url", "a link to the original article");
        draft.url.get_or_insert_with(|| target.to_owned());
        return true;
    }
    let local = !target.contains("://");
    if local && draft.title.is_some() {
        draft.explain(line, "metadata", "a link to another version of the file");
        draft.metadata.push((text.to_owned(), target.to_owned()));
        return true;
    }
    false
}

/// `[text](target)` or `![alt](target)` and nothing else on the line.
fn lone_link(line: &str) -> Option<(&str, &str)> {
    let rest = line.strip_prefix('!').unwrap_or(line).strip_prefix('[')?;
    let (text, rest) = rest.split_once("](")?;
    let target = rest.strip_suffix(')')?;
    let single = !text.contains(['[', ']']) && !target.contains(['(', ')', ' ']);
    single.then_some((text, target))
}

/// Lines that aggregators add to the header and that are not content.
const BOILERPLATE: &[&str] = &["promote your business", "advertisement", "share this article", "e-mail to a friend"];

/// Values that mean "nothing here" in scraped metadata: what
/// [`is_empty_value`] knows, and in a header line a lone `-` too.
fn is_empty_header_value(value: &str) -> bool {
    value.is_empty() || value == "-" || is_empty_value(value)
}

/// The longest line read as metadata; longer lines are prose.
const MAX_METADATA_CHARS: usize = 300;

/// The role of one line above the body, or `None` when it is not metadata
/// (a title, a label, or prose: the layout decides).
///
/// The layouts ask about the same lines several times (does a block hold a
/// header? where does the title end? what field is this line?), and a line
/// that is nothing runs every test below: classifying was a fifth of
/// parsing. So the answers for the last few short lines classified on this
/// thread are remembered, by their text (the answer depends on nothing else).
pub(crate) fn classify(line: &str) -> Option<Classified> {
    if line.len() > RECENT_LINE_BYTES {
        return classify_anew(line);
    }
    if let Some(known) = RECENT.with_borrow(|recent| recent.get(line)) {
        return known;
    }
    let classified = classify_anew(line);
    RECENT.with_borrow_mut(|recent| recent.put(line, &classified));
    classified
}

/// Lines longer than this (prose, mostly) are classified again each time.
const RECENT_LINE_BYTES: usize = 400;

/// Answers [`classify`] remembers per thread: more than the header lines of
/// one file.
const RECENT_LINES: usize = 16;

thread_local! {
    static RECENT: std::cell::RefCell<Recent> = const { std::cell::RefCell::new(Recent { lines: Vec::new(), next: 0 }) };
}

/// The last [`RECENT_LINES`] lines classified and their answers.
struct Recent {
    lines: Vec<(String, Option<Classified>)>,
    /// The entry the next new line replaces, once all are in use.
    next: usize,
}

impl Recent {
    fn get(&self, line: &str) -> Option<Option<Classified>> {
        self.lines.iter().find(|(known, _)| known == line).map(|(_, classified)| classified.clone())
    }

    fn put(&mut self, line: &str, classified: &Option<Classified>) {
        if self.lines.len() < RECENT_LINES {
            self.lines.push((line.to_owned(), classified.clone()));
            return;
        }
        let entry = &mut self.lines[self.next];
        entry.0.clear();
        entry.0.push_str(line);
        entry.1.clone_from(classified);
        self.next = (self.next + 1) % RECENT_LINES;
    }
}

/// [`classify`] without remembering.
fn classify_anew(line: &str) -> Option<Classified> {
    let bare = undecorate(line);
    if bare.is_empty() || bare.chars().count() > MAX_METADATA_CHARS {
        return None;
    }
    if let Some(classified) = labelled(&bare) {
        return Some(classified);
    }
    if BOILERPLATE.iter().any(|boilerplate| boilerplate.eq_ignore_ascii_case(&bare)) {
        return Some(Classified { role: Role::Boilerplate, why: "known boilerplate" });
    }
    if let Some(source) = syndication_source(&bare) {
        return Some(Classified { role: Role::Source(source), why: "a syndication line" });
    }
    if let Some(url) = lone_url(&bare) {
        return Some(Classified { role: Role::Url(url.to_owned()), why: "a URL on a line of its own" });
    }
    if let Some(names) = byline(&bare) {
        return Some(Classified { role: Role::Byline(names), why: "a byline (`By …`)" });
    }
    if let Some(names) = super::credits::chinese_byline(&bare) {
        return Some(Classified { role: Role::Byline(names), why: "a reporter's credit (`本报记者…`)" });
    }
    if let Some(classified) = super::press::classify(&bare) {
        return Some(classified);
    }
    if parse_date_value(&bare) != DateValue::Unknown {
        return Some(Classified { role: Role::Date(bare), why: "reads as a date" });
    }
    // `Wednesday 31 March 2021  *Grabs available below`: columns that a PDF
    // conversion joined with two spaces.
    if let Some((date, _)) =
        line.trim().split_once("  ").filter(|(date, _)| parse_date_value(date) != DateValue::Unknown)
    {
        return Some(Classified { role: Role::Date(date.trim().to_owned()), why: "a date beside other text" });
    }
    // A page number above the text of a converted PDF.
    if bare.len() <= 3 && bare.bytes().all(|byte| byte.is_ascii_digit()) {
        return Some(Classified { role: Role::Boilerplate, why: "a page number" });
    }
    None
}

/// The line without the decoration that does not change what it is:
/// `-- `, `* `, `> `, `#` headings, `**…**`/`__…__` emphasis, trailing `\`
/// or two-space line breaks, surrounding white space.
pub(crate) fn undecorate(line: &str) -> String {
    let spaced;
    let mut text = line.trim();
    if text.contains("&nbsp;") {
        spaced = text.replace("&nbsp;", " ");
        text = spaced.trim();
    }
    loop {
        let before = text;
        for prefix in ["-- ", "— ", "> ", "* ", "• "] {
            text = text.strip_prefix(prefix).unwrap_or(text).trim_start();
        }
        if text.starts_with('#') {
            let hashes = text.chars().take_while(|&c| c == '#').count();
            if hashes <= 6 && text[hashes..].starts_with(' ') {
                text = text[hashes..].trim_start().trim_end_matches('#').trim_end();
            }
        }
        text = text.trim_end_matches('\\').trim();
        if text == before {
            break;
        }
    }
    strip_emphasis(text)
}

/// `**Published:** 3 March 2024` → `Published: 3 March 2024`;
/// `**Title**` → `Title`.
fn strip_emphasis(text: &str) -> String {
    for marker in ["**", "__"] {
        if let Some(inner) = text.strip_prefix(marker).and_then(|rest| rest.strip_suffix(marker))
            && !inner.contains(marker)
        {
            return inner.trim().to_owned();
        }
        if let Some((label, value)) = text.strip_prefix(marker).and_then(|rest| rest.split_once(marker)) {
            if label.trim_end().ends_with([':', '：']) {
                return format!("{} {}", label.trim(), value.trim()).trim().to_owned();
            }
            // `**Source**: Reuters`
            if value.starts_with([':', '：']) && !label.contains(':') {
                return format!("{}{}", label.trim(), value).trim().to_owned();
            }
        }
    }
    text.to_owned()
}

/// A `Key: value` line whose key names a field (`publish date:`,
/// `Author:`, `关键词:`), with its value read for that field.
fn labelled(bare: &str) -> Option<Classified> {
    let (key, value) = split_label(bare)?;
    if EDITOR_LABELS.iter().any(|label| label.eq_ignore_ascii_case(key)) && !value.trim().is_empty() {
        let role = Role::Other(key.to_owned(), value.trim().to_owned());
        return Some(Classified { role, why: "an editor's credit" });
    }
    let field = field_of(key)?;
    let value = value.trim();
    if is_empty_header_value(value) {
        return Some(Classified { role: Role::Empty, why: "a label with no value" });
    }
    // `[36氪](https://36kr.com/…)`: the name, or the address for a URL.
    let value = match (lone_link(value), field) {
        (Some((_, target)), Field::Url) => target.to_owned(),
        (Some((text, _)), _) => text.to_owned(),
        (None, _) => value.to_owned(),
    };
    let role = match field {
        Field::Title => Role::Title(value),
        Field::Date if parse_date_value(&value) == DateValue::Unknown => return None,
        Field::Date => Role::Date(value),
        Field::Author => Role::Byline(value),
        Field::Source => Role::Source(lone_url(&value).and_then(url_host).map_or(value.clone(), str::to_owned)),
        Field::Url => Role::Url(value),
        Field::Section => Role::Section(value),
        Field::Tags => Role::Tags(value),
        Field::Summary => Role::Summary(value),
        Field::Image | Field::Draft => Role::Other(key.to_owned(), value),
    };
    Some(Classified { role, why: "a labelled field" })
}

/// `Key: value` or `Key：value` with a short key of words; the key may be
/// written in any script (`发表日期:`).
pub(crate) fn split_label(line: &str) -> Option<(&str, &str)> {
    let (at, colon) = line.char_indices().find(|&(_, c)| matches!(c, ':' | '：' | '|' | '｜'))?;
    let key = line[..at].trim();
    let value = &line[at + colon.len_utf8()..];
    let words = key.split_whitespace().count();
    let valid = (1..=3).contains(&words)
        && key.chars().count() <= 30
        && key.chars().all(|c| c.is_alphanumeric() || matches!(c, ' ' | '-' | '_' | '.' | '/'))
        && !value.starts_with("//");
    valid.then_some((key, value))
}

/// Credits that name the editor, not the author: kept as metadata.
const EDITOR_LABELS: &[&str] = &["编辑", "责任编辑", "责编", "editor", "edited by"];

/// The field a header label names, in English or in the Chinese labels
/// scrapers write.
fn field_of(key: &str) -> Option<Field> {
    const CHINESE: &[(&str, Field)] = &[
        ("标题", Field::Title),
        ("作者", Field::Author),
        ("发表日期", Field::Date),
        ("日期", Field::Date),
        ("发布时间", Field::Date),
        ("来源", Field::Source),
        ("分类", Field::Section),
        ("类别", Field::Section),
        ("栏目", Field::Section),
        ("关键词", Field::Tags),
        ("链接", Field::Url),
    ];
    if let Some((_, field)) = CHINESE.iter().find(|(name, _)| *name == key) {
        return Some(*field);
    }
    // `keywords/关键词`, `publish date/发表日期`: one label in two languages.
    if let Some((english, other)) = key.split_once('/') {
        return field_of(english.trim()).or_else(|| field_of(other.trim()));
    }
    match Field::from_key(key) {
        // `Published: 3 March 2024` is a date; a flag is not a header line.
        Some(Field::Draft) => None,
        field => field,
    }
}

/// `By Joseph Menn`, `BY JANE DOE AND JOHN ROE`, `Written by X`, `By: X`,
/// `B y   D a n i e l   T e n   K a t e` (letters spaced out by a
/// scraper): the names, or `None` when the line reads as a sentence
/// (`By the time we arrived, …`).
pub(crate) fn byline(bare: &str) -> Option<String> {
    let despaced = despace_letters(bare);
    let text = despaced.as_deref().unwrap_or(bare);
    let lower = text.to_lowercase();
    let start = ["written by ", "by: ", "by ", "por ", "von "].iter().find(|prefix| lower.starts_with(*prefix))?.len();
    let names = text[start..].trim().trim_end_matches(['.', ',']);
    looks_like_names(names).then(|| names.to_owned())
}

/// `B y   D a n i e l   T e n   K a t e` → `By Daniel Ten Kate`: single
/// letters separated by one space, words by three.
fn despace_letters(text: &str) -> Option<String> {
    let words: Vec<&str> = text.split("   ").collect();
    let spaced = words.len() >= 2
        && words.iter().all(|word| word.split(' ').all(|letter| letter.chars().count() == 1 || letter == "-"));
    spaced.then(|| words.iter().map(|word| word.replace(' ', "")).collect::<Vec<_>>().join(" "))
}

/// A list of names: a few words, each starting with a capital letter
/// (joined by `and`, `&`, `,`; particles like `van`, `de` allowed), no
/// sentence punctuation.
fn looks_like_names(names: &str) -> bool {
    const JOINERS: &[&str] =
        &["and", "&", "y", "und", "et", "van", "von", "de", "der", "den", "da", "di", "du", "la", "le", "in", "for"];
    let words: Vec<&str> = names.split_whitespace().collect();
    if words.is_empty() || words.len() > 12 || names.chars().count() > 120 {
        return false;
    }
    if names.contains(['.', '!', '?', ';'])
        && !names.split_whitespace().all(|word| word.len() <= 3 || !word.contains('.'))
    {
        return false;
    }
    let capitalised = words.iter().filter(|word| word.starts_with(|c: char| c.is_uppercase())).count();
    let joiners = words.iter().filter(|word| JOINERS.contains(&word.to_lowercase().as_str())).count();
    capitalised > 0 && capitalised + joiners >= words.len()
}

/// `This content originally appeared on Al Jazeera.` → `Al Jazeera`; a
/// URL gives its host (`https://www.aljazeera.com/news/…` → `aljazeera.com`).
pub(crate) fn syndication_source(line: &str) -> Option<String> {
    const PREFIXES: &[&str] = &[
        "this content originally appeared on ",
        "this article originally appeared on ",
        "this story originally appeared on ",
        "this article was originally published on ",
        "this article was originally published by ",
        "this story was originally published by ",
        "this post was originally published on ",
        "originally appeared on ",
        "originally published by ",
        "originally published on ",
        "source: ",
    ];
    let prefix = PREFIXES
        .iter()
        .find(|prefix| line.get(..prefix.len()).is_some_and(|start| start.eq_ignore_ascii_case(prefix)))?;
    let source = line[prefix.len()..].trim().trim_end_matches('.').trim();
    let source = url_host(source).unwrap_or(source);
    (!source.is_empty() && source.chars().count() <= 80).then(|| source.to_owned())
}

/// The text when it is one `http(s)://` URL and nothing else.
fn lone_url(text: &str) -> Option<&str> {
    let is_url = (text.starts_with("http://") || text.starts_with("https://")) && !text.contains(char::is_whitespace);
    is_url.then_some(text)
}

/// The host of an `http(s)://` URL, without `www.`.
pub(crate) fn url_host(text: &str) -> Option<&str> {
    let rest = text.strip_prefix("https://").or_else(|| text.strip_prefix("http://"))?;
    let host = rest.split(['/', '?', '#', ' ']).next()?;
    Some(host.strip_prefix("www.").unwrap_or(host))
}

/// The news agency a wire dateline names at the start of a body:
/// `WASHINGTON (Reuters) -` → `Reuters`, `(CNN) --` → `CNN`,
/// `Marseille, France (CNN)The French…` → `CNN`, `BEIJING (REUTERS) -` →
/// `Reuters`. The dateline itself stays in the text.
pub(crate) fn dateline_agency(paragraph: &str) -> Option<String> {
    let open = paragraph.find('(')?;
    let place = &paragraph[..open];
    let place_is_dateline = place.chars().count() <= 40
        && !place.contains(['.', '!', '?', ';', ':'])
        && place.split_whitespace().all(|word| word.starts_with(|c: char| c.is_uppercase()));
    if !place_is_dateline {
        return None;
    }
    let close = open + paragraph[open..].find(')')?;
    let agency = paragraph[open + 1..close].trim();
    let after = paragraph[close + 1..].trim_start();
    let dash_follows = after.starts_with(['-', '–', '—']);
    let glued = paragraph[close + 1..].starts_with(|c: char| c.is_uppercase() || c == '"' || c == '“');
    let is_name = (2..=24).contains(&agency.chars().count())
        && agency.split_whitespace().count() <= 3
        && agency.split_whitespace().all(|word| word.starts_with(|c: char| c.is_uppercase()))
        && !agency.contains(|c: char| c.is_ascii_digit());
    (is_name && (dash_follows || glued)).then(|| agency_name(agency))
}

/// `REUTERS` → `Reuters`; acronyms (`CNN`, `AFP`, `AP`) stay as written.
fn agency_name(agency: &str) -> String {
    let letters = agency.chars().filter(|c| c.is_alphabetic()).count();
    if letters > 4 { capitals_to_title_case(agency) } else { agency.to_owned() }
}

/// `JOSH FRYDENBERG` → `Josh Frydenberg`: text set in capitals, as
/// letterheads and datelines set names; text with lower-case letters stays
/// as written.
pub(crate) fn capitals_to_title_case(text: &str) -> String {
    if text.chars().any(char::is_lowercase) {
        return text.to_owned();
    }
    let word = |word: &str| {
        let mut chars = word.chars();
        chars
            .next()
            .map_or_else(String::new, |first| first.to_uppercase().chain(chars.flat_map(char::to_lowercase)).collect())
    };
    text.split_whitespace().map(word).collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn role(line: &str) -> Option<Role> {
        classify(line).map(|classified| classified.role)
    }

    /// Remembered answers are the answers: lines of every kind, more of
    /// them than are remembered, asked about again in another order, some
    /// differing only in decoration or case.
    #[test]
    fn remembered_classifications_are_those_made_anew() {
        let lines = [
            "Health",
            "Parmalat boasts doubled profits",
            "25 March 2025",
            "This content originally appeared on Reuters.",
            "Promote your business",
            "By Jane Smith and John Doe",
            "-- By Bernie Woodall",
            "by jane smith",
            "Source: Reuters",
            "**Published:** 3 March 2024",
            "https://example.org/news/1",
            "本报记者 王小明",
            "FOR IMMEDIATE RELEASE",
            "Wednesday 31 March 2021  *Grabs available below",
            "12",
            "Tags: economy, trade",
            "",
            "   ",
            "A paragraph of prose that goes on, and on, well past the length of any header line. ",
        ];
        let mut order: Vec<&str> =
            lines.iter().chain(lines.iter().rev()).chain(lines.iter().step_by(3)).copied().collect();
        let long = "word ".repeat(200);
        order.push(&long);
        order.push(&long);
        for line in order {
            assert_eq!(classify(line), classify_anew(line), "{line:?}");
        }
    }

    #[test]
    fn decoration_does_not_change_what_a_line_is() {
        assert_eq!(undecorate("-- Ford, GM sales rise"), "Ford, GM sales rise");
        assert_eq!(undecorate("## US egg prices hit record levels"), "US egg prices hit record levels");
        assert_eq!(undecorate("**Title here**"), "Title here");
        assert_eq!(undecorate("> * Source: Reuters"), "Source: Reuters");
        assert_eq!(undecorate("**Published:** 3 March 2024"), "Published: 3 March 2024");
        assert_eq!(role("-- By Bernie Woodall"), Some(Role::Byline("Bernie Woodall".into())));
        assert_eq!(role("-- Fri Feb 1, 2013 4:45pm EST"), Some(Role::Date("Fri Feb 1, 2013 4:45pm EST".into())));
        assert_eq!(
            role("-- http://www.reuters.com/article/2013/02/01/us-autos-idUSBRE9100XQ20130201"),
            Some(Role::Url("http://www.reuters.com/article/2013/02/01/us-autos-idUSBRE9100XQ20130201".into()))
        );
    }

    #[test]
    fn bylines_in_their_real_spellings() {
        assert_eq!(byline("By Jane Doe and John Roe").as_deref(), Some("Jane Doe and John Roe"));
        assert_eq!(byline("Written by Oscar Holland, CNN").as_deref(), Some("Oscar Holland, CNN"));
        assert_eq!(byline("BY JANE DOE").as_deref(), Some("JANE DOE"));
        assert_eq!(byline("B y   D a n i e l   T e n   K a t e").as_deref(), Some("Daniel Ten Kate"));
        assert_eq!(byline("By the time we arrived, the polls had closed."), None);
        assert_eq!(byline("By 2030 the city will need more water"), None);
    }

    #[test]
    fn empty_values_are_empty_not_text() {
        assert_eq!(role("authors: "), Some(Role::Empty));
        assert_eq!(role("publish date: None"), Some(Role::Empty));
        assert_eq!(role("作者: "), Some(Role::Empty));
        assert_eq!(role("发表日期: 2020-03-27 08:38:54+08:00"), Some(Role::Date("2020-03-27 08:38:54+08:00".into())));
        assert_eq!(role("keywords: prices eggs"), Some(Role::Tags("prices eggs".into())));
    }

    #[test]
    fn prose_and_titles_are_not_metadata() {
        assert_eq!(role("The leaders of the United States met on Friday."), None);
        assert_eq!(role("US egg prices hit record levels"), None);
        assert_eq!(role("FRAN KELLY:"), None);
    }

    #[test]
    fn wire_datelines_name_their_agency() {
        assert_eq!(dateline_agency("WASHINGTON (Reuters) - The Senate").as_deref(), Some("Reuters"));
        assert_eq!(dateline_agency("(CNN)The Palestinian Authority").as_deref(), Some("CNN"));
        assert_eq!(dateline_agency("Marseille, France (CNN)The French").as_deref(), Some("CNN"));
        assert_eq!(dateline_agency("BEIJING (REUTERS) - China").as_deref(), Some("Reuters"));
        assert_eq!(dateline_agency(" SAN FRANCISCO  (Reuters) - Pro-reform").as_deref(), Some("Reuters"));
        assert_eq!(dateline_agency("WASHINGTON (CNN) -- President Bush").as_deref(), Some("CNN"));
        assert_eq!(dateline_agency("The company (which makes cars) said"), None);
        assert_eq!(dateline_agency("SINGAPORE - The government"), None);
    }
}
