//! Typed NSPI calls over [`MapiHttp`] to the address book endpoint (MS-OXCMAPIHTTP 2.2.5;
//! protocol-facts §1.9): Bind, Unbind, QueryRows, ResolveNames, GetProps, DNToMId, GetMatches
//! SeekEntries, UpdateStat and GetPropList. The NSPI session context has its own cookies, independent of EMSMDB.

use oxmapi_core::guid::Guid;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::tag::PropTag;
use oxmapi_wire::mapihttp::nspi::*;

use super::{MapiHttp, TransportError};

/// NSPI calls on one session context.
pub struct NspiClient {
    /// The transport (cookies, connection, authentication).
    pub http: MapiHttp,
    bound: bool,
}

/// The outcome of a call whose `ErrorCode` the caller interprets.
pub struct Called<T> {
    /// `ErrorCode` (0 = success).
    pub error_code: u32,
    /// The success fields.
    pub body: T,
}

impl NspiClient {
    /// A client using `http` (pointing at the address book endpoint).
    pub fn new(http: MapiHttp) -> NspiClient {
        NspiClient { http, bound: false }
    }

    /// True after a successful Bind.
    pub fn is_bound(&self) -> bool {
        self.bound
    }

    async fn call<T: SuccessBody>(&mut self, rt: RequestType, body: Vec<u8>) -> Result<T, TransportError> {
        let raw = self.http.request(rt, body).await?;
        let resp = Response::<T>::decode(&raw).map_err(|e| {
            TransportError::Protocol(format!(
                "{}: malformed {} response: {e}",
                self.http.endpoint().url,
                rt.as_str()
            ))
        })?;
        match resp {
            Response::Success(s) => Ok(s),
            Response::Failure(f) => Err(TransportError::Protocol(format!(
                "{}: {} failed with StatusCode 0x{:08X} ({})",
                self.http.endpoint().url,
                rt.as_str(),
                f.status_code,
                oxmapi_core::ErrorCode(f.status_code).name()
            ))),
        }
    }

    /// Bind (MS-OXCMAPIHTTP 2.2.5.1): starts a new NSPI session context (any earlier one's
    /// cookies are dropped first); returns `ErrorCode` and the server GUID (the `ProviderUID` of
    /// its ephemeral entry IDs).
    pub async fn bind(&mut self, flags: u32, state: Stat) -> Result<Called<Guid>, TransportError> {
        self.http.clear_cookies();
        let req = BindRequest { flags, state: Some(state), auxiliary_buffer: Vec::new() };
        let s: BindSuccess = self.call(RequestType::Bind, req.encode()).await?;
        self.bound = s.error_code == 0;
        Ok(Called { error_code: s.error_code, body: s.server_guid })
    }

    /// Unbind (2.2.5.2): ends the context.
    pub async fn unbind(&mut self) -> Result<(), TransportError> {
        let req = UnbindRequest { reserved: 0, auxiliary_buffer: Vec::new() };
        let _: UnbindSuccess = self.call(RequestType::Unbind, req.encode()).await?;
        self.bound = false;
        self.http.clear_cookies();
        Ok(())
    }

    /// QueryRows (2.2.5.12): up to `count` rows from the STAT position (or of `explicit` MIds).
    pub async fn query_rows(
        &mut self,
        state: Stat,
        explicit: Vec<u32>,
        count: u32,
        columns: Vec<PropTag>,
    ) -> Result<Called<(Option<Stat>, Option<ColumnsAndRows>)>, TransportError> {
        let req = QueryRowsRequest {
            flags: 0,
            state: Some(state),
            explicit_table: explicit,
            row_count: count,
            columns: Some(columns),
            auxiliary_buffer: Vec::new(),
        };
        let s: QueryRowsSuccess = self.call(RequestType::QueryRows, req.encode()).await?;
        Ok(Called { error_code: s.error_code, body: (s.state, s.columns_and_rows) })
    }

    /// ResolveNames (2.2.5.14): one MId per name (MID_UNRESOLVED 0, MID_AMBIGUOUS 1) and the
    /// rows of the resolved ones.
    pub async fn resolve_names(
        &mut self,
        state: Stat,
        names: Vec<String>,
        columns: Vec<PropTag>,
    ) -> Result<Called<(Vec<u32>, Option<ColumnsAndRows>)>, TransportError> {
        let req = ResolveNamesRequest {
            reserved: 0,
            state: Some(state),
            property_tags: Some(columns),
            names: Some(names),
            auxiliary_buffer: Vec::new(),
        };
        let s: ResolveNamesSuccess = self.call(RequestType::ResolveNames, req.encode()).await?;
        Ok(Called { error_code: s.error_code, body: (s.minimal_ids.unwrap_or_default(), s.rows_and_columns) })
    }

