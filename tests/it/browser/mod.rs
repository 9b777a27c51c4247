//! The reading experience, checked in a real browser and by the checkers the
//! web community trusts: every page type (see `PAGE_TYPES`) at phone and
//! desktop size, in light and dark mode, in headless Chromium — no sideways
//! scrolling, no console errors or CSP violations, big enough touch targets,
//! zero axe-core violations — plus the Nu Html Checker on every page's HTML,
//! the skip link and keyboard shortcuts (and their off switch) driven with
//! real key presses, and a
//! phone's first screen showing the seed's headline and first paragraph.
//! Screenshots land in `target/screenshots/` for people to look at: the first
//! screen a reader sees (`index-375x812-dark.png`) and the whole page
//! (`…-full.png`), and the first photo caption (`…-figure.png`).
//!
//! The tools are external (see `browser/tools.rs`): without them these tests
//! skip with a notice, and under `BROADSHEET_E2E=1` they fail instead.

mod checks;
mod driver;
mod images;
mod real;
mod site;
mod tools;

use std::path::{Path, PathBuf};

use checks::{SCROLL_TO_FIGURE, check_page, checks_catch_a_broken_page};
use driver::Browser;
use fantoccini::key::Key;
use serde_json::Value;
use site::{PAGE_TYPES, SEED_ID, TestSite};

/// The viewports every page is checked at: the narrowest phone still in use,
/// a common phone, and a laptop.
const VIEWPORTS: &[(u32, u32, bool)] = &[(320, 568, true), (375, 812, true), (1280, 800, false)];
const SCHEMES: &[&str] = &["light", "dark"];

#[test]
fn stylesheet_and_script_stay_small() {
    let css = include_bytes!("../../../static/style.css").len();
    let script = include_bytes!("../../../static/keys.js").len();
    assert!(css < 20 * 1024, "style.css is {css} bytes; keep it under 20 KB for a fast first paint");
    assert!(script < 5 * 1024, "keys.js is {script} bytes; it is meant to stay small");
}

#[tokio::test]
async fn every_page_type_is_valid_html() {
    let Some([java, vnu]) = tools::require("HTML validation", [("java", tools::java()), ("vnu.jar", tools::vnu_jar())])
    else {
        return;
    };
    let site = TestSite::start().await;
    let pages = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for page in PAGE_TYPES {
        let response = reqwest::get(site.url(page.path)).await.expect("request");
        assert_eq!(response.status().as_u16(), page.status, "{} ({}) status", page.name, page.path);
        let file = pages.path().join(format!("{}.html", page.name));
        std::fs::write(&file, response.text().await.expect("body")).expect("write page");
        files.push(file);
    }
    // A broken page proves the checker runs and reports; its errors are
    // expected and set aside below.
    let broken = pages.path().join("deliberately-broken.html");
    std::fs::write(&broken, "<!DOCTYPE html><html lang=en><title>x</title><p><div></p>").expect("write page");
    files.push(broken);
    let output = std::process::Command::new(java)
        .arg("-jar")
        .arg(vnu)
        .args(["--format", "json"])
        .args(&files)
        .output()
        .expect("run the Nu Html Checker");
    let (expected, errors): (Vec<String>, Vec<String>) =
        vnu_errors(&output.stderr).into_iter().partition(|error| error.contains("deliberately-broken.html"));
    assert!(!expected.is_empty(), "the Nu Html Checker missed the errors in a broken page");
    assert!(errors.is_empty(), "the Nu Html Checker found errors:\n{}", errors.join("\n"));
    files.pop();
    println!("vnu: {} page types, 0 errors", files.len());
}

/// Fetches each `(name, url)` and runs the Nu Html Checker on the pages;
/// what it reports, one line each.
async fn nu_checker_errors(java: &Path, vnu: &Path, pages: &[(String, String)]) -> Vec<String> {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut files = Vec::new();
    for (name, url) in pages {
        let body = reqwest::get(url).await.expect("request").text().await.expect("body");
        let file = dir.path().join(format!("{name}.html"));
        std::fs::write(&file, body).expect("write page");
        files.push(file);
    }
    let output = std::process::Command::new(java).arg("-jar").arg(vnu).args(["--format", "json"]).args(&files).output();
    vnu_errors(&output.expect("run the Nu Html Checker").stderr)
}

