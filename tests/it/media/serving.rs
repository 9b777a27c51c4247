//! `GET /media/…`: types, validators, safety, resized copies, and files
//! that are not what they claim.

use axum::http::StatusCode;

use super::put;
use crate::support::images::{jpeg, png, png_bomb, size_of, transparent_png, truncated_jpeg, webp};
use crate::support::{TestApp, get};

#[tokio::test]
async fn images_are_served_with_their_type_an_etag_and_304s() {
    let dir = tempfile::tempdir().expect("temp dir");
    let photo = png(40, 30);
    put(dir.path(), "Title.txt", b"Title\n\nBody.\n");
    put(dir.path(), "photos/a b.png", &photo);
    put(dir.path(), "photos/c.webp", &webp(20, 10));
    let app = TestApp::over(dir.path()).build();
    let reply = app.get("/media/photos/a%20b.png").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("image/png"));
    assert_eq!(reply.body, photo, "the file's bytes, untouched");
    assert!(reply.header("last-modified").is_some());
    assert!(reply.header("content-encoding").is_none(), "images are not compressed again");
    let etag = reply.header("etag").expect("an ETag").to_owned();
    let again = get(&app.router, "/media/photos/a%20b.png", &[("if-none-match", &etag)]).await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert_eq!(app.get("/media/photos/c.webp").await.header("content-type"), Some("image/webp"));
}

#[tokio::test]
async fn no_path_leaves_the_folder_and_links_are_not_followed() {
    let outside = tempfile::tempdir().expect("temp dir");
    put(outside.path(), "secret.png", &png(10, 10));
    let dir = tempfile::tempdir().expect("temp dir");
    put(dir.path(), "a/Title.txt", b"Title\n\nBody.\n");
    put(dir.path(), "a/ok.png", &png(10, 10));
    std::os::unix::fs::symlink(outside.path().join("secret.png"), dir.path().join("a/link.png")).expect("symlink");
    let app = TestApp::over(dir.path()).build();
    assert_eq!(app.get("/media/a/ok.png").await.status, StatusCode::OK);
    for path in [
        "/media/a/link.png",
        "/media/a/../a/ok.png",
        "/media/a/%2e%2e/a/ok.png",
        "/media/..%2fsecret.png",
        "/media/a/Title.txt",
        "/media/a/missing.png",
        "/site-media/a/ok.png",
    ] {
        let status = app.get(path).await.status;
        assert!(status == StatusCode::NOT_FOUND || status == StatusCode::BAD_REQUEST, "{path}: {status}");
    }
}

#[tokio::test]
async fn svg_is_sandboxed_and_never_shown_as_a_page() {
    let dir = tempfile::tempdir().expect("temp dir");
    put(dir.path(), "Title.txt", b"Title\n\nBody.\n");
    put(
        dir.path(),
        "x.svg",
        br#"<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><script>alert(1)</script></svg>"#,
    );
    let reply = TestApp::over(dir.path()).build().get("/media/x.svg").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-security-policy"), Some("sandbox"));
    assert_eq!(reply.header("content-disposition"), Some("attachment"));
    assert!(reply.header("cache-control").is_some_and(|value| value.starts_with("private")));
}

