//! Restrictions (MS-OXCDATA 2.12): the filter language of tables, searches and rules.
//!
//! The wire encodings live in `oxmapi-wire`; this module holds the model and
//! [`Restriction::evaluate`], which applies a restriction to any [`PropertyBag`](crate::bag::PropertyBag).

mod eval;

pub use eval::{CountState, compare_values};

use crate::tag::PropTag;
use crate::value::TaggedValue;

/// `RelOp` of Property, CompareProperties and Size restrictions (MS-OXCDATA 2.12.5).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[repr(u8)]
pub enum RelOp {
    /// RELOP_LT.
    Lt = 0x00,
    /// RELOP_LE.
    Le = 0x01,
    /// RELOP_GT.
    Gt = 0x02,
    /// RELOP_GE.
    Ge = 0x03,
    /// RELOP_EQ.
    Eq = 0x04,
    /// RELOP_NE.
    Ne = 0x05,
    /// RELOP_RE: regular expression match.
    Re = 0x06,
    /// RELOP_MEMBER_OF_DL: member of a distribution list.
    MemberOfDl = 0x64,
}

impl TryFrom<u8> for RelOp {
    type Error = u8;
    fn try_from(v: u8) -> Result<Self, u8> {
        Ok(match v {
            0x00 => RelOp::Lt,
            0x01 => RelOp::Le,
            0x02 => RelOp::Gt,
            0x03 => RelOp::Ge,
            0x04 => RelOp::Eq,
            0x05 => RelOp::Ne,
            0x06 => RelOp::Re,
            0x64 => RelOp::MemberOfDl,
            other => return Err(other),
        })
    }
}

impl RelOp {
    /// The MAPI name (`RELOP_EQ`).
    pub fn name(self) -> &'static str {
        match self {
            RelOp::Lt => "RELOP_LT",
            RelOp::Le => "RELOP_LE",
            RelOp::Gt => "RELOP_GT",
            RelOp::Ge => "RELOP_GE",
            RelOp::Eq => "RELOP_EQ",
            RelOp::Ne => "RELOP_NE",
            RelOp::Re => "RELOP_RE",
            RelOp::MemberOfDl => "RELOP_MEMBER_OF_DL",
        }
    }
}

/// `BitmapRelOp` of the BitMask restriction (MS-OXCDATA 2.12.6).
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
#[repr(u8)]
pub enum BitmapRelOp {
    /// BMR_EQZ: `(value & mask) == 0`.
    Eqz = 0x00,
    /// BMR_NEZ: `(value & mask) != 0`.
    Nez = 0x01,
}

impl TryFrom<u8> for BitmapRelOp {
    type Error = u8;
    fn try_from(v: u8) -> Result<Self, u8> {
        match v {
            0 => Ok(BitmapRelOp::Eqz),
            1 => Ok(BitmapRelOp::Nez),
            other => Err(other),
        }
    }
}

/// FuzzyLevelLow: FL_FULLSTRING (MS-OXCDATA 2.12.4).
pub const FL_FULLSTRING: u16 = 0x0000;
/// FuzzyLevelLow: FL_SUBSTRING.
pub const FL_SUBSTRING: u16 = 0x0001;
/// FuzzyLevelLow: FL_PREFIX.
pub const FL_PREFIX: u16 = 0x0002;
/// FuzzyLevelLow: FL_PREFIX_ON_ANY_WORD (Exchange extension).
pub const FL_PREFIX_ON_ANY_WORD: u16 = 0x0010;
/// FuzzyLevelLow: FL_PHRASE_MATCH (Exchange extension).
pub const FL_PHRASE_MATCH: u16 = 0x0020;
/// FuzzyLevelHigh: FL_IGNORECASE.
pub const FL_IGNORECASE: u16 = 0x0001;
/// FuzzyLevelHigh: FL_IGNORENONSPACE.
pub const FL_IGNORENONSPACE: u16 = 0x0002;
/// FuzzyLevelHigh: FL_LOOSE.
pub const FL_LOOSE: u16 = 0x0004;

/// RestrictType codes (MS-OXCDATA 2.12).
pub mod restrict_type {
    /// AndRestriction.
    pub const AND: u8 = 0x00;
    /// OrRestriction.
    pub const OR: u8 = 0x01;
    /// NotRestriction.
    pub const NOT: u8 = 0x02;
    /// ContentRestriction.
    pub const CONTENT: u8 = 0x03;
    /// PropertyRestriction.
    pub const PROPERTY: u8 = 0x04;
    /// ComparePropertiesRestriction.
    pub const COMPARE_PROPERTIES: u8 = 0x05;
    /// BitMaskRestriction.
    pub const BITMASK: u8 = 0x06;
    /// SizeRestriction.
    pub const SIZE: u8 = 0x07;
    /// ExistRestriction.
    pub const EXIST: u8 = 0x08;
    /// SubObjectRestriction.
    pub const SUB_OBJECT: u8 = 0x09;
    /// CommentRestriction.
    pub const COMMENT: u8 = 0x0A;
    /// CountRestriction.
    pub const COUNT: u8 = 0x0B;
}

