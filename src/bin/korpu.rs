//! The `korpu` binary; everything lives in `korpu::cli`.

// Imports and lookups allocate many small objects (units, tokens, keys):
// mimalloc serves them markedly faster than glibc's malloc.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() -> std::process::ExitCode {
    korpu::cli::main()
}
