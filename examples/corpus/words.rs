//! The word lists generated sentences are made of, names aside (those are in `names.rs`).

pub(super) const ROLES: &[&str] = &[
    "the Soviet foreign minister",
    "one of Zhou's top assistants",
    "acting general chief of staff of the PLA",
    "the British foreign secretary",
    "the American ambassador in Moscow",
    "head of the Policy Planning Staff",
    "the person in charge of the Party's daily affairs",
    "a member of the Politburo",
    "the French foreign minister",
    "the Secretary-General of the United Nations",
];

pub(super) const ORGANISATIONS: &[&str] = &[
    "the CCP Central Committee",
    "the Politburo",
    "the State Department",
    "the National Security Council",
    "the Joint Chiefs of Staff",
    "the Foreign Office",
    "the Security Council",
    "the Soviet embassy",
    "the Senate Foreign Relations Committee",
    "Soviet officials",
    "the Committee",
];

pub(super) const TOPICS: &[&str] = &[
    "the forthcoming treaty",
    "the return of Korean-nationality soldiers",
    "the question of Formosa",
    "the recognition of the new government",
    "Soviet economic aid",
    "the status of Port Arthur",
    "a Japanese peace settlement",
    "the defence perimeter in the Pacific",
    "the Point Four program",
    "trade with the mainland",
    "the seating of China in the United Nations",
    "a clause of explicit mutual military commitment",
    "the independence of Outer Mongolia",
    "the Chinese Eastern Railway",
    "the unusually expeditious approval of the request",
];

pub(super) const CLAUSES: &[&str] = &[
    "the Soviets were somewhat hesitant to make a clear military commitment to China",
    "they ultimately concluded that it was in their interests to do so",
    "the Korean problem was at least a topic of the Mao-Stalin discussions",
    "the treaty had to be a solid military alliance",
    "both sides had much to gain and little to lose",
    "there had existed a well defined consensus on the Korean problem",
    "the Committee approved the request the next day",
    "the delegation would stay in Moscow for several more weeks",
    "the Russians would maintain their privileges in Manchuria",
    "the Americans were not prepared to defend Formosa",
];

/// What a treaty side "must" do: quoted at the end of a sentence.
pub(super) const PLEDGES: &[&str] = &[
    "must go all out to provide military and other assistance.",
    "shall immediately render military and other assistance by all means at its disposal.",
    "must consult the other on every question of common interest.",
    "is to regard an attack on one as an attack on both.",
];

/// Sayings quoted in the middle of a sentence.
pub(super) const MAXIMS: &[&str] = &[
    "in diplomatic affairs nothing was small",
    "the door remains open",
    "a new chapter in the relations of the two peoples",
    "no concessions without guarantees",
    "lean to one side",
];

pub(super) const GROUPS: &[&str] = &[
    "Korean-nationality PLA soldiers",
    "refugees",
    "prisoners of war",
    "railway workers",
    "Soviet advisers",
];

pub(super) const LIST_ITEMS: &[&str] = &[
    "The return of Port Arthur and Dairen by the end of the year after next.",
    "A loan for the purchase of industrial equipment, to be repaid in raw materials over ten years.",
    "Mutual assistance in case of attack by Japan or any state allied with it.",
    "The joint administration of the Chinese Eastern Railway.",
    "Consultation on every international question of common interest.",
    "The recognition of the independence of Outer Mongolia.",
    "Trade agreements for the coming year.",
    "The withdrawal of Soviet troops from Manchuria.",
];

pub(super) const SUBJECTS: &[&str] = &[
    "Captain Martin's reassignment",
    "the Point Four appropriations",
    "trade with the mainland",
    "the visit of the Indian delegation",
    "the press conference of the 12th",
    "aid to Yugoslavia",
    "the Philippine elections",
    "a request for documents",
];

pub(super) const MEDIA_KINDS: &[&str] = &["pic", "int", "doc", "aud", "film2"];

pub(super) const LABELS: &[&str] = &[
    "Songs of the week",
    "Films of the week",
    "Letters & Telegrams",
    "Press summary",
    "Radio monitoring",
    "Weather in Peking",
    "Books received",
    "Press/Radio digest",
];