/// A restriction (MS-OXCDATA 2.12).
#[derive(Clone, Debug, PartialEq)]
pub enum Restriction {
    /// AndRestriction (2.12.1): all must match; an empty And matches.
    And(Vec<Restriction>),
    /// OrRestriction (2.12.2): any must match; an empty Or does not match.
    Or(Vec<Restriction>),
    /// NotRestriction (2.12.3).
    Not(Box<Restriction>),
    /// ContentRestriction (2.12.4): string or binary search.
    Content {
        /// `FuzzyLevelLow`: FL_FULLSTRING / FL_SUBSTRING / FL_PREFIX.
        fuzzy_level_low: u16,
        /// `FuzzyLevelHigh`: FL_IGNORECASE / FL_IGNORENONSPACE / FL_LOOSE bits.
        fuzzy_level_high: u16,
        /// `PropertyTag`: the property searched.
        prop_tag: PropTag,
        /// `TaggedValue`: the value searched for.
        value: TaggedValue,
    },
    /// PropertyRestriction (2.12.5): compare a property with a constant.
    Property {
        /// `RelOp`.
        relop: RelOp,
        /// `PropTag`.
        prop_tag: PropTag,
        /// `TaggedValue`.
        value: TaggedValue,
    },
    /// ComparePropertiesRestriction (2.12.6): compare two properties of the same object.
    CompareProperties {
        /// `RelOp`.
        relop: RelOp,
        /// `PropTag1`.
        prop_tag1: PropTag,
        /// `PropTag2`.
        prop_tag2: PropTag,
    },
    /// BitMaskRestriction (2.12.7).
    BitMask {
        /// `BitmapRelOp`.
        relop: BitmapRelOp,
        /// `PropTag` (an integer property).
        prop_tag: PropTag,
        /// `Mask`.
        mask: u32,
    },
    /// SizeRestriction (2.12.8): compare the size of a property value.
    Size {
        /// `RelOp`.
        relop: RelOp,
        /// `PropTag`.
        prop_tag: PropTag,
        /// `Size` in bytes.
        size: u32,
    },
    /// ExistRestriction (2.12.9).
    Exist {
        /// `PropTag`.
        prop_tag: PropTag,
    },
    /// SubObjectRestriction (2.12.10): applies to recipients or attachments.
    SubObject {
        /// `Subobject`: PR_MESSAGE_RECIPIENTS or PR_MESSAGE_ATTACHMENTS.
        subobject: PropTag,
        /// The restriction applied to each sub-object.
        restriction: Box<Restriction>,
    },
    /// CommentRestriction (2.12.11): annotations plus an optional restriction.
    Comment {
        /// `TaggedValues`.
        values: Vec<TaggedValue>,
        /// The restriction, when `RestrictionPresent` is nonzero.
        restriction: Option<Box<Restriction>>,
    },
    /// CountRestriction (2.12.12): at most `count` matches of the sub-restriction.
    Count {
        /// `Count`.
        count: u32,
        /// `SubRestriction`.
        restriction: Box<Restriction>,
    },
}

impl Restriction {
    /// The RestrictType code.
    pub fn restrict_type(&self) -> u8 {
        use restrict_type::*;
        match self {
            Restriction::And(_) => AND,
            Restriction::Or(_) => OR,
            Restriction::Not(_) => NOT,
            Restriction::Content { .. } => CONTENT,
            Restriction::Property { .. } => PROPERTY,
            Restriction::CompareProperties { .. } => COMPARE_PROPERTIES,
            Restriction::BitMask { .. } => BITMASK,
            Restriction::Size { .. } => SIZE,
            Restriction::Exist { .. } => EXIST,
            Restriction::SubObject { .. } => SUB_OBJECT,
            Restriction::Comment { .. } => COMMENT,
            Restriction::Count { .. } => COUNT,
        }
    }

    /// The MS-OXCDATA name of the restriction type (`AndRestriction`).
    pub fn type_name(&self) -> &'static str {
        match self {
            Restriction::And(_) => "AndRestriction",
            Restriction::Or(_) => "OrRestriction",
            Restriction::Not(_) => "NotRestriction",
            Restriction::Content { .. } => "ContentRestriction",
            Restriction::Property { .. } => "PropertyRestriction",
            Restriction::CompareProperties { .. } => "ComparePropertiesRestriction",
            Restriction::BitMask { .. } => "BitMaskRestriction",
            Restriction::Size { .. } => "SizeRestriction",
            Restriction::Exist { .. } => "ExistRestriction",
            Restriction::SubObject { .. } => "SubObjectRestriction",
            Restriction::Comment { .. } => "CommentRestriction",
            Restriction::Count { .. } => "CountRestriction",
        }
    }

    /// Every property tag the restriction reads on the object itself, in restriction order
    /// (duplicates kept). SubObjectRestrictions read the recipients or attachments, not the
    /// object's own properties, and add nothing.
    pub fn prop_tags(&self, out: &mut Vec<PropTag>) {
        match self {
            Restriction::And(v) | Restriction::Or(v) => v.iter().for_each(|x| x.prop_tags(out)),
            Restriction::Not(x) | Restriction::Count { restriction: x, .. } => x.prop_tags(out),
            Restriction::Comment { restriction, .. } => {
                if let Some(x) = restriction {
                    x.prop_tags(out);
                }
            }
            Restriction::Content { prop_tag, .. }
            | Restriction::Property { prop_tag, .. }
            | Restriction::BitMask { prop_tag, .. }
            | Restriction::Size { prop_tag, .. }
            | Restriction::Exist { prop_tag } => out.push(*prop_tag),
            Restriction::CompareProperties { prop_tag1, prop_tag2, .. } => {
                out.push(*prop_tag1);
                out.push(*prop_tag2);
            }
            Restriction::SubObject { .. } => {}
        }
    }

    /// Nesting depth (1 for a leaf).
    pub fn depth(&self) -> usize {
        match self {
            Restriction::And(v) | Restriction::Or(v) => {
                1 + v.iter().map(Restriction::depth).max().unwrap_or(0)
            }
            Restriction::Not(r)
            | Restriction::SubObject { restriction: r, .. }
            | Restriction::Count { restriction: r, .. } => 1 + r.depth(),
            Restriction::Comment { restriction, .. } => {
                1 + restriction.as_ref().map(|r| r.depth()).unwrap_or(0)
            }
            _ => 1,
        }
    }
}
