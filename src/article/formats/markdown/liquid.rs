//! Liquid, as Jekyll posts use it: `{% tag … %}` and `{{ output }}`.
//!
//! Only what has a meaning without the site is kept: code blocks
//! (`highlight`), literal text (`raw`), the site's base and links to other
//! posts, front matter values (`{{ page.image }}`) and embeds of a URL.
//! Everything else needs the site's templates and data (`include`,
//! `{{ "name" | team_photo }}`), so it is removed with a warning.

use super::embeds;
use super::expand::{Expander, Handled, Kind, code_block, delimited, split_word};

/// A `{% … %}` tag at `start`.
pub(super) fn tag(expander: &mut Expander<'_>, text: &str, start: usize, out: &mut String) -> Handled {
    let (inner, end) = delimited(text, start, "{%", "%}")?;
    let (name, arguments) = split_word(trim_whitespace_control(inner));
    match name {
        "raw" => {
            let (close_start, close_end) = expander.find_end("endraw", || end_tag(text, end, "endraw"))?;
            out.push_str(&text[end..close_start]);
            expander.swallowed(&text[end..close_start]);
            Some((close_end, Kind::Inline))
        }
        "highlight" | "codeblock" => {
            let end_name = format!("end{name}");
            let (close_start, close_end) = expander.find_end(&end_name, || end_tag(text, end, &end_name))?;
            let language = split_word(arguments).0.trim_start_matches("lang:");
            code_block(out, language, &text[end..close_start]);
            expander.swallowed(&text[end..close_start]);
            Some((close_end, Kind::Inline))
        }
        "comment" => {
            let (_, close_end) = expander.find_end("endcomment", || end_tag(text, end, "endcomment"))?;
            expander.swallowed(&text[end..close_end]);
            Some((close_end, Kind::Inline))
        }
        "link" | "post_url" => {
            let path = split_word(arguments).0;
            let links = expander.links;
            let href = if name == "link" { links.site_file(path) } else { links.post(path) };
            match href {
                Some(href) => out.push_str(&href),
                None => expander.notes.removed(format!("Liquid tag `{{% {name} {path} %}}` (no such post here)")),
            }
            Some((end, Kind::Inline))
        }
        _ => {
            let positional: Vec<&str> = arguments.split_whitespace().collect();
            match embeds::link(name, &positional, &[]) {
                Some(link) => out.push_str(&link),
                None => expander.notes.removed(format!("Liquid tag `{{% {name} %}}`")),
            }
            Some((end, Kind::Inline))
        }
    }
}

/// A `{{ … }}` output at `start`.
pub(super) fn output(expander: &mut Expander<'_>, text: &str, start: usize, out: &mut String) -> Handled {
    let (inner, end) = delimited(text, start, "{{", "}}")?;
    let expression = trim_whitespace_control(inner);
    let mut parts = split_filters(expression).into_iter();
    let value = parts.next().unwrap_or("").trim();
    let filters: Vec<&str> = parts.map(str::trim).collect();
    let site_root = expander.links.site_root();
    if is_site_base(value) {
        // `{{ site.url }}{{ site.baseurl }}` is one base, not two.
        if !out.ends_with(&site_root) {
            out.push_str(&site_root);
        }
        return Some((end, Kind::Inline));
    }
    if let Some(key) = value.strip_prefix("page.").or_else(|| value.strip_prefix("post."))
        && let Some((_, found)) = expander.page.iter().find(|(name, _)| name == key)
    {
        let found = found.trim();
        let at_base = out.ends_with(&site_root);
        out.push_str(&if found.starts_with('/') && !at_base {
            expander.links.site_path(found)
        } else {
            found.to_owned()
        });
        return Some((end, Kind::Inline));
    }
    if let Some(literal) = quoted(value).filter(|literal| embeds::is_url(literal)) {
        let title =
            filters.iter().find_map(|filter| filter.split_once(':').and_then(|(_, argument)| quoted(argument.trim())));
        let label = title.unwrap_or(literal).replace(['[', ']'], "");
        out.push_str(&format!("[{label}](<{literal}>)"));
        return Some((end, Kind::Inline));
    }
    let shape = match filters.last() {
        Some(filter) => format!("{{{{ … | {} }}}}", split_word(filter.split(':').next().unwrap_or(filter)).0),
        None => format!("{{{{ {value} }}}}"),
    };
    expander.notes.removed(format!("Liquid output `{shape}`"));
    // `“…” – {{ "kate" | team_link }}`: the dash introduced the name.
    let line_ends =
        text[end..].trim_start_matches([' ', '\t']).starts_with(['\n', '<']) || text[end..].trim().is_empty();
    let kept = out.trim_end_matches([' ', '\t']);
    if line_ends && kept.ends_with(['-', '–', '—']) {
        let kept = kept.trim_end_matches(['-', '–', '—']).trim_end_matches([' ', '\t']).len();
        out.truncate(kept);
    }
    Some((end, Kind::Inline))
}

