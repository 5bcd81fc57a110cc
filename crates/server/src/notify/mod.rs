//! Notifications (MS-OXCNOTIF): the hub that turns committed store events into notifications
//! for subscribed session contexts ([`hub`]), each context's bounded queue ([`queue`]), and the
//! NotificationData of each event ([`data`]), and the row-level notifications of open
//! hierarchy and contents tables ([`table`], [`rows`]). RopRegisterNotification lives with the other
//! ROPs (`rops::oxcnotif`); RopNotify/RopPending are appended by Execute and NotificationWait
//! waits on the queue (`emsmdb`).

pub mod change_log;
pub mod data;
pub mod hub;
pub mod queue;
pub mod rows;
pub mod table;

pub use hub::{Hub, Registration, Scope, Target};
pub use queue::Queue;
pub use table::{TableTracker, TableWatch};
