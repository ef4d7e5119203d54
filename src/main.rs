//! The `mim-setup` binary: parses the command line and hands over to the library.
fn main() {
    std::process::exit(mim_setup::cli::main().code());
}
