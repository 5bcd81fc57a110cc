//! Auxiliary buffers (MS-OXCRPC 2.2.2.1–2.2.2.2, 3.1.4.1.1–3.1.4.1.2): one `RPC_HEADER_EXT`
//! block with Last set whose payload is a sequence of `AUX_HEADER` + block data.
//!
//! Blocks with a layout in protocol-facts §1.10 decode to typed variants of [`AuxBlock`];
//! every other version/type — and a known type whose size does not fit its layout — is kept
//! as [`AuxBlock::Unknown`] and skipped by its Size, never an error (MS-OXCRPC 3.1.4.1.1.1.2).
//! Strings in the variable part of a block are located by offsets counted from the start of the
//! block's `AUX_HEADER`; the blocks keep the fixed fields (offsets included) and the raw variable
//! part, and decode the UTF-16 strings on request.

use oxmapi_core::Guid;
use oxmapi_core::codec::{DecodeError, DecodeResult, Reader, Writer};

use crate::rpc_ext::{self, EncodeError, EncodeOptions};

/// `AUX_VERSION_1`.
pub const AUX_VERSION_1: u8 = 0x01;
/// `AUX_VERSION_2`.
pub const AUX_VERSION_2: u8 = 0x02;

/// Largest auxiliary buffer (header included) a server accepts; larger fails with
/// RPC_X_BAD_STUB_DATA 0x6F7 (MS-OXCRPC 3.1.4.1, 3.1.4.2).
pub const MAX_AUX_BUFFER: usize = 0x1008;
/// Smallest non-empty auxiliary buffer (one `RPC_HEADER_EXT`); shorter fails with ecRpcFailed
/// 0x80040115 (MS-OXCRPC 3.1.4.1).
pub const MIN_AUX_BUFFER: usize = 8;

/// Blocks emitted by [`encode_aux_payload`] are zero-padded to a multiple of this (gromox
/// `AUX_ALIGN_SIZE`).
pub const AUX_ALIGN: usize = 4;

/// AUX_TYPE_PERF_REQUESTID.
pub const AUX_TYPE_PERF_REQUESTID: u8 = 0x01;
/// AUX_TYPE_PERF_CLIENTINFO.
pub const AUX_TYPE_PERF_CLIENTINFO: u8 = 0x02;
/// AUX_TYPE_PERF_SERVERINFO.
pub const AUX_TYPE_PERF_SERVERINFO: u8 = 0x03;
/// AUX_TYPE_PERF_SESSIONINFO (version 2: AUX_PERF_SESSIONINFO_V2).
pub const AUX_TYPE_PERF_SESSIONINFO: u8 = 0x04;
/// AUX_TYPE_PERF_DEFMDB_SUCCESS.
pub const AUX_TYPE_PERF_DEFMDB_SUCCESS: u8 = 0x05;
/// AUX_TYPE_PERF_DEFGC_SUCCESS.
pub const AUX_TYPE_PERF_DEFGC_SUCCESS: u8 = 0x06;
/// AUX_TYPE_PERF_MDB_SUCCESS (version 2: _V2).
pub const AUX_TYPE_PERF_MDB_SUCCESS: u8 = 0x07;
/// AUX_TYPE_PERF_GC_SUCCESS (version 2: _V2).
pub const AUX_TYPE_PERF_GC_SUCCESS: u8 = 0x08;
/// AUX_TYPE_PERF_FAILURE (version 2: _V2).
pub const AUX_TYPE_PERF_FAILURE: u8 = 0x09;
/// AUX_TYPE_CLIENT_CONTROL.
pub const AUX_TYPE_CLIENT_CONTROL: u8 = 0x0A;
/// AUX_TYPE_PERF_PROCESSINFO.
pub const AUX_TYPE_PERF_PROCESSINFO: u8 = 0x0B;
/// AUX_TYPE_PERF_BG_DEFMDB_SUCCESS.
pub const AUX_TYPE_PERF_BG_DEFMDB_SUCCESS: u8 = 0x0C;
/// AUX_TYPE_PERF_BG_DEFGC_SUCCESS.
pub const AUX_TYPE_PERF_BG_DEFGC_SUCCESS: u8 = 0x0D;
/// AUX_TYPE_PERF_BG_MDB_SUCCESS (version 2: _V2).
pub const AUX_TYPE_PERF_BG_MDB_SUCCESS: u8 = 0x0E;
/// AUX_TYPE_PERF_BG_GC_SUCCESS (version 2: _V2).
pub const AUX_TYPE_PERF_BG_GC_SUCCESS: u8 = 0x0F;
/// AUX_TYPE_PERF_BG_FAILURE (version 2: _V2).
pub const AUX_TYPE_PERF_BG_FAILURE: u8 = 0x10;
/// AUX_TYPE_PERF_FG_DEFMDB_SUCCESS.
pub const AUX_TYPE_PERF_FG_DEFMDB_SUCCESS: u8 = 0x11;
/// AUX_TYPE_PERF_FG_DEFGC_SUCCESS.
pub const AUX_TYPE_PERF_FG_DEFGC_SUCCESS: u8 = 0x12;
/// AUX_TYPE_PERF_FG_MDB_SUCCESS (version 2: _V2).
pub const AUX_TYPE_PERF_FG_MDB_SUCCESS: u8 = 0x13;
/// AUX_TYPE_PERF_FG_GC_SUCCESS (version 2: _V2).
pub const AUX_TYPE_PERF_FG_GC_SUCCESS: u8 = 0x14;
/// AUX_TYPE_PERF_FG_FAILURE (version 2: _V2).
pub const AUX_TYPE_PERF_FG_FAILURE: u8 = 0x15;
/// AUX_TYPE_OSVERSIONINFO.
pub const AUX_TYPE_OSVERSIONINFO: u8 = 0x16;
/// AUX_TYPE_EXORGINFO.
pub const AUX_TYPE_EXORGINFO: u8 = 0x17;
/// AUX_TYPE_PERF_ACCOUNTINFO.
pub const AUX_TYPE_PERF_ACCOUNTINFO: u8 = 0x18;
/// AUX_TYPE_SERVER_CAPABILITIES.
pub const AUX_TYPE_SERVER_CAPABILITIES: u8 = 0x46;
/// AUX_TYPE_ENDPOINT_CAPABILITIES.
pub const AUX_TYPE_ENDPOINT_CAPABILITIES: u8 = 0x48;
/// AUX_TYPE_CLIENT_CONNECTION_INFO.
pub const AUX_TYPE_CLIENT_CONNECTION_INFO: u8 = 0x4A;
/// AUX_TYPE_SERVER_SESSION_INFO.
pub const AUX_TYPE_SERVER_SESSION_INFO: u8 = 0x4B;
/// AUX_TYPE_PROTOCOL_DEVICE_IDENTIFICATION.
pub const AUX_TYPE_PROTOCOL_DEVICE_IDENTIFICATION: u8 = 0x4E;

/// AUX_CLIENT_CONTROL EnableFlags: ENABLE_PERF_SENDTOSERVER.
pub const ENABLE_PERF_SENDTOSERVER: u32 = 0x0000_0001;
/// AUX_CLIENT_CONTROL EnableFlags: ENABLE_PERF_SENDTOMAILBOX.
pub const ENABLE_PERF_SENDTOMAILBOX: u32 = 0x0000_0002;
/// AUX_CLIENT_CONTROL EnableFlags: ENABLE_COMPRESSION.
pub const ENABLE_COMPRESSION: u32 = 0x0000_0004;
/// AUX_CLIENT_CONTROL EnableFlags: ENABLE_HTTP_TUNNELING.
pub const ENABLE_HTTP_TUNNELING: u32 = 0x0000_0008;
/// AUX_CLIENT_CONTROL EnableFlags: ENABLE_PERF_SENDGCDATA.
pub const ENABLE_PERF_SENDGCDATA: u32 = 0x0000_0010;
/// AUX_EXORGINFO OrgFlags: PUBLIC_FOLDERS_ENABLED.
pub const PUBLIC_FOLDERS_ENABLED: u32 = 0x0000_0001;
/// AUX_EXORGINFO OrgFlags: USE_AUTODISCOVER_FOR_PUBLIC_FOLDER_CONFIGURATION.
pub const USE_AUTODISCOVER_FOR_PUBLIC_FOLDER_CONFIGURATION: u32 = 0x0000_0002;
/// AUX_SERVER_CAPABILITIES: PACKED_FAST_TRANSFER_UPLOAD_BUFFERS.
pub const PACKED_FAST_TRANSFER_UPLOAD_BUFFERS: u32 = 0x0000_0001;
/// AUX_SERVER_CAPABILITIES: PACKED_WRITE_STREAM_UPLOAD_BUFFERS.
pub const PACKED_WRITE_STREAM_UPLOAD_BUFFERS: u32 = 0x0000_0002;
/// AUX_SERVER_CAPABILITIES: ULTRA_LARGE_PACKED_DOWNLOAD_BUFFERS.
pub const ULTRA_LARGE_PACKED_DOWNLOAD_BUFFERS: u32 = 0x0000_0008;
/// AUX_ENDPOINT_CAPABILITIES: ENDPOINT_CAPABILITIES_SINGLE_ENDPOINT.
pub const ENDPOINT_CAPABILITIES_SINGLE_ENDPOINT: u32 = 0x0000_0001;

