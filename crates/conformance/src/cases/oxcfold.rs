//! MS-OXCFOLD: the folder object protocol. Ported from Microsoft's MS-OXCFOLD suite
//! (ExchangeMAPI/Source/MS-OXCFOLD/TestSuite: S01_FolderRopOperations for the folder ROPs,
//! S02_MessageRopOperations for the message ROPs on folders); requirement numbers are the ones
//! those tests capture. Every folder and message a case creates lives inside the suite's own
//! folder ([`Ctx::new_folder`]); cases that could touch the rest of the mailbox on a faulty
//! server need [`Need::Destructive`].

use oxmapi_core::catalogue::tags::{
    PR_ASSOC_CONTENT_COUNT, PR_COMMENT, PR_CONTENT_COUNT, PR_DISPLAY_NAME, PR_FID, PR_FOLDER_TYPE,
    PR_MESSAGE_CLASS, PR_SUBFOLDERS,
};
use oxmapi_core::ids::ObjectId;
use oxmapi_core::restriction::Restriction;
use oxmapi_core::value::PropValue;
use oxmapi_wire::rop::buffer::UNUSED_HANDLE;
use oxmapi_wire::rop::response::RopResponse;

use crate::body;
use crate::case::{
    Case, CaseResult, Need, Protocol, Verdict, ensure, eq, expect_failure, expect_rv, expect_rv_in, fail,
};
use crate::context::Ctx;
use crate::rops;
use crate::rops::delete_folder_flags::{DEL_FOLDERS, DEL_MESSAGES, DELETE_HARD_DELETE};
use crate::rops_oxcfold as f;
use crate::rops_oxcfold::{
    OPEN_SOFT_DELETED, ec, folder_type, get_search, nonexistent_id, open_folder_response, prop, prop_bool,
    prop_i32, prop_text, set_search, subfolder, table_count, table_flags, table_rows,
};
use crate::rops_oxcmsg::{self as m, saved_message};

const P: Protocol = Protocol::OxcFold;

