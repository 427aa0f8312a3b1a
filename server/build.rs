// The binary embeds target/site (routes/site.rs). Rebuild when it changes, also when
// it first appears after a server build made without it.
fn main() {
    println!("cargo:rerun-if-changed=../target/site");
}
