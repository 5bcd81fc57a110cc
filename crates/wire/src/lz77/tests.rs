use super::*;
use proptest::prelude::*;

fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace().map(|b| u8::from_str_radix(b, 16).unwrap()).collect()
}

/// D-LZ rows (vectors.md Part B): (input, compressed, encoder output must be identical).
fn d_lz_rows() -> Vec<(Vec<u8>, Vec<u8>, bool)> {
    let rep = |s: &str, n: usize| s.repeat(n).into_bytes();
    vec![
        (
            b"abcdefghijklmnopqrstuvwxyz".to_vec(),
            hex("3f 00 00 00 61 62 63 64 65 66 67 68 69 6a 6b 6c 6d 6e 6f 70 71 72 73 74 75 76 77 78 79 7a"),
            true,
        ),
        (rep("abc", 100), hex("ff ff ff 1f 61 62 63 17 00 0f ff 26 01"), true),
        (b"ABCABCDEF".to_vec(), hex("ff ff ff 11 41 42 43 10 00 44 45 46"), true),
        (b"ABCABCDEFG".to_vec(), hex("ff ff ff 10 41 42 43 10 00 44 45 46 47"), true),
        (b"AABCBBABC".to_vec(), hex("ff ff ff 03 41 41 42 43 42 42 20 00"), true),
        (rep("a", 40), hex("ff ff ff 7f 61 07 00 0f 0e"), true),
        // Not identical to rust-lzxpress (whose encoder mishandles the shared nibble), but it
        // is what MS-XCA 2.3 prescribes, so ours must produce it.
        ([rep("a", 20), rep("b", 20)].concat(), hex("ff ff ff 5f 61 07 00 99 62 07 00"), true),
        (rep("x", 1000), hex("ff ff ff 7f 78 07 00 0f ff e4 03"), true),
        (
            b"this is a test. and this is a test too".to_vec(),
            hex("00 20 00 04 74 68 69 73 20 10 00 61 20 74 65 73 74 2e 20 61 6e 64 20 9f 00 04 20 74 6f 6f"),
            false,
        ),
    ]
}

#[test]
fn d_lz_vectors_encode_and_decode() {
    for (input, packed, identical) in d_lz_rows() {
        assert_eq!(decompress(&packed, input.len()).unwrap(), input, "decode {packed:02x?}");
        let ours = compress(&input);
        if identical {
            assert_eq!(ours, packed, "encode {:?}", String::from_utf8_lossy(&input));
        }
        assert_eq!(decompress(&ours, input.len()).unwrap(), input);
    }
}

