//! The files of `deploy/` that the Debian package installs: the units pass
//! `systemd-analyze verify`, `docs/deploy.md` shows them as they are, and
//! `/etc/default/broadsheet` lists every option the server reads from its
//! environment.

use std::path::{Path, PathBuf};
use std::process::Command;

use crate::support::e2e_required;

fn deploy_file(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("deploy").join(name);
    std::fs::read_to_string(&path).unwrap_or_else(|error| panic!("{}: {error}", path.display()))
}

fn systemd_analyze() -> Option<PathBuf> {
    let tool = ["/usr/bin/systemd-analyze", "/bin/systemd-analyze"].into_iter().map(PathBuf::from).find(|p| p.exists());
    if tool.is_none() {
        let message = "systemd-analyze is not installed (apt-get install -y systemd)";
        assert!(!e2e_required(), "BROADSHEET_E2E=1 but {message}");
        eprintln!("skipping: {message} (set BROADSHEET_E2E=1 to make this a failure)");
    }
    tool
}

#[test]
fn the_units_pass_systemd_analyze_verify() {
    let Some(tool) = systemd_analyze() else { return };
    let dir = tempfile::tempdir().expect("temp dir");
    // verify checks that ExecStart= exists: point it at the binary under test.
    let service = deploy_file("broadsheet.service").replace("/usr/bin/broadsheet", env!("CARGO_BIN_EXE_broadsheet"));
    std::fs::write(dir.path().join("broadsheet.service"), service).expect("write");
    std::fs::write(dir.path().join("broadsheet.socket"), deploy_file("broadsheet.socket")).expect("write");
    let output = Command::new(tool)
        .arg("verify")
        .arg(dir.path().join("broadsheet.socket"))
        .arg(dir.path().join("broadsheet.service"))
        .output()
        .expect("run systemd-analyze");
    let said = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    assert!(output.status.success() && said.trim().is_empty(), "systemd-analyze verify: {said}");
}

#[test]
fn the_deployment_guide_shows_the_unit_files_as_they_are() {
    let docs = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/deploy.md")).expect("docs");
    for unit in ["broadsheet.socket", "broadsheet.service"] {
        let block = format!("```ini\n{}```\n", deploy_file(unit));
        assert!(docs.contains(&block), "docs/deploy.md does not show deploy/{unit} as it is");
    }
}

#[test]
fn the_default_file_lists_every_environment_variable_the_server_reads() {
    let help = Command::new(env!("CARGO_BIN_EXE_broadsheet")).args(["serve", "--help"]).output().expect("run --help");
    let help = String::from_utf8_lossy(&help.stdout);
    let defaults = deploy_file("default");
    let variables: Vec<&str> = help
        .split("[env: ")
        .skip(1)
        .filter_map(|rest| rest.split(['=', ']']).next())
        .filter(|name| name.starts_with("BROADSHEET_"))
        .collect();
    assert!(variables.len() > 20, "only {variables:?} in serve --help");
    for variable in variables {
        // The unit sets these two on the command line; the file says so.
        let listed = if ["BROADSHEET_LISTEN", "BROADSHEET_CACHE_DIR"].contains(&variable) {
            defaults.contains(variable)
        } else {
            defaults.contains(&format!("\n#{variable}="))
        };
        assert!(listed, "deploy/default does not list {variable}");
    }
}
