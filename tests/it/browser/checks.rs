//! What is checked on every page in the browser: one script measures the
//! page (colour scheme, overflow, inline code, touch targets, text size,
//! measure), the browser's own log and a watcher script give errors and CSP
//! violations, and axe-core gives accessibility violations. A self-check
//! breaks a page on purpose to prove each check can fail.

use serde_json::Value;

use super::driver::Browser;
use super::site::{PageType, TestSite};

/// Brings a photo caption into view, for a screenshot of how captions look.
pub const SCROLL_TO_FIGURE: &str = "const figure = document.querySelector('figure'); if (figure) figure.scrollIntoView({ block: 'center' }); return !!figure;";

/// Loads one page and returns everything wrong with it.
pub async fn check_page(browser: &Browser, site: &TestSite, page: &PageType, scheme: &str, axe: &str) -> Vec<String> {
    check_url(browser, &site.url(page.path), page.status, scheme, axe).await
}

/// Everything wrong with the page at `url`, which answers `status`.
pub async fn check_url(browser: &Browser, url: &str, status: u16, scheme: &str, axe: &str) -> Vec<String> {
    browser.client.goto(url).await.expect("load page");
    browser.wait_for_styles().await;
    // The document itself answering 404 or 400 is logged by Chromium as a
    // failed load; that one is expected.
    let expected = format!("{url} - Failed to load resource: the server responded with a status of {status}");
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
pub async fn checks_catch_a_broken_page(browser: &Browser, site: &TestSite, axe: &str) {
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
        "style-src-attr blocked inline",
        "axe image-alt",
        "axe color-contrast",
    ];
    for needle in expected {
        assert!(problems.contains(needle), "the checks missed “{needle}” on a broken page; they found:\n{problems}");
    }
}

/// Faults injected by [`checks_catch_a_broken_page`]. The site's CSP blocks
/// `style` attributes written in the HTML (that is one fault: inline code and
/// a CSP violation), so the layout faults are applied through the CSSOM,
/// which a CSP allows; they still show up as inline code too.
const BREAK_THE_PAGE: &str = r##"
const main = document.querySelector("main");
main.insertAdjacentHTML("beforeend", `<div class="wide">wide</div><img src="/favicon.ico">
  <p><button>x</button></p><p class="tiny">tiny grey text</p><p style="color: red">inline style</p>`);
main.querySelector(".wide").style.width = "3000px";
Object.assign(main.querySelector(".tiny").style, { fontSize: "8px", color: "#ccc", background: "#fff" });
console.error("deliberate console error");
return null;
"##;

/// Measured in the page: the colour scheme it sees, the measure (characters
/// per line of body text), horizontal overflow,
/// code a strict CSP would block, touch targets under 44 px (links inside
/// running text, and labels of visible controls, are exempt, as WCAG allows)
/// and text under 12 px.
const PAGE_FACTS: &str = r#"
const width = document.documentElement.clientWidth;
// Visually hidden elements (1×1 px, off screen) are not visible.
const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 1 && r.height > 1 && r.bottom > 0; };
const describe = (el) => `${el.tagName.toLowerCase()}${el.className ? "." + el.className : ""} "${el.textContent.trim().slice(0, 40)}"`;
const overflow = [];
if (document.documentElement.scrollWidth > innerWidth) overflow.push(`scrollWidth ${document.documentElement.scrollWidth} > innerWidth ${innerWidth}`);
// Inside a box that scrolls or clips sideways (a code block, a wide table)
// content may be wider than the screen: the page itself does not move.
const scrolled = (el) => {
  for (let box = el.parentElement; box && box !== document.body; box = box.parentElement) {
    if (getComputedStyle(box).overflowX !== "visible") return true;
  }
  return false;
};
for (const el of document.body.querySelectorAll("*")) {
  const r = el.getBoundingClientRect();
  if (visible(el) && (r.right > width + 1 || r.left < -1) && !scrolled(el)) overflow.push(`${describe(el)} spans ${Math.round(r.left)}..${Math.round(r.right)} of ${width}`);
}
// JSON-LD (`<script type="application/ld+json">`) is a data block the browser
// never executes, so CSP's script-src does not apply to it: it is not inline code.
const inlineCode = [...document.querySelectorAll('script:not([src]):not([type="application/ld+json"]), style, [style]')].map(describe);
for (const el of document.querySelectorAll("*")) for (const a of el.attributes) if (a.name.startsWith("on")) inlineCode.push(`${describe(el)} has ${a.name}`);
const smallTargets = [];
for (const el of document.querySelectorAll("a[href], button, input, select, textarea, summary, label")) {
  if (!visible(el)) continue;
  // A label beside a visible control that is itself a big enough target is
  // an extra way in, not the only one (WCAG 2.5.8's "equivalent" exception);
  // a label standing in for a hidden control (the colour switch) is checked.
  if (el.tagName === "LABEL" && el.control && visible(el.control)) continue;
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
