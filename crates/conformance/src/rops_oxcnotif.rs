//! Request builders for the MS-OXCNOTIF cases (MS-OXCROPS 2.2.14, 2.2.4, 2.2.6).
