//! Generates an XLIFF 1.2 file of news-like English sentences (en → tr) from
//! the corpus generator in `korpu_testkit::corpus`, for pretranslation
//! measurements. Sentences from the same seed as a TM built with
//! `gen_corpus` are in it (exact matches); another seed gives new sentences
//! from the same templates (fuzzy matches or none).
//!
//! ```text
//! cargo bench --bench gen_corpus -- 1000000 /tmp/c1m.tmx
//! korpu tm import --tm /tmp/c1m.korpu /tmp/c1m.tmx
//! cargo bench --bench xliff_pretranslate -- 50000 /tmp/50k.xlf
//! time korpu pretranslate --tm /tmp/c1m.korpu /tmp/50k.xlf -o /tmp/50k.out.xlf
//! ```
//!
//! A third argument puts that many sentences in each trans-unit (default 1),
//! for `--segment`: `xliff_pretranslate -- 50000 /tmp/50k-2.xlf 2` writes
//! 25,000 units of two sentences, 50,000 segments once split. Without
//! arguments it prints its usage.

use std::io::{BufWriter, Write};

use korpu_testkit::{corpus, tool};

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

fn main() -> std::io::Result<()> {
    let Some(args) = tool::args("cargo bench --bench xliff_pretranslate -- SENTENCES FILE.xlf [PER_UNIT]")
    else {
        return Ok(());
    };
    let mut args = args.into_iter();
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(50_000);
    let path = args.next().unwrap_or_else(|| "pretranslate.xlf".into());
    let per_unit: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(1).max(1);
    let mut out = BufWriter::new(std::fs::File::create(&path)?);
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(
        out,
        r#"<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">"#
    )?;
    writeln!(
        out,
        r#"  <file original="news.txt" source-language="en" target-language="tr" datatype="plaintext">"#
    )?;
    writeln!(out, "    <body>")?;
    // Half from the TM's own seed (seed 1), half from seed 7.
    let same = corpus::Corpus::new(1).take(n / 2);
    let other = corpus::Corpus::new(7).take(n - n / 2);
    let sentences: Vec<String> = same
        .zip(other)
        .flat_map(|(a, b)| [a, b])
        .map(|(en, _, _)| escape(&en))
        .collect();
    for (i, unit) in sentences.chunks(per_unit).enumerate() {
        writeln!(out, r#"      <trans-unit id="{i}">"#)?;
        writeln!(out, "        <source>{}</source>", unit.join(" "))?;
        writeln!(out, "      </trans-unit>")?;
    }
    writeln!(out, "    </body>\n  </file>\n</xliff>")?;
    out.flush()?;
    eprintln!(
        "wrote {n} sentences in {} trans-units to {path}",
        n.div_ceil(per_unit)
    );
    Ok(())
}
