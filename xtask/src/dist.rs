//! `cargo xtask dist`: the release build of the widget.
//!
//! Cargo (profile `wasm-release`: opt-level z, LTO, one codegen unit) →
//! wasm-bindgen (name and producers sections removed) → wasm-opt -Oz →
//! `dist/` with content-hashed file names, precompressed twins, an SRI hash
//! per file (`dist/manifest.json`) and the demo page.

use crate::catalogues;
use crate::sizes::{self, Sizes};
use crate::toolchain::{self, WASM_TARGET};
use crate::util::{Result, cargo, root, run, step};
use base64::Engine;
use sha2::{Digest, Sha256, Sha384};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

pub struct DistFile {
    /// What the file is: `wasm`, `js`, `css`, `loader`, `page`.
    pub role: &'static str,
    pub name: String,
    pub integrity: String,
    pub sizes: Sizes,
}

pub struct Dist {
    pub dir: PathBuf,
    pub files: Vec<DistFile>,
}

impl Dist {
    pub fn file(&self, role: &str) -> &DistFile {
        self.files
            .iter()
            .find(|f| f.role == role)
            .expect("every role is written by build()")
    }

    /// What a delegate's browser downloads for the widget: wasm, its JS glue,
    /// the loader and the stylesheet.
    pub fn delegate_bundle(&self) -> Sizes {
        // The stylesheet is inside the glue module (`STYLES`).
        ["wasm", "js", "loader"]
            .iter()
            .map(|r| self.file(r).sizes)
            .fold(Sizes::default(), Sizes::add)
    }

    /// The per-language catalogues, fetched only by readers of that language.
    pub fn catalogues(&self) -> impl Iterator<Item = &DistFile> {
        self.files.iter().filter(|f| f.role == "i18n")
    }

    pub fn size_table(&self) -> String {
        let mut rows: Vec<(String, Sizes)> = ["wasm", "js", "loader"]
            .iter()
            .map(|r| {
                let f = self.file(r);
                let note = if *r == "js" { " (glue and styles)" } else { "" };
                (format!("`{}`{note}", f.name), f.sizes)
            })
            .collect();
        rows.push(("**Delegate bundle**".into(), self.delegate_bundle()));
        let css = self.file("css");
        rows.push((
            format!(
                "`{}` (the same styles as a file; the widget does not load it)",
                css.name
            ),
            css.sizes,
        ));
        if let Some(f) = self.files.iter().find(|f| f.role == "wasm-script") {
            rows.push((format!("`{}` (`?load=script` hosts only)", f.name), f.sizes));
        }
        rows.extend(
            self.files
                .iter()
                .filter(|f| f.role.starts_with("organiser-") && f.role != "organiser-page")
                .map(|f| {
                    let note = if f.role == "organiser-i18n" {
                        "organisers only, on demand"
                    } else {
                        "organisers only"
                    };
                    (format!("`{}` ({note})", f.name), f.sizes)
                }),
        );
        rows.extend(
            self.catalogues()
                .map(|f| (format!("`{}` (on demand)", f.name), f.sizes)),
        );
        sizes::table(&rows)
    }
}

