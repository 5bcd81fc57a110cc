//! The store's named-property mapping as far as an [`super::ItemIo`] has needed it
//! (MS-OXCPRPT 3.1.4.1: ids ≥ 0x8000 are per store and reached by name).

use std::collections::{BTreeMap, HashMap};

use oxmapi_core::named::PropertyName;

use crate::MsgStore;
use crate::profile::MapiResult;

/// Names ↔ store ids learned so far.
#[derive(Default)]
pub(super) struct NameCache {
    by_name: HashMap<PropertyName, u16>,
    by_id: HashMap<u16, Option<PropertyName>>,
}

impl NameCache {
    /// The store id of each name, creating the mappings the store does not have yet (one
    /// RopGetPropertyIdsFromNames for all the unknown names). Names the store refuses to map
    /// are left out of the answer.
    pub(super) fn store_ids(
        &mut self,
        store: &MsgStore,
        names: &[PropertyName],
    ) -> MapiResult<HashMap<PropertyName, u16>> {
        let mut unknown: Vec<PropertyName> =
            names.iter().filter(|n| !self.by_name.contains_key(*n)).cloned().collect();
        unknown.sort();
        unknown.dedup();
        if !unknown.is_empty() {
            let ids = store.get_ids_from_names(&unknown, true)?;
            for (name, id) in unknown.into_iter().zip(ids) {
                if id >= oxmapi_pst::item::FIRST_NAMED_ID {
                    self.by_id.insert(id, Some(name.clone()));
                    self.by_name.insert(name, id);
                }
            }
        }
        Ok(names.iter().filter_map(|n| self.by_name.get(n).map(|id| (n.clone(), *id))).collect())
    }

    /// The name of each store id (one RopGetNamesFromPropertyIds for the ids not seen yet);
    /// ids the store does not know are left out.
    pub(super) fn names_of(
        &mut self,
        store: &MsgStore,
        ids: &[u16],
    ) -> MapiResult<BTreeMap<u16, PropertyName>> {
        let mut unknown: Vec<u16> = ids.iter().copied().filter(|i| !self.by_id.contains_key(i)).collect();
        unknown.sort_unstable();
        unknown.dedup();
        if !unknown.is_empty() {
            let names = store.get_names_from_ids(&unknown)?;
            for (id, name) in unknown.into_iter().zip(names.into_iter().chain(std::iter::repeat(None))) {
                if let Some(n) = &name {
                    self.by_name.insert(n.clone(), id);
                }
                self.by_id.insert(id, name);
            }
        }
        Ok(ids.iter().filter_map(|i| self.by_id.get(i).cloned().flatten().map(|n| (*i, n))).collect())
    }
}
