//! A minimal TNEF writer for tests ([MS-OXTNEF] 2.1.3): enough to build winmail.dat streams
//! with legacy attributes and MAPI property lists.

#![allow(dead_code)]

pub const SIGNATURE: u32 = 0x223E_9F78;
pub const ATT_MSG_PROPS: u32 = 0x0006_9003;
pub const ATT_OEM_CODEPAGE: u32 = 0x0006_9007;
pub const ATT_SUBJECT: u32 = 0x0001_8004;
pub const ATT_ATTACH_REND_DATA: u32 = 0x0006_9002;
pub const ATT_ATTACH_TITLE: u32 = 0x0001_8010;
pub const ATT_ATTACH_DATA: u32 = 0x0006_800F;
pub const ATT_ATTACHMENT: u32 = 0x0006_9005;

/// A TNEF stream under construction.
pub struct Tnef(pub Vec<u8>);

impl Default for Tnef {
    fn default() -> Tnef {
        Tnef::new()
    }
}

impl Tnef {
    pub fn new() -> Tnef {
        let mut v = SIGNATURE.to_le_bytes().to_vec();
        v.extend_from_slice(&0x0001u16.to_le_bytes());
        Tnef(v)
    }
    /// One attribute (level 1 message, 2 attachment).
    pub fn attr(mut self, level: u8, id: u32, data: &[u8]) -> Tnef {
        self.0.push(level);
        self.0.extend_from_slice(&id.to_le_bytes());
        self.0.extend_from_slice(&(data.len() as u32).to_le_bytes());
        self.0.extend_from_slice(data);
        let sum = data.iter().fold(0u16, |s, b| s.wrapping_add(u16::from(*b)));
        self.0.extend_from_slice(&sum.to_le_bytes());
        self
    }
}

/// A MAPI property list.
#[derive(Default)]
pub struct Props {
    count: u32,
    body: Vec<u8>,
}

fn pad(v: &mut Vec<u8>) {
    while v.len() % 4 != 0 {
        v.push(0);
    }
}

impl Props {
    pub fn int(mut self, id: u16, v: i32) -> Props {
        self.count += 1;
        self.body.extend_from_slice(&0x0003u16.to_le_bytes());
        self.body.extend_from_slice(&id.to_le_bytes());
        self.body.extend_from_slice(&v.to_le_bytes());
        self
    }
    fn var(mut self, ty: u16, id: u16, data: &[u8]) -> Props {
        self.count += 1;
        self.body.extend_from_slice(&ty.to_le_bytes());
        self.body.extend_from_slice(&id.to_le_bytes());
        self.body.extend_from_slice(&1u32.to_le_bytes());
        self.body.extend_from_slice(&(data.len() as u32).to_le_bytes());
        self.body.extend_from_slice(data);
        pad(&mut self.body);
        self
    }
    pub fn unicode(self, id: u16, s: &str) -> Props {
        let mut d: Vec<u8> = s.encode_utf16().flat_map(u16::to_le_bytes).collect();
        d.extend_from_slice(&[0, 0]);
        self.var(0x001F, id, &d)
    }
    pub fn binary(self, id: u16, d: &[u8]) -> Props {
        self.var(0x0102, id, d)
    }
    pub fn object(self, id: u16, iid: [u8; 16], d: &[u8]) -> Props {
        let mut all = iid.to_vec();
        all.extend_from_slice(d);
        self.var(0x000D, id, &all)
    }
    /// A named string property (MNID_STRING).
    pub fn named_string(mut self, guid: [u8; 16], name: &str, value: &str) -> Props {
        self.count += 1;
        self.body.extend_from_slice(&0x001Fu16.to_le_bytes());
        self.body.extend_from_slice(&0x8000u16.to_le_bytes());
        self.body.extend_from_slice(&guid);
        self.body.extend_from_slice(&1u32.to_le_bytes());
        let mut n: Vec<u8> = name.encode_utf16().flat_map(u16::to_le_bytes).collect();
        n.extend_from_slice(&[0, 0]);
        self.body.extend_from_slice(&(n.len() as u32).to_le_bytes());
        self.body.extend_from_slice(&n);
        pad(&mut self.body);
        let mut d: Vec<u8> = value.encode_utf16().flat_map(u16::to_le_bytes).collect();
        d.extend_from_slice(&[0, 0]);
        self.body.extend_from_slice(&1u32.to_le_bytes());
        self.body.extend_from_slice(&(d.len() as u32).to_le_bytes());
        self.body.extend_from_slice(&d);
        pad(&mut self.body);
        self
    }
    pub fn bytes(&self) -> Vec<u8> {
        let mut v = self.count.to_le_bytes().to_vec();
        v.extend_from_slice(&self.body);
        v
    }
}
