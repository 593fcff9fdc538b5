//! A deterministic generator of realistic translation units for benches and
//! tests: news-like EN/TR/AZ sentences built from templates over a shared
//! vocabulary (people, places, organisations, nouns with a Zipf-like
//! frequency), numbers and dates; about 30% of units are near-duplicates of
//! an earlier one (one number or one word changed).
//!
//! Shared by benches, examples and tests with `#[path]`.
#![allow(dead_code)]

use std::io::Write;

/// splitmix64: small, fast and deterministic.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed ^ 0x9E37_79B9_7F4A_7C15)
    }

    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    pub fn below(&mut self, n: usize) -> usize {
        (self.next_u64() % n.max(1) as u64) as usize
    }

    /// A log-uniform index in `0..n`: index k has probability ~ 1/(k+1), as
    /// word frequencies do.
    pub fn zipf(&mut self, n: usize) -> usize {
        let u = (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64;
        (((n as f64 + 1.0).powf(u)) as usize).saturating_sub(1).min(n - 1)
    }
}

const SYL: &[&str] = &[
    "ka", "ra", "ba", "şu", "ğa", "lı", "mə", "də", "ay", "dın", "gül", "na", "zə", "ro", "te", "vi", "xan",
    "qa", "çə", "öz", "ün", "er", "ko", "sa", "li", "mi", "ye", "ta", "han", "bek", "san", "tur", "can",
    "ər",
];
const EN_SYL: &[&str] = &[
    "con", "tra", "mer", "vel", "sto", "pen", "dal", "rik", "mon", "ter", "ble", "fra", "gan", "hol", "ish",
    "lor", "nex", "pri", "qua", "sen", "tor", "ul", "vin", "wes",
];

/// One entry of the lexicon: the same thing in en, tr and az.
#[derive(Clone)]
pub struct Entry {
    pub en: String,
    pub tr: String,
    pub az: String,
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        // Turkic capitals for the letters that differ.
        Some('i') => format!("İ{}", c.as_str()),
        Some('ı') => format!("I{}", c.as_str()),
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

/// The shared vocabulary.
pub struct Lexicon {
    pub people: Vec<Entry>,
    pub places: Vec<Entry>,
    pub orgs: Vec<Entry>,
    pub nouns: Vec<Entry>,
}

impl Lexicon {
    pub fn new(seed: u64) -> Lexicon {
        let mut r = Rng::new(seed);
        let word = |syl: &[&str], n: usize, r: &mut Rng| -> String {
            (0..n).map(|_| syl[r.below(syl.len())]).collect::<String>()
        };
        let mut people = Vec::new();
        for _ in 0..20_000 {
            let first = capital(&word(SYL, 2, &mut r));
            let last = capital(&word(SYL, 3, &mut r));
            let name = format!("{first} {last}ov");
            people.push(Entry {
                en: name.clone(),
                tr: name.clone(),
                az: name,
            });
        }
        let mut places = Vec::new();
        for _ in 0..5_000 {
            let base = capital(&word(SYL, 2 + r.below(2), &mut r));
            places.push(Entry {
                en: base
                    .replace('ş', "sh")
                    .replace('ə', "a")
                    .replace('ğ', "gh")
                    .replace('ç', "ch"),
                tr: base.replace('ə', "e").replace('x', "h").replace('q', "k"),
                az: base,
            });
        }
        let mut orgs = Vec::new();
        for _ in 0..2_000 {
            let base = capital(&word(EN_SYL, 2, &mut r));
            orgs.push(Entry {
                en: format!("{base} Holding"),
                tr: format!("{base} Holding"),
                az: format!("{base} Holdinq"),
            });
        }
        let mut nouns = Vec::new();
        for _ in 0..30_000 {
            let en = word(EN_SYL, 2 + r.below(2), &mut r);
            let tr = word(SYL, 2 + r.below(2), &mut r).replace('ə', "e");
            let az = word(SYL, 2 + r.below(2), &mut r);
            nouns.push(Entry { en, tr, az });
        }
        Lexicon {
            people,
            places,
            orgs,
            nouns,
        }
    }
}

const MONTHS: &[(&str, &str, &str)] = &[
    ("January", "Ocak", "yanvar"),
    ("March", "Mart", "mart"),
    ("May", "Mayıs", "may"),
    ("June", "Haziran", "iyun"),
    ("September", "Eylül", "sentyabr"),
    ("November", "Kasım", "noyabr"),
];

/// Slots of one sentence, so that a near-duplicate can change one.
#[derive(Clone)]
struct Slots {
    template: usize,
    p: [usize; 2],
    c: usize,
    o: usize,
    n: [usize; 3],
    num: [u32; 2],
    day: u32,
    month: usize,
    opener: usize,
}

const OPENERS: &[(&str, &str, &str)] = &[
    ("", "", ""),
    ("", "", ""),
    ("", "", ""),
    ("On Monday,", "Pazartesi günü", "Bazar ertəsi"),
    ("On Friday,", "Cuma günü", "Cümə günü"),
    ("Meanwhile,", "Bu arada", "Bu arada"),
    (
        "According to officials,",
        "Yetkililere göre",
        "Rəsmilərin sözlərinə görə",
    ),
    ("Earlier this week,", "Bu hafta başında", "Bu həftənin əvvəlində"),
    ("In a statement,", "Yapılan açıklamada", "Açıqlamada"),
    ("As reported,", "Bildirildiğine göre", "Bildirildiyi kimi"),
];

fn lower_first(s: &str) -> String {
    // Only sentences that start with "The" are lowercased after an opener.
    match s.strip_prefix("The ") {
        Some(rest) => format!("the {rest}"),
        None => s.to_string(),
    }
}

/// The generator: an iterator of (en, tr, az) sentence triples.
pub struct Corpus {
    lex: Lexicon,
    rng: Rng,
    recent: Vec<Slots>,
}

impl Corpus {
    pub fn new(seed: u64) -> Corpus {
        Corpus {
            lex: Lexicon::new(seed),
            rng: Rng::new(seed.wrapping_add(1)),
            recent: Vec::new(),
        }
    }

