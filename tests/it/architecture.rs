//! The layers of `src/`, enforced: dependencies point one way, and a test
//! that reads every `use` and path of `src/` fails, naming file and line,
//! when one points the wrong way. (A workspace of crates would make this a
//! compile error; in one package, this test does the same job.)
//!
//! From the bottom up (see `docs/ARCHITECTURE.md`):
//! - `article`: one file's text to an `Article`; pure, no I/O, no HTTP.
//! - `library`: a directory as an immutable snapshot, search, and live
//!   reload (`library::reload`); never HTTP, axum, tower, hyper or askama.
//! - `web`: the only layer that knows HTTP. Inside it, the middleware
//!   (`web::middleware`) wraps every route and must not reach into a page.
//! - `check`: the `broadsheet check` report, on top of `library`, beside
//!   `web` (it never serves).
//! - `cli` and `app`: the top, wiring everything for `main.rs`.

use std::path::{Path, PathBuf};

/// What the files of a module (and its submodules) may not use: paths of
/// this crate, whether the crates that speak HTTP are off limits, and why.
struct Rule {
    module: &'static str,
    forbidden: &'static [&'static str],
    no_http: bool,
    why: &'static str,
}

const RULES: &[Rule] = &[
    Rule {
        module: "article",
        forbidden: &["crate::library", "crate::web", "crate::check", "crate::cli", "crate::app"],
        no_http: true,
        why: "`article` is the bottom layer: pure parsing, no library, no HTTP",
    },
    Rule {
        module: "media",
        forbidden: &["crate::article", "crate::library", "crate::web", "crate::check", "crate::cli", "crate::app"],
        no_http: true,
        why: "`media` is image files' bytes to sizes and resized copies: no articles, no library, no HTTP",
    },
    Rule {
        module: "library",
        forbidden: &["crate::web", "crate::check", "crate::cli", "crate::app"],
        no_http: true,
        why: "`library` sits under `web`: it may use `article`, never HTTP",
    },
    Rule {
        module: "check",
        forbidden: &["crate::web"],
        no_http: true,
        why: "`check` reports on a library and never serves",
    },
    Rule {
        module: "web::middleware",
        forbidden: &["crate::web::pages"],
        no_http: false,
        why: "the middleware wraps every route and must not reach into a page",
    },
];

/// The crates that speak HTTP or render HTML.
const HTTP: &[&str] = &["axum", "tower", "tower_http", "hyper", "hyper_util", "askama"];

impl Rule {
    /// Whether this rule forbids `path` (resolved from the crate root).
    fn forbids(&self, path: &str) -> bool {
        let http = if self.no_http { HTTP } else { &[] };
        self.forbidden.iter().chain(http).any(|root| is_within_path(path, root))
    }
}

/// One path a line of `src/` uses, resolved from `crate::`, `super::` and
/// `self::` to a path from the crate root (`crate::web::pages::article`).
#[derive(Debug, PartialEq)]
struct Use {
    line: usize,
    path: String,
}

#[test]
fn dependencies_point_one_way() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut violations = Vec::new();
    for file in rust_files(&src) {
        let module = module_path(&src, &file);
        let text = std::fs::read_to_string(&file).expect("read a source file");
        for broken in violations_in(&module, &text) {
            violations
                .push(format!("{}:{broken}", file.strip_prefix(env!("CARGO_MANIFEST_DIR")).unwrap_or(&file).display()));
        }
    }
    assert!(violations.is_empty(), "imports against the layers:\n{}", violations.join("\n"));
}

#[test]
fn a_bad_import_is_named_with_its_line() {
    let text = "//! A module.\nuse std::sync::Arc;\n\nuse axum::Router;\nfn f() -> super::super::super::web::AppState { todo!() }\n";
    let found = violations_in("library::reload::apply", text);
    assert_eq!(found.len(), 2, "{found:#?}");
    assert!(found[0].starts_with("4: `library::reload::apply` uses `axum::Router`"), "{}", found[0]);
    assert!(found[1].starts_with("5: `library::reload::apply` uses `crate::web::AppState`"), "{}", found[1]);
    assert!(violations_in("web::middleware::proxy", "use crate::web::{error::AppError, pages::index};").len() == 1);
    assert!(violations_in("web::pages::index", "use crate::web::pages::browse;").is_empty());
}

/// `line: what is wrong` for each use in `text` (the file of `module`) that
/// a rule forbids.
fn violations_in(module: &str, text: &str) -> Vec<String> {
    let rules: Vec<&Rule> = RULES.iter().filter(|rule| is_within(module, rule.module)).collect();
    uses(module, text)
        .into_iter()
        .filter_map(|used| {
            let rule = rules.iter().find(|rule| rule.forbids(&used.path))?;
            Some(format!("{}: `{module}` uses `{}`: {}", used.line, used.path, rule.why))
        })
        .collect()
}

