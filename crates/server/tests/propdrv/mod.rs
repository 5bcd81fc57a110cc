//! Raw ROP builders and response readers shared by the property and stream conformance tests
//! (tests/properties.rs, tests/streams.rs), on top of the `common` MAPI/HTTP driver.
#![allow(dead_code)]

use oxmapi_core::ids::ObjectId;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::outcome::Rows;
use oxmapi_wire::rop::oxcmsg::*;
use oxmapi_wire::rop::oxcprpt::*;
use oxmapi_wire::rop::request::RopRequest;
use oxmapi_wire::rop::response::RopResponse;

use super::common::*;

pub const PR_SUBJECT: PropTag = PropTag(0x0037_001F);
pub const PR_BODY: PropTag = PropTag(0x1000_001F);
pub const PR_IMPORTANCE: PropTag = PropTag(0x0017_0003);
pub const PR_DISPLAY_NAME: PropTag = PropTag(0x3001_001F);
pub const PR_COMMENT: PropTag = PropTag(0x3004_001F);
pub const PR_MESSAGE_SIZE: PropTag = PropTag(0x0E08_0003);
pub const PR_CONTENT_COUNT: PropTag = PropTag(0x3602_0003);
pub const PR_ATTACH_DATA_BIN: PropTag = PropTag(0x3701_0102);
pub const PR_ATTACH_LONG_FILENAME: PropTag = PropTag(0x3707_001F);
/// A custom binary property (no meaning; any id below 0x8000 the store does not compute).
pub const PR_X_BIN: PropTag = PropTag(0x6701_0102);
/// A custom Unicode property.
pub const PR_X_TEXT: PropTag = PropTag(0x6702_001F);

/// SaveFlags KeepOpenReadWrite.
pub const KEEP_OPEN_READ_WRITE: u8 = 0x02;

/// A logged-on session: slot 0 of every handle table is the logon.
pub struct Ctx {
    pub m: Mapi,
    pub logon: u32,
    pub inbox: ObjectId,
    pub ipm: ObjectId,
}

impl Ctx {
    /// A handle table: the logon, then `extra` (UNUSED_HANDLE for slots ROPs fill).
    pub fn table(&self, extra: &[u32]) -> Vec<u32> {
        let mut h = vec![self.logon];
        h.extend_from_slice(extra);
        h
    }

    /// Runs ROPs with the logon in slot 0 and `n` empty slots after it.
    pub async fn run(&mut self, reqs: &[RopRequest], n: usize) -> (Vec<RopResponse>, Vec<u32>) {
        let h = self.table(&vec![UNUSED_HANDLE; n]);
        self.m.rops(reqs, h).await
    }
}

pub async fn setup() -> (TestServer, Ctx) {
    let ts = TestServer::start().await;
    let alice = ts.add_user("alice", false);
    let l = logon_private(&ts, &alice).await;
    let ctx = Ctx { inbox: l.inbox(), ipm: l.folders[3], logon: l.handle, m: l.m };
    (ts, ctx)
}

pub fn tv(tag: PropTag, value: PropValue) -> TaggedValue {
    TaggedValue { tag, value }
}

pub fn text(s: &str) -> PropValue {
    PropValue::Unicode(s.into())
}

pub use super::common::req::{get_props, open_folder, open_message, release, set_props};
pub use super::common::rv;

/// RopCreateFolder of a new generic folder.
pub fn create_folder(input: u8, out: u8, name: &str) -> RopRequest {
    req::create_folder(input, out, name, false)
}

pub fn created_folder(r: &RopResponse) -> ObjectId {
    let RopResponse::CreateFolder(o) = r else { panic!("{r:?}") };
    o.body.as_ref().unwrap_or_else(|| panic!("{r:?}")).folder_id
}

/// RopCreateMessage of a normal message.
pub fn create_message(input: u8, out: u8, fid: ObjectId) -> RopRequest {
    req::create_message(input, out, fid, false)
}

/// RopSaveChangesMessage answering in the message's own slot.
pub fn save_message(index: u8, flags: u8) -> RopRequest {
    req::save_message(index, index, flags)
}

