//! The structures shared by the NSPI bodies (MS-OXCMAPIHTTP 2.2.1; MS-OXNSPI 2.2.8 STAT;
//! protocol-facts §1.8): STAT, LargePropertyTagArray, MinimalEntryID arrays, StringArray_r /
//! WStringArray_r, AddressBookTaggedPropertyValue and AddressBookPropertyValueList, and the
//! Columns + AddressBookPropertyRow groups of the table responses.
//!
//! Every count is checked against [`MAX_COUNT`] and the remaining input before anything is
//! allocated.

use oxmapi_core::codec::{DecodeResult, Reader, Writer};
use oxmapi_core::guid::Guid;
use oxmapi_core::ptype::PropType;
use oxmapi_core::tag::PropTag;
use oxmapi_core::value::PropValue;

use crate::cdata::{
    Form, MAX_COUNT, PropertyRow, column_value_type, has_value_byte, read_row, read_value_opt,
};
use crate::cdata::{write_row, write_value};

/// MS-OXNSPI 2.2.8 STAT: the position and sort state of an address-book table (36 bytes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Stat {
    /// `SortType`: one of the `SORT_TYPE_*` constants.
    pub sort_type: u32,
    /// `ContainerID`: MId of the address book container (0 = the Global Address List).
    pub container_id: u32,
    /// `CurrentRec`: MId of the current row, or `MID_BEGINNING_OF_TABLE` / `MID_END_OF_TABLE`.
    pub current_rec: u32,
    /// `Delta`: signed row offset from `CurrentRec`.
    pub delta: i32,
    /// `NumPos`: approximate fractional position of the current row.
    pub num_pos: u32,
    /// `TotalRecs`: number of rows in the table.
    pub total_recs: u32,
    /// `CodePage`: the client's code page (e.g. `CP_WINUNICODE`).
    pub code_page: u32,
    /// `TemplateLocale`: LCID for templates.
    pub template_locale: u32,
    /// `SortLocale`: LCID for sorting.
    pub sort_locale: u32,
}

impl Stat {
    /// Encoded size in bytes.
    pub const SIZE: usize = 36;

    /// Reads a STAT.
    pub fn read(r: &mut Reader<'_>) -> DecodeResult<Stat> {
        Ok(Stat {
            sort_type: r.u32("STAT SortType")?,
            container_id: r.u32("STAT ContainerID")?,
            current_rec: r.u32("STAT CurrentRec")?,
            delta: r.i32("STAT Delta")?,
            num_pos: r.u32("STAT NumPos")?,
            total_recs: r.u32("STAT TotalRecs")?,
            code_page: r.u32("STAT CodePage")?,
            template_locale: r.u32("STAT TemplateLocale")?,
            sort_locale: r.u32("STAT SortLocale")?,
        })
    }

    /// Writes a STAT.
    pub fn write(&self, w: &mut Writer) {
        for v in [self.sort_type, self.container_id, self.current_rec] {
            w.u32(v);
        }
        w.i32(self.delta);
        for v in [self.num_pos, self.total_recs, self.code_page, self.template_locale, self.sort_locale] {
            w.u32(v);
        }
    }
}

/// Reads a u32 count of elements of at least `min_size` bytes each, capped at [`MAX_COUNT`].
fn read_count(r: &mut Reader<'_>, min_size: usize, what: &'static str) -> DecodeResult<usize> {
    let n = r.u32(what)?;
    r.check_count(u64::from(n), min_size, MAX_COUNT, what)
}

/// Writes a u32 element count (saturating; a decoder rejects anything above [`MAX_COUNT`]).
fn write_count(w: &mut Writer, n: usize) {
    w.u32(u32::try_from(n).unwrap_or(u32::MAX));
}

/// Reads a u32 count followed by that many u32 values.
fn read_u32_array(r: &mut Reader<'_>, what: &'static str) -> DecodeResult<Vec<u32>> {
    let n = read_count(r, 4, what)?;
    (0..n).map(|_| r.u32(what)).collect()
}

/// MS-OXCMAPIHTTP 2.2.1.8 LargePropertyTagArray: `PropertyTagCount u32` (at most 100 000) and
/// the tags.
pub fn read_large_property_tag_array(r: &mut Reader<'_>) -> DecodeResult<Vec<PropTag>> {
    Ok(read_u32_array(r, "PropertyTagCount")?.into_iter().map(PropTag).collect())
}

/// Writes a LargePropertyTagArray.
pub fn write_large_property_tag_array(w: &mut Writer, tags: &[PropTag]) {
    write_count(w, tags.len());
    tags.iter().for_each(|t| w.u32(t.0));
}