pub fn build() -> Result<Dist> {
    toolchain::wasm_target()?;
    let bindgen = toolchain::wasm_bindgen()?;
    let wasm_opt = toolchain::wasm_opt()?;
    let root = root();

    let widget = compile(
        "accredit",
        "the registration widget",
        Goal::Size,
        &bindgen.cli,
        &wasm_opt,
    )?;
    let organiser = compile(
        "accredit-organiser",
        "the organiser view",
        Goal::Speed,
        &bindgen.cli,
        &wasm_opt,
    )?;

    step("Writing dist/ (content-hashed names, SRI, precompressed copies)");
    let dist = root.join("dist");
    reset_dir(&dist)?;
    let mut files = Vec::new();
    let wasm_bytes = widget.wasm;
    let wasm = write_hashed(&dist, "wasm", "accredit", "wasm", &wasm_bytes)?;
    // The same module as a script, for host pages whose CSP lets the widget's
    // origin serve scripts but not answer fetches (connect-src).
    let wasm_module = write_hashed(
        &dist,
        "wasm-script",
        "accredit-wasm",
        "js",
        as_module(&format!(
            "\"{}\"",
            base64::engine::general_purpose::STANDARD.encode(&wasm_bytes)
        ))
        .as_bytes(),
    )?;
    let styles = stylesheet()?;
    // The styles ride in the glue module: no request of their own before the
    // first render, and adopted as a constructed stylesheet (no CSS
    // 'unsafe-inline' needed on the host page).
    let mut glue_src = widget.glue;
    glue_src.extend_from_slice(
        format!(
            "\nexport const STYLES = {};\n",
            serde_json::to_string(&styles).expect("a string serialises")
        )
        .as_bytes(),
    );
    let glue = write_hashed(&dist, "js", "accredit", "js", &glue_src)?;
    let css = write_hashed(&dist, "css", "accredit", "css", styles.as_bytes())?;
    let mut catalogues = Vec::new();
    let mut catalogue_names = serde_json::Map::new();
    for (lang, json) in catalogues::build()? {
        let data = write_hashed(
            &dist,
            "i18n",
            &format!("i18n-{lang}"),
            "json",
            json.as_bytes(),
        )?;
        let script = write_hashed(
            &dist,
            "i18n-script",
            &format!("i18n-{lang}"),
            "js",
            as_module(&json).as_bytes(),
        )?;
        catalogue_names.insert(
            lang.to_string(),
            serde_json::json!({
                "json": [data.name, data.integrity],
                "script": [script.name, script.integrity],
            }),
        );
        catalogues.extend([data, script]);
    }
    let loader_src = fs::read_to_string(root.join("src/js/accredit.js"))
        .map_err(|e| format!("cannot read src/js/accredit.js: {e}"))?;
    let loader_src = fill(&loader_src, "__ACCREDIT_GLUE__", &glue.name)?;
    let loader_src = fill(&loader_src, "__ACCREDIT_WASM__", &wasm.name)?;
    let loader_src = fill(&loader_src, "__ACCREDIT_WASM_SCRIPT__", &wasm_module.name)?;
    // The loader pins each file it loads (its SRI hash), so the host's pin
    // on the loader covers them all.
    let loader_src = fill(&loader_src, "__ACCREDIT_GLUE_INTEGRITY__", &glue.integrity)?;
    let loader_src = fill(&loader_src, "__ACCREDIT_WASM_INTEGRITY__", &wasm.integrity)?;
    let loader_src = fill(
        &loader_src,
        "__ACCREDIT_WASM_SCRIPT_INTEGRITY__",
        &wasm_module.integrity,
    )?;
    let loader_src = fill(
        &loader_src,
        "\"__ACCREDIT_CATALOGUES__\"",
        &serde_json::Value::Object(catalogue_names).to_string(),
    )?;
    let loader = write_named(&dist, "loader", "accredit.js", loader_src.as_bytes())?;
    let page_src = fs::read_to_string(root.join("index.html"))
        .map_err(|e| format!("cannot read index.html: {e}"))?;
    let page_src = fill(
        &page_src,
        "__ACCREDIT_LOADER_INTEGRITY__",
        &loader.integrity,
    )?;
    let page = write_named(&dist, "page", "index.html", page_src.as_bytes())?;
    files.extend([wasm, wasm_module, glue, css, loader, page]);
    files.extend(catalogues);
    files.extend(organiser_files(&dist, organiser)?);
    let dist = Dist { dir: dist, files };
    write_manifest(&dist)?;
    Ok(dist)
}

/// A compiled, bound and optimised module and its JS glue.
pub struct Compiled {
    pub wasm: Vec<u8>,
    pub glue: Vec<u8>,
}

/// What a module is optimised for.
#[derive(Clone, Copy)]
pub enum Goal {
    /// The delegate widget: every kilobyte is a delegate's download.
    Size,
    /// The organiser view: filters thousands of registrations per keystroke
    /// on an organiser's office connection.
    Speed,
}

impl Goal {
    fn profile(self) -> &'static str {
        match self {
            Goal::Size => "wasm-release",
            Goal::Speed => "wasm-speed",
        }
    }

    fn wasm_opt_level(self) -> &'static str {
        match self {
            Goal::Size => "-Oz",
            Goal::Speed => "-O3",
        }
    }
}

