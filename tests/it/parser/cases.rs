//! Parser tests: the seed article, every layout, date format, body shape and
//! encoding, and each kind of load problem, on hand-written fixtures.

use broadsheet::article::{
    ArticleId, DecodeError, FileInput, FileKind, Format, Paragraph, ParagraphRef, ParseError, Sidecar, Warning, parse,
    parse_date, parse_date_value, parse_file,
};
use jiff::civil::{Date, date};

fn parse_text(text: &str) -> broadsheet::article::Article {
    parse(ArticleId::new("test"), text).expect("parses")
}

fn parse_bytes(id: &str, bytes: &[u8], kind: FileKind) -> Result<broadsheet::article::Article, ParseError> {
    parse_file(&FileInput { id: ArticleId::new(id), bytes, kind, sidecar: None })
}

fn texts(article: &broadsheet::article::Article) -> Vec<&str> {
    article.paragraphs.iter().map(|p| p.text()).collect()
}

const NEWSWIRE: &str = "World News\n\nLeaders meet in Lima\u{a0}\n\n16 November 2024\nThis content originally appeared on Al Jazeera.\nPromote your business\n\nThe leaders met on Friday.\n\nThey spoke in Lima, Peru, on November 15 [Leah Millis/Reuters]\n";

#[test]
fn the_seed_parses_exactly_as_before() {
    let Some(seeds) = crate::support::shared_data::shared_dir("seeds") else { return };
    let bytes = std::fs::read(seeds.join("000_3ea0f84f1e61d9e9.txt")).expect("seed");
    let article = parse_bytes("000_3ea0f84f1e61d9e9", &bytes, FileKind::Text).expect("seed parses");
    assert_eq!(article.title, "US, South Korea and Japan slam ‘dangerous’ ties between Russia, North Korea");
    assert_eq!(article.section.as_deref(), Some("World News"));
    assert_eq!(article.date, Some(date(2024, 11, 16)));
    assert_eq!(article.source.as_deref(), Some("Al Jazeera"));
    assert_eq!(article.format, Format::Newswire);
    let captions: Vec<ParagraphRef<'_>> =
        article.paragraphs.iter().filter(|p| matches!(p, ParagraphRef::Caption { .. })).collect();
    assert_eq!(article.paragraphs.len() - captions.len(), 27);
    assert!(matches!(captions.as_slice(), [ParagraphRef::Caption { credit, .. }] if *credit == "Leah Millis/Reuters"));
    assert!(article.paragraphs.iter().all(|p| !p.text().contains("Promote your business")));
    assert!(article.paragraphs.iter().any(|p| p.text().contains("If [Ukrainian] President [Volodymyr] Zelenskyy")));
    assert!(article.details().warnings.is_empty(), "{:?}", article.details().warnings);
}

#[test]
fn newswire_reads_every_field() {
    let article = parse_text(NEWSWIRE);
    assert_eq!(article.section.as_deref(), Some("World News"));
    assert_eq!(article.title, "Leaders meet in Lima");
    assert_eq!(article.date, Some(date(2024, 11, 16)));
    assert_eq!(article.source.as_deref(), Some("Al Jazeera"));
    assert_eq!(texts(&article), ["The leaders met on Friday.", "They spoke in Lima, Peru, on November 15"]);
}

#[test]
fn crlf_and_a_byte_order_mark_change_nothing() {
    let crlf = format!("\u{feff}{}", NEWSWIRE.replace('\n', "\r\n"));
    let article = parse_bytes("test", crlf.as_bytes(), FileKind::Text).expect("parses");
    assert_eq!(article, parse_text(NEWSWIRE));
}

#[test]
fn missing_date_section_or_source_leave_the_field_empty() {
    let no_date = parse_text(&NEWSWIRE.replace("16 November 2024\n", ""));
    assert_eq!((no_date.date, no_date.source.as_deref()), (None, Some("Al Jazeera")));
    let no_section = parse_text(NEWSWIRE.trim_start_matches("World News\n\n"));
    assert_eq!((no_section.section, no_section.title.as_str()), (None, "Leaders meet in Lima"));
    let no_source = parse_text(&NEWSWIRE.replace("This content originally appeared on Al Jazeera.\n", ""));
    assert_eq!((no_source.source, no_source.date), (None, Some(date(2024, 11, 16))));
}

