//! `broadsheet check`, run as the built binary: the summary, the problem
//! list, `--json`, `--verbose`, `--max-file-size` and the exit codes.

use std::process::{Command, Output};

fn check(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_broadsheet")).arg("check").args(args).output().expect("runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

#[test]
fn the_seeds_are_one_article_and_no_problems() {
    let Some(seeds) = crate::support::shared_data::shared_dir("seeds") else { return };
    let output = check(&[seeds.to_str().expect("utf-8 path")]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{report}");
    assert!(report.lines().any(|line| line == "1 articles, 0 problems, 0 warnings"), "{report}");
    assert!(report.contains("newswire"), "{report}");
}

#[test]
fn empty_and_binary_files_are_reported_by_path_with_exit_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("good.txt"), "Title\n\nBody.\n").expect("write");
    std::fs::write(dir.path().join("empty.txt"), "").expect("write");
    std::fs::write(dir.path().join("image.txt"), b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR").expect("write");
    let output = check(&[dir.path().to_str().expect("utf-8 path")]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(report.contains("problem: empty.txt: the file is empty"), "{report}");
    assert!(report.contains("problem: image.txt: the file looks binary (PNG image"), "{report}");
    assert!(report.lines().any(|line| line == "1 articles, 2 problems, 0 warnings"), "{report}");
}

#[test]
fn a_missing_directory_exits_2() {
    let output = check(&["/nonexistent/broadsheet-articles"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("does not exist"));
}

#[test]
fn every_file_is_accounted_for_in_verbose_and_json_output() {
    let dir = tempfile::tempdir().expect("temp dir");
    let root = dir.path();
    std::fs::create_dir(root.join("business")).expect("mkdir");
    std::fs::write(root.join("business/001.txt"), "Profits rise\n\nBody.\n").expect("write");
    std::fs::write(root.join("business/001.json"), r#"{"date": "2024-11-16"}"#).expect("write");
    std::fs::write(root.join("notes.html"), "<p>x</p>").expect("write");
    std::fs::write(root.join(".hidden.txt"), "Hidden\n\nBody.").expect("write");
    std::fs::write(root.join("61293"), "Subject: A post\nDate: 27 Apr 1993 14:30:35 GMT\n\nBody.\n").expect("write");
    std::fs::write(root.join("blob"), b"\x7FELF\x02\x01\x01\0\0\0").expect("write");
    std::fs::write(root.join("#1 hits of 2024.txt"), "Number one hits\n\nBody.\n").expect("write");
    std::fs::write(root.join("#autosave.txt#"), "Autosave\n\nBody.\n").expect("write");
    let path = root.to_str().expect("utf-8 path");
    let report = stdout(&check(&["--verbose", path]));
    for expected in [
        "article: business/001.txt: title-first + 001.json, 2024-11-16: Profits rise",
        "article: 61293: header-block, 1993-04-27: A post",
        "sidecar: business/001.json",
        "ignored: notes.html: `.html` is not an article extension",
        "ignored: .hidden.txt: hidden, temporary or backup file",
        "ignored: blob: no extension, and the content is not text",
        "article: #1 hits of 2024.txt: title-first, undated: Number one hits",
        "ignored: #autosave.txt#: hidden, temporary or backup file",
        "8 files: 3 articles (1 undated), 1 sidecars, 0 images, 4 ignored, 0 problems",
    ] {
        assert!(report.contains(expected), "missing {expected:?} in\n{report}");
    }
    let json = stdout(&check(&["--json", path]));
    let entries: Vec<serde_json::Value> =
        json.lines().map(|line| serde_json::from_str(line).expect("one JSON object per line")).collect();
    assert_eq!(entries.len(), 8, "{json}");
    let article = entries.iter().find(|entry| entry["path"] == "business/001.txt").expect("article entry");
    assert_eq!(article["status"], "article");
    assert_eq!(article["section"], "Business");
    assert_eq!(article["date"], "2024-11-16");
}

#[test]
fn files_over_the_size_limit_are_problems_and_extensions_can_be_changed() {
    let dir = tempfile::tempdir().expect("temp dir");
    std::fs::write(dir.path().join("big.txt"), format!("Title\n\n{}", "word ".repeat(400))).expect("write");
    std::fs::write(dir.path().join("post.news"), "Title\n\nBody.\n").expect("write");
    let path = dir.path().to_str().expect("utf-8 path");
    let output = check(&["--max-file-size", "1KiB", "--extensions", "txt,news", path]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(1), "{report}");
    assert!(report.contains("problem: big.txt: the file is 2007 bytes, more than the limit of 1024 bytes"), "{report}");
    assert!(report.lines().any(|line| line == "1 articles, 1 problems, 0 warnings"), "{report}");
}

#[test]
fn explain_shows_each_header_line_and_where_each_field_came_from() {
    let dir = tempfile::tempdir().expect("temp dir");
    let posts = dir.path().join("_posts");
    std::fs::create_dir(&posts).expect("mkdir");
    std::fs::write(
        posts.join("2024-11-16-wire.txt"),
        "-- Ford, GM sales rise in January\n-- By Bernie Woodall\n-- http://www.reuters.com/article/2013/02/01/x\n\n \
         DETROIT  (Reuters) - Ford said on Friday its sales rose.\n",
    )
    .expect("write");
    std::fs::write(posts.join("draft.md"), "---\ntitle: Not yet\ndraft: true\n---\n\nText.\n").expect("write");
    let dir_arg = dir.path().to_str().expect("utf-8 path");
    let output = check(&[dir_arg, "--explain", "_posts/2024-11-16-wire.txt"]);
    let report = stdout(&output);
    assert_eq!(output.status.code(), Some(0), "{report}");
    let line_with = |needle: &str| report.lines().find(|line| line.contains(needle)).unwrap_or_default().to_owned();
    assert!(line_with("Bernie Woodall").trim_start().starts_with("byline"), "{report}");
    assert!(line_with("http://www.reuters.com").trim_start().starts_with("url"), "{report}");
    let field = |name: &str| report.lines().find(|line| line.starts_with(&format!("  {name} "))).unwrap_or_default();
    assert!(field("date").contains("2024-11-16") && field("date").contains("from the file's path"), "{report}");
    assert!(field("source").contains("Reuters") && field("source").contains("dateline"), "{report}");
    let drafts = check(&[dir_arg]);
    assert!(stdout(&drafts).contains("1 ignored (1 drafts)"), "{}", stdout(&drafts));
}
