//! A deterministic generator of realistic translation units for benches and
//! tests: news-like EN/TR/AZ sentences over a shared vocabulary (people,
//! places, organisations, nouns with a Zipf-like frequency), numbers and
//! dates; about 30% of units are near-duplicates of an earlier one (one
//! number or one word changed).
//!
//! Two styles. [`Corpus::new`] composes each sentence from a subject, one of
//! 30 predicates, a place and a time adjunct and a tail (about 70,000
//! sentence shapes), so sentences share phrases as news text does.
//! [`Corpus::templated`] fills one of 10 whole-sentence templates: every
//! sentence shares its skeleton with a tenth of the memory, a stress case for
//! fuzzy lookup (thousands of real matches above 70 per query at 1M units).

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
    subject: usize,
    predicate: usize,
    place: usize,
    time: usize,
    tail: usize,
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
    templated: bool,
}

impl Corpus {
    /// Composed sentences (see the module docs).
    pub fn new(seed: u64) -> Corpus {
        Corpus {
            lex: Lexicon::new(seed),
            rng: Rng::new(seed.wrapping_add(1)),
            recent: Vec::new(),
            templated: false,
        }
    }

    /// Sentences from 10 whole-sentence templates: the stress case.
    pub fn templated(seed: u64) -> Corpus {
        Corpus {
            templated: true,
            ..Corpus::new(seed)
        }
    }