#[test]
fn hard_wrapped_paragraphs_are_joined_and_brackets_inside_text_stay_text() {
    let article = parse_text(
        "Title\n\n16 November 2024\n\nIf [Ukrainian] President\n[Volodymyr] Zelenskyy comes\nto the table.\n",
    );
    assert_eq!(
        article.paragraphs,
        [Paragraph::Text { text: "If [Ukrainian] President [Volodymyr] Zelenskyy comes to the table.".into() }]
    );
}

#[test]
fn empty_binary_and_titleless_files_are_problems() {
    assert_eq!(parse_bytes("a", b"", FileKind::Text), Err(ParseError::Decode(DecodeError::Empty)));
    assert_eq!(parse_bytes("a", b"\r\n \n", FileKind::Text), Err(ParseError::Decode(DecodeError::Empty)));
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0";
    assert!(matches!(parse_bytes("a", png, FileKind::Text), Err(ParseError::Decode(DecodeError::Binary(_)))));
    assert!(matches!(parse_bytes("a", b"ab\0\0cd\0\0ef\0\0", FileKind::Text), Err(ParseError::Decode(_))));
    let long_title = format!("Section\n\n{}\n\n16 November 2024\n\nBody.", "word ".repeat(100));
    assert!(matches!(parse_bytes("a", long_title.as_bytes(), FileKind::Text), Err(ParseError::TitleTooLong(_))));
    let no_heading = b"Just a paragraph of Markdown.\n";
    assert_eq!(parse_bytes("a", no_heading, FileKind::Markdown), Err(ParseError::NoMarkdownTitle));
}

#[test]
fn every_documented_date_format_is_read() {
    let cases: &[(&str, Date)] = &[
        ("16 November 2024", date(2024, 11, 16)),
        ("16 Nov 2024", date(2024, 11, 16)),
        ("November 16, 2024", date(2024, 11, 16)),
        ("2024-11-16", date(2024, 11, 16)),
        ("2024-11-16T09:30:00Z", date(2024, 11, 16)),
        ("2024-11-16T23:30:00-05:00", date(2024, 11, 16)),
        ("Mon, 05 Apr 93 18:01:16 GMT", date(1993, 4, 5)),
        ("2 Apr 93 20:57:33 GMT", date(1993, 4, 2)),
        ("Mon,  5 Apr 1993 18:01:16 -0400", date(1993, 4, 5)),
        ("Mon, 19 Apr 93 10:00:00 EDT", date(1993, 4, 19)),
        ("2021-03-01 00:00:00", date(2021, 3, 1)),
        ("Saturday 16 November 2024", date(2024, 11, 16)),
        ("Saturday, November 16, 2024", date(2024, 11, 16)),
        ("16/11/2024", date(2024, 11, 16)),
        ("2024/11/16", date(2024, 11, 16)),
        ("Published: 3 March 2024", date(2024, 3, 3)),
        ("Updated: 2024-03-03", date(2024, 3, 3)),
        ("Posted on March 3, 2024", date(2024, 3, 3)),
        ("3rd March 2024", date(2024, 3, 3)),
        ("November 16th, 2024", date(2024, 11, 16)),
        ("March 3 2024, 10:00 am", date(2024, 3, 3)),
        ("Sunday, 3 March 2024, 10:00 GMT", date(2024, 3, 3)),
        ("Mar. 3, 2024", date(2024, 3, 3)),
        ("Sept. 3, 2024", date(2024, 9, 3)),
        ("3 Sept 2024", date(2024, 9, 3)),
        ("16 November, 2024", date(2024, 11, 16)),
        ("16-Nov-2024", date(2024, 11, 16)),
        ("20240303", date(2024, 3, 3)),
        ("2024-03-03 10:00:00 +0200", date(2024, 3, 3)),
        ("2024-03-03 10:00:00 UTC", date(2024, 3, 3)),
        ("2024-03-03 10:00 EST", date(2024, 3, 3)),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_date(text), Some(*expected), "{text}");
    }
}

