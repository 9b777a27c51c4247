//! Markdown articles (`.md`, `.markdown`), with optional YAML or TOML front
//! matter (`title`, `date`, `source`, `section`, `author`, `tags`, `url`,
//! `summary`); Pelican's `Title:`/`Date:` lines and other header lines are
//! read by [`header`]. Without a `title`, the first `# Heading` is the title.
//!
//! Posts exported from site generators are written for them, so the body
//! goes through four steps:
//! 1. [`expand`]: Liquid, Hugo and WordPress shortcodes, kramdown attribute
//!    lists and `<!--more-->` become Markdown or HTML, or are removed with a
//!    warning (never inside code);
//! 2. [`render`]: Markdown to HTML, with raw HTML spanning blank lines kept
//!    whole and the Markdown inside it rendered ([`inner`]);
//! 3. [`blocks`]: every block is sanitised with `ammonia` (raw HTML can
//!    never inject a script, a style or an event handler) and becomes one
//!    [`Paragraph::Html`] with the plain text of what is shown;
//! 4. [`headings`]: headings re-levelled below the article's `<h1>`.
//!
//! Block quotes nested thousands deep take pulldown-cmark and ammonia time
//! that grows faster than the square of the depth (20,000 `>` on one line:
//! over a second; 100,000: most of a minute, for a 100 KB file), which would
//! stall every load. No real article nests more than a few levels, so a
//! body nested deeper than [`MAX_QUOTE_DEPTH`] is shown as plain text.

mod blocks;
mod embeds;
mod expand;
mod fixups;
mod headings;
mod html;
mod hugo;
mod inner;
mod kramdown;
mod links;
mod liquid;
mod notes;
mod render;
mod runs;
mod wordpress;

use super::super::draft::{Draft, MetaValue};
use super::super::header;
use super::super::{ArticleId, Format, Paragraph, Warning};
use super::front_matter;

/// Parses a Markdown file; `id` places its links. The title may still be
/// missing; the caller reports that.
pub(crate) fn parse(text: &str, id: &ArticleId) -> Draft {
    let mut draft = Draft::new(Format::Markdown);
    let (front_matter, body) = front_matter::split(text);
    let mut page: Vec<(String, String)> = Vec::new();
    if let Some((language, source)) = front_matter {
        let (fields, warning) = front_matter::read_lenient(language, source);
        page = text_values(&fields);
        draft.reading = "front matter";
        draft.apply(fields, false);
        draft.reading = "";
        draft.warnings.extend(warning.map(Warning::FrontMatter));
    }
    // Pelican's `Title:`/`Date:` lines, bylines and links above the text
    // are read by the one header reader every layout shares.
    let body = &body[header::read_markdown_top(&mut draft, body)..];
    let body = &body[..header::read_markdown_bottom(&mut draft, body)];
    if max_quote_depth(body) > MAX_QUOTE_DEPTH {
        draft.warnings.push(Warning::DeepQuotes(MAX_QUOTE_DEPTH));
        let lines: Vec<&str> = body.lines().collect();
        let mut paragraphs = super::super::body::paragraphs(&lines).into_iter();
        if let Some(Paragraph::Text { text }) = paragraphs.next().filter(|_| draft.title.is_none()) {
            draft.title = Some(text.trim_start_matches('#').trim().to_owned());
        }
        draft.paragraphs.extend(paragraphs);
        return draft;
    }
    render_body(&mut draft, body, id, &page);
    draft
}