/// Cargo (the goal's profile) → wasm-bindgen → wasm-opt, for one package.
pub fn compile(
    package: &str,
    what: &str,
    goal: Goal,
    bindgen: &Path,
    wasm_opt: &Path,
) -> Result<Compiled> {
    let profile = goal.profile();
    step(&format!("Compiling {what} for wasm32 (profile {profile})"));
    run(cargo().args([
        "build",
        "--package",
        package,
        "--lib",
        "--profile",
        profile,
        "--target",
        WASM_TARGET,
    ]))?;
    let compiled = target_dir()
        .join(WASM_TARGET)
        .join(format!("{profile}/{}.wasm", package.replace('-', "_")));

    let staging = target_dir().join(format!("{package}-dist"));
    reset_dir(&staging)?;
    step(&format!("Generating JS bindings of {what} (wasm-bindgen)"));
    run(Command::new(bindgen)
        .arg(&compiled)
        .args(["--target", "web", "--no-typescript"])
        .args(["--remove-name-section", "--remove-producers-section"])
        .args(["--out-name", package, "--out-dir"])
        .arg(&staging))?;

    step(&format!(
        "Optimising {what} (wasm-opt {})",
        goal.wasm_opt_level()
    ));
    let optimised = staging.join(format!("{package}.opt.wasm"));
    run(Command::new(wasm_opt)
        .arg(staging.join(format!("{package}_bg.wasm")))
        .arg(goal.wasm_opt_level())
        // The features rustc enables by default for wasm32-unknown-unknown.
        .args([
            "--enable-bulk-memory",
            "--enable-sign-ext",
            "--enable-mutable-globals",
            "--enable-nontrapping-float-to-int",
            "--enable-reference-types",
            "--enable-multivalue",
        ])
        .args([
            "--strip-debug",
            "--strip-producers",
            "--strip-target-features",
        ])
        .arg("-o")
        .arg(&optimised))?;

    Ok(Compiled {
        wasm: read(&optimised)?,
        glue: read(&staging.join(format!("{package}.js")))?,
    })
}

/// The organiser view's bundle: its own module, glue, stylesheet, loader
/// (`accredit-organiser.js`) and page, so delegates never download it.
fn organiser_files(dist: &Path, compiled: Compiled) -> Result<Vec<DistFile>> {
    let root = root();
    let wasm = write_hashed(
        dist,
        "organiser-wasm",
        "accredit-organiser",
        "wasm",
        &compiled.wasm,
    )?;
    let glue = write_hashed(
        dist,
        "organiser-js",
        "accredit-organiser",
        "js",
        &compiled.glue,
    )?;
    let css_path = root.join("style/organiser/organiser.css");
    let css = write_hashed(
        dist,
        "organiser-css",
        "accredit-organiser",
        "css",
        &read(&css_path)?,
    )?;
    let page_css_path = root.join("style/organiser/page.css");
    let page_css = write_hashed(
        dist,
        "organiser-page-css",
        "accredit-organiser-page",
        "css",
        &read(&page_css_path)?,
    )?;
    let mut catalogues = Vec::new();
    let mut catalogue_names = serde_json::Map::new();
    for (lang, json) in catalogues::build_organiser()? {
        let file = write_hashed(
            dist,
            "organiser-i18n",
            &format!("accredit-organiser-i18n-{lang}"),
            "json",
            json.as_bytes(),
        )?;
        catalogue_names.insert(
            lang.to_string(),
            serde_json::json!([file.name, file.integrity]),
        );
        catalogues.push(file);
    }
    let loader_path = root.join("organiser/js/accredit-organiser.js");
    let loader_src = String::from_utf8(read(&loader_path)?)
        .map_err(|e| format!("{} is not UTF-8: {e}", loader_path.display()))?;
    let loader_src = fill(&loader_src, "__ORGANISER_GLUE__", &glue.name)?;
    let loader_src = fill(&loader_src, "__ORGANISER_WASM__", &wasm.name)?;
    let loader_src = fill(&loader_src, "__ORGANISER_CSS__", &css.name)?;
    let loader_src = fill(&loader_src, "__ORGANISER_PAGE_CSS__", &page_css.name)?;
    // As the widget's: the page pins the loader, the loader pins the rest.
    let loader_src = fill(&loader_src, "__ORGANISER_GLUE_INTEGRITY__", &glue.integrity)?;
    let loader_src = fill(&loader_src, "__ORGANISER_WASM_INTEGRITY__", &wasm.integrity)?;
    let loader_src = fill(&loader_src, "__ORGANISER_CSS_INTEGRITY__", &css.integrity)?;
    let loader_src = fill(
        &loader_src,
        "__ORGANISER_PAGE_CSS_INTEGRITY__",
        &page_css.integrity,
    )?;
    let loader_src = fill(
        &loader_src,
        "\"__ORGANISER_CATALOGUES__\"",
        &serde_json::Value::Object(catalogue_names).to_string(),
    )?;
    let loader = write_named(
        dist,
        "organiser-loader",
        "accredit-organiser.js",
        loader_src.as_bytes(),
    )?;
    let page_path = root.join("organiser.html");
    let page_src = String::from_utf8(read(&page_path)?)
        .map_err(|e| format!("{} is not UTF-8: {e}", page_path.display()))?;
    let page_src = fill(
        &page_src,
        "__ORGANISER_LOADER_INTEGRITY__",
        &loader.integrity,
    )?;
    let page = write_named(
        dist,
        "organiser-page",
        "organiser.html",
        page_src.as_bytes(),
    )?;
    let mut files = vec![wasm, glue, css, page_css, loader, page];
    files.extend(catalogues);
    Ok(files)
}

