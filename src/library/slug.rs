//! URL slugs for section and source names: lowercase ASCII words joined by
//! hyphens (`World News` → `world-news`, `Économie` → `economie`).
//!
//! A slug depends only on its name and on the other names it collides with,
//! so the same directory always yields the same URLs.

use std::collections::HashSet;

use xxhash_rust::xxh3::xxh3_64;

/// The preferred slug of `name`: transliterated to ASCII (`deunicode` knows
/// Latin diacritics, Cyrillic, Greek, CJK…), lowercased, every run of other
/// characters turned into one hyphen. Apostrophes vanish (`Editor’s` →
/// `editors`). A name with nothing transliterable (only symbols or emoji
/// the table lacks) gets a short hash, so the slug is never empty.
pub fn slugify(name: &str) -> String {
    let ascii = deunicode::deunicode(name);
    let mut slug = String::with_capacity(ascii.len());
    for character in ascii.chars() {
        if character.is_ascii_alphanumeric() {
            slug.push(character.to_ascii_lowercase());
        } else if character == '\'' {
            // Dropped rather than hyphenated: `editor-s` reads badly.
        } else if !slug.is_empty() && !slug.ends_with('-') {
            slug.push('-');
        }
    }
    while slug.ends_with('-') {
        slug.pop();
    }
    if slug.is_empty() {
        return format!("n-{}", short_hash(name));
    }
    slug
}

/// Slugs for `names`, unique among themselves, in the same order. Callers
/// pass names sorted, so when two names want the same slug
/// (`World News`, `World-News`) the first keeps it and the next gets a suffix
/// made from a hash of its own name, which does not change when other names
/// come and go.
pub fn unique_slugs<'a>(names: impl IntoIterator<Item = &'a str>) -> Vec<String> {
    let mut taken = HashSet::new();
    let mut slugs = Vec::new();
    for name in names {
        let mut slug = slugify(name);
        if taken.contains(&slug) {
            slug = format!("{slug}-{}", short_hash(name));
        }
        let mut counter = 2;
        let base = slug.clone();
        while taken.contains(&slug) {
            slug = format!("{base}-{counter}");
            counter += 1;
        }
        taken.insert(slug.clone());
        slugs.push(slug);
    }
    slugs
}

fn short_hash(name: &str) -> String {
    format!("{:06x}", xxh3_64(name.as_bytes()) & 0xff_ffff)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_ascii_with_hyphens() {
        let cases = [
            ("World News", "world-news"),
            ("  Business & Finance ", "business-finance"),
            ("Économie", "economie"),
            ("Editor’s Picks", "editors-picks"),
            ("Al Jazeera", "al-jazeera"),
            ("Новости", "novosti"),
            ("Thời sự", "thoi-su"),
        ];
        for (name, expected) in cases {
            assert_eq!(slugify(name), expected, "slug of {name:?}");
        }
    }

    #[test]
    fn a_name_without_letters_still_gets_a_stable_slug() {
        let slug = slugify("—");
        assert!(slug.starts_with("n-") && slug.len() > 2, "{slug}");
        assert_eq!(slug, slugify("—"));
    }

    #[test]
    fn chinese_names_are_transliterated() {
        let slug = slugify("体育");
        assert!(!slug.is_empty() && slug.is_ascii(), "{slug}");
    }

    #[test]
    fn colliding_names_get_distinct_slugs() {
        let slugs = unique_slugs(["World News", "World-News", "world news"]);
        assert_eq!(slugs[0], "world-news");
        let distinct: HashSet<_> = slugs.iter().collect();
        assert_eq!(distinct.len(), 3, "{slugs:?}");
        assert!(slugs.iter().all(|slug| slug.starts_with("world-news")));
    }
}
