use super::*;

const ARTICLE: &str = "Four years of Go\n10 Nov 2013\nTags: community, birthday\n\nAndrew Gerrand\nadg@golang.org\n\n\
    * Introduction\n\nToday marks the _fourth_ anniversary\nof Go.\n\n.image 4years-gopher.png\n\n\
    \tfunc main() {\n\t    fmt.Println(\"hi\")\n\n\t}\n\n- one\n\n- two\ncontinued\n\nThe end.\n";

fn html(paragraph: &Paragraph) -> &str {
    match paragraph {
        Paragraph::Html { html, .. } => html,
        other => other.text(),
    }
}

#[test]
fn the_header_gives_title_date_tags_and_author() {
    let draft = parse(ARTICLE);
    assert_eq!(draft.title.as_deref(), Some("Four years of Go"));
    assert_eq!(draft.date.as_deref(), Some("10 Nov 2013"));
    assert_eq!(draft.tags, ["community", "birthday"]);
    assert_eq!(draft.author.as_deref(), Some("Andrew Gerrand"));
    assert!(draft.metadata.contains(&("email".to_owned(), "adg@golang.org".to_owned())));
    assert!(draft.warnings.is_empty(), "{:?}", draft.warnings);
}

#[test]
fn the_body_becomes_headings_paragraphs_code_and_lists() {
    let draft = parse(ARTICLE);
    let blocks: Vec<&str> = draft.paragraphs.iter().map(html).collect();
    assert_eq!(blocks[0], "<h2>Introduction</h2>");
    assert_eq!(blocks[1], "<p>Today marks the <i>fourth</i> anniversary of Go.</p>");
    assert_eq!(blocks[2], "<p><img src=\"4years-gopher.png\" alt=\"\"></p>");
    assert_eq!(blocks[3], "<pre><code>func main() {\n    fmt.Println(\"hi\")\n\n}</code></pre>");
    assert_eq!(blocks[4], "<ul><li>one</li><li>two continued</li></ul>");
    assert_eq!(blocks[5], "<p>The end.</p>");
    assert_eq!(blocks.len(), 6, "{blocks:?}");
    assert_eq!(draft.paragraphs[1].text(), "Today marks the fourth anniversary of Go.");
}

#[test]
fn a_subtitle_a_weekday_and_several_authors_are_read() {
    let text = "Go fonts\nA new family\nTue, 16 Nov 2016\n\nNigel Tao\nGoogle\n\nChuck Bigelow\n\nRob Pike\n@rob_pike\n\n\
        * An Announcement\n\nText.";
    let draft = parse(text);
    assert_eq!(draft.summary.as_deref(), Some("A new family"));
    assert_eq!(draft.date.as_deref(), Some("Tue, 16 Nov 2016"));
    assert_eq!(draft.author.as_deref(), Some("Nigel Tao, Chuck Bigelow, Rob Pike"));
    assert!(draft.metadata.contains(&("affiliation".to_owned(), "Google".to_owned())));
    assert!(draft.metadata.contains(&("twitter".to_owned(), "@rob_pike".to_owned())));
    assert_eq!(draft.paragraphs.len(), 2);
}

#[test]
fn an_article_without_author_or_tags_starts_its_body_at_the_prose() {
    let draft = parse("Go 2 draft\n28 Aug 2018\n\nThis is the first paragraph of the body, a sentence.\n\nMore.");
    assert_eq!(draft.author, None);
    assert!(draft.tags.is_empty());
    assert_eq!(draft.paragraphs.len(), 2);
}

#[test]
fn crlf_and_a_time_before_the_date_are_read() {
    let draft = parse("Title\r\n15:04 2 Jan 2006\r\n\r\nAuthor Name\r\n\r\n* Section\r\n\r\nText.");
    assert_eq!(draft.date.as_deref(), Some("2 Jan 2006"));
    assert_eq!(draft.author.as_deref(), Some("Author Name"));
    assert_eq!(draft.paragraphs.iter().map(html).collect::<Vec<_>>(), ["<h2>Section</h2>", "<p>Text.</p>"]);
}

#[test]
fn html_includes_are_warned_about_and_presenter_notes_hidden() {
    let draft = parse(
        "T\n1 Jan 2020\n\nA\n\n* S\n\n.html frag/a.html\n#.caption Figure 22\n\n: a note for the speaker\n\nShown.",
    );
    let blocks: Vec<&str> = draft.paragraphs.iter().map(html).collect();
    assert_eq!(blocks, ["<h2>S</h2>", "<p>Shown.</p>"]);
    assert_eq!(draft.warnings.len(), 1);
    assert!(
        matches!(&draft.warnings[0], Warning::Markup(text) if text.contains("frag/a.html")),
        "{:?}",
        draft.warnings
    );
}

#[test]
fn raw_html_in_text_is_escaped_and_escaped_dots_are_text() {
    let draft = parse("T\n\nA\n\n* S\n\n<script>alert(1)</script> text\n\\.not a command");
    let paragraph = html(&draft.paragraphs[1]);
    assert!(paragraph.contains("&lt;script&gt;") && !paragraph.contains("<script>"), "{paragraph}");
    assert!(paragraph.ends_with(" .not a command</p>"), "{paragraph}");
}

#[test]
fn an_empty_file_has_no_title() {
    assert!(parse("").title.is_none());
    assert!(parse("\n\n").title.is_none());
}
