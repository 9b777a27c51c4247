//! Hugo shortcodes: `{{< name args >}}` and `{{% name args %}}`, paired
//! with `{{< /name >}}` or not.
//!
//! Embeds become links, `figure` a figure with its caption, `relref`/`ref`
//! the linked article's URL and `highlight` a code block. Any other
//! shortcode needs the site's templates: its tags are removed with a
//! warning, and what it wraps stays as text.

use super::embeds;
use super::expand::{Expander, Handled, Kind, code_block, delimited, split_word};
use super::html::{attribute, attributes};

/// A shortcode (or its closing tag) at `start`.
pub(super) fn shortcode(expander: &mut Expander<'_>, text: &str, start: usize, out: &mut String) -> Handled {
    let open = text.get(start..start + 3)?;
    let close = if open == "{{<" { ">}}" } else { "%}}" };
    let (inner, end) = delimited(text, start, open, close)?;
    let inner = inner.trim();
    if let Some(escaped) = inner.strip_prefix("/*").and_then(|inner| inner.strip_suffix("*/")) {
        // `{{</* x */>}}` is how Hugo docs show a shortcode literally.
        out.push_str(&format!("{open} {} {close}", escaped.trim()));
        return Some((end, Kind::Inline));
    }
    if inner.starts_with('/') {
        return Some((end, Kind::Inline));
    }
    let (name, arguments) = split_word(inner);
    let named = attributes(arguments);
    let positional: Vec<&str> = arguments.split_whitespace().filter(|arg| !arg.contains('=')).collect();
    match name {
        "figure" => out.push_str(&figure(expander, &named)),
        "relref" | "ref" => {
            let target = positional.first().copied().or_else(|| attribute(&named, "path")).unwrap_or("");
            match expander.links.hugo_page(target) {
                Some(href) => out.push_str(&href),
                None => expander.notes.removed(format!("Hugo `{name}` to `{target}` (not an article here)")),
            }
        }
        "highlight" => {
            let closing = expander.find_end("/highlight", || {
                text[end..].find("{{< /highlight >}}").or_else(|| text[end..].find("{{% /highlight %}}"))
            })?;
            let language = positional.first().copied().unwrap_or("");
            code_block(out, language, &text[end..end + closing]);
            expander.swallowed(&text[end..end + closing]);
            return Some((end + closing + "{{< /highlight >}}".len(), Kind::Inline));
        }
        _ => match embeds::link(name, &positional, &named) {
            Some(link) => out.push_str(&link),
            None => expander.notes.removed(format!("Hugo shortcode `{{{{< {name} >}}}}`")),
        },
    }
    Some((end, Kind::Inline))
}

/// `{{< figure src="/images/a.png" title="…" caption="…" alt="…" >}}`.
fn figure(expander: &Expander<'_>, named: &[(String, String)]) -> String {
    let escape = |text: &str| html_escape::encode_double_quoted_attribute(text).into_owned();
    let src = attribute(named, "src").map(|src| expander.links.site_path(src)).unwrap_or_default();
    let caption =
        [attribute(named, "title"), attribute(named, "caption")].into_iter().flatten().filter(|c| !c.is_empty());
    let caption: Vec<&str> = caption.collect();
    let alt = attribute(named, "alt").unwrap_or("");
    let mut html = format!("<figure><img src=\"{}\" alt=\"{}\">", escape(&src), escape(alt));
    if !caption.is_empty() {
        html.push_str(&format!("<figcaption>{}</figcaption>", html_escape::encode_text(&caption.join(" "))));
    }
    html.push_str("</figure>");
    html
}

#[cfg(test)]
mod tests {
    use super::super::links::Links;
    use super::*;
    use crate::article::ArticleId;

    fn expand(id: &str, text: &str) -> (String, Vec<String>) {
        let links = Links::new(&ArticleId::new(id));
        let mut expander = Expander::new(&links, &[]);
        let expanded = expander.expand(text);
        (expanded, expander.notes.into_warnings().collect())
    }

    #[test]
    fn youtube_becomes_a_link_to_the_video() {
        let (expanded, warnings) = expand("blog/webinar", "Watch:\n\n{{< youtube dz9S7R8r5gw >}}\n");
        assert_eq!(expanded, "Watch:\n\n[Watch the video on YouTube](<https://www.youtube.com/watch?v=dz9S7R8r5gw>)\n");
        assert!(warnings.is_empty());
    }

    #[test]
    fn figures_keep_their_caption_and_refs_resolve() {
        let (expanded, _) = expand("blog/p", r#"{{< figure src="/images/g.png" title="Benchmark dashboard.">}}"#);
        assert_eq!(
            expanded,
            r#"<figure><img src="../../images/g.png" alt=""><figcaption>Benchmark dashboard.</figcaption></figure>"#
        );
        let (expanded, _) = expand("blog/dnstap", r#"[CoreDNS-010]({{< relref "/blog/coredns-010.md" >}})"#);
        assert_eq!(expanded, "[CoreDNS-010](coredns-010)");
    }

    #[test]
    fn unknown_shortcodes_lose_their_tags_but_not_their_content() {
        let (expanded, warnings) = expand("a", "{{% notice tip %}}\nUse *this*.\n{{% /notice %}}\nEnd.");
        assert_eq!(expanded, "Use *this*.\nEnd.");
        assert_eq!(warnings.len(), 1, "{warnings:?}");
        let (expanded, _) = expand("a", "`{{< youtube x >}}` {{</* youtube y */>}}");
        assert_eq!(expanded, "`{{< youtube x >}}` {{< youtube y >}}");
    }
}