#[test]
fn times_and_zones_are_kept_when_given() {
    let published = |text: &str| match parse_date_value(text) {
        broadsheet::article::DateValue::Dated { published, .. } => published.map(|p| p.rfc3339()),
        other => panic!("{text}: {other:?}"),
    };
    assert_eq!(published("2024-11-16T09:30:00Z").as_deref(), Some("2024-11-16T09:30:00+00:00"));
    assert_eq!(published("2024-11-16T09:30:00+05:30").as_deref(), Some("2024-11-16T09:30:00+05:30"));
    assert_eq!(published("Mon, 05 Apr 93 18:01:16 GMT").as_deref(), Some("1993-04-05T18:01:16+00:00"));
    assert_eq!(published("16 November 2024"), None);
    assert_eq!(published("2024-03-03 10:00:00 +0200").as_deref(), Some("2024-03-03T10:00:00+02:00"));
    assert_eq!(published("2024-03-03 10:00:00 UTC").as_deref(), Some("2024-03-03T10:00:00+00:00"));
}

#[test]
fn ambiguous_numeric_dates_and_prose_are_never_dates() {
    use broadsheet::article::DateValue;
    assert_eq!(parse_date_value("03/04/2025"), DateValue::Ambiguous);
    assert_eq!(parse_date_value("The summit was held on 16 November 2024."), DateValue::Unknown);
    for prose in ["16 November 2024 was a Saturday", "Published: the report", "2024-02-30", "2024-1é-03 x", "12345678"]
    {
        assert_eq!(parse_date_value(prose), DateValue::Unknown, "{prose}");
    }
    let article = parse_text("Title: Budget\nDate: 03/04/2025\n\nBody.\n");
    assert_eq!(article.date, None);
    assert!(
        article.details().warnings.iter().any(|warning| *warning == Warning::AmbiguousDate("03/04/2025".into())),
        "{:?}",
        article.details().warnings
    );
    let prose = parse_text("Budget passes\n\nThe vote on 16 November 2024 was close.\n");
    assert_eq!(prose.date, None);
}

#[test]
fn title_first_files_take_the_section_from_their_folder() {
    let article = parse(ArticleId::new("bbc/business/001"), "Ad sales boost profit\n\nProfits rose.\n\nShares too.\n")
        .expect("parses");
    assert_eq!(article.format, Format::TitleFirst);
    assert_eq!(article.title, "Ad sales boost profit");
    assert_eq!(article.section.as_deref(), Some("Business"));
    assert_eq!(texts(&article), ["Profits rose.", "Shares too."]);
    let opaque = parse(ArticleId::new("Sample/C000008/10"), "标题\n　　正文。").expect("parses");
    assert_eq!(opaque.section, None);
}

#[test]
fn lines_without_blank_lines_are_paragraphs_and_indentation_goes() {
    let article = parse_text("&nbsp;足彩解盘 \r\n\u{3000}\u{3000}第一段。\r\n\u{3000}\u{3000}第二段。");
    assert_eq!(article.title, "足彩解盘");
    assert_eq!(texts(&article), ["第一段。", "第二段。"]);
}

#[test]
fn a_flattened_body_is_split_at_double_spaces_after_sentences() {
    let bytes = "Первый абзац.  Второй абзац.  «Третий абзац». ".as_bytes();
    let sidecar = r#"{"title": "Заголовок", "date": "2021-03-01 00:00:00", "author": "Журналист"}"#.as_bytes();
    let input = FileInput {
        id: ArticleId::new("tmp/articles/1_raw"),
        bytes,
        kind: FileKind::Text,
        sidecar: Some(Sidecar { name: "1_meta.json", bytes: sidecar }),
    };
    let article = parse_file(&input).expect("parses");
    assert_eq!(article.format, Format::Sidecar);
    assert_eq!(article.title, "Заголовок");
    assert_eq!(article.date, Some(date(2021, 3, 1)));
    assert_eq!(article.details().author.as_deref(), Some("Журналист"));
    assert_eq!(article.details().sidecar.as_deref(), Some("1_meta.json"));
    assert_eq!(texts(&article), ["Первый абзац.", "Второй абзац.", "«Третий абзац»."]);
}