    fn fresh(&mut self) -> Slots {
        let r = &mut self.rng;
        Slots {
            template: r.below(TEMPLATES),
            subject: r.below(SUBJECTS),
            predicate: r.below(PREDICATES),
            place: r.below(PLACES),
            time: r.below(TIMES),
            tail: r.below(TAILS),
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
        if self.templated {
            self.render_template(s)
        } else {
            self.compose(s)
        }
    }

    fn compose(&self, s: &Slots) -> (String, String, String) {
        let l = &self.lex;
        let (p1, p2, c, o) = (&l.people[s.p[0]], &l.people[s.p[1]], &l.places[s.c], &l.orgs[s.o]);
        let (n1, n2, n3) = (&l.nouns[s.n[0]], &l.nouns[s.n[1]], &l.nouns[s.n[2]]);
        let (x, y, d) = (s.num[0], s.num[1], s.day);
        let (me, mt, ma) = MONTHS[s.month];
        let subject = match s.subject {
            0 | 1 => (p1.en.clone(), p1.tr.clone(), p1.az.clone()),
            2 => (o.en.clone(), o.tr.clone(), o.az.clone()),
            3 => (
                format!("the {} minister", n1.en),
                format!("{} bakanı", n1.tr),
                format!("{} naziri", n1.az),
            ),
            4 => (
                format!("officials from {}", c.en),
                format!("{} yetkilileri", c.tr),
                format!("{} rəsmiləri", c.az),
            ),
            _ => (
                format!("the {} committee", n1.en),
                format!("{} komitesi", n1.tr),
                format!("{} komitəsi", n1.az),
            ),
        };
        let (pe, pt, pa) = (&p2.en, &p2.tr, &p2.az);
        let (ne, nt, na) = (&n2.en, &n2.tr, &n2.az);
        let (me3, mt3, ma3) = (&n3.en, &n3.tr, &n3.az);
        let (oe, ot, oa) = (&o.en, &o.tr, &o.az);
        let predicate = match s.predicate {
            0 => (
                format!("met {pe} to discuss the {ne}"),
                format!("{pt} ile {nt} konusunu görüştü"),
                format!("{pa} ilə {na} məsələsini müzakirə etdi"),
            ),
            1 => (
                format!("announced {x} new {ne} projects"),
                format!("{x} yeni {nt} projesini açıkladı"),
                format!("{x} yeni {na} layihəsini açıqladı"),
            ),
            2 => (
                format!("signed an agreement with {oe} on {ne}"),
                format!("{ot} ile {nt} konusunda bir anlaşma imzaladı"),
                format!("{oa} ilə {na} barədə saziş imzaladı"),
            ),
            3 => (
                format!("visited the new {ne} factory"),
                format!("yeni {nt} fabrikasını ziyaret etti"),
                format!("yeni {na} fabrikini ziyarət etdi"),
            ),
            4 => (
                format!("said the {ne} budget would grow by {y} percent"),
                format!("{nt} bütçesinin yüzde {y} artacağını söyledi"),
                format!("{na} büdcəsinin {y} faiz artacağını bildirdi"),
            ),
            5 => (
                format!("opened a {ne} museum"),
                format!("bir {nt} müzesi açtı"),
                format!("{na} muzeyi açdı"),
            ),
            6 => (
                format!("criticised the {ne} plan of {oe}"),
                format!("{ot} şirketinin {nt} planını eleştirdi"),
                format!("{oa} şirkətinin {na} planını tənqid etdi"),
            ),
            7 => (
                format!("praised the work of the {ne} volunteers"),
                format!("{nt} gönüllülerinin çalışmalarını övdü"),
                format!("{na} könüllülərinin işini təqdir etdi"),
            ),
            8 => (
                format!("launched a {ne} programme worth {x} million manat"),
                format!("{x} milyon manatlık bir {nt} programı başlattı"),
                format!("{x} milyon manatlıq {na} proqramına start verdi"),
            ),
            9 => (
                format!("called for talks on the {ne} dispute"),
                format!("{nt} anlaşmazlığı konusunda müzakere çağrısı yaptı"),
                format!("{na} mübahisəsi ilə bağlı danışıqlara çağırdı"),
            ),
            10 => (
                format!("welcomed a delegation led by {pe}"),
                format!("{pt} başkanlığındaki heyeti kabul etti"),
                format!("{pa} başçılıq etdiyi nümayəndə heyətini qəbul etdi"),
            ),
            11 => (
                format!("presented a report on {ne} and {me3}"),
                format!("{nt} ve {mt3} hakkında bir rapor sundu"),
                format!("{na} və {ma3} haqqında hesabat təqdim etdi"),
            ),
            12 => (
                format!("promised to build {x} kilometres of {ne} roads"),
                format!("{x} kilometre {nt} yolu yapma sözü verdi"),
                format!("{x} kilometr {na} yolu tikməyi vəd etdi"),
            ),
            13 => (
                format!("denied reports about the {ne} deal"),
                format!("{nt} anlaşmasıyla ilgili haberleri yalanladı"),
                format!("{na} sazişi barədə xəbərləri təkzib etdi"),
            ),
            14 => (
                format!("thanked {pe} for the support to {ne} farmers"),
                format!("{nt} çiftçilerine verdiği destek için {pt} adlı yetkiliye teşekkür etti"),
                format!("{na} fermerlərinə dəstəyə görə {pa} adlı rəsmiyə təşəkkür etdi"),
            ),
            15 => (
                format!("confirmed that {x} {ne} workers had returned"),
                format!("{x} {nt} işçisinin döndüğünü doğruladı"),
                format!("{x} {na} işçisinin qayıtdığını təsdiqlədi"),
            ),
            16 => (
                format!("warned of rising {ne} prices"),
                format!("artan {nt} fiyatları konusunda uyardı"),
                format!("artan {na} qiymətləri barədə xəbərdarlıq etdi"),
            ),
            17 => (
                format!("inspected the {ne} bridge over the {me3} river"),
                format!("{mt3} nehri üzerindeki {nt} köprüsünü inceledi"),
                format!("{ma3} çayı üzərindəki {na} körpüsünə baxış keçirdi"),
            ),
            18 => (
                format!("approved a loan of {x} million dollars for {ne}"),
                format!("{nt} için {x} milyon dolarlık krediyi onayladı"),
                format!("{na} üçün {x} milyon dollarlıq krediti təsdiqlədi"),
            ),
            19 => (
                format!("discussed {ne} cooperation with {oe}"),
                format!("{ot} ile {nt} işbirliğini ele aldı"),
                format!("{oa} ilə {na} əməkdaşlığını müzakirə etdi"),
            ),
            20 => (
                format!("planted {x} trees in the {ne} park"),
                format!("{nt} parkına {x} ağaç dikti"),
                format!("{na} parkında {x} ağac əkdi"),
            ),
            21 => (
                format!("handed over {y} new {ne} buses"),
                format!("{y} yeni {nt} otobüsünü teslim etti"),
                format!("{y} yeni {na} avtobusunu təhvil verdi"),
            ),
            22 => (
                format!("set up a working group on {ne}"),
                format!("{nt} konusunda bir çalışma grubu kurdu"),
                format!("{na} üzrə işçi qrupu yaratdı"),
            ),
            23 => (
                format!("took part in the {ne} summit"),
                format!("{nt} zirvesine katıldı"),
                format!("{na} sammitində iştirak etdi"),
            ),
            24 => (
                format!("rejected the claims of {pe}"),
                format!("{pt} adlı yetkilinin iddialarını reddetti"),
                format!("{pa} adlı rəsminin iddialarını rədd etdi"),
            ),
            25 => (
                format!("reported {x} cases of {ne}"),
                format!("{x} {nt} vakası bildirdi"),
                format!("{x} {na} halı qeydə aldı"),
            ),
            26 => (
                format!("restored the old {ne} mosque"),
                format!("eski {nt} camisini restore etti"),
                format!("köhnə {na} məscidini bərpa etdi"),
            ),
            27 => (
                format!("sent {y} tonnes of {ne} aid"),
                format!("{y} ton {nt} yardımı gönderdi"),
                format!("{y} ton {na} yardımı göndərdi"),
            ),
            28 => (
                format!("named {pe} head of the {ne} agency"),
                format!("{pt} adlı yetkiliyi {nt} ajansının başına atadı"),
                format!("{pa} adlı rəsmini {na} agentliyinə rəhbər təyin etdi"),
            ),
            _ => (
                format!("expects {ne} exports to reach {x} million"),
                format!("{nt} ihracatının {x} milyona ulaşmasını bekliyor"),
                format!("{na} ixracının {x} milyona çatmasını gözləyir"),
            ),
        };
        let place = match s.place {
            0 => (String::new(), String::new(), String::new()),
            1 => (
                format!(" in {}", c.en),
                format!(" {}'da", c.tr),
                format!(" {}da", c.az),
            ),
            2 => (
                format!(" near {}", c.en),
                format!(" {} yakınlarında", c.tr),
                format!(" {} yaxınlığında", c.az),
            ),
            3 => (
                format!(" at the {me3} forum"),
                format!(" {mt3} forumunda"),
                format!(" {ma3} forumunda"),
            ),
            4 => (
                format!(" in the {} region", c.en),
                format!(" {} bölgesinde", c.tr),
                format!(" {} bölgəsində", c.az),
            ),
            _ => (
                format!(" during a visit to {}", c.en),
                format!(" {} ziyareti sırasında", c.tr),
                format!(" {} səfəri zamanı", c.az),
            ),
        };
        let time = match s.time {
            0 => (String::new(), String::new(), String::new()),
            1 => (
                format!(" on {d} {me}"),
                format!(" {d} {mt} tarihinde"),
                format!(" {d} {ma} tarixində"),
            ),
            2 => (" last week".into(), " geçen hafta".into(), " keçən həftə".into()),
            3 => (
                " on Tuesday".into(),
                " salı günü".into(),
                " çərşənbə axşamı".into(),
            ),
            4 => (" this morning".into(), " bu sabah".into(), " bu səhər".into()),
            5 => (
                format!(" in {me}"),
                format!(" {mt} ayında"),
                format!(" {ma} ayında"),
            ),
            6 => (
                " earlier this year".into(),
                " bu yılın başında".into(),
                " bu ilin əvvəlində".into(),
            ),
            _ => (" yesterday".into(), " dün".into(), " dünən".into()),
        };
        let tail = match s.tail {
            0..=2 => ("", "", ""),
            3 => (
                ", the ministry said",
                ", bakanlık bildirdi",
                ", nazirlik bildirdi",
            ),
            4 => (
                ", according to officials",
                ", yetkililer açıkladı",
                ", rəsmilər açıqlayıb",
            ),
            _ => (
                ", local media reported",
                ", yerel basın bildirdi",
                ", yerli media xəbər verib",
            ),
        };
        let en = format!(
            "{} {}{}{}{}.",
            capital(&subject.0),
            predicate.0,
            place.0,
            time.0,
            tail.0
        );
        let tr = format!("{}{}{} {}{}.", subject.1, time.1, place.1, predicate.1, tail.1);
        let az = format!("{}{}{} {}{}.", subject.2, time.2, place.2, predicate.2, tail.2);
        (en, tr, az)
    }

    fn render_template(&self, s: &Slots) -> (String, String, String) {
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
const SUBJECTS: usize = 6;
const PREDICATES: usize = 30;
const PLACES: usize = 6;
const TIMES: usize = 8;
const TAILS: usize = 6;

impl Iterator for Corpus {
    type Item = (String, String, String);

    fn next(&mut self) -> Option<(String, String, String)> {
        // About 30% near-duplicates of a recent sentence.
        let dup = !self.recent.is_empty() && self.rng.below(10) < 3;
        let slots = if dup {
            let mut s = self.recent[self.rng.below(self.recent.len())].clone();
            // Change something the template shows: a word always, and for
            // the templates with numbers also a number or the day.
            if (self.templated && matches!(s.template, 5 | 7 | 8 | 9)) || self.rng.below(2) == 0 {
                // The noun every predicate shows (templates show the first).
                let k = if self.templated { 0 } else { 1 };
                s.n[k] = self.rng.zipf(self.lex.nouns.len());
            } else if !self.templated && self.rng.below(2) == 0 {
                s.time = self.rng.below(TIMES);
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
        // Composed Turkish and Azerbaijani sentences may start with a noun.
        Some((en, capital(&tr), capital(&az)))
    }
}

fn escape(s: &str) -> String {
    s.replace('&', "&amp;").replace('<', "&lt;").replace('>', "&gt;")
}

/// Writes `n` composed units as a TMX 1.4 document (en, tr, az-Latn).
pub fn write_tmx(out: &mut impl Write, n: usize, seed: u64) -> std::io::Result<()> {
    write_tmx_from(out, Corpus::new(seed).take(n))
}

/// Writes the units of `corpus` as a TMX 1.4 document (en, tr, az-Latn).
pub fn write_tmx_from(
    out: &mut impl Write,
    corpus: impl Iterator<Item = (String, String, String)>,
) -> std::io::Result<()> {
    writeln!(out, r#"<?xml version="1.0" encoding="UTF-8"?>"#)?;
    writeln!(out, r#"<tmx version="1.4">"#)?;
    writeln!(
        out,
        r#"<header creationtool="korpu-gen" creationtoolversion="1" segtype="sentence" o-tmf="korpu" adminlang="en" srclang="en" datatype="plaintext"/>"#
    )?;
    writeln!(out, "<body>")?;
    for (i, (en, tr, az)) in corpus.enumerate() {
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
