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

mod layouts;

pub use layouts::*;

#[cfg(test)]
mod tests;
