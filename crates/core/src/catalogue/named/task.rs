//! PSETID_Task {00062003-0000-0000-C000-000000000046}: tasks and task assignment (MS-OXPROPS
//! section 2, defined in MS-OXOTASK 2.2). LIDs and types from MS-OXPROPS, cross-checked
//! against MFCMAPI's and OpenChange's named-property tables.

use super::{NameKey, NameRef, NamedEntry};
use crate::guid::PSETID_TASK as T;
use crate::ptype::PropType;

named_entries! {
    [T, "Tasks"]
    PidLidTaskStatus = Id(0x8101), Integer32;
    PidLidPercentComplete = Id(0x8102), Floating64;
    PidLidTeamTask = Id(0x8103), Boolean;
    PidLidTaskStartDate = Id(0x8104), Time;
    PidLidTaskDueDate = Id(0x8105), Time;
    PidLidTaskResetReminder = Id(0x8107), Boolean;
    PidLidTaskAccepted = Id(0x8108), Boolean;
    PidLidTaskDeadOccurrence = Id(0x8109), Boolean;
    PidLidTaskDateCompleted = Id(0x810F), Time;
    PidLidTaskActualEffort = Id(0x8110), Integer32;
    PidLidTaskEstimatedEffort = Id(0x8111), Integer32;
    PidLidTaskVersion = Id(0x8112), Integer32;
    PidLidTaskState = Id(0x8113), Integer32;
    PidLidTaskLastUpdate = Id(0x8115), Time;
    PidLidTaskRecurrence = Id(0x8116), Binary;
    PidLidTaskAssigners = Id(0x8117), Binary;
    PidLidTaskStatusOnComplete = Id(0x8119), Boolean;
    PidLidTaskHistory = Id(0x811A), Integer32;
    PidLidTaskUpdates = Id(0x811B), Boolean;
    PidLidTaskComplete = Id(0x811C), Boolean;
    PidLidTaskFCreator = Id(0x811E), Boolean;
    PidLidTaskOwner = Id(0x811F), String;
    PidLidTaskMultipleRecipients = Id(0x8120), Integer32;
    PidLidTaskAssigner = Id(0x8121), String;
    PidLidTaskLastUser = Id(0x8122), String;
    PidLidTaskOrdinal = Id(0x8123), Integer32;
    PidLidTaskNoCompute = Id(0x8124), Boolean;
    PidLidTaskLastDelegate = Id(0x8125), String;
    PidLidTaskFRecurring = Id(0x8126), Boolean;
    PidLidTaskRole = Id(0x8127), String;
    PidLidTaskOwnership = Id(0x8129), Integer32;
    PidLidTaskAcceptanceState = Id(0x812A), Integer32;
    PidLidTaskFFixOffline = Id(0x812C), Boolean;
    PidLidTaskCustomFlags = Id(0x8139), Integer32;
}
