//! The operator's view of load problems: `/problems` and its link from
//! `/healthz`, through the real router in-process.

use axum::http::StatusCode;

use crate::support::TestApp;

/// Status and body of `GET uri`.
async fn get(app: &TestApp, uri: &str) -> (StatusCode, String) {
    let reply = app.get(uri).await;
    (reply.status, reply.text())
}

fn app_with_problems() -> (tempfile::TempDir, TestApp) {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("good.txt"), "Title: Fine\nDate: 03/04/2025\n\nBody.\n").expect("write");
    std::fs::write(dir.path().join("empty.txt"), "").expect("write");
    std::fs::write(dir.path().join("<script>.txt"), b"\x89PNG\r\n\x1a\n\0\0").expect("write");
    let app = TestApp::over(dir.path()).build();
    (dir, app)
}

#[tokio::test]
async fn problems_page_lists_each_problem_and_warning_escaped() {
    let (_dir, app) = app_with_problems();
    let (status, html) = get(&app, "/problems").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<code class=\"path\">empty.txt</code>: the file is empty"), "{html}");
    assert!(html.contains("&#60;script&#62;.txt") || html.contains("&lt;script&gt;.txt"), "{html}");
    assert!(!html.contains("<script>"), "file names must be escaped");
    assert!(html.contains("03/04/2025"), "the ambiguous-date warning is listed");
    assert!(html.contains("<title>Problems"));
}

#[tokio::test]
async fn healthz_links_to_the_problems_page() {
    let (_dir, app) = app_with_problems();
    let (status, body) = get(&app, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    let health: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(health["problems"], 2);
    assert_eq!(health["problems_url"], "/problems");
}

#[tokio::test]
async fn the_api_gives_the_exact_publication_time_beside_the_date() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(
        dir.path().join("post.md"),
        "---\ntitle: Post\ndate: 2024-11-16T09:30:00+02:00\n---\nHi <script>x</script>\n",
    )
    .expect("write");
    let app = TestApp::over(dir.path()).build();
    let (_, body) = get(&app, "/api/articles/post").await;
    let article: serde_json::Value = serde_json::from_str(&body).expect("json");
    assert_eq!(article["date"], "2024-11-16");
    assert_eq!(article["published"], "2024-11-16T09:30:00+02:00");
    assert_eq!(article["paragraphs"][0]["kind"], "html");
    let (status, html) = get(&app, "/articles/post").await;
    assert_eq!(status, StatusCode::OK);
    assert!(html.contains("<p>Hi </p>") || html.contains("<p>Hi"), "{html}");
    assert!(!html.contains("<script>x"), "{html}");
}