fn is_site_base(value: &str) -> bool {
    matches!(
        value,
        "site.url" | "site.baseurl" | "site.github.url" | "site.github.baseurl" | "base_path" | "site.base_url"
    )
}

/// `{%- tag -%}`: the dashes only trim white space in Liquid.
fn trim_whitespace_control(inner: &str) -> &str {
    inner.trim().trim_start_matches('-').trim_end_matches('-').trim()
}

/// The next `{% end %}` tag from `from`: where it starts and ends.
fn end_tag(text: &str, from: usize, end: &str) -> Option<(usize, usize)> {
    let mut at = from;
    while let Some(offset) = text[at..].find("{%") {
        let start = at + offset;
        let close = text[start + 2..].find("%}").map(|i| start + 2 + i + 2)?;
        if split_word(trim_whitespace_control(&text[start + 2..close - 2])).0 == end {
            return Some((start, close));
        }
        at = start + 2;
    }
    None
}

/// Splits `value | filter: "a|b" | other` at the bars outside quotes.
fn split_filters(expression: &str) -> Vec<&str> {
    let mut parts = Vec::new();
    let mut quote = None;
    let mut start = 0;
    for (index, c) in expression.char_indices() {
        match (quote, c) {
            (None, '"' | '\'') => quote = Some(c),
            (Some(open), _) if open == c => quote = None,
            (None, '|') => {
                parts.push(&expression[start..index]);
                start = index + 1;
            }
            _ => {}
        }
    }
    parts.push(&expression[start..]);
    parts
}

/// The text of a quoted Liquid string literal.
fn quoted(value: &str) -> Option<&str> {
    let value = value.trim();
    ["\"", "'"].iter().find_map(|quote| value.strip_prefix(quote)?.strip_suffix(quote))
}

#[cfg(test)]
mod tests {
    use super::super::links::Links;
    use super::*;
    use crate::article::ArticleId;

    fn expand(id: &str, page: &[(String, String)], text: &str) -> (String, Vec<String>) {
        let links = Links::new(&ArticleId::new(id));
        let mut expander = Expander::new(&links, page);
        let expanded = expander.expand(text);
        (expanded, expander.notes.into_warnings().collect())
    }

    #[test]
    fn the_site_base_is_relative_to_the_article_page() {
        let cases = [
            ("![A]({{site.baseurl}}/assets/a.png)", "![A](../../../assets/a.png)"),
            ("[B]({{ site.baseurl }}/)", "[B](../../../)"),
            ("[C]({{- site.url -}}{{ site.baseurl }}/c)", "[C](../../../c)"),
        ];
        for (text, expected) in cases {
            assert_eq!(expand("j/_posts/2015-01-01-a", &[], text).0, expected);
        }
    }

    #[test]
    fn highlight_becomes_a_fenced_block_and_raw_stays_literal() {
        let text = "Intro\n{% highlight ruby linenos %}\ndef x = \"{{ y }}\"\n```\n{% endhighlight %}\nAfter {% raw %}{{ kept }}{% endraw %}.";
        let (expanded, warnings) = expand("a", &[], text);
        assert_eq!(expanded, "Intro\n````ruby\ndef x = \"{{ y }}\"\n```\n````\n\nAfter {{ kept }}.");
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    #[test]
    fn post_links_page_values_and_url_embeds_resolve() {
        let page = [("image".to_owned(), "/assets/hub.png".to_owned())];
        let text = "[a]({% post_url 2014-01-02-b %}) <img src=\"{{ page.image }}\"> {% oembed https://t.co/x %}";
        let (expanded, _) = expand("j/_posts/2015-01-01-a", &page, text);
        assert_eq!(
            expanded,
            "[a](2014-01-02-b) <img src=\"../../../assets/hub.png\"> [https://t.co/x](<https://t.co/x>)"
        );
        let (expanded, _) = expand("a", &[], "{{ \"https://youtu.be/x\" | embed: \"Nepal\" }}");
        assert_eq!(expanded, "[Nepal](<https://youtu.be/x>)");
    }

    #[test]
    fn other_tags_and_outputs_are_removed_with_one_warning_per_kind() {
        let text = "<div>{{ \"kate\" | team_photo }}\n“Quote” – {{ \"a\" | team_photo }}\n{% include footer.html %}\n</div>\nEnd {{ page.missing }}";
        let (expanded, warnings) = expand("a", &[], text);
        assert_eq!(expanded, "<div>\n“Quote”\n</div>\nEnd ");
        assert_eq!(warnings.len(), 3, "{warnings:?}");
        assert!(warnings[0].contains("team_photo") && warnings[0].contains("2 times"), "{warnings:?}");
    }

    #[test]
    fn code_keeps_liquid_literally() {
        let text = "`{{ page.x }}` and\n\n    {% include y %}\n";
        assert_eq!(expand("a", &[], text).0, text);
    }
}
