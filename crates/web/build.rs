//! Embeds the browser library installed by `npm ci --prefix web` (see
//! web/package.json) into the binary. Without it a GP could not attach a
//! photo, so the build stops and says what to run: a binary without it is
//! never built, let alone shipped (issue 15).

use std::{env, fs, path::PathBuf};

fn main() -> Result<(), String> {
    let manifest = PathBuf::from(env::var_os("CARGO_MANIFEST_DIR").unwrap_or_default());
    let out = PathBuf::from(env::var_os("OUT_DIR").unwrap_or_default());
    let source = manifest.join("../../web/node_modules/tus-js-client/dist/tus.min.js");
    println!("cargo:rerun-if-changed={}", source.display());
    let bytes = fs::read(&source).map_err(|_| {
        format!(
            "the photo upload library is missing ({}): run `npm ci --prefix web` first \
             (./scripts/demo and ./scripts/test do it)",
            source.display()
        )
    })?;
    fs::write(out.join("tus.min.js"), bytes).map_err(|e| e.to_string())
}