/// MS-OXCRPC 2.2.2.2 name of a block type: the `AUX_TYPE_*` name, with `_V2` appended where
/// version 2 selects a different structure; `"unknown"` for anything not listed there.
pub fn type_name(version: u8, aux_type: u8) -> &'static str {
    match (version, aux_type) {
        (AUX_VERSION_1, AUX_TYPE_PERF_REQUESTID) => "AUX_TYPE_PERF_REQUESTID",
        (AUX_VERSION_1, AUX_TYPE_PERF_CLIENTINFO) => "AUX_TYPE_PERF_CLIENTINFO",
        (AUX_VERSION_1, AUX_TYPE_PERF_SERVERINFO) => "AUX_TYPE_PERF_SERVERINFO",
        (AUX_VERSION_1, AUX_TYPE_PERF_SESSIONINFO) => "AUX_TYPE_PERF_SESSIONINFO",
        (AUX_VERSION_1, AUX_TYPE_PERF_DEFMDB_SUCCESS) => "AUX_TYPE_PERF_DEFMDB_SUCCESS",
        (AUX_VERSION_1, AUX_TYPE_PERF_DEFGC_SUCCESS) => "AUX_TYPE_PERF_DEFGC_SUCCESS",
        (AUX_VERSION_1, AUX_TYPE_PERF_MDB_SUCCESS) => "AUX_TYPE_PERF_MDB_SUCCESS",
        (AUX_VERSION_1, AUX_TYPE_PERF_GC_SUCCESS) => "AUX_TYPE_PERF_GC_SUCCESS",
        (AUX_VERSION_1, AUX_TYPE_PERF_FAILURE) => "AUX_TYPE_PERF_FAILURE",
        (AUX_VERSION_1, AUX_TYPE_CLIENT_CONTROL) => "AUX_TYPE_CLIENT_CONTROL",
        (AUX_VERSION_1 | AUX_VERSION_2, AUX_TYPE_PERF_PROCESSINFO) => "AUX_TYPE_PERF_PROCESSINFO",
        (AUX_VERSION_1, AUX_TYPE_PERF_BG_DEFMDB_SUCCESS) => "AUX_TYPE_PERF_BG_DEFMDB_SUCCESS",
        (AUX_VERSION_1, AUX_TYPE_PERF_BG_DEFGC_SUCCESS) => "AUX_TYPE_PERF_BG_DEFGC_SUCCESS",
        (AUX_VERSION_1, AUX_TYPE_PERF_BG_MDB_SUCCESS) => "AUX_TYPE_PERF_BG_MDB_SUCCESS",
        (AUX_VERSION_1, AUX_TYPE_PERF_BG_GC_SUCCESS) => "AUX_TYPE_PERF_BG_GC_SUCCESS",
        (AUX_VERSION_1, AUX_TYPE_PERF_BG_FAILURE) => "AUX_TYPE_PERF_BG_FAILURE",
        (AUX_VERSION_1, AUX_TYPE_PERF_FG_DEFMDB_SUCCESS) => "AUX_TYPE_PERF_FG_DEFMDB_SUCCESS",
        (AUX_VERSION_1, AUX_TYPE_PERF_FG_DEFGC_SUCCESS) => "AUX_TYPE_PERF_FG_DEFGC_SUCCESS",
        (AUX_VERSION_1, AUX_TYPE_PERF_FG_MDB_SUCCESS) => "AUX_TYPE_PERF_FG_MDB_SUCCESS",
        (AUX_VERSION_1, AUX_TYPE_PERF_FG_GC_SUCCESS) => "AUX_TYPE_PERF_FG_GC_SUCCESS",
        (AUX_VERSION_1, AUX_TYPE_PERF_FG_FAILURE) => "AUX_TYPE_PERF_FG_FAILURE",
        (AUX_VERSION_1, AUX_TYPE_OSVERSIONINFO) => "AUX_TYPE_OSVERSIONINFO",
        (AUX_VERSION_1, AUX_TYPE_EXORGINFO) => "AUX_TYPE_EXORGINFO",
        (AUX_VERSION_1, AUX_TYPE_PERF_ACCOUNTINFO) => "AUX_TYPE_PERF_ACCOUNTINFO",
        (AUX_VERSION_1, AUX_TYPE_SERVER_CAPABILITIES) => "AUX_TYPE_SERVER_CAPABILITIES",
        (AUX_VERSION_1, AUX_TYPE_ENDPOINT_CAPABILITIES) => "AUX_TYPE_ENDPOINT_CAPABILITIES",
        (AUX_VERSION_1, AUX_TYPE_CLIENT_CONNECTION_INFO) => "AUX_TYPE_CLIENT_CONNECTION_INFO",
        (AUX_VERSION_1, AUX_TYPE_SERVER_SESSION_INFO) => "AUX_TYPE_SERVER_SESSION_INFO",
        (AUX_VERSION_1, AUX_TYPE_PROTOCOL_DEVICE_IDENTIFICATION) => "AUX_TYPE_PROTOCOL_DEVICE_IDENTIFICATION",
        (AUX_VERSION_2, AUX_TYPE_PERF_SESSIONINFO) => "AUX_TYPE_PERF_SESSIONINFO_V2",
        (AUX_VERSION_2, AUX_TYPE_PERF_MDB_SUCCESS) => "AUX_TYPE_PERF_MDB_SUCCESS_V2",
        (AUX_VERSION_2, AUX_TYPE_PERF_BG_MDB_SUCCESS) => "AUX_TYPE_PERF_BG_MDB_SUCCESS_V2",
        (AUX_VERSION_2, AUX_TYPE_PERF_FG_MDB_SUCCESS) => "AUX_TYPE_PERF_FG_MDB_SUCCESS_V2",
        (AUX_VERSION_2, AUX_TYPE_PERF_GC_SUCCESS) => "AUX_TYPE_PERF_GC_SUCCESS_V2",
        (AUX_VERSION_2, AUX_TYPE_PERF_BG_GC_SUCCESS) => "AUX_TYPE_PERF_BG_GC_SUCCESS_V2",
        (AUX_VERSION_2, AUX_TYPE_PERF_FG_GC_SUCCESS) => "AUX_TYPE_PERF_FG_GC_SUCCESS_V2",
        (AUX_VERSION_2, AUX_TYPE_PERF_FAILURE) => "AUX_TYPE_PERF_FAILURE_V2",
        (AUX_VERSION_2, AUX_TYPE_PERF_BG_FAILURE) => "AUX_TYPE_PERF_BG_FAILURE_V2",
        (AUX_VERSION_2, AUX_TYPE_PERF_FG_FAILURE) => "AUX_TYPE_PERF_FG_FAILURE_V2",
        _ => "unknown",
    }
}

/// MS-OXCRPC 2.2.2.2 `AUX_HEADER`: in front of every auxiliary block.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AuxHeader {
    /// Size of the header and the block data that follows it.
    pub size: u16,
    /// [`AUX_VERSION_1`] or [`AUX_VERSION_2`].
    pub version: u8,
    /// One of the `AUX_TYPE_*` values.
    pub aux_type: u8,
}

impl AuxHeader {
    /// Encoded size of the header.
    pub const LEN: usize = 4;

