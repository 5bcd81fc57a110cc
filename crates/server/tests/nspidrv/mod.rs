//! A raw NSPI driver for the address book endpoint `/mapi/nspi/`, built from oxmapi-wire bodies
//! only (like the EMSMDB driver in `common`), with its own session context and cookies.
#![allow(dead_code)]

use std::collections::HashMap;

use oxmapi_core::catalogue::tags::*;
use oxmapi_core::ptype::PropType;
use oxmapi_core::restriction::{RelOp, Restriction};
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::{PropValue, TaggedValue};
use oxmapi_store::NewUser;
use oxmapi_wire::cdata::RowValue;
use oxmapi_wire::mapihttp::common::{Response, SuccessBody};
use oxmapi_wire::mapihttp::nspi::*;

use crate::common::{Conn, PASSWORD, Post, Reply, TestServer, basic, mapi_post};

/// The STAT a client starts with: the GAL, its beginning, Windows-1252, en-US.
pub fn stat() -> Stat {
    Stat {
        sort_type: SORT_TYPE_DISPLAY_NAME,
        container_id: 0,
        current_rec: MID_BEGINNING_OF_TABLE,
        delta: 0,
        num_pos: 0,
        total_recs: 0,
        code_page: 1252,
        template_locale: NSPI_DEFAULT_LOCALE,
        sort_locale: NSPI_DEFAULT_LOCALE,
    }
}

/// One address book client context.
pub struct Nspi {
    pub conn: Conn,
    pub auth: String,
    pub cookies: HashMap<String, String>,
    pub path: String,
    pub version: String,
    counter: u32,
}

impl Nspi {
    pub async fn new(ts: &TestServer, user: &str) -> Nspi {
        Nspi {
            conn: Conn::open(ts.addr()).await,
            auth: basic(user, PASSWORD),
            cookies: HashMap::new(),
            path: "/mapi/nspi/?MailboxId=00000000-0000-0000-0000-000000000000@oxmapi.local".into(),
            version: "Outlook/16.0.10000.1000".into(),
            counter: 0,
        }
    }

    /// Sends one request with the context's cookies; keeps the cookies the answer sets.
    pub async fn request(&mut self, request_type: &str, body: Vec<u8>) -> Reply {
        self.counter += 1;
        let ctx = Post { auth: &self.auth, version: &self.version, counter: self.counter };
        mapi_post(&mut self.conn, &self.path, &ctx, &mut self.cookies, request_type, body).await
    }

    /// Sends a request that must be accepted (X-ResponseCode 0) with a success body.
    pub async fn call<T: SuccessBody + std::fmt::Debug>(&mut self, request_type: &str, body: Vec<u8>) -> T {
        let r = self.request(request_type, body).await;
        assert_eq!(r.response_code(), Some(0), "{request_type}: {}", String::from_utf8_lossy(&r.body));
        match Response::<T>::decode(&r.mapi_body()).unwrap_or_else(|e| panic!("{request_type} response: {e}"))
        {
            Response::Success(s) => s,
            Response::Failure(f) => panic!("{request_type}: failure body {f:?}"),
        }
    }

    pub async fn bind_with(&mut self, flags: u32, state: Option<Stat>) -> BindSuccess {
        let req = BindRequest { flags, state, auxiliary_buffer: vec![] };
        self.call("Bind", req.encode()).await
    }

    /// Binds with [`stat`]; panics unless ErrorCode is 0.
    pub async fn bind(&mut self) -> BindSuccess {
        let b = self.bind_with(0, Some(stat())).await;
        assert_eq!(b.error_code, 0, "Bind");
        b
    }

    pub async fn unbind(&mut self) -> UnbindSuccess {
        self.call("Unbind", UnbindRequest { reserved: 0, auxiliary_buffer: vec![] }.encode()).await
    }

    pub async fn update_stat(&mut self, state: Stat, delta_requested: bool) -> UpdateStatSuccess {
        let req =
            UpdateStatRequest { reserved: 0, state: Some(state), delta_requested, auxiliary_buffer: vec![] };
        self.call("UpdateStat", req.encode()).await
    }

