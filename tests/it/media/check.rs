//! `broadsheet check` on a folder with images, and live reload of images.

use std::process::Command;

use super::put;
use crate::support::binary::Served;
use crate::support::images::{jpeg, png, png_bomb};

#[test]
fn check_lists_images_and_warns_about_missing_and_broken_ones() {
    let dir = tempfile::tempdir().expect("temp dir");
    put(
        dir.path(),
        "post.md",
        b"---\ntitle: Pictures\nimage: cover.jpg\n---\n\nText.\n\n![Chart](chart.png)\n\n![Gone](img/gone.png)\n",
    );
    put(dir.path(), "chart.png", &png(30, 20));
    put(dir.path(), "bomb.png", &png_bomb(100_000));
    put(dir.path(), "words.jpg", b"not a photo");
    let output = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["check", "--verbose", dir.path().to_str().expect("utf-8 path")])
        .output()
        .expect("runs");
    let report = String::from_utf8_lossy(&output.stdout);
    for line in [
        "media: chart.png: PNG, 30×20",
        "media: bomb.png: PNG, not shown: it declares 100000×100000 pixels, more than the 64-megapixel limit",
        "warning: post.md: image not found: img/gone.png (in the articles directory)",
        "warning: post.md: image not found: cover.jpg (in the articles directory)",
        "warning: words.jpg: image not shown: it is named .jpg but is no image",
    ] {
        assert!(report.lines().any(|found| found == line), "{line:?} missing from:\n{report}");
    }
    assert!(
        report.contains("4 files: 1 articles (1 undated), 0 sidecars, 3 images, 0 ignored, 0 problems"),
        "{report}"
    );
    assert_eq!(output.status.code(), Some(0), "warnings are not problems: {report}");
    let json = Command::new(env!("CARGO_BIN_EXE_broadsheet"))
        .args(["check", "--json", dir.path().to_str().expect("utf-8 path")])
        .output()
        .expect("runs");
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&json.stdout)
        .lines()
        .map(|line| serde_json::from_str(line).expect("one JSON object per line"))
        .collect();
    let chart = lines.iter().find(|line| line["path"] == "chart.png").expect("the image has a line");
    assert_eq!(
        (chart["status"].as_str(), chart["width"].as_u64(), chart["height"].as_u64()),
        (Some("media"), Some(30), Some(20))
    );
    let bomb = lines.iter().find(|line| line["path"] == "bomb.png").expect("the bomb has a line");
    assert!(bomb["reason"].as_str().is_some_and(|reason| reason.contains("64-megapixel")), "{bomb}");
}

#[test]
fn an_image_added_changed_or_removed_is_seen_by_live_reload() {
    let dir = tempfile::tempdir().expect("temp dir");
    put(dir.path(), "a.txt", b"A title\n\nBody.\n");
    let options = broadsheet::library::LoadOptions::default();
    let library = broadsheet::library::load_dir_with(dir.path(), &options).expect("load");
    let article = library.get("a").expect("article").clone();
    assert!(library.media().lead_image(&article).is_none());
    put(dir.path(), "a.jpg", &jpeg(64, 48));
    let added = library.apply(dir.path(), &options, ["a.jpg".into()]).expect("a reload");
    let file = added.library.media().get(broadsheet::library::media::MediaRoot::Articles, "a.jpg").expect("seen");
    assert_eq!(file.dimensions().map(|size| (size.width, size.height)), Some((64, 48)));
    assert!(added.library.media().lead_image(&article).is_some());
    assert_ne!(added.library.generation(), library.generation(), "pages showing it are rendered again");
    put(dir.path(), "a.jpg", &jpeg(32, 24));
    let changed = added.library.apply(dir.path(), &options, ["a.jpg".into()]).expect("a reload");
    let file = changed.library.media().get(broadsheet::library::media::MediaRoot::Articles, "a.jpg").expect("seen");
    assert_eq!(file.dimensions().map(|size| (size.width, size.height)), Some((32, 24)));
    std::fs::remove_file(dir.path().join("a.jpg")).expect("remove");
    let removed = changed.library.apply(dir.path(), &options, ["a.jpg".into()]).expect("a reload");
    assert!(removed.library.media().is_empty());
    assert_eq!(removed.library.len(), 1, "the article stays");
}

#[tokio::test(flavor = "multi_thread")]
async fn remote_images_are_shown_only_with_remote_images() {
    let dir = tempfile::tempdir().expect("temp dir");
    put(
        dir.path(),
        "post.md",
        b"---\ntitle: Remote\n---\n\nText.\n\n![A remote chart](https://cdn.example/chart.png)\n",
    );
    let served = Served::start(&["--remote-images".as_ref(), "--articles".as_ref(), dir.path().as_os_str()]);
    let reply = reqwest::get(served.url("/articles/post")).await.expect("page");
    let policy = reply.headers().get("content-security-policy").and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    let html = reply.text().await.expect("body");
    assert!(policy.contains("img-src 'self' https:"), "{policy}");
    assert!(html.contains(r#"<img src="https://cdn.example/chart.png" alt="A remote chart" loading="lazy""#), "{html}");
}

#[tokio::test(flavor = "multi_thread")]
async fn images_added_under_a_separate_media_root_are_seen_while_serving() {
    let site = tempfile::tempdir().expect("site root");
    put(site.path(), "_posts/2024-05-01-post.md", b"---\ntitle: Logo\n---\n\nText.\n\n![The logo](/assets/logo.png)\n");
    let posts = site.path().join("_posts");
    let served =
        Served::start(&["--articles".as_ref(), posts.as_os_str(), "--media-root".as_ref(), site.path().as_os_str()]);
    let before = served.text("/articles/2024-05-01-post").await;
    assert!(before.contains(r#"<span class="missing-image">The logo</span>"#), "{before}");
    put(site.path(), "assets/logo.png", &png(40, 20));
    let started = std::time::Instant::now();
    loop {
        let page = served.text("/articles/2024-05-01-post").await;
        if page.contains(r#"<img src="/site-media/assets/logo.png" alt="The logo" width="40" height="20""#) {
            break;
        }
        assert!(started.elapsed() < std::time::Duration::from_secs(20), "the new image was not seen: {page}");
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
}
