//! Embeds the browser libraries installed by `npm ci --prefix web` (see
//! web/package.json) into the binary. Without them the pages still work,
//! and the photo widget says what to install instead of failing silently.

use std::{env, fs, path::PathBuf};

fn main() -> std::io::Result<()> {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    let source = manifest.join("../../web/node_modules/tus-js-client/dist/tus.min.js");
    println!("cargo:rerun-if-changed={}", source.display());
    match fs::read(&source) {
        Ok(bytes) => fs::write(out.join("tus.min.js"), bytes),
        Err(_) => {
            println!(
                "cargo:warning=web/node_modules is missing: run `npm ci --prefix web` for photo uploads"
            );
            fs::write(
                out.join("tus.min.js"),
                b"window.consiliumTusMissing = true;\n",
            )
        }
    }
}
