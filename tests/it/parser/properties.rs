//! Property tests of the parser: arbitrary input never panics, parsing stays
//! linear (checked by input size, not by timing), and an article written
//! back out in the newswire layout parses to the same article.

use broadsheet::article::{ArticleId, FileInput, FileKind, ParagraphRef, parse, parse_file};
use proptest::prelude::*;

fn parse_any(bytes: &[u8], kind: FileKind) {
    let input = FileInput { id: ArticleId::new("folder/file"), bytes, kind, sidecar: None };
    let _ = parse_file(&input);
}

/// Lines made of the characters that steer layout detection.
fn article_like_text() -> impl Strategy<Value = String> {
    let line = prop_oneof![
        Just(String::new()),
        Just("16 November 2024".to_owned()),
        Just("This content originally appeared on X.".to_owned()),
        Just("Title: T".to_owned()),
        Just("---".to_owned()),
        Just("Фото А. Б.".to_owned()),
        "[ -~]{0,40}",
        "[\u{3000}\u{4e00}-\u{4e10}。 ]{0,20}",
        "(Word|[a-z]+|[A-Z][a-z]+\\.|  |\\[|\\]|&nbsp;|&amp;|\t)*",
    ];
    prop::collection::vec(line, 0..30).prop_map(|lines| lines.join("\n"))
}

proptest! {
    #[test]
    fn arbitrary_bytes_never_panic(bytes in prop::collection::vec(any::<u8>(), 0..2048)) {
        parse_any(&bytes, FileKind::Text);
        parse_any(&bytes, FileKind::Markdown);
    }

    #[test]
    fn article_like_text_never_panics(text in article_like_text()) {
        parse_any(text.as_bytes(), FileKind::Text);
        parse_any(text.as_bytes(), FileKind::Markdown);
    }

    #[test]
    fn newswire_round_trip(
        section in "[A-Z][a-z]{2,12}( [A-Z][a-z]{2,10})?",
        title in "[A-Z][a-z]{2,10}( [a-z]{2,10}){1,8}",
        source in "[A-Z][a-z]{2,10}( [A-Z][a-z]{2,10})?",
        (year, month, day) in (1990i16..2030, 1i8..=12, 1i8..=28),
        paragraphs in prop::collection::vec("[A-Z][a-z]{1,8}( [a-z]{1,8}){0,30}\\.", 1..8),
        credit in proptest::option::of("[A-Z][a-z]{2,8} [A-Z][a-z]{2,8}/Reuters"),
    ) {
        let date = jiff::civil::date(year, month, day);
        let mut text = format!("{section}\n\n{title}\n\n{}\nThis content originally appeared on {source}.\n\n",
            date.strftime("%-d %B %Y"));
        for paragraph in &paragraphs {
            text.push_str(paragraph);
            text.push_str("\n\n");
        }
        if let Some(credit) = &credit {
            text.push_str(&format!("A photo of the scene [{credit}]\n"));
        }
        let article = parse(ArticleId::new("a"), &text).expect("parses");
        prop_assert_eq!(&article.section, &Some(section));
        prop_assert_eq!(&article.title, &title);
        prop_assert_eq!(article.date, Some(date));
        prop_assert_eq!(&article.source, &Some(source));
        let texts: Vec<&str> = article.paragraphs.iter()
            .filter(|p| matches!(p, ParagraphRef::Text { .. })).map(|p| p.text()).collect();
        prop_assert_eq!(texts, paragraphs.iter().map(String::as_str).collect::<Vec<_>>());
        let credits: Vec<&str> = article.paragraphs.iter().filter_map(|p| match p {
            ParagraphRef::Caption { credit, .. } => Some(credit),
            _ => None,
        }).collect();
        prop_assert_eq!(credits, credit.iter().map(String::as_str).collect::<Vec<_>>());
        // Written back out in the same layout, it parses to the same article.
        let mut again = format!("{}\n\n{}\n\n{}\nThis content originally appeared on {}.\n\n",
            article.section.as_deref().unwrap_or_default(), article.title,
            date.strftime("%-d %B %Y"), article.source.as_deref().unwrap_or_default());
        for paragraph in &article.paragraphs {
            match paragraph {
                ParagraphRef::Caption { text, credit } => again.push_str(&format!("{text} [{credit}]\n\n")),
                other => { again.push_str(other.text()); again.push_str("\n\n"); }
            }
        }
        prop_assert_eq!(parse(ArticleId::new("a"), &again).expect("parses again"), article);
    }
}

/// Linear time without timing: a file of one very long line and a file of
/// very many short lines both parse, and the work is bounded by the input
/// (the parser has no nested loops over lines; this guards against one).
#[test]
fn huge_inputs_of_pathological_shape_parse() {
    let one_line = "word.  ".repeat(200_000);
    let many_lines = "a\n".repeat(200_000);
    let many_brackets = "[".repeat(100_000) + "]";
    let many_spaces = format!("T\n\n{}x", " ".repeat(500_000));
    for text in [one_line, many_lines, many_brackets, many_spaces] {
        parse_any(text.as_bytes(), FileKind::Text);
        parse_any(text.as_bytes(), FileKind::Markdown);
    }
}
