//! The persons and places of generated notes: a fixed pool of [`POOL`] entries, the sample's
//! well-known names first and then names composed from syllables, each with the variants a
//! register gives (a Wade-Giles spelling beside the pinyin one, a German transliteration
//! beside the English one of a Russian name).
//!
//! The notes mention names of the pool whether a register is written or not, so that a corpus
//! with a register differs from the same corpus without one by the register file alone, and a
//! build of each measures what the register costs. Mentions favour the head of the pool, as
//! real notes name a few people often and many once: the index is drawn as `n * u³` for a
//! uniform `u`, so about a third of them name one of the well-known entries.

use std::collections::HashSet;
use std::sync::OnceLock;

use serde::Serialize;

use super::Rng;

/// How many entries the pool holds, so the largest register the generator writes.
pub const POOL: usize = 2_000;

/// The well-known persons: preferred name and variants. The single-word variants are the
/// short names sentences use on their own (`Zhou insisted that …`).
const FAMOUS_PERSONS: &[(&str, &[&str])] = &[
    ("Zhou Enlai", &["Zhou", "Chou En-lai", "周恩来"]),
    ("Mao Zedong", &["Mao", "Mao Tse-tung", "毛泽东"]),
    ("Joseph Stalin", &["Stalin"]),
    ("Harry S. Truman", &["Truman"]),
    ("Dean Acheson", &["Acheson"]),
    ("George F. Kennan", &["Kennan"]),
    ("Ernest Bevin", &["Bevin"]),
    ("Jawaharlal Nehru", &["Nehru"]),
    ("Kim Il-sung", &["Kim", "Kim Il Sung"]),
    ("Syngman Rhee", &["Rhee", "Yi Seung-man"]),
    ("Liu Shaoqi", &["Liu", "Liu Shao-ch'i"]),
    ("Nie Rongzhen", &["Nie", "Nie Rong-zhen", "Nieh Jung-chen"]),
    ("Andrey Vyshinsky", &["Vyshinsky", "Andrei Wyschinski"]),
    ("Vyacheslav Molotov", &["Molotov", "Wjatscheslaw Molotow"]),
    ("Robert Schuman", &["Schuman"]),
    ("Philip C. Jessup", &["Jessup"]),
    ("Wang Jiaxiang", &["Wang Chia-hsiang"]),
    ("Li Fuchun", &["Li Fu-ch'un"]),
    ("Ye Jizhuang", &["Yeh Chi-chuang"]),
    ("Wu Xiuquan", &["Wu Hsiu-ch'üan"]),
    ("Kim Kwang-hyop", &[]),
    ("Dean Rusk", &[]),
    ("Paul Nitze", &[]),
    ("John Foster Dulles", &["Dulles"]),
    ("W. Walton Butterworth", &[]),
    ("Omar Bradley", &[]),
    ("Averell Harriman", &[]),
    ("Charles E. Bohlen", &[]),
    ("Loy W. Henderson", &[]),
    ("John J. McCloy", &[]),
    ("Konrad Adenauer", &[]),
    ("Alcide de Gasperi", &[]),
    ("Trygve Lie", &[]),
    ("William Batt, Jr.", &[]),
    ("E.W. Kenworthy", &[]),
    ("Chiang Kai-shek", &["Jiang Jieshi"]),
    ("Carlos P. Romulo", &[]),
    ("Paul van Zeeland", &[]),
    ("Dirk Stikker", &[]),
];

/// The well-known places.
const FAMOUS_PLACES: &[(&str, &[&str])] = &[
    ("Moscow", &["Moskva"]),
    ("Peking", &["Beijing", "Peiping", "北京"]),
    ("Washington", &[]),
    ("London", &[]),
    ("Paris", &[]),
    ("Seoul", &[]),
    ("Pyongyang", &["P'yŏngyang"]),
    ("Tokyo", &[]),
    ("Taipei", &["T'ai-pei"]),
    ("New Delhi", &[]),
    ("Bonn", &[]),
    ("Manchuria", &[]),
    ("Port Arthur", &["Lüshun"]),
    ("Dairen", &["Dalian", "Dalny"]),
    ("Hong Kong", &[]),
    ("Lake Success", &[]),
    ("Formosa", &["Taiwan"]),
    ("Outer Mongolia", &[]),
];