/// The cases of this module.
pub const CASES: &[Case] = &[
    // --- RopCreateFolder (S01_TC03, TC14) ---
    Case {
        name: "oxcfold_create_folder",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.2",
        requirements: &["MS-OXCFOLD_R37", "MS-OXCFOLD_R476", "MS-OXCFOLD_R1197"],
        needs: &[],
        run: create_folder,
    },
    Case {
        name: "oxcfold_create_folder_unicode_names_become_properties",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.2.1",
        requirements: &["MS-OXCFOLD_R48", "MS-OXCFOLD_R54", "MS-OXCFOLD_R56", "MS-OXCFOLD_R477"],
        needs: &[],
        run: create_folder_unicode_names,
    },
    Case {
        name: "oxcfold_create_folder_8bit_names",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.2.1",
        requirements: &["MS-OXCFOLD_R49", "MS-OXCFOLD_R54"],
        needs: &[],
        run: create_folder_8bit_names,
    },
    Case {
        name: "oxcfold_create_folder_open_existing",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.2.1, 3.2.5.2",
        requirements: &["MS-OXCFOLD_R50", "MS-OXCFOLD_R482", "MS-OXCFOLD_R483"],
        needs: &[],
        run: create_folder_open_existing,
    },
    Case {
        name: "oxcfold_create_folder_duplicate_name",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.2",
        requirements: &[
            "MS-OXCFOLD_R51",
            "MS-OXCFOLD_R480",
            "MS-OXCFOLD_R481",
            "MS-OXCFOLD_R491",
            "MS-OXCFOLD_R493",
            "MS-OXCFOLD_R1065",
        ],
        needs: &[],
        run: create_folder_duplicate_name,
    },
    Case {
        name: "oxcfold_create_folder_invalid_folder_type",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.2",
        requirements: &["MS-OXCFOLD_R486", "MS-OXCFOLD_R487"],
        needs: &[],
        run: create_folder_invalid_type,
    },
    Case {
        name: "oxcfold_create_folder_comment_optional",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.2",
        requirements: &["MS-OXCFOLD_R478", "MS-OXCFOLD_R3801"],
        needs: &[],
        run: create_folder_comment_optional,
    },
    Case {
        name: "oxcfold_create_folder_on_table_object",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.2",
        requirements: &["MS-OXCFOLD_R494", "MS-OXCFOLD_R495"],
        needs: &[],
        run: create_folder_on_table,
    },
    Case {
        name: "oxcfold_create_folder_on_logon_object",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.2",
        requirements: &["MS-OXCFOLD_R494", "MS-OXCFOLD_R495"],
        // A server that wrongly accepts it creates a folder outside the suite's folder.
        needs: &[Need::Destructive],
        run: create_folder_on_logon,
    },
    Case {
        name: "oxcfold_new_folder_counts_are_zero",
        protocol: P,
        section: "MS-OXCFOLD 2.2.2.2.1",
        requirements: &["MS-OXCFOLD_R10345", "MS-OXCFOLD 2.2.2.2.1 (PidTagContentCount)"],
        needs: &[],
        run: new_folder_counts,
    },
    Case {
        name: "oxcfold_folder_counts_follow_contents",
        protocol: P,
        section: "MS-OXCFOLD 2.2.2.2.1",
        requirements: &[
            "MS-OXCFOLD_R10345",
            "MS-OXCFOLD 2.2.2.2.1 (PidTagAssociatedContentCount)",
            "MS-OXCFOLD 2.2.2.2.1 (PidTagSubfolders)",
        ],
        needs: &[],
        run: folder_counts_follow_contents,
    },
    Case {
        name: "oxcfold_folder_property_types",
        protocol: P,
        section: "MS-OXCFOLD 2.2.2.2",
        requirements: &[
            "MS-OXCFOLD_R345",
            "MS-OXCFOLD_R351",
            "MS-OXCFOLD_R359",
            "MS-OXCFOLD_R360",
            "MS-OXCFOLD_R362",
            "MS-OXCFOLD 2.2.2.2.1 (PidTagFolderType FOLDER_GENERIC 0x00000001)",
        ],
        needs: &[],
        run: folder_property_types,
    },
    // --- RopOpenFolder (S01_TC01, TC13) ---
    Case {
        name: "oxcfold_open_folder_without_rules",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.1.2",
        requirements: &[
            "MS-OXCFOLD_R16",
            "MS-OXCFOLD_R21",
            "MS-OXCFOLD_R26",
            "MS-OXCFOLD_R460",
            "MS-OXCFOLD_R90001",
        ],
        needs: &[],
        run: open_folder_without_rules,
    },
    Case {
        name: "oxcfold_open_folder_ignores_invalid_mode_bits",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.1",
        requirements: &[
            "MS-OXCFOLD_R46501",
            "MS-OXCFOLD_R46502",
            "MS-OXCFOLD_R46503",
            "MS-OXCFOLD_R46504",
            "MS-OXCFOLD_R46505",
            "MS-OXCFOLD_R46506",
            "MS-OXCFOLD_R46507",
        ],
        needs: &[],
        run: open_folder_invalid_bits,
    },
    Case {
        name: "oxcfold_open_folder_nonexistent",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.1",
        requirements: &["MS-OXCFOLD_R468", "MS-OXCFOLD_R469"],
        needs: &[],
        run: open_folder_nonexistent,
    },
    Case {
        name: "oxcfold_open_folder_on_table_object",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.1",
        requirements: &["MS-OXCFOLD_R472", "MS-OXCFOLD_R473"],
        needs: &[],
        run: open_folder_on_table,
    },
    Case {
        name: "oxcfold_open_soft_deleted_folder_without_flag",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.1",
        requirements: &["MS-OXCFOLD_R471"],
        needs: &[],
        run: open_soft_deleted_without_flag,
    },
    Case {
        name: "oxcfold_invalid_input_handle_null_object",
        protocol: P,
        section: "MS-OXCROPS 3.2.5.1 (an input handle that refers to no object fails with ecNullObject)",
        requirements: &["MS-OXCROPS 3.2.5.1 (ecNullObject 0x000004B9)"],
        needs: &[],
        run: invalid_handle_null_object,
    },
    // --- RopDeleteFolder (S01_TC05–TC10, TC15) ---
    Case {
        name: "oxcfold_delete_empty_folder",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.3, 3.2.5.3",
        requirements: &["MS-OXCFOLD_R76", "MS-OXCFOLD_R94401", "MS-OXCFOLD_R1076"],
        needs: &[],
        run: delete_empty_folder,
    },
    Case {
        name: "oxcfold_delete_folder_with_messages_without_del_messages",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.3",
        requirements: &["MS-OXCFOLD_R371", "MS-OXCFOLD_R816", "MS-OXCFOLD_R817"],
        needs: &[],
        run: delete_folder_keeps_messages,
    },
    Case {
        name: "oxcfold_delete_folder_with_subfolder_without_del_folders",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.3.2, 3.2.5.3",
        requirements: &["MS-OXCFOLD_R948", "MS-OXCFOLD_R1079", "MS-OXCFOLD_R1080", "MS-OXCFOLD_R1081"],
        needs: &[],
        run: delete_folder_keeps_subfolders,
    },
    Case {
        name: "oxcfold_delete_folder_del_messages",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.3.1",
        requirements: &["MS-OXCFOLD_R82", "MS-OXCFOLD_R762"],
        needs: &[],
        run: delete_folder_del_messages,
    },
    Case {
        name: "oxcfold_delete_folder_del_folders",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.3.1",
        requirements: &["MS-OXCFOLD_R763"],
        needs: &[],
        run: delete_folder_del_folders,
    },
    Case {
        name: "oxcfold_hard_deleted_folder_cannot_be_opened",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.3.1, 3.2.5.3",
        requirements: &["MS-OXCFOLD_R97", "MS-OXCFOLD_R497", "MS-OXCFOLD_R764", "MS-OXCFOLD_R46201002"],
        needs: &[],
        run: hard_deleted_folder_gone,
    },
    Case {
        name: "oxcfold_delete_folder_nonexistent",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.3",
        requirements: &["MS-OXCFOLD_R504", "MS-OXCFOLD_R507"],
        needs: &[],
        run: delete_folder_nonexistent,
    },
    Case {
        name: "oxcfold_delete_folder_on_table_object",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.3",
        requirements: &["MS-OXCFOLD_R509", "MS-OXCFOLD_R510"],
        needs: &[],
        run: delete_folder_on_table,
    },
    Case {
        name: "oxcfold_delete_folder_invalid_flag_bits",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.3",
        requirements: &["MS-OXCFOLD_R123401", "MS-OXCFOLD_R123402"],
        needs: &[],
        run: delete_folder_invalid_bits,
    },
    Case {
        name: "oxcfold_delete_root_folder_on_logon_object",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.3",
        requirements: &["MS-OXCFOLD_R2509"],
        // A server that wrongly accepts it deletes the mailbox root.
        needs: &[Need::Destructive],
        run: delete_root_on_logon,
    },
    // --- RopMoveFolder / RopCopyFolder (S01_TC02, TC04, TC11, TC12) ---
    Case {
        name: "oxcfold_move_folder",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.7, 3.2.5.7",
        requirements: &[
            "MS-OXCFOLD_R180",
            "MS-OXCFOLD_R183",
            "MS-OXCFOLD_R185",
            "MS-OXCFOLD_R186",
            "MS-OXCFOLD_R190",
            "MS-OXCFOLD_R423",
            "MS-OXCFOLD_R1111",
            "MS-OXCFOLD_R17101",
        ],
        needs: &[],
        run: move_folder,
    },
    Case {
        name: "oxcfold_move_folder_moves_its_contents",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.7",
        requirements: &["MS-OXCFOLD_R170"],
        needs: &[],
        run: move_folder_contents,
    },
    Case {
        name: "oxcfold_move_folder_nonexistent",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.7",
        requirements: &["MS-OXCFOLD_R599", "MS-OXCFOLD_R600"],
        needs: &[],
        run: move_folder_nonexistent,
    },
    Case {
        name: "oxcfold_move_folder_source_not_a_folder",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.7",
        requirements: &["MS-OXCFOLD_R601", "MS-OXCFOLD_R602"],
        needs: &[],
        run: move_folder_source_message,
    },
    Case {
        name: "oxcfold_copy_folder_recursive",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.8, 3.2.5.8",
        requirements: &[
            "MS-OXCFOLD_R207",
            "MS-OXCFOLD_R210",
            "MS-OXCFOLD_R212",
            "MS-OXCFOLD_R219",
            "MS-OXCFOLD_R429",
            "MS-OXCFOLD_R1048",
            "MS-OXCFOLD_R1118",
            "MS-OXCFOLD_R1122",
            "MS-OXCFOLD_R19701",
        ],
        needs: &[],
        run: copy_folder_recursive,
    },
    Case {
        name: "oxcfold_copy_folder_copies_messages",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.8, 3.2.5.8",
        requirements: &["MS-OXCFOLD_R198", "MS-OXCFOLD_R397", "MS-OXCFOLD_R605"],
        needs: &[],
        run: copy_folder_messages,
    },
    Case {
        name: "oxcfold_copy_folder_not_recursive",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.8.1",
        requirements: &["MS-OXCFOLD_R211"],
        needs: &[],
        run: copy_folder_not_recursive,
    },
    Case {
        name: "oxcfold_copy_folder_nonexistent",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.8",
        requirements: &["MS-OXCFOLD_R611", "MS-OXCFOLD_R612"],
        needs: &[],
        run: copy_folder_nonexistent,
    },
    Case {
        name: "oxcfold_copy_folder_destination_not_a_folder",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.8",
        requirements: &["MS-OXCFOLD_R613", "MS-OXCFOLD_R614"],
        needs: &[],
        run: copy_folder_dest_message,
    },
    // --- RopEmptyFolder / RopHardDeleteMessagesAndSubfolders (S02_TC02, TC03, TC07, TC10) ---
    Case {
        name: "oxcfold_empty_folder",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.9, 3.2.5.9",
        requirements: &[
            "MS-OXCFOLD_R225",
            "MS-OXCFOLD_R235",
            "MS-OXCFOLD_R243",
            "MS-OXCFOLD_R618",
            "MS-OXCFOLD_R1126",
            "MS-OXCFOLD_R43201",
            "MS-OXCFOLD_R97502",
        ],
        needs: &[],
        run: empty_folder,
    },
    Case {
        name: "oxcfold_empty_folder_want_delete_associated",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.9.1, 3.2.5.9",
        requirements: &["MS-OXCFOLD_R238", "MS-OXCFOLD_R239", "MS-OXCFOLD_R617"],
        needs: &[],
        run: empty_folder_associated,
    },
    Case {
        name: "oxcfold_empty_folder_on_logon_object_not_supported",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.9",
        requirements: &["MS-OXCFOLD_R624", "MS-OXCFOLD_R625"],
        // A server that wrongly accepts it empties the mailbox root.
        needs: &[Need::Destructive],
        run: empty_folder_on_logon,
    },
    Case {
        name: "oxcfold_hard_delete_messages_and_subfolders",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.10, 3.2.5.10",
        requirements: &[
            "MS-OXCFOLD_R251",
            "MS-OXCFOLD_R261",
            "MS-OXCFOLD_R1135",
            "MS-OXCFOLD_R43202",
            "MS-OXCFOLD_R98302",
            "MS-OXCFOLD_R113801",
        ],
        needs: &[],
        run: hard_delete_contents,
    },
    Case {
        name: "oxcfold_hard_delete_messages_and_subfolders_want_delete_associated",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.10.1, 3.2.5.10",
        requirements: &["MS-OXCFOLD_R256", "MS-OXCFOLD_R257", "MS-OXCFOLD_R113804", "MS-OXCFOLD_R113805"],
        needs: &[],
        run: hard_delete_contents_associated,
    },
    Case {
        name: "oxcfold_hard_delete_messages_and_subfolders_on_logon_object",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.10",
        requirements: &["MS-OXCFOLD_R629", "MS-OXCFOLD_R630"],
        // A server that wrongly accepts it hard-deletes the mailbox root's contents.
        needs: &[Need::Destructive],
        run: hard_delete_contents_on_logon,
    },
    // --- RopDeleteMessages / RopHardDeleteMessages (S02_TC04, TC05, TC08, TC09) ---
    Case {
        name: "oxcfold_delete_messages",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.11, 3.2.5.11",
        requirements: &[
            "MS-OXCFOLD_R262",
            "MS-OXCFOLD_R271",
            "MS-OXCFOLD_R282",
            "MS-OXCFOLD_R436",
            "MS-OXCFOLD_R1143",
            "MS-OXCFOLD_R98802",
        ],
        needs: &[],
        run: delete_messages,
    },
    Case {
        name: "oxcfold_delete_messages_on_logon_object",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.11",
        requirements: &["MS-OXCFOLD_R637", "MS-OXCFOLD_R638"],
        needs: &[],
        run: delete_messages_on_logon,
    },
    Case {
        name: "oxcfold_hard_delete_messages",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.12, 3.2.5.12",
        requirements: &[
            "MS-OXCFOLD_R293",
            "MS-OXCFOLD_R304",
            "MS-OXCFOLD_R437",
            "MS-OXCFOLD_R1153",
            "MS-OXCFOLD_R99402",
        ],
        needs: &[],
        run: hard_delete_messages,
    },
    Case {
        name: "oxcfold_hard_delete_messages_on_logon_object",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.12",
        requirements: &["MS-OXCFOLD_R644", "MS-OXCFOLD_R645"],
        needs: &[],
        run: hard_delete_messages_on_logon,
    },
    // --- RopMoveCopyMessages (S02_TC01, TC06) ---
    Case {
        name: "oxcfold_copy_messages",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.6, 3.2.5.6",
        requirements: &[
            "MS-OXCFOLD_R155",
            "MS-OXCFOLD_R159",
            "MS-OXCFOLD_R1105",
            "MS-OXCFOLD_R14501",
            "MS-OXCFOLD_R14902",
            "MS-OXCFOLD_R15102",
        ],
        needs: &[],
        run: copy_messages,
    },
    Case {
        name: "oxcfold_move_messages",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.6, 3.2.5.6",
        requirements: &["MS-OXCFOLD_R160", "MS-OXCFOLD_R163", "MS-OXCFOLD_R14901", "MS-OXCFOLD_R15101"],
        needs: &[],
        run: move_messages,
    },
    Case {
        name: "oxcfold_move_messages_source_logon_object",
        protocol: P,
        section: "MS-OXCFOLD 3.2.5.6",
        requirements: &["MS-OXCFOLD_R589", "MS-OXCFOLD_R590"],
        needs: &[],
        run: move_messages_source_logon,
    },
    Case {
        name: "oxcfold_move_messages_null_destination",
        protocol: P,
        section: "MS-OXCROPS 2.2.4.6.2 (ecDstNullObject response carries DestHandleIndex)",
        requirements: &["MS-OXCROPS 2.2.4.6.2 (DestHandleIndex present when ReturnValue is ecDstNullObject)"],
        needs: &[],
        run: move_messages_null_destination,
    },
    // --- hierarchy and contents tables (S01_TC11, TC12; MS-OXCFOLD 2.2.1.13, 2.2.1.14) ---
    Case {
        name: "oxcfold_hierarchy_table_depth",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.13.1",
        requirements: &["MS-OXCFOLD 2.2.1.13.1 (Depth lists the folders of all levels)"],
        needs: &[],
        run: hierarchy_table_depth,
    },
    Case {
        name: "oxcfold_contents_table_associated",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.14.1",
        requirements: &["MS-OXCFOLD 2.2.1.14.1 (Associated lists only FAI messages)", "MS-OXCFOLD_R326"],
        needs: &[],
        run: contents_table_associated,
    },
    Case {
        name: "oxcfold_contents_table_unicode_strings",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.14.1",
        requirements: &["MS-OXCFOLD_R1020", "MS-OXCFOLD_R1021"],
        needs: &[],
        run: contents_table_unicode,
    },
    // --- search folders (S02_TC11; MS-OXCFOLD 2.2.1.4, 2.2.1.5) ---
    Case {
        name: "oxcfold_search_criteria_round_trip",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.4, 2.2.1.5",
        requirements: &[
            "MS-OXCFOLD 2.2.1.5.2 (FolderIds and RestrictionData as set by RopSetSearchCriteria)",
            "MS-OXCFOLD_R1200",
            "MS-OXCFOLD_R1233",
        ],
        needs: &[],
        run: search_criteria_round_trip,
    },
    Case {
        name: "oxcfold_search_criteria_on_generic_folder",
        protocol: P,
        section: "MS-OXCFOLD 2.2.1.5.1",
        requirements: &["MS-OXCFOLD 2.2.1.5.1 (the input object is a search folder)"],
        needs: &[],
        run: search_criteria_on_generic_folder,
    },
];

