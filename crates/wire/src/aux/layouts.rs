//! Auxiliary blocks with variable-length tails (MS-OXCRPC 2.2.2.2): fixed fields plus the
//! strings and addresses they locate by offset.

use super::*;

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

    pub(super) fn decode(r: &mut Reader<'_>) -> DecodeResult<Self> {
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

    pub(super) fn encode(&self, w: &mut Writer) {
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
pub(super) fn tail_utf16(tail: &[u8], base: usize, offset: u16) -> Option<String> {
    let at = usize::from(offset).checked_sub(base).filter(|_| offset != 0)?;
    Reader::new(tail.get(at..)?).utf16z("AUX string").ok()
}

/// The `size` bytes at AUX_HEADER offset `offset`, if they lie in the tail (`None` for offset 0).
pub(super) fn tail_bytes(tail: &[u8], base: usize, offset: u16, size: u16) -> Option<&[u8]> {
    let at = usize::from(offset).checked_sub(base).filter(|_| offset != 0)?;
    tail.get(at..at + usize::from(size))
}

/// Lays out the variable part of a block and hands back AUX_HEADER-relative offsets.
pub(super) struct TailBuilder {
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