/// Chinese surnames, pinyin and Wade-Giles.
const SURNAMES: &[(&str, &str)] = &[
    ("Wang", "Wang"),
    ("Li", "Li"),
    ("Zhang", "Chang"),
    ("Liu", "Liu"),
    ("Chen", "Ch'en"),
    ("Yang", "Yang"),
    ("Huang", "Huang"),
    ("Zhao", "Chao"),
    ("Wu", "Wu"),
    ("Zhou", "Chou"),
    ("Xu", "Hsü"),
    ("Sun", "Sun"),
    ("Ma", "Ma"),
    ("Zhu", "Chu"),
    ("Guo", "Kuo"),
    ("Gao", "Kao"),
    ("Lin", "Lin"),
    ("Luo", "Lo"),
    ("Song", "Sung"),
    ("Xie", "Hsieh"),
    ("Tang", "T'ang"),
    ("Han", "Han"),
    ("Deng", "Teng"),
    ("Peng", "P'eng"),
    ("Cao", "Ts'ao"),
    ("Xiao", "Hsiao"),
    ("Tian", "T'ien"),
    ("Dong", "Tung"),
];

/// Syllables of Chinese given names and place names, pinyin and Wade-Giles.
const SYLLABLES: &[(&str, &str)] = &[
    ("jia", "chia"),
    ("xiang", "hsiang"),
    ("fu", "fu"),
    ("chun", "ch'un"),
    ("xiu", "hsiu"),
    ("quan", "ch'üan"),
    ("lai", "lai"),
    ("shao", "shao"),
    ("qi", "ch'i"),
    ("rong", "jung"),
    ("zhen", "chen"),
    ("ming", "ming"),
    ("hua", "hua"),
    ("guo", "kuo"),
    ("de", "te"),
    ("wen", "wen"),
    ("jian", "chien"),
    ("zhi", "chih"),
    ("hai", "hai"),
    ("dong", "tung"),
    ("bo", "po"),
    ("sheng", "sheng"),
    ("tao", "t'ao"),
    ("xin", "hsin"),
    ("ping", "p'ing"),
    ("kang", "k'ang"),
    ("nan", "nan"),
    ("song", "sung"),
    ("wei", "wei"),
    ("zhong", "chung"),
    ("gong", "kung"),
    ("qing", "ch'ing"),
    ("feng", "feng"),
    ("hong", "hung"),
    ("jun", "chün"),
    ("liang", "liang"),
];

/// The last syllable of a Chinese place name.
const PLACE_ENDINGS: &[(&str, &str)] = &[
    ("kou", "k'ou"),
    ("shan", "shan"),
    ("zhou", "chou"),
    ("ning", "ning"),
    ("yang", "yang"),
    ("cheng", "ch'eng"),
];

const RUSSIAN_GIVEN: &[&str] = &[
    "Ivan",
    "Pavel",
    "Nikolai",
    "Sergei",
    "Mikhail",
    "Dmitri",
    "Boris",
    "Yuri",
    "Vladimir",
    "Grigori",
    "Fyodor",
    "Leonid",
    "Viktor",
    "Anatoli",
    "Konstantin",
    "Semyon",
];

const RUSSIAN_SURNAMES: &[&str] = &[
    "Petrov",
    "Smirnov",
    "Kuznetsov",
    "Popov",
    "Sokolov",
    "Lebedev",
    "Kozlov",
    "Novikov",
    "Morozov",
    "Volkov",
    "Zaitsev",
    "Pavlov",
    "Golubev",
    "Vinogradov",
    "Bogdanov",
    "Vorobyov",
    "Tarasov",
    "Komarov",
    "Orlov",
    "Makarov",
    "Kovalyov",
    "Gusev",
    "Titov",
    "Kuzmin",
    "Baranov",
    "Kulikov",
    "Stepanov",
    "Yakovlev",
    "Sorokin",
    "Zhukov",
];

const RUSSIAN_PLACE_STEMS: &[&str] = &[
    "Krasno", "Novo", "Belo", "Staro", "Zlato", "Svetlo", "Yasno", "Bogo", "Dobro", "Chisto",
];

const RUSSIAN_PLACE_ROOTS: &[&str] = &[
    "gor", "dar", "mir", "slav", "pol", "vod", "les", "yar", "kamen", "bor",
];

const RUSSIAN_PLACE_ENDINGS: &[&str] = &["sk", "ovo", "ino", "ka"];

const ENGLISH_GIVEN: &[&str] = &[
    "John", "James", "Robert", "William", "Charles", "George", "Thomas", "Edward", "Richard",
    "Henry", "Walter", "Arthur", "Frank", "Harold", "Samuel", "Francis", "Raymond", "Howard",
];

const ENGLISH_SURNAMES: &[&str] = &[
    "Allison",
    "Barlow",
    "Carter",
    "Dawson",
    "Fletcher",
    "Graham",
    "Hughes",
    "Ingram",
    "Jennings",
    "Keller",
    "Lambert",
    "Morrison",
    "Norton",
    "Osborne",
    "Palmer",
    "Randall",
    "Sherman",
    "Thornton",
    "Underwood",
    "Vaughn",
    "Walker",
    "Yates",
    "Bishop",
    "Coleman",
    "Drummond",
    "Fairbank",
    "Gilbert",
    "Holland",
];