    /// Reads the 4 header bytes (the Size is not checked here).
    pub fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        Ok(AuxHeader {
            size: r.u16("AUX_HEADER Size")?,
            version: r.u8("AUX_HEADER Version")?,
            aux_type: r.u8("AUX_HEADER Type")?,
        })
    }

    /// Writes the 4 header bytes.
    pub fn encode(&self, w: &mut Writer) {
        w.u16(self.size);
        w.u8(self.version);
        w.u8(self.aux_type);
    }
}

/// One auxiliary block (MS-OXCRPC 2.2.2.2), typed where protocol-facts §1.10 gives a layout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuxBlock {
    /// AUX_PERF_REQUESTID (version 1, type 0x01).
    PerfRequestId {
        /// SessionID.
        session_id: u16,
        /// RequestID.
        request_id: u16,
    },
    /// AUX_PERF_SESSIONINFO (version 1, type 0x04).
    PerfSessionInfo {
        /// SessionID.
        session_id: u16,
        /// Reserved.
        reserved: u16,
        /// SessionGuid.
        session_guid: Guid,
    },
    /// AUX_PERF_SESSIONINFO_V2 (version 2, type 0x04).
    PerfSessionInfoV2 {
        /// SessionID.
        session_id: u16,
        /// Reserved.
        reserved: u16,
        /// SessionGuid.
        session_guid: Guid,
        /// ConnectionID.
        connection_id: u32,
    },
    /// AUX_PERF_CLIENTINFO (version 1, type 0x02).
    PerfClientInfo(PerfClientInfo),
    /// AUX_PERF_SERVERINFO (version 1, type 0x03).
    PerfServerInfo(PerfServerInfo),
    /// AUX_PERF_PROCESSINFO (type 0x0B, version 1 or 2).
    PerfProcessInfo(PerfProcessInfo),
    /// AUX_CLIENT_CONTROL (version 1, type 0x0A; server to client).
    ClientControl {
        /// EnableFlags (`ENABLE_*`).
        enable_flags: u32,
        /// ExpiryTime in milliseconds.
        expiry_time: u32,
    },
    /// AUX_OSVERSIONINFO (version 1, type 0x16; server to client).
    OsVersionInfo(OsVersionInfo),
    /// AUX_EXORGINFO (version 1, type 0x17; server to client).
    ExOrgInfo {
        /// OrgFlags ([`PUBLIC_FOLDERS_ENABLED`], [`USE_AUTODISCOVER_FOR_PUBLIC_FOLDER_CONFIGURATION`]).
        org_flags: u32,
    },
    /// AUX_SERVER_CAPABILITIES (version 1, type 0x46).
    ServerCapabilities {
        /// ServerCapabilityFlags.
        flags: u32,
    },
    /// AUX_ENDPOINT_CAPABILITIES (version 1, type 0x48).
    EndpointCapabilities {
        /// EndpointCapabilityFlag.
        flags: u32,
    },
    /// AUX_CLIENT_CONNECTION_INFO (version 1, type 0x4A).
    ClientConnectionInfo(ClientConnectionInfo),
    /// AUX_SERVER_SESSION_INFO (version 1, type 0x4B).
    ServerSessionInfo(ServerSessionInfo),
    /// Any other version/type, or a known type whose data does not fit its layout: kept as is.
    Unknown {
        /// AUX_HEADER Version.
        version: u8,
        /// AUX_HEADER Type.
        aux_type: u8,
        /// The block data after the AUX_HEADER (padding included).
        data: Vec<u8>,
    },
}

/// AUX_PERF_CLIENTINFO (MS-OXCRPC 2.2.2.2.x): fixed fields, then variable data located by
/// offsets from the start of the AUX_HEADER.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PerfClientInfo {
    /// AdapterSpeed.
    pub adapter_speed: u32,
    /// ClientID.
    pub client_id: u16,
    /// MachineNameOffset (0 = absent).
    pub machine_name_offset: u16,
    /// UserNameOffset (0 = absent).
    pub user_name_offset: u16,
    /// ClientIPSize.
    pub client_ip_size: u16,
    /// ClientIPOffset.
    pub client_ip_offset: u16,
    /// ClientIPMaskSize.
    pub client_ip_mask_size: u16,
    /// ClientIPMaskOffset.
    pub client_ip_mask_offset: u16,
    /// AdapterNameOffset (0 = absent).
    pub adapter_name_offset: u16,
    /// MacAddressSize.
    pub mac_address_size: u16,
    /// MacAddressOffset.
    pub mac_address_offset: u16,
    /// ClientMode: 0 unknown, 1 classic online, 2 cached.
    pub client_mode: u16,
    /// Reserved.
    pub reserved: u16,
    /// The variable data after the fixed fields (strings, addresses, padding).
    pub tail: Vec<u8>,
}

impl PerfClientInfo {
    /// AUX_HEADER offset at which [`PerfClientInfo::tail`] starts.
    pub const TAIL_BASE: usize = AuxHeader::LEN + 28;

    /// Builds a block, laying the strings and addresses out in the tail.
    #[allow(clippy::too_many_arguments)]
    pub fn new(
        adapter_speed: u32,
        client_id: u16,
        machine_name: Option<&str>,
        user_name: Option<&str>,
        client_ip: &[u8],
        client_ip_mask: &[u8],
        adapter_name: Option<&str>,
        mac_address: &[u8],
        client_mode: u16,
    ) -> Self {
        let mut t = TailBuilder::new(Self::TAIL_BASE);
        let machine_name_offset = t.utf16(machine_name);
        let user_name_offset = t.utf16(user_name);
        let (client_ip_size, client_ip_offset) = t.bytes(client_ip);
        let (client_ip_mask_size, client_ip_mask_offset) = t.bytes(client_ip_mask);
        let adapter_name_offset = t.utf16(adapter_name);
        let (mac_address_size, mac_address_offset) = t.bytes(mac_address);
        PerfClientInfo {
            adapter_speed,
            client_id,
            machine_name_offset,
            user_name_offset,
            client_ip_size,
            client_ip_offset,
            client_ip_mask_size,
            client_ip_mask_offset,
            adapter_name_offset,
            mac_address_size,
            mac_address_offset,
            client_mode,
            reserved: 0,
            tail: t.finish(),
        }
    }

    /// MachineName, when its offset points at a terminated UTF-16 string.
    pub fn machine_name(&self) -> Option<String> {
        tail_utf16(&self.tail, Self::TAIL_BASE, self.machine_name_offset)
    }
    /// UserName, when its offset points at a terminated UTF-16 string.
    pub fn user_name(&self) -> Option<String> {
        tail_utf16(&self.tail, Self::TAIL_BASE, self.user_name_offset)
    }
    /// AdapterName, when its offset points at a terminated UTF-16 string.
    pub fn adapter_name(&self) -> Option<String> {
        tail_utf16(&self.tail, Self::TAIL_BASE, self.adapter_name_offset)
    }
    /// ClientIP bytes, when offset and size lie inside the block.
    pub fn client_ip(&self) -> Option<&[u8]> {
        tail_bytes(&self.tail, Self::TAIL_BASE, self.client_ip_offset, self.client_ip_size)
    }
    /// ClientIPMask bytes, when offset and size lie inside the block.
    pub fn client_ip_mask(&self) -> Option<&[u8]> {
        tail_bytes(&self.tail, Self::TAIL_BASE, self.client_ip_mask_offset, self.client_ip_mask_size)
    }
    /// MacAddress bytes, when offset and size lie inside the block.
    pub fn mac_address(&self) -> Option<&[u8]> {
        tail_bytes(&self.tail, Self::TAIL_BASE, self.mac_address_offset, self.mac_address_size)
    }

    fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
        Ok(PerfClientInfo {
            adapter_speed: r.u32("AdapterSpeed")?,
            client_id: r.u16("ClientID")?,
            machine_name_offset: r.u16("MachineNameOffset")?,
            user_name_offset: r.u16("UserNameOffset")?,
            client_ip_size: r.u16("ClientIPSize")?,
            client_ip_offset: r.u16("ClientIPOffset")?,
            client_ip_mask_size: r.u16("ClientIPMaskSize")?,
            client_ip_mask_offset: r.u16("ClientIPMaskOffset")?,
            adapter_name_offset: r.u16("AdapterNameOffset")?,
            mac_address_size: r.u16("MacAddressSize")?,
            mac_address_offset: r.u16("MacAddressOffset")?,
            client_mode: r.u16("ClientMode")?,
            reserved: r.u16("Reserved")?,
            tail: r.take_rest().to_vec(),
        })
    }

    fn encode(&self, w: &mut Writer) {
        w.u32(self.adapter_speed);
        for v in [
            self.client_id,
            self.machine_name_offset,
            self.user_name_offset,
            self.client_ip_size,
            self.client_ip_offset,
            self.client_ip_mask_size,
            self.client_ip_mask_offset,
            self.adapter_name_offset,
            self.mac_address_size,
            self.mac_address_offset,
            self.client_mode,
            self.reserved,
        ] {
            w.u16(v);
        }
        w.bytes(&self.tail);
    }
}

/// AUX_PERF_SERVERINFO: fixed fields, then UTF-16 ServerDN and ServerName located by offsets
/// from the start of the AUX_HEADER.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PerfServerInfo {
    /// ServerID.
    pub server_id: u16,
    /// ServerType: 0 unknown, 1 private, 2 public, 3 directory, 4 referral.
    pub server_type: u16,
    /// ServerDNOffset (0 = absent).
    pub server_dn_offset: u16,
    /// ServerNameOffset (0 = absent).
    pub server_name_offset: u16,
    /// The variable data after the fixed fields.
    pub tail: Vec<u8>,
}

impl PerfServerInfo {
    /// AUX_HEADER offset at which [`PerfServerInfo::tail`] starts.
    pub const TAIL_BASE: usize = AuxHeader::LEN + 8;

    /// Builds a block, laying the strings out in the tail.
    pub fn new(server_id: u16, server_type: u16, server_dn: Option<&str>, server_name: Option<&str>) -> Self {
        let mut t = TailBuilder::new(Self::TAIL_BASE);
        let server_dn_offset = t.utf16(server_dn);
        let server_name_offset = t.utf16(server_name);
        PerfServerInfo { server_id, server_type, server_dn_offset, server_name_offset, tail: t.finish() }
    }
    /// ServerDN, when its offset points at a terminated UTF-16 string.
    pub fn server_dn(&self) -> Option<String> {
        tail_utf16(&self.tail, Self::TAIL_BASE, self.server_dn_offset)
    }
    /// ServerName, when its offset points at a terminated UTF-16 string.
    pub fn server_name(&self) -> Option<String> {
        tail_utf16(&self.tail, Self::TAIL_BASE, self.server_name_offset)
    }
}

/// AUX_PERF_PROCESSINFO (type 0x0B; version 2 in current clients): fixed fields, then the
/// UTF-16 ProcessName located by an offset from the start of the AUX_HEADER.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct PerfProcessInfo {
    /// AUX_HEADER Version the block was sent with (1 or 2).
    pub version: u8,
    /// ProcessID.
    pub process_id: u16,
    /// Reserved1.
    pub reserved1: u16,
    /// ProcessGuid.
    pub process_guid: Guid,
    /// ProcessNameOffset (0 = absent).
    pub process_name_offset: u16,
    /// Reserved2.
    pub reserved2: u16,
    /// The variable data after the fixed fields.
    pub tail: Vec<u8>,
}

impl PerfProcessInfo {
    /// AUX_HEADER offset at which [`PerfProcessInfo::tail`] starts.
    pub const TAIL_BASE: usize = AuxHeader::LEN + 24;

    /// Builds a version-2 block, laying the name out in the tail.
    pub fn new(process_id: u16, process_guid: Guid, process_name: Option<&str>) -> Self {
        let mut t = TailBuilder::new(Self::TAIL_BASE);
        let process_name_offset = t.utf16(process_name);
        PerfProcessInfo {
            version: AUX_VERSION_2,
            process_id,
            reserved1: 0,
            process_guid,
            process_name_offset,
            reserved2: 0,
            tail: t.finish(),
        }
    }
    /// ProcessName, when its offset points at a terminated UTF-16 string.
    pub fn process_name(&self) -> Option<String> {
        tail_utf16(&self.tail, Self::TAIL_BASE, self.process_name_offset)
    }
}

/// AUX_OSVERSIONINFO (server to client). The reserved field sizes are unconfirmed
/// (protocol-facts §1.10, §7): the block is typed only when its data is exactly
/// [`OsVersionInfo::DATA_LEN`] bytes; otherwise it stays [`AuxBlock::Unknown`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OsVersionInfo {
    /// OSVersionInfoSize.
    pub os_version_info_size: u32,
    /// MajorVersion.
    pub major_version: u32,
    /// MinorVersion.
    pub minor_version: u32,
    /// BuildNumber.
    pub build_number: u32,
    /// Reserved_1 (132 bytes).
    pub reserved1: [u8; 132],
    /// ServicePackMajor.
    pub service_pack_major: u16,
    /// ServicePackMinor.
    pub service_pack_minor: u16,
    /// Reserved_2.
    pub reserved2: u32,
}

impl OsVersionInfo {
    /// Size of the block data (after the AUX_HEADER).
    pub const DATA_LEN: usize = 16 + 132 + 8;
}

/// AUX_CLIENT_CONNECTION_INFO: fixed fields, then the UTF-16 ConnectionContextInfo located by an
/// offset from the start of the AUX_HEADER. ConnectionAttempts is taken as 4 bytes
/// (protocol-facts §1.10 marks its width unconfirmed).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ClientConnectionInfo {
    /// ConnectionGUID.
    pub connection_guid: Guid,
    /// OffsetConnectionContextInfo (0 = absent).
    pub offset_connection_context_info: u16,
    /// Reserved.
    pub reserved: u16,
    /// ConnectionAttempts.
    pub connection_attempts: u32,
    /// ConnectionFlags (0x1 = client in cached mode).
    pub connection_flags: u32,
    /// The variable data after the fixed fields.
    pub tail: Vec<u8>,
}

impl ClientConnectionInfo {
    /// AUX_HEADER offset at which [`ClientConnectionInfo::tail`] starts.
    pub const TAIL_BASE: usize = AuxHeader::LEN + 28;

    /// Builds a block, laying the context string out in the tail.
    pub fn new(
        connection_guid: Guid,
        connection_attempts: u32,
        connection_flags: u32,
        context_info: Option<&str>,
    ) -> Self {
        let mut t = TailBuilder::new(Self::TAIL_BASE);
        let offset_connection_context_info = t.utf16(context_info);
        ClientConnectionInfo {
            connection_guid,
            offset_connection_context_info,
            reserved: 0,
            connection_attempts,
            connection_flags,
            tail: t.finish(),
        }
    }
    /// ConnectionContextInfo, when its offset points at a terminated UTF-16 string.
    pub fn connection_context_info(&self) -> Option<String> {
        tail_utf16(&self.tail, Self::TAIL_BASE, self.offset_connection_context_info)
    }
}

/// AUX_SERVER_SESSION_INFO: an offset, then the UTF-16 ServerSessionContextInfo.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ServerSessionInfo {
    /// OffsetServerSessionContextInfo (0 = absent).
    pub offset_server_session_context_info: u16,
    /// The variable data after the offset.
    pub tail: Vec<u8>,
}

impl ServerSessionInfo {
    /// AUX_HEADER offset at which [`ServerSessionInfo::tail`] starts.
    pub const TAIL_BASE: usize = AuxHeader::LEN + 2;

    /// Builds a block, laying the context string out in the tail.
    pub fn new(context_info: Option<&str>) -> Self {
        let mut t = TailBuilder::new(Self::TAIL_BASE);
        let offset_server_session_context_info = t.utf16(context_info);
        ServerSessionInfo { offset_server_session_context_info, tail: t.finish() }
    }
    /// ServerSessionContextInfo, when its offset points at a terminated UTF-16 string.
    pub fn server_session_context_info(&self) -> Option<String> {
        tail_utf16(&self.tail, Self::TAIL_BASE, self.offset_server_session_context_info)
    }
}

/// The UTF-16 string at AUX_HEADER offset `offset`, if 0 < offset, it lies in the tail and the
/// string is terminated inside it.
fn tail_utf16(tail: &[u8], base: usize, offset: u16) -> Option<String> {
    let at = usize::from(offset).checked_sub(base).filter(|_| offset != 0)?;
    Reader::new(tail.get(at..)?).utf16z("AUX string").ok()
}

