//! The UI's words: `locales/{locale}.json` (English first, the fallback) become one
//! `leptos_i18n::declare_locales!` call in `$OUT_DIR/i18n.rs`, which `lib.rs` includes as the
//! `i18n` module. leptos_i18n checks every key and interpolation at build time.
//!
//! Why not the crate's own loaders: its `load_locales!` (deprecated) cannot interpolate into plain
//! strings (`t_string!`), which attributes and the server's sentences need, and its build-script
//! crate (`leptos_i18n_build`) compiles ICU's data exporter, with a downloader and a WebAssembly
//! runtime, into every build. `declare_locales!` takes the same translations with
//! `interpolate_display`; this script only writes them out in its syntax.

use serde_json::Value;
use std::fmt::Write as _;
use std::path::Path;

const DEFAULT: &str = "en";

/// Keys become Rust identifiers: these words cannot be keys.
const KEYWORDS: &[&str] = &[
    "as", "async", "await", "box", "break", "const", "continue", "crate", "do", "dyn", "else",
    "enum", "extern", "false", "final", "fn", "for", "gen", "if", "impl", "in", "let", "loop",
    "macro", "match", "mod", "move", "mut", "override", "priv", "pub", "ref", "return", "self",
    "static", "struct", "super", "trait", "true", "try", "type", "typeof", "unsafe", "unsized",
    "use", "virtual", "where", "while", "yield", "abstract", "become",
];

fn main() {
    let dir = Path::new("locales");
    println!("cargo::rerun-if-changed=locales");
    let mut locales: Vec<String> = std::fs::read_dir(dir)
        .expect("app/locales")
        .filter_map(|entry| {
            let path = entry.ok()?.path();
            (path.extension()? == "json").then(|| path.file_stem()?.to_str().map(String::from))?
        })
        .collect();
    locales.sort_by_key(|locale| (locale != DEFAULT, locale.clone()));
    assert_eq!(
        locales.first().map(String::as_str),
        Some(DEFAULT),
        "locales/{DEFAULT}.json"
    );

    let quoted: Vec<String> = locales.iter().map(|l| format!("{l:?}")).collect();
    let mut out = format!(
        "leptos_i18n::declare_locales! {{\n    interpolate_display,\n    default: {DEFAULT:?},\n    locales: [{}],\n",
        quoted.join(", ")
    );
    for locale in &locales {
        let path = dir.join(format!("{locale}.json"));
        println!("cargo::rerun-if-changed={}", path.display());
        let text = std::fs::read_to_string(&path).expect("a locale file");
        let value: Value =
            serde_json::from_str(&text).unwrap_or_else(|err| panic!("{}: {err}", path.display()));
        let _ = write!(out, "    {locale}: ");
        write_block(&mut out, &value, &path.display().to_string());
        out.push_str(",\n");
    }
    out.push_str("}\n");
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("i18n.rs");
    std::fs::write(target, out).expect("write i18n.rs");
}

/// `{ key: "text", nested: { … } }`, as `declare_locales!` reads it.
fn write_block(out: &mut String, value: &Value, at: &str) {
    let Value::Object(map) = value else {
        panic!("{at}: expected an object of keys");
    };
    out.push('{');
    for (key, value) in map {
        assert!(
            !KEYWORDS.contains(&key.as_str()),
            "{at}.{key}: a key cannot be a Rust keyword"
        );
        let _ = write!(out, "{key}: ");
        match value {
            Value::String(text) => {
                let _ = write!(out, "{text:?}");
            }
            Value::Object(_) => write_block(out, value, &format!("{at}.{key}")),
            other => panic!("{at}.{key}: expected text or keys, found {other}"),
        }
        out.push_str(", ");
    }
    out.push('}');
}
