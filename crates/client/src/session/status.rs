//! The session status table (IMAPISession::GetStatusTable, MAPI status objects): one row for the
//! MAPI subsystem and one per provider of the profile, with its state for this session.

use oxmapi_core::MapiError;
use oxmapi_core::guid::MapiUid;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};

use crate::profile::ProviderKind;
use crate::profile::consts::resource_type;

/// PR_STATUS_CODE bits (MAPI status objects).
pub mod status_code {
    /// STATUS_AVAILABLE.
    pub const STATUS_AVAILABLE: u32 = 0x0000_0001;
    /// STATUS_OFFLINE.
    pub const STATUS_OFFLINE: u32 = 0x0000_0002;
    /// STATUS_FAILURE.
    pub const STATUS_FAILURE: u32 = 0x0000_0004;
}

/// PR_STATUS_CODE.
pub const PR_STATUS_CODE: PropTag = PropTag(0x3E04_0003);
/// PR_STATUS_STRING (Unicode).
pub const PR_STATUS_STRING: PropTag = PropTag(0x3E08_001F);
/// PR_RESOURCE_TYPE.
pub const PR_RESOURCE_TYPE: PropTag = PropTag(0x3E03_0003);
/// PR_RESOURCE_FLAGS.
pub const PR_RESOURCE_FLAGS: PropTag = PropTag(0x3009_0003);
/// PR_PROVIDER_DISPLAY (Unicode).
pub const PR_PROVIDER_DISPLAY: PropTag = PropTag(0x3006_001F);
/// PR_DISPLAY_NAME (Unicode).
pub const PR_DISPLAY_NAME: PropTag = PropTag(0x3001_001F);
/// PR_IDENTITY_DISPLAY (Unicode).
pub const PR_IDENTITY_DISPLAY: PropTag = PropTag(0x3E00_001F);
/// PR_PROVIDER_UID.
pub const PR_PROVIDER_UID: PropTag = PropTag(0x300C_0102);

/// A provider's state in this session.
#[derive(Clone, Debug, PartialEq)]
pub enum ProviderState {
    /// Logged on and usable.
    Available,
    /// Not started (logs on when first used, or not needed for this logon, e.g. MAPI_NO_MAIL).
    NotStarted(String),
    /// Disabled for the rest of the session after its logon failed twice; calls on it return
    /// MAPI_E_FAILONEPROVIDER.
    Disabled(MapiError),
}

/// One row of the status table.
#[derive(Clone, Debug, PartialEq)]
pub struct StatusRow {
    /// PR_DISPLAY_NAME.
    pub display_name: String,
    /// PR_PROVIDER_DISPLAY.
    pub provider_display: String,
    /// The mapisvc.inf name (`EMS_MDB_private`; `MAPI` for the subsystem row).
    pub provider_name: String,
    /// PR_PROVIDER_UID (absent for the subsystem row).
    pub provider_uid: Option<MapiUid>,
    /// PR_RESOURCE_TYPE.
    pub resource_type: u32,
    /// PR_RESOURCE_FLAGS.
    pub resource_flags: u32,
    /// The state.
    pub state: ProviderState,
    /// PR_IDENTITY_DISPLAY: who the provider is logged on as.
    pub identity: Option<String>,
}

impl StatusRow {
    /// The subsystem row.
    pub fn subsystem() -> StatusRow {
        StatusRow {
            display_name: "MAPI Subsystem".into(),
            provider_display: "MAPI Subsystem".into(),
            provider_name: "MAPI".into(),
            provider_uid: None,
            resource_type: resource_type::MAPI_SUBSYSTEM,
            resource_flags: 0,
            state: ProviderState::Available,
            identity: None,
        }
    }

    /// PR_STATUS_CODE.
    pub fn status_code(&self) -> u32 {
        match self.state {
            ProviderState::Available => status_code::STATUS_AVAILABLE,
            ProviderState::NotStarted(_) => status_code::STATUS_OFFLINE,
            ProviderState::Disabled(_) => status_code::STATUS_FAILURE,
        }
    }

    /// PR_STATUS_STRING.
    pub fn status_string(&self) -> String {
        match &self.state {
            ProviderState::Available => "available".into(),
            ProviderState::NotStarted(why) => format!("not started: {why}"),
            ProviderState::Disabled(e) => format!("disabled for this session: {e}"),
        }
    }

    /// The row as property values.
    pub fn props(&self) -> Vec<TaggedValue> {
        let mut v = vec![
            TaggedValue { tag: PR_DISPLAY_NAME, value: PropValue::Unicode(self.display_name.clone()) },
            TaggedValue {
                tag: PR_PROVIDER_DISPLAY,
                value: PropValue::Unicode(self.provider_display.clone()),
            },
            TaggedValue { tag: PR_RESOURCE_TYPE, value: PropValue::I32(self.resource_type as i32) },
            TaggedValue { tag: PR_RESOURCE_FLAGS, value: PropValue::I32(self.resource_flags as i32) },
            TaggedValue { tag: PR_STATUS_CODE, value: PropValue::I32(self.status_code() as i32) },
            TaggedValue { tag: PR_STATUS_STRING, value: PropValue::Unicode(self.status_string()) },
        ];
        if let Some(uid) = self.provider_uid {
            v.push(TaggedValue { tag: PR_PROVIDER_UID, value: PropValue::Binary(uid.0.to_vec()) });
        }
        if let Some(id) = &self.identity {
            v.push(TaggedValue { tag: PR_IDENTITY_DISPLAY, value: PropValue::Unicode(id.clone()) });
        }
        v
    }

    /// Whether the row is a provider of `kind`.
    pub fn is(&self, kind: ProviderKind) -> bool {
        self.resource_type == kind.resource_type()
    }
}