type R<T> = Result<T, Verdict>;

fn out(one: &crate::context::One, what: &str) -> R<u32> {
    one.out.ok_or_else(|| fail(format!("an output handle from {what}"), "none"))
}

/// A contents table handle of `folder`.
fn contents_table_handle(ctx: &mut Ctx, folder: u32) -> R<u32> {
    let one = ctx.rop(&[folder], rops::contents_table(0, 1, 0))?;
    expect_rv("RopGetContentsTable", &one.resp, 0)?;
    out(&one, "RopGetContentsTable")
}

/// The PartialCompletion of a successful RopDeleteFolder.
fn delete_folder_ok(ctx: &mut Ctx, parent: u32, fid: ObjectId, flags: u8) -> R<u8> {
    let one = ctx.rop(&[parent], rops::delete_folder(0, fid, flags))?;
    Ok(body!(one.resp, DeleteFolder)?.partial_completion)
}

/// Passes when `fid` opens (optionally with OpenSoftDeleted).
fn opens(ctx: &mut Ctx, fid: ObjectId, flags: u8) -> R<bool> {
    Ok(f::rv_of(&open_folder_response(ctx, fid, flags)?) == 0)
}

fn create_folder(ctx: &mut Ctx) -> CaseResult {
    let scratch = ctx.scratch()?;
    let h = ctx.open_folder(scratch)?;
    let one = ctx.rop(&[h], rops::create_folder(0, 1, "oxcfold-create", false))?;
    let b = body!(one.resp, CreateFolder)?;
    ensure(one.out.is_some(), "an output Folder handle", "none")?;
    // MS-OXCFOLD 2.2.1.2.2: IsExistingFolder is zero for a folder created in a private mailbox.
    eq("IsExistingFolder", false, b.existing.is_some())
}