pub fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| root().join("target"))
}

fn reset_dir(dir: &Path) -> Result {
    if dir.exists() {
        fs::remove_dir_all(dir).map_err(|e| format!("cannot empty {}: {e}", dir.display()))?;
    }
    fs::create_dir_all(dir).map_err(|e| format!("cannot create {}: {e}", dir.display()))
}

fn read(path: &Path) -> Result<Vec<u8>> {
    fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))
}

/// Every stylesheet under style/, in name order, as one file.
fn stylesheet() -> Result<String> {
    let dir = root().join("style");
    let mut paths: Vec<PathBuf> = fs::read_dir(&dir)
        .map_err(|e| format!("cannot read {}: {e}", dir.display()))?
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "css"))
        .collect();
    paths.sort();
    let mut css = String::new();
    for p in paths {
        css += &fs::read_to_string(&p).map_err(|e| format!("cannot read {}: {e}", p.display()))?;
        css.push('\n');
    }
    Ok(css)
}

fn fill(text: &str, placeholder: &str, value: &str) -> Result<String> {
    if !text.contains(placeholder) {
        return Err(format!("placeholder {placeholder} not found"));
    }
    Ok(text.replace(placeholder, value))
}

/// An ES module whose default export is `expression` (a JSON value).
fn as_module(expression: &str) -> String {
    format!("export default {expression};\n")
}

fn write_hashed(
    dir: &Path,
    role: &'static str,
    stem: &str,
    ext: &str,
    bytes: &[u8],
) -> Result<DistFile> {
    let hash = Sha256::digest(bytes);
    let short: String = hash.iter().take(5).map(|b| format!("{b:02x}")).collect();
    write_named(dir, role, &format!("{stem}-{short}.{ext}"), bytes)
}

fn write_named(dir: &Path, role: &'static str, name: &str, bytes: &[u8]) -> Result<DistFile> {
    let path = dir.join(name);
    let write = |p: &Path, b: &[u8]| {
        fs::write(p, b).map_err(|e| format!("cannot write {}: {e}", p.display()))
    };
    write(&path, bytes)?;
    let (gz, br) = (sizes::gzip(bytes), sizes::brotli(bytes));
    write(&path.with_file_name(format!("{name}.gz")), &gz)?;
    write(&path.with_file_name(format!("{name}.br")), &br)?;
    let integrity = format!(
        "sha384-{}",
        base64::engine::general_purpose::STANDARD.encode(Sha384::digest(bytes))
    );
    Ok(DistFile {
        role,
        name: name.to_string(),
        integrity,
        sizes: Sizes {
            raw: bytes.len(),
            gzip: gz.len(),
            brotli: br.len(),
        },
    })
}

fn write_manifest(dist: &Dist) -> Result {
    let files: serde_json::Map<String, serde_json::Value> = dist
        .files
        .iter()
        .map(|f| {
            let entry = serde_json::json!({
                "role": f.role,
                "integrity": f.integrity,
                "bytes": f.sizes.raw,
                "gzip": f.sizes.gzip,
                "brotli": f.sizes.brotli,
            });
            (f.name.clone(), entry)
        })
        .collect();
    let json = serde_json::to_string_pretty(&serde_json::json!({ "files": files }))
        .expect("a JSON value serialises");
    fs::write(dist.dir.join("manifest.json"), json + "\n")
        .map_err(|e| format!("cannot write manifest.json: {e}"))
}