/// Steps 1 to 4 of the module's description, into `draft`.
fn render_body(draft: &mut Draft, body: &str, id: &ArticleId, page: &[(String, String)]) {
    let links = links::Links::new(id);
    let mut expander = expand::Expander::new(&links, page);
    let dedented;
    let html_page = is_html_page(body);
    let body = if html_page {
        dedented = dedent_html(body);
        dedented.as_str()
    } else {
        body
    };
    let expanded = expander.expand(body);
    let rendered = render::render(&expanded, draft.title.is_none());
    if draft.title.is_none() {
        draft.title = rendered.title;
    }
    let mut warnings = Vec::new();
    let mut blocks = blocks::paragraphs(&rendered.chunks, &mut warnings);
    if html_page {
        read_leading_metadata(draft, &mut blocks);
    }
    if let Some(more_at) = expander.more_at
        && draft.summary.is_none()
    {
        let teaser: Vec<&str> = blocks.iter().filter(|b| b.start < more_at).map(|b| b.text.as_str()).collect();
        draft.summary = Some(teaser.join(" ")).filter(|teaser| !teaser.is_empty());
    }
    draft.paragraphs.extend(blocks.into_iter().map(|block| Paragraph::Html { html: block.html, text: block.text }));
    for warning in warnings.into_iter().chain(expander.notes.into_warnings()) {
        warn(draft, warning);
    }
}

/// An HTML page's header lines (a byline, a date) are paragraphs, which
/// the header reader never saw as lines: the first few paragraphs with
/// text go through it too, and those it reads as metadata leave the body.
fn read_leading_metadata(draft: &mut Draft, blocks: &mut Vec<blocks::Block>) {
    let mut index = 0;
    while let Some(block) = blocks.get(index).filter(|_| index < 4) {
        if block.text.is_empty() {
            index += 1;
            continue;
        }
        let Some(classified) = header::classify(&block.text) else { break };
        draft.read_role(&block.text, classified);
        blocks.remove(index);
    }
}

/// Every warning about a Markdown body goes through here, so that turning
/// warnings into a typed list changes one line.
fn warn(draft: &mut Draft, warning: String) {
    draft.warnings.push(Warning::Markup(warning));
}

/// The front matter's text values, for `{{ page.key }}`.
fn text_values(fields: &[(String, MetaValue)]) -> Vec<(String, String)> {
    let text = |(key, value): &(String, MetaValue)| match value {
        MetaValue::Text(text) => Some((key.clone(), text.clone())),
        MetaValue::List(_) => None,
    };
    fields.iter().filter_map(text).collect()
}

/// A body that is a web page's HTML (a scrape saved as `.md`) rather than
/// Markdown: it starts with a tag, and most of its lines do. (A post that
/// opens with an `<img>` and goes on in Markdown is Markdown.)
fn is_html_page(body: &str) -> bool {
    let mut lines = body.lines().map(str::trim).filter(|line| !line.is_empty());
    let starts_with_tag =
        |line: &str| line.starts_with('<') && line[1..].starts_with(|c: char| c.is_ascii_alphabetic() || c == '/');
    if !lines.next().is_some_and(starts_with_tag) {
        return false;
    }
    let (tags, all) = lines.fold((0, 0), |(tags, all), line| (tags + usize::from(starts_with_tag(line)), all + 1));
    tags * 2 >= all
}

/// An HTML page's lines without their indentation, which in HTML means
/// nothing but in Markdown makes a code block (tab-indented `<p>`s showed
/// their tags). Lines inside `<pre>` keep theirs.
fn dedent_html(body: &str) -> String {
    let mut out = String::with_capacity(body.len());
    let mut in_pre = false;
    for line in body.split_inclusive('\n') {
        out.push_str(if in_pre { line } else { line.trim_start_matches([' ', '\t']) });
        let lower = line.to_ascii_lowercase();
        if let Some(open) = lower.rfind("<pre") {
            in_pre = lower[open..].find("</pre>").is_none();
        } else if lower.contains("</pre>") {
            in_pre = false;
        }
    }
    out
}

/// The deepest block-quote nesting a Markdown body can reach.
pub(crate) const MAX_QUOTE_DEPTH: usize = 32;

/// The most `>` markers at the start of any line (spaces between them
/// allowed), stopping early once past the limit.
fn max_quote_depth(body: &str) -> usize {
    let mut deepest = 0;
    for line in body.lines() {
        let depth = line.chars().take_while(|c| matches!(c, '>' | ' ' | '\t')).filter(|&c| c == '>').count();
        deepest = deepest.max(depth);
        if deepest > MAX_QUOTE_DEPTH {
            break;
        }
    }
    deepest
}

