//! RPC_HEADER_EXT chains (XorMagic, LZ77) and the LZ77 decompressor itself.
#![no_main]
use libfuzzer_sys::fuzz_target;
use oxmapi_wire::{lz77, rpc_ext};

fuzz_target!(|data: &[u8]| {
    let _ = rpc_ext::decode_blocks(data);
    let _ = rpc_ext::inspect_blocks(data);
    if data.len() >= 2 {
        let expected = u16::from_le_bytes([data[0], data[1]]) as usize;
        let _ = lz77::decompress(&data[2..], expected);
    }
    // Our compressor's output always decompresses to the input.
    let c = lz77::compress(data);
    assert_eq!(lz77::decompress(&c, data.len()).unwrap(), data);
});
