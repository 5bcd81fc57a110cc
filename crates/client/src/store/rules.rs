//! Server-side rules of a folder (MS-OXORULE 3.1.4): the rules table (RopGetRulesTable) and
//! RopModifyRules, as IExchangeModifyTable gives them to MAPI clients.

use oxmapi_wire::rop::oxcfold::GetTableRequest;
use oxmapi_wire::rop::oxorule::{ModifyRulesRequest, RuleData};
use oxmapi_wire::rop::request::RopRequest;

use super::batch::expect_rop;
use super::folder::{Folder, FolderFlags};
use super::table::Table;
use crate::profile::MapiResult;

impl Folder {
    /// IExchangeModifyTable::GetTable on PR_RULES_TABLE: a table of the folder's rules
    /// (RopGetRulesTable, MS-OXORULE 2.2.2), Unicode strings.
    pub fn rules_table(&self) -> MapiResult<Table> {
        let logon_id = self.obj.logon_id();
        let mut out = 0;
        let mut c = self.obj.call(|b, slot| {
            out = b.output();
            Ok(b.push(RopRequest::GetRulesTable(GetTableRequest {
                logon_id,
                input_handle_index: slot,
                output_handle_index: out,
                table_flags: FolderFlags::USE_UNICODE,
            })))
        })?;
        expect_rop!(c.result.take(c.value)?, GetRulesTable)?;
        Ok(Table::new(self.obj.child(&c, out)?, 0))
    }

    /// IExchangeModifyTable::ModifyTable: RopModifyRules (MS-OXORULE 2.2.1) with `flag`
    /// (MODIFY_RULES_FLAG_REPLACE 0x01 or 0) and the RuleData rows.
    pub fn modify_rules(&self, flag: u8, rules: Vec<RuleData>) -> MapiResult<()> {
        let logon_id = self.obj.logon_id();
        let mut c = self.obj.call(|b, slot| {
            Ok(b.push(RopRequest::ModifyRules(ModifyRulesRequest {
                logon_id,
                input_handle_index: slot,
                modify_rules_flag: flag,
                rules_data: rules.clone(),
            })))
        })?;
        expect_rop!(c.result.take(c.value)?, ModifyRules)?;
        Ok(())
    }
}