fn create_folder_unicode_names(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-unicode")?;
    let one = ctx.rop(
        &[parent],
        f::create_folder_with(0, 1, folder_type::GENERIC, true, false, "Ünïcode näme", "Kommentar é"),
    )?;
    body!(one.resp, CreateFolder)?;
    let h = out(&one, "RopCreateFolder")?;
    eq("PidTagDisplayName", "Ünïcode näme".to_string(), prop_text(ctx, h, PR_DISPLAY_NAME)?)?;
    eq("PidTagComment", "Kommentar é".to_string(), prop_text(ctx, h, PR_COMMENT)?)
}

fn create_folder_8bit_names(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-8bit")?;
    let one = ctx
        .rop(&[parent], f::create_folder_with(0, 1, folder_type::GENERIC, false, false, "plain name", "c"))?;
    body!(one.resp, CreateFolder)?;
    let h = out(&one, "RopCreateFolder")?;
    eq("PidTagDisplayName", "plain name".to_string(), prop_text(ctx, h, PR_DISPLAY_NAME)?)
}

fn create_folder_open_existing(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-open-existing")?;
    // R483: with OpenExisting set and no such folder, a new folder is created.
    let one = ctx.rop(&[parent], rops::create_folder(0, 1, "sub", true))?;
    let first = body!(one.resp, CreateFolder)?.folder_id;
    let one = ctx.rop(&[parent], rops::create_folder(0, 1, "sub", true))?;
    let again = body!(one.resp, CreateFolder)?.folder_id;
    eq("FolderId of the opened existing folder", first, again)?;
    eq("hierarchy rows", 1, table_count(ctx, parent, false, 0)?)
}

fn create_folder_duplicate_name(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-duplicate")?;
    subfolder(ctx, parent, "twin")?;
    let one = ctx.rop(&[parent], rops::create_folder(0, 1, "twin", false))?;
    expect_rv("second RopCreateFolder with OpenExisting 0", &one.resp, ec::DUPLICATE_NAME)
}

fn create_folder_invalid_type(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-bad-type")?;
    let one = ctx.rop(&[parent], f::create_folder_with(0, 1, 0x03, false, false, "typed", "typed"))?;
    expect_rv("RopCreateFolder with FolderType 3", &one.resp, ec::INVALID_PARAM)
}

fn create_folder_comment_optional(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-no-comment")?;
    let one =
        ctx.rop(&[parent], f::create_folder_with(0, 1, folder_type::GENERIC, true, false, "nocomment", ""))?;
    expect_rv("RopCreateFolder with an empty Comment", &one.resp, 0)
}

fn create_folder_on_table(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-create-on-table")?;
    let table = contents_table_handle(ctx, parent)?;
    let one = ctx.rop(&[table], rops::create_folder(0, 1, "never", false))?;
    expect_rv("RopCreateFolder on a Table object", &one.resp, ec::NOT_SUPPORTED)
}

fn create_folder_on_logon(ctx: &mut Ctx) -> CaseResult {
    let one = ctx.on_logon(rops::create_folder(0, 1, "oxmapi-conformance-never", true))?;
    expect_rv("RopCreateFolder on the Logon object", &one.resp, ec::NOT_SUPPORTED)
}

fn new_folder_counts(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = ctx.new_folder("oxcfold-new-counts")?;
    eq("PidTagContentCount", 0, prop_i32(ctx, h, PR_CONTENT_COUNT)?)?;
    eq("PidTagAssociatedContentCount", 0, prop_i32(ctx, h, PR_ASSOC_CONTENT_COUNT)?)?;
    eq("PidTagSubfolders", false, prop_bool(ctx, h, PR_SUBFOLDERS)?)
}

fn folder_counts_follow_contents(ctx: &mut Ctx) -> CaseResult {
    let (fid, h) = ctx.new_folder("oxcfold-counts")?;
    saved_message(ctx, h, fid, false, "one")?;
    saved_message(ctx, h, fid, false, "two")?;
    saved_message(ctx, h, fid, true, "fai")?;
    subfolder(ctx, h, "child")?;
    // Reopen so that no cached values are read.
    let h = ctx.open_folder(fid)?;
    eq("PidTagContentCount", 2, prop_i32(ctx, h, PR_CONTENT_COUNT)?)?;
    eq("PidTagAssociatedContentCount", 1, prop_i32(ctx, h, PR_ASSOC_CONTENT_COUNT)?)?;
    eq("PidTagSubfolders", true, prop_bool(ctx, h, PR_SUBFOLDERS)?)
}

fn folder_property_types(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-property-types")?;
    let one = ctx.rop(
        &[parent],
        f::create_folder_with(0, 1, folder_type::GENERIC, true, false, "typed", "a comment"),
    )?;
    body!(one.resp, CreateFolder)?;
    let h = out(&one, "RopCreateFolder")?;
    let one = ctx.rop(&[h], rops::get_props_all(0))?;
    let values = &body!(one.resp, GetPropertiesAll)?.property_values;
    // MS-OXCFOLD 2.2.2.2: (property, type, required on every folder).
    let expected = [
        (PR_CONTENT_COUNT, "PtypInteger32", false),
        (PR_FID, "PtypInteger64", false),
        (PR_COMMENT, "PtypString", true),
        (PR_DISPLAY_NAME, "PtypString", true),
        (PR_FOLDER_TYPE, "PtypInteger32", true),
    ];
    for (tag, ty, required) in expected {
        match values.iter().find(|v| v.tag.id() == tag.id()) {
            Some(v) => eq(&format!("type of {tag} in RopGetPropertiesAll ({ty})"), tag, v.tag)?,
            None if required => return Err(fail(format!("{tag} in RopGetPropertiesAll"), "absent")),
            None => {}
        }
    }
    eq(
        "PidTagFolderType of a generic folder",
        PropValue::I32(1),
        prop(ctx, h, PR_FOLDER_TYPE)?.unwrap_or(PropValue::Null),
    )
}

