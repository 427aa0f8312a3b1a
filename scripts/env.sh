# Sourced by the project's scripts: one PATH and one set of build variables for
# every cargo command, so nothing is rebuilt when switching between them.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT
# On Debian (apt-get) scripts/setup installs the rustc-web toolchain, the one that can
# build wasm32 here, so it is chosen now, before it is installed: links in
# .tools/rust-web/bin point at it and are skipped by PATH look-ups until the packages
# arrive. Deciding from what is installed at this instant would leave the first run
# (setup installs it later in the same command) on rustup's toolchain, which has no
# rust-src for the wasm build and would compile the server a second time.
# Then npm-installed tools (wasm-opt); cargo-installed tools (cargo-leptos,
# wasm-bindgen) last.
PATH="$ROOT/.tools/node_modules/.bin:$PATH:$HOME/.cargo/bin"
if command -v apt-get >/dev/null; then
  rust_web="$ROOT/.tools/rust-web/bin"
  if [ ! -L "$rust_web/cargo" ]; then
    mkdir -p "$rust_web"
    for tool in cargo rustc rustdoc cargo-clippy clippy-driver; do
      ln -sfn "/usr/bin/$tool" "$rust_web/$tool"
    done
  fi
  PATH="$rust_web:$PATH"
fi
export PATH
export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
