//! Where an article library's heap goes: loads a directory and adds up the
//! bytes each part of the article model holds (lengths and capacities), to
//! compare with the process's RSS.
//!
//! `cargo run --release --example mem_census -- DIR [SEARCH_CACHE_DIR]`
//!
//! With a second argument it also builds the search index there, as the
//! server does for a large library, and prints the RSS after that.

use broadsheet::article::{Article, ParagraphRef};

/// The server's allocator, so RSS figures compare with the server's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn rss_mb() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|line| line.strip_prefix("VmRSS:"))
        .and_then(|value| value.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb / 1024)
}

#[derive(Default)]
struct Census {
    articles: usize,
    structs: usize,
    text_len: usize,
    text_cap: usize,
    paragraphs: usize,
    paragraph_slots: usize,
    excerpt_cap: usize,
    small_cap: usize,
    packed: usize,
}

impl Census {
    fn add(&mut self, article: &Article) {
        self.articles += 1;
        self.structs += size_of::<Article>() + 16; // + the Arc's counts
        self.paragraphs += article.paragraphs.len();
        // The body is its text (packed with others' after a load) plus a
        // table of 12-byte blocks.
        self.paragraph_slots += article.paragraphs.len() * 12;
        self.packed += usize::from(article.paragraphs.is_packed());
        for paragraph in article.paragraphs.iter() {
            let len = match paragraph {
                ParagraphRef::Text { text } => text.len(),
                ParagraphRef::Caption { text, credit } => text.len() + credit.len(),
                ParagraphRef::Html { html, text } => html.len() + text.len(),
            };
            self.text_len += len;
            self.text_cap += len;
        }
        self.excerpt_cap += size_of_val(&article.excerpt_at);
        self.small_cap += article.id.as_str().len()
            + article.title.capacity()
            + article.section.as_ref().map_or(0, String::capacity)
            + article.source.as_ref().map_or(0, String::capacity)
            + article.path.as_ref().map_or(0, |path| path.as_os_str().len())
            + article.details().metadata.iter().map(|(key, value)| key.capacity() + value.capacity()).sum::<usize>()
            + article.details().warnings.len() * std::mem::size_of::<broadsheet::article::Warning>()
            + article.details().tags.iter().map(String::capacity).sum::<usize>();
    }
}

fn main() -> anyhow::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "articles".to_owned());
    let before = rss_mb();
    let library = broadsheet::library::load_dir(std::path::Path::new(&dir))?;
    let after = rss_mb();
    // mimalloc returns freed pages after a delay (a second in v3).
    std::thread::sleep(std::time::Duration::from_secs(2));
    println!("RSS 2 s after the load {} MB", rss_mb());
    let mut census = Census::default();
    for article in library.articles() {
        census.add(article);
    }
    let mb = |bytes: usize| bytes as f64 / 1_048_576.0;
    println!("articles {} ({} with packed bodies), paragraphs {}", census.articles, census.packed, census.paragraphs);
    println!("RSS before load {before} MB, after {after} MB");
    println!("Article structs {:.1} MB (size_of Article = {})", mb(census.structs), size_of::<Article>());
    println!("paragraph block tables {:.1} MB", mb(census.paragraph_slots));
    println!("paragraph text len {:.1} MB, capacity {:.1} MB", mb(census.text_len), mb(census.text_cap));
    println!("excerpt positions {:.1} MB, small strings {:.1} MB", mb(census.excerpt_cap), mb(census.small_cap));
    let heap = census.structs + census.paragraph_slots + census.text_cap + census.excerpt_cap + census.small_cap;
    println!(
        "sum of counted heap {:.1} MB; malloc overhead ~16 B x {} blocks = {:.1} MB",
        mb(heap),
        census.articles * 8,
        mb(16 * census.articles * 8)
    );
    if let Some(cache) = std::env::args().nth(2) {
        let store = broadsheet::library::search::SearchStore::Directory(cache.into());
        let index = broadsheet::library::search::SearchIndex::pending(library.len());
        index.build_in(&library, &store);
        println!("RSS with the search index built {} MB ({} documents)", rss_mb(), index.len());
        std::thread::sleep(std::time::Duration::from_secs(2));
        println!("RSS 2 s later {} MB", rss_mb());
    }
    Ok(())
}
