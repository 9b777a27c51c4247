//! Headless Chromium driven through chromedriver with fantoccini, plus the
//! Chrome DevTools Protocol (through chromedriver's `goog/cdp/execute`) for
//! what WebDriver cannot do: exact viewport sizes, `prefers-color-scheme`,
//! full-page screenshots and a watcher script installed before any page
//! script runs.

use std::path::Path;
use std::process::Stdio;

use axum::http::Method;
use fantoccini::actions::{InputSource, KeyAction, KeyActions};
use fantoccini::wd::{Capabilities, WebDriverCompatibleCommand};
use fantoccini::{Client, ClientBuilder};
use reqwest::Url;
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, Command};

/// Collects, from the first moment of every page, console errors, uncaught
/// errors, failed resource loads and Content-Security-Policy violations into
/// `window.__e2e`, where [`Browser::page_problems`] reads them.
const WATCHER: &str = r#"
window.__e2e = { errors: [], csp: [] };
addEventListener("securitypolicyviolation", (e) => __e2e.csp.push(`${e.violatedDirective} blocked ${e.blockedURI || "inline code"} (${e.sourceFile}:${e.lineNumber})`));
addEventListener("error", (e) => __e2e.errors.push(e.message || `failed to load ${e.target.src || e.target.href}`), true);
addEventListener("unhandledrejection", (e) => __e2e.errors.push(`unhandled rejection: ${e.reason}`));
const consoleError = console.error;
console.error = (...args) => { __e2e.errors.push(args.join(" ")); consoleError.apply(console, args); };
"#;

/// A chromedriver process, its Chromium and a WebDriver session. Dropping it
/// kills chromedriver, and Chromium with it (its debugging pipe closes).
pub struct Browser {
    pub client: Client,
    _chromedriver: Child,
    _profile: tempfile::TempDir,
    /// One browser at a time: the browser tests share the test binary with
    /// every other test, and several Chromiums at once on a two-core
    /// machine made pages measurable before their stylesheet applied.
    _turn: tokio::sync::MutexGuard<'static, ()>,
}

/// Whose turn it is to run a browser.
static TURN: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

