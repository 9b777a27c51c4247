//! The reading experience, checked in a real browser and by the checkers the
//! web community trusts: every page type (see `PAGE_TYPES`) at phone and
//! desktop size, in light and dark mode, in headless Chromium — no sideways
//! scrolling, no console errors or CSP violations, big enough touch targets,
//! zero axe-core violations — plus the Nu Html Checker on every page's HTML,
//! and the skip link and keyboard shortcuts driven with real key presses.
//! Screenshots land in `target/screenshots/` for people to look at: the first
//! screen a reader sees (`index-375x812-dark.png`) and the whole page
//! (`…-full.png`), and the first photo caption (`…-figure.png`).
//!
//! The tools are external (see `browser/tools.rs`): without them these tests
//! skip with a notice, and under `BROADSHEET_E2E=1` they fail instead.

#[path = "browser/driver.rs"]
mod driver;
#[path = "browser/site.rs"]
mod site;
#[path = "browser/tools.rs"]
mod tools;

use std::path::{Path, PathBuf};

use driver::Browser;
use fantoccini::key::Key;
use serde_json::Value;
use site::{PAGE_TYPES, PageType, SEED_ID, TestSite};

/// The viewports every page is checked at: the narrowest phone still in use,
/// a common phone, and a laptop.
const VIEWPORTS: &[(u32, u32, bool)] = &[(320, 568, true), (375, 812, true), (1280, 800, false)];
const SCHEMES: &[&str] = &["light", "dark"];

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
    let output = std::process::Command::new(java)
        .arg("-jar")
        .arg(vnu)
        .args(["--format", "json"])
        .args(&files)
        .output()
        .expect("run the Nu Html Checker");
    // vnu writes its JSON report to stderr.
    let report: Value = serde_json::from_slice(&output.stderr).expect("vnu JSON report");
    let errors: Vec<String> = report["messages"]
        .as_array()
        .expect("messages")
        .iter()
        .filter(|message| message["type"] != "info")
        .map(|message| format!("{}:{}: {}", message["url"], message["lastLine"], message["message"]))
        .collect();
    assert!(errors.is_empty(), "the Nu Html Checker found errors:\n{}", errors.join("\n"));
    println!("vnu: {} page types, 0 errors", files.len());
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

/// Brings a photo caption into view, for a screenshot of how captions look.
const SCROLL_TO_FIGURE: &str = "const figure = document.querySelector('figure'); if (figure) figure.scrollIntoView({ block: 'center' }); return !!figure;";

/// Loads one page and returns everything wrong with it.
async fn check_page(browser: &Browser, site: &TestSite, page: &PageType, scheme: &str, axe: &str) -> Vec<String> {
    let url = site.url(page.path);
    browser.client.goto(&url).await.expect("load page");
    // The document itself answering 404 or 400 is logged by Chromium as a
    // failed load; that one is expected.
    let expected = format!("{url} - Failed to load resource: the server responded with a status of {}", page.status);
    let mut problems = check_loaded_page(browser, scheme, axe).await;
    problems.retain(|problem| !problem.contains(&expected));
    problems
}

/// Everything wrong with the page currently loaded.
async fn check_loaded_page(browser: &Browser, scheme: &str, axe: &str) -> Vec<String> {
    let mut problems = Vec::new();
    let facts = browser.eval(PAGE_FACTS).await;
    let dark = facts["prefersDark"].as_bool() == Some(true);
    if dark != (scheme == "dark") {
        problems.push(format!("the page sees prefers-color-scheme dark = {dark}"));
    }
    let luminance = facts["backgroundLuminance"].as_f64().unwrap_or(-1.0);
    if (scheme == "dark") != (luminance < 0.2) {
        problems.push(format!("background luminance {luminance:.2} does not match the {scheme} scheme"));
    }
    if let Some(measure) = facts["measure"].as_u64() {
        let wide = browser.eval("return innerWidth >= 1000;").await == Value::Bool(true);
        if wide && !(60..=75).contains(&measure) {
            problems.push(format!("body lines hold {measure} characters (median), not 60–75"));
        }
    }
    for list in ["overflow", "inlineCode", "smallTargets", "smallText"] {
        let items = facts[list].as_array().cloned().unwrap_or_default();
        problems.extend(items.iter().map(|item| format!("{list}: {}", item.as_str().unwrap_or_default())));
    }
    problems.extend(browser.page_problems().await);
    problems.extend(axe_violations(browser, axe).await);
    problems
}

/// The checks above must be able to fail: break a good page in every way
/// they look for and make sure each one is reported.
async fn checks_catch_a_broken_page(browser: &Browser, site: &TestSite, axe: &str) {
    browser.client.goto(&site.url("/")).await.expect("load index");
    browser.eval(BREAK_THE_PAGE).await;
    // The browser still emulates dark mode from the last round; claiming
    // light must be caught by both colour-scheme checks.
    let problems = check_loaded_page(browser, "light", axe).await.join("\n");
    let expected = [
        "the page sees prefers-color-scheme dark = true",
        "does not match the light scheme",
        "overflow: ",
        "inlineCode: ",
        "smallTargets: ",
        "smallText: ",
        "deliberate console error",
        "axe image-alt",
        "axe color-contrast",
    ];
    for needle in expected {
        assert!(problems.contains(needle), "the checks missed “{needle}” on a broken page; they found:\n{problems}");
    }
}

