//! Writes a generated TMX file of news-like EN/TR/AZ units (see
//! `korpu_testkit::corpus`), for import benchmarks.
//!
//! ```text
//! cargo bench --bench gen_corpus -- 1000000 /tmp/corpus-1m.tmx [SEED] [templated]
//! ```
//! `templated` writes the stress-case corpus (10 sentence templates).
//! Without arguments it prints its usage.

use std::io::BufWriter;

use korpu_testkit::{corpus, tool};

fn main() -> std::io::Result<()> {
    let Some(args) = tool::args("cargo bench --bench gen_corpus -- UNITS FILE.tmx [SEED] [templated]") else {
        return Ok(());
    };
    let mut args = args.into_iter();
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let path = args.next().unwrap_or_else(|| "corpus.tmx".into());
    let seed: u64 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1);
    let templated = args.next().is_some_and(|a| a == "templated");
    let mut out = BufWriter::new(std::fs::File::create(&path)?);
    let units = if templated {
        corpus::Corpus::templated(seed)
    } else {
        corpus::Corpus::new(seed)
    };
    corpus::write_tmx_from(&mut out, units.take(n))?;
    eprintln!("wrote {n} units to {path}");
    Ok(())
}