/// A MinimalEntryID array (MS-OXCMAPIHTTP 2.2.5.x `MinimalIdCount` + `MinimalIds`, also the
/// `ExplicitTableCount` + `ExplicitTable` pair): u32 count (at most 100 000) and u32 MIds.
pub fn read_minimal_ids(r: &mut Reader<'_>) -> DecodeResult<Vec<u32>> {
    read_u32_array(r, "MinimalIdCount")
}

/// Writes a MinimalEntryID array.
pub fn write_minimal_ids(w: &mut Writer, mids: &[u32]) {
    write_count(w, mids.len());
    mids.iter().for_each(|m| w.u32(*m));
}

/// MS-OXNSPI 2.2.8 StringArray_r as carried by MAPI/HTTP: `Count u32`, then NUL-terminated
/// 8-bit strings (decoded as Windows-1252, which covers ASCII).
pub fn read_string_array(r: &mut Reader<'_>) -> DecodeResult<Vec<String>> {
    let n = read_count(r, 1, "StringArray Count")?;
    (0..n).map(|_| r.asciiz("StringArray string")).collect()
}

/// Writes a StringArray_r.
pub fn write_string_array(w: &mut Writer, v: &[String]) {
    write_count(w, v.len());
    v.iter().for_each(|s| w.asciiz(s));
}

/// MS-OXNSPI 2.2.8 WStringArray_r as carried by MAPI/HTTP: `Count u32`, then UTF-16LE
/// NUL-terminated strings.
pub fn read_wstring_array(r: &mut Reader<'_>) -> DecodeResult<Vec<String>> {
    let n = read_count(r, 2, "WStringArray Count")?;
    (0..n).map(|_| r.utf16z("WStringArray string")).collect()
}

/// Writes a WStringArray_r.
pub fn write_wstring_array(w: &mut Writer, v: &[String]) {
    write_count(w, v.len());
    v.iter().for_each(|s| w.utf16z(s));
}

/// ModLinkAtt `EntryIdCount u32` + `EntryIds`, each a u32 byte count and the EntryID bytes
/// (protocol-facts §1.9; 32-bit counts as in gromox's NSPI binary arrays).
pub fn read_entry_ids(r: &mut Reader<'_>) -> DecodeResult<Vec<Vec<u8>>> {
    let n = read_count(r, 4, "EntryIdCount")?;
    let mut out = Vec::with_capacity(n);
    for _ in 0..n {
        let len = r.u32("EntryId size")?;
        let len = r.check_count(u64::from(len), 1, u64::from(u32::MAX), "EntryId size")?;
        out.push(r.take(len, "EntryId")?.to_vec());
    }
    Ok(out)
}

/// Writes ModLinkAtt `EntryIdCount` + `EntryIds`.
pub fn write_entry_ids(w: &mut Writer, ids: &[Vec<u8>]) {
    write_count(w, ids.len());
    for id in ids {
        write_count(w, id.len());
        w.bytes(id);
    }
}

/// MS-OXCMAPIHTTP 2.2.1.3 AddressBookTaggedPropertyValue: `PropertyTag`, then (for string,
/// binary and multi-valued types) a `HasValue` byte, then the value unless `HasValue` is 0x00.
#[derive(Debug, Clone, PartialEq)]
pub struct AddressBookTaggedPropertyValue {
    /// `PropertyType` + `PropertyId`.
    pub tag: PropTag,
    /// The value; `None` when `HasValue` is 0x00. Only types with a `HasValue` byte
    /// ([`has_value_byte`]) can be absent: for other types `None` encodes no value bytes.
    pub value: Option<PropValue>,
}

impl AddressBookTaggedPropertyValue {
    /// A present value with its tag.
    pub fn new(tag: PropTag, value: PropValue) -> Self {
        AddressBookTaggedPropertyValue { tag, value: Some(value) }
    }
}

/// Reads an AddressBookTaggedPropertyValue.
pub fn read_ab_tagged_value(r: &mut Reader<'_>) -> DecodeResult<AddressBookTaggedPropertyValue> {
    let tag = PropTag(r.u32("PropertyTag")?);
    let ty = column_value_type(tag).map_err(|_| r.invalid("PropertyTag", format!("{tag}: unknown type")))?;
    let value = read_value_opt(r, ty, Form::Nspi)?;
    Ok(AddressBookTaggedPropertyValue { tag, value })
}

/// Writes an AddressBookTaggedPropertyValue. The `HasValue` byte follows the tag's type (the
/// value's type when the tag's is unknown).
pub fn write_ab_tagged_value(w: &mut Writer, v: &AddressBookTaggedPropertyValue) {
    w.u32(v.tag.0);
    let ty = column_value_type(v.tag)
        .ok()
        .or_else(|| v.value.as_ref().map(PropValue::prop_type))
        .unwrap_or(PropType::Unspecified);
    if has_value_byte(ty) {
        w.u8(if v.value.is_some() { 0xFF } else { 0x00 });
    }
    if let Some(value) = &v.value {
        write_value(w, value, Form::Nspi);
    }
}

