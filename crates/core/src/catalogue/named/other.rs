//! The smaller LID sets: PSETID_Log (journal entries, MS-OXOJRNL 2.2), PSETID_Note (sticky
//! notes, MS-OXONOTE 2.2), PSETID_PostRss (RSS items, MS-OXORSS 2.2) and PSETID_Remote
//! (remote-mail headers, MS-OXOMSG 2.2) (MS-OXPROPS section 2). LIDs and types from MS-OXPROPS,
//! cross-checked against MFCMAPI's and OpenChange's tables.

use super::{NameKey, NameRef, NamedEntry};
use crate::guid::{PSETID_LOG as L, PSETID_NOTE as N, PSETID_POST_RSS as R, PSETID_REMOTE as RM};
use crate::ptype::PropType;

named_entries! {
    [L, "Journal"]
    PidLidLogType = Id(0x8700), String;
    PidLidLogStart = Id(0x8706), Time;
    PidLidLogDuration = Id(0x8707), Integer32;
    PidLidLogEnd = Id(0x8708), Time;
    PidLidLogFlags = Id(0x870C), Integer32;
    PidLidLogDocumentPrinted = Id(0x870E), Boolean;
    PidLidLogDocumentSaved = Id(0x870F), Boolean;
    PidLidLogDocumentRouted = Id(0x8710), Boolean;
    PidLidLogDocumentPosted = Id(0x8711), Boolean;
    PidLidLogTypeDesc = Id(0x8712), String;

    [N, "Sticky Notes"]
    PidLidNoteColor = Id(0x8B00), Integer32;
    PidLidNoteWidth = Id(0x8B02), Integer32;
    PidLidNoteHeight = Id(0x8B03), Integer32;
    PidLidNoteX = Id(0x8B04), Integer32;
    PidLidNoteY = Id(0x8B05), Integer32;

    [R, "RSS"]
    PidLidPostRssChannelLink = Id(0x8900), String;
    PidLidPostRssItemLink = Id(0x8901), String;
    PidLidPostRssItemHash = Id(0x8902), Integer32;
    PidLidPostRssItemGuid = Id(0x8903), String;
    PidLidPostRssChannel = Id(0x8904), String;
    PidLidPostRssItemXml = Id(0x8905), String;
    PidLidPostRssSubscription = Id(0x8906), String;

    [RM, "Remote Mail"]
    PidLidRemoteEntryId = Id(0x8F01), Binary;
    // The Outlook reference gives no type for these two; MFCMAPI's table says PT_STRING8.
    PidLidRemoteMessageClass = Id(0x8F02), String8;
    PidLidRemoteTransport = Id(0x8F03), String8;
    PidLidRemoteTransferTime = Id(0x8F04), Integer32;
    PidLidRemoteTransferSize = Id(0x8F05), Integer32;
    PidLidRemoteSearchKey = Id(0x8F06), Binary;
    PidLidRemoteAttachment = Id(0x8F07), Boolean;
}
