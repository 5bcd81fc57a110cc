//! A little-endian cursor over TNEF bytes that fails instead of reading past the end.

use super::TnefError;

pub(crate) struct Cursor<'a> {
    data: &'a [u8],
    at: usize,
}

impl<'a> Cursor<'a> {
    pub(crate) fn new(data: &'a [u8]) -> Cursor<'a> {
        Cursor { data, at: 0 }
    }
    pub(crate) fn is_empty(&self) -> bool {
        self.at >= self.data.len()
    }
    pub(crate) fn bytes(&mut self, n: usize) -> Result<&'a [u8], TnefError> {
        let end = self.at.checked_add(n).filter(|&e| e <= self.data.len()).ok_or(TnefError::Truncated)?;
        let b = &self.data[self.at..end];
        self.at = end;
        Ok(b)
    }
    pub(crate) fn u8(&mut self) -> Result<u8, TnefError> {
        Ok(self.bytes(1)?[0])
    }
    pub(crate) fn u16(&mut self) -> Result<u16, TnefError> {
        let b = self.bytes(2)?;
        Ok(u16::from_le_bytes([b[0], b[1]]))
    }
    pub(crate) fn u32(&mut self) -> Result<u32, TnefError> {
        let b = self.bytes(4)?;
        Ok(u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }
    pub(crate) fn u64(&mut self) -> Result<u64, TnefError> {
        let b = self.bytes(8)?;
        let mut a = [0u8; 8];
        a.copy_from_slice(b);
        Ok(u64::from_le_bytes(a))
    }
    /// Skips the padding that brings `len` up to a multiple of four.
    pub(crate) fn pad4(&mut self, len: usize) -> Result<(), TnefError> {
        // A writer may end the stream without the last padding; that is not an error.
        let pad = (4 - len % 4) % 4;
        self.at += pad.min(self.data.len().saturating_sub(self.at));
        Ok(())
    }
}
