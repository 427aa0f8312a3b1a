# Sourced by the project's scripts: one PATH and one set of build variables for
# every cargo command, so nothing is rebuilt when switching between them.
ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
export ROOT
# npm-installed tools (wasm-opt) first, then Debian's rustc-web toolchain when it is
# installed (it can build wasm32 here), then cargo-installed tools (cargo-leptos, wasm-bindgen).
PATH="$ROOT/.tools/node_modules/.bin:$PATH:$HOME/.cargo/bin"
if [ -x /usr/bin/cargo ] && dpkg-query -W -f='${Status}' rustc-web 2>/dev/null | grep -q 'ok installed'; then
  PATH="$ROOT/.tools/node_modules/.bin:/usr/bin:$PATH"
fi
export PATH
export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"