/// The errors and warnings in the Nu Html Checker's JSON report (which it
/// writes to stderr), one line each.
fn vnu_errors(report: &[u8]) -> Vec<String> {
    let report: Value = serde_json::from_slice(report).expect("vnu JSON report");
    report["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|message| message["type"] != "info")
        .map(|message| format!("{}:{}: {}", message["url"], message["lastLine"], message["message"]))
        .collect()
}

#[tokio::test]
async fn every_page_type_reads_well_in_chromium_at_every_size_and_scheme() {
    let Some([chromium, chromedriver, axe]) = tools::require(
        "browser checks",
        [("chromium", tools::chromium()), ("chromedriver", tools::chromedriver()), ("axe-core", tools::axe_script())],
    ) else {
        return;
    };
    let axe = std::fs::read_to_string(axe).expect("read axe.min.js");
    let site = TestSite::start().await;
    let browser = Browser::start(&chromium, &chromedriver).await;
    let mut problems = Vec::new();
    for &(width, height, mobile) in VIEWPORTS {
        browser.set_viewport(width, height, mobile).await;
        for &scheme in SCHEMES {
            browser.set_color_scheme(scheme).await;
            for page in PAGE_TYPES {
                let context = format!("{} at {width}×{height}, {scheme}", page.name);
                let found = check_page(&browser, &site, page, scheme, &axe).await;
                problems.extend(found.into_iter().map(|problem| format!("{context}: {problem}")));
                let name = format!("{}-{width}x{height}-{scheme}", page.name);
                browser.screenshot_viewport(&screenshot_dir().join(format!("{name}.png"))).await;
                browser.screenshot_full_page(&screenshot_dir().join(format!("{name}-full.png"))).await;
                if browser.eval(SCROLL_TO_FIGURE).await == Value::Bool(true) {
                    browser.screenshot_viewport(&screenshot_dir().join(format!("{name}-figure.png"))).await;
                }
            }
        }
    }
    checks_catch_a_broken_page(&browser, &site, &axe).await;
    browser.close().await;
    assert!(problems.is_empty(), "{} problems:\n{}", problems.len(), problems.join("\n"));
    println!("checked {} page types × {} viewports × {} schemes", PAGE_TYPES.len(), VIEWPORTS.len(), SCHEMES.len());
}

#[tokio::test]
async fn skip_link_and_keyboard_shortcuts_work() {
    let Some([chromium, chromedriver]) =
        tools::require("keyboard checks", [("chromium", tools::chromium()), ("chromedriver", tools::chromedriver())])
    else {
        return;
    };
    let site = TestSite::start().await;
    let browser = Browser::start(&chromium, &chromedriver).await;
    browser.set_viewport(1280, 800, false).await;
    skip_link_moves_focus_to_the_content(&browser, &site).await;
    j_and_k_move_through_a_list(&browser, &site).await;
    j_and_k_follow_article_links(&browser, &site).await;
    slash_focuses_the_search_box(&browser, &site).await;
    shortcuts_can_be_turned_off(&browser, &site).await;
    let problems = browser.page_problems().await;
    browser.close().await;
    assert!(problems.is_empty(), "errors while using the keyboard: {problems:?}");
}

async fn skip_link_moves_focus_to_the_content(browser: &Browser, site: &TestSite) {
    browser.client.goto(&site.url("/")).await.expect("load index");
    browser.press(Key::Tab.into()).await;
    let focused = browser
        .eval("const r = document.activeElement.getBoundingClientRect(); return [document.activeElement.className, r.top >= 0 && r.bottom <= innerHeight];")
        .await;
    assert_eq!(focused, serde_json::json!(["skip-link", true]), "the first Tab shows the skip link");
    browser.press(Key::Enter.into()).await;
    assert_eq!(active_element(browser).await, "main#main", "the skip link moves focus to <main>");
    browser.press(Key::Tab.into()).await;
    let inside = browser.eval("return document.querySelector('main').contains(document.activeElement);").await;
    assert_eq!(inside, Value::Bool(true), "the next Tab stays in the content, past the header");
}

async fn j_and_k_move_through_a_list(browser: &Browser, site: &TestSite) {
    browser.client.goto(&site.url("/")).await.expect("load index");
    let titles =
        browser.eval("return [...document.querySelectorAll('.article-list h2 a')].map((a) => a.textContent);").await;
    let focused_title = "return document.activeElement.textContent;";
    browser.press('j').await;
    assert_eq!(browser.eval(focused_title).await, titles[0], "j focuses the first article");
    browser.press('j').await;
    assert_eq!(browser.eval(focused_title).await, titles[1], "j again focuses the second");
    browser.press('k').await;
    assert_eq!(browser.eval(focused_title).await, titles[0], "k goes back to the first");
}

async fn j_and_k_follow_article_links(browser: &Browser, site: &TestSite) {
    let seed = site.url(&format!("/articles/{SEED_ID}"));
    browser.client.goto(&seed).await.expect("load article");
    let older = browser.eval("return document.querySelector('.article-nav a[rel=next]').href;").await;
    let older = older.as_str().expect("the seed has an older article").to_owned();
    browser.press('j').await;
    wait_for_url(browser, &older).await;
    browser.press('k').await;
    wait_for_url(browser, &seed).await;
}

async fn slash_focuses_the_search_box(browser: &Browser, site: &TestSite) {
    browser.client.goto(&site.url("/")).await.expect("load index");
    browser.press('/').await;
    assert_eq!(active_element(browser).await, "input#site-search-q", "/ focuses the search box in the header");
    browser.press('j').await;
    let typed = browser.eval("return [document.activeElement.value, location.href];").await;
    assert_eq!(typed, serde_json::json!(["j", site.url("/")]), "keys typed into the search box stay there");
    browser.client.goto(&site.url("/search?q=talks")).await.expect("load search results");
    browser.press('j').await;
    let first = eventually(browser, "return document.activeElement.closest('.article-list h3') !== null;").await;
    assert!(first, "j focuses the first search result");
    browser.press('/').await;
    assert_eq!(active_element(browser).await, "input#search-q", "/ focuses the search page's own box");
}

/// WCAG 2.1.4: single-key shortcuts can be turned off, and the choice holds
/// on the next page (the script remembers it like the colour choice).
async fn shortcuts_can_be_turned_off(browser: &Browser, site: &TestSite) {
    browser.client.goto(&site.url("/")).await.expect("load index");
    choose(browser, "keys-off").await;
    browser.client.goto(&site.url("/")).await.expect("load index");
    let off = browser.eval("return document.getElementById('keys-off').checked;").await;
    assert_eq!(off, Value::Bool(true), "“Off” is remembered on the next page");
    browser.press('j').await;
    browser.press('/').await;
    assert_eq!(active_element(browser).await, "body", "j and / do nothing when the shortcuts are off");
    let seed = site.url(&format!("/articles/{SEED_ID}"));
    browser.client.goto(&seed).await.expect("load article");
    browser.press('j').await;
    let url = browser.eval("return location.href;").await;
    assert_eq!(url, Value::String(seed), "j does not follow the older link when the shortcuts are off");
    choose(browser, "keys-on").await;
    browser.client.goto(&site.url("/")).await.expect("load index");
    browser.press('j').await;
    let first = browser.eval("return document.activeElement.closest('.article-list h2') !== null;").await;
    assert_eq!(first, Value::Bool(true), "turned on again, j focuses the first article");
}

#[tokio::test]
async fn a_phone_shows_the_headline_and_first_paragraph_without_scrolling() {
    let Some([chromium, chromedriver]) = tools::require(
        "first-screen check",
        [("chromium", tools::chromium()), ("chromedriver", tools::chromedriver())],
    ) else {
        return;
    };
    let site = TestSite::start().await;
    let browser = Browser::start(&chromium, &chromedriver).await;
    browser.set_viewport(375, 812, true).await;
    browser.client.goto(&site.url(&format!("/articles/{SEED_ID}"))).await.expect("load article");
    // The masthead, links and search box stay compact: the headline ends in
    // the top half and the first paragraph starts on the first screen.
    let bottoms = browser
        .eval("return [document.querySelector('h1').getBoundingClientRect().bottom, document.querySelector('.article-body p').getBoundingClientRect().top, innerHeight];")
        .await;
    let [headline, paragraph, height] = [0, 1, 2].map(|i| bottoms[i].as_f64().unwrap_or(f64::MAX));
    browser.close().await;
    assert!(headline < height / 2.0, "the headline ends at {headline} px of {height}");
    assert!(paragraph < height * 0.75, "the first paragraph starts at {paragraph} px of {height}");
}

#[tokio::test]
async fn colour_switch_and_print_stylesheet_work() {
    let Some([chromium, chromedriver]) = tools::require(
        "colour switch and print checks",
        [("chromium", tools::chromium()), ("chromedriver", tools::chromedriver())],
    ) else {
        return;
    };
    let site = TestSite::start().await;
    let browser = Browser::start(&chromium, &chromedriver).await;
    browser.set_viewport(375, 812, true).await;
    colour_switch_overrides_the_system_setting(&browser, &site).await;
    print_shows_the_article_only(&browser, &site).await;
    let problems = browser.page_problems().await;
    browser.close().await;
    assert!(problems.is_empty(), "errors while switching colours or printing: {problems:?}");
}

async fn colour_switch_overrides_the_system_setting(browser: &Browser, site: &TestSite) {
    let article = site.url(&format!("/articles/{SEED_ID}"));
    browser.set_color_scheme("light").await;
    browser.client.goto(&site.url("/")).await.expect("load index");
    assert!(!is_dark(browser).await, "light by default in a light system");
    choose_colours(browser, "dark").await;
    assert!(is_dark(browser).await, "“Dark” turns the page dark without a reload");
    browser.client.goto(&article).await.expect("load article");
    assert!(is_dark(browser).await, "the script remembers “Dark” on the next page");
    browser.set_color_scheme("dark").await;
    choose_colours(browser, "light").await;
    assert!(!is_dark(browser).await, "“Light” wins over a dark system setting");
    choose_colours(browser, "auto").await;
    assert!(is_dark(browser).await, "“Auto” follows the system again");
    browser.set_color_scheme("light").await;
}

async fn choose_colours(browser: &Browser, theme: &str) {
    choose(browser, &format!("theme-{theme}")).await;
}

/// Clicks the label of the footer switch's radio button `id`.
async fn choose(browser: &Browser, id: &str) {
    let label = format!("label[for={id}]");
    browser.client.find(fantoccini::Locator::Css(&label)).await.expect("footer switch").click().await.expect("click");
}

async fn is_dark(browser: &Browser) -> bool {
    browser.wait_for_styles().await;
    let script = "const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\\d+/g).map(Number); return r + g + b < 150;";
    browser.eval(script).await == Value::Bool(true)
}

async fn print_shows_the_article_only(browser: &Browser, site: &TestSite) {
    browser.client.goto(&site.url(&format!("/articles/{SEED_ID}"))).await.expect("load article");
    browser.cdp("Emulation.setEmulatedMedia", serde_json::json!({ "media": "print" })).await;
    let hidden = browser
        .eval("return ['.site-footer', '.article-nav', '.skip-link'].filter((s) => getComputedStyle(document.querySelector(s)).display !== 'none');")
        .await;
    assert_eq!(hidden, serde_json::json!([]), "navigation and footer are not printed");
    let shown = browser.eval("return getComputedStyle(document.querySelector('article')).display;").await;
    assert_eq!(shown, "block", "the article is printed");
    browser.screenshot_full_page(&screenshot_dir().join("article-print.png")).await;
    browser.client.goto(&site.url("/")).await.expect("load index");
    let url =
        browser.eval("return getComputedStyle(document.querySelector('.article-list a'), '::after').content;").await;
    assert!(url.as_str().unwrap_or_default().contains("/articles/"), "printed links show their URL, got {url}");
    browser.cdp("Emulation.setEmulatedMedia", serde_json::json!({ "media": "" })).await;
}

async fn active_element(browser: &Browser) -> String {
    let script = "const el = document.activeElement; return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');";
    browser.eval(script).await.as_str().unwrap_or_default().to_owned()
}

/// Whether `script` returns true within a second (the browser may still be
/// handling the last key press on a loaded machine).
async fn eventually(browser: &Browser, script: &str) -> bool {
    for _ in 0..20 {
        if browser.eval(script).await == Value::Bool(true) {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    false
}

async fn wait_for_url(browser: &Browser, url: &str) {
    let url = reqwest::Url::parse(url).expect("url");
    browser.client.wait().for_url(&url).await.unwrap_or_else(|error| panic!("never reached {url}: {error}"));
}

fn screenshot_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    target.join("screenshots")
}