const ENGLISH_PLACE_KINDS: &[&str] = &["Port", "Fort", "Lake", "Mount", "Cape"];

/// Whether an entry is a person or a place.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    Person,
    Place,
}

/// One entry of the pool.
pub struct Entry {
    pub kind: Kind,
    pub name: String,
    pub variants: Vec<String>,
}

impl Entry {
    /// The register id: the preferred name in lower case, its words joined by hyphens
    /// (`William Batt, Jr.` → `william-batt-jr`).
    pub fn id(&self) -> String {
        let lower = self.name.to_lowercase();
        let words: Vec<&str> = lower
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect();
        words.join("-")
    }
}

/// The pool, in register order, with the positions of each kind and the short names.
pub struct Pool {
    pub entries: Vec<Entry>,
    persons: Vec<usize>,
    places: Vec<usize>,
    short_names: Vec<&'static str>,
}

/// The pool, built once.
pub fn pool() -> &'static Pool {
    static BUILT: OnceLock<Pool> = OnceLock::new();
    BUILT.get_or_init(Pool::build)
}

/// A person mentioned in prose: the preferred name, or a variant a quarter of the time.
pub(super) fn person(rng: &mut Rng) -> &'static str {
    let pool = pool();
    mention(
        &pool.entries[pool.persons[skewed(rng, pool.persons.len())]],
        rng,
    )
}

/// A place mentioned in prose, as [`person`] is.
pub(super) fn place(rng: &mut Rng) -> &'static str {
    let pool = pool();
    mention(
        &pool.entries[pool.places[skewed(rng, pool.places.len())]],
        rng,
    )
}

/// A well-known person by surname alone (`Zhou`).
pub(super) fn short_name(rng: &mut Rng) -> &'static str {
    rng.pick(&pool().short_names)
}

/// A sender or recipient: a person's preferred name, which always reads as a name in a
/// correspondence line (variants may be written in Chinese characters).
pub(super) fn correspondent(rng: &mut Rng) -> &'static str {
    let pool = pool();
    &pool.entries[pool.persons[skewed(rng, pool.persons.len())]].name
}

/// The first `count` entries of the pool as a daybook register file.
pub fn register(count: usize) -> String {
    #[derive(Serialize)]
    struct File<'p> {
        person: Vec<Table<'p>>,
        place: Vec<Table<'p>>,
    }
    #[derive(Serialize)]
    struct Table<'p> {
        id: String,
        name: &'p str,
        #[serde(skip_serializing_if = "<[String]>::is_empty")]
        variants: &'p [String],
    }
    let mut file = File {
        person: Vec::new(),
        place: Vec::new(),
    };
    for entry in pool().entries.iter().take(count) {
        let table = Table {
            id: entry.id(),
            name: &entry.name,
            variants: &entry.variants,
        };
        match entry.kind {
            Kind::Person => file.person.push(table),
            Kind::Place => file.place.push(table),
        }
    }
    let toml = toml::to_string(&file).expect("a register serialises as TOML");
    format!("# {count} generated persons and places (examples/corpus/names.rs).\n\n{toml}")
}

fn skewed(rng: &mut Rng, len: usize) -> usize {
    let u = (rng.next() >> 11) as f64 / (1u64 << 53) as f64;
    ((len as f64 * u * u * u) as usize).min(len - 1)
}

fn mention<'e>(entry: &'e Entry, rng: &mut Rng) -> &'e str {
    if !entry.variants.is_empty() && rng.chance(25) {
        let index = rng.range(0, entry.variants.len() - 1);
        &entry.variants[index]
    } else {
        &entry.name
    }
}

impl Pool {
    fn build() -> Self {
        let mut pool = Self {
            entries: Vec::new(),
            persons: Vec::new(),
            places: Vec::new(),
            short_names: Vec::new(),
        };
        let mut taken = HashSet::new();
        let owned = |names: &[&str]| names.iter().map(|n| (*n).to_owned()).collect();
        for &(name, variants) in FAMOUS_PERSONS {
            pool.add(&mut taken, Kind::Person, name.to_owned(), owned(variants));
            let short = variants.iter().filter(|v| !v.contains([' ', '-']));
            pool.short_names
                .extend(short.filter(|v| v.is_ascii()).copied());
        }
        for &(name, variants) in FAMOUS_PLACES {
            pool.add(&mut taken, Kind::Place, name.to_owned(), owned(variants));
        }
        // A fixed seed: the pool is the same whatever the corpus's seed.
        let mut rng = Rng(0x05EE_D0F0_A7E5);
        while pool.entries.len() < POOL {
            let (kind, name, variants) = match rng.range(0, 9) {
                0..=3 => chinese_person(&mut rng),
                4 | 5 => russian_person(&mut rng),
                6 => english_person(&mut rng),
                7 => chinese_place(&mut rng),
                8 => russian_place(&mut rng),
                _ => english_place(&mut rng),
            };
            pool.add(&mut taken, kind, name, variants);
        }
        pool
    }