#[test]
fn a_broken_sidecar_is_a_warning_not_a_lost_article() {
    let input = FileInput {
        id: ArticleId::new("a"),
        bytes: b"Title\n\nBody.",
        kind: FileKind::Text,
        sidecar: Some(Sidecar { name: "a.json", bytes: b"{not json" }),
    };
    let article = parse_file(&input).expect("parses");
    assert_eq!(article.title, "Title");
    assert!(matches!(&article.details().warnings[0], Warning::Sidecar(reason) if reason.contains("a.json")));
}

#[test]
fn header_blocks_fill_fields_and_keep_unknown_keys_as_metadata() {
    let article = parse_text(
        "Path: a!b\nFrom: ann@example.org (Ann)\nNewsgroups: sci.space,sci.astro\nSubject: Re: Moonbase\n\
         Date: Mon, 05 Apr 93 18:01:16 GMT\nOrganization: Example\nTags: space, moon\n\nFirst line\nwrapped.\n\nSecond.\n",
    );
    assert_eq!(article.format, Format::HeaderBlock);
    assert_eq!(article.title, "Re: Moonbase");
    assert_eq!(article.section.as_deref(), Some("sci.space"));
    assert_eq!(article.details().author.as_deref(), Some("Ann"));
    assert_eq!(article.date, Some(date(1993, 4, 5)));
    assert_eq!(article.details().tags, ["space", "moon"]);
    assert_eq!(article.details().metadata, [("Path".into(), "a!b".into()), ("Organization".into(), "Example".into())]);
    assert_eq!(texts(&article), ["First line wrapped.", "Second."]);
}

#[test]
fn captions_on_their_own_line_are_recognised_but_sentences_are_not() {
    let article = parse_text("Title\n\nA sentence.\n\nPhoto: Reuters\n\nPhotos of the event were shown.\n");
    assert!(
        matches!(&article.paragraphs.to_vec()[1], Paragraph::Caption { text, credit } if text.is_empty() && credit == "Photo: Reuters")
    );
    assert!(matches!(&article.paragraphs.to_vec()[2], Paragraph::Text { .. }));
}

#[test]
fn entity_residue_is_decoded_once() {
    let article = parse_text("Title\n\nA &gt; B &amp;amp; C&nbsp;D\n");
    assert_eq!(texts(&article), ["A > B &amp; C\u{a0}D"]);
}

#[test]
fn utf16_with_a_byte_order_mark_is_read() {
    for big_endian in [false, true] {
        let text = "Título\n\nCuerpo del artículo.";
        let mut bytes = if big_endian { vec![0xFE, 0xFF] } else { vec![0xFF, 0xFE] };
        for unit in text.encode_utf16() {
            bytes.extend(if big_endian { unit.to_be_bytes() } else { unit.to_le_bytes() });
        }
        let article = parse_bytes("a", &bytes, FileKind::Text).expect("parses");
        assert_eq!(article.title, "Título");
        assert!(article.details().encoding.is_some_and(|name| name.starts_with("UTF-16")));
    }
}

#[test]
fn markdown_front_matter_is_read_and_raw_html_is_sanitised() {
    let yaml = "---\ntitle: \"A <b>bold</b> move\"\ndate: 2024-11-16T09:30:00Z\ntags: [a, b]\nlayout: post\n---\n\
                Hello *world*.\n\n<script>alert(1)</script><img src=x onerror=alert(1)>\n";
    let article = parse_bytes("post", yaml.as_bytes(), FileKind::Markdown).expect("parses");
    assert_eq!(article.title, "A <b>bold</b> move");
    assert_eq!(article.date, Some(date(2024, 11, 16)));
    assert_eq!(article.details().tags, ["a", "b"]);
    assert_eq!(article.details().metadata, [("layout".into(), "post".into())]);
    let html: String = article.paragraphs.iter().map(|p| format!("{p:?}")).collect();
    assert!(html.contains("<em>world</em>"));
    assert!(!html.contains("<script") && !html.contains("onerror"), "{html}");
    let toml = "+++\ntitle = \"Toml\"\ndate = 2024-11-16\nsection = \"Tech\"\n+++\n# Not the title\n\nBody.\n";
    let article = parse_bytes("post", toml.as_bytes(), FileKind::Markdown).expect("parses");
    assert_eq!((article.title.as_str(), article.section.as_deref()), ("Toml", Some("Tech")));
    assert_eq!(article.date, Some(date(2024, 11, 16)));
    let heading = parse_bytes("post", b"# From the heading\n\nBody.\n", FileKind::Markdown).expect("parses");
    assert_eq!((heading.title.as_str(), heading.paragraphs.len()), ("From the heading", 1));
}