fn open_folder_without_rules(ctx: &mut Ctx) -> CaseResult {
    let (fid, _) = ctx.new_folder("oxcfold-open")?;
    let resp = open_folder_response(ctx, fid, 0)?;
    let b = body!(resp, OpenFolder)?;
    eq("HasRules", 0, b.has_rules)
}

fn open_folder_invalid_bits(ctx: &mut Ctx) -> CaseResult {
    let (fid, _) = ctx.new_folder("oxcfold-open-bits")?;
    for bit in [0x01u8, 0x02, 0x08, 0x10, 0x20, 0x40, 0x80] {
        let resp = open_folder_response(ctx, fid, bit)?;
        expect_rv(&format!("RopOpenFolder with OpenModeFlags 0x{bit:02X}"), &resp, 0)?;
    }
    Ok(())
}

fn open_folder_nonexistent(ctx: &mut Ctx) -> CaseResult {
    let resp = open_folder_response(ctx, nonexistent_id(), OPEN_SOFT_DELETED)?;
    expect_rv("RopOpenFolder of a FID that does not exist", &resp, ec::NOT_FOUND)
}

fn open_folder_on_table(ctx: &mut Ctx) -> CaseResult {
    let (fid, h) = ctx.new_folder("oxcfold-open-on-table")?;
    let table = contents_table_handle(ctx, h)?;
    let one = ctx.rop(&[table], f::open_folder_with(0, 1, fid, 0))?;
    expect_rv("RopOpenFolder on a Table object", &one.resp, ec::NOT_SUPPORTED)
}

fn open_soft_deleted_without_flag(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-soft-deleted")?;
    let (fid, _) = subfolder(ctx, parent, "gone")?;
    eq("PartialCompletion", 0, delete_folder_ok(ctx, parent, fid, DEL_FOLDERS | DEL_MESSAGES)?)?;
    let resp = open_folder_response(ctx, fid, 0)?;
    expect_rv("RopOpenFolder of a soft-deleted folder without OpenSoftDeleted", &resp, ec::NOT_FOUND)
}

fn invalid_handle_null_object(ctx: &mut Ctx) -> CaseResult {
    let one = ctx.rop(&[UNUSED_HANDLE], rops::hierarchy_table(0, 1, 0))?;
    expect_rv("RopGetHierarchyTable on the handle 0xFFFFFFFF", &one.resp, ec::NULL_OBJECT)
}

fn delete_empty_folder(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-delete-empty")?;
    let (fid, _) = subfolder(ctx, parent, "empty")?;
    eq("PartialCompletion", 0, delete_folder_ok(ctx, parent, fid, 0)?)?;
    eq("hierarchy rows of the parent", 0, table_count(ctx, parent, false, 0)?)?;
    ensure(!opens(ctx, fid, 0)?, "the deleted folder no longer opens", "RopOpenFolder succeeded")
}

fn delete_folder_keeps_messages(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-delete-keeps-messages")?;
    let (fid, h) = subfolder(ctx, parent, "full")?;
    saved_message(ctx, h, fid, false, "stays")?;
    let partial = delete_folder_ok(ctx, parent, fid, DELETE_HARD_DELETE)?;
    ensure(partial != 0, "PartialCompletion nonzero", format!("PartialCompletion {partial}"))?;
    ensure(opens(ctx, fid, 0)?, "the folder still opens", "RopOpenFolder failed")?;
    let h = ctx.open_folder(fid)?;
    eq("contents rows of the kept folder", 1, table_count(ctx, h, true, 0)?)
}

fn delete_folder_keeps_subfolders(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-delete-keeps-folders")?;
    let (fid, h) = subfolder(ctx, parent, "outer")?;
    subfolder(ctx, h, "inner")?;
    let partial = delete_folder_ok(ctx, parent, fid, DELETE_HARD_DELETE)?;
    ensure(partial != 0, "PartialCompletion nonzero", format!("PartialCompletion {partial}"))?;
    ensure(opens(ctx, fid, 0)?, "the folder still opens", "RopOpenFolder failed")?;
    let h = ctx.open_folder(fid)?;
    eq("hierarchy rows of the kept folder", 1, table_count(ctx, h, false, 0)?)
}

fn delete_folder_del_messages(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-del-messages")?;
    let (fid, h) = subfolder(ctx, parent, "full")?;
    saved_message(ctx, h, fid, false, "goes")?;
    eq("PartialCompletion", 0, delete_folder_ok(ctx, parent, fid, DEL_MESSAGES | DELETE_HARD_DELETE)?)?;
    ensure(!opens(ctx, fid, 0)?, "the deleted folder no longer opens", "RopOpenFolder succeeded")
}

fn delete_folder_del_folders(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-del-folders")?;
    let (fid, h) = subfolder(ctx, parent, "outer")?;
    let (inner, _) = subfolder(ctx, h, "inner")?;
    eq("PartialCompletion", 0, delete_folder_ok(ctx, parent, fid, DEL_FOLDERS | DELETE_HARD_DELETE)?)?;
    ensure(!opens(ctx, fid, 0)?, "the deleted folder no longer opens", "RopOpenFolder succeeded")?;
    ensure(!opens(ctx, inner, 0)?, "its subfolder no longer opens", "RopOpenFolder succeeded")
}

fn hard_deleted_folder_gone(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-hard-delete")?;
    let (fid, _) = subfolder(ctx, parent, "hard")?;
    let flags = DELETE_HARD_DELETE | DEL_FOLDERS | DEL_MESSAGES;
    eq("PartialCompletion", 0, delete_folder_ok(ctx, parent, fid, flags)?)?;
    let resp = open_folder_response(ctx, fid, OPEN_SOFT_DELETED)?;
    expect_failure("RopOpenFolder with OpenSoftDeleted of a hard-deleted folder", &resp)
}

fn delete_folder_nonexistent(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-delete-missing")?;
    let one = ctx.rop(&[parent], rops::delete_folder(0, nonexistent_id(), DEL_FOLDERS | DEL_MESSAGES))?;
    expect_rv("RopDeleteFolder of a FID that does not exist", &one.resp, ec::NOT_FOUND)
}

fn delete_folder_on_table(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-delete-on-table")?;
    let (fid, _) = subfolder(ctx, parent, "child")?;
    let table = contents_table_handle(ctx, parent)?;
    let one = ctx.rop(&[table], rops::delete_folder(0, fid, 0))?;
    expect_rv("RopDeleteFolder on a Table object", &one.resp, ec::NOT_SUPPORTED)
}

fn delete_folder_invalid_bits(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-delete-bits")?;
    let (fid, _) = subfolder(ctx, parent, "child")?;
    let one = ctx.rop(&[parent], rops::delete_folder(0, fid, 0x02))?;
    // MS-OXCFOLD 3.2.5.3 and <11>: Exchange 2007 fails with ecInvalidParam; later versions ignore
    // the bit and delete the folder.
    expect_rv_in("RopDeleteFolder with DeleteFolderFlags 0x02", &one.resp, &[0, ec::INVALID_PARAM])?;
    if f::rv_of(&one.resp) == 0 {
        eq("PartialCompletion", 0, body!(one.resp, DeleteFolder)?.partial_completion)?;
        ensure(!opens(ctx, fid, 0)?, "the folder deleted (the invalid bit ignored)", "it still opens")?;
    }
    Ok(())
}