    /// Adds an entry unless one of its names, or its id, is already taken: a register must
    /// not give one name to two entries (DB0083).
    fn add(
        &mut self,
        taken: &mut HashSet<String>,
        kind: Kind,
        name: String,
        variants: Vec<String>,
    ) {
        let entry = Entry {
            kind,
            name,
            variants,
        };
        let id = format!("{kind:?}:{}", entry.id());
        let names = std::iter::once(&entry.name).chain(&entry.variants);
        if taken.contains(&id) || names.clone().any(|n| taken.contains(n)) {
            return;
        }
        taken.insert(id);
        taken.extend(names.cloned());
        match kind {
            Kind::Person => self.persons.push(self.entries.len()),
            Kind::Place => self.places.push(self.entries.len()),
        }
        self.entries.push(entry);
    }
}

type Drawn = (Kind, String, Vec<String>);

fn chinese_person(rng: &mut Rng) -> Drawn {
    let (surname, surname_wg) = *rng.choose(SURNAMES);
    let (first, first_wg) = *rng.choose(SYLLABLES);
    let (second, second_wg) = *rng.choose(SYLLABLES);
    let name = format!("{surname} {}{second}", capitalised(first));
    let wade_giles = format!("{surname_wg} {}-{second_wg}", capitalised(first_wg));
    (Kind::Person, name, vec![wade_giles])
}

fn russian_person(rng: &mut Rng) -> Drawn {
    let name = format!("{} {}", rng.pick(RUSSIAN_GIVEN), rng.pick(RUSSIAN_SURNAMES));
    (
        Kind::Person,
        name.clone(),
        german(&name).into_iter().collect(),
    )
}

fn english_person(rng: &mut Rng) -> Drawn {
    let initial = char::from(b'A' + rng.range(0, 25) as u8);
    let name = format!(
        "{} {initial}. {}",
        rng.pick(ENGLISH_GIVEN),
        rng.pick(ENGLISH_SURNAMES)
    );
    (Kind::Person, name, Vec::new())
}

fn chinese_place(rng: &mut Rng) -> Drawn {
    let (first, first_wg) = *rng.choose(SYLLABLES);
    let (second, second_wg) = *rng.choose(SYLLABLES);
    let (end, end_wg) = *rng.choose(PLACE_ENDINGS);
    let name = format!("{}{second}{end}", capitalised(first));
    let wade_giles = format!("{}-{second_wg}-{end_wg}", capitalised(first_wg));
    (Kind::Place, name, vec![wade_giles])
}

fn russian_place(rng: &mut Rng) -> Drawn {
    let name = format!(
        "{}{}{}",
        rng.pick(RUSSIAN_PLACE_STEMS),
        rng.pick(RUSSIAN_PLACE_ROOTS),
        rng.pick(RUSSIAN_PLACE_ENDINGS)
    );
    (
        Kind::Place,
        name.clone(),
        german(&name).into_iter().collect(),
    )
}

fn english_place(rng: &mut Rng) -> Drawn {
    let name = format!(
        "{} {}",
        rng.pick(ENGLISH_PLACE_KINDS),
        rng.pick(ENGLISH_SURNAMES)
    );
    (Kind::Place, name, Vec::new())
}

/// A Russian name as German transliterates it (`Vorobyov` → `Worobjow`); `None` when that is
/// the English spelling. One pass, the first rule that matches at a place winning, so that
/// `sh` → `sch` is not then read as `ch`.
fn german(name: &str) -> Option<String> {
    const RULES: &[(&str, &str)] = &[
        ("zh", "sch"),
        ("Zh", "Sch"),
        ("kh", "ch"),
        ("sh", "sch"),
        ("ch", "tsch"),
        ("Ch", "Tsch"),
        ("ts", "z"),
        ("y", "j"),
        ("Y", "J"),
        ("v", "w"),
        ("V", "W"),
        ("z", "s"),
        ("Z", "S"),
    ];
    let mut out = String::with_capacity(name.len() + 4);
    let mut rest = name;
    while let Some(c) = rest.chars().next() {
        match RULES.iter().find(|(english, _)| rest.starts_with(english)) {
            Some((english, german)) => {
                out.push_str(german);
                rest = &rest[english.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    (out != name).then_some(out)
}

fn capitalised(syllable: &str) -> String {
    let mut chars = syllable.chars();
    chars
        .next()
        .map(|first| first.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}