#[test]
fn legacy_encodings_control_bytes_and_trailing_nuls_are_repaired_with_warnings() {
    let article =
        parse_bytes("a", b"Chelsea sack Mutu\n\na \xa315.8m sig\x19ning\0\0", FileKind::Text).expect("parses");
    assert_eq!(texts(&article), ["a £15.8m signing"]);
    assert_eq!(article.details().encoding, Some("windows-1252"));
    assert_eq!(article.details().warnings.len(), 3, "{:?}", article.details().warnings);
}

#[test]
fn a_date_line_right_under_the_title_is_read_as_the_date() {
    let article =
        parse_text("Council approves new bridge\n16 November 2024\n\nShort first para.\n\nSecond paragraph.\n");
    assert_eq!(article.title, "Council approves new bridge");
    assert_eq!(article.date, Some(date(2024, 11, 16)));
    assert_eq!(texts(&article), ["Short first para.", "Second paragraph."]);

    let long_first = format!("Council approves new bridge\n16 November 2024\n\n{}\n", "A long paragraph. ".repeat(20));
    let article = parse_text(&long_first);
    assert_eq!(article.title, "Council approves new bridge");
    assert_eq!(article.paragraphs.len(), 1);

    let article = parse_text("Markets steady\n16 November 2024\nStocks were flat.\nBonds rose.\n");
    assert_eq!((article.title.as_str(), article.date), ("Markets steady", Some(date(2024, 11, 16))));
    assert_eq!(texts(&article), ["Stocks were flat.", "Bonds rose."]);

    let article = parse_text("Business\nMarkets steady\n16 November 2024\n\nStocks were flat.\n");
    assert_eq!((article.section.as_deref(), article.title.as_str()), (Some("Business"), "Markets steady"));
}

#[test]
fn a_standfirst_between_title_and_date_stays_in_the_body() {
    let article =
        parse_text("Council approves bridge\n\nThe vote was close.\n\nMarch 3, 2024\n\nThe council met on Monday.\n");
    assert_eq!((article.section.as_deref(), article.title.as_str()), (None, "Council approves bridge"));
    assert_eq!(article.date, Some(date(2024, 3, 3)));
    assert_eq!(texts(&article), ["The vote was close.", "The council met on Monday."]);
}

#[test]
fn a_double_spaced_newswire_file_keeps_its_header_out_of_the_body() {
    let double_spaced = NEWSWIRE.replace('\n', "\n\n");
    let article = parse_text(&double_spaced);
    assert_eq!(article.title, "Leaders meet in Lima");
    assert_eq!(article.source.as_deref(), Some("Al Jazeera"));
    assert_eq!(article.date, Some(date(2024, 11, 16)));
    assert_eq!(texts(&article)[0], "The leaders met on Friday.");
    assert!(texts(&article).iter().all(|text| !text.contains("Promote")));
}

#[test]
fn the_seed_parses_alike_with_any_line_breaks() {
    let Some(seeds) = crate::support::shared_data::shared_dir("seeds") else { return };
    let bytes = std::fs::read(seeds.join("000_3ea0f84f1e61d9e9.txt")).expect("seed");
    let expected = parse_bytes("seed", &bytes, FileKind::Text).expect("seed parses");
    let text = String::from_utf8(bytes).expect("UTF-8");
    for line_break in ["\r", "\r\n", "\u{2028}"] {
        let converted = text.replace('\n', line_break);
        let article = parse_bytes("seed", converted.as_bytes(), FileKind::Text).expect("parses");
        assert_eq!(article.title, expected.title, "{line_break:?}");
        assert_eq!((article.date, article.source.as_deref()), (expected.date, expected.source.as_deref()));
        assert_eq!(texts(&article), texts(&expected), "{line_break:?}");
    }
}