    pub async fn query_rows(
        &mut self,
        flags: u32,
        state: Stat,
        explicit_table: Vec<u32>,
        row_count: u32,
        columns: Option<Vec<PropTag>>,
    ) -> QueryRowsSuccess {
        let req = QueryRowsRequest {
            flags,
            state: Some(state),
            explicit_table,
            row_count,
            columns,
            auxiliary_buffer: vec![],
        };
        self.call("QueryRows", req.encode()).await
    }

    pub async fn seek_entries(
        &mut self,
        state: Stat,
        target: AddressBookTaggedPropertyValue,
        explicit_table: Option<Vec<u32>>,
        columns: Option<Vec<PropTag>>,
    ) -> SeekEntriesSuccess {
        let req = SeekEntriesRequest {
            reserved: 0,
            state: Some(state),
            target: Some(target),
            explicit_table,
            columns,
            auxiliary_buffer: vec![],
        };
        self.call("SeekEntries", req.encode()).await
    }

    pub async fn get_matches(
        &mut self,
        state: Stat,
        filter: Option<oxmapi_core::restriction::Restriction>,
        row_count: u32,
        columns: Option<Vec<PropTag>>,
    ) -> GetMatchesSuccess {
        let req = GetMatchesRequest {
            reserved: 0,
            state: Some(state),
            minimal_ids: None,
            interface_option_flags: 0,
            filter,
            property_name: None,
            row_count,
            columns,
            auxiliary_buffer: vec![],
        };
        self.call("GetMatches", req.encode()).await
    }

    pub async fn resort(&mut self, state: Stat, mids: Vec<u32>) -> ResortRestrictionSuccess {
        let req = ResortRestrictionRequest {
            reserved: 0,
            state: Some(state),
            minimal_ids: Some(mids),
            auxiliary_buffer: vec![],
        };
        self.call("ResortRestriction", req.encode()).await
    }

    pub async fn dn_to_mid(&mut self, names: Vec<String>) -> DnToMIdSuccess {
        let req = DnToMIdRequest { reserved: 0, names: Some(names), auxiliary_buffer: vec![] };
        self.call("DNToMId", req.encode()).await
    }

    pub async fn get_props(
        &mut self,
        flags: u32,
        state: Stat,
        tags: Option<Vec<PropTag>>,
    ) -> GetPropsSuccess {
        let req =
            GetPropsRequest { flags, state: Some(state), property_tags: tags, auxiliary_buffer: vec![] };
        self.call("GetProps", req.encode()).await
    }

    pub async fn get_prop_list(&mut self, flags: u32, mid: u32, code_page: u32) -> GetPropListSuccess {
        let req = GetPropListRequest { flags, minimal_id: mid, code_page, auxiliary_buffer: vec![] };
        self.call("GetPropList", req.encode()).await
    }

    pub async fn compare_mids(&mut self, state: Option<Stat>, a: u32, b: u32) -> CompareMIdsSuccess {
        let req = CompareMIdsRequest {
            reserved: 0,
            state,
            minimal_id1: a,
            minimal_id2: b,
            auxiliary_buffer: vec![],
        };
        self.call("CompareMIds", req.encode()).await
    }

    pub async fn query_columns(&mut self, flags: u32) -> QueryColumnsSuccess {
        let req = QueryColumnsRequest { reserved: 0, mapi_flags: flags, auxiliary_buffer: vec![] };
        self.call("QueryColumns", req.encode()).await
    }

    pub async fn resolve_names(
        &mut self,
        state: Stat,
        tags: Option<Vec<PropTag>>,
        names: &[&str],
    ) -> ResolveNamesSuccess {
        let req = ResolveNamesRequest {
            reserved: 0,
            state: Some(state),
            property_tags: tags,
            names: Some(names.iter().map(|s| s.to_string()).collect()),
            auxiliary_buffer: vec![],
        };
        self.call("ResolveNames", req.encode()).await
    }

    pub async fn special_table(
        &mut self,
        flags: u32,
        state: Option<Stat>,
        version: Option<u32>,
    ) -> GetSpecialTableSuccess {
        let req = GetSpecialTableRequest { flags, state, version, auxiliary_buffer: vec![] };
        self.call("GetSpecialTable", req.encode()).await
    }
}

