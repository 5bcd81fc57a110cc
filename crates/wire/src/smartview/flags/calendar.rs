//! Calendar tables: recurrence patterns, exceptions and time zone rules (MS-OXOCAL).

use oxmapi_core::consts::FlagName;

/// RecurFrequency (MS-OXOCAL 2.2.1.44.1).
pub const RECUR_FREQUENCY: &[FlagName] =
    &[(0x200A, "Daily"), (0x200B, "Weekly"), (0x200C, "Monthly"), (0x200D, "Yearly")];

/// PatternType (MS-OXOCAL 2.2.1.44.1).
pub const PATTERN_TYPE: &[FlagName] = &[
    (0x0000, "Day"),
    (0x0001, "Week"),
    (0x0002, "Month"),
    (0x0003, "MonthEnd"),
    (0x0004, "MonthNth"),
    (0x000A, "HjMonth"),
    (0x000B, "HjMonthNth"),
    (0x000C, "HjMonthEnd"),
];

/// CalendarType (MS-OXOCAL 2.2.1.44.1).
pub const CALENDAR_TYPE: &[FlagName] = &[
    (0x00, "CAL_DEFAULT"),
    (0x01, "CAL_GREGORIAN"),
    (0x02, "CAL_GREGORIAN_US"),
    (0x03, "CAL_JAPAN"),
    (0x04, "CAL_TAIWAN"),
    (0x05, "CAL_KOREA"),
    (0x06, "CAL_HIJRI"),
    (0x07, "CAL_THAI"),
    (0x08, "CAL_HEBREW"),
    (0x09, "CAL_GREGORIAN_ME_FRENCH"),
    (0x0A, "CAL_GREGORIAN_ARABIC"),
    (0x0B, "CAL_GREGORIAN_XLIT_ENGLISH"),
    (0x0C, "CAL_GREGORIAN_XLIT_FRENCH"),
    (0x0E, "CAL_LUNAR_JAPANESE"),
    (0x0F, "CAL_CHINESE_LUNAR"),
    (0x10, "CAL_SAKA"),
    (0x11, "CAL_LUNAR_ETO_CHN"),
    (0x12, "CAL_LUNAR_ETO_KOR"),
    (0x13, "CAL_LUNAR_ROKUYOU"),
    (0x14, "CAL_LUNAR_KOREAN"),
    (0x17, "CAL_UMALQURA"),
];

/// Days of the week bits of the Week and MonthNth patterns (MS-OXOCAL 2.2.1.44.1.2).
pub const DAYS_OF_WEEK: &[FlagName] =
    &[(0x01, "Su"), (0x02, "M"), (0x04, "Tu"), (0x08, "W"), (0x10, "Th"), (0x20, "F"), (0x40, "Sa")];

/// EndType (MS-OXOCAL 2.2.1.44.1).
pub const END_TYPE: &[FlagName] = &[
    (0x2021, "EndAfterDate"),
    (0x2022, "EndAfterNOccurrences"),
    (0x2023, "NeverEnd"),
    (0xFFFF_FFFF, "NeverEnd"),
];

/// FirstDOW (MS-OXOCAL 2.2.1.44.1).
pub const FIRST_DOW: &[FlagName] = &[
    (0, "Sunday"),
    (1, "Monday"),
    (2, "Tuesday"),
    (3, "Wednesday"),
    (4, "Thursday"),
    (5, "Friday"),
    (6, "Saturday"),
];

/// OverrideFlags of an ExceptionInfo (MS-OXOCAL 2.2.1.44.3).
pub const OVERRIDE_FLAGS: &[FlagName] = &[
    (0x0001, "ARO_SUBJECT"),
    (0x0002, "ARO_MEETINGTYPE"),
    (0x0004, "ARO_REMINDERDELTA"),
    (0x0008, "ARO_REMINDER"),
    (0x0010, "ARO_LOCATION"),
    (0x0020, "ARO_BUSYSTATUS"),
    (0x0040, "ARO_ATTACHMENT"),
    (0x0080, "ARO_SUBTYPE"),
    (0x0100, "ARO_APPTCOLOR"),
    (0x0200, "ARO_EXCEPTIONAL_BODY"),
];

/// ChangeHighlight bits (MS-OXOCAL 2.2.6.2 PidLidChangeHighlight).
pub const CHANGE_HIGHLIGHT: &[FlagName] = &[
    (0x0001, "BIT_CH_START"),
    (0x0002, "BIT_CH_END"),
    (0x0004, "BIT_CH_RECUR"),
    (0x0008, "BIT_CH_LOCATION"),
    (0x0010, "BIT_CH_SUBJECT"),
    (0x0020, "BIT_CH_REQATT"),
    (0x0040, "BIT_CH_OPTATT"),
    (0x0080, "BIT_CH_BODY"),
    (0x0100, "BIT_CH_CUSTOM"),
    (0x0200, "BIT_CH_RESPONSE"),
    (0x0400, "BIT_CH_ALLOWPROPOSE"),
];

/// TZRule flags (MS-OXOCAL 2.2.1.41.1).
pub const TZRULE_FLAGS: &[FlagName] =
    &[(0x0001, "TZRULE_FLAG_RECUR_CURRENT_TZREG"), (0x0002, "TZRULE_FLAG_EFFECTIVE_TZREG")];