fn delete_root_on_logon(ctx: &mut Ctx) -> CaseResult {
    let root = ctx.special_folder(0)?;
    let one = ctx.on_logon(rops::delete_folder(0, root, DEL_FOLDERS))?;
    expect_rv("RopDeleteFolder of the Root folder on the Logon object", &one.resp, ec::NOT_SUPPORTED)
}

fn move_folder(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-move")?;
    let (_, dest) = subfolder(ctx, parent, "dest")?;
    let (_, source) = subfolder(ctx, parent, "source")?;
    let (moved, moved_h) = subfolder(ctx, source, "moved")?;
    let one = ctx.rop(&[source, dest], f::move_folder(0, 1, moved, "renamed"))?;
    eq("PartialCompletion", 0, body!(one.resp, MoveFolder)?.partial_completion)?;
    eq("hierarchy rows of the source", 0, table_count(ctx, source, false, table_flags::DEPTH)?)?;
    eq("hierarchy rows of the destination", 1, table_count(ctx, dest, false, table_flags::DEPTH)?)?;
    let _ = moved_h;
    let h = ctx.open_folder(moved)?;
    eq("PidTagDisplayName of the moved folder", "renamed".to_string(), prop_text(ctx, h, PR_DISPLAY_NAME)?)
}

fn move_folder_contents(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-move-contents")?;
    let (_, dest) = subfolder(ctx, parent, "dest")?;
    let (fid, h) = subfolder(ctx, parent, "moved")?;
    saved_message(ctx, h, fid, false, "travels")?;
    let one = ctx.rop(&[parent, dest], f::move_folder(0, 1, fid, "moved"))?;
    eq("PartialCompletion", 0, body!(one.resp, MoveFolder)?.partial_completion)?;
    let h = ctx.open_folder(fid)?;
    eq("contents rows of the moved folder", 1, table_count(ctx, h, true, 0)?)
}

fn move_folder_nonexistent(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-move-missing")?;
    let (_, dest) = subfolder(ctx, parent, "dest")?;
    let one = ctx.rop(&[parent, dest], f::move_folder(0, 1, ObjectId::from_u64(i64::MAX as u64), "x"))?;
    expect_rv("RopMoveFolder of a FID that does not exist", &one.resp, ec::NOT_FOUND)
}

fn move_folder_source_message(ctx: &mut Ctx) -> CaseResult {
    let (fid, parent) = ctx.new_folder("oxcfold-move-from-message")?;
    let (_, dest) = subfolder(ctx, parent, "dest")?;
    let (mid, msg) = saved_message(ctx, parent, fid, false, "not a folder")?;
    let one = ctx.rop(&[msg, dest], f::move_folder(0, 1, mid, "x"))?;
    expect_rv("RopMoveFolder with a Message object as source", &one.resp, ec::NOT_SUPPORTED)
}

fn copy_folder_recursive(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-copy")?;
    let (_, dest) = subfolder(ctx, parent, "dest")?;
    let (source, sh) = subfolder(ctx, parent, "source")?;
    subfolder(ctx, sh, "inner")?;
    let one = ctx.rop(&[parent, dest], f::copy_folder(0, 1, source, true, "copy"))?;
    eq("PartialCompletion", 0, body!(one.resp, CopyFolder)?.partial_completion)?;
    eq("hierarchy rows (Depth) of the destination", 2, table_count(ctx, dest, false, table_flags::DEPTH)?)?;
    // The source stays where it was.
    eq("hierarchy rows (Depth) of the source", 1, table_count(ctx, sh, false, table_flags::DEPTH)?)
}

fn copy_folder_messages(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-copy-messages")?;
    let (_, dest) = subfolder(ctx, parent, "dest")?;
    let (source, sh) = subfolder(ctx, parent, "source")?;
    saved_message(ctx, sh, source, false, "copied")?;
    let one = ctx.rop(&[parent, dest], f::copy_folder(0, 1, source, true, "copy"))?;
    eq("PartialCompletion", 0, body!(one.resp, CopyFolder)?.partial_completion)?;
    let rows = table_rows(ctx, dest, false, 0, &[PR_FID, PR_DISPLAY_NAME], 10)?;
    let [row] = rows.as_slice() else {
        return Err(fail("one hierarchy row in the destination", format!("{} rows", rows.len())));
    };
    let Some(PropValue::I64(raw)) = row.values.first().and_then(|v| v.value()) else {
        return Err(fail("PidTagFolderId in the hierarchy row", format!("{:?}", row.values.first())));
    };
    let copy = ObjectId::from_u64(*raw as u64);
    ensure(copy != source, "the copy has a new FID", "the source's FID")?;
    let h = ctx.open_folder(copy)?;
    eq("contents rows of the copy", 1, table_count(ctx, h, true, 0)?)?;
    eq("contents rows of the source", 1, table_count(ctx, sh, true, 0)?)
}

fn copy_folder_not_recursive(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-copy-flat")?;
    let (_, dest) = subfolder(ctx, parent, "dest")?;
    let (source, sh) = subfolder(ctx, parent, "source")?;
    subfolder(ctx, sh, "inner")?;
    let one = ctx.rop(&[parent, dest], f::copy_folder(0, 1, source, false, "copy"))?;
    eq("PartialCompletion", 0, body!(one.resp, CopyFolder)?.partial_completion)?;
    eq("hierarchy rows (Depth) of the destination", 1, table_count(ctx, dest, false, table_flags::DEPTH)?)
}

fn copy_folder_nonexistent(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-copy-missing")?;
    let (_, dest) = subfolder(ctx, parent, "dest")?;
    let one =
        ctx.rop(&[parent, dest], f::copy_folder(0, 1, ObjectId::from_u64(i64::MAX as u64), true, "x"))?;
    expect_rv("RopCopyFolder of a FID that does not exist", &one.resp, ec::NOT_FOUND)
}

fn copy_folder_dest_message(ctx: &mut Ctx) -> CaseResult {
    let (fid, parent) = ctx.new_folder("oxcfold-copy-to-message")?;
    let (child, _) = subfolder(ctx, parent, "child")?;
    let (_, msg) = saved_message(ctx, parent, fid, false, "not a folder")?;
    let one = ctx.rop(&[parent, msg], f::copy_folder(0, 1, child, true, "x"))?;
    expect_rv("RopCopyFolder with a Message object as destination", &one.resp, ec::NOT_SUPPORTED)
}

fn empty_folder(ctx: &mut Ctx) -> CaseResult {
    let (fid, h) = ctx.new_folder("oxcfold-empty")?;
    subfolder(ctx, h, "child")?;
    saved_message(ctx, h, fid, false, "goes")?;
    let one = ctx.rop(&[h], rops::empty_folder(0, false))?;
    eq("PartialCompletion", 0, body!(one.resp, EmptyFolder)?.partial_completion)?;
    ensure(opens(ctx, fid, 0)?, "the emptied folder itself still opens", "RopOpenFolder failed")?;
    eq("contents rows", 0, table_count(ctx, h, true, 0)?)?;
    eq("hierarchy rows", 0, table_count(ctx, h, false, 0)?)
}