/// The `size` bytes at AUX_HEADER offset `offset`, if they lie in the tail (`None` for offset 0).
fn tail_bytes(tail: &[u8], base: usize, offset: u16, size: u16) -> Option<&[u8]> {
    let at = usize::from(offset).checked_sub(base).filter(|_| offset != 0)?;
    tail.get(at..at + usize::from(size))
}

/// Lays out the variable part of a block and hands back AUX_HEADER-relative offsets.
struct TailBuilder {
    base: usize,
    tail: Writer,
}

impl TailBuilder {
    fn new(base: usize) -> Self {
        TailBuilder { base, tail: Writer::new() }
    }
    fn offset(&self) -> u16 {
        u16::try_from(self.base + self.tail.len()).unwrap_or(u16::MAX)
    }
    fn utf16(&mut self, s: Option<&str>) -> u16 {
        let Some(s) = s else { return 0 };
        let at = self.offset();
        self.tail.utf16z(s);
        at
    }
    fn bytes(&mut self, b: &[u8]) -> (u16, u16) {
        if b.is_empty() {
            return (0, 0);
        }
        let at = self.offset();
        self.tail.bytes(b);
        (u16::try_from(b.len()).unwrap_or(u16::MAX), at)
    }
    /// The tail, zero-padded so that the whole block is a multiple of [`AUX_ALIGN`].
    fn finish(mut self) -> Vec<u8> {
        while (self.base + self.tail.len()) % AUX_ALIGN != 0 {
            self.tail.u8(0);
        }
        self.tail.into_vec()
    }
}

impl AuxBlock {
    /// AUX_HEADER Version this block is sent with.
    pub fn version(&self) -> u8 {
        match self {
            AuxBlock::PerfSessionInfoV2 { .. } => AUX_VERSION_2,
            AuxBlock::PerfProcessInfo(p) => p.version,
            AuxBlock::Unknown { version, .. } => *version,
            _ => AUX_VERSION_1,
        }
    }

    /// AUX_HEADER Type of this block.
    pub fn aux_type(&self) -> u8 {
        match self {
            AuxBlock::PerfRequestId { .. } => AUX_TYPE_PERF_REQUESTID,
            AuxBlock::PerfSessionInfo { .. } | AuxBlock::PerfSessionInfoV2 { .. } => {
                AUX_TYPE_PERF_SESSIONINFO
            }
            AuxBlock::PerfClientInfo(_) => AUX_TYPE_PERF_CLIENTINFO,
            AuxBlock::PerfServerInfo(_) => AUX_TYPE_PERF_SERVERINFO,
            AuxBlock::PerfProcessInfo(_) => AUX_TYPE_PERF_PROCESSINFO,
            AuxBlock::ClientControl { .. } => AUX_TYPE_CLIENT_CONTROL,
            AuxBlock::OsVersionInfo(_) => AUX_TYPE_OSVERSIONINFO,
            AuxBlock::ExOrgInfo { .. } => AUX_TYPE_EXORGINFO,
            AuxBlock::ServerCapabilities { .. } => AUX_TYPE_SERVER_CAPABILITIES,
            AuxBlock::EndpointCapabilities { .. } => AUX_TYPE_ENDPOINT_CAPABILITIES,
            AuxBlock::ClientConnectionInfo(_) => AUX_TYPE_CLIENT_CONNECTION_INFO,
            AuxBlock::ServerSessionInfo(_) => AUX_TYPE_SERVER_SESSION_INFO,
            AuxBlock::Unknown { aux_type, .. } => *aux_type,
        }
    }

    /// The MS-OXCRPC name of this block's type ([`type_name`]).
    pub fn name(&self) -> &'static str {
        type_name(self.version(), self.aux_type())
    }

    /// Builds a block from its header fields and data. Types with a layout here decode to their
    /// variant; everything else, and data too short for the layout, stays [`AuxBlock::Unknown`].
    /// Bytes after a fixed-size layout (alignment padding) are dropped.
    pub fn from_parts(version: u8, aux_type: u8, data: &[u8]) -> AuxBlock {
        Self::decode_typed(version, aux_type, data).unwrap_or_else(|_| AuxBlock::Unknown {
            version,
            aux_type,
            data: data.to_vec(),
        })
    }

    fn decode_typed(version: u8, aux_type: u8, data: &[u8]) -> DecodeResult<AuxBlock> {
        let r = &mut Reader::new(data);
        let unknown = || DecodeError::Invalid { offset: 0, what: "AUX block", detail: String::new() };
        Ok(match (version, aux_type) {
            (AUX_VERSION_1, AUX_TYPE_PERF_REQUESTID) => {
                AuxBlock::PerfRequestId { session_id: r.u16("SessionID")?, request_id: r.u16("RequestID")? }
            }
            (AUX_VERSION_1, AUX_TYPE_PERF_SESSIONINFO) => AuxBlock::PerfSessionInfo {
                session_id: r.u16("SessionID")?,
                reserved: r.u16("Reserved")?,
                session_guid: r.guid("SessionGuid")?,
            },
            (AUX_VERSION_2, AUX_TYPE_PERF_SESSIONINFO) => AuxBlock::PerfSessionInfoV2 {
                session_id: r.u16("SessionID")?,
                reserved: r.u16("Reserved")?,
                session_guid: r.guid("SessionGuid")?,
                connection_id: r.u32("ConnectionID")?,
            },
            (AUX_VERSION_1, AUX_TYPE_PERF_CLIENTINFO) => AuxBlock::PerfClientInfo(PerfClientInfo::decode(r)?),
            (AUX_VERSION_1, AUX_TYPE_PERF_SERVERINFO) => AuxBlock::PerfServerInfo(PerfServerInfo {
                server_id: r.u16("ServerID")?,
                server_type: r.u16("ServerType")?,
                server_dn_offset: r.u16("ServerDNOffset")?,
                server_name_offset: r.u16("ServerNameOffset")?,
                tail: r.take_rest().to_vec(),
            }),
            (AUX_VERSION_1 | AUX_VERSION_2, AUX_TYPE_PERF_PROCESSINFO) => {
                AuxBlock::PerfProcessInfo(PerfProcessInfo {
                    version,
                    process_id: r.u16("ProcessID")?,
                    reserved1: r.u16("Reserved1")?,
                    process_guid: r.guid("ProcessGuid")?,
                    process_name_offset: r.u16("ProcessNameOffset")?,
                    reserved2: r.u16("Reserved2")?,
                    tail: r.take_rest().to_vec(),
                })
            }
            (AUX_VERSION_1, AUX_TYPE_CLIENT_CONTROL) => AuxBlock::ClientControl {
                enable_flags: r.u32("EnableFlags")?,
                expiry_time: r.u32("ExpiryTime")?,
            },
            (AUX_VERSION_1, AUX_TYPE_OSVERSIONINFO) if data.len() == OsVersionInfo::DATA_LEN => {
                AuxBlock::OsVersionInfo(OsVersionInfo {
                    os_version_info_size: r.u32("OSVersionInfoSize")?,
                    major_version: r.u32("MajorVersion")?,
                    minor_version: r.u32("MinorVersion")?,
                    build_number: r.u32("BuildNumber")?,
                    reserved1: r.array("Reserved_1")?,
                    service_pack_major: r.u16("ServicePackMajor")?,
                    service_pack_minor: r.u16("ServicePackMinor")?,
                    reserved2: r.u32("Reserved_2")?,
                })
            }
            (AUX_VERSION_1, AUX_TYPE_EXORGINFO) => AuxBlock::ExOrgInfo { org_flags: r.u32("OrgFlags")? },
            (AUX_VERSION_1, AUX_TYPE_SERVER_CAPABILITIES) => {
                AuxBlock::ServerCapabilities { flags: r.u32("ServerCapabilityFlags")? }
            }
            (AUX_VERSION_1, AUX_TYPE_ENDPOINT_CAPABILITIES) => {
                AuxBlock::EndpointCapabilities { flags: r.u32("EndpointCapabilityFlag")? }
            }
            (AUX_VERSION_1, AUX_TYPE_CLIENT_CONNECTION_INFO) => {
                AuxBlock::ClientConnectionInfo(ClientConnectionInfo {
                    connection_guid: r.guid("ConnectionGUID")?,
                    offset_connection_context_info: r.u16("OffsetConnectionContextInfo")?,
                    reserved: r.u16("Reserved")?,
                    connection_attempts: r.u32("ConnectionAttempts")?,
                    connection_flags: r.u32("ConnectionFlags")?,
                    tail: r.take_rest().to_vec(),
                })
            }
            (AUX_VERSION_1, AUX_TYPE_SERVER_SESSION_INFO) => AuxBlock::ServerSessionInfo(ServerSessionInfo {
                offset_server_session_context_info: r.u16("OffsetServerSessionContextInfo")?,
                tail: r.take_rest().to_vec(),
            }),
            _ => return Err(unknown()),
        })
    }

    /// Writes the block data (without AUX_HEADER and padding).
    fn encode_data(&self, w: &mut Writer) {
        match self {
            AuxBlock::PerfRequestId { session_id, request_id } => {
                w.u16(*session_id);
                w.u16(*request_id);
            }
            AuxBlock::PerfSessionInfo { session_id, reserved, session_guid } => {
                w.u16(*session_id);
                w.u16(*reserved);
                w.guid(session_guid);
            }
            AuxBlock::PerfSessionInfoV2 { session_id, reserved, session_guid, connection_id } => {
                w.u16(*session_id);
                w.u16(*reserved);
                w.guid(session_guid);
                w.u32(*connection_id);
            }
            AuxBlock::PerfClientInfo(c) => c.encode(w),
            AuxBlock::PerfServerInfo(s) => {
                w.u16(s.server_id);
                w.u16(s.server_type);
                w.u16(s.server_dn_offset);
                w.u16(s.server_name_offset);
                w.bytes(&s.tail);
            }
            AuxBlock::PerfProcessInfo(p) => {
                w.u16(p.process_id);
                w.u16(p.reserved1);
                w.guid(&p.process_guid);
                w.u16(p.process_name_offset);
                w.u16(p.reserved2);
                w.bytes(&p.tail);
            }
            AuxBlock::ClientControl { enable_flags, expiry_time } => {
                w.u32(*enable_flags);
                w.u32(*expiry_time);
            }
            AuxBlock::OsVersionInfo(o) => {
                w.u32(o.os_version_info_size);
                w.u32(o.major_version);
                w.u32(o.minor_version);
                w.u32(o.build_number);
                w.bytes(&o.reserved1);
                w.u16(o.service_pack_major);
                w.u16(o.service_pack_minor);
                w.u32(o.reserved2);
            }
            AuxBlock::ExOrgInfo { org_flags: v }
            | AuxBlock::ServerCapabilities { flags: v }
            | AuxBlock::EndpointCapabilities { flags: v } => w.u32(*v),
            AuxBlock::ClientConnectionInfo(c) => {
                w.guid(&c.connection_guid);
                w.u16(c.offset_connection_context_info);
                w.u16(c.reserved);
                w.u32(c.connection_attempts);
                w.u32(c.connection_flags);
                w.bytes(&c.tail);
            }
            AuxBlock::ServerSessionInfo(s) => {
                w.u16(s.offset_server_session_context_info);
                w.bytes(&s.tail);
            }
            AuxBlock::Unknown { data, .. } => w.bytes(data),
        }
    }
}

