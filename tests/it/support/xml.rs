//! Helpers for the feed and SEO tests: a strict XML well-formedness check in
//! Rust, and Python's `feedparser` and `xml.etree` (the parsers real feed
//! readers and tools use), which skip with a notice when Python or
//! feedparser is missing, unless `BROADSHEET_E2E=1`.

use std::io::Write;
use std::process::{Command, Stdio};

use quick_xml::Reader;
use quick_xml::events::Event;

use super::e2e_required;

/// The names of every element in `xml`, in document order; panics with the
/// position when the document is not well-formed (mismatched or unclosed
/// tags, bad entities, text outside the root, a missing root).
pub fn element_names(xml: &str) -> Vec<String> {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let (mut names, mut depth, mut roots) = (Vec::new(), 0usize, 0usize);
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|error| panic!("not well-formed at byte {}: {error}\n{xml}", reader.buffer_position()));
        match event {
            Event::Start(ref element) | Event::Empty(ref element) => {
                roots += usize::from(depth == 0);
                if matches!(event, Event::Start(_)) {
                    depth += 1;
                }
                for attribute in element.attributes() {
                    let attribute = attribute.unwrap_or_else(|error| panic!("bad attribute: {error}"));
                    attribute
                        .decoded_and_normalized_value(quick_xml::XmlVersion::Implicit1_0, reader.decoder())
                        .unwrap_or_else(|error| panic!("bad attribute value: {error}"));
                }
                names.push(String::from_utf8_lossy(element.name().as_ref()).into_owned());
            }
            Event::End(_) => depth -= 1,
            Event::Text(text) => {
                let text = text.decode().unwrap_or_else(|error| panic!("bad text: {error}"));
                assert!(depth > 0 || text.trim().is_empty(), "text outside the root element: {text:?}");
            }
            Event::GeneralRef(reference) => {
                let name = reference.decode().unwrap_or_default();
                let known = ["amp", "lt", "gt", "quot", "apos"].contains(&name.as_ref()) || name.starts_with('#');
                assert!(known, "undefined entity &{name};");
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!((depth, roots), (0, 1), "unclosed elements or not exactly one root");
    names
}

/// Runs a Python snippet with `input` on stdin and returns its stdout as
/// JSON; `None` (after printing why) when Python or feedparser is missing
/// and the run is not an end-to-end run.
pub fn python(script: &str, input: &[u8]) -> Option<serde_json::Value> {
    let available = Command::new("python3")
        .args(["-c", "import feedparser"])
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success());
    if !available {
        let message = "python3 with feedparser is needed (pip install feedparser)";
        assert!(!e2e_required(), "{message}");
        eprintln!("skipping: {message}");
        return None;
    }
    let mut child = Command::new("python3")
        .args(["-c", script])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start python3");
    child.stdin.take().expect("stdin").write_all(input).expect("write to python3");
    let output = child.wait_with_output().expect("run python3");
    assert!(output.status.success(), "python3 failed: {}", String::from_utf8_lossy(&output.stderr));
    Some(serde_json::from_slice(&output.stdout).expect("python3 prints JSON"))
}

/// What feedparser made of a feed served with `content_type`: `bozo`, the
/// feed's version, title and links, and per entry its title, link, id,
/// author, tags, dates (as `YYYY-MM-DD`) and content.
pub fn feedparser(body: &[u8], content_type: &str) -> Option<serde_json::Value> {
    let script = format!(
        r#"
import importlib.util, json, sys, time, feedparser
# JSON Feed support is in feedparser's parsers.json (not in 6.0.x releases).
json_support = importlib.util.find_spec("feedparser.parsers.json") is not None
d = feedparser.parse(sys.stdin.buffer.read(), response_headers={{"content-type": {content_type:?}}})
day = lambda t: time.strftime("%Y-%m-%d", t) if t else None
print(json.dumps({{
  "bozo": int(bool(d.bozo)), "json_support": json_support, "bozo_exception": str(d.get("bozo_exception", "")), "version": d.version,
  "title": d.feed.get("title"), "subtitle": d.feed.get("subtitle"), "link": d.feed.get("link"),
  "links": [l.get("href") for l in d.feed.get("links", [])],
  "entries": [{{"title": e.get("title"), "link": e.get("link"), "id": e.get("id"), "author": e.get("author"),
    "tags": [t.get("term") for t in e.get("tags", [])], "updated": day(e.get("updated_parsed")),
    "published": day(e.get("published_parsed")),
    "content": (e.get("content") or [{{}}])[0].get("value", "")}} for e in d.entries],
}}))
"#
    );
    python(&script, body)
}

/// Whether Python's strict XML parser (expat) accepts `xml`; `None` when
/// Python is not there.
pub fn expat_accepts(xml: &[u8]) -> Option<bool> {
    let script = r#"
import json, sys, xml.etree.ElementTree as ET
try:
    ET.fromstring(sys.stdin.buffer.read()); print("true")
except ET.ParseError as error:
    print(json.dumps(str(error)), file=sys.stderr); print("false")
"#;
    python(script, xml).map(|value| value == serde_json::Value::Bool(true))
}