fn empty_folder_associated(ctx: &mut Ctx) -> CaseResult {
    let (fid, h) = ctx.new_folder("oxcfold-empty-fai")?;
    saved_message(ctx, h, fid, false, "normal")?;
    saved_message(ctx, h, fid, true, "fai")?;
    let one = ctx.rop(&[h], rops::empty_folder(0, false))?;
    eq("PartialCompletion", 0, body!(one.resp, EmptyFolder)?.partial_completion)?;
    eq("contents rows after WantDeleteAssociated 0", 0, table_count(ctx, h, true, 0)?)?;
    eq("FAI rows after WantDeleteAssociated 0", 1, table_count(ctx, h, true, table_flags::ASSOCIATED)?)?;
    let one = ctx.rop(&[h], rops::empty_folder(0, true))?;
    eq("PartialCompletion", 0, body!(one.resp, EmptyFolder)?.partial_completion)?;
    eq("FAI rows after WantDeleteAssociated 1", 0, table_count(ctx, h, true, table_flags::ASSOCIATED)?)
}

fn empty_folder_on_logon(ctx: &mut Ctx) -> CaseResult {
    let one = ctx.on_logon(rops::empty_folder(0, false))?;
    expect_rv("RopEmptyFolder on the Logon object", &one.resp, ec::NOT_SUPPORTED)
}

fn hard_delete_contents(ctx: &mut Ctx) -> CaseResult {
    let (fid, h) = ctx.new_folder("oxcfold-hard-empty")?;
    let (child, _) = subfolder(ctx, h, "child")?;
    saved_message(ctx, h, fid, false, "goes")?;
    let one = ctx.rop(&[h], f::hard_delete_contents(0, true))?;
    eq("PartialCompletion", 0, body!(one.resp, HardDeleteMessagesAndSubfolders)?.partial_completion)?;
    ensure(opens(ctx, fid, 0)?, "the folder itself still opens", "RopOpenFolder failed")?;
    eq("contents rows", 0, table_count(ctx, h, true, 0)?)?;
    eq("hierarchy rows", 0, table_count(ctx, h, false, 0)?)?;
    ensure(!opens(ctx, child, OPEN_SOFT_DELETED)?, "the subfolder hard-deleted", "it still opens")
}

fn hard_delete_contents_associated(ctx: &mut Ctx) -> CaseResult {
    let (fid, h) = ctx.new_folder("oxcfold-hard-empty-fai")?;
    saved_message(ctx, h, fid, false, "normal")?;
    saved_message(ctx, h, fid, true, "fai")?;
    subfolder(ctx, h, "child")?;
    let one = ctx.rop(&[h], f::hard_delete_contents(0, false))?;
    eq("PartialCompletion", 0, body!(one.resp, HardDeleteMessagesAndSubfolders)?.partial_completion)?;
    eq("contents rows after WantDeleteAssociated 0", 0, table_count(ctx, h, true, 0)?)?;
    eq("hierarchy rows after WantDeleteAssociated 0", 0, table_count(ctx, h, false, 0)?)?;
    eq("FAI rows after WantDeleteAssociated 0", 1, table_count(ctx, h, true, table_flags::ASSOCIATED)?)?;
    let one = ctx.rop(&[h], f::hard_delete_contents(0, true))?;
    eq("PartialCompletion", 0, body!(one.resp, HardDeleteMessagesAndSubfolders)?.partial_completion)?;
    eq("FAI rows after WantDeleteAssociated 1", 0, table_count(ctx, h, true, table_flags::ASSOCIATED)?)
}

fn hard_delete_contents_on_logon(ctx: &mut Ctx) -> CaseResult {
    let one = ctx.on_logon(f::hard_delete_contents(0, true))?;
    expect_rv("RopHardDeleteMessagesAndSubfolders on the Logon object", &one.resp, ec::NOT_SUPPORTED)
}

fn delete_messages(ctx: &mut Ctx) -> CaseResult {
    let (fid, h) = ctx.new_folder("oxcfold-delete-messages")?;
    let (m1, _) = saved_message(ctx, h, fid, false, "one")?;
    let (m2, _) = saved_message(ctx, h, fid, false, "two")?;
    let (m3, _) = saved_message(ctx, h, fid, false, "three")?;
    let one = ctx.rop(&[h], f::delete_messages(0, &[m1]))?;
    eq("PartialCompletion", 0, body!(one.resp, DeleteMessages)?.partial_completion)?;
    eq("contents rows after deleting one", 2, table_count(ctx, h, true, 0)?)?;
    let one = ctx.rop(&[h], f::delete_messages(0, &[m2, m3]))?;
    eq("PartialCompletion", 0, body!(one.resp, DeleteMessages)?.partial_completion)?;
    eq("contents rows after deleting the others", 0, table_count(ctx, h, true, 0)?)
}

fn delete_messages_on_logon(ctx: &mut Ctx) -> CaseResult {
    let (fid, h) = ctx.new_folder("oxcfold-delete-messages-logon")?;
    let (mid, _) = saved_message(ctx, h, fid, false, "stays")?;
    let one = ctx.on_logon(f::delete_messages(0, &[mid]))?;
    expect_rv("RopDeleteMessages on the Logon object", &one.resp, ec::NOT_SUPPORTED)
}

fn hard_delete_messages(ctx: &mut Ctx) -> CaseResult {
    let (fid, h) = ctx.new_folder("oxcfold-hard-delete-messages")?;
    let (mid, _) = saved_message(ctx, h, fid, false, "goes")?;
    let one = ctx.rop(&[h], f::hard_delete_messages(0, &[mid]))?;
    eq("PartialCompletion", 0, body!(one.resp, HardDeleteMessages)?.partial_completion)?;
    eq("contents rows", 0, table_count(ctx, h, true, 0)?)?;
    let one = ctx.rop(&[h], rops::open_message(0, 1, fid, mid, 0))?;
    expect_rv("RopOpenMessage of the hard-deleted message", &one.resp, ec::NOT_FOUND)
}

fn hard_delete_messages_on_logon(ctx: &mut Ctx) -> CaseResult {
    let (fid, h) = ctx.new_folder("oxcfold-hard-delete-messages-logon")?;
    let (mid, _) = saved_message(ctx, h, fid, false, "stays")?;
    let one = ctx.on_logon(f::hard_delete_messages(0, &[mid]))?;
    expect_rv("RopHardDeleteMessages on the Logon object", &one.resp, ec::NOT_SUPPORTED)
}

fn copy_messages(ctx: &mut Ctx) -> CaseResult {
    let (fid, source) = ctx.new_folder("oxcfold-copy-messages-src")?;
    let (_, dest) = ctx.new_folder("oxcfold-copy-messages-dst")?;
    let (mid, _) = saved_message(ctx, source, fid, false, "copied")?;
    let one = ctx.rop(&[source, dest], f::move_copy_messages(0, 1, &[mid], true))?;
    eq("PartialCompletion", 0, body!(one.resp, MoveCopyMessages)?.partial_completion)?;
    eq("contents rows of the source", 1, table_count(ctx, source, true, 0)?)?;
    eq("contents rows of the destination", 1, table_count(ctx, dest, true, 0)?)
}

