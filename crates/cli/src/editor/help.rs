//! The key list of the help overlay (`?`) and of docs/editor.md.

/// Keys by group: (key, what it does).
pub const KEYS: &[(&str, &[(&str, &str)])] = &[
    (
        "Everywhere",
        &[
            ("↑ ↓ j k", "move; PgUp PgDn Home End jump"),
            ("Enter", "open the selected row"),
            ("q Esc", "go back (q on the first pane quits; Ctrl-C quits)"),
            ("/", "search: type, Enter selects the first row containing it"),
            ("?", "this help"),
        ],
    ),
    (
        "Profiles",
        &[
            ("l", "log on with the profile (stores, folders, messages)"),
            ("x", "every profile section of the profile (the global one first)"),
        ],
    ),
    (
        "Property pane",
        &[
            ("e", "edit the value (Ctrl-U clears, Enter accepts, Esc cancels)"),
            ("b", "toggle the named bits of a flag (Space toggles, Enter accepts)"),
            ("n d", "add a property (TAG VALUE) / delete one"),
            ("s u", "save the changes (* marks unsaved) / undo them"),
        ],
    ),
    (
        "Stores and folders",
        &[
            ("o A p", "another user's mailbox / address book / properties"),
            ("t", "folder tree: IPM subtree or the whole store"),
            ("w W", "watch the folder (events below) / stop"),
        ],
    ),
    (
        "Contents and messages",
        &[
            ("1-5 r R a", "sort by column / restrict / unrestrict / FAI contents"),
            ("Tab p S", "message tabs / editable properties / save attachment"),
        ],
    ),
];