#[test]
fn a_header_block_before_the_title_is_read() {
    let article = parse_text("16 November 2024\nThis content originally appeared on Reuters.\n\nTitle here\n\nBody.\n");
    assert_eq!((article.title.as_str(), article.source.as_deref()), ("Title here", Some("Reuters")));
    assert_eq!(texts(&article), ["Body."]);
}

#[test]
fn front_matter_in_a_text_file_is_read() {
    let yaml = "---\ntitle: \"YAML in txt\"\ndate: 2024-03-03\n---\n\nBody one.\n\nBody two.\n";
    let article = parse_bytes("a", yaml.as_bytes(), FileKind::Text).expect("parses");
    assert_eq!((article.title.as_str(), article.date), ("YAML in txt", Some(date(2024, 3, 3))));
    assert_eq!(texts(&article), ["Body one.", "Body two."]);
    let toml = "+++\ntitle = \"TOML\"\n+++\nA title line\n\nBody.\n";
    let article = parse_bytes("a", toml.as_bytes(), FileKind::Text).expect("parses");
    assert_eq!(article.title, "TOML");
    assert!(texts(&article).iter().all(|text| !text.contains("+++")), "{:?}", texts(&article));
}

#[test]
fn a_dateline_or_label_under_a_headline_is_not_the_title() {
    for second in ["WASHINGTON (Reuters)", "[Photo: Reuters]", "1. The first point"] {
        let article = parse_text(&format!("Fed holds rates\n\n{second}\n\nThe Federal Reserve held rates.\n"));
        assert_eq!((article.title.as_str(), article.section.as_deref()), ("Fed holds rates", None), "{second}");
        assert_eq!(texts(&article)[0], second);
    }
    let article = parse_text("World News\n\nLeaders meet in Lima\n\nThe leaders met.\n");
    assert_eq!((article.title.as_str(), article.section.as_deref()), ("Leaders meet in Lima", Some("World News")));
}

#[test]
fn markdown_quotes_nested_absurdly_deep_are_plain_text() {
    let text = format!("# Deep\n\n{} x\n", ">".repeat(100_000));
    let article = parse_bytes("a", text.as_bytes(), FileKind::Markdown).expect("parses");
    assert_eq!(article.title, "Deep");
    assert!(article.details().warnings.iter().any(|warning| matches!(warning, Warning::DeepQuotes(_))));
    let normal = parse_bytes("b", b"# Normal\n\n> > quoted twice\n", FileKind::Markdown).expect("parses");
    assert!(normal.details().warnings.is_empty());
}

#[test]
fn other_syndication_lines_name_the_source() {
    let cases = [
        ("This article originally appeared on The Guardian.", "The Guardian"),
        ("Source: Reuters", "Reuters"),
        ("This content originally appeared on https://www.aljazeera.com/news/2024/11/16/x.", "aljazeera.com"),
    ];
    for (line, source) in cases {
        let article = parse_text(&format!("Leaders meet\n\n16 November 2024\n{line}\n\nBody.\n"));
        assert_eq!(article.source.as_deref(), Some(source), "{line}");
        assert_eq!(texts(&article), ["Body."]);
    }
}

#[test]
fn asides_in_brackets_are_not_photo_credits() {
    let article = parse_text("Title\n\nSee the note below [Ed.]\n\nAs I wrote before [I wrote:]\n");
    assert!(article.paragraphs.iter().all(|p| matches!(p, ParagraphRef::Text { .. })), "{:?}", article.paragraphs);
}

#[test]
fn titles_lose_tabs_and_invisible_reordering_characters() {
    let article = parse_text("Budget\tpasses \u{202E}today\u{202C}\u{200B}\n\nBody.\n");
    assert_eq!(article.title, "Budget passes today");
}