    /// GetProps (2.2.5.7) of the object at `state.current_rec`; `None` tags: every property.
    pub async fn get_props(
        &mut self,
        flags: u32,
        state: Stat,
        tags: Option<Vec<PropTag>>,
    ) -> Result<Called<Option<AddressBookPropertyValueList>>, TransportError> {
        let req =
            GetPropsRequest { flags, state: Some(state), property_tags: tags, auxiliary_buffer: Vec::new() };
        let s: GetPropsSuccess = self.call(RequestType::GetProps, req.encode()).await?;
        Ok(Called { error_code: s.error_code, body: s.property_values })
    }

    /// DNToMId (2.2.5.5): the MId of each legacy DN (0 when unknown).
    pub async fn dn_to_mid(&mut self, names: Vec<String>) -> Result<Called<Vec<u32>>, TransportError> {
        let req = DnToMIdRequest { reserved: 0, names: Some(names), auxiliary_buffer: Vec::new() };
        let s: DnToMIdSuccess = self.call(RequestType::DnToMId, req.encode()).await?;
        Ok(Called { error_code: s.error_code, body: s.minimal_ids.unwrap_or_default() })
    }

    /// GetMatches (2.2.5.6) with a restriction: the matching MIds and, when `columns` are
    /// given, their rows. More than `count` matches is MAPI_E_TABLE_TOO_BIG.
    pub async fn get_matches(
        &mut self,
        state: Stat,
        filter: Restriction,
        count: u32,
        columns: Option<Vec<PropTag>>,
    ) -> Result<Called<(Vec<u32>, Option<ColumnsAndRows>)>, TransportError> {
        let req = GetMatchesRequest {
            reserved: 0,
            state: Some(state),
            minimal_ids: None,
            interface_option_flags: 0,
            filter: Some(filter),
            property_name: None,
            row_count: count,
            columns,
            auxiliary_buffer: Vec::new(),
        };
        let s: GetMatchesSuccess = self.call(RequestType::GetMatches, req.encode()).await?;
        Ok(Called { error_code: s.error_code, body: (s.minimal_ids.unwrap_or_default(), s.columns_and_rows) })
    }

    /// SeekEntries (2.2.5.16): positions the table at the first row whose sort key (the display
    /// name) is at or after `target`, returning the new STAT and, when `columns` are given, the
    /// rows from there on (of the `explicit` MIds only, when given).
    pub async fn seek_entries(
        &mut self,
        state: Stat,
        target: AddressBookTaggedPropertyValue,
        explicit: Option<Vec<u32>>,
        columns: Option<Vec<PropTag>>,
    ) -> Result<Called<(Option<Stat>, Option<ColumnsAndRows>)>, TransportError> {
        let req = SeekEntriesRequest {
            reserved: 0,
            state: Some(state),
            target: Some(target),
            explicit_table: explicit,
            columns,
            auxiliary_buffer: Vec::new(),
        };
        let s: SeekEntriesSuccess = self.call(RequestType::SeekEntries, req.encode()).await?;
        Ok(Called { error_code: s.error_code, body: (s.state, s.columns_and_rows) })
    }

    /// UpdateStat (2.2.5.17): applies the STAT's `Delta` to `CurrentRec` and fills in
    /// `NumPos` and `TotalRecs`; with `delta_requested` also the number of rows actually moved.
    pub async fn update_stat(
        &mut self,
        state: Stat,
        delta_requested: bool,
    ) -> Result<Called<(Option<Stat>, Option<i32>)>, TransportError> {
        let req = UpdateStatRequest {
            reserved: 0,
            state: Some(state),
            delta_requested,
            auxiliary_buffer: Vec::new(),
        };
        let s: UpdateStatSuccess = self.call(RequestType::UpdateStat, req.encode()).await?;
        Ok(Called { error_code: s.error_code, body: (s.state, s.delta) })
    }

    /// GetPropList (2.2.5.8): the tags of the properties object `mid` has.
    pub async fn get_prop_list(
        &mut self,
        flags: u32,
        mid: u32,
        code_page: u32,
    ) -> Result<Called<Vec<PropTag>>, TransportError> {
        let req = GetPropListRequest { flags, minimal_id: mid, code_page, auxiliary_buffer: Vec::new() };
        let s: GetPropListSuccess = self.call(RequestType::GetPropList, req.encode()).await?;
        Ok(Called { error_code: s.error_code, body: s.property_tags.unwrap_or_default() })
    }

    /// PING (MS-OXCMAPIHTTP 2.2.6): keeps the context from idling out.
    pub async fn ping(&mut self) -> Result<(), TransportError> {
        self.http.request(RequestType::Ping, Vec::new()).await.map(|_| ())
    }
}
