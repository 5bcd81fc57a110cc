//! The CollapseState blob of RopGetCollapseState / RopSetCollapseState (MS-OXCTABL 2.2.2.19,
//! 2.2.2.20, 3.2.5.18, 3.2.5.19): opaque to the client, it records which categories were
//! expanded or collapsed by hand and the row it was taken at, so that RopSetCollapseState
//! rebuilds the same headings on a table "with the same sort and restriction" — the table it
//! came from or another one — and returns a bookmark on that row.
//!
//! Categories are named by their path (their category values, outermost first) rather than by
//! the table's category ids, which are table-local. Layout, little-endian:
//!
//! ```text
//! Version u8 (= 1)
//! EntryCount u32, then per entry: Expanded u8 (0/1), PathSize u32, Path
//! RowKind u8: 0 = a leaf row: RowId u64, RowInstanceNumber u32
//!             1 = a heading row: PathSize u32, Path
//! ```
//!
//! gromox keeps its state server-side and hands out a 4-byte handle; this self-contained blob
//! needs no server-side storage and survives the table being released.

use oxmapi_core::codec::{Reader, Writer};

use super::TableError;

/// The version byte of the blob.
const VERSION: u8 = 1;

/// The largest CollapseState: its size travels as `CollapseStateSize`, a u16 (MS-OXCROPS
/// 2.2.5.18.2). A state that would be larger is refused with MAPI_E_TOO_COMPLEX (collapse or
/// expand fewer categories by hand, or use shorter category values).
pub const MAX_COLLAPSE_STATE: usize = u16::MAX as usize;

/// The row a state was taken at.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum StateRow {
    /// A leaf row: object id and instance number.
    Leaf(u64, u32),
    /// A heading row: its category path.
    Heading(Vec<u8>),
}

/// A decoded CollapseState.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct CollapseState {
    /// Categories set by hand: (path, expanded).
    pub toggled: Vec<(Vec<u8>, bool)>,
    /// The row it was taken at (`None` only in a default value).
    pub row: Option<StateRow>,
}

impl CollapseState {
    /// The blob; TooComplex when it would exceed [`MAX_COLLAPSE_STATE`].
    pub fn encode(&self) -> Result<Vec<u8>, TableError> {
        let mut w = Writer::new();
        w.u8(VERSION);
        w.u32(self.toggled.len() as u32);
        for (path, expanded) in &self.toggled {
            w.u8(u8::from(*expanded));
            w.u32(path.len() as u32);
            w.bytes(path);
        }
        match &self.row {
            Some(StateRow::Heading(path)) => {
                w.u8(1);
                w.u32(path.len() as u32);
                w.bytes(path);
            }
            Some(StateRow::Leaf(id, instance)) => {
                w.u8(0);
                w.u64(*id);
                w.u32(*instance);
            }
            None => {
                w.u8(0);
                w.u64(0);
                w.u32(0);
            }
        }
        if w.len() > MAX_COLLAPSE_STATE {
            return Err(TableError::TooComplex(format!(
                "the collapse state would take {} bytes, more than the {MAX_COLLAPSE_STATE} a \
                 RopGetCollapseState response can carry",
                w.len()
            )));
        }
        Ok(w.into_vec())
    }

    /// Decodes a blob; anything else is InvalidParameter (MS-OXCTABL 3.2.5.19 leaves a bad
    /// state undefined; gromox answers ecInvalidParam for a state of the wrong size).
    pub fn decode(bytes: &[u8]) -> Result<CollapseState, TableError> {
        let bad =
            |e: oxmapi_core::codec::DecodeError| TableError::InvalidParameter(format!("collapse state: {e}"));
        let mut r = Reader::new(bytes);
        let version = r.u8("Version").map_err(bad)?;
        if version != VERSION {
            return Err(TableError::InvalidParameter(format!("collapse state version {version}")));
        }
        let count = r.u32("EntryCount").map_err(bad)?;
        // An entry takes at least 5 bytes.
        let count =
            r.check_count(u64::from(count), 5, MAX_COLLAPSE_STATE as u64, "EntryCount").map_err(bad)?;
        let mut toggled = Vec::with_capacity(count);
        for _ in 0..count {
            let expanded = match r.u8("Expanded").map_err(bad)? {
                0 => false,
                1 => true,
                other => return Err(TableError::InvalidParameter(format!("collapse state flag {other}"))),
            };
            toggled.push((path(&mut r).map_err(bad)?, expanded));
        }
        let row = match r.u8("RowKind").map_err(bad)? {
            0 => StateRow::Leaf(r.u64("RowId").map_err(bad)?, r.u32("RowInstanceNumber").map_err(bad)?),
            1 => StateRow::Heading(path(&mut r).map_err(bad)?),
            other => return Err(TableError::InvalidParameter(format!("collapse state row kind {other}"))),
        };
        r.finish("CollapseState").map_err(bad)?;
        Ok(CollapseState { toggled, row: Some(row) })
    }
}

/// A `PathSize u32, Path` field.
fn path(r: &mut Reader<'_>) -> oxmapi_core::codec::DecodeResult<Vec<u8>> {
    let n = r.u32("PathSize")?;
    let n = r.check_count(u64::from(n), 1, MAX_COLLAPSE_STATE as u64, "PathSize")?;
    Ok(r.take(n, "Path")?.to_vec())
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn a_state_decodes_to_what_was_encoded(
            toggled in proptest::collection::vec((proptest::collection::vec(any::<u8>(), 0..40), any::<bool>()), 0..8),
            leaf in any::<bool>(), id in any::<u64>(), instance in any::<u32>(),
            heading in proptest::collection::vec(any::<u8>(), 0..40),
        ) {
            let row = if leaf { StateRow::Leaf(id, instance) } else { StateRow::Heading(heading) };
            let state = CollapseState { toggled, row: Some(row) };
            let bytes = state.encode().unwrap();
            prop_assert_eq!(CollapseState::decode(&bytes).unwrap(), state);
        }

        #[test]
        fn hostile_bytes_never_panic(bytes in proptest::collection::vec(any::<u8>(), 0..64)) {
            let _ = CollapseState::decode(&bytes);
        }
    }

    #[test]
    fn a_huge_entry_count_is_refused_without_allocating() {
        let mut w = Writer::new();
        w.u8(VERSION);
        w.u32(u32::MAX);
        assert!(matches!(CollapseState::decode(&w.into_vec()), Err(TableError::InvalidParameter(_))));
    }

    #[test]
    fn trailing_bytes_are_refused() {
        let mut bytes = CollapseState { toggled: vec![], row: Some(StateRow::Leaf(1, 0)) }.encode().unwrap();
        bytes.push(0);
        assert!(CollapseState::decode(&bytes).is_err());
    }

    #[test]
    fn a_state_too_big_for_the_wire_is_too_complex() {
        let state = CollapseState { toggled: vec![(vec![7; MAX_COLLAPSE_STATE], false)], row: None };
        assert!(matches!(state.encode(), Err(TableError::TooComplex(_))));
    }
}