    fn fresh(&mut self) -> Slots {
        let r = &mut self.rng;
        Slots {
            template: r.below(TEMPLATES),
            p: [r.zipf(self.lex.people.len()), r.zipf(self.lex.people.len())],
            c: r.zipf(self.lex.places.len()),
            o: r.zipf(self.lex.orgs.len()),
            n: [
                r.zipf(self.lex.nouns.len()),
                r.zipf(self.lex.nouns.len()),
                r.zipf(self.lex.nouns.len()),
            ],
            num: [1 + r.below(2_000) as u32, 1 + r.below(100) as u32],
            day: 1 + r.below(28) as u32,
            month: r.below(MONTHS.len()),
            opener: r.below(OPENERS.len()),
        }
    }

    fn render(&self, s: &Slots) -> (String, String, String) {
        let l = &self.lex;
        let (p1, p2, c, o) = (&l.people[s.p[0]], &l.people[s.p[1]], &l.places[s.c], &l.orgs[s.o]);
        let (n1, n2, n3) = (&l.nouns[s.n[0]], &l.nouns[s.n[1]], &l.nouns[s.n[2]]);
        let (x, y, d) = (s.num[0], s.num[1], s.day);
        let (me, mt, ma) = MONTHS[s.month];
        match s.template {
            0 => (
                format!(
                    "{} met {} in {} on {d} {me} to discuss the {} {}.",
                    p1.en, p2.en, c.en, n1.en, n2.en
                ),
                format!(
                    "{}, {d} {mt} tarihinde {}'da {} ile {} {} konusunu görüştü.",
                    p1.tr, c.tr, p2.tr, n1.tr, n2.tr
                ),
                format!(
                    "{} {d} {ma} tarixində {}da {} ilə {} {} məsələsini müzakirə etdi.",
                    p1.az, c.az, p2.az, n1.az, n2.az
                ),
            ),
            1 => (
                format!(
                    "{} announced that {x} new {} will be built in {} by {y} {me}.",
                    o.en, n1.en, c.en
                ),
                format!(
                    "{}, {}'da {y} {mt} tarihine kadar {x} yeni {} inşa edileceğini açıkladı.",
                    o.tr, c.tr, n1.tr
                ),
                format!(
                    "{} {}da {y} {ma} tarixinədək {x} yeni {} tikiləcəyini açıqladı.",
                    o.az, c.az, n1.az
                ),
            ),
            2 => (
                format!(
                    "According to {}, the {} of {} grew by {y} percent last year.",
                    p1.en, n1.en, c.en
                ),
                format!("{}'a göre {} {} geçen yıl yüzde {y} arttı.", p1.tr, c.tr, n1.tr),
                format!("{} görə {} {} keçən il {y} faiz artıb.", p1.az, c.az, n1.az),
            ),
            3 => (
                format!(
                    "The {} {} in {} will open on {d} {me}, said {}.",
                    n1.en, n2.en, c.en, p1.en
                ),
                format!(
                    "{} {}'daki {} {d} {mt}'ta açılacak, dedi {}.",
                    n2.tr, c.tr, n1.tr, p1.tr
                ),
                format!(
                    "{} {}dakı {} {d} {ma}da açılacaq, deyə {} bildirdi.",
                    n2.az, c.az, n1.az, p1.az
                ),
            ),
            4 => (
                format!("{x} people took part in the {} held in {}.", n1.en, c.en),
                format!("{}'da düzenlenen {} etkinliğine {x} kişi katıldı.", c.tr, n1.tr),
                format!(
                    "{}da keçirilən {} tədbirində {x} nəfər iştirak etdi.",
                    c.az, n1.az
                ),
            ),
            5 => (
                format!(
                    "{} signed an agreement with {} on {} and {}.",
                    p1.en, o.en, n1.en, n3.en
                ),
                format!(
                    "{}, {} ile {} ve {} konusunda bir anlaşma imzaladı.",
                    p1.tr, o.tr, n1.tr, n3.tr
                ),
                format!(
                    "{} {} ilə {} və {} barədə saziş imzaladı.",
                    p1.az, o.az, n1.az, n3.az
                ),
            ),
            6 => (
                format!("The price of {} rose to {x}.{y} manat in {}.", n1.en, c.en),
                format!("{}'da {} fiyatı {x},{y} manata yükseldi.", c.tr, n1.tr),
                format!("{}da {} qiyməti {x},{y} manata yüksəldi.", c.az, n1.az),
            ),
            7 => (
                format!(
                    "{} visited {} and met the {} of the {} {}.",
                    p1.en, c.en, n1.en, n2.en, n3.en
                ),
                format!(
                    "{}, {}'yı ziyaret etti ve {} {} {} ile görüştü.",
                    p1.tr, c.tr, n2.tr, n3.tr, n1.tr
                ),
                format!(
                    "{} {}nı ziyarət etdi və {} {} {} ilə görüşdü.",
                    p1.az, c.az, n2.az, n3.az, n1.az
                ),
            ),
            8 => (
                format!(
                    "Work on the {} road between {} and the {} will end in {me}.",
                    n1.en, c.en, n2.en
                ),
                format!(
                    "{} ile {} arasındaki {} yolu çalışmaları {mt}'ta bitecek.",
                    c.tr, n2.tr, n1.tr
                ),
                format!(
                    "{} ilə {} arasındakı {} yolu işləri {ma}da başa çatacaq.",
                    c.az, n2.az, n1.az
                ),
            ),
            _ => (
                format!(
                    "{} and {} discussed {} {} at the {} forum.",
                    p1.en, p2.en, n1.en, n2.en, c.en
                ),
                format!(
                    "{} ve {}, {} forumunda {} {} konusunu ele aldı.",
                    p1.tr, p2.tr, c.tr, n1.tr, n2.tr
                ),
                format!(
                    "{} və {} {} forumunda {} {} məsələsini müzakirə etdilər.",
                    p1.az, p2.az, c.az, n1.az, n2.az
                ),
            ),
        }
    }
}

const TEMPLATES: usize = 10;

impl Iterator for Corpus {
    type Item = (String, String, String);