pub fn saved_mid(r: &RopResponse) -> ObjectId {
    let RopResponse::SaveChangesMessage(o) = r else { panic!("{r:?}") };
    o.body.as_ref().unwrap_or_else(|| panic!("{r:?}")).message_id
}

pub fn create_attachment(msg: u8, out: u8) -> RopRequest {
    RopRequest::CreateAttachment(CreateAttachmentRequest {
        logon_id: 0,
        input_handle_index: msg,
        output_handle_index: out,
    })
}

pub fn open_attachment(msg: u8, out: u8, num: u32, flags: u8) -> RopRequest {
    RopRequest::OpenAttachment(OpenAttachmentRequest {
        logon_id: 0,
        input_handle_index: msg,
        output_handle_index: out,
        open_attachment_flags: flags,
        attachment_id: num,
    })
}

pub fn save_attachment(att: u8, msg: u8) -> RopRequest {
    RopRequest::SaveChangesAttachment(SaveChangesAttachmentRequest {
        logon_id: 0,
        response_handle_index: msg,
        input_handle_index: att,
        save_flags: KEEP_OPEN_READ_WRITE,
    })
}

pub fn get_all(index: u8) -> RopRequest {
    RopRequest::GetPropertiesAll(GetPropertiesAllRequest {
        logon_id: 0,
        input_handle_index: index,
        property_size_limit: 0,
        want_unicode: 1,
    })
}

pub fn get_list(index: u8) -> RopRequest {
    RopRequest::GetPropertiesList(HandleRequest { logon_id: 0, input_handle_index: index })
}

pub fn delete_props(index: u8, tags: &[PropTag]) -> RopRequest {
    RopRequest::DeleteProperties(DeletePropertiesRequest {
        logon_id: 0,
        input_handle_index: index,
        property_tags: tags.to_vec(),
    })
}

/// The cells of a RopGetPropertiesSpecific response.
pub fn row(r: &RopResponse) -> Vec<RowValue> {
    let RopResponse::GetPropertiesSpecific(o) = r else { panic!("{r:?}") };
    assert_eq!(o.return_value, 0, "{r:?}");
    let Rows::Decoded { rows, .. } = &o.body.as_ref().unwrap().row else { panic!("{r:?}") };
    rows[0].values.clone()
}

/// The value of one cell, `None` when the property is missing (or an error).
pub fn cell(r: &RopResponse, i: usize) -> Option<PropValue> {
    row(r)[i].value().cloned()
}

/// `(Index, PropertyTag, ErrorCode)` of each PropertyProblem of a set/delete/copy response.
pub fn problems(r: &RopResponse) -> Vec<(u16, u32, u32)> {
    let list = match r {
        RopResponse::SetProperties(o)
        | RopResponse::DeleteProperties(o)
        | RopResponse::SetPropertiesNoReplicate(o)
        | RopResponse::DeletePropertiesNoReplicate(o) => {
            assert_eq!(o.return_value, 0, "{r:?}");
            o.body.as_ref().unwrap().problems.clone()
        }
        RopResponse::CopyProperties(o) | RopResponse::CopyTo(o) => {
            assert_eq!(o.return_value, 0, "{r:?}");
            match o.body.as_ref().unwrap() {
                CopyPropertiesResponse::Problems(p) => p.clone(),
                other => panic!("{other:?}"),
            }
        }
        other => panic!("{other:?}"),
    };
    list.iter().map(|p| (p.index, p.tag.0, p.error.0)).collect()
}

/// A message with `values` created in `fid` and saved (closed afterwards); its MID.
pub async fn saved_message(c: &mut Ctx, fid: ObjectId, values: Vec<TaggedValue>) -> ObjectId {
    let reqs =
        [create_message(0, 1, fid), set_props(1, values), save_message(1, KEEP_OPEN_READ_WRITE), release(1)];
    let (resp, _) = c.run(&reqs, 1).await;
    assert_eq!(rv(&resp[0]), 0, "{:?}", resp[0]);
    assert!(problems(&resp[1]).is_empty(), "{:?}", resp[1]);
    saved_mid(&resp[2])
}