/// Decodes an auxiliary payload (after the RPC_HEADER_EXT): AUX_HEADER + data blocks until the
/// payload ends. Each block is taken by its Size, whatever its type; a Size below 4 or beyond
/// the payload is an error. Offsets in errors are relative to the payload.
pub fn decode_aux_payload(payload: &[u8]) -> DecodeResult<Vec<AuxBlock>> {
    let mut r = Reader::new(payload);
    let mut blocks = Vec::new();
    while !r.is_empty() {
        let at = r.position();
        let h = AuxHeader::decode(&mut r)?;
        let Some(data_len) = usize::from(h.size).checked_sub(AuxHeader::LEN) else {
            return Err(DecodeError::Invalid {
                offset: at,
                what: "AUX_HEADER Size",
                detail: format!("{} is smaller than the 4-byte header", h.size),
            });
        };
        let data = r.take(data_len, "AUX block data")?;
        blocks.push(AuxBlock::from_parts(h.version, h.aux_type, data));
    }
    Ok(blocks)
}

/// Encodes blocks as an auxiliary payload, each zero-padded so that its Size is a multiple of 4
/// as gromox does (`aux_ext_push_aux_header`). A block over 0xFFFC bytes is an error.
pub fn encode_aux_payload(blocks: &[AuxBlock]) -> Result<Vec<u8>, EncodeError> {
    let mut w = Writer::new();
    for b in blocks {
        let at = w.len();
        w.u32(0); // AUX_HEADER, patched below
        b.encode_data(&mut w);
        while (w.len() - at) % AUX_ALIGN != 0 {
            w.u8(0);
        }
        let size = w.len() - at;
        let Ok(size16) = u16::try_from(size) else {
            return Err(EncodeError::TooLarge { what: "AUX block", len: size, limit: 0xFFFC });
        };
        w.patch_u16(at, size16);
        w.patch_u16(at + 2, u16::from_le_bytes([b.version(), b.aux_type()]));
    }
    Ok(w.into_vec())
}

/// Decodes a whole auxiliary buffer (MS-OXCRPC 3.1.4.1.1.1.2): empty means no blocks; otherwise
/// one RPC_HEADER_EXT block with Last set (un-XORed and decompressed as flagged) holding AUX
/// blocks.
///
/// Limits (MS-OXCRPC 3.1.4.1): over [`MAX_AUX_BUFFER`] bytes → [`DecodeError::TooLarge`]
/// (RPC_X_BAD_STUB_DATA); 1..=7 bytes → [`DecodeError::Truncated`] (ecRpcFailed). More than one
/// RPC_HEADER_EXT block is [`DecodeError::Invalid`].
pub fn decode_aux_buffer(buf: &[u8]) -> DecodeResult<Vec<AuxBlock>> {
    if buf.is_empty() {
        return Ok(Vec::new());
    }
    if buf.len() > MAX_AUX_BUFFER {
        return Err(DecodeError::TooLarge {
            offset: 0,
            what: "auxiliary buffer",
            value: buf.len() as u64,
            limit: MAX_AUX_BUFFER as u64,
        });
    }
    if buf.len() < MIN_AUX_BUFFER {
        return Err(DecodeError::Truncated {
            offset: buf.len(),
            needed: MIN_AUX_BUFFER - buf.len(),
            what: "auxiliary buffer RPC_HEADER_EXT",
        });
    }
    let blocks = rpc_ext::decode_blocks(buf)?;
    if blocks.len() != 1 {
        return Err(DecodeError::Invalid {
            offset: 0,
            what: "auxiliary buffer",
            detail: format!("{} RPC_HEADER_EXT blocks, expected exactly one", blocks.len()),
        });
    }
    decode_aux_payload(&blocks[0].payload)
}

/// Encodes blocks as an uncompressed, unobfuscated auxiliary buffer (one RPC_HEADER_EXT with
/// Last set), as gromox sends it. No blocks give an empty buffer.
pub fn encode_aux_buffer(blocks: &[AuxBlock]) -> Result<Vec<u8>, EncodeError> {
    encode_aux_buffer_with(blocks, false, false)
}