#[test]
fn d_comp_payload_decodes() {
    let packed = hex("2f 00 08 08 65 00 07 00 00 00 01 00 06 00 1f 00 37 18 00 1d 0e 1f 00 3d
         00 03 00 07 0e 40 00 06 58 00 1a 07 01 0f 2a 09 03");
    let payload =
        hex("65 00 07 00 00 00 00 01 00 06 00 1f 00 37 00 1f 00 1d 0e 1f 00 3d 00 03 00 07 0e 40 00 06 0e 1f
         00 1a 00 07 00 00 00 00 01 00 06 00 1f 00 37 00 1f 00 1d 0e 1f 00 3d 00 03 00 07 0e 40 00 06 0e
         1f 00 1a 00 07 00 00 00 00 01 00 06 00 1f 00 37 00 1f 00 1d 0e 1f 00 3d 00 03 00 07 0e 40 00 06
         0e 1f 00 1a 00 00 00 00 00");
    assert_eq!(payload.len(), 105);
    assert_eq!(decompress(&packed, 105).unwrap(), payload);
    assert_eq!(decompress(&compress(&payload), 105).unwrap(), payload);
}

/// V-RPC-2: the length encodings listed in MS-OXCRPC 3.1.4.1.1.2.2.
#[test]
fn v_rpc_2_length_encodings() {
    // 'a' x (len + 1) = one literal and one match of `len` at distance 1.
    let cases: [(usize, &str); 7] = [
        (9, "06 00"),
        (24, "07 00 0e"),
        (25, "07 00 0f 00"),
        (26, "07 00 0f 01"),
        (279, "07 00 0f fe"),
        (280, "07 00 0f ff 15 01"),
        (281, "07 00 0f ff 16 01"),
    ];
    for (len, tail) in cases {
        let input = vec![b'a'; len + 1];
        let expected = [hex("ff ff ff 7f 61"), hex(tail)].concat();
        assert_eq!(compress(&input), expected, "length {len}");
        assert_eq!(decompress(&expected, len + 1).unwrap(), input);
    }
    // Metadata 0x0018: distance 4, length 3.
    let packed = hex("ff ff ff 0f 61 62 63 64 18 00");
    assert_eq!(decompress(&packed, 7).unwrap(), b"abcdabc");
}

/// V-RPC-2: a flag word 0x01000000 = 7 literals, a match, then 24 literals.
#[test]
fn v_rpc_2_bitmask_semantics() {
    let mut packed = hex("00 00 00 01");
    packed.extend_from_slice(b"ABCDEFG");
    packed.extend_from_slice(&hex("30 00")); // distance 7, length 3: "ABC"
    packed.extend_from_slice(b"abcdefghijklmnopqrstuvwx");
    packed.extend_from_slice(&hex("ff ff ff ff"));
    let out = decompress(&packed, 7 + 3 + 24).unwrap();
    assert_eq!(out, b"ABCDEFGABCabcdefghijklmnopqrstuvwx");
}

#[test]
fn end_marker_word_and_empty_input() {
    assert_eq!(compress(b""), hex("ff ff ff ff"));
    assert_eq!(decompress(&hex("ff ff ff ff"), 0).unwrap(), b"");
    assert_eq!(decompress(b"", 0).unwrap(), b"");
    // 32 distinct literals fill a whole flag word: an extra all-ones word follows.
    let input: Vec<u8> = (0u8..32).collect();
    let packed = compress(&input);
    assert_eq!(&packed[..4], &[0, 0, 0, 0]);
    assert_eq!(&packed[36..], &[0xff; 4]);
    assert_eq!(decompress(&packed, 32).unwrap(), input);
    // ...and the stream without that word is accepted too (stops at the expected size).
    assert_eq!(decompress(&packed[..36], 32).unwrap(), input);
}

#[test]
fn malformed_streams_are_errors() {
    // Input ends early.
    assert!(matches!(decompress(&hex("00 00 00 00 61"), 2), Err(DecodeError::Truncated { .. })));
    // End marker (1 bit, no more input) before the expected size.
    assert!(decompress(&hex("ff ff ff 7f 61"), 2).is_err());
    // Match before the start of the output.
    assert!(matches!(decompress(&hex("ff ff ff ff 08 00"), 3), Err(DecodeError::Invalid { .. })));
    // Match longer than the room left.
    assert!(matches!(decompress(&hex("ff ff ff 7f 61 06 00"), 5), Err(DecodeError::TooLarge { .. })));
    // Trailing bytes after the expected size.
    assert!(matches!(decompress(&hex("ff ff ff 7f 61 06 00 00"), 10), Err(DecodeError::Trailing { .. })));
    // u16 length below 22.
    assert!(matches!(
        decompress(&hex("ff ff ff 7f 61 07 00 0f ff 05 00"), 100),
        Err(DecodeError::Invalid { .. })
    ));
    // Huge u32 length against a small expected size.
    assert!(decompress(&hex("ff ff ff 7f 61 07 00 0f ff 00 00 ff ff ff ff"), 100).is_err());
}

#[test]
fn u32_length_form_is_accepted() {
    // One literal + a match of 70000 at distance 1 via the MS-XCA u32 length form.
    let mut packed = hex("ff ff ff 7f 61 07 00 0f ff 00 00");
    packed.extend_from_slice(&(70_000u32 - 3).to_le_bytes());
    assert_eq!(decompress(&packed, 70_001).unwrap(), vec![b'a'; 70_001]);
}

#[test]
fn long_runs_split_at_max_match() {
    let input = vec![7u8; MAX_MATCH * 2 + 100];
    let packed = compress(&input);
    assert!(packed.len() < 40);
    assert_eq!(decompress(&packed, input.len()).unwrap(), input);
}

fn repetitive() -> impl Strategy<Value = Vec<u8>> {
    prop_oneof![
        // Small alphabets.
        proptest::collection::vec(0u8..3, 0..32_768),
        // A short pattern repeated, with occasional mutations.
        (proptest::collection::vec(any::<u8>(), 1..40), 1usize..2000, any::<u64>()).prop_map(
            |(pat, n, seed)| {
                let mut v: Vec<u8> = pat.iter().copied().cycle().take(pat.len() * n).collect();
                v.truncate(32_768);
                let mut s = seed | 1;
                for _ in 0..(v.len() / 97) {
                    s ^= s << 13;
                    s ^= s >> 7;
                    s ^= s << 17;
                    let i = (s as usize) % v.len();
                    v[i] = (s >> 32) as u8;
                }
                v
            }
        ),
        // Runs of random lengths.
        proptest::collection::vec((any::<u8>(), 1usize..600), 0..200).prop_map(|runs| {
            let mut v = Vec::new();
            for (b, n) in runs {
                v.extend(std::iter::repeat_n(b, n));
            }
            v.truncate(32_768);
            v
        }),
    ]
}

proptest! {
    #[test]
    fn round_trip_arbitrary(input in proptest::collection::vec(any::<u8>(), 0..32_768)) {
        let packed = compress(&input);
        prop_assert!(packed.len() <= max_compressed_len(input.len()));
        prop_assert_eq!(decompress(&packed, input.len()).unwrap(), input);
    }

    #[test]
    fn round_trip_repetitive(input in repetitive()) {
        let packed = compress(&input);
        prop_assert!(packed.len() <= max_compressed_len(input.len()));
        prop_assert_eq!(decompress(&packed, input.len()).unwrap(), input);
    }

    #[test]
    fn wrong_expected_size_is_an_error(input in repetitive(), delta in 1usize..40) {
        let packed = compress(&input);
        prop_assert!(decompress(&packed, input.len() + delta).is_err());
        if input.len() >= delta {
            // Fewer bytes expected: the stream overruns it (a match too long or trailing
            // bytes), unless only the end-marker word is left.
            let r = decompress(&packed, input.len() - delta);
            if let Ok(out) = r {
                prop_assert_eq!(&out[..], &input[..input.len() - delta]);
            }
        }
    }

    #[test]
    fn never_panics_on_garbage(
        input in proptest::collection::vec(any::<u8>(), 0..2048),
        expected in 0usize..70_000,
    ) {
        let _ = decompress(&input, expected);
    }

    #[test]
    fn never_panics_on_truncated(input in repetitive(), cut in any::<prop::sample::Index>()) {
        let packed = compress(&input);
        let cut = cut.index(packed.len() + 1);
        let r = decompress(&packed[..cut], input.len());
        if cut + 4 < packed.len() {
            prop_assert!(r.is_err() || input.is_empty());
        }
    }
}
