//! ROP identifiers (MS-OXCROPS 2.2.2; protocol-facts §3.2).

macro_rules! rop_ids {
    ($( $name:ident = $value:literal; )*) => {
        /// A RopId. Reserved values are not representable; decoding them fails the whole buffer
        /// as MS-OXCROPS 2.2.2 requires.
        #[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug)]
        #[repr(u8)]
        pub enum RopId {
            $( #[doc = concat!("Rop", stringify!($name))] $name = $value, )*
        }

        impl RopId {
            /// Every defined RopId.
            pub const ALL: &'static [RopId] = &[ $( RopId::$name, )* ];

            /// The MS-OXCROPS name (`RopOpenFolder`).
            pub fn name(self) -> &'static str {
                match self { $( RopId::$name => concat!("Rop", stringify!($name)), )* }
            }
        }

        impl TryFrom<u8> for RopId {
            type Error = u8;
            fn try_from(v: u8) -> Result<Self, u8> {
                match v {
                    $( $value => Ok(RopId::$name), )*
                    other => Err(other),
                }
            }
        }
    };
}

rop_ids! {
    Release = 0x01;
    OpenFolder = 0x02;
    OpenMessage = 0x03;
    GetHierarchyTable = 0x04;
    GetContentsTable = 0x05;
    CreateMessage = 0x06;
    GetPropertiesSpecific = 0x07;
    GetPropertiesAll = 0x08;
    GetPropertiesList = 0x09;
    SetProperties = 0x0A;
    DeleteProperties = 0x0B;
    SaveChangesMessage = 0x0C;
    RemoveAllRecipients = 0x0D;
    ModifyRecipients = 0x0E;
    ReadRecipients = 0x0F;
    ReloadCachedInformation = 0x10;
    SetMessageReadFlag = 0x11;
    SetColumns = 0x12;
    SortTable = 0x13;
    Restrict = 0x14;
    QueryRows = 0x15;
    GetStatus = 0x16;
    QueryPosition = 0x17;
    SeekRow = 0x18;
    SeekRowBookmark = 0x19;
    SeekRowFractional = 0x1A;
    CreateBookmark = 0x1B;
    CreateFolder = 0x1C;
    DeleteFolder = 0x1D;
    DeleteMessages = 0x1E;
    GetMessageStatus = 0x1F;
    SetMessageStatus = 0x20;
    GetAttachmentTable = 0x21;
    OpenAttachment = 0x22;
    CreateAttachment = 0x23;
    DeleteAttachment = 0x24;
    SaveChangesAttachment = 0x25;
    SetReceiveFolder = 0x26;
    GetReceiveFolder = 0x27;
    RegisterNotification = 0x29;
    Notify = 0x2A;
    OpenStream = 0x2B;
    ReadStream = 0x2C;
    WriteStream = 0x2D;
    SeekStream = 0x2E;
    SetStreamSize = 0x2F;
    SetSearchCriteria = 0x30;
    GetSearchCriteria = 0x31;
    SubmitMessage = 0x32;
    MoveCopyMessages = 0x33;
    AbortSubmit = 0x34;
    MoveFolder = 0x35;
    CopyFolder = 0x36;
    QueryColumnsAll = 0x37;
    Abort = 0x38;
    CopyTo = 0x39;
    CopyToStream = 0x3A;
    CloneStream = 0x3B;
    GetPermissionsTable = 0x3E;
    GetRulesTable = 0x3F;
    ModifyPermissions = 0x40;
    ModifyRules = 0x41;
    GetOwningServers = 0x42;
    LongTermIdFromId = 0x43;
    IdFromLongTermId = 0x44;
    PublicFolderIsGhosted = 0x45;
    OpenEmbeddedMessage = 0x46;
    SetSpooler = 0x47;
    SpoolerLockMessage = 0x48;
    GetAddressTypes = 0x49;
    TransportSend = 0x4A;
    FastTransferSourceCopyMessages = 0x4B;
    FastTransferSourceCopyFolder = 0x4C;
    FastTransferSourceCopyTo = 0x4D;
    FastTransferSourceGetBuffer = 0x4E;
    FindRow = 0x4F;
    Progress = 0x50;
    TransportNewMail = 0x51;
    GetValidAttachments = 0x52;
    FastTransferDestinationConfigure = 0x53;
    FastTransferDestinationPutBuffer = 0x54;
    GetNamesFromPropertyIds = 0x55;
    GetPropertyIdsFromNames = 0x56;
    UpdateDeferredActionMessages = 0x57;
    EmptyFolder = 0x58;
    ExpandRow = 0x59;
    CollapseRow = 0x5A;
    LockRegionStream = 0x5B;
    UnlockRegionStream = 0x5C;
    CommitStream = 0x5D;
    GetStreamSize = 0x5E;
    QueryNamedProperties = 0x5F;
    GetPerUserLongTermIds = 0x60;
    GetPerUserGuid = 0x61;
    ReadPerUserInformation = 0x63;
    WritePerUserInformation = 0x64;
    SetReadFlags = 0x66;
    CopyProperties = 0x67;
    GetReceiveFolderTable = 0x68;
    FastTransferSourceCopyProperties = 0x69;
    GetCollapseState = 0x6B;
    SetCollapseState = 0x6C;
    GetTransportFolder = 0x6D;
    Pending = 0x6E;
    OptionsData = 0x6F;
    SynchronizationConfigure = 0x70;
    SynchronizationImportMessageChange = 0x72;
    SynchronizationImportHierarchyChange = 0x73;
    SynchronizationImportDeletes = 0x74;
    SynchronizationUploadStateStreamBegin = 0x75;
    SynchronizationUploadStateStreamContinue = 0x76;
    SynchronizationUploadStateStreamEnd = 0x77;
    SynchronizationImportMessageMove = 0x78;
    SetPropertiesNoReplicate = 0x79;
    DeletePropertiesNoReplicate = 0x7A;
    GetStoreState = 0x7B;
    SynchronizationOpenCollector = 0x7E;
    GetLocalReplicaIds = 0x7F;
    SynchronizationImportReadStateChanges = 0x80;
    ResetTable = 0x81;
    SynchronizationGetTransferState = 0x82;
    TellVersion = 0x86;
    FreeBookmark = 0x89;
    WriteAndCommitStream = 0x90;
    HardDeleteMessages = 0x91;
    HardDeleteMessagesAndSubfolders = 0x92;
    SetLocalReplicaMidsetDeleted = 0x93;
    FastTransferDestinationPutBufferExtended = 0x9D;
    WriteStreamExtended = 0xA3;
    Backoff = 0xF9;
    Logon = 0xFE;
    BufferTooSmall = 0xFF;
}

