//! Round trips of table notifications with their rows (MS-OXCNOTIF 2.2.1.4.1.2).

use proptest::prelude::*;

use super::*;
use crate::strategies::columns_and_row;

fn id() -> impl Strategy<Value = ObjectId> {
    (any::<u16>(), any::<u64>()).prop_map(|(r, c)| ObjectId::new(r, c))
}

/// A TableRowAdded / TableRowDeleted / TableRowModified of a message (`m`) or folder row.
fn row_event(
    tet: u16,
    m: bool,
    ids: [ObjectId; 4],
    instances: (u32, u32),
    data: Option<Vec<u8>>,
) -> NotificationData {
    let insert = tet != table_event::TABLE_ROW_DELETED;
    NotificationData {
        flags: kind::TABLE_MODIFIED | if m { FLAG_M } else { 0 },
        table_event_type: Some(tet),
        table_row_folder_id: Some(ids[0]),
        table_row_message_id: m.then_some(ids[1]),
        table_row_instance: m.then_some(instances.0),
        insert_after_table_row_folder_id: insert.then_some(ids[2]),
        insert_after_table_row_id: (insert && m).then_some(ids[3]),
        insert_after_table_row_instance: (insert && m).then_some(instances.1),
        table_row_data: if insert { data } else { None },
        ..Default::default()
    }
}

proptest! {
    /// Every field of a row event survives encode/decode, and the row reads back in the
    /// table's columns.
    #[test]
    fn table_row_events_round_trip_with_their_rows(
        tet in prop_oneof![Just(3u16), Just(4u16), Just(5u16)],
        m in any::<bool>(),
        ids in [id(), id(), id(), id()],
        instances in (any::<u32>(), any::<u32>()),
        (columns, row) in columns_and_row(),
        handle in any::<u32>(),
    ) {
        let data = NotificationData::row_data(&row, &columns).expect("small rows fit");
        let n = NotifyResponse {
            notification_handle: handle,
            logon_id: 3,
            data: row_event(tet, m, ids, instances, Some(data)),
        };
        let mut w = Writer::new();
        n.encode(&mut w);
        let bytes = w.into_vec();
        let mut r = Reader::new(&bytes);
        let back = NotifyResponse::decode(&mut r).unwrap();
        prop_assert!(r.is_empty());
        prop_assert_eq!(&back, &n);
        let decoded = back.data.table_row(&columns).unwrap();
        if tet == table_event::TABLE_ROW_DELETED {
            prop_assert!(decoded.is_none());
        } else {
            prop_assert_eq!(decoded.map(|r| r.values), Some(row.values));
        }
    }
}

#[test]
fn rows_too_long_for_table_row_data_size_are_refused_and_never_break_framing() {
    let columns = [PropTag(0x0102_0102)];
    let big = PropertyRow::new(vec![cdata::RowValue::Value(oxmapi_core::value::PropValue::Binary(vec![
        0;
        70_000
    ]))]);
    assert!(NotificationData::row_data(&big, &columns).is_none());
    let ids = [ObjectId::new(1, 1); 4];
    let d = row_event(table_event::TABLE_ROW_ADDED, true, ids, (0, 0), Some(vec![0; 70_000]));
    let mut w = Writer::new();
    d.encode(&mut w);
    let bytes = w.into_vec();
    let back = NotificationData::decode(&mut Reader::new(&bytes)).unwrap();
    assert_eq!(back.table_row_data.map(|b| b.len()), Some(u16::MAX as usize));
}