#[tokio::test]
async fn resized_copies_are_made_once_kept_by_content_hash_and_never_larger() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = tempfile::tempdir().expect("cache dir");
    put(dir.path(), "Title.txt", b"Title\n\nBody.\n");
    put(dir.path(), "big.jpg", &jpeg(2000, 1000));
    put(dir.path(), "alpha.png", &transparent_png(1000, 500));
    put(dir.path(), "small.jpg", &jpeg(300, 200));
    let app = TestApp::over(dir.path()).resized_images(cache.path()).build();
    let reply = app.get("/media/big.jpg?w=480").await;
    assert_eq!(reply.status, StatusCode::OK);
    assert_eq!(reply.header("content-type"), Some("image/jpeg"));
    assert_eq!(size_of(&reply.body), (480, 240));
    let kept: Vec<_> = std::fs::read_dir(cache.path().join("images")).expect("images folder").collect();
    assert_eq!(kept.len(), 1, "one copy kept");
    // Another replica over the same cache folder serves the kept copy.
    let replica = TestApp::over(dir.path()).resized_images(cache.path()).build();
    assert_eq!(replica.get("/media/big.jpg?w=480").await.body, reply.body);
    let alpha = app.get("/media/alpha.png?w=480").await;
    assert_eq!(alpha.header("content-type"), Some("image/png"), "transparency keeps PNG");
    assert_eq!(size_of(&alpha.body), (480, 240));
    let small = app.get("/media/small.jpg?w=960").await;
    assert_eq!(size_of(&small.body), (300, 200), "never larger than the original");
    assert_eq!(app.get("/media/big.jpg?w=481").await.status, StatusCode::BAD_REQUEST);
    assert_eq!(app.get("/media/big.jpg?w=480&utm_source=x").await.body, reply.body, "other parameters are ignored");
    // A cached page and a cached copy are different entries.
    assert_eq!(size_of(&app.get("/media/big.jpg").await.body), (2000, 1000));
    assert_eq!(size_of(&app.get("/media/big.jpg").await.body), (2000, 1000));
    assert_eq!(size_of(&app.get("/media/big.jpg?w=960").await.body), (960, 480));
    assert_eq!(size_of(&app.get("/media/big.jpg?w=960").await.body), (960, 480));
    // Without a cache folder the original is served.
    let plain = TestApp::over(dir.path()).build();
    assert_eq!(size_of(&plain.get("/media/big.jpg?w=480").await.body), (2000, 1000));
}

#[tokio::test]
async fn bombs_truncated_and_mislabelled_files_are_refused_quickly_without_a_500() {
    let dir = tempfile::tempdir().expect("temp dir");
    let cache = tempfile::tempdir().expect("cache dir");
    put(
        dir.path(),
        "post.md",
        b"---\ntitle: Broken pictures\n---\n\nText.\n\n![A bomb](bomb.png)\n\n![Cut](cut.jpg)\n\n![Words](words.jpg)\n\n![Gone](gone.png)\n",
    );
    let bomb = png_bomb(100_000);
    assert!(bomb.len() < 2048, "a tiny file");
    put(dir.path(), "bomb.png", &bomb);
    put(dir.path(), "cut.jpg", &truncated_jpeg(1600, 1200));
    put(dir.path(), "words.jpg", b"This is a text file, not a photo.");
    let app = TestApp::over(dir.path()).resized_images(cache.path()).build();
    let started = std::time::Instant::now();
    let page = app.get("/articles/post").await;
    assert_eq!(page.status, StatusCode::OK);
    let html = page.text();
    assert!(!html.contains("media/bomb.png") && !html.contains("media/words.jpg"), "{html}");
    for alt in ["A bomb", "Words", "Gone"] {
        assert!(html.contains(&format!("<span class=\"missing-image\">{alt}</span>")), "{alt}: {html}");
    }
    assert_eq!(app.get("/media/bomb.png").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/media/bomb.png?w=480").await.status, StatusCode::NOT_FOUND);
    assert_eq!(app.get("/media/words.jpg").await.status, StatusCode::NOT_FOUND);
    // The truncated photo's header is fine: it is shown, and its copy is
    // the original when the decoder refuses the rest (or what it could
    // decode of it, when it is lenient), never an error.
    assert!(html.contains("src=\"/media/cut.jpg\""), "{html}");
    let cut = app.get("/media/cut.jpg?w=480").await;
    assert_eq!(cut.status, StatusCode::OK);
    assert!(cut.body == truncated_jpeg(1600, 1200) || size_of(&cut.body) == (480, 360));
    assert!(started.elapsed() < std::time::Duration::from_secs(20), "refused quickly: {:?}", started.elapsed());
}
