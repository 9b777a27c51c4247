use super::*;

fn object(json: &str) -> Map<String, Value> {
    match serde_json::from_str(json) {
        Ok(Value::Object(object)) => object,
        other => panic!("not an object: {other:?}"),
    }
}

#[test]
fn a_newspaper_object_with_text_is_an_article() {
    let json = r#"{"url": "https://www.cnn.com/2023/11/06/politics/a", "title": "Alito and Prelogar",
        "authors": ["Joan Biskupic", "Jeremy Herb"], "publish_date": "2023-11-06T00:00:00",
        "keywords": ["(", "alito"], "meta_keywords": [""], "tags": null, "meta_site_name": "CNN",
        "summary": "An NLP extract.", "meta_description": "The publisher's description.",
        "top_image": "https://cdn/x.jpg", "images": ["a", "b"], "text": "First paragraph.\n\nSecond paragraph."}"#;
    let draft = parse(json).expect("an article");
    assert_eq!(draft.format, Format::Json);
    assert_eq!(draft.title.as_deref(), Some("Alito and Prelogar"));
    assert_eq!(draft.author.as_deref(), Some("Joan Biskupic, Jeremy Herb"));
    assert_eq!(draft.date.as_deref(), Some("2023-11-06T00:00:00"));
    assert_eq!(draft.url.as_deref(), Some("https://www.cnn.com/2023/11/06/politics/a"));
    assert_eq!(draft.source.as_deref(), Some("CNN"));
    assert_eq!(draft.summary.as_deref(), Some("The publisher's description."));
    assert!(draft.tags.is_empty(), "NLP keywords are not tags: {:?}", draft.tags);
    assert_eq!(draft.paragraphs.len(), 2);
    assert!(!draft.metadata.iter().any(|(key, _)| key == "text" || key == "images"), "{:?}", draft.metadata);
    assert_eq!(draft.image.as_deref(), Some("https://cdn/x.jpg"));
}

#[test]
fn arrays_and_objects_without_text_are_not_articles() {
    assert!(parse(r#"[{"title": "a", "link": "https://x"}]"#).is_err());
    assert!(parse(r#"{"title": "a", "text": "  "}"#).is_err());
    assert!(parse(r#"{"title": "a"}"#).is_err());
    assert!(parse("not json").is_err());
    assert!(parse("42").is_err());
}

#[test]
fn scraper_noise_in_authors_and_tags_is_dropped() {
    let fields = normalise(object(r#"{"authors": ["www.facebook.com"], "tags": "set()"}"#));
    assert!(fields.is_empty(), "{fields:?}");
    let fields = normalise(object(r#"{"authors": ["National Desk", "on December", "at PM"]}"#));
    assert_eq!(fields.get("author"), Some(&Value::from("National Desk")));
}

#[test]
fn publisher_keywords_are_tags() {
    let fields = normalise(object(r#"{"keywords": ["(", "x"], "meta_keywords": ["winter storm", ""]}"#));
    assert_eq!(fields.get("tags"), Some(&serde_json::json!(["winter storm"])));
    assert_eq!(fields.get("keywords"), None);
    let plain = normalise(object(r#"{"keywords": ["a", "b"]}"#));
    assert_eq!(
        plain.get("keywords"),
        Some(&serde_json::json!(["a", "b"])),
        "a hand-written sidecar keeps its keywords"
    );
}

#[test]
fn trafilatura_and_news_please_keys_are_read() {
    let json = r#"{"title": "T", "author": "Ann Lee; Bo Chen", "source": "https://example.org/a",
        "source-hostname": "Example News", "excerpt": "Dek.", "categories": "Politics;World", "date": "2021-01-02",
        "raw_text": "x", "text": "Body."}"#;
    let draft = parse(json).expect("an article");
    assert_eq!(draft.author.as_deref(), Some("Ann Lee, Bo Chen"));
    assert_eq!(draft.url.as_deref(), Some("https://example.org/a"));
    assert_eq!(draft.source.as_deref(), Some("Example News"));
    assert_eq!(draft.summary.as_deref(), Some("Dek."));
    assert_eq!(draft.section.as_deref(), Some("Politics"));
    let draft = parse(
        r#"{"title": "T", "maintext": "Body.", "date_publish": "2020-05-01 10:00:00",
        "source_domain": "example.com"}"#,
    )
    .expect("an article");
    assert_eq!((draft.date.as_deref(), draft.source.as_deref()), (Some("2020-05-01 10:00:00"), Some("example.com")));
}

#[test]
fn without_a_site_name_the_source_is_the_urls_host() {
    let draft =
        parse(r#"{"title": "T", "text": "B.", "url": "http://www.news.cn/fortune/c.htm", "meta_site_name": ""}"#);
    assert_eq!(draft.expect("an article").source.as_deref(), Some("news.cn"));
    let draft = parse(r#"{"title": "T", "text": "B."}"#).expect("an article");
    assert_eq!(draft.source, None);
}

#[test]
fn a_canonical_link_is_the_url_only_without_one() {
    let fields = normalise(object(r#"{"url": "https://a/1", "canonical_link": "https://a/c"}"#));
    assert_eq!(fields.get("url"), Some(&Value::from("https://a/1")));
    let fields = normalise(object(r#"{"canonical_link": "https://a/c"}"#));
    assert_eq!(fields.get("url"), Some(&Value::from("https://a/c")));
    let fields = normalise(object(r#"{"canonical_link": "8003098"}"#));
    assert_eq!(fields.get("url"), None);
}
