//! The made-up messages of the folder-size sweep: subjects of words from a word list in mixed
//! case (some with an `RE: ` or `FW: ` prefix, about 1 % with the word the substring view looks
//! for), senders, bodies of varying length (so PR_MESSAGE_SIZE varies), delivery times spread
//! over a year, PR_IMPORTANCE 0/1/2 at 10/75/15 %, 80 % read. Reproducible: the same seed gives
//! the same messages.
//!
//! The bench keeps, per message, the values its views sort and restrict on ([`Reference`]), to
//! compute what every read must return.

use oxmapi_core::bag::PropertyBag;
use oxmapi_core::catalogue::tags::{
    PR_BODY, PR_IMPORTANCE, PR_MESSAGE_CLASS, PR_MESSAGE_DELIVERY_TIME, PR_MESSAGE_FLAGS, PR_SENDER_NAME,
    PR_SUBJECT,
};
use oxmapi_core::consts::message_flags::MSGFLAG_READ;
use oxmapi_core::tag::PropTag;
use oxmapi_core::time::FileTime;
use oxmapi_core::value::{PropValue, TaggedValue};

use super::super::rng::Rng;
use super::{DAY, tv};

/// Subject words. None contains [`RARE_WORD`]'s substring [`super::views::NEEDLE`].
const WORDS: [&str; 48] = [
    "quarterly",
    "figures",
    "meeting",
    "notes",
    "travel",
    "plans",
    "invoice",
    "build",
    "failed",
    "on",
    "main",
    "lunch",
    "contract",
    "draft",
    "weekly",
    "status",
    "budget",
    "review",
    "project",
    "update",
    "team",
    "offsite",
    "agenda",
    "minutes",
    "release",
    "schedule",
    "customer",
    "feedback",
    "hiring",
    "interview",
    "report",
    "sales",
    "forecast",
    "server",
    "outage",
    "holiday",
    "party",
    "training",
    "security",
    "audit",
    "design",
    "proposal",
    "roadmap",
    "question",
    "about",
    "the",
    "new",
    "office",
];

/// The word about 1 % of subjects contain (in one of three spellings).
const RARE_WORD: [&str; 3] = ["Zeppelin", "zeppelin", "ZEPPELIN"];

/// Sender display names are `first last` from these.
const FIRST: [&str; 12] =
    ["Anna", "Ben", "Chloé", "David", "Emma", "Farid", "Grace", "Hiro", "Ines", "Jonas", "Kofi", "Lena"];
const LAST: [&str; 10] =
    ["Meyer", "Okafor", "Dubois", "Tanaka", "Silva", "Novak", "Larsen", "Haddad", "Kowalski", "Reyes"];

/// Body text; a message's body is a prefix of it, so sizes vary.
const BODY_TEXT: &str = "Hello,\r\n\r\nplease find the figures for this quarter below. The numbers are \
    preliminary; the final report follows next week. Let me know if anything looks off, in particular \
    the travel costs, which came in higher than planned because of the offsite. The customer feedback \
    section is new this time.\r\n\r\nRegards,\r\nThe bench\r\n";

/// What the bench keeps of a seeded message: the values the sweep's views sort and restrict on.
pub(super) struct Reference {
    /// PR_SUBJECT (Unicode).
    pub(super) subject: PropValue,
    /// PR_MESSAGE_DELIVERY_TIME (SysTime).
    pub(super) delivery: PropValue,
    /// PR_IMPORTANCE (I32).
    pub(super) importance: PropValue,
}

impl PropertyBag for Reference {
    fn get(&self, tag: PropTag) -> Option<&PropValue> {
        match tag.id() {
            id if id == PR_SUBJECT.id() => Some(&self.subject),
            id if id == PR_MESSAGE_DELIVERY_TIME.id() => Some(&self.delivery),
            id if id == PR_IMPORTANCE.id() => Some(&self.importance),
            _ => None,
        }
    }
}

/// A generator of sweep messages.
pub(super) struct Corpus {
    rng: Rng,
    now: u64,
}

impl Corpus {
    /// A generator whose delivery times lie in the year before `now` (FILETIME).
    pub(super) fn new(seed: u64, now: u64) -> Corpus {
        Corpus { rng: Rng(seed | 1), now }
    }

    fn pick<'a>(&mut self, list: &[&'a str]) -> &'a str {
        list[(self.rng.next() % list.len() as u64) as usize]
    }

    /// A word in mixed case: mostly lower case, some capitalised, a few in capitals.
    fn word(&mut self) -> String {
        let w = self.pick(&WORDS);
        match self.rng.next() % 10 {
            0..6 => w.to_string(),
            6..9 => w[..1].to_uppercase() + &w[1..],
            _ => w.to_uppercase(),
        }
    }

    fn subject(&mut self) -> String {
        let mut words: Vec<String> = (0..3 + self.rng.next() % 4).map(|_| self.word()).collect();
        if self.rng.next() % 100 == 0 {
            let at = (self.rng.next() % words.len() as u64) as usize;
            words[at] = self.pick(&RARE_WORD).to_string();
        }
        let prefix = match self.rng.next() % 10 {
            0 => "RE: ",
            1 => "FW: ",
            _ => "",
        };
        format!("{prefix}{}", words.join(" "))
    }

    /// The next message: the properties to set and what the bench keeps of it.
    pub(super) fn next_message(&mut self) -> (Vec<TaggedValue>, Reference) {
        let subject = self.subject();
        let r = self.rng.next();
        let delivery = self.now - (r % (365 * DAY));
        let importance = match (r >> 40) % 100 {
            0..10 => 0,
            10..85 => 1,
            _ => 2,
        };
        let read = (r >> 48) % 10 < 8;
        let sender = format!("{} {}", self.pick(&FIRST), self.pick(&LAST));
        let body_len = 40 + (self.rng.next() % (BODY_TEXT.len() as u64 - 40)) as usize;
        let body = BODY_TEXT.get(..body_len).unwrap_or(BODY_TEXT);
        let reference = Reference {
            subject: PropValue::Unicode(subject),
            delivery: PropValue::SysTime(FileTime(delivery)),
            importance: PropValue::I32(importance),
        };
        let props = vec![
            tv(PR_SUBJECT, reference.subject.clone()),
            tv(PR_MESSAGE_CLASS, PropValue::Unicode("IPM.Note".into())),
            tv(PR_SENDER_NAME, PropValue::Unicode(sender)),
            tv(PR_BODY, PropValue::Unicode(body.into())),
            tv(PR_MESSAGE_DELIVERY_TIME, reference.delivery.clone()),
            tv(PR_IMPORTANCE, reference.importance.clone()),
            tv(PR_MESSAGE_FLAGS, PropValue::I32(if read { MSGFLAG_READ as i32 } else { 0 })),
        ];
        (props, reference)
    }
}