impl Browser {
    /// Starts chromedriver on a free port and a headless Chromium with a
    /// fresh profile and everything that could reach the network turned off.
    pub async fn start(chromium: &Path, chromedriver: &Path) -> Self {
        let turn = TURN.lock().await;
        let (chromedriver, port) = start_chromedriver(chromedriver).await;
        let profile = tempfile::tempdir().expect("profile dir");
        let args = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--hide-scrollbars",
            &format!("--user-data-dir={}", profile.path().display()),
        ];
        let capabilities = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args },
            "goog:loggingPrefs": { "browser": "ALL" },
        });
        let Value::Object(capabilities) = capabilities else { unreachable!("a JSON object") };
        let client = ClientBuilder::new(hyper_util::client::legacy::connect::HttpConnector::new())
            .capabilities(capabilities as Capabilities)
            .connect(&format!("http://127.0.0.1:{port}/"))
            .await
            .expect("start a chromedriver session");
        let browser = Self { client, _chromedriver: chromedriver, _profile: profile, _turn: turn };
        browser.cdp("Page.addScriptToEvaluateOnNewDocument", json!({ "source": WATCHER })).await;
        browser
    }

    /// Sends one DevTools Protocol command to the current tab.
    pub async fn cdp(&self, command: &str, params: Value) -> Value {
        let body = json!({ "cmd": command, "params": params });
        self.session_command(Method::POST, "goog/cdp/execute", Some(body))
            .await
            .unwrap_or_else(|error| panic!("CDP {command}: {error}"))
    }

    /// Makes the viewport exactly `width`×`height` CSS pixels; `mobile`
    /// also makes Chromium honour the viewport meta tag as a phone does.
    pub async fn set_viewport(&self, width: u32, height: u32, mobile: bool) {
        let params = json!({ "width": width, "height": height, "deviceScaleFactor": 1, "mobile": mobile });
        self.cdp("Emulation.setDeviceMetricsOverride", params).await;
    }

    /// Emulates the reader's colour-scheme preference.
    pub async fn set_color_scheme(&self, scheme: &str) {
        let params = json!({ "features": [{ "name": "prefers-color-scheme", "value": scheme }] });
        self.cdp("Emulation.setEmulatedMedia", params).await;
    }

    /// Runs `script` (a function body) in the page and returns its result.
    pub async fn eval(&self, script: &str) -> Value {
        self.client.execute(script, vec![]).await.unwrap_or_else(|error| panic!("script failed: {error}\n{script}"))
    }

    /// Saves a PNG of what the reader sees first: the viewport.
    pub async fn screenshot_viewport(&self, path: &Path) {
        let png = self.client.screenshot().await.expect("screenshot");
        write_file(path, &png);
    }

    /// Saves a PNG of the whole page, not just the viewport.
    pub async fn screenshot_full_page(&self, path: &Path) {
        let metrics = self.cdp("Page.getLayoutMetrics", json!({})).await;
        let size = &metrics["cssContentSize"];
        let clip = json!({ "x": 0, "y": 0, "width": size["width"], "height": size["height"], "scale": 1 });
        let params = json!({ "format": "png", "captureBeyondViewport": true, "clip": clip });
        let shot = self.cdp("Page.captureScreenshot", params).await;
        let png = base64_decode(shot["data"].as_str().expect("screenshot data"));
        write_file(path, &png);
    }

    /// Presses and releases one key (a character or a `fantoccini::key::Key`).
    pub async fn press(&self, key: char) {
        // Under load a navigation may still be finishing: press keys on a
        // page whose scripts have run.
        for _ in 0..50 {
            let complete = self.eval("return document.readyState === 'complete';").await;
            if complete == Value::Bool(true) {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let keys = KeyActions::new("keyboard".to_owned())
            .then(KeyAction::Down { value: key })
            .then(KeyAction::Up { value: key });
        self.client.perform_actions(keys).await.expect("press a key");
    }

    /// Console errors, failed loads and CSP violations on the current page,
    /// from both the watcher script and the browser's own log (which also
    /// sees what no page script can, like a blocked stylesheet).
    pub async fn page_problems(&self) -> Vec<String> {
        let watched = self.eval("return window.__e2e || { errors: ['watcher script missing'], csp: [] };").await;
        let mut problems: Vec<String> = ["errors", "csp"]
            .iter()
            .flat_map(|kind| watched[kind].as_array().cloned().unwrap_or_default())
            .map(|message| message.as_str().unwrap_or_default().to_owned())
            .collect();
        let log = self.session_command(Method::POST, "se/log", Some(json!({ "type": "browser" }))).await;
        for entry in log.ok().and_then(|log| log.as_array().cloned()).unwrap_or_default() {
            if matches!(entry["level"].as_str(), Some("SEVERE" | "WARNING")) {
                problems.push(format!("browser log: {}", entry["message"].as_str().unwrap_or_default()));
            }
        }
        problems
    }

    /// Ends the session, which quits Chromium.
    /// Waits up to 5 s for the page's stylesheet to apply (its body has
    /// a background): a page measured before that reads as unstyled. A page
    /// whose stylesheet never applies is left for the checks to report.
    pub async fn wait_for_styles(&self) {
        for _ in 0..50 {
            let styled =
                self.eval("return getComputedStyle(document.body).backgroundColor !== 'rgba(0, 0, 0, 0)';").await;
            if styled == Value::Bool(true) {
                return;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
    }

    pub async fn close(self) {
        self.client.clone().close().await.expect("close the browser");
    }

    async fn session_command(&self, method: Method, path: &str, body: Option<Value>) -> Result<Value, String> {
        let command = SessionCommand { method, path: path.to_owned(), body };
        self.client.issue_cmd(command).await.map_err(|error| error.to_string())
    }
}

/// `url::ParseError`, named through the `Url` type reqwest re-exports.
type UrlError = <Url as std::str::FromStr>::Err;

/// A WebDriver command fantoccini does not wrap: `{method} /session/{id}/{path}`.
#[derive(Debug)]
struct SessionCommand {
    method: Method,
    path: String,
    body: Option<Value>,
}

impl WebDriverCompatibleCommand for SessionCommand {
    fn endpoint(&self, base_url: &Url, session_id: Option<&str>) -> Result<Url, UrlError> {
        base_url.join(&format!("session/{}/{}", session_id.unwrap_or_default(), self.path))
    }

    fn method_and_body(&self, _request_url: &Url) -> (Method, Option<String>) {
        (self.method.clone(), self.body.as_ref().map(Value::to_string))
    }
}

/// Starts chromedriver on a port it picks itself, read back from its output.
async fn start_chromedriver(path: &Path) -> (Child, u16) {
    let mut child = Command::new(path)
        .arg("--port=0")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .kill_on_drop(true)
        .spawn()
        .expect("start chromedriver");
    let mut lines = BufReader::new(child.stdout.take().expect("chromedriver stdout")).lines();
    while let Some(line) = lines.next_line().await.expect("read chromedriver output") {
        if let Some(port) = line.split("started successfully on port ").nth(1) {
            let port = port.trim_end_matches('.').trim().parse().expect("chromedriver port");
            // Keep draining its output so chromedriver never blocks on a full pipe.
            tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
            return (child, port);
        }
    }
    panic!("chromedriver exited without saying which port it listens on");
}

fn write_file(path: &Path, bytes: &[u8]) {
    std::fs::create_dir_all(path.parent().expect("screenshot dir")).expect("create screenshot dir");
    std::fs::write(path, bytes).expect("write screenshot");
}

fn base64_decode(text: &str) -> Vec<u8> {
    use base64::Engine;
    base64::engine::general_purpose::STANDARD.decode(text).expect("base64 screenshot")
}