    fn next(&mut self) -> Option<(String, String, String)> {
        // About 30% near-duplicates of a recent sentence.
        let dup = !self.recent.is_empty() && self.rng.below(10) < 3;
        let slots = if dup {
            let mut s = self.recent[self.rng.below(self.recent.len())].clone();
            // Change something the template shows: a word always, and for
            // the templates with numbers also a number or the day.
            if matches!(s.template, 5 | 7 | 8 | 9) || self.rng.below(2) == 0 {
                s.n[0] = self.rng.zipf(self.lex.nouns.len());
            } else {
                s.num[0] = 1 + self.rng.below(2_000) as u32;
                s.num[1] = 1 + self.rng.below(100) as u32;
                s.day = 1 + self.rng.below(28) as u32;
            }
            s
        } else {
            self.fresh()
        };
        // Near-duplicates come from fresh sentences only, so that clusters
        // stay small (as in real memories: a sentence and a few revisions).
        if !dup {
            if self.recent.len() < 4096 {
                self.recent.push(slots.clone());
            } else {
                let i = self.rng.below(4096);
                self.recent[i] = slots.clone();
            }
        }
        let (mut en, mut tr, mut az) = self.render(&slots);
        // Openers vary sentence shape and length, as news text does.
        let (oe, ot, oa) = OPENERS[slots.opener];
        if !oe.is_empty() {
            en = format!("{oe} {}", lower_first(&en));
            tr = format!("{ot} {tr}");
            az = format!("{oa} {az}");
        }
        Some((en, tr, az))
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Writes `n` units as a TMX 1.4 document (en, tr, az-Latn).
pub fn write_tmx(out: &mut impl Write, n: usize, seed: u64) -> std::io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<tmx version="1.4">"#)?;
    writeln!(
        out,
        r#"<header creationtool="korpu-gen" creationtoolversion="1" segtype="sentence" o-tmf="korpu" adminlang="en" srclang="en" datatype="plaintext"/>"#
    )?;
    writeln!(out, "<body>")?;
    for (i, (en, tr, az)) in Corpus::new(seed).take(n).enumerate() {
        writeln!(
            out,
            r#"<tu tuid="u{i}" creationdate="20240101T120000Z"><tuv xml:lang="en"><seg>{}</seg></tuv><tuv xml:lang="tr"><seg>{}</seg></tuv><tuv xml:lang="az-Latn"><seg>{}</seg></tuv></tu>"#,
            escape(&en),
            escape(&tr),
            escape(&az)
        )?;
    }
    writeln!(out, "</body>\n</tmx>")?;
    Ok(())
}