/// The text of a string cell (PtypString, or PtypString8 in Windows-1252).
pub fn text_of(v: &oxmapi_wire::cdata::RowValue) -> String {
    match v.value() {
        Some(oxmapi_core::value::PropValue::Unicode(s)) => s.clone(),
        Some(oxmapi_core::value::PropValue::String8(b)) => oxmapi_core::text::decode_cp1252(b),
        other => panic!("not a string: {other:?} ({v:?})"),
    }
}

/// Visible users (account, display name); the GAL order is Alfred, Alice, Bob, Carol.
pub const PEOPLE: &[(&str, &str)] =
    &[("alice", "Alice Archer"), ("alfred", "Alfred Allen"), ("bob", "Bob Zimmer"), ("carol", "Carol Chen")];

/// Adds directory users (no mailboxes: the address book does not need them).
pub fn seed(ts: &TestServer, people: &[(&str, &str)], hidden: bool) {
    let users: Vec<NewUser> = people
        .iter()
        .map(|(name, display)| NewUser {
            name: name.to_string(),
            password: PASSWORD.into(),
            display_name: Some(display.to_string()),
            hidden,
            ..NewUser::default()
        })
        .collect();
    ts.site(|d| d.directory().unwrap().add_users_bulk_without_mailboxes(&users).unwrap());
}

pub async fn gal_server() -> TestServer {
    let ts = TestServer::start().await;
    seed(&ts, PEOPLE, false);
    seed(&ts, &[("auditor", "Hidden Auditor")], true);
    ts
}

pub fn a8(t: PropTag) -> PropTag {
    t.with_type(PropType::String8)
}

pub fn mid_of(ts: &TestServer, name: &str) -> u32 {
    ts.site(|site| {
        let d = site.directory().unwrap();
        d.mid_by_dn(&d.require_user(name).unwrap().legacy_dn).unwrap().unwrap()
    })
}

/// The display names of QueryRows / SeekEntries / GetMatches rows whose first column is a
/// display name.
pub fn names(c: &ColumnsAndRows) -> Vec<String> {
    c.row_data.iter().map(|r| text_of(&r.values[0])).collect()
}

pub fn cell(c: &ColumnsAndRows, row: usize, tag: PropTag) -> RowValue {
    let i = c.columns.iter().position(|&t| t == tag).unwrap();
    c.row_data[row].values[i].clone()
}

pub fn value_of(v: &[AddressBookTaggedPropertyValue], tag: PropTag) -> Option<PropValue> {
    v.iter().find(|x| x.tag == tag).and_then(|x| x.value.clone())
}

pub fn display_name_target(s: &str) -> AddressBookTaggedPropertyValue {
    AddressBookTaggedPropertyValue::new(PR_DISPLAY_NAME, PropValue::Unicode(s.into()))
}

pub fn display_name_is(s: &str) -> Restriction {
    Restriction::Property {
        relop: RelOp::Eq,
        prop_tag: PR_DISPLAY_NAME,
        value: TaggedValue::new(PR_DISPLAY_NAME, PropValue::Unicode(s.into())),
    }
}

pub fn anr(s: &str) -> Restriction {
    Restriction::Property {
        relop: RelOp::Eq,
        prop_tag: PR_ANR,
        value: TaggedValue::new(PR_ANR, PropValue::Unicode(s.into())),
    }
}