impl RopId {
    /// True for the ROPs that create a server object and return it in `OutputHandleIndex`
    /// (MS-OXCROPS 2.2.1: their response echoes the output handle index).
    pub fn creates_object(self) -> bool {
        use RopId::*;
        matches!(
            self,
            Logon
                | OpenFolder
                | OpenMessage
                | GetHierarchyTable
                | GetContentsTable
                | CreateMessage
                | CreateFolder
                | GetAttachmentTable
                | OpenAttachment
                | CreateAttachment
                | RegisterNotification
                | OpenStream
                | CloneStream
                | OpenEmbeddedMessage
                | GetPermissionsTable
                | GetRulesTable
                | FastTransferSourceCopyMessages
                | FastTransferSourceCopyFolder
                | FastTransferSourceCopyTo
                | FastTransferSourceCopyProperties
                | FastTransferDestinationConfigure
                | SynchronizationConfigure
                | SynchronizationImportMessageChange
                | SynchronizationOpenCollector
                | SynchronizationGetTransferState
        )
    }

    /// Offset, in the request (counting the RopId byte), of the handle index its response
    /// echoes: `OutputHandleIndex` for ROPs that create objects (2 for RopLogon, which has no
    /// input handle; else 3), `ResponseHandleIndex`/`SourceHandleIndex`/`InputHandleIndex`
    /// otherwise (2). A server uses it to answer a ROP it does not implement with a bare
    /// failure response (MS-OXCROPS 2.2.1).
    pub fn response_index_offset(self) -> usize {
        match self {
            RopId::Logon => 2,
            id if id.creates_object() => 3,
            _ => 2,
        }
    }
}

impl std::fmt::Display for RopId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_reserved_are_rejected() {
        for &id in RopId::ALL {
            assert_eq!(RopId::try_from(id as u8), Ok(id));
        }
        assert_eq!(RopId::try_from(0x02).unwrap().name(), "RopOpenFolder");
        assert_eq!(RopId::try_from(0xFE).unwrap(), RopId::Logon);
        for reserved in [0x00u8, 0x28, 0x3C, 0x62, 0xFA] {
            assert!(RopId::try_from(reserved).is_err());
        }
    }
}
