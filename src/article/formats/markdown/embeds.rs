//! Embedded media (`{{< youtube ID >}}`, `{% oembed URL %}`, WordPress's
//! `[embed]URL[/embed]`) as a plain link to what was embedded: Broadsheet
//! serves no third-party frames or scripts, but the reader can still
//! follow the link, and the link's text is on the page and in search.

/// A Markdown link to the media that `name` embeds with these arguments
/// (positional first, then `key=value` pairs), or `None` when there is no
/// obvious target.
pub(super) fn link(name: &str, positional: &[&str], named: &[(String, String)]) -> Option<String> {
    let named_value = |keys: &[&str]| {
        named
            .iter()
            .find(|(key, _)| keys.contains(&key.as_str()))
            .map(|(_, value)| value.trim())
            .filter(|v| !v.is_empty())
    };
    let first = positional.first().copied().map(|arg| arg.trim_matches(['"', '\''])).filter(|arg| !arg.is_empty());
    let url = positional
        .iter()
        .copied()
        .chain(named.iter().map(|(_, value)| value.as_str()))
        .map(|arg| arg.trim_matches(['"', '\'']))
        .find(|arg| is_url(arg));
    let id = named_value(&["id", "video_id"]).or(first);
    let (label, target) = match name.to_ascii_lowercase().as_str() {
        "youtube" | "youtube_nocookie" => ("Watch the video on YouTube", youtube(url.or(id)?)),
        "vimeo" => ("Watch the video on Vimeo", vimeo(url.or(id)?)),
        "instagram" => (
            "See the post on Instagram",
            url.map(str::to_owned).or_else(|| id.map(|id| format!("https://www.instagram.com/p/{id}/")))?,
        ),
        "gist" => ("See the code on GitHub", url.map(str::to_owned).or_else(|| gist(positional))?),
        "tweet" | "twitter" | "x" => {
            let user = named_value(&["user"]).unwrap_or("i");
            (
                "See the post on X (Twitter)",
                url.map(str::to_owned).or_else(|| id.map(|id| format!("https://twitter.com/{user}/status/{id}")))?,
            )
        }
        _ => {
            let url = url?.trim_matches(['"', '\'']);
            (url, url.to_owned())
        }
    };
    let target = target.trim_matches(['"', '\'']);
    Some(format!("[{}](<{}>)", label.replace(['[', ']'], ""), target.replace(['<', '>', ' '], "")))
}

/// An absolute http(s) URL, or one without a scheme (`//host/…`).
pub(super) fn is_url(text: &str) -> bool {
    text.starts_with("https://") || text.starts_with("http://") || text.starts_with("//")
}

fn youtube(id_or_url: &str) -> String {
    let id_or_url = id_or_url.trim_matches(['"', '\'']);
    if is_url(id_or_url) { id_or_url.to_owned() } else { format!("https://www.youtube.com/watch?v={id_or_url}") }
}

fn vimeo(id_or_url: &str) -> String {
    let id_or_url = id_or_url.trim_matches(['"', '\'']);
    if is_url(id_or_url) { id_or_url.to_owned() } else { format!("https://vimeo.com/{id_or_url}") }
}

fn gist(positional: &[&str]) -> Option<String> {
    match positional {
        [user, id, ..] => Some(format!("https://gist.github.com/{}/{}", user.trim_matches('"'), id.trim_matches('"'))),
        [id] if !id.contains('/') => Some(format!("https://gist.github.com/{}", id.trim_matches('"'))),
        [path] => Some(format!("https://gist.github.com/{}", path.trim_matches('"'))),
        [] => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn video_ids_become_links_to_the_video() {
        assert_eq!(
            link("youtube", &["dz9S7R8r5gw"], &[]).as_deref(),
            Some("[Watch the video on YouTube](<https://www.youtube.com/watch?v=dz9S7R8r5gw>)")
        );
        let named = [("id".to_owned(), "123".to_owned())];
        assert_eq!(link("vimeo", &[], &named).as_deref(), Some("[Watch the video on Vimeo](<https://vimeo.com/123>)"));
    }

    #[test]
    fn any_embed_of_a_url_links_to_it() {
        let tweet = "https://twitter.com/seldo/status/571453200093437952";
        assert_eq!(link("oembed", &[tweet], &[]), Some(format!("[{tweet}](<{tweet}>)")));
        assert_eq!(link("oembed", &[], &[]), None);
        assert_eq!(link("include", &["footer.html"], &[]), None);
    }
}