/// Request bodies, one per NSPI request type, that decode.
pub fn valid_bodies() -> Vec<(&'static str, Vec<u8>)> {
    let s = Some(stat());
    vec![
        ("Bind", BindRequest { flags: 0, state: s, auxiliary_buffer: vec![] }.encode()),
        (
            "UpdateStat",
            UpdateStatRequest { reserved: 0, state: s, delta_requested: true, auxiliary_buffer: vec![] }
                .encode(),
        ),
        (
            "QueryRows",
            QueryRowsRequest {
                flags: 0,
                state: s,
                explicit_table: vec![],
                row_count: 5,
                columns: Some(vec![PR_DISPLAY_NAME]),
                auxiliary_buffer: vec![],
            }
            .encode(),
        ),
        (
            "SeekEntries",
            SeekEntriesRequest {
                reserved: 0,
                state: s,
                target: Some(display_name_target("b")),
                explicit_table: Some(vec![5]),
                columns: None,
                auxiliary_buffer: vec![],
            }
            .encode(),
        ),
        (
            "GetMatches",
            GetMatchesRequest {
                reserved: 0,
                state: s,
                minimal_ids: None,
                interface_option_flags: 0,
                filter: Some(anr("b")),
                property_name: None,
                row_count: 10,
                columns: Some(vec![PR_DISPLAY_NAME]),
                auxiliary_buffer: vec![],
            }
            .encode(),
        ),
        (
            "ResortRestriction",
            ResortRestrictionRequest {
                reserved: 0,
                state: s,
                minimal_ids: Some(vec![1, 2]),
                auxiliary_buffer: vec![],
            }
            .encode(),
        ),
        (
            "DNToMId",
            DnToMIdRequest { reserved: 0, names: Some(vec!["/o=x".into()]), auxiliary_buffer: vec![] }
                .encode(),
        ),
        (
            "GetPropList",
            GetPropListRequest { flags: 0, minimal_id: 5, code_page: 1252, auxiliary_buffer: vec![] }
                .encode(),
        ),
        (
            "GetProps",
            GetPropsRequest {
                flags: 0,
                state: s,
                property_tags: Some(vec![PR_DISPLAY_NAME]),
                auxiliary_buffer: vec![],
            }
            .encode(),
        ),
        (
            "CompareMIds",
            CompareMIdsRequest {
                reserved: 0,
                state: s,
                minimal_id1: 1,
                minimal_id2: 2,
                auxiliary_buffer: vec![],
            }
            .encode(),
        ),
        (
            "ModProps",
            ModPropsRequest {
                reserved: 0,
                state: s,
                property_tags_to_remove: Some(vec![PR_TITLE]),
                property_values: Some(vec![AddressBookTaggedPropertyValue::new(
                    PR_TITLE,
                    PropValue::Unicode("x".into()),
                )]),
                auxiliary_buffer: vec![],
            }
            .encode(),
        ),
        (
            "ModLinkAtt",
            ModLinkAttRequest {
                flags: 0,
                property_tag: PR_EMS_AB_MEMBER,
                minimal_id: 5,
                entry_ids: Some(vec![vec![1; 4]]),
                auxiliary_buffer: vec![],
            }
            .encode(),
        ),
        (
            "QueryColumns",
            QueryColumnsRequest { reserved: 0, mapi_flags: 0, auxiliary_buffer: vec![] }.encode(),
        ),
        (
            "ResolveNames",
            ResolveNamesRequest {
                reserved: 0,
                state: s,
                property_tags: None,
                names: Some(vec!["b".into()]),
                auxiliary_buffer: vec![],
            }
            .encode(),
        ),
        (
            "GetSpecialTable",
            GetSpecialTableRequest { flags: 0, state: s, version: Some(0), auxiliary_buffer: vec![] }
                .encode(),
        ),
        (
            "GetTemplateInfo",
            GetTemplateInfoRequest {
                flags: 1,
                display_type: 0,
                template_dn: Some("x".into()),
                code_page: 1252,
                locale_id: 0x409,
                auxiliary_buffer: vec![],
            }
            .encode(),
        ),
        (
            "GetMailboxUrl",
            GetMailboxUrlRequest { flags: 0, server_dn: "x".into(), auxiliary_buffer: vec![] }.encode(),
        ),
        (
            "GetAddressBookUrl",
            GetAddressBookUrlRequest { flags: 0, user_dn: String::new(), auxiliary_buffer: vec![] }.encode(),
        ),
        ("Unbind", UnbindRequest { reserved: 0, auxiliary_buffer: vec![] }.encode()),
    ]
}

/// A deterministic byte stream (no test may depend on a random seed it cannot report).
pub fn noise(seed: u64, n: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    (0..n)
        .map(|_| {
            x = x.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            (x >> 33) as u8
        })
        .collect()
}
