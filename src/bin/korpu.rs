//! The `korpu` binary; everything lives in `korpu::cli`.
fn main() -> std::process::ExitCode {
    korpu::cli::main()
}
