//! Property types (MS-OXCDATA 2.11.1).

use std::fmt;

/// `MV_FLAG`: the property is multi-valued (MS-OXCDATA 2.11.1).
pub const MV_FLAG: u16 = 0x1000;
/// `MV_INSTANCE`: one table row per value of a multi-valued column (MS-OXCTABL 2.2.2.2.1).
pub const MV_INSTANCE: u16 = 0x2000;
/// `MVI_FLAG` = `MV_FLAG | MV_INSTANCE`.
pub const MVI_FLAG: u16 = MV_FLAG | MV_INSTANCE;

macro_rules! prop_types {
    ($( $(#[$m:meta])* $variant:ident = $value:literal, $ptyp:literal, $pt:literal; )*) => {
        /// A property type code (MS-OXCDATA 2.11.1), without the `MV_INSTANCE` flag.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        #[repr(u16)]
        pub enum PropType {
            $( $(#[$m])* $variant = $value, )*
        }

        impl PropType {
            /// Every property type, in code order.
            pub const ALL: &'static [PropType] = &[ $( PropType::$variant, )* ];

            /// The canonical MS-OXCDATA name (`PtypString`).
            pub fn ptyp_name(self) -> &'static str {
                match self { $( PropType::$variant => $ptyp, )* }
            }

            /// The MAPI SDK name (`PT_UNICODE`).
            pub fn pt_name(self) -> &'static str {
                match self { $( PropType::$variant => $pt, )* }
            }
        }

        impl TryFrom<u16> for PropType {
            type Error = UnknownPropType;
            /// Accepts a type code; the `MV_INSTANCE` bit is ignored.
            fn try_from(v: u16) -> Result<Self, Self::Error> {
                match v & !MV_INSTANCE {
                    $( $value => Ok(PropType::$variant), )*
                    _ => Err(UnknownPropType(v)),
                }
            }
        }
    };
}

prop_types! {
    /// Any type: only in requests; the server answers with the real type.
    Unspecified = 0x0000, "PtypUnspecified", "PT_UNSPECIFIED";
    /// No value.
    Null = 0x0001, "PtypNull", "PT_NULL";
    /// 16-bit signed integer.
    Integer16 = 0x0002, "PtypInteger16", "PT_SHORT";
    /// 32-bit signed integer.
    Integer32 = 0x0003, "PtypInteger32", "PT_LONG";
    /// IEEE single.
    Floating32 = 0x0004, "PtypFloating32", "PT_FLOAT";
    /// IEEE double.
    Floating64 = 0x0005, "PtypFloating64", "PT_DOUBLE";
    /// Fixed-point currency: signed 64-bit, value × 10000.
    Currency = 0x0006, "PtypCurrency", "PT_CURRENCY";
    /// Days since 1899-12-30 as a double.
    FloatingTime = 0x0007, "PtypFloatingTime", "PT_APPTIME";
    /// A 32-bit error code.
    ErrorCode = 0x000A, "PtypErrorCode", "PT_ERROR";
    /// Boolean (1 byte on the wire).
    Boolean = 0x000B, "PtypBoolean", "PT_BOOLEAN";
    /// An object (opened with RopOpenStream / OpenEmbeddedMessage); NSPI: an address-list reference.
    Object = 0x000D, "PtypObject", "PT_OBJECT";
    /// 64-bit signed integer.
    Integer64 = 0x0014, "PtypInteger64", "PT_I8";
    /// 8-bit string in the session code page.
    String8 = 0x001E, "PtypString8", "PT_STRING8";
    /// UTF-16LE string.
    String = 0x001F, "PtypString", "PT_UNICODE";
    /// FILETIME: 100-ns units since 1601-01-01 UTC.
    Time = 0x0040, "PtypTime", "PT_SYSTIME";
    /// A GUID.
    Guid = 0x0048, "PtypGuid", "PT_CLSID";
    /// Server id (counted bytes).
    ServerId = 0x00FB, "PtypServerId", "PT_SVREID";
    /// A restriction.
    Restriction = 0x00FD, "PtypRestriction", "PT_SRESTRICTION";
    /// Rule actions (MS-OXORULE).
    RuleAction = 0x00FE, "PtypRuleAction", "PT_ACTIONS";
    /// Counted bytes.
    Binary = 0x0102, "PtypBinary", "PT_BINARY";
    /// Multiple 16-bit integers.
    MultipleInteger16 = 0x1002, "PtypMultipleInteger16", "PT_MV_SHORT";
    /// Multiple 32-bit integers.
    MultipleInteger32 = 0x1003, "PtypMultipleInteger32", "PT_MV_LONG";
    /// Multiple singles.
    MultipleFloating32 = 0x1004, "PtypMultipleFloating32", "PT_MV_FLOAT";
    /// Multiple doubles.
    MultipleFloating64 = 0x1005, "PtypMultipleFloating64", "PT_MV_DOUBLE";
    /// Multiple currency values.
    MultipleCurrency = 0x1006, "PtypMultipleCurrency", "PT_MV_CURRENCY";
    /// Multiple floating times.
    MultipleFloatingTime = 0x1007, "PtypMultipleFloatingTime", "PT_MV_APPTIME";
    /// Multiple 64-bit integers.
    MultipleInteger64 = 0x1014, "PtypMultipleInteger64", "PT_MV_I8";
    /// Multiple 8-bit strings.
    MultipleString8 = 0x101E, "PtypMultipleString8", "PT_MV_STRING8";
    /// Multiple UTF-16 strings.
    MultipleString = 0x101F, "PtypMultipleString", "PT_MV_UNICODE";
    /// Multiple FILETIMEs.
    MultipleTime = 0x1040, "PtypMultipleTime", "PT_MV_SYSTIME";
    /// Multiple GUIDs.
    MultipleGuid = 0x1048, "PtypMultipleGuid", "PT_MV_CLSID";
    /// Multiple binaries.
    MultipleBinary = 0x1102, "PtypMultipleBinary", "PT_MV_BINARY";
}

/// A type code outside MS-OXCDATA 2.11.1.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("unknown property type 0x{0:04X}")]
pub struct UnknownPropType(pub u16);

impl PropType {
    /// The type code.
    pub fn code(self) -> u16 {
        self as u16
    }
    /// True for the PtypMultiple* types.
    pub fn is_multi(self) -> bool {
        self.code() & MV_FLAG != 0
    }
    /// The element type of a multi-valued type; the type itself otherwise.
    pub fn element(self) -> PropType {
        if self.is_multi() { PropType::try_from(self.code() & !MV_FLAG).unwrap_or(self) } else { self }
    }
    /// The multi-valued form of a single-valued type, where MS-OXCDATA defines one.
    pub fn multi(self) -> Option<PropType> {
        if self.is_multi() {
            return Some(self);
        }
        PropType::try_from(self.code() | MV_FLAG).ok()
    }
    /// True for the two string types (single-valued).
    pub fn is_string(self) -> bool {
        matches!(self, PropType::String | PropType::String8)
    }
    /// Fixed size of one value on the wire, for fixed-size types.
    pub fn fixed_size(self) -> Option<usize> {
        Some(match self {
            PropType::Null | PropType::Unspecified => 0,
            PropType::Integer16 => 2,
            PropType::Boolean => 1,
            PropType::Integer32 | PropType::Floating32 | PropType::ErrorCode | PropType::Object => 4,
            PropType::Floating64
            | PropType::Currency
            | PropType::FloatingTime
            | PropType::Integer64
            | PropType::Time => 8,
            PropType::Guid => 16,
            _ => return None,
        })
    }
    /// Looks a type up by its Ptyp, PT_ name or hex code.
    pub fn from_name(s: &str) -> Option<PropType> {
        let t = s.trim();
        if let Some(h) = t.strip_prefix("0x").or_else(|| t.strip_prefix("0X")) {
            return u16::from_str_radix(h, 16).ok().and_then(|v| PropType::try_from(v).ok());
        }
        PropType::ALL.iter().copied().find(|p| {
            p.ptyp_name().eq_ignore_ascii_case(t)
                || p.pt_name().eq_ignore_ascii_case(t)
                || (t.eq_ignore_ascii_case("PT_I2") && *p == PropType::Integer16)
                || (t.eq_ignore_ascii_case("PT_I4") && *p == PropType::Integer32)
                || (t.eq_ignore_ascii_case("PT_R4") && *p == PropType::Floating32)
                || (t.eq_ignore_ascii_case("PT_R8") && *p == PropType::Floating64)
                || (t.eq_ignore_ascii_case("PT_LONGLONG") && *p == PropType::Integer64)
                || (t.eq_ignore_ascii_case("PtypEmbeddedTable") && *p == PropType::Object)
        })
    }
}

impl fmt::Display for PropType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.ptyp_name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_flags() {
        assert_eq!(PropType::try_from(0x001F).unwrap(), PropType::String);
        assert_eq!(PropType::try_from(0x301F).unwrap(), PropType::MultipleString);
        assert!(PropType::try_from(0x0009).is_err());
        assert_eq!(PropType::MultipleBinary.element(), PropType::Binary);
        assert_eq!(PropType::Integer32.multi(), Some(PropType::MultipleInteger32));
        assert_eq!(PropType::Boolean.multi(), None);
        assert_eq!(PropType::from_name("PT_UNICODE"), Some(PropType::String));
        assert_eq!(PropType::from_name("0x0102"), Some(PropType::Binary));
        assert_eq!(PropType::ALL.len(), 32);
    }
}