/// Like [`encode_aux_buffer`], optionally compressing (kept when smaller) and obfuscating. Fails
/// when the buffer would exceed [`MAX_AUX_BUFFER`].
pub fn encode_aux_buffer_with(
    blocks: &[AuxBlock],
    compress: bool,
    xor: bool,
) -> Result<Vec<u8>, EncodeError> {
    if blocks.is_empty() {
        return Ok(Vec::new());
    }
    let payload = encode_aux_payload(blocks)?;
    let buf = rpc_ext::encode_block(&payload, EncodeOptions { compress, xor, last: true })?;
    if buf.len() > MAX_AUX_BUFFER {
        return Err(EncodeError::TooLarge {
            what: "auxiliary buffer",
            len: buf.len(),
            limit: MAX_AUX_BUFFER,
        });
    }
    Ok(buf)
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn hex(s: &str) -> Vec<u8> {
        s.split_whitespace().map(|b| u8::from_str_radix(b, 16).unwrap()).collect()
    }

    const D_AUX_GROMOX: &str = "00 00 04 00 1c 00 1c 00 08 00 01 17 03 00 00 00
                                0c 00 01 0a 0c 00 00 00 00 84 0c 24 08 00 01 48
                                01 00 00 00";

    fn gromox_connect_blocks() -> Vec<AuxBlock> {
        vec![
            AuxBlock::ExOrgInfo {
                org_flags: PUBLIC_FOLDERS_ENABLED | USE_AUTODISCOVER_FOR_PUBLIC_FOLDER_CONFIGURATION,
            },
            AuxBlock::ClientControl {
                enable_flags: ENABLE_COMPRESSION | ENABLE_HTTP_TUNNELING,
                expiry_time: 604_800_000,
            },
            AuxBlock::EndpointCapabilities { flags: ENDPOINT_CAPABILITIES_SINGLE_ENDPOINT },
        ]
    }

    #[test]
    fn d_aux_gromox_encode_and_decode() {
        let bytes = hex(D_AUX_GROMOX);
        assert_eq!(encode_aux_buffer(&gromox_connect_blocks()).unwrap(), bytes);
        let blocks = decode_aux_buffer(&bytes).unwrap();
        assert_eq!(blocks, gromox_connect_blocks());
        let names: Vec<_> = blocks.iter().map(AuxBlock::name).collect();
        assert_eq!(
            names,
            ["AUX_TYPE_EXORGINFO", "AUX_TYPE_CLIENT_CONTROL", "AUX_TYPE_ENDPOINT_CAPABILITIES"]
        );
        // Compressed and obfuscated variants decode to the same blocks.
        let packed = encode_aux_buffer_with(&blocks, true, true).unwrap();
        assert_eq!(decode_aux_buffer(&packed).unwrap(), blocks);
    }

    #[test]
    fn limits() {
        assert_eq!(decode_aux_buffer(&[]).unwrap(), vec![]);
        assert_eq!(encode_aux_buffer(&[]).unwrap(), Vec::<u8>::new());
        for n in 1..8 {
            assert!(matches!(decode_aux_buffer(&vec![0; n]), Err(DecodeError::Truncated { .. })));
        }
        assert!(matches!(decode_aux_buffer(&vec![0; 0x1009]), Err(DecodeError::TooLarge { .. })));
        // Exactly at the limit: one RPC_HEADER_EXT and 0x1000 bytes of unknown blocks.
        let big = vec![AuxBlock::Unknown { version: 1, aux_type: 0x99, data: vec![7; 0x1000 - 4] }];
        let buf = encode_aux_buffer(&big).unwrap();
        assert_eq!(buf.len(), MAX_AUX_BUFFER);
        assert_eq!(decode_aux_buffer(&buf).unwrap(), big);
        let bigger = vec![AuxBlock::Unknown { version: 1, aux_type: 0x99, data: vec![7; 0x1000] }];
        assert!(encode_aux_buffer(&bigger).is_err());
        // ...but it compresses well enough to fit.
        assert!(encode_aux_buffer_with(&bigger, true, false).is_ok());
        // Two RPC_HEADER_EXT blocks are not an aux buffer.
        let two = rpc_ext::encode_chain(&[&hex("08 00 01 17 03 00 00 00"), &[]], false, false).unwrap();
        assert!(matches!(decode_aux_buffer(&two), Err(DecodeError::Invalid { .. })));
    }

    #[test]
    fn bad_sizes_and_unknown_blocks() {
        // Size below the header.
        assert!(decode_aux_payload(&hex("03 00 01 01")).is_err());
        assert!(decode_aux_payload(&hex("00 00 01 01")).is_err());
        // Size beyond the payload.
        assert!(matches!(decode_aux_payload(&hex("0c 00 01 01 00 00")), Err(DecodeError::Truncated { .. })));
        // Header cut short.
        assert!(decode_aux_payload(&hex("08 00 01")).is_err());
        // Unknown type and version are skipped by Size; a known type that is too short too.
        let blocks =
            decode_aux_payload(&hex("06 00 07 01 aa bb  05 00 01 4e 99  06 00 01 17 01 02")).unwrap();
        assert_eq!(
            blocks,
            vec![
                AuxBlock::Unknown { version: 7, aux_type: 1, data: vec![0xaa, 0xbb] },
                AuxBlock::Unknown { version: 1, aux_type: 0x4e, data: vec![0x99] },
                AuxBlock::Unknown { version: 1, aux_type: 0x17, data: vec![1, 2] },
            ]
        );
        assert_eq!(blocks[1].name(), "AUX_TYPE_PROTOCOL_DEVICE_IDENTIFICATION");
        assert_eq!(blocks[0].name(), "unknown");
        assert_eq!(type_name(2, AUX_TYPE_PERF_FG_FAILURE), "AUX_TYPE_PERF_FG_FAILURE_V2");
        // Padding after a fixed layout is dropped.
        assert_eq!(
            decode_aux_payload(&hex("0c 00 01 17 05 00 00 00 00 00 00 00")).unwrap(),
            vec![AuxBlock::ExOrgInfo { org_flags: 5 }]
        );
        // OSVERSIONINFO of an unexpected size stays raw.
        let b = decode_aux_payload(&hex("0c 00 01 16 01 00 00 00 02 00 00 00")).unwrap();
        assert!(matches!(b[0], AuxBlock::Unknown { aux_type: AUX_TYPE_OSVERSIONINFO, .. }));
    }

    #[test]
    fn strings_through_offsets() {
        let guid = Guid::from_fields(0x01020304, 0x0506, 0x0708, [9, 10, 11, 12, 13, 14, 15, 16]);
        let ci = PerfClientInfo::new(
            100_000_000,
            7,
            Some("WS-01"),
            Some("jane"),
            &[10, 0, 0, 5],
            &[255, 255, 255, 0],
            Some("Ethernet"),
            &[0, 1, 2, 3, 4, 5],
            2,
        );
        let blocks = vec![
            AuxBlock::PerfClientInfo(ci),
            AuxBlock::PerfServerInfo(PerfServerInfo::new(1, 1, Some("/o=Org/cn=srv"), Some("srv"))),
            AuxBlock::PerfProcessInfo(PerfProcessInfo::new(3, guid, Some("OUTLOOK.EXE"))),
            AuxBlock::ClientConnectionInfo(ClientConnectionInfo::new(guid, 1, 1, Some("ctx"))),
            AuxBlock::ServerSessionInfo(ServerSessionInfo::new(Some("s"))),
            AuxBlock::ServerSessionInfo(ServerSessionInfo::new(None)),
        ];
        let payload = encode_aux_payload(&blocks).unwrap();
        let back = decode_aux_payload(&payload).unwrap();
        assert_eq!(back, blocks);
        let AuxBlock::PerfClientInfo(c) = &back[0] else { panic!() };
        assert_eq!(c.machine_name().as_deref(), Some("WS-01"));
        assert_eq!(c.user_name().as_deref(), Some("jane"));
        assert_eq!(c.adapter_name().as_deref(), Some("Ethernet"));
        assert_eq!(c.client_ip(), Some(&[10, 0, 0, 5][..]));
        assert_eq!(c.client_ip_mask(), Some(&[255, 255, 255, 0][..]));
        assert_eq!(c.mac_address(), Some(&[0, 1, 2, 3, 4, 5][..]));
        assert_eq!(c.machine_name_offset, 32);
        let AuxBlock::PerfServerInfo(s) = &back[1] else { panic!() };
        assert_eq!(s.server_dn().as_deref(), Some("/o=Org/cn=srv"));
        assert_eq!(s.server_name().as_deref(), Some("srv"));
        let AuxBlock::PerfProcessInfo(p) = &back[2] else { panic!() };
        assert_eq!(p.process_name().as_deref(), Some("OUTLOOK.EXE"));
        assert_eq!(back[2].name(), "AUX_TYPE_PERF_PROCESSINFO");
        let AuxBlock::ClientConnectionInfo(cc) = &back[3] else { panic!() };
        assert_eq!(cc.connection_context_info().as_deref(), Some("ctx"));
        let AuxBlock::ServerSessionInfo(ss) = &back[4] else { panic!() };
        assert_eq!(ss.server_session_context_info().as_deref(), Some("s"));
        let AuxBlock::ServerSessionInfo(ss) = &back[5] else { panic!() };
        assert_eq!(ss.server_session_context_info(), None);
        // Offsets that point outside the block or into the fixed part give None.
        let bad = PerfServerInfo { server_dn_offset: 4, server_name_offset: 400, ..s.clone() };
        assert_eq!((bad.server_dn(), bad.server_name()), (None, None));
        // Every block's size is a multiple of 4.
        let mut r = Reader::new(&payload);
        while !r.is_empty() {
            let size = r.u16("size").unwrap();
            assert_eq!(size % 4, 0);
            r.take(usize::from(size) - 2, "rest").unwrap();
        }
    }

    fn guid() -> impl Strategy<Value = Guid> {
        any::<[u8; 16]>().prop_map(Guid)
    }

    /// A tail whose length keeps the block aligned (so that encoding adds no padding).
    fn tail(base: usize) -> impl Strategy<Value = Vec<u8>> {
        proptest::collection::vec(any::<u8>(), 0..64).prop_map(move |mut t| {
            while (base + t.len()) % AUX_ALIGN != 0 {
                t.push(0);
            }
            t
        })
    }

    fn typed_fixed() -> impl Strategy<Value = AuxBlock> {
        prop_oneof![
            (any::<u16>(), any::<u16>())
                .prop_map(|(session_id, request_id)| AuxBlock::PerfRequestId { session_id, request_id }),
            (any::<u16>(), any::<u16>(), guid()).prop_map(|(session_id, reserved, session_guid)| {
                AuxBlock::PerfSessionInfo { session_id, reserved, session_guid }
            }),
            (any::<u16>(), any::<u16>(), guid(), any::<u32>()).prop_map(|(a, b, g, c)| {
                AuxBlock::PerfSessionInfoV2 { session_id: a, reserved: b, session_guid: g, connection_id: c }
            }),
            (any::<u32>(), any::<u32>()).prop_map(|(enable_flags, expiry_time)| AuxBlock::ClientControl {
                enable_flags,
                expiry_time
            }),
            any::<u32>().prop_map(|org_flags| AuxBlock::ExOrgInfo { org_flags }),
            any::<u32>().prop_map(|flags| AuxBlock::ServerCapabilities { flags }),
            any::<u32>().prop_map(|flags| AuxBlock::EndpointCapabilities { flags }),
            (any::<[u32; 5]>(), any::<[u16; 2]>(), any::<u8>()).prop_map(|(a, b, fill)| {
                AuxBlock::OsVersionInfo(OsVersionInfo {
                    os_version_info_size: a[0],
                    major_version: a[1],
                    minor_version: a[2],
                    build_number: a[3],
                    reserved1: [fill; 132],
                    service_pack_major: b[0],
                    service_pack_minor: b[1],
                    reserved2: a[4],
                })
            }),
        ]
    }

    fn typed_variable() -> impl Strategy<Value = AuxBlock> {
        prop_oneof![
            (any::<u32>(), any::<[u16; 12]>(), tail(PerfClientInfo::TAIL_BASE)).prop_map(
                |(speed, f, tail)| {
                    AuxBlock::PerfClientInfo(PerfClientInfo {
                        adapter_speed: speed,
                        client_id: f[0],
                        machine_name_offset: f[1],
                        user_name_offset: f[2],
                        client_ip_size: f[3],
                        client_ip_offset: f[4],
                        client_ip_mask_size: f[5],
                        client_ip_mask_offset: f[6],
                        adapter_name_offset: f[7],
                        mac_address_size: f[8],
                        mac_address_offset: f[9],
                        client_mode: f[10],
                        reserved: f[11],
                        tail,
                    })
                }
            ),
            (any::<[u16; 4]>(), tail(PerfServerInfo::TAIL_BASE)).prop_map(|(f, tail)| {
                AuxBlock::PerfServerInfo(PerfServerInfo {
                    server_id: f[0],
                    server_type: f[1],
                    server_dn_offset: f[2],
                    server_name_offset: f[3],
                    tail,
                })
            }),
            (1u8..=2, any::<[u16; 4]>(), guid(), tail(PerfProcessInfo::TAIL_BASE)).prop_map(
                |(version, f, g, tail)| {
                    AuxBlock::PerfProcessInfo(PerfProcessInfo {
                        version,
                        process_id: f[0],
                        reserved1: f[1],
                        process_guid: g,
                        process_name_offset: f[2],
                        reserved2: f[3],
                        tail,
                    })
                }
            ),
            (guid(), any::<[u16; 2]>(), any::<[u32; 2]>(), tail(ClientConnectionInfo::TAIL_BASE)).prop_map(
                |(g, a, b, tail)| {
                    AuxBlock::ClientConnectionInfo(ClientConnectionInfo {
                        connection_guid: g,
                        offset_connection_context_info: a[0],
                        reserved: a[1],
                        connection_attempts: b[0],
                        connection_flags: b[1],
                        tail,
                    })
                }
            ),
            (any::<u16>(), tail(ServerSessionInfo::TAIL_BASE)).prop_map(|(o, tail)| {
                AuxBlock::ServerSessionInfo(ServerSessionInfo { offset_server_session_context_info: o, tail })
            }),
            // Blocks built from strings.
            (".{0,12}", proptest::option::of(".{0,12}"), any::<u16>()).prop_map(|(a, b, id)| {
                AuxBlock::PerfServerInfo(PerfServerInfo::new(id, 2, Some(&a), b.as_deref()))
            }),
        ]
    }

    fn unknown() -> impl Strategy<Value = AuxBlock> {
        (any::<u8>(), any::<u8>(), proptest::collection::vec(any::<u8>(), 0..40))
            .prop_filter("typed version/type", |(v, t, _)| AuxBlock::decode_typed(*v, *t, &[0; 200]).is_err())
            .prop_map(|(version, aux_type, mut data)| {
                data.truncate(data.len() / 4 * 4);
                AuxBlock::Unknown { version, aux_type, data }
            })
    }

    fn block() -> impl Strategy<Value = AuxBlock> {
        prop_oneof![typed_fixed(), typed_variable(), unknown()]
    }

    proptest! {
        #[test]
        fn payload_round_trip(blocks in proptest::collection::vec(block(), 0..8)) {
            let payload = encode_aux_payload(&blocks).unwrap();
            prop_assert_eq!(decode_aux_payload(&payload).unwrap(), blocks.clone());
            if !blocks.is_empty() {
                for (c, x) in [(false, false), (true, false), (false, true), (true, true)] {
                    let buf = encode_aux_buffer_with(&blocks, c, x).unwrap();
                    prop_assert_eq!(decode_aux_buffer(&buf).unwrap(), blocks.clone());
                }
            }
        }

        #[test]
        fn never_panics_on_garbage(payload in proptest::collection::vec(any::<u8>(), 0..600)) {
            if let Ok(blocks) = decode_aux_payload(&payload) {
                // Whatever decoded re-encodes and decodes again.
                let again = encode_aux_payload(&blocks).unwrap();
                prop_assert!(decode_aux_payload(&again).is_ok());
                for b in &blocks {
                    let _ = b.name();
                    match b {
                        AuxBlock::PerfClientInfo(c) => {
                            let _ = (c.machine_name(), c.user_name(), c.adapter_name(), c.client_ip(), c.mac_address());
                        }
                        AuxBlock::PerfServerInfo(s) => { let _ = (s.server_dn(), s.server_name()); }
                        _ => {}
                    }
                }
            }
            let _ = decode_aux_buffer(&payload);
        }

        #[test]
        fn never_panics_on_structured_garbage(
            parts in proptest::collection::vec((0u16..80, 1u8..=2, prop::sample::select(vec![1u8, 2, 3, 4, 0x0a, 0x0b, 0x16, 0x17, 0x46, 0x48, 0x4a, 0x4b]), proptest::collection::vec(any::<u8>(), 0..80)), 0..6),
        ) {
            let mut payload = Vec::new();
            for (size, v, t, data) in parts {
                payload.extend_from_slice(&size.to_le_bytes());
                payload.push(v);
                payload.push(t);
                payload.extend_from_slice(&data);
            }
            if let Ok(blocks) = decode_aux_payload(&payload) {
                for b in &blocks {
                    if let AuxBlock::PerfClientInfo(c) = b {
                        let _ = (c.machine_name(), c.client_ip_mask());
                    }
                }
            }
        }
    }
}
