//! A generator of big, realistic TMX files for benchmarks and memory checks:
//! en/tr/az units with dates, props, notes, inline codes, escapes, and text
//! in the three languages. Deterministic: the same size and seed give the
//! same bytes. Used by `benches/tmx.rs` and the `tmx_gen` tool.

use std::io::{self, Write};

const EN: &[&str] = &[
    "The castle of Shusha overlooks the valley",
    "Click Save to keep your changes",
    "The report was sent to the committee on Monday",
    "Prices rose by 12 percent in the third quarter",
    "Please restart the application",
    "The bridge across the river was rebuilt in 2021",
];
const TR: &[&str] = &[
    "Şuşa kalesi vadiye bakıyor",
    "Değişiklikleri korumak için Kaydet'e tıklayın",
    "Rapor pazartesi günü komisyona gönderildi",
    "Fiyatlar üçüncü çeyrekte yüzde 12 arttı",
    "Lütfen uygulamayı yeniden başlatın",
    "Nehrin üzerindeki köprü 2021'de yeniden inşa edildi",
];
const AZ: &[&str] = &[
    "Şuşa qalası vadiyə baxır",
    "Dəyişiklikləri saxlamaq üçün Yadda saxla düyməsini basın",
    "Hesabat bazar ertəsi komissiyaya göndərildi",
    "Qiymətlər üçüncü rübdə 12 faiz artdı",
    "Zəhmət olmasa tətbiqi yenidən başladın",
    "Çayın üzərindəki körpü 2021-ci ildə yenidən tikildi",
];

/// A small deterministic pseudo-random generator (xorshift64*).
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Writes a TMX 1.4 document of about `target_bytes` to `out`; returns the
/// bytes and units written.
pub fn write_tmx<W: Write>(out: W, target_bytes: u64, seed: u64) -> io::Result<(u64, u64)> {
    let mut out = io::BufWriter::with_capacity(1 << 16, out);
    let mut rng = Rng(seed | 1);
    let mut written = 0u64;
    let mut units = 0u64;
    let head = concat!(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n",
        "<!DOCTYPE tmx SYSTEM \"tmx14.dtd\">\n",
        "<tmx version=\"1.4\">\n",
        "  <header creationtool=\"tmx_gen\" creationtoolversion=\"1\" segtype=\"sentence\" o-tmf=\"gen\"",
        " adminlang=\"en\" srclang=\"en\" datatype=\"plaintext\" creationdate=\"20240101T000000Z\">\n",
        "    <prop type=\"x-generator\">korpu-testkit tmx_gen</prop>\n",
        "  </header>\n  <body>\n"
    );
    out.write_all(head.as_bytes())?;
    written += head.len() as u64;
    let tail = "  </body>\n</tmx>\n";
    let mut unit = String::with_capacity(4096);
    while written + (tail.len() as u64) < target_bytes {
        unit.clear();
        units += 1;
        let s = rng.below(EN.len());
        let day = 1 + rng.below(28);
        let tagged = rng.below(3) == 0;
        unit.push_str(&format!(
            "    <tu tuid=\"{units}\" creationdate=\"202403{day:02}T10{:02}00Z\" creationid=\"gen\" usagecount=\"{}\">\n",
            rng.below(60),
            rng.below(9)
        ));
        if rng.below(4) == 0 {
            unit.push_str(&format!(
                "      <prop type=\"x-context\">doc-{}.odt#{}</prop>\n",
                rng.below(100),
                units
            ));
        }
        if rng.below(10) == 0 {
            unit.push_str("      <note>Checked by the reviewer &amp; approved.</note>\n");
        }
        for (lang, texts) in [("en-US", EN), ("tr-TR", TR), ("az-Latn-AZ", AZ)] {
            let text = texts[s];
            unit.push_str(&format!(
                "      <tuv xml:lang=\"{lang}\" changedate=\"202404{day:02}T120000Z\"><seg>"
            ));
            if tagged {
                let cut = text.find(' ').unwrap_or(0);
                unit.push_str(&text[..cut]);
                unit.push_str(" <bpt i=\"1\" x=\"1\" type=\"bold\">&lt;b&gt;</bpt>");
                unit.push_str(&text[cut + 1..]);
                unit.push_str("<ept i=\"1\">&lt;/b&gt;</ept> (№ ");
                unit.push_str(&units.to_string());
                unit.push_str(")<ph x=\"2\" type=\"lb\">&lt;br/&gt;</ph>.");
            } else {
                unit.push_str(text);
                unit.push_str(&format!(" — {} &lt;{}&gt;.", units, rng.below(1000)));
            }
            unit.push_str("</seg></tuv>\n");
        }
        unit.push_str("    </tu>\n");
        out.write_all(unit.as_bytes())?;
        written += unit.len() as u64;
    }
    out.write_all(tail.as_bytes())?;
    written += tail.len() as u64;
    out.flush()?;
    Ok((written, units))
}