fn move_messages(ctx: &mut Ctx) -> CaseResult {
    let (fid, source) = ctx.new_folder("oxcfold-move-messages-src")?;
    let (_, dest) = ctx.new_folder("oxcfold-move-messages-dst")?;
    let (mid, _) = saved_message(ctx, source, fid, false, "moved")?;
    let one = ctx.rop(&[source, dest], f::move_copy_messages(0, 1, &[mid], false))?;
    eq("PartialCompletion", 0, body!(one.resp, MoveCopyMessages)?.partial_completion)?;
    eq("contents rows of the source", 0, table_count(ctx, source, true, 0)?)?;
    eq("contents rows of the destination", 1, table_count(ctx, dest, true, 0)?)
}

fn move_messages_source_logon(ctx: &mut Ctx) -> CaseResult {
    let (fid, h) = ctx.new_folder("oxcfold-move-messages-logon")?;
    let (_, dest) = subfolder(ctx, h, "dest")?;
    let (mid, _) = saved_message(ctx, h, fid, false, "stays")?;
    let logon = ctx.logon_handle()?;
    let one = ctx.rop(&[logon, dest], f::move_copy_messages(0, 1, &[mid], false))?;
    expect_rv("RopMoveCopyMessages with the Logon object as source", &one.resp, ec::NOT_SUPPORTED)
}

fn move_messages_null_destination(ctx: &mut Ctx) -> CaseResult {
    let (fid, h) = ctx.new_folder("oxcfold-move-messages-null")?;
    let (mid, _) = saved_message(ctx, h, fid, false, "stays")?;
    let one = ctx.rop(&[h, UNUSED_HANDLE], f::move_copy_messages(0, 1, &[mid], false))?;
    expect_rv("RopMoveCopyMessages to the handle 0xFFFFFFFF", &one.resp, ec::DST_NULL_OBJECT)?;
    let RopResponse::MoveCopyMessages(o) = &one.resp else {
        return Err(fail("a RopMoveCopyMessages response", format!("{:?}", one.resp.rop_id())));
    };
    let b = o.body.as_ref().ok_or_else(|| fail("DestHandleIndex and PartialCompletion", "no body"))?;
    eq("DestHandleIndex", Some(1), b.dest_handle_index)?;
    eq("contents rows of the source", 1, table_count(ctx, h, true, 0)?)
}

fn hierarchy_table_depth(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = ctx.new_folder("oxcfold-hierarchy")?;
    let (_, a) = subfolder(ctx, h, "a")?;
    subfolder(ctx, h, "b")?;
    subfolder(ctx, a, "a1")?;
    eq("hierarchy rows without Depth", 2, table_count(ctx, h, false, 0)?)?;
    eq("hierarchy rows with Depth", 3, table_count(ctx, h, false, table_flags::DEPTH)?)
}

fn contents_table_associated(ctx: &mut Ctx) -> CaseResult {
    let (fid, h) = ctx.new_folder("oxcfold-contents-fai")?;
    saved_message(ctx, h, fid, false, "normal")?;
    saved_message(ctx, h, fid, false, "normal 2")?;
    saved_message(ctx, h, fid, true, "fai")?;
    eq("contents rows", 2, table_count(ctx, h, true, 0)?)?;
    eq("contents rows with Associated", 1, table_count(ctx, h, true, table_flags::ASSOCIATED)?)
}

fn contents_table_unicode(ctx: &mut Ctx) -> CaseResult {
    let (fid, h) = ctx.new_folder("oxcfold-contents-unicode")?;
    let msg = m::new_message(ctx, h, fid, false)?;
    m::set_ok(ctx, msg, vec![m::text(PR_MESSAGE_CLASS, "IPM.Note")])?;
    m::save_ok(ctx, msg)?;
    let rows = table_rows(ctx, h, true, table_flags::USE_UNICODE, &[PR_MESSAGE_CLASS], 5)?;
    let v = rows.first().and_then(|r| r.values.first()).and_then(|v| v.value()).cloned();
    eq("PidTagMessageClass (PtypString)", Some(PropValue::Unicode("IPM.Note".into())), v)?;
    let ansi = oxmapi_core::tag::PropTag((PR_MESSAGE_CLASS.0 & 0xFFFF_0000) | 0x001E);
    let rows = table_rows(ctx, h, true, 0, &[ansi], 5)?;
    let v = rows.first().and_then(|r| r.values.first()).and_then(|v| v.value()).cloned();
    eq("PidTagMessageClass (PtypString8)", Some(PropValue::String8(b"IPM.Note".to_vec())), v)
}

fn search_folder(ctx: &mut Ctx, parent: u32, name: &str) -> R<u32> {
    let one = ctx.rop(&[parent], f::create_folder_with(0, 1, folder_type::SEARCH, true, false, name, ""))?;
    body!(one.resp, CreateFolder)?;
    out(&one, "RopCreateFolder")
}

fn search_criteria_round_trip(ctx: &mut Ctx) -> CaseResult {
    let (_, parent) = ctx.new_folder("oxcfold-search")?;
    let (scope, sh) = subfolder(ctx, parent, "scope")?;
    saved_message(ctx, sh, scope, false, "found")?;
    let search = search_folder(ctx, parent, "finder")?;
    let restriction = Restriction::Exist { prop_tag: PR_MESSAGE_CLASS };
    let flags = set_search::RESTART_SEARCH | set_search::SHALLOW_SEARCH | set_search::STATIC_SEARCH;
    let one = ctx.rop(&[search], f::set_search_criteria(0, Some(restriction.clone()), &[scope], flags))?;
    expect_rv("RopSetSearchCriteria", &one.resp, 0)?;
    let one = ctx.rop(&[search], f::get_search_criteria(0, true, true))?;
    let b = body!(one.resp, GetSearchCriteria)?;
    eq("FolderIds", vec![scope], b.folder_ids.clone())?;
    eq("RestrictionData", Some(restriction), b.restriction.clone())?;
    eq("LogonId", 0, b.logon_id)?;
    ensure(
        b.search_flags & get_search::SEARCH_RECURSIVE == 0,
        "SearchFlags without SEARCH_RECURSIVE for a shallow search",
        format!("SearchFlags 0x{:08X}", b.search_flags),
    )?;
    // The search may still run (MS-OXCFOLD 3.2.5.4): wait briefly for the one match.
    let mut rows = 0;
    for _ in 0..20 {
        rows = table_count(ctx, search, true, 0)?;
        if rows == 1 {
            break;
        }
        std::thread::sleep(std::time::Duration::from_millis(25));
    }
    eq("contents rows of the search folder", 1, rows)
}

fn search_criteria_on_generic_folder(ctx: &mut Ctx) -> CaseResult {
    let (_, h) = ctx.new_folder("oxcfold-search-generic")?;
    let one = ctx.rop(&[h], f::get_search_criteria(0, true, true))?;
    expect_rv_in(
        "RopGetSearchCriteria on a generic folder",
        &one.resp,
        &[ec::NOT_SEARCH_FOLDER, ec::NOT_SUPPORTED],
    )
}