/// Whether module `module` is `prefix` or inside it.
fn is_within(module: &str, prefix: &str) -> bool {
    module == prefix || module.starts_with(&format!("{prefix}::"))
}

/// Whether `path` is `root` or below it (`axum::Router` is below `axum`).
fn is_within_path(path: &str, root: &str) -> bool {
    path == root || path.starts_with(&format!("{root}::"))
}

/// Every `.rs` file below `dir`, sorted.
fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    for entry in std::fs::read_dir(dir).expect("read src") {
        let path = entry.expect("directory entry").path();
        if path.is_dir() {
            files.extend(rust_files(&path));
        } else if path.extension().is_some_and(|extension| extension == "rs") {
            files.push(path);
        }
    }
    files.sort();
    files
}

/// The module a file defines: `src/web/pages/mod.rs` → `web::pages`,
/// `src/lib.rs` → `` (the crate root).
fn module_path(src: &Path, file: &Path) -> String {
    let relative = file.strip_prefix(src).expect("a file under src").with_extension("");
    let mut parts: Vec<String> = relative.iter().map(|part| part.to_string_lossy().into_owned()).collect();
    if matches!(parts.last().map(String::as_str), Some("mod" | "lib" | "main")) {
        parts.pop();
    }
    parts.join("::")
}

/// The paths `text` uses, outside comments: every `use` declaration
/// (groups expanded) and every path written in code.
fn uses(module: &str, text: &str) -> Vec<Use> {
    let mut found = Vec::new();
    let mut declaration: Option<(usize, String)> = None;
    for (index, line) in text.lines().enumerate() {
        let code = line.trim();
        if code.starts_with("//") {
            continue;
        }
        let starts_use =
            ["use ", "pub use ", "pub(crate) use ", "pub(super) use "].iter().any(|start| code.starts_with(start));
        if starts_use && declaration.is_none() {
            declaration = Some((index + 1, String::new()));
        }
        match &mut declaration {
            Some((start, tree)) => {
                tree.push_str(code);
                if code.ends_with(';') {
                    let tree = tree.split_once("use ").map_or("", |(_, tree)| tree).trim_end_matches(';');
                    found.extend(
                        expand(tree).into_iter().map(|path| Use { line: *start, path: resolve(module, &path) }),
                    );
                    declaration = None;
                }
            }
            None => found
                .extend(paths_in(code).into_iter().map(|path| Use { line: index + 1, path: resolve(module, &path) })),
        }
    }
    found
}

/// The paths a use tree names: `a::{b, c::{d, e}}` → `a::b`, `a::c::d`,
/// `a::c::e`.
fn expand(tree: &str) -> Vec<String> {
    let tree: String = tree.chars().filter(|c| !c.is_whitespace()).collect();
    let Some(open) = tree.find('{') else { return vec![tree.split(" as ").next().unwrap_or(&tree).to_owned()] };
    let prefix = &tree[..open];
    let inner = &tree[open + 1..tree.rfind('}').unwrap_or(tree.len())];
    let (mut parts, mut depth, mut start) = (Vec::new(), 0, 0);
    for (at, c) in inner.char_indices() {
        match c {
            '{' => depth += 1,
            '}' => depth -= 1,
            ',' if depth == 0 => {
                parts.push(&inner[start..at]);
                start = at + 1;
            }
            _ => {}
        }
    }
    parts.push(&inner[start..]);
    parts
        .into_iter()
        .filter(|part| !part.is_empty())
        .flat_map(|part| {
            expand(part).into_iter().map(|path| {
                if path == "self" { prefix.trim_end_matches("::").to_owned() } else { format!("{prefix}{path}") }
            })
        })
        .collect()
}

/// Every path with at least one `::` in a line of code (`axum::http::X`).
fn paths_in(code: &str) -> Vec<String> {
    let is_part = |c: char| c.is_alphanumeric() || c == '_' || c == ':';
    code.split(|c: char| !is_part(c))
        .filter(|word| word.contains("::") && word.starts_with(|c: char| c.is_alphabetic() || c == '_'))
        .map(|word| word.trim_end_matches(':').to_owned())
        .collect()
}

/// `path` as seen from the crate root, when it starts with `crate`, `self`
/// or `super` (from the file of `module`); other paths unchanged.
fn resolve(module: &str, path: &str) -> String {
    let mut base: Vec<&str> = module.split("::").filter(|part| !part.is_empty()).collect();
    let mut rest = path.split("::").peekable();
    match rest.peek() {
        Some(&"crate") => return path.to_owned(),
        Some(&"self") => {
            rest.next();
        }
        Some(&"super") => {
            while rest.peek() == Some(&"super") {
                rest.next();
                base.pop();
            }
        }
        _ => return path.to_owned(),
    }
    std::iter::once("crate").chain(base).chain(rest).collect::<Vec<_>>().join("::")
}