#[test]
fn schema_org_sidecar_keys_and_objects_are_read() {
    let sidecar = br#"{"headline": "From JSON", "datePublished": "2024-03-03T10:00:00Z", "publisher": {"@type": "Organization", "name": "Pub"}, "author": [{"name": "A. Writer"}]}"#;
    let input = FileInput {
        id: ArticleId::new("a"),
        bytes: b"Body text only.\n",
        kind: FileKind::Text,
        sidecar: Some(Sidecar { name: "a.json", bytes: sidecar }),
    };
    let article = parse_file(&input).expect("parses");
    assert_eq!((article.title.as_str(), article.date), ("From JSON", Some(date(2024, 3, 3))));
    assert_eq!(article.source.as_deref(), Some("Pub"));
    assert_eq!(article.details().author.as_deref(), Some("A. Writer"));
}

#[test]
fn markdown_headings_in_the_body_sit_below_the_title() {
    let text = b"# Title\n\nIntro.\n\n# Part one\n\n## Detail\n\n###### Smallest\n";
    let article = parse_bytes("a", text, FileKind::Markdown).expect("parses");
    let html: Vec<String> = article
        .paragraphs
        .iter()
        .filter_map(|p| match p {
            ParagraphRef::Html { html, .. } => Some(html.to_owned()),
            _ => None,
        })
        .collect();
    assert_eq!(html[1].trim(), "<h2>Part one</h2>");
    assert_eq!(html[2].trim(), "<h3>Detail</h3>");
    // Never more than one level below its parent (issue 16: heading-order).
    assert_eq!(html[3].trim(), "<h4>Smallest</h4>");
}

#[test]
fn a_date_under_the_title_of_a_file_of_long_lines_is_read() {
    let body = "The council met on Monday and voted on the bridge, which has been debated for years. ".repeat(3);
    let article = parse_text(&format!("Council approves bridge\n16 November 2024\n{body}\n{body}\n"));
    assert_eq!((article.title.as_str(), article.date), ("Council approves bridge", Some(date(2024, 11, 16))));
    assert_eq!(article.paragraphs.len(), 2);
}

#[test]
fn scraped_wire_copy_with_dashed_metadata_lines_reads_every_field() {
    // The layout of scraped Reuters copy: `-- ` before the title, byline,
    // date and URL, then one body line whose paragraphs are glued with two
    // spaces, ending with a credit line.
    let text = "-- Steel and aluminium tariff talks end with a deal reached with U.S.\n\
                -- By Jane Doe and John Roe\n\
                -- Fri Feb 1, 2013 4:45pm EST\n\
                -- http://www.reuters.com/article/2013/02/01/us-trade-idUSBRE9100XQ20130201\n\n \
                WASHINGTON  (Reuters) - Negotiators reached a deal on Friday, officials said.  The agreement \
                covers steel and aluminium and takes effect next month. It was welcomed by industry groups, \
                which had warned of job losses for more than a year.  \"This is a good day,\" a negotiator said. \
                More words follow to make the body as long as a wire story usually is, with details on quotas, \
                timetables and the reactions of trading partners in Europe and Asia, and on what comes next for \
                the talks that remain on other goods, including cars and farm products.  Talks on cars resume in \
                March, according to a schedule seen by Reuters. (Reporting by Jane Doe; Editing by Sam Poe)\n";
    let article = parse(ArticleId::new("20130201/us-trade"), text).expect("parses");
    assert_eq!(article.title, "Steel and aluminium tariff talks end with a deal reached with U.S.");
    assert_eq!(article.details().author.as_deref(), Some("Jane Doe and John Roe"));
    assert_eq!(article.date, Some(date(2013, 2, 1)));
    assert_eq!(article.source.as_deref(), Some("Reuters"));
    assert_eq!(
        article.details().url.as_deref(),
        Some("http://www.reuters.com/article/2013/02/01/us-trade-idUSBRE9100XQ20130201")
    );
    let paragraphs: Vec<&str> = article.paragraphs.iter().map(|p| p.text()).collect();
    assert!(paragraphs[0].starts_with("WASHINGTON  (Reuters) - Negotiators"), "{paragraphs:?}");
    assert!(paragraphs[1].starts_with("The agreement covers"), "{paragraphs:?}");
    assert_eq!(paragraphs.last(), Some(&"(Reporting by Jane Doe; Editing by Sam Poe)"));
    assert!(paragraphs.iter().all(|p| !p.contains("-- By") && !p.contains("http://")), "{paragraphs:?}");
}