/// MS-OXCMAPIHTTP 2.2.1.4 AddressBookPropertyValueList: `PropertyValueCount u32` and that many
/// AddressBookTaggedPropertyValues.
pub type AddressBookPropertyValueList = Vec<AddressBookTaggedPropertyValue>;

/// Reads an AddressBookPropertyValueList.
pub fn read_property_value_list(r: &mut Reader<'_>) -> DecodeResult<AddressBookPropertyValueList> {
    let n = read_count(r, 4, "PropertyValueCount")?;
    (0..n).map(|_| read_ab_tagged_value(r)).collect()
}

/// Writes an AddressBookPropertyValueList.
pub fn write_property_value_list(w: &mut Writer, list: &[AddressBookTaggedPropertyValue]) {
    write_count(w, list.len());
    list.iter().for_each(|v| write_ab_tagged_value(w, v));
}

/// GetSpecialTable `RowCount u32` + `Rows` (AddressBookPropertyValueList each).
pub fn read_property_value_lists(r: &mut Reader<'_>) -> DecodeResult<Vec<AddressBookPropertyValueList>> {
    let n = read_count(r, 4, "RowCount")?;
    (0..n).map(|_| read_property_value_list(r)).collect()
}

/// Writes GetSpecialTable `RowCount` + `Rows`.
pub fn write_property_value_lists(w: &mut Writer, rows: &[AddressBookPropertyValueList]) {
    write_count(w, rows.len());
    rows.iter().for_each(|l| write_property_value_list(w, l));
}

/// The `Columns`, `RowCount` and `RowData` group of the GetMatches, QueryRows, ResolveNames and
/// SeekEntries responses (MS-OXCMAPIHTTP 2.2.5.5.2, 2.2.5.12.2, 2.2.5.14.2, 2.2.5.16.2): a
/// LargePropertyTagArray, then AddressBookPropertyRows (2.2.1.7) laid out against those columns.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ColumnsAndRows {
    /// `Columns`.
    pub columns: Vec<PropTag>,
    /// `RowData` (`RowCount` is its length); each row has one cell per column.
    pub row_data: Vec<PropertyRow>,
}

impl ColumnsAndRows {
    /// Reads the columns, then the row count, then the rows against the columns.
    pub fn read(r: &mut Reader<'_>) -> DecodeResult<Self> {
        let columns = read_large_property_tag_array(r)?;
        let n = read_count(r, 1, "RowCount")?;
        let row_data = (0..n).map(|_| read_row(r, &columns, Form::Nspi)).collect::<DecodeResult<_>>()?;
        Ok(ColumnsAndRows { columns, row_data })
    }

    /// Writes the group.
    pub fn write(&self, w: &mut Writer) {
        write_large_property_tag_array(w, &self.columns);
        write_count(w, self.row_data.len());
        self.row_data.iter().for_each(|row| write_row(w, row, &self.columns, Form::Nspi));
    }
}

/// The GetMatches `PropertyNameGuid` + `PropertyNameId` pair (MS-OXCMAPIHTTP 2.2.5.5.1): the
/// named property (an MS-OXNSPI PropertyName_r) whose values are matched.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct NspiPropertyName {
    /// `PropertyNameGuid`.
    pub guid: Guid,
    /// `PropertyNameId`.
    pub id: u32,
}

impl NspiPropertyName {
    /// Reads the pair.
    pub fn read(r: &mut Reader<'_>) -> DecodeResult<Self> {
        Ok(NspiPropertyName { guid: r.guid("PropertyNameGuid")?, id: r.u32("PropertyNameId")? })
    }

    /// Writes the pair.
    pub fn write(&self, w: &mut Writer) {
        w.guid(&self.guid);
        w.u32(self.id);
    }
}

crate::describe_fields!(Stat {
    sort_type,
    container_id,
    current_rec,
    delta,
    num_pos,
    total_recs,
    code_page,
    template_locale,
    sort_locale
});
crate::describe_fields!(NspiPropertyName { guid, id });

impl crate::describe::Describe for AddressBookTaggedPropertyValue {
    fn describe(&self, _f: &str) -> crate::describe::Node {
        use crate::describe::{Node, tag_node, value_node};
        tag_node(self.tag).with("value", self.value.as_ref().map(value_node).unwrap_or(Node::Null))
    }
}

impl crate::describe::Describe for ColumnsAndRows {
    fn describe(&self, _f: &str) -> crate::describe::Node {
        use crate::describe::{Node, row_node};
        Node::map([
            ("columns", self.columns.describe("")),
            ("rows", Node::List(self.row_data.iter().map(|r| row_node(r, &self.columns)).collect())),
        ])
    }
}

crate::describe_vec!(AddressBookTaggedPropertyValue, AddressBookPropertyValueList);
