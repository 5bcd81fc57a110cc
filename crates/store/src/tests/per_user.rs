//! The per-user read state of public folders (`crate::mailbox::per_user`, schema v10 / store
//! step 6) on the backend `OXMAPI_TEST_DATABASE` selects.

use oxmapi_core::guid::Guid;
use oxmapi_core::ids::LongTermId;

use super::{site, user_with_mailbox};
use crate::StoreError;
use crate::mailbox::per_user::{PER_USER_DATA_MAX, PerUserData};

fn ltid(n: u64) -> LongTermId {
    LongTermId { database_guid: Guid([0x11; 16]), global_counter: n, pad: 0 }
}

/// Rows are kept per user and folder, replaced by a second write, listed by REPLGUID, removed
/// by an empty write; another mailbox's store sees none of them.
#[test]
fn per_user_rows_are_kept_per_user_and_folder() {
    let (_t, dd) = site();
    let alice = user_with_mailbox(&dd, "alice");
    let bob = user_with_mailbox(&dd, "bob");
    let s = dd.open_mailbox(&alice).unwrap();
    let (ua, ub) = (alice.mailbox_guid, bob.mailbox_guid);
    let (r1, r2) = (Guid([1; 16]), Guid([2; 16]));
    s.set_per_user_data(&ua, &ltid(1), &r1, b"one").unwrap();
    s.set_per_user_data(&ua, &ltid(2), &r2, b"two").unwrap();
    s.set_per_user_data(&ub, &ltid(1), &r1, b"bob's").unwrap();
    s.set_per_user_data(&ua, &ltid(1), &r1, b"one, again").unwrap();
    assert_eq!(
        s.per_user_data(&ua, &ltid(1)).unwrap(),
        Some(PerUserData { repl_guid: r1, data: b"one, again".to_vec() })
    );
    assert_eq!(s.per_user_data(&ub, &ltid(1)).unwrap().unwrap().data, b"bob's".to_vec());
    assert_eq!(s.per_user_folders(&ua, &r1).unwrap(), vec![ltid(1)]);
    assert_eq!(s.per_user_folders(&ua, &r2).unwrap(), vec![ltid(2)]);
    s.set_per_user_data(&ua, &ltid(1), &r1, b"").unwrap();
    assert_eq!(s.per_user_data(&ua, &ltid(1)).unwrap(), None);
    assert!(s.per_user_folders(&ua, &r1).unwrap().is_empty());
    let other = dd.open_mailbox(&bob).unwrap();
    assert_eq!(other.per_user_data(&ub, &ltid(1)).unwrap(), None, "rows live in their mailbox");
}

/// More than the limit is refused with InvalidParameter and nothing is stored.
#[test]
fn per_user_data_over_the_limit_is_refused() {
    let (_t, dd) = site();
    let alice = user_with_mailbox(&dd, "alice");
    let s = dd.open_mailbox(&alice).unwrap();
    let big = vec![0u8; PER_USER_DATA_MAX + 1];
    let e = s.set_per_user_data(&alice.mailbox_guid, &ltid(1), &Guid([1; 16]), &big).unwrap_err();
    assert!(matches!(e, StoreError::InvalidParameter(_)), "{e:?}");
    assert_eq!(s.per_user_data(&alice.mailbox_guid, &ltid(1)).unwrap(), None);
}
