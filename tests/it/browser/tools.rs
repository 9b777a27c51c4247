//! Finding the external tools the browser tests need: Chromium and
//! chromedriver (Debian packages), axe-core and the Nu Html Checker (npm
//! packages, installed by `.ci/run` into `$BROADSHEET_E2E_TOOLS`), and Java.
//!
//! A missing tool skips the test with a printed notice, unless
//! `BROADSHEET_E2E=1`, where it is a failure: CI must never pass by skipping.

use std::path::{Path, PathBuf};

/// Where the tests find the npm packages: `$BROADSHEET_E2E_TOOLS`, by default
/// `target/e2e-tools` (the directory `.ci/run` installs into).
pub fn tools_dir() -> PathBuf {
    std::env::var_os("BROADSHEET_E2E_TOOLS")
        .map(PathBuf::from)
        .unwrap_or_else(|| Path::new(env!("CARGO_MANIFEST_DIR")).join("target/e2e-tools"))
}

/// `axe.min.js` from the `axe-core` package.
pub fn axe_script() -> Option<PathBuf> {
    existing(tools_dir().join("node_modules/axe-core/axe.min.js"))
}

/// `vnu.jar` from the `vnu-jar` package.
pub fn vnu_jar() -> Option<PathBuf> {
    existing(tools_dir().join("node_modules/vnu-jar/build/dist/vnu.jar"))
}

/// The Chromium binary itself: Debian's `/usr/bin/chromium` is a shell
/// wrapper that adds flags we do not want, so prefer the real executable.
pub fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("BROADSHEET_CHROMIUM") {
        return existing(PathBuf::from(path));
    }
    existing(PathBuf::from("/usr/lib/chromium/chromium")).or_else(|| on_path("chromium"))
}

/// `chromedriver` on the `PATH`.
pub fn chromedriver() -> Option<PathBuf> {
    on_path("chromedriver")
}

/// `java` on the `PATH`, for the Nu Html Checker.
pub fn java() -> Option<PathBuf> {
    on_path("java")
}

/// Returns the tools if all were found. Otherwise prints which are missing
/// and returns `None` (skip), or panics when `BROADSHEET_E2E=1`.
pub fn require<const N: usize>(test: &str, tools: [(&str, Option<PathBuf>); N]) -> Option<[PathBuf; N]> {
    let missing: Vec<&str> = tools.iter().filter(|(_, path)| path.is_none()).map(|(name, _)| *name).collect();
    if missing.is_empty() {
        return Some(tools.map(|(_, path)| path.unwrap_or_default()));
    }
    let notice = format!(
        "{test}: missing {} (install: apt-get install -y chromium chromium-driver default-jre-headless; \
         npm install --prefix {} axe-core vnu-jar)",
        missing.join(", "),
        tools_dir().display()
    );
    assert!(std::env::var("BROADSHEET_E2E").as_deref() != Ok("1"), "BROADSHEET_E2E=1 but {notice}");
    eprintln!("SKIPPED {notice}");
    None
}

fn existing(path: PathBuf) -> Option<PathBuf> {
    path.is_file().then_some(path)
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|dir| dir.join(name)).find(|candidate| candidate.is_file())
}

/// What a test that validates pages and checks them in Chromium needs: the
/// Nu Html Checker (`java`, `vnu.jar`), `chromium`, `chromedriver` and
/// axe-core, or `None` (see [`require`]).
pub fn checker_and_browser(test: &str) -> Option<[PathBuf; 5]> {
    require(
        test,
        [
            ("java", java()),
            ("vnu.jar", vnu_jar()),
            ("chromium", chromium()),
            ("chromedriver", chromedriver()),
            ("axe-core", axe_script()),
        ],
    )
}