/// Faults injected by [`checks_catch_a_broken_page`].
const BREAK_THE_PAGE: &str = r#"
const main = document.querySelector("main");
main.insertAdjacentHTML("beforeend", `<div style="width: 3000px">wide</div><img src="/favicon.ico">
  <p><button>x</button></p><p style="font-size: 8px; color: #ccc; background: #fff">tiny grey text</p>`);
console.error("deliberate console error");
return null;
"#;

/// Measured in the page: the colour scheme it sees, the measure (characters
/// per line of body text), horizontal overflow,
/// code a strict CSP would block, touch targets under 44 px (links inside
/// running text are exempt, as WCAG allows) and text under 12 px.
const PAGE_FACTS: &str = r#"
const width = document.documentElement.clientWidth;
// Visually hidden elements (1×1 px, off screen) are not visible.
const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1 && r.bottom > 0; };
const describe = (el) => `${el.tagName.toLowerCase()}${el.className ? "." + el.className : ""} "${el.textContent.trim().slice(0, 40)}"`;
const overflow = [];
if (document.documentElement.scrollWidth > innerWidth) overflow.push(`scrollWidth ${document.documentElement.scrollWidth} > innerWidth ${innerWidth}`);
for (const el of document.body.querySelectorAll("*")) {
  const r = el.getBoundingClientRect();
  if (visible(el) && (r.right > width + 1 || r.left < -1)) overflow.push(`${describe(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} of ${width}`);
}
const inlineCode = [...document.querySelectorAll("script:not([src]), style, [style]")].map(describe);
for (const el of document.querySelectorAll("*")) for (const a of el.attributes) if (a.name.startsWith("on")) inlineCode.push(`${describe(el)} has ${a.name}`);
const smallTargets = [];
for (const el of document.querySelectorAll("a[href], button, input, select, textarea, summary, label")) {
  if (!visible(el)) continue;
  const inRunningText = getComputedStyle(el).display === "inline" && el.parentElement.textContent.trim().length > el.textContent.trim().length;
  const r = el.getBoundingClientRect();
  if (!inRunningText && (r.height < 44 || r.width < 44)) smallTargets.push(`${describe(el)} is ${Math.round(r.width)}×${Math.round(r.height)}`);
}
const smallText = [];
for (const el of document.body.querySelectorAll("p, li, a, span, time, figcaption, h1, h2, h3")) {
  if (visible(el) && el.textContent.trim() && parseFloat(getComputedStyle(el).fontSize) < 12) smallText.push(describe(el));
}
// Characters on the first line of each multi-line body paragraph: the measure.
const firstLines = [];
for (const p of document.querySelectorAll(".article-body > p")) {
  const text = p.firstChild, range = document.createRange();
  let top = null;
  for (let i = 0; text && i < text.length; i++) {
    range.setStart(text, i); range.setEnd(text, i + 1);
    const t = range.getBoundingClientRect().top;
    if (top === null) top = t; else if (t > top + 2) { firstLines.push(i); break; }
  }
}
firstLines.sort((a, b) => a - b);
const [r, g, b] = getComputedStyle(document.body).backgroundColor.match(/\d+(\.\d+)?/g).map(Number).map((c) => c / 255);
return {
  prefersDark: matchMedia("(prefers-color-scheme: dark)").matches,
  backgroundLuminance: 0.2126 * r + 0.7152 * g + 0.0722 * b,
  measure: firstLines.length >= 5 ? firstLines[Math.floor(firstLines.length / 2)] : null,
  overflow: overflow.slice(0, 5), inlineCode, smallTargets, smallText: smallText.slice(0, 5),
};
"#;

/// Injects axe-core (read from disk: nothing is fetched from a CDN) and
/// returns its violations, one line per rule with the first offending nodes.
async fn axe_violations(browser: &Browser, axe: &str) -> Vec<String> {
    browser.eval(&format!("{axe}\nreturn typeof axe;")).await;
    let run = r#"
        const done = arguments[arguments.length - 1];
        axe.run(document, { resultTypes: ["violations"] })
          .then((results) => done(results.violations.map((v) =>
            `axe ${v.id} (${v.impact}): ${v.help} — ${v.nodes.slice(0, 3).map((n) => n.target.join(" ")).join(", ")}`)))
          .catch((error) => done([`axe failed: ${error}`]));
    "#;
    let violations = browser.client.execute_async(run, vec![]).await.expect("run axe");
    violations
        .as_array()
        .cloned()
        .unwrap_or_default()
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_owned())
        .collect()
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
    // Until the search form lands (issue 5), give the page one to focus; the
    // script looks for `input[type=search]` whenever `/` is pressed.
    browser
        .eval("if (!document.querySelector('input[type=search]')) { const box = document.createElement('input'); box.type = 'search'; box.setAttribute('aria-label', 'Search'); document.querySelector('header').append(box); } return null;")
        .await;
    browser.press('/').await;
    assert_eq!(active_element(browser).await, "input", "/ focuses the search box");
    browser.press('j').await;
    let typed = browser.eval("return [document.activeElement.value, location.href];").await;
    assert_eq!(typed, serde_json::json!(["j", site.url("/")]), "keys typed into the search box stay there");
}

async fn active_element(browser: &Browser) -> String {
    let script = "const el = document.activeElement; return el.tagName.toLowerCase() + (el.id ? '#' + el.id : '');";
    browser.eval(script).await.as_str().unwrap_or_default().to_owned()
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