#[cfg(test)]
mod tests {
    use proptest::prelude::*;

    use super::*;

    const PIECES: &[&str] = &[
        "{%",
        "%}",
        "{{",
        "}}",
        "{{<",
        ">}}",
        "{{%",
        "%}}",
        " raw ",
        " endraw ",
        " highlight ",
        " endhighlight ",
        "[caption",
        "[/caption]",
        "]",
        "[",
        "(",
        "<!--more-->",
        "<!--",
        "-->",
        "{:",
        "}",
        "{::comment}",
        "<div>",
        "</div>",
        "<table>",
        "<td>",
        "<pre>",
        "</pre>",
        "<script>",
        "<iframe src=x>",
        "\n",
        "\n\n",
        "    ",
        "\t",
        "`",
        "```",
        "~~~",
        "é",
        "“",
        "<",
        ">",
        "&amp;",
        "&amp;#x27;",
        "**",
        "#",
        "# T\n",
        "- ",
        "1. ",
        "> ",
        "|",
        "Title: x\n",
        "[^1]",
        "[^1]: n",
        "site.baseurl",
        "page.image",
        "youtube abc",
        "post_url a",
        "link _posts/a.md",
        "relref \"/b/c.md\"",
        "word",
    ];

    proptest! {
        #[test]
        fn any_mix_of_generator_syntax_parses_without_panicking(indexes in proptest::collection::vec(0..PIECES.len(), 0..60)) {
            let text: String = indexes.iter().map(|&index| PIECES[index]).collect();
            let draft = parse(&text, &ArticleId::new("a/_posts/b"));
            for paragraph in &draft.paragraphs {
                if let Paragraph::Html { html, .. } = paragraph {
                    prop_assert!(!html.contains("<script") && !html.contains("<iframe"), "{html}");
                }
            }
        }
    }

    #[test]
    fn repeated_unclosed_constructs_take_linear_time() {
        // Each would rescan the rest of the file per occurrence if a search
        // were unbounded: 40,000 occurrences would then never finish.
        let hostile = ["{% raw %}", "{% highlight x %}", "<a \"", "[x] ", "<!x", "{::comment}", "<pre>", "[a]`b`[/a]"];
        for piece in hostile {
            let text = format!("# T\n\n{}", piece.repeat(40_000 / piece.len() * 4));
            let started = std::time::Instant::now();
            let draft = parse(&text, &ArticleId::new("a"));
            assert!(draft.title.is_some());
            assert!(started.elapsed().as_secs() < 60, "{piece}: {:?}", started.elapsed());
        }
    }

    #[test]
    fn pelican_headers_fill_fields_and_a_more_marker_ends_the_summary() {
        let text = "Title: Issue 1\nDate: 2024-01-02\nCategory: Weekly\nTags: a, b\n\nIntro *one*.\n\n<!-- more -->\n\nRest.\n";
        let draft = parse(text, &ArticleId::new("issue"));
        assert_eq!(draft.title.as_deref(), Some("Issue 1"));
        assert_eq!(draft.section.as_deref(), Some("Weekly"));
        assert_eq!(draft.tags, ["a", "b"]);
        assert_eq!(draft.summary.as_deref(), Some("Intro one."));
        let texts: Vec<&str> = draft.paragraphs.iter().map(Paragraph::text).collect();
        assert_eq!(texts, ["Intro one.", "Rest."]);
    }

    #[test]
    fn an_html_page_saved_as_markdown_is_html_not_code() {
        let text = "---\ntitle: T\n---\n\t\n\t\t\t\t\t<p>First &apos;para&apos;.</p>\n\n\t\t\t\t\t<p>Second.</p>\n";
        let draft = parse(text, &ArticleId::new("a"));
        let texts: Vec<&str> = draft.paragraphs.iter().map(Paragraph::text).collect();
        assert_eq!(texts, ["First 'para'.", "Second."]);
    }
}
