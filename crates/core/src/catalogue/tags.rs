//! Property tag declarations: each line defines a `PR_*` constant and a catalogue entry.
//! Sources: MS-OXPROPS (canonical names and ids), protocol-facts §6; values cross-checked
//! against the MFCMAPI and gromox tag tables. String tags use the Unicode type (0x001F /
//! 0x101F) unless only an 8-bit form exists; the look-up code derives the `_A`/`_W` forms.
#![allow(missing_docs)]

use super::TagEntry;
use crate::tag::PropTag;

macro_rules! tags {
    ($( $pr:ident = $value:literal, $canonical:literal; )*) => {
        $( pub const $pr: PropTag = PropTag($value); )*
        /// Every declared tag.
        pub static ENTRIES: &[TagEntry] = &[
            $( TagEntry { tag: PropTag($value), pr_name: stringify!($pr), canonical: $canonical }, )*
        ];
    };
}

tags! {
    // --- first entries (subject, Exchange profile connect flags, store support mask) ---
    PR_SUBJECT = 0x0037001F, "PidTagSubject";
    PR_PROFILE_CONNECT_FLAGS = 0x66040003, "PidTagProfileConnectFlags"; // not in MS-OXPROPS
    PR_STORE_SUPPORT_MASK = 0x340D0003, "PidTagStoreSupportMask";
    // --- messages: envelope and MTS ---
    PR_ALTERNATE_RECIPIENT_ALLOWED = 0x0002000B, "PidTagAlternateRecipientAllowed";
    PR_AUTHORIZING_USERS = 0x00030102, "PidTagAuthorizingUsers";
    PR_AUTO_FORWARD_COMMENT = 0x0004001F, "PidTagAutoForwardComment";
    PR_AUTO_FORWARDED = 0x0005000B, "PidTagAutoForwarded";
    PR_CONTENT_CORRELATOR = 0x00070102, "PidTagContentCorrelator";
    PR_CONTENT_IDENTIFIER = 0x0008001F, "PidTagContentIdentifier";
    PR_CONTENT_LENGTH = 0x00090003, "PidTagContentLength";
    PR_CONTENT_RETURN_REQUESTED = 0x000A000B, "PidTagContentReturnRequested";
    PR_CONVERSATION_KEY = 0x000B0102, "PidTagConversationKey";
    PR_DEFERRED_DELIVERY_TIME = 0x000F0040, "PidTagDeferredDeliveryTime";
    PR_DELIVER_TIME = 0x00100040, "PidTagDeliverTime";
    PR_DISCARD_REASON = 0x00110003, "PidTagDiscardReason";
    PR_DISCLOSURE_OF_RECIPIENTS = 0x0012000B, "PidTagDisclosureOfRecipients";
    PR_DL_EXPANSION_HISTORY = 0x00130102, "PidTagDistributionListExpansionHistory";
    PR_DL_EXPANSION_PROHIBITED = 0x0014000B, "PidTagDistributionListExpansionProhibited";
    PR_EXPIRY_TIME = 0x00150040, "PidTagExpiryTime";
    PR_IMPLICIT_CONVERSION_PROHIBITED = 0x0016000B, "PidTagImplicitConversionProhibited";
    PR_IMPORTANCE = 0x00170003, "PidTagImportance";
    PR_IPM_ID = 0x00180102, "PidTagIpmId";
    PR_LATEST_DELIVERY_TIME = 0x00190040, "PidTagLatestDeliveryTime";
    PR_MESSAGE_CLASS = 0x001A001F, "PidTagMessageClass";
    PR_MESSAGE_DELIVERY_ID = 0x001B0102, "PidTagMessageDeliveryId";
    PR_MESSAGE_SECURITY_LABEL = 0x001E0102, "PidTagMessageSecurityLabel";
    PR_OBSOLETED_IPMS = 0x001F0102, "PidTagObsoletedMessageIds";
    PR_ORIGINALLY_INTENDED_RECIPIENT_NAME = 0x00200102, "PidTagOriginallyIntendedRecipientName";
    PR_ORIGINAL_EITS = 0x00210102, "PidTagOriginalEits";
    PR_ORIGINATOR_CERTIFICATE = 0x00220102, "PidTagOriginatorCertificate";
    PR_ORIGINATOR_DELIVERY_REPORT_REQUESTED = 0x0023000B, "PidTagOriginatorDeliveryReportRequested";
    PR_ORIGINATOR_RETURN_ADDRESS = 0x00240102, "PidTagOriginatorReturnAddress";
    PR_PARENT_KEY = 0x00250102, "PidTagParentKey";
    PR_PRIORITY = 0x00260003, "PidTagPriority";
    PR_ORIGIN_CHECK = 0x00270102, "PidTagOriginCheck";
    PR_PROOF_OF_SUBMISSION_REQUESTED = 0x0028000B, "PidTagProofOfSubmissionRequested";
    PR_READ_RECEIPT_REQUESTED = 0x0029000B, "PidTagReadReceiptRequested";
    PR_RECEIPT_TIME = 0x002A0040, "PidTagReceiptTime";
    PR_RECIPIENT_REASSIGNMENT_PROHIBITED = 0x002B000B, "PidTagRecipientReassignmentProhibited";
    PR_REDIRECTION_HISTORY = 0x002C0102, "PidTagRedirectionHistory";
    PR_RELATED_IPMS = 0x002D0102, "PidTagRelatedMessageIds";
    PR_ORIGINAL_SENSITIVITY = 0x002E0003, "PidTagOriginalSensitivity";
    PR_LANGUAGES = 0x002F001F, "PidTagLanguages";
    PR_REPLY_TIME = 0x00300040, "PidTagReplyTime";
    PR_REPORT_TAG = 0x00310102, "PidTagReportTag";
    PR_REPORT_TIME = 0x00320040, "PidTagReportTime";
    PR_RETURNED_IPM = 0x0033000B, "PidTagReturnedMessageid";
    PR_SECURITY = 0x00340003, "PidTagSecurity";
    PR_INCOMPLETE_COPY = 0x0035000B, "PidTagIncompleteCopy";
    PR_SENSITIVITY = 0x00360003, "PidTagSensitivity";
    PR_SUBJECT_IPM = 0x00380102, "PidTagSubjectMessageId";
    PR_CLIENT_SUBMIT_TIME = 0x00390040, "PidTagClientSubmitTime";
    PR_REPORT_NAME = 0x003A001F, "PidTagReportName";
    PR_X400_CONTENT_TYPE = 0x003C0102, "PidTagX400ContentType";
    PR_SUBJECT_PREFIX = 0x003D001F, "PidTagSubjectPrefix";
    PR_NON_RECEIPT_REASON = 0x003E0003, "PidTagNonReceiptReason";
    PR_REPORT_ENTRYID = 0x00450102, "PidTagReportEntryId";
    PR_MESSAGE_SUBMISSION_ID = 0x00470102, "PidTagMessageSubmissionId";
    PR_PROVIDER_SUBMIT_TIME = 0x00480040, "PidTagProviderSubmitTime";
    PR_ORIGINAL_SUBJECT = 0x0049001F, "PidTagOriginalSubject";
    PR_DISC_VAL = 0x004A000B, "PidTagDiscVal";
    PR_ORIG_MESSAGE_CLASS = 0x004B001F, "PidTagOriginalMessageClass";
    PR_ORIGINAL_SUBMIT_TIME = 0x004E0040, "PidTagOriginalSubmitTime";
    PR_REPLY_RECIPIENT_ENTRIES = 0x004F0102, "PidTagReplyRecipientEntries";
    PR_REPLY_RECIPIENT_NAMES = 0x0050001F, "PidTagReplyRecipientNames";
    PR_REPORT_SEARCH_KEY = 0x00540102, "PidTagReportSearchKey";
    PR_ORIGINAL_DELIVERY_TIME = 0x00550040, "PidTagOriginalDeliveryTime";
    PR_MESSAGE_TO_ME = 0x0057000B, "PidTagMessageToMe";
    PR_MESSAGE_CC_ME = 0x0058000B, "PidTagMessageCcMe";
    PR_MESSAGE_RECIP_ME = 0x0059000B, "PidTagMessageRecipientMe";
    PR_CONVERSATION_TOPIC = 0x0070001F, "PidTagConversationTopic";
    PR_CONVERSATION_INDEX = 0x00710102, "PidTagConversationIndex";
    PR_ORIGINAL_DISPLAY_BCC = 0x0072001F, "PidTagOriginalDisplayBcc";
    PR_ORIGINAL_DISPLAY_CC = 0x0073001F, "PidTagOriginalDisplayCc";
    PR_ORIGINAL_DISPLAY_TO = 0x0074001F, "PidTagOriginalDisplayTo";
    PR_ORIGINALLY_INTENDED_RECIP_ADDRTYPE = 0x007B001F, "PidTagOriginallyIntendedRecipAddrtype";
    PR_ORIGINALLY_INTENDED_RECIP_EMAIL_ADDRESS = 0x007C001F, "PidTagOriginallyIntendedRecipEmailAddress";
    PR_TRANSPORT_MESSAGE_HEADERS = 0x007D001F, "PidTagTransportMessageHeaders";
    PR_DELEGATION = 0x007E0102, "PidTagDelegation";
    PR_TNEF_CORRELATION_KEY = 0x007F0102, "PidTagTnefCorrelationKey";
    PR_REPORT_DISPOSITION = 0x0080001F, "PidTagReportDisposition";
    PR_REPORT_DISPOSITION_MODE = 0x0081001F, "PidTagReportDispositionMode";
    PR_REPORT_ORIGINAL_SENDER = 0x0082001F, "PidTagReportOriginalSender";
    PR_REPORT_DISPOSITION_TO_NAMES = 0x0083101F, "PidTagReportDispositionToNames";
    PR_REPORT_DISPOSITION_TO_EMAIL_ADDRESSES = 0x0084101F, "PidTagReportDispositionToEmailAddresses";
    PR_REPORT_DISPOSITION_OPTIONS = 0x0085001F, "PidTagReportDispositionOptions";
    PR_CONTENT_INTEGRITY_CHECK = 0x0C000102, "PidTagContentIntegrityCheck";
    PR_EXPLICIT_CONVERSION = 0x0C010003, "PidTagExplicitConversion";
    PR_IPM_RETURN_REQUESTED = 0x0C02000B, "PidTagIpmReturnRequested";
    PR_MESSAGE_TOKEN = 0x0C030102, "PidTagMessageToken";
    PR_NDR_REASON_CODE = 0x0C040003, "PidTagNonDeliveryReportReasonCode";
    PR_NDR_DIAG_CODE = 0x0C050003, "PidTagNonDeliveryReportDiagCode";
    PR_NON_RECEIPT_NOTIFICATION_REQUESTED = 0x0C06000B, "PidTagNonReceiptNotificationRequested";
    PR_DELIVERY_POINT = 0x0C070003, "PidTagDeliveryPoint";
    PR_ORIGINATOR_NON_DELIVERY_REPORT_REQUESTED = 0x0C08000B, "PidTagOriginatorNonDeliveryReportRequested";
    PR_ORIGINATOR_REQUESTED_ALTERNATE_RECIPIENT = 0x0C090102, "PidTagOriginatorRequestedAlternateRecipient";
    PR_PHYSICAL_DELIVERY_BUREAU_FAX_DELIVERY = 0x0C0A000B, "PidTagPhysicalDeliveryBureauFaxDelivery";
    PR_PHYSICAL_DELIVERY_MODE = 0x0C0B0003, "PidTagPhysicalDeliveryMode";
    PR_PHYSICAL_DELIVERY_REPORT_REQUEST = 0x0C0C0003, "PidTagPhysicalDeliveryReportRequest";
    PR_PHYSICAL_FORWARDING_ADDRESS = 0x0C0D0102, "PidTagPhysicalForwardingAddress";
    PR_PHYSICAL_FORWARDING_ADDRESS_REQUESTED = 0x0C0E000B, "PidTagPhysicalForwardingAddressRequested";
    PR_PHYSICAL_FORWARDING_PROHIBITED = 0x0C0F000B, "PidTagPhysicalForwardingProhibited";
    PR_PROOF_OF_DELIVERY = 0x0C110102, "PidTagProofOfDelivery";
    PR_PROOF_OF_DELIVERY_REQUESTED = 0x0C12000B, "PidTagProofOfDeliveryRequested";
    PR_REGISTERED_MAIL_TYPE = 0x0C160003, "PidTagRegisteredMailType";
    PR_REPLY_REQUESTED = 0x0C17000B, "PidTagReplyRequested";
    PR_REQUESTED_DELIVERY_METHOD = 0x0C180003, "PidTagRequestedDeliveryMethod";
    PR_SUPPLEMENTARY_INFO = 0x0C1B001F, "PidTagSupplementaryInfo";
    PR_TYPE_OF_MTS_USER = 0x0C1C0003, "PidTagTypeOfX400User";
    PR_NDR_STATUS_CODE = 0x0C200003, "PidTagNonDeliveryReportStatusCode";
    PR_DSN_REMOTE_MTA = 0x0C21001F, "PidTagRemoteMessageTransferAgent";
    // --- messages: sender, sent-representing, received-by, read-receipt and original-* families ---
    PR_RECEIVED_BY_ENTRYID = 0x003F0102, "PidTagReceivedByEntryId";
    PR_RECEIVED_BY_NAME = 0x0040001F, "PidTagReceivedByName";
    PR_SENT_REPRESENTING_ENTRYID = 0x00410102, "PidTagSentRepresentingEntryId";
    PR_SENT_REPRESENTING_NAME = 0x0042001F, "PidTagSentRepresentingName";
    PR_RCVD_REPRESENTING_ENTRYID = 0x00430102, "PidTagReceivedRepresentingEntryId";
    PR_RCVD_REPRESENTING_NAME = 0x0044001F, "PidTagReceivedRepresentingName";
    PR_READ_RECEIPT_ENTRYID = 0x00460102, "PidTagReadReceiptEntryId";
    PR_SENT_REPRESENTING_SEARCH_KEY = 0x003B0102, "PidTagSentRepresentingSearchKey";
    PR_ORIGINAL_AUTHOR_ENTRYID = 0x004C0102, "PidTagOriginalAuthorEntryId";
    PR_ORIGINAL_AUTHOR_NAME = 0x004D001F, "PidTagOriginalAuthorName";
    PR_RECEIVED_BY_SEARCH_KEY = 0x00510102, "PidTagReceivedBySearchKey";
    PR_RCVD_REPRESENTING_SEARCH_KEY = 0x00520102, "PidTagReceivedRepresentingSearchKey";
    PR_READ_RECEIPT_SEARCH_KEY = 0x00530102, "PidTagReadReceiptSearchKey";
    PR_ORIGINAL_AUTHOR_SEARCH_KEY = 0x00560102, "PidTagOriginalAuthorSearchKey";
    PR_ORIGINAL_SENDER_NAME = 0x005A001F, "PidTagOriginalSenderName";
    PR_ORIGINAL_SENDER_ENTRYID = 0x005B0102, "PidTagOriginalSenderEntryId";
    PR_ORIGINAL_SENDER_SEARCH_KEY = 0x005C0102, "PidTagOriginalSenderSearchKey";
    PR_ORIGINAL_SENT_REPRESENTING_NAME = 0x005D001F, "PidTagOriginalSentRepresentingName";
    PR_ORIGINAL_SENT_REPRESENTING_ENTRYID = 0x005E0102, "PidTagOriginalSentRepresentingEntryId";
    PR_ORIGINAL_SENT_REPRESENTING_SEARCH_KEY = 0x005F0102, "PidTagOriginalSentRepresentingSearchKey";
    PR_SENT_REPRESENTING_ADDRTYPE = 0x0064001F, "PidTagSentRepresentingAddressType";
    PR_SENT_REPRESENTING_EMAIL_ADDRESS = 0x0065001F, "PidTagSentRepresentingEmailAddress";
    PR_ORIGINAL_SENDER_ADDRTYPE = 0x0066001F, "PidTagOriginalSenderAddressType";
    PR_ORIGINAL_SENDER_EMAIL_ADDRESS = 0x0067001F, "PidTagOriginalSenderEmailAddress";
    PR_ORIGINAL_SENT_REPRESENTING_ADDRTYPE = 0x0068001F, "PidTagOriginalSentRepresentingAddressType";
    PR_ORIGINAL_SENT_REPRESENTING_EMAIL_ADDRESS = 0x0069001F, "PidTagOriginalSentRepresentingEmailAddress";
    PR_RECEIVED_BY_ADDRTYPE = 0x0075001F, "PidTagReceivedByAddressType";
    PR_RECEIVED_BY_EMAIL_ADDRESS = 0x0076001F, "PidTagReceivedByEmailAddress";
    PR_RCVD_REPRESENTING_ADDRTYPE = 0x0077001F, "PidTagReceivedRepresentingAddressType";
    PR_RCVD_REPRESENTING_EMAIL_ADDRESS = 0x0078001F, "PidTagReceivedRepresentingEmailAddress";
    PR_ORIGINAL_AUTHOR_ADDRTYPE = 0x0079001F, "PidTagOriginalAuthorAddressType";
    PR_ORIGINAL_AUTHOR_EMAIL_ADDRESS = 0x007A001F, "PidTagOriginalAuthorEmailAddress";
    PR_SENDER_ENTRYID = 0x0C190102, "PidTagSenderEntryId";
    PR_SENDER_NAME = 0x0C1A001F, "PidTagSenderName";
    PR_SENDER_SEARCH_KEY = 0x0C1D0102, "PidTagSenderSearchKey";
    PR_SENDER_ADDRTYPE = 0x0C1E001F, "PidTagSenderAddressType";
    PR_SENDER_EMAIL_ADDRESS = 0x0C1F001F, "PidTagSenderEmailAddress";
    PR_ORIGINALLY_INTENDED_RECIP_ENTRYID = 0x10120102, "PidTagOriginallyIntendedRecipEntryId";
    // --- messages: state, flags, sizes and times ---
    PR_CURRENT_VERSION = 0x0E000014, "PidTagCurrentVersion";
    PR_DELETE_AFTER_SUBMIT = 0x0E01000B, "PidTagDeleteAfterSubmit";
    PR_DISPLAY_BCC = 0x0E02001F, "PidTagDisplayBcc";
    PR_DISPLAY_CC = 0x0E03001F, "PidTagDisplayCc";
    PR_DISPLAY_TO = 0x0E04001F, "PidTagDisplayTo";
    PR_PARENT_DISPLAY = 0x0E05001F, "PidTagParentDisplay";
    PR_MESSAGE_DELIVERY_TIME = 0x0E060040, "PidTagMessageDeliveryTime";
    PR_MESSAGE_FLAGS = 0x0E070003, "PidTagMessageFlags";
    PR_MESSAGE_SIZE = 0x0E080003, "PidTagMessageSize";
    PR_MESSAGE_SIZE_EXTENDED = 0x0E080014, "PidTagMessageSizeExtended";
    PR_PARENT_ENTRYID = 0x0E090102, "PidTagParentEntryId";
    PR_SENTMAIL_ENTRYID = 0x0E0A0102, "PidTagSentMailEntryId";
    PR_CORRELATE = 0x0E0C000B, "PidTagCorrelate";
    PR_CORRELATE_MTSID = 0x0E0D0102, "PidTagCorrelateMtsid";
    PR_DISCRETE_VALUES = 0x0E0E000B, "PidTagDiscreteValues";
    PR_RESPONSIBILITY = 0x0E0F000B, "PidTagResponsibility";
    PR_SPOOLER_STATUS = 0x0E100003, "PidTagSpoolerStatus";
    PR_TRANSPORT_STATUS = 0x0E110003, "PidTagTransportStatus";
    PR_MESSAGE_RECIPIENTS = 0x0E12000D, "PidTagMessageRecipients";
    PR_MESSAGE_ATTACHMENTS = 0x0E13000D, "PidTagMessageAttachments";
    PR_SUBMIT_FLAGS = 0x0E140003, "PidTagSubmitFlags";
    PR_RECIPIENT_STATUS = 0x0E150003, "PidTagRecipientStatus";
    PR_TRANSPORT_KEY = 0x0E160003, "PidTagTransportKey";
    PR_MSG_STATUS = 0x0E170003, "PidTagMessageStatus";
    PR_MESSAGE_DOWNLOAD_TIME = 0x0E180003, "PidTagMessageDownloadTime";
    PR_CREATION_VERSION = 0x0E190014, "PidTagCreationVersion";
    PR_MODIFY_VERSION = 0x0E1A0014, "PidTagModifyVersion";
    PR_HASATTACH = 0x0E1B000B, "PidTagHasAttachments";
    PR_BODY_CRC = 0x0E1C0003, "PidTagBodyCrc";
    PR_NORMALIZED_SUBJECT = 0x0E1D001F, "PidTagNormalizedSubject";
    PR_RTF_IN_SYNC = 0x0E1F000B, "PidTagRtfInSync";
    PR_PREPROCESS = 0x0E22000B, "PidTagPreprocess";
    PR_INTERNET_ARTICLE_NUMBER = 0x0E230003, "PidTagInternetArticleNumber";
    PR_ORIGINATING_MTA_CERTIFICATE = 0x0E250102, "PidTagOriginatingMtaCertificate";
    PR_PROOF_OF_SUBMISSION = 0x0E260102, "PidTagProofOfSubmission";
    PR_PRIMARY_SEND_ACCT = 0x0E28001F, "PidTagPrimarySendAccount";
    PR_NEXT_SEND_ACCT = 0x0E29001F, "PidTagNextSendAcct";
    PR_EXCHANGE_REMOTE_HEADER = 0x0E2A000B, "PidTagExchangeRemoteHeader";
    PR_TODO_ITEM_FLAGS = 0x0E2B0003, "PidTagToDoItemFlags";
    PR_SWAPPED_TODO_STORE = 0x0E2C0102, "PidTagSwappedToDoStore";
    PR_SWAPPED_TODO_DATA = 0x0E2D0102, "PidTagSwappedToDoData";
    PR_REPL_ITEMID = 0x0E300102, "PidTagReplItemid";
    PR_REPL_CHANGENUM = 0x0E330014, "PidTagReplChangenum";
    PR_REPL_VERSIONHISTORY = 0x0E340102, "PidTagReplVersionHistory";
    PR_REPL_FLAGS = 0x0E380003, "PidTagReplFlags";
    PR_REPL_COPIEDFROM_VERSIONHISTORY = 0x0E3C0102, "PidTagReplCopiedfromVersionhistory";
    PR_REPL_COPIEDFROM_ITEMID = 0x0E3D0102, "PidTagReplCopiedfromItemid";
    PR_READ = 0x0E69000B, "PidTagRead";
    PR_NT_SECURITY_DESCRIPTOR_AS_XML = 0x0E6A001F, "PidTagSecurityDescriptorAsXml";
    PR_TRUST_SENDER = 0x0E790003, "PidTagTrustSender";
    PR_DAV_TRANSFER_SECURITY_DESCRIPTOR = 0x0E840102, "PidTagExchangeNTSecurityDescriptor";
    PR_EXTENDED_RULE_MSG_ACTIONS = 0x0E990102, "PidTagExtendedRuleMessageActions";
    PR_EXTENDED_RULE_MSG_CONDITION = 0x0E9A0102, "PidTagExtendedRuleMessageCondition";
    PR_EXTENDED_RULE_SIZE_LIMIT = 0x0E9B0003, "PidTagExtendedRuleSizeLimit";
    PR_TNEF_UNPROCESSED_PROPS = 0x0E9C0102, "PidTagTnefUnprocessedProps";
    PR_ASSOCIATED_SHARING_PROVIDER = 0x0EA00048, "PidTagAssociatedSharingProvider";
    PR_PROVIDER_ITEMID = 0x0EA30102, "PidTagProviderItemId";
    PR_PROVIDER_PARENT_ITEMID = 0x0EA40102, "PidTagProviderParentItemId";
    // --- common object properties ---
    PR_ACCESS = 0x0FF40003, "PidTagAccess";
    PR_ROW_TYPE = 0x0FF50003, "PidTagRowType";
    PR_INSTANCE_KEY = 0x0FF60102, "PidTagInstanceKey";
    PR_ACCESS_LEVEL = 0x0FF70003, "PidTagAccessLevel";
    PR_MAPPING_SIGNATURE = 0x0FF80102, "PidTagMappingSignature";
    PR_RECORD_KEY = 0x0FF90102, "PidTagRecordKey";
    PR_STORE_RECORD_KEY = 0x0FFA0102, "PidTagStoreRecordKey";
    PR_STORE_ENTRYID = 0x0FFB0102, "PidTagStoreEntryId";
    PR_MINI_ICON = 0x0FFC0102, "PidTagMiniIcon";
    PR_ICON = 0x0FFD0102, "PidTagIcon";
    PR_OBJECT_TYPE = 0x0FFE0003, "PidTagObjectType";
    PR_ENTRYID = 0x0FFF0102, "PidTagEntryId";
    PR_ROWID = 0x30000003, "PidTagRowid";
    PR_DISPLAY_NAME = 0x3001001F, "PidTagDisplayName";
    PR_ADDRTYPE = 0x3002001F, "PidTagAddressType";
    PR_EMAIL_ADDRESS = 0x3003001F, "PidTagEmailAddress";
    PR_COMMENT = 0x3004001F, "PidTagComment";
    PR_DEPTH = 0x30050003, "PidTagDepth";
    PR_CREATION_TIME = 0x30070040, "PidTagCreationTime";
    PR_LAST_MODIFICATION_TIME = 0x30080040, "PidTagLastModificationTime";
    PR_SEARCH_KEY = 0x300B0102, "PidTagSearchKey";
    PR_TARGET_ENTRYID = 0x30100102, "PidTagTargetEntryId";
    PR_CONVERSATION_ID = 0x30130102, "PidTagConversationId";
    PR_CONVERSATION_INDEX_TRACKING = 0x3016000B, "PidTagConversationIndexTracking";
    PR_ARCHIVE_TAG = 0x30180102, "PidTagArchiveTag";
    PR_POLICY_TAG = 0x30190102, "PidTagPolicyTag";
    PR_RETENTION_PERIOD = 0x301A0003, "PidTagRetentionPeriod";
    PR_START_DATE_ETC = 0x301B0102, "PidTagStartDateEtc";
    PR_RETENTION_DATE = 0x301C0040, "PidTagRetentionDate";
    PR_RETENTION_FLAGS = 0x301D0003, "PidTagRetentionFlags";
    PR_ARCHIVE_PERIOD = 0x301E0003, "PidTagArchivePeriod";
    PR_ARCHIVE_DATE = 0x301F0040, "PidTagArchiveDate";
    // --- messages: body ---
    PR_BODY = 0x1000001F, "PidTagBody";
    PR_REPORT_TEXT = 0x1001001F, "PidTagReportText";
    PR_ORIGINATOR_AND_DL_EXPANSION_HISTORY = 0x10020102, "PidTagOriginatorAndDistributionListExpansionHistory";
    PR_REPORTING_DL_NAME = 0x10030102, "PidTagReportingDistributionListName";
    PR_REPORTING_MTA_CERTIFICATE = 0x10040102, "PidTagReportingMessageTransferAgentCertificate";
    PR_RTF_SYNC_BODY_CRC = 0x10060003, "PidTagRtfSyncBodyCrc";
    PR_RTF_SYNC_BODY_COUNT = 0x10070003, "PidTagRtfSyncBodyCount";
    PR_RTF_SYNC_BODY_TAG = 0x1008001F, "PidTagRtfSyncBodyTag";
    PR_RTF_COMPRESSED = 0x10090102, "PidTagRtfCompressed";
    PR_RTF_SYNC_PREFIX_COUNT = 0x10100003, "PidTagRtfSyncPrefixCount";
    PR_RTF_SYNC_TRAILING_COUNT = 0x10110003, "PidTagRtfSyncTrailingCount";
    PR_BODY_HTML = 0x1013001F, "PidTagBodyHtml";
    PR_HTML = 0x10130102, "PidTagHtml";
    PR_BODY_CONTENT_LOCATION = 0x1014001F, "PidTagBodyContentLocation";
    PR_BODY_CONTENT_ID = 0x1015001F, "PidTagBodyContentId";
    PR_NATIVE_BODY_INFO = 0x10160003, "PidTagNativeBody";
    // --- messages: internet headers ---
    PR_INTERNET_APPROVED = 0x1030001F, "PidTagInternetApproved";
    PR_INTERNET_CONTROL = 0x1031001F, "PidTagInternetControl";
    PR_INTERNET_DISTRIBUTION = 0x1032001F, "PidTagInternetDistribution";
    PR_INTERNET_FOLLOWUP_TO = 0x1033001F, "PidTagInternetFollowupTo";
    PR_INTERNET_LINES = 0x10340003, "PidTagInternetLines";
    PR_INTERNET_MESSAGE_ID = 0x1035001F, "PidTagInternetMessageId";
    PR_INTERNET_ORGANIZATION = 0x1037001F, "PidTagInternetOrganization";
    PR_INTERNET_NNTP_PATH = 0x1038001F, "PidTagInternetNntpPath";
    PR_INTERNET_REFERENCES = 0x1039001F, "PidTagInternetReferences";
    PR_IN_REPLY_TO_ID = 0x1042001F, "PidTagInReplyToId";
    PR_LIST_HELP = 0x1043001F, "PidTagListHelp";
    PR_LIST_SUBSCRIBE = 0x1044001F, "PidTagListSubscribe";
    PR_LIST_UNSUBSCRIBE = 0x1045001F, "PidTagListUnsubscribe";
    // --- messages: reply/forward, flag status and follow-up ---
    PR_ICON_INDEX = 0x10800003, "PidTagIconIndex";
    PR_LAST_VERB_EXECUTED = 0x10810003, "PidTagLastVerbExecuted";
    PR_LAST_VERB_EXECUTION_TIME = 0x10820040, "PidTagLastVerbExecutionTime";
    PR_FLAG_STATUS = 0x10900003, "PidTagFlagStatus";
    PR_FLAG_COMPLETE_TIME = 0x10910040, "PidTagFlagCompleteTime";
    PR_FOLLOWUP_ICON = 0x10950003, "PidTagFollowupIcon";
    PR_BLOCK_STATUS = 0x10960003, "PidTagBlockStatus";
    PR_ITEM_TMPFLAGS = 0x10970003, "PidTagItemTemporaryflags";
    PR_CONFLICT_ITEMS = 0x10981102, "PidTagConflictItems";
    PR_CDO_RECURRENCEID = 0x10C50040, "PidTagCdoRecurrenceid";
    PR_ATTR_HIDDEN = 0x10F4000B, "PidTagAttributeHidden";
    PR_ATTR_SYSTEM = 0x10F5000B, "PidTagAttributeSystem";
    PR_ATTR_READONLY = 0x10F6000B, "PidTagAttributeReadOnly";
    // --- messages: envelope (continued) ---
    PR_ACKNOWLEDGEMENT_MODE = 0x00010003, "PidTagAcknowledgementMode";
    PR_CONTENT_CONFIDENTIALITY_ALGORITHM_ID = 0x00060102, "PidTagContentConfidentialityAlgorithmId";
    PR_CONVERSION_EITS = 0x000C0102, "PidTagConversionEits";
    PR_CONVERSION_WITH_LOSS_PROHIBITED = 0x000D000B, "PidTagConversionWithLossProhibited";
    PR_CONVERTED_EITS = 0x000E0102, "PidTagConvertedEits";
    PR_PHYSICAL_RENDITION_ATTRIBUTES = 0x0C100102, "PidTagPhysicalRenditionAttributes";
    PR_URL_COMP_NAME = 0x10F3001F, "PidTagUrlComponentName";
    PR_INTERNET_CPID = 0x3FDE0003, "PidTagInternetCodepage";
    PR_AUTO_RESPONSE_SUPPRESS = 0x3FDF0003, "PidTagAutoResponseSuppress";
    PR_HAS_DAMS = 0x3FEA000B, "PidTagHasDeferredActionMessages";
    PR_DEFERRED_SEND_NUMBER = 0x3FEB0003, "PidTagDeferredSendNumber";
    PR_DEFERRED_SEND_UNITS = 0x3FEC0003, "PidTagDeferredSendUnits";
    PR_EXPIRY_NUMBER = 0x3FED0003, "PidTagExpiryNumber";
    PR_EXPIRY_UNITS = 0x3FEE0003, "PidTagExpiryUnits";
    PR_DEFERRED_SEND_TIME = 0x3FEF0040, "PidTagDeferredSendTime";
    PR_CONFLICT_ENTRYID = 0x3FF00102, "PidTagConflictEntryId";
    PR_MESSAGE_LOCALE_ID = 0x3FF10003, "PidTagMessageLocaleId";
    PR_CREATOR_NAME = 0x3FF8001F, "PidTagCreatorName";
    PR_CREATOR_ENTRYID = 0x3FF90102, "PidTagCreatorEntryId";
    PR_LAST_MODIFIER_NAME = 0x3FFA001F, "PidTagLastModifierName";
    PR_LAST_MODIFIER_ENTRYID = 0x3FFB0102, "PidTagLastModifierEntryId";
    PR_MESSAGE_CODEPAGE = 0x3FFD0003, "PidTagMessageCodepage";
    PR_SENT_REPRESENTING_FLAGS = 0x401A0003, "PidTagSentRepresentingFlags"; // no MAPI SDK name
    PR_CONTENT_FILTER_SCL = 0x40760003, "PidTagContentFilterSpamConfidenceLevel";
    PR_SENDER_ID_STATUS = 0x40790003, "PidTagSenderIdStatus";
    PR_HIER_REV = 0x40820040, "PidTagHierRev";
    PR_PURPORTED_SENDER_DOMAIN = 0x4083001F, "PidTagPurportedSenderDomain";
    PR_INETMAIL_OVERRIDE_FORMAT = 0x59020003, "PidTagInternetMailOverrideFormat";
    PR_MSG_EDITOR_FORMAT = 0x59090003, "PidTagMessageEditorFormat";
    PR_MIME_SKELETON = 0x64F00102, "PidTagMimeSkeleton"; // no MAPI SDK name
    PR_REPLY_TEMPLATE_ID = 0x65C20102, "PidTagReplyTemplateId";
    PR_SECURE_SUBMIT_FLAGS = 0x65C60003, "PidTagSecureSubmitFlags";
    PR_SENDER_TELEPHONE_NUMBER = 0x6802001F, "PidTagSenderTelephoneNumber";
    PR_NDR_FROM_ENTRYID = 0x69040102, "PidTagNonDeliveryReportFromEntryId";
    PR_NDR_FROM_NAME = 0x6905001F, "PidTagNonDeliveryReportFromName";
    PR_NDR_FROM_SEARCH_KEY = 0x69060102, "PidTagNonDeliveryReportFromSearchKey";
    PR_PROCESSED = 0x7D01000B, "PidTagProcessed";
    // --- messages: read-receipt and SMTP address families (no MAPI SDK names; PR names follow the canonical ones) ---
    PR_READ_RECEIPT_ADDRTYPE = 0x4029001F, "PidTagReadReceiptAddressType";
    PR_READ_RECEIPT_EMAIL_ADDRESS = 0x402A001F, "PidTagReadReceiptEmailAddress";
    PR_READ_RECEIPT_NAME = 0x402B001F, "PidTagReadReceiptName";
    PR_READ_RECEIPT_SMTP_ADDRESS = 0x5D05001F, "PidTagReadReceiptSmtpAddress";
    PR_RECEIVED_BY_SMTP_ADDRESS = 0x5D07001F, "PidTagReceivedBySmtpAddress";
    PR_RCVD_REPRESENTING_SMTP_ADDRESS = 0x5D08001F, "PidTagReceivedRepresentingSmtpAddress";
    PR_SENDER_SMTP_ADDRESS = 0x5D01001F, "PidTagSenderSmtpAddress";
    PR_SENT_REPRESENTING_SMTP_ADDRESS = 0x5D02001F, "PidTagSentRepresentingSmtpAddress";
    // --- calendar, tasks and free/busy (tagged, non-named) ---
    PR_START_DATE = 0x00600040, "PidTagStartDate";
    PR_END_DATE = 0x00610040, "PidTagEndDate";
    PR_OWNER_APPT_ID = 0x00620003, "PidTagOwnerAppointmentId";
    PR_RESPONSE_REQUESTED = 0x0063000B, "PidTagResponseRequested";
    PR_SCHDINFO_RESOURCE_TYPE = 0x68410003, "PidTagScheduleInfoResourceType";
    PR_SCHDINFO_BOSS_WANTS_COPY = 0x6842000B, "PidTagScheduleInfoDelegatorWantsCopy";
    PR_SCHDINFO_DONT_MAIL_DELEGATES = 0x6843000B, "PidTagScheduleInfoDontMailDelegates";
    PR_SCHDINFO_DELEGATE_NAMES = 0x6844101F, "PidTagScheduleInfoDelegateNames";
    PR_SCHDINFO_DELEGATE_ENTRYIDS = 0x68451102, "PidTagScheduleInfoDelegateEntryIds";
    PR_GATEWAY_NEEDS_TO_REFRESH = 0x6846000B, "PidTagGatewayNeedsToRefresh";
    PR_FREEBUSY_PUBLISH_START = 0x68470003, "PidTagFreeBusyPublishStart";
    PR_FREEBUSY_PUBLISH_END = 0x68480003, "PidTagFreeBusyPublishEnd";
    PR_FREEBUSY_EMA = 0x6849001F, "PidTagFreeBusyMessageEmailAddress";
    PR_SCHDINFO_BOSS_WANTS_INFO = 0x684B000B, "PidTagScheduleInfoDelegatorWantsInfo";
    PR_SCHDINFO_MONTHS_MERGED = 0x684F1003, "PidTagScheduleInfoMonthsMerged";
    PR_SCHDINFO_FREEBUSY_MERGED = 0x68501102, "PidTagScheduleInfoFreeBusyMerged";
    PR_SCHDINFO_MONTHS_TENTATIVE = 0x68511003, "PidTagScheduleInfoMonthsTentative";
    PR_SCHDINFO_FREEBUSY_TENTATIVE = 0x68521102, "PidTagScheduleInfoFreeBusyTentative";
    PR_SCHDINFO_MONTHS_BUSY = 0x68531003, "PidTagScheduleInfoMonthsBusy";
    PR_SCHDINFO_FREEBUSY_BUSY = 0x68541102, "PidTagScheduleInfoFreeBusyBusy";
    PR_SCHDINFO_MONTHS_OOF = 0x68551003, "PidTagScheduleInfoMonthsAway";
    PR_SCHDINFO_FREEBUSY_OOF = 0x68561102, "PidTagScheduleInfoFreeBusyAway";
    PR_FREEBUSY_RANGE_TIMESTAMP = 0x68680040, "PidTagFreeBusyRangeTimestamp";
    PR_FREEBUSY_COUNT_MONTHS = 0x68690003, "PidTagFreeBusyCountMonths";
    PR_SCHDINFO_APPT_TOMBSTONE = 0x686A0102, "PidTagScheduleInfoAppointmentTombstone";
    PR_DELEGATE_FLAGS = 0x686B1003, "PidTagDelegateFlags";
    PR_SCHDINFO_FREEBUSY = 0x686C0102, "PidTagScheduleInfoFreeBusy";
    PR_SCHDINFO_AUTO_ACCEPT_APPTS = 0x686D000B, "PidTagScheduleInfoAutoAcceptAppointments";
    PR_SCHDINFO_DISALLOW_RECURRING_APPTS = 0x686E000B, "PidTagScheduleInfoDisallowRecurringAppts";
    PR_SCHDINFO_DISALLOW_OVERLAPPING_APPTS = 0x686F000B, "PidTagScheduleInfoDisallowOverlappingAppts";
    PR_EXCEPTION_REPLACETIME = 0x7FF90040, "PidTagExceptionReplaceTime";
    PR_EXCEPTION_STARTTIME = 0x7FFB0040, "PidTagExceptionStartTime";
    PR_EXCEPTION_ENDTIME = 0x7FFC0040, "PidTagExceptionEndTime";
    // --- forms ---
    PR_FORM_VERSION = 0x3301001F, "PidTagFormVersion";
    PR_FORM_CLSID = 0x33020048, "PidTagFormClassId";
    PR_FORM_CONTACT_NAME = 0x3303001F, "PidTagFormContactName";
    PR_FORM_CATEGORY = 0x3304001F, "PidTagFormCategory";
    PR_FORM_CATEGORY_SUB = 0x3305001F, "PidTagFormCategorySub";
    PR_FORM_HOST_MAP = 0x33061003, "PidTagFormHostMap";
    PR_FORM_HIDDEN = 0x3307000B, "PidTagFormHidden";
    PR_FORM_DESIGNER_NAME = 0x3308001F, "PidTagFormDesignerName";
    PR_FORM_DESIGNER_GUID = 0x33090048, "PidTagFormDesignerGuid";
    PR_FORM_MESSAGE_BEHAVIOR = 0x330A0003, "PidTagFormMessageBehavior";
    // --- stores ---
    PR_DEFAULT_STORE = 0x3400000B, "PidTagDefaultStore";
    PR_STORE_STATE = 0x340E0003, "PidTagStoreState";
    PR_STORE_UNICODE_MASK = 0x340F0003, "PidTagStoreUnicodeMask";
    PR_IPM_SUBTREE_SEARCH_KEY = 0x34100102, "PidTagIpmSubtreeSearchKey";
    PR_IPM_OUTBOX_SEARCH_KEY = 0x34110102, "PidTagIpmOutboxSearchKey";
    PR_IPM_WASTEBASKET_SEARCH_KEY = 0x34120102, "PidTagIpmWastebasketSearchKey";
    PR_IPM_SENTMAIL_SEARCH_KEY = 0x34130102, "PidTagIpmSentMailSearchKey";
    PR_MDB_PROVIDER = 0x34140102, "PidTagStoreProvider";
    PR_RECEIVE_FOLDER_SETTINGS = 0x3415000D, "PidTagReceiveFolderSettings";
    PR_VALID_FOLDER_MASK = 0x35DF0003, "PidTagValidFolderMask";
    PR_IPM_SUBTREE_ENTRYID = 0x35E00102, "PidTagIpmSubtreeEntryId";
    PR_IPM_OUTBOX_ENTRYID = 0x35E20102, "PidTagIpmOutboxEntryId";
    PR_IPM_WASTEBASKET_ENTRYID = 0x35E30102, "PidTagIpmWastebasketEntryId";
    PR_IPM_SENTMAIL_ENTRYID = 0x35E40102, "PidTagIpmSentMailEntryId";
    PR_VIEWS_ENTRYID = 0x35E50102, "PidTagViewsEntryId";
    PR_COMMON_VIEWS_ENTRYID = 0x35E60102, "PidTagCommonViewsEntryId";
    PR_FINDER_ENTRYID = 0x35E70102, "PidTagFinderEntryId";
    PR_USER_ENTRYID = 0x66190102, "PidTagUserEntryId";
    PR_USER_NAME = 0x661A001E, "PidTagUserName"; // 8-bit only; not in MS-OXPROPS, name built from the PR name
    PR_MAILBOX_OWNER_ENTRYID = 0x661B0102, "PidTagMailboxOwnerEntryId";
    PR_MAILBOX_OWNER_NAME = 0x661C001F, "PidTagMailboxOwnerName";
    PR_OOF_STATE = 0x661D000B, "PidTagOutOfOfficeState";
    PR_NON_IPM_SUBTREE_ENTRYID = 0x66200102, "PidTagNonIpmSubtreeEntryId";
    PR_SPLUS_FREE_BUSY_ENTRYID = 0x66220102, "PidTagSchedulePlusFreeBusyEntryId";
    PR_IPM_FAVORITES_ENTRYID = 0x66300102, "PidTagIpmFavoritesEntryId"; // not in MS-OXPROPS, name built from the PR name
    PR_IPM_PUBLIC_FOLDERS_ENTRYID = 0x66310102, "PidTagIpmPublicFoldersEntryId"; // not in MS-OXPROPS, name built from the PR name
    PR_HIERARCHY_CHANGE_NUM = 0x663E0003, "PidTagHierarchyChangeNumber";
    PR_PROHIBIT_RECEIVE_QUOTA = 0x666A0003, "PidTagProhibitReceiveQuota";
    PR_MAX_SUBMIT_MESSAGE_SIZE = 0x666D0003, "PidTagMaximumSubmitMessageSize";
    PR_PROHIBIT_SEND_QUOTA = 0x666E0003, "PidTagProhibitSendQuota";
    PR_STORAGE_QUOTA_LIMIT = 0x3FF50003, "PidTagStorageQuotaLimit"; // not in MS-OXPROPS, name built from the PR name
    PR_QUOTA_WARNING_THRESHOLD = 0x67210003, "PidTagQuotaWarningThreshold"; // not in MS-OXPROPS, name built from the PR name
    PR_QUOTA_SEND_THRESHOLD = 0x67220003, "PidTagQuotaSendThreshold"; // not in MS-OXPROPS, name built from the PR name
    PR_QUOTA_RECEIVE_THRESHOLD = 0x67230003, "PidTagQuotaReceiveThreshold"; // not in MS-OXPROPS, name built from the PR name
    // --- the administrator's mailbox table (IExchangeManageStore::GetMailboxTable, edkmdb.h) ---
    PR_DELETED_MSG_COUNT = 0x66400003, "PidTagDeletedMsgCount"; // not in MS-OXPROPS, name built from the PR name
    PR_DELETED_ASSOC_MSG_COUNT = 0x66430003, "PidTagDeletedAssocMsgCount"; // not in MS-OXPROPS, name built from the PR name
    PR_DELETED_MESSAGE_SIZE_EXTENDED = 0x669B0014, "PidTagDeletedMessageSizeExtended"; // not in MS-OXPROPS, name built from the PR name
    PR_LAST_LOGON_TIME = 0x66A20040, "PidTagLastLogonTime"; // not in MS-OXPROPS, name built from the PR name
    PR_LAST_LOGOFF_TIME = 0x66A30040, "PidTagLastLogoffTime"; // not in MS-OXPROPS, name built from the PR name
    PR_STORAGE_LIMIT_INFORMATION = 0x66A40003, "PidTagStorageLimitInformation"; // not in MS-OXPROPS, name built from the PR name
    // --- codepages and locales ---
    PR_LOCALE_ID = 0x66A10003, "PidTagLocaleId";
    PR_CODE_PAGE_ID = 0x66C30003, "PidTagCodePageId";
    PR_SORT_LOCALE_ID = 0x67050003, "PidTagSortLocaleId";
    // --- folders ---
    PR_CONTAINER_FLAGS = 0x36000003, "PidTagContainerFlags";
    PR_FOLDER_TYPE = 0x36010003, "PidTagFolderType";
    PR_CONTENT_COUNT = 0x36020003, "PidTagContentCount";
    PR_CONTENT_UNREAD = 0x36030003, "PidTagContentUnreadCount";
    PR_CREATE_TEMPLATES = 0x3604000D, "PidTagCreateTemplates";
    PR_DETAILS_TABLE = 0x3605000D, "PidTagDetailsTable";
    PR_SEARCH = 0x3607000D, "PidTagSearch";
    PR_SELECTABLE = 0x3609000B, "PidTagSelectable";
    PR_SUBFOLDERS = 0x360A000B, "PidTagSubfolders";
    PR_STATUS = 0x360B0003, "PidTagStatus";
    PR_ANR = 0x360C001F, "PidTagAnr";
    PR_CONTENTS_SORT_ORDER = 0x360D1003, "PidTagContentSortOrder";
    PR_CONTAINER_HIERARCHY = 0x360E000D, "PidTagContainerHierarchy";
    PR_CONTAINER_CONTENTS = 0x360F000D, "PidTagContainerContents";
    PR_FOLDER_ASSOCIATED_CONTENTS = 0x3610000D, "PidTagFolderAssociatedContents";
    PR_DEF_CREATE_DL = 0x36110102, "PidTagDefCreateDl";
    PR_DEF_CREATE_MAILUSER = 0x36120102, "PidTagDefCreateMailuser";
    PR_CONTAINER_CLASS = 0x3613001F, "PidTagContainerClass";
    PR_CONTAINER_MODIFY_VERSION = 0x36140014, "PidTagContainerModifyVersion";
    PR_AB_PROVIDER_ID = 0x36150102, "PidTagAbProviderId";
    PR_DEFAULT_VIEW_ENTRYID = 0x36160102, "PidTagDefaultViewEntryId";
    PR_ASSOC_CONTENT_COUNT = 0x36170003, "PidTagAssociatedContentCount";
    PR_IPM_APPOINTMENT_ENTRYID = 0x36D00102, "PidTagIpmAppointmentEntryId";
    PR_IPM_CONTACT_ENTRYID = 0x36D10102, "PidTagIpmContactEntryId";
    PR_IPM_JOURNAL_ENTRYID = 0x36D20102, "PidTagIpmJournalEntryId";
    PR_IPM_NOTE_ENTRYID = 0x36D30102, "PidTagIpmNoteEntryId";
    PR_IPM_TASK_ENTRYID = 0x36D40102, "PidTagIpmTaskEntryId";
    PR_REM_ONLINE_ENTRYID = 0x36D50102, "PidTagRemindersOnlineEntryId";
    PR_REM_OFFLINE_ENTRYID = 0x36D60102, "PidTagRemindersOfflineEntryId";
    PR_IPM_DRAFTS_ENTRYID = 0x36D70102, "PidTagIpmDraftsEntryId";
    PR_ADDITIONAL_REN_ENTRYIDS = 0x36D81102, "PidTagAdditionalRenEntryIds";
    PR_ADDITIONAL_REN_ENTRYIDS_EX = 0x36D90102, "PidTagAdditionalRenEntryIdsEx";
    PR_EXTENDED_FOLDER_FLAGS = 0x36DA0102, "PidTagExtendedFolderFlags";
    PR_ORDINAL_MOST = 0x36E20003, "PidTagOrdinalMost";
    PR_USERFIELDS = 0x36E30102, "PidTagUserFields";
    PR_FREEBUSY_ENTRYIDS = 0x36E41102, "PidTagFreeBusyEntryIds";
    PR_DEF_POST_MSGCLASS = 0x36E5001F, "PidTagDefaultPostMessageClass";
    PR_RIGHTS = 0x66390003, "PidTagRights";
    PR_HAS_RULES = 0x663A000B, "PidTagHasRules";
    PR_DELETED_ON = 0x668F0040, "PidTagDeletedOn";
    PR_FOLDER_FLAGS = 0x66A80003, "PidTagFolderFlags";
    PR_NORMAL_MESSAGE_SIZE = 0x66B30003, "PidTagNormalMessageSize";
    PR_URL_NAME = 0x6707001F, "PidTagUrlName";
    PR_SUBFOLDER = 0x6708000B, "PidTagSubfolder";
    PR_LOCAL_COMMIT_TIME = 0x67090040, "PidTagLocalCommitTime";
    PR_LOCAL_COMMIT_TIME_MAX = 0x670A0040, "PidTagLocalCommitTimeMax";
    PR_DELETED_COUNT_TOTAL = 0x670B0003, "PidTagDeletedCountTotal";
    PR_FLAT_URL_NAME = 0x670E001F, "PidTagFlatUrlName";
    PR_PF_PROXY = 0x671D0102, "PidTagPublicFolderProxy";
    // --- incremental change synchronization (ICS) ---
    PR_SOURCE_KEY = 0x65E00102, "PidTagSourceKey";
    PR_PARENT_SOURCE_KEY = 0x65E10102, "PidTagParentSourceKey";
    PR_CHANGE_KEY = 0x65E20102, "PidTagChangeKey";
    PR_PREDECESSOR_CHANGE_LIST = 0x65E30102, "PidTagPredecessorChangeList";
    PR_FID = 0x67480014, "PidTagFolderId";
    PR_PARENT_FID = 0x67490014, "PidTagParentFolderId";
    PR_MID = 0x674A0014, "PidTagMid";
    PR_INST_ID = 0x674D0014, "PidTagInstID";
    PR_INSTANCE_NUM = 0x674E0003, "PidTagInstanceNum";
    PR_CHANGE_NUMBER = 0x67A40014, "PidTagChangeNumber";
    PR_ASSOCIATED = 0x67AA000B, "PidTagAssociated";
    // --- rules, deferred actions and permissions ---
    PR_ACL_TABLE = 0x3FE0000D, "PidTagAccessControlListTable";
    PR_ACL_DATA = 0x3FE00102, "PidTagAccessControlListData";
    PR_RULES_TABLE = 0x3FE1000D, "PidTagRulesTable";
    PR_RULES_DATA = 0x3FE10102, "PidTagRulesData";
    PR_DELEGATED_BY_RULE = 0x3FE3000B, "PidTagDelegatedByRule";
    PR_RESOLVE_METHOD = 0x3FE70003, "PidTagResolveMethod";
    PR_RULE_MSG_STATE = 0x65E90003, "PidTagRuleMessageState";
    PR_RULE_MSG_USER_FLAGS = 0x65EA0003, "PidTagRuleMessageUserFlags";
    PR_RULE_MSG_PROVIDER = 0x65EB001F, "PidTagRuleMessageProvider";
    PR_RULE_MSG_NAME = 0x65EC001F, "PidTagRuleMessageName";
    PR_RULE_MSG_LEVEL = 0x65ED0003, "PidTagRuleMessageLevel";
    PR_RULE_MSG_PROVIDER_DATA = 0x65EE0102, "PidTagRuleMessageProviderData";
    PR_RULE_MSG_SEQUENCE = 0x65F30003, "PidTagRuleMessageSequence";
    PR_CLIENT_ACTIONS = 0x66450102, "PidTagClientActions";
    PR_DAM_ORIGINAL_ENTRYID = 0x66460102, "PidTagDamOriginalEntryId";
    PR_DAM_BACK_PATCHED = 0x6647000B, "PidTagDamBackPatched";
    PR_RULE_ERROR = 0x66480003, "PidTagRuleError";
    PR_RULE_ACTION_TYPE = 0x66490003, "PidTagRuleActionType";
    PR_HAS_NAMED_PROPERTIES = 0x664A000B, "PidTagHasNamedProperties";
    PR_RULE_ACTION_NUMBER = 0x66500003, "PidTagRuleActionNumber";
    PR_RULE_FOLDER_ENTRYID = 0x66510102, "PidTagRuleFolderEntryId";
    PR_IN_CONFLICT = 0x666C000B, "PidTagInConflict";
    PR_LONGTERM_ENTRYID_FROM_TABLE = 0x66700102, "PidTagLongTermEntryIdFromTable";
    PR_MEMBER_ID = 0x66710014, "PidTagMemberId";
    PR_MEMBER_NAME = 0x6672001F, "PidTagMemberName";
    PR_MEMBER_RIGHTS = 0x66730003, "PidTagMemberRights";
    PR_RULE_ID = 0x66740014, "PidTagRuleId";
    PR_RULE_IDS = 0x66750102, "PidTagRuleIds";
    PR_RULE_SEQUENCE = 0x66760003, "PidTagRuleSequence";
    PR_RULE_STATE = 0x66770003, "PidTagRuleState";
    PR_RULE_USER_FLAGS = 0x66780003, "PidTagRuleUserFlags";
    PR_RULE_CONDITION = 0x667900FD, "PidTagRuleCondition";
    PR_RULE_ACTIONS = 0x668000FE, "PidTagRuleActions";
    PR_RULE_PROVIDER = 0x6681001F, "PidTagRuleProvider";
    PR_RULE_NAME = 0x6682001F, "PidTagRuleName";
    PR_RULE_LEVEL = 0x66830003, "PidTagRuleLevel";
    PR_RULE_PROVIDER_DATA = 0x66840102, "PidTagRuleProviderData";
    PR_DAM_ORIG_MSG_SVREID = 0x674100FB, "PidTagDeferredActionMessageOriginalEntryId";
    PR_RW_RULES_STREAM = 0x68020102, "PidTagRwRulesStream";
    // --- recipients ---
    PR_RECIPIENT_CERTIFICATE = 0x0C130102, "PidTagRecipientCertificate";
    PR_RECIPIENT_NUMBER_FOR_ADVICE = 0x0C14001F, "PidTagRecipientNumberForAdvice";
    PR_RECIPIENT_TYPE = 0x0C150003, "PidTagRecipientType";
    PR_DISPLAY_TYPE = 0x39000003, "PidTagDisplayType";
    PR_TEMPLATEID = 0x39020102, "PidTagTemplateid";
    PR_PRIMARY_CAPABILITY = 0x39040102, "PidTagPrimaryCapability";
    PR_DISPLAY_TYPE_EX = 0x39050003, "PidTagDisplayTypeEx";
    PR_SMTP_ADDRESS = 0x39FE001F, "PidTagSmtpAddress";
    PR_SEND_RICH_INFO = 0x3A40000B, "PidTagSendRichInfo";
    PR_SEND_INTERNET_ENCODING = 0x3A710003, "PidTagSendInternetEncoding";
    PR_RECIPIENT_RESOURCESTATE = 0x5FDE0003, "PidTagRecipientResourceState";
    PR_RECIPIENT_ORDER = 0x5FDF0003, "PidTagRecipientOrder";
    PR_RECIPIENT_PROPOSED = 0x5FE1000B, "PidTagRecipientProposed";
    PR_RECIPIENT_PROPOSEDSTARTTIME = 0x5FE30040, "PidTagRecipientProposedStartTime";
    PR_RECIPIENT_PROPOSEDENDTIME = 0x5FE40040, "PidTagRecipientProposedEndTime";
    PR_RECIPIENT_DISPLAY_NAME = 0x5FF6001F, "PidTagRecipientDisplayName";
    PR_RECIPIENT_ENTRYID = 0x5FF70102, "PidTagRecipientEntryId";
    PR_RECIPIENT_TRACKSTATUS_TIME = 0x5FFB0040, "PidTagRecipientTrackStatusTime";
    PR_RECIPIENT_FLAGS = 0x5FFD0003, "PidTagRecipientFlags";
    PR_RECIPIENT_TRACKSTATUS = 0x5FFF0003, "PidTagRecipientTrackStatus";
    PR_RECIPIENT_NUMBER = 0x66620003, "PidTagRecipientNumber";
    // --- attachments ---
    PR_ATTACH_SIZE = 0x0E200003, "PidTagAttachSize";
    PR_ATTACH_NUM = 0x0E210003, "PidTagAttachNumber";
    PR_ATTACHMENT_X400_PARAMETERS = 0x37000102, "PidTagAttachmentX400Parameters";
    PR_ATTACH_DATA_OBJ = 0x3701000D, "PidTagAttachDataObject";
    PR_ATTACH_DATA_BIN = 0x37010102, "PidTagAttachDataBinary";
    PR_ATTACH_ENCODING = 0x37020102, "PidTagAttachEncoding";
    PR_ATTACH_EXTENSION = 0x3703001F, "PidTagAttachExtension";
    PR_ATTACH_FILENAME = 0x3704001F, "PidTagAttachFilename";
    PR_ATTACH_METHOD = 0x37050003, "PidTagAttachMethod";
    PR_ATTACH_LONG_FILENAME = 0x3707001F, "PidTagAttachLongFilename";
    PR_ATTACH_PATHNAME = 0x3708001F, "PidTagAttachPathname";
    PR_ATTACH_RENDERING = 0x37090102, "PidTagAttachRendering";
    PR_ATTACH_TAG = 0x370A0102, "PidTagAttachTag";
    PR_RENDERING_POSITION = 0x370B0003, "PidTagRenderingPosition";
    PR_ATTACH_TRANSPORT_NAME = 0x370C001F, "PidTagAttachTransportName";
    PR_ATTACH_LONG_PATHNAME = 0x370D001F, "PidTagAttachLongPathname";
    PR_ATTACH_MIME_TAG = 0x370E001F, "PidTagAttachMimeTag";
    PR_ATTACH_ADDITIONAL_INFO = 0x370F0102, "PidTagAttachAdditionalInformation";
    PR_ATTACH_MIME_SEQUENCE = 0x37100003, "PidTagAttachMimeSequence";
    PR_ATTACH_CONTENT_BASE = 0x3711001F, "PidTagAttachContentBase";
    PR_ATTACH_CONTENT_ID = 0x3712001F, "PidTagAttachContentId";
    PR_ATTACH_CONTENT_LOCATION = 0x3713001F, "PidTagAttachContentLocation";
    PR_ATTACH_FLAGS = 0x37140003, "PidTagAttachFlags";
    PR_ATTACH_PAYLOAD_PROV_GUID_STR = 0x3719001F, "PidTagAttachPayloadProviderGuidString";
    PR_ATTACH_PAYLOAD_CLASS = 0x371A001F, "PidTagAttachPayloadClass";
    PR_TEXT_ATTACHMENT_CHARSET = 0x371B001F, "PidTagTextAttachmentCharset"; // no MAPI SDK name
    PR_ATTACHMENT_LINKID = 0x7FFA0003, "PidTagAttachmentLinkId";
    PR_ATTACHMENT_FLAGS = 0x7FFD0003, "PidTagAttachmentFlags";
    PR_ATTACHMENT_HIDDEN = 0x7FFE000B, "PidTagAttachmentHidden";
    PR_ATTACHMENT_CONTACTPHOTO = 0x7FFF000B, "PidTagAttachmentContactPhoto";
    // --- mail users and contacts ---
    PR_ACCOUNT = 0x3A00001F, "PidTagAccount";
    PR_ALTERNATE_RECIPIENT = 0x3A010102, "PidTagAlternateRecipient";
    PR_CALLBACK_TELEPHONE_NUMBER = 0x3A02001F, "PidTagCallbackTelephoneNumber";
    PR_CONVERSION_PROHIBITED = 0x3A03000B, "PidTagConversionProhibited";
    PR_GENERATION = 0x3A05001F, "PidTagGeneration";
    PR_GIVEN_NAME = 0x3A06001F, "PidTagGivenName";
    PR_GOVERNMENT_ID_NUMBER = 0x3A07001F, "PidTagGovernmentIdNumber";
    PR_BUSINESS_TELEPHONE_NUMBER = 0x3A08001F, "PidTagBusinessTelephoneNumber";
    PR_HOME_TELEPHONE_NUMBER = 0x3A09001F, "PidTagHomeTelephoneNumber";
    PR_INITIALS = 0x3A0A001F, "PidTagInitials";
    PR_KEYWORD = 0x3A0B001F, "PidTagKeyword";
    PR_LANGUAGE = 0x3A0C001F, "PidTagLanguage";
    PR_LOCATION = 0x3A0D001F, "PidTagLocation";
    PR_MAIL_PERMISSION = 0x3A0E000B, "PidTagMailPermission";
    PR_MHS_COMMON_NAME = 0x3A0F001F, "PidTagMessageHandlingSystemCommonName";
    PR_ORGANIZATIONAL_ID_NUMBER = 0x3A10001F, "PidTagOrganizationalIdNumber";
    PR_SURNAME = 0x3A11001F, "PidTagSurname";
    PR_ORIGINAL_ENTRYID = 0x3A120102, "PidTagOriginalEntryId";
    PR_ORIGINAL_DISPLAY_NAME = 0x3A13001F, "PidTagOriginalDisplayName";
    PR_ORIGINAL_SEARCH_KEY = 0x3A140102, "PidTagOriginalSearchKey";
    PR_POSTAL_ADDRESS = 0x3A15001F, "PidTagPostalAddress";
    PR_COMPANY_NAME = 0x3A16001F, "PidTagCompanyName";
    PR_TITLE = 0x3A17001F, "PidTagTitle";
    PR_DEPARTMENT_NAME = 0x3A18001F, "PidTagDepartmentName";
    PR_OFFICE_LOCATION = 0x3A19001F, "PidTagOfficeLocation";
    PR_PRIMARY_TELEPHONE_NUMBER = 0x3A1A001F, "PidTagPrimaryTelephoneNumber";
    PR_BUSINESS2_TELEPHONE_NUMBER = 0x3A1B001F, "PidTagBusiness2TelephoneNumber";
    PR_MOBILE_TELEPHONE_NUMBER = 0x3A1C001F, "PidTagMobileTelephoneNumber";
    PR_RADIO_TELEPHONE_NUMBER = 0x3A1D001F, "PidTagRadioTelephoneNumber";
    PR_CAR_TELEPHONE_NUMBER = 0x3A1E001F, "PidTagCarTelephoneNumber";
    PR_OTHER_TELEPHONE_NUMBER = 0x3A1F001F, "PidTagOtherTelephoneNumber";
    PR_TRANSMITABLE_DISPLAY_NAME = 0x3A20001F, "PidTagTransmittableDisplayName";
    PR_PAGER_TELEPHONE_NUMBER = 0x3A21001F, "PidTagPagerTelephoneNumber";
    PR_USER_CERTIFICATE = 0x3A220102, "PidTagUserCertificate";
    PR_PRIMARY_FAX_NUMBER = 0x3A23001F, "PidTagPrimaryFaxNumber";
    PR_BUSINESS_FAX_NUMBER = 0x3A24001F, "PidTagBusinessFaxNumber";
    PR_HOME_FAX_NUMBER = 0x3A25001F, "PidTagHomeFaxNumber";
    PR_COUNTRY = 0x3A26001F, "PidTagCountry";
    PR_LOCALITY = 0x3A27001F, "PidTagLocality";
    PR_STATE_OR_PROVINCE = 0x3A28001F, "PidTagStateOrProvince";
    PR_STREET_ADDRESS = 0x3A29001F, "PidTagStreetAddress";
    PR_POSTAL_CODE = 0x3A2A001F, "PidTagPostalCode";
    PR_POST_OFFICE_BOX = 0x3A2B001F, "PidTagPostOfficeBox";
    PR_TELEX_NUMBER = 0x3A2C001F, "PidTagTelexNumber";
    PR_ISDN_NUMBER = 0x3A2D001F, "PidTagIsdnNumber";
    PR_ASSISTANT_TELEPHONE_NUMBER = 0x3A2E001F, "PidTagAssistantTelephoneNumber";
    PR_HOME2_TELEPHONE_NUMBER = 0x3A2F001F, "PidTagHome2TelephoneNumber";
    PR_ASSISTANT = 0x3A30001F, "PidTagAssistant";
    PR_WEDDING_ANNIVERSARY = 0x3A410040, "PidTagWeddingAnniversary";
    PR_BIRTHDAY = 0x3A420040, "PidTagBirthday";
    PR_HOBBIES = 0x3A43001F, "PidTagHobbies";
    PR_MIDDLE_NAME = 0x3A44001F, "PidTagMiddleName";
    PR_DISPLAY_NAME_PREFIX = 0x3A45001F, "PidTagDisplayNamePrefix";
    PR_PROFESSION = 0x3A46001F, "PidTagProfession";
    PR_REFERRED_BY_NAME = 0x3A47001F, "PidTagReferredByName";
    PR_SPOUSE_NAME = 0x3A48001F, "PidTagSpouseName";
    PR_COMPUTER_NETWORK_NAME = 0x3A49001F, "PidTagComputerNetworkName";
    PR_CUSTOMER_ID = 0x3A4A001F, "PidTagCustomerId";
    PR_TTYTDD_PHONE_NUMBER = 0x3A4B001F, "PidTagTelecommunicationsDeviceForDeafTelephoneNumber";
    PR_FTP_SITE = 0x3A4C001F, "PidTagFtpSite";
    PR_GENDER = 0x3A4D0002, "PidTagGender";
    PR_MANAGER_NAME = 0x3A4E001F, "PidTagManagerName";
    PR_NICKNAME = 0x3A4F001F, "PidTagNickname";
    PR_PERSONAL_HOME_PAGE = 0x3A50001F, "PidTagPersonalHomePage";
    PR_BUSINESS_HOME_PAGE = 0x3A51001F, "PidTagBusinessHomePage";
    PR_CONTACT_VERSION = 0x3A520048, "PidTagContactVersion";
    PR_CONTACT_ADDRTYPES = 0x3A54101F, "PidTagContactAddressTypes";
    PR_COMPANY_MAIN_PHONE_NUMBER = 0x3A57001F, "PidTagCompanyMainTelephoneNumber";
    PR_CHILDRENS_NAMES = 0x3A58101F, "PidTagChildrensNames";
    PR_HOME_ADDRESS_CITY = 0x3A59001F, "PidTagHomeAddressCity";
    PR_HOME_ADDRESS_COUNTRY = 0x3A5A001F, "PidTagHomeAddressCountry";
    PR_HOME_ADDRESS_POSTAL_CODE = 0x3A5B001F, "PidTagHomeAddressPostalCode";
    PR_HOME_ADDRESS_STATE_OR_PROVINCE = 0x3A5C001F, "PidTagHomeAddressStateOrProvince";
    PR_HOME_ADDRESS_STREET = 0x3A5D001F, "PidTagHomeAddressStreet";
    PR_HOME_ADDRESS_POST_OFFICE_BOX = 0x3A5E001F, "PidTagHomeAddressPostOfficeBox";
    PR_OTHER_ADDRESS_CITY = 0x3A5F001F, "PidTagOtherAddressCity";
    PR_OTHER_ADDRESS_COUNTRY = 0x3A60001F, "PidTagOtherAddressCountry";
    PR_OTHER_ADDRESS_POSTAL_CODE = 0x3A61001F, "PidTagOtherAddressPostalCode";
    PR_OTHER_ADDRESS_STATE_OR_PROVINCE = 0x3A62001F, "PidTagOtherAddressStateOrProvince";
    PR_OTHER_ADDRESS_STREET = 0x3A63001F, "PidTagOtherAddressStreet";
    PR_OTHER_ADDRESS_POST_OFFICE_BOX = 0x3A64001F, "PidTagOtherAddressPostOfficeBox";
    PR_USER_X509_CERTIFICATE = 0x3A701102, "PidTagUserX509Certificate";
    // --- address book (MS-OXOABK) ---
    PR_EMS_TEMPLATE_BLOB = 0x00010102, "PidTagTemplateData";
    PR_EMS_SCRIPT_BLOB = 0x00040102, "PidTagScriptData";
    PR_EMS_AB_ROOM_CAPACITY = 0x08070003, "PidTagAddressBookRoomCapacity";
    PR_EMS_AB_ROOM_DESCRIPTION = 0x0809001F, "PidTagAddressBookRoomDescription";
    PR_EMS_AB_DISPLAY_NAME_PRINTABLE = 0x39FF001F, "PidTagAddressBookDisplayNamePrintable";
    PR_EMS_AB_MANAGE_DL = 0x6704000D, "PidTagAddressBookManageDistributionList";
    PR_EMS_AB_FOLDER_PATHNAME = 0x8004001F, "PidTagAddressBookFolderPathname";
    PR_EMS_AB_MANAGER = 0x8005000D, "PidTagAddressBookManager";
    PR_EMS_AB_MANAGER_T = 0x8005001F, "PidTagAddressBookManagerDistinguishedName";
    PR_EMS_AB_HOME_MDB = 0x8006001E, "PidTagAddressBookHomeMessageDatabase";
    PR_EMS_AB_IS_MEMBER_OF_DL = 0x8008001E, "PidTagAddressBookIsMemberOfDistributionList";
    PR_EMS_AB_MEMBER = 0x8009000D, "PidTagAddressBookMember";
    PR_EMS_AB_OWNER_O = 0x800C000D, "PidTagAddressBookOwner";
    PR_EMS_AB_REPORTS = 0x800E000D, "PidTagAddressBookReports";
    PR_EMS_AB_PROXY_ADDRESSES = 0x800F101F, "PidTagAddressBookProxyAddresses";
    PR_EMS_AB_TARGET_ADDRESS = 0x8011001F, "PidTagAddressBookTargetAddress";
    PR_EMS_AB_PUBLIC_DELEGATES = 0x8015000D, "PidTagAddressBookPublicDelegates";
    PR_EMS_AB_OWNER_BL_O = 0x8024000D, "PidTagAddressBookOwnerBackLink";
    PR_EMS_AB_EXTENSION_ATTRIBUTE_1 = 0x802D001F, "PidTagAddressBookExtensionAttribute1";
    PR_EMS_AB_EXTENSION_ATTRIBUTE_2 = 0x802E001F, "PidTagAddressBookExtensionAttribute2";
    PR_EMS_AB_EXTENSION_ATTRIBUTE_3 = 0x802F001F, "PidTagAddressBookExtensionAttribute3";
    PR_EMS_AB_EXTENSION_ATTRIBUTE_4 = 0x8030001F, "PidTagAddressBookExtensionAttribute4";
    PR_EMS_AB_EXTENSION_ATTRIBUTE_5 = 0x8031001F, "PidTagAddressBookExtensionAttribute5";
    PR_EMS_AB_EXTENSION_ATTRIBUTE_6 = 0x8032001F, "PidTagAddressBookExtensionAttribute6";
    PR_EMS_AB_EXTENSION_ATTRIBUTE_7 = 0x8033001F, "PidTagAddressBookExtensionAttribute7";
    PR_EMS_AB_EXTENSION_ATTRIBUTE_8 = 0x8034001F, "PidTagAddressBookExtensionAttribute8";
    PR_EMS_AB_EXTENSION_ATTRIBUTE_9 = 0x8035001F, "PidTagAddressBookExtensionAttribute9";
    PR_EMS_AB_EXTENSION_ATTRIBUTE_10 = 0x8036001F, "PidTagAddressBookExtensionAttribute10";
    PR_EMS_AB_OBJ_DIST_NAME = 0x803C001F, "PidTagAddressBookObjectDistinguishedName";
    PR_EMS_AB_DELIV_CONT_LENGTH = 0x806A0003, "PidTagAddressBookDeliveryContentLength";
    PR_EMS_AB_DL_MEM_SUBMIT_PERMS_BL_O = 0x8073000D, "PidTagAddressBookDistributionListMemberSubmitAccepted";
    PR_EMS_AB_NETWORK_ADDRESS = 0x8170101F, "PidTagAddressBookNetworkAddress";
    PR_EMS_AB_EXTENSION_ATTRIBUTE_11 = 0x8C57001F, "PidTagAddressBookExtensionAttribute11";
    PR_EMS_AB_EXTENSION_ATTRIBUTE_12 = 0x8C58001F, "PidTagAddressBookExtensionAttribute12";
    PR_EMS_AB_EXTENSION_ATTRIBUTE_13 = 0x8C59001F, "PidTagAddressBookExtensionAttribute13";
    PR_EMS_AB_EXTENSION_ATTRIBUTE_14 = 0x8C60001F, "PidTagAddressBookExtensionAttribute14";
    PR_EMS_AB_EXTENSION_ATTRIBUTE_15 = 0x8C61001F, "PidTagAddressBookExtensionAttribute15";
    PR_EMS_AB_X509_CERT = 0x8C6A1102, "PidTagAddressBookX509Certificate";
    PR_EMS_AB_OBJECT_GUID = 0x8C6D0102, "PidTagAddressBookObjectGuid";
    PR_EMS_AB_PHONETIC_GIVEN_NAME = 0x8C8E001F, "PidTagAddressBookPhoneticGivenName";
    PR_EMS_AB_PHONETIC_SURNAME = 0x8C8F001F, "PidTagAddressBookPhoneticSurname";
    PR_EMS_AB_PHONETIC_DEPARTMENT_NAME = 0x8C90001F, "PidTagAddressBookPhoneticDepartmentName";
    PR_EMS_AB_PHONETIC_COMPANY_NAME = 0x8C91001F, "PidTagAddressBookPhoneticCompanyName";
    PR_EMS_AB_PHONETIC_DISPLAY_NAME = 0x8C92001F, "PidTagAddressBookPhoneticDisplayName";
    PR_EMS_AB_DISPLAY_TYPE_EX = 0x8C930003, "PidTagAddressBookDisplayTypeExtended";
    PR_EMS_AB_HAB_SHOW_IN_DEPARTMENTS = 0x8C94000D, "PidTagAddressBookHierarchicalShowInDepartments";
    PR_EMS_AB_ROOM_CONTAINERS = 0x8C96101F, "PidTagAddressBookRoomContainers";
    PR_EMS_AB_HAB_DEPARTMENT_MEMBERS = 0x8C97000D, "PidTagAddressBookHierarchicalDepartmentMembers";
    PR_EMS_AB_HAB_ROOT_DEPARTMENT = 0x8C98001E, "PidTagAddressBookHierarchicalRootDepartment";
    PR_EMS_AB_HAB_PARENT_DEPARTMENT = 0x8C99000D, "PidTagAddressBookHierarchicalParentDepartment";
    PR_EMS_AB_HAB_CHILD_DEPARTMENTS = 0x8C9A000D, "PidTagAddressBookHierarchicalChildDepartments";
    PR_EMS_AB_THUMBNAIL_PHOTO = 0x8C9E0102, "PidTagThumbnailPhoto";
    PR_EMS_AB_SENIORITY_INDEX = 0x8CA00003, "PidTagAddressBookSeniorityIndex";
    PR_EMS_AB_ORG_UNIT_ROOT_DN = 0x8CA8001F, "PidTagAddressBookOrganizationalUnitRootDistinguishedName";
    PR_EMS_AB_DL_SENDER_HINT_TRANSLATIONS = 0x8CAC101F, "PidTagAddressBookSenderHintTranslations";
    PR_EMS_AB_ENABLE_MODERATION = 0x8CB5000B, "PidTagAddressBookModerationEnabled";
    PR_EMS_AB_UM_SPOKEN_NAME = 0x8CC20102, "PidTagSpokenName";
    PR_EMS_AB_AUTH_ORIG = 0x8CD8000D, "PidTagAddressBookAuthorizedSenders";
    PR_EMS_AB_UNAUTH_ORIG = 0x8CD9000D, "PidTagAddressBookUnauthorizedSenders";
    PR_EMS_AB_DL_MEM_SUBMIT_PERMS = 0x8CDA000D, "PidTagAddressBookDistributionListMemberSubmitRejected";
    PR_EMS_AB_DL_MEM_REJECT_PERMS = 0x8CDB000D, "PidTagAddressBookDistributionListRejectMessagesFromDLMembers";
    PR_EMS_AB_HAB_IS_HIERARCHICAL_GROUP = 0x8CDD000B, "PidTagAddressBookHierarchicalIsHierarchicalGroup";
    PR_EMS_AB_DL_TOTAL_MEMBER_COUNT = 0x8CE20003, "PidTagAddressBookDistributionListMemberCount";
    PR_EMS_AB_DL_EXTERNAL_MEMBER_COUNT = 0x8CE30003, "PidTagAddressBookDistributionListExternalMemberCount";
    PR_EMS_AB_IS_MASTER = 0xFFFB000B, "PidTagAddressBookIsMaster";
    PR_EMS_AB_PARENT_ENTRYID = 0xFFFC0102, "PidTagAddressBookParentEntryId";
    PR_EMS_AB_CONTAINERID = 0xFFFD0003, "PidTagAddressBookContainerId";
    // --- providers, message services and status objects ---
    PR_PROVIDER_DISPLAY = 0x3006001F, "PidTagProviderDisplay";
    PR_RESOURCE_FLAGS = 0x30090003, "PidTagResourceFlags";
    PR_PROVIDER_DLL_NAME = 0x300A001F, "PidTagProviderDllName";
    PR_PROVIDER_UID = 0x300C0102, "PidTagProviderUid";
    PR_PROVIDER_ORDINAL = 0x300D0003, "PidTagProviderOrdinal";
    PR_STORE_PROVIDERS = 0x3D000102, "PidTagStoreProviders";
    PR_AB_PROVIDERS = 0x3D010102, "PidTagAbProviders";
    PR_TRANSPORT_PROVIDERS = 0x3D020102, "PidTagTransportProviders";
    PR_DEFAULT_PROFILE = 0x3D04000B, "PidTagDefaultProfile";
    PR_AB_SEARCH_PATH = 0x3D051102, "PidTagAbSearchPath";
    PR_AB_DEFAULT_DIR = 0x3D060102, "PidTagAbDefaultDir";
    PR_AB_DEFAULT_PAB = 0x3D070102, "PidTagAbDefaultPab";
    PR_FILTERING_HOOKS = 0x3D080102, "PidTagFilteringHooks";
    PR_SERVICE_NAME = 0x3D09001F, "PidTagServiceName";
    PR_SERVICE_DLL_NAME = 0x3D0A001F, "PidTagServiceDllName";
    PR_SERVICE_ENTRY_NAME = 0x3D0B001F, "PidTagServiceEntryName";
    PR_SERVICE_UID = 0x3D0C0102, "PidTagServiceUid";
    PR_SERVICE_EXTRA_UIDS = 0x3D0D0102, "PidTagServiceExtraUids";
    PR_SERVICES = 0x3D0E0102, "PidTagServices";
    PR_SERVICE_SUPPORT_FILES = 0x3D0F101F, "PidTagServiceSupportFiles";
    PR_SERVICE_DELETE_FILES = 0x3D10101F, "PidTagServiceDeleteFiles";
    PR_AB_SEARCH_PATH_UPDATE = 0x3D110102, "PidTagAbSearchPathUpdate";
    PR_SERVICE_INSTALL_ID = 0x3D13001F, "PidTagServiceInstallId";
    PR_EMSMDB_SECTION_UID = 0x3D150102, "PidTagExchangeProfileSectionId";
    PR_AB_SEARCH_PATH_CUSTOMIZATION = 0x3D1B0003, "PidTagAbSearchPathCustomization";
    PR_AB_CHOOSE_DIRECTORY_AUTOMATICALLY = 0x3D1C000B, "PidTagAbChooseDirectoryAutomatically";
    PR_IDENTITY_DISPLAY = 0x3E00001F, "PidTagIdentityDisplay";
    PR_IDENTITY_ENTRYID = 0x3E010102, "PidTagIdentityEntryId";
    PR_RESOURCE_METHODS = 0x3E020003, "PidTagResourceMethods";
    PR_RESOURCE_TYPE = 0x3E030003, "PidTagResourceType";
    PR_STATUS_CODE = 0x3E040003, "PidTagStatusCode";
    PR_IDENTITY_SEARCH_KEY = 0x3E050102, "PidTagIdentitySearchKey";
    PR_OWN_STORE_ENTRYID = 0x3E060102, "PidTagOwnStoreEntryId";
    PR_RESOURCE_PATH = 0x3E07001F, "PidTagResourcePath";
    PR_STATUS_STRING = 0x3E08001F, "PidTagStatusString";
    PR_X400_DEFERRED_DELIVERY_CANCEL = 0x3E09000B, "PidTagX400DeferredDeliveryCancel";
    PR_HEADER_FOLDER_ENTRYID = 0x3E0A0102, "PidTagHeaderFolderEntryId";
    PR_REMOTE_PROGRESS = 0x3E0B0003, "PidTagRemoteProgress";
    PR_REMOTE_PROGRESS_TEXT = 0x3E0C001F, "PidTagRemoteProgressText";
    PR_REMOTE_VALIDATE_OK = 0x3E0D000B, "PidTagRemoteValidateOk";
    // --- display tables ---
    PR_CONTROL_FLAGS = 0x3F000003, "PidTagControlFlags";
    PR_CONTROL_STRUCTURE = 0x3F010102, "PidTagControlStructure";
    PR_CONTROL_TYPE = 0x3F020003, "PidTagControlType";
    PR_DELTAX = 0x3F030003, "PidTagDeltaX";
    PR_DELTAY = 0x3F040003, "PidTagDeltaY";
    PR_XPOS = 0x3F050003, "PidTagXCoordinate";
    PR_YPOS = 0x3F060003, "PidTagYCoordinate";
    PR_CONTROL_ID = 0x3F070102, "PidTagControlId";
    PR_INITIAL_DETAILS_PANE = 0x3F080003, "PidTagInitialDetailsPane";
    // --- junk mail, views and roaming settings ---
    PR_JUNK_INCLUDE_CONTACTS = 0x61000003, "PidTagJunkIncludeContacts";
    PR_JUNK_THRESHOLD = 0x61010003, "PidTagJunkThreshold";
    PR_JUNK_PERMANENTLY_DELETE = 0x61020003, "PidTagJunkPermanentlyDelete";
    PR_JUNK_ADD_RECIPS_TO_SSL = 0x61030003, "PidTagJunkAddRecipientsToSafeSendersList";
    PR_JUNK_PHISHING_ENABLE_LINKS = 0x6107000B, "PidTagJunkPhishingEnableLinks";
    PR_VD_BINARY = 0x70010102, "PidTagViewDescriptorBinary";
    PR_VD_STRINGS = 0x7002001F, "PidTagViewDescriptorStrings";
    PR_VD_FLAGS = 0x70030003, "PidTagViewDescriptorFlags";
    PR_VD_LINK_TO = 0x70040102, "PidTagViewDescriptorLinkTo";
    PR_VD_VIEW_FOLDER = 0x70050102, "PidTagViewDescriptorViewFolder";
    PR_VD_NAME = 0x7006001F, "PidTagViewDescriptorName";
    PR_VD_VERSION = 0x70070003, "PidTagViewDescriptorVersion";
    PR_ROAMING_DATATYPES = 0x7C060003, "PidTagRoamingDatatypes";
    PR_ROAMING_DICTIONARY = 0x7C070102, "PidTagRoamingDictionary";
    PR_ROAMING_XMLSTREAM = 0x7C080102, "PidTagRoamingXmlStream";
    PR_ROAMING_BINARYSTREAM = 0x7C090102, "PidTagRoamingBinary";
    PR_OSC_SYNC_ENABLEDONSERVER = 0x7C24000B, "PidTagOscSyncEnabled";
    // --- profile sections (Exchange / MSEMS service); MS-OXPROPS does not list these, except
    // PidTagProfileName: canonical names are built from the PR names ---
    PR_PROFILE_NAME = 0x3D12001F, "PidTagProfileName";
    PR_PROFILE_ALTERNATE_STORE_TYPE = 0x65D0001F, "PidTagProfileAlternateStoreType";
    PR_PROFILE_VERSION = 0x66000003, "PidTagProfileVersion";
    PR_PROFILE_CONFIG_FLAGS = 0x66010003, "PidTagProfileConfigFlags";
    PR_PROFILE_HOME_SERVER = 0x6602001E, "PidTagProfileHomeServer";
    PR_PROFILE_USER = 0x6603001E, "PidTagProfileUser";
    PR_PROFILE_TRANSPORT_FLAGS = 0x66050003, "PidTagProfileTransportFlags";
    PR_PROFILE_UI_STATE = 0x66060003, "PidTagProfileUiState";
    PR_PROFILE_UNRESOLVED_NAME = 0x6607001E, "PidTagProfileUnresolvedName";
    PR_PROFILE_UNRESOLVED_SERVER = 0x6608001E, "PidTagProfileUnresolvedServer";
    PR_PROFILE_OPEN_FLAGS = 0x66090003, "PidTagProfileOpenFlags";
    PR_PROFILE_BINDING_ORDER = 0x6609001E, "PidTagProfileBindingOrder";
    PR_PROFILE_TYPE = 0x660A0003, "PidTagProfileType";
    PR_PROFILE_MAILBOX = 0x660B001E, "PidTagProfileMailbox";
    PR_PROFILE_SERVER = 0x660C001E, "PidTagProfileServer";
    PR_PROFILE_MAX_RESTRICT = 0x660D0003, "PidTagProfileMaxRestrict";
    PR_PROFILE_AB_FILES_PATH = 0x660E001E, "PidTagProfileAbFilesPath";
    PR_PROFILE_FAVFLD_DISPLAY_NAME = 0x660F001E, "PidTagProfileFavfldDisplayName";
    PR_PROFILE_OFFLINE_STORE_PATH = 0x6610001F, "PidTagProfileOfflineStorePath";
    PR_PROFILE_OFFLINE_INFO = 0x66110102, "PidTagProfileOfflineInfo";
    PR_PROFILE_HOME_SERVER_DN = 0x6612001E, "PidTagProfileHomeServerDn";
    PR_PROFILE_HOME_SERVER_ADDRS = 0x6613101E, "PidTagProfileHomeServerAddrs";
    PR_PROFILE_SERVER_DN = 0x6614001E, "PidTagProfileServerDn";
    PR_PROFILE_FAVFLD_COMMENT = 0x6615001E, "PidTagProfileFavfldComment";
    PR_PROFILE_ALLPUB_DISPLAY_NAME = 0x6616001E, "PidTagProfileAllpubDisplayName";
    PR_PROFILE_ALLPUB_COMMENT = 0x6617001E, "PidTagProfileAllpubComment";
    PR_PROFILE_AUTH_PACKAGE = 0x66190003, "PidTagProfileAuthPackage";
    PR_PROFILE_RECONNECT_INTERVAL = 0x661A0003, "PidTagProfileReconnectInterval";
    PR_PROFILE_SERVER_VERSION = 0x661B0003, "PidTagProfileServerVersion";
    PR_PROFILE_RPC_PROXY_SERVER = 0x6622001F, "PidTagProfileRpcProxyServer";
    PR_PROFILE_RPC_PROXY_SERVER_FLAGS = 0x66230003, "PidTagProfileRpcProxyServerFlags";
    PR_PROFILE_RPC_PROXY_SERVER_AUTH_PACKAGE = 0x66270003, "PidTagProfileRpcProxyServerAuthPackage";
    // Same value as PidTagAddressBookEntryId (PR_ADDRESS_BOOK_ENTRYID), which is therefore not declared.
    PR_PROFILE_SERVER_FULL_VERSION = 0x663B0102, "PidTagProfileServerFullVersion";
    PR_PROFILE_USER_SMTP_EMAIL_ADDRESS = 0x6641001F, "PidTagProfileUserSmtpEmailAddress";
    // The endpoint URLs Autodiscover returned, as Outlook keeps them in the profile (not in
    // MS-OXPROPS; MFCMAPI's names and values). 0x664A also names PidTagHasNamedProperties (PT_BOOLEAN).
    PR_PROFILE_LKG_AUTODISCOVER_URL = 0x664A001F, "PidTagProfileLkgAutodiscoverUrl";
    PR_PROFILE_MAPIHTTP_MAILSTORE_INTERNAL_URL = 0x6652001F, "PidTagProfileMapiHttpMailstoreInternalUrl";
    PR_PROFILE_MAPIHTTP_MAILSTORE_EXTERNAL_URL = 0x6653001F, "PidTagProfileMapiHttpMailstoreExternalUrl";
    PR_PROFILE_MAPIHTTP_ADDRESSBOOK_INTERNAL_URL = 0x6654001F, "PidTagProfileMapiHttpAddressbookInternalUrl";
    PR_PROFILE_MAPIHTTP_ADDRESSBOOK_EXTERNAL_URL = 0x6655001F, "PidTagProfileMapiHttpAddressbookExternalUrl";
    PR_PROFILE_MOAB = 0x667B001E, "PidTagProfileMoab";
    PR_PROFILE_MOAB_GUID = 0x667C001E, "PidTagProfileMoabGuid";
    PR_PROFILE_MOAB_SEQ = 0x667D0003, "PidTagProfileMoabSeq";
    PR_PROFILE_AUTH_USER = 0x66A0001F, "PidTagProfileAuthUser";
    PR_PROFILE_AUTH_PASSWORD = 0x66A10102, "PidTagProfileAuthPassword";
    PR_PROFILE_SECURE_MAILBOX = 0x67F00102, "PidTagProfileSecureMailbox";
    PR_PROFILE_MDB_DN = 0x7CFF001E, "PidTagProfileMdbDn";
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashSet;

    #[test]
    fn enough_entries() {
        assert!(ENTRIES.len() >= 450, "only {} entries", ENTRIES.len());
    }

    #[test]
    fn tag_values_are_unique() {
        let mut seen = HashSet::new();
        for e in ENTRIES {
            assert!(seen.insert(e.tag), "duplicate tag {} ({})", e.tag, e.pr_name);
        }
    }

    #[test]
    fn canonical_names_are_unique_and_well_formed() {
        let mut seen = HashSet::new();
        for e in ENTRIES {
            assert!(
                e.canonical.starts_with("PidTag") || e.canonical.starts_with("PidLid"),
                "{}: bad canonical name {}",
                e.pr_name,
                e.canonical
            );
            assert!(seen.insert(e.canonical), "duplicate canonical name {}", e.canonical);
            assert!(e.pr_name.starts_with("PR_"), "bad PR name {}", e.pr_name);
            assert!(
                !e.pr_name.ends_with("_W") && !e.pr_name.ends_with("_A"),
                "PR name with a width suffix: {}",
                e.pr_name
            );
        }
    }

    #[test]
    fn spot_checks() {
        assert_eq!(PR_SUBJECT, PropTag(0x0037_001F));
        assert_eq!(PR_STORE_SUPPORT_MASK, PropTag(0x340D_0003));
        assert_eq!(PR_PROFILE_CONNECT_FLAGS, PropTag(0x6604_0003));
        assert_eq!(PR_IPM_SUBTREE_ENTRYID, PropTag(0x35E0_0102));
        assert_eq!(PR_EMS_AB_PROXY_ADDRESSES, PropTag(0x800F_101F));
        assert_eq!(PR_MESSAGE_DELIVERY_TIME, PropTag(0x0E06_0040));
        assert_eq!(PR_ATTACH_DATA_BIN, PropTag(0x3701_0102));
        assert_eq!(PR_HTML, PropTag(0x1013_0102));
        assert_eq!(PR_BODY_HTML, PropTag(0x1013_001F));
        assert_eq!(PR_FID, PropTag(0x6748_0014));
        assert_eq!(PR_MID, PropTag(0x674A_0014));
        assert_eq!(PR_CHANGE_NUMBER, PropTag(0x67A4_0014));
        assert_eq!(PR_RULE_ID, PropTag(0x6674_0014));
        assert_eq!(PR_PROFILE_USER, PropTag(0x6603_001E));
        assert_eq!(PR_LOCALE_ID, PropTag(0x66A1_0003));
        assert_eq!(PR_PROFILE_AUTH_PASSWORD, PropTag(0x66A1_0102));
        // MFCMAPI's profile tags for the MAPI/HTTP endpoints (protocol-facts §7.x).
        assert_eq!(PR_PROFILE_LKG_AUTODISCOVER_URL, PropTag(0x664A_001F));
        assert_eq!(PR_PROFILE_MAPIHTTP_MAILSTORE_INTERNAL_URL, PropTag(0x6652_001F));
        assert_eq!(PR_PROFILE_MAPIHTTP_MAILSTORE_EXTERNAL_URL, PropTag(0x6653_001F));
        assert_eq!(PR_PROFILE_MAPIHTTP_ADDRESSBOOK_INTERNAL_URL, PropTag(0x6654_001F));
        assert_eq!(PR_PROFILE_MAPIHTTP_ADDRESSBOOK_EXTERNAL_URL, PropTag(0x6655_001F));
    }

    #[test]
    fn canonical_names_match() {
        let canon = |t: PropTag| ENTRIES.iter().find(|e| e.tag == t).map(|e| e.canonical);
        assert_eq!(canon(PR_SUBJECT), Some("PidTagSubject"));
        assert_eq!(canon(PR_MDB_PROVIDER), Some("PidTagStoreProvider"));
        assert_eq!(canon(PR_FID), Some("PidTagFolderId"));
        assert_eq!(canon(PR_EMS_AB_PROXY_ADDRESSES), Some("PidTagAddressBookProxyAddresses"));
        assert_eq!(canon(PR_ATTACH_DATA_BIN), Some("PidTagAttachDataBinary"));
    }
}
