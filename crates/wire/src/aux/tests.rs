use super::*;
use proptest::prelude::*;

fn hex(s: &str) -> Vec<u8> {
    s.split_whitespace().map(|b| u8::from_str_radix(b, 16).unwrap()).collect()
}

const D_AUX_GROMOX: &str = "00 00 04 00 1c 00 1c 00 08 00 01 17 03 00 00 00
                            0c 00 01 0a 0c 00 00 00 00 84 0c 24 08 00 01 48
                            01 00 00 00";

fn gromox_connect_blocks() -> Vec<AuxBlock> {
    vec![
        AuxBlock::ExOrgInfo {
            org_flags: PUBLIC_FOLDERS_ENABLED | USE_AUTODISCOVER_FOR_PUBLIC_FOLDER_CONFIGURATION,
        },
        AuxBlock::ClientControl {
            enable_flags: ENABLE_COMPRESSION | ENABLE_HTTP_TUNNELING,
            expiry_time: 604_800_000,
        },
        AuxBlock::EndpointCapabilities { flags: ENDPOINT_CAPABILITIES_SINGLE_ENDPOINT },
    ]
}

#[test]
fn d_aux_gromox_encode_and_decode() {
    let bytes = hex(D_AUX_GROMOX);
    assert_eq!(encode_aux_buffer(&gromox_connect_blocks()).unwrap(), bytes);
    let blocks = decode_aux_buffer(&bytes).unwrap();
    assert_eq!(blocks, gromox_connect_blocks());
    let names: Vec<_> = blocks.iter().map(AuxBlock::name).collect();
    assert_eq!(names, ["AUX_TYPE_EXORGINFO", "AUX_TYPE_CLIENT_CONTROL", "AUX_TYPE_ENDPOINT_CAPABILITIES"]);
    // Compressed and obfuscated variants decode to the same blocks.
    let packed = encode_aux_buffer_with(&blocks, true, true).unwrap();
    assert_eq!(decode_aux_buffer(&packed).unwrap(), blocks);
}

#[test]
fn limits() {
    assert_eq!(decode_aux_buffer(&[]).unwrap(), vec![]);
    assert_eq!(encode_aux_buffer(&[]).unwrap(), Vec::<u8>::new());
    for n in 1..8 {
        assert!(matches!(decode_aux_buffer(&vec![0; n]), Err(DecodeError::Truncated { .. })));
    }
    assert!(matches!(decode_aux_buffer(&vec![0; 0x1009]), Err(DecodeError::TooLarge { .. })));
    // Exactly at the limit: one RPC_HEADER_EXT and 0x1000 bytes of unknown blocks.
    let big = vec![AuxBlock::Unknown { version: 1, aux_type: 0x99, data: vec![7; 0x1000 - 4] }];
    let buf = encode_aux_buffer(&big).unwrap();
    assert_eq!(buf.len(), MAX_AUX_BUFFER);
    assert_eq!(decode_aux_buffer(&buf).unwrap(), big);
    let bigger = vec![AuxBlock::Unknown { version: 1, aux_type: 0x99, data: vec![7; 0x1000] }];
    assert!(encode_aux_buffer(&bigger).is_err());
    // ...but it compresses well enough to fit.
    assert!(encode_aux_buffer_with(&bigger, true, false).is_ok());
    // Two RPC_HEADER_EXT blocks are not an aux buffer.
    let two = rpc_ext::encode_chain(&[&hex("08 00 01 17 03 00 00 00"), &[]], false, false).unwrap();
    assert!(matches!(decode_aux_buffer(&two), Err(DecodeError::Invalid { .. })));
}

#[test]
fn bad_sizes_and_unknown_blocks() {
    // Size below the header.
    assert!(decode_aux_payload(&hex("03 00 01 01")).is_err());
    assert!(decode_aux_payload(&hex("00 00 01 01")).is_err());
    // Size beyond the payload.
    assert!(matches!(decode_aux_payload(&hex("0c 00 01 01 00 00")), Err(DecodeError::Truncated { .. })));
    // Header cut short.
    assert!(decode_aux_payload(&hex("08 00 01")).is_err());
    // Unknown type and version are skipped by Size; a known type that is too short too.
    let blocks = decode_aux_payload(&hex("06 00 07 01 aa bb  05 00 01 4e 99  06 00 01 17 01 02")).unwrap();
    assert_eq!(
        blocks,
        vec![
            AuxBlock::Unknown { version: 7, aux_type: 1, data: vec![0xaa, 0xbb] },
            AuxBlock::Unknown { version: 1, aux_type: 0x4e, data: vec![0x99] },
            AuxBlock::Unknown { version: 1, aux_type: 0x17, data: vec![1, 2] },
        ]
    );
    assert_eq!(blocks[1].name(), "AUX_TYPE_PROTOCOL_DEVICE_IDENTIFICATION");
    assert_eq!(blocks[0].name(), "unknown");
    assert_eq!(type_name(2, AUX_TYPE_PERF_FG_FAILURE), "AUX_TYPE_PERF_FG_FAILURE_V2");
    // Padding after a fixed layout is dropped.
    assert_eq!(
        decode_aux_payload(&hex("0c 00 01 17 05 00 00 00 00 00 00 00")).unwrap(),
        vec![AuxBlock::ExOrgInfo { org_flags: 5 }]
    );
    // OSVERSIONINFO of an unexpected size stays raw.
    let b = decode_aux_payload(&hex("0c 00 01 16 01 00 00 00 02 00 00 00")).unwrap();
    assert!(matches!(b[0], AuxBlock::Unknown { aux_type: AUX_TYPE_OSVERSIONINFO, .. }));
}

#[test]
fn strings_through_offsets() {
    let guid = Guid::from_fields(0x01020304, 0x0506, 0x0708, [9, 10, 11, 12, 13, 14, 15, 16]);
    let ci = PerfClientInfo::new(
        100_000_000,
        7,
        Some("WS-01"),
        Some("jane"),
        &[10, 0, 0, 5],
        &[255, 255, 255, 0],
        Some("Ethernet"),
        &[0, 1, 2, 3, 4, 5],
        2,
    );
    let blocks = vec![
        AuxBlock::PerfClientInfo(ci),
        AuxBlock::PerfServerInfo(PerfServerInfo::new(1, 1, Some("/o=Org/cn=srv"), Some("srv"))),
        AuxBlock::PerfProcessInfo(PerfProcessInfo::new(3, guid, Some("OUTLOOK.EXE"))),
        AuxBlock::ClientConnectionInfo(ClientConnectionInfo::new(guid, 1, 1, Some("ctx"))),
        AuxBlock::ServerSessionInfo(ServerSessionInfo::new(Some("s"))),
        AuxBlock::ServerSessionInfo(ServerSessionInfo::new(None)),
    ];
    let payload = encode_aux_payload(&blocks).unwrap();
    let back = decode_aux_payload(&payload).unwrap();
    assert_eq!(back, blocks);
    let AuxBlock::PerfClientInfo(c) = &back[0] else { panic!() };
    assert_eq!(c.machine_name().as_deref(), Some("WS-01"));
    assert_eq!(c.user_name().as_deref(), Some("jane"));
    assert_eq!(c.adapter_name().as_deref(), Some("Ethernet"));
    assert_eq!(c.client_ip(), Some(&[10, 0, 0, 5][..]));
    assert_eq!(c.client_ip_mask(), Some(&[255, 255, 255, 0][..]));
    assert_eq!(c.mac_address(), Some(&[0, 1, 2, 3, 4, 5][..]));
    assert_eq!(c.machine_name_offset, 32);
    let AuxBlock::PerfServerInfo(s) = &back[1] else { panic!() };
    assert_eq!(s.server_dn().as_deref(), Some("/o=Org/cn=srv"));
    assert_eq!(s.server_name().as_deref(), Some("srv"));
    let AuxBlock::PerfProcessInfo(p) = &back[2] else { panic!() };
    assert_eq!(p.process_name().as_deref(), Some("OUTLOOK.EXE"));
    assert_eq!(back[2].name(), "AUX_TYPE_PERF_PROCESSINFO");
    let AuxBlock::ClientConnectionInfo(cc) = &back[3] else { panic!() };
    assert_eq!(cc.connection_context_info().as_deref(), Some("ctx"));
    let AuxBlock::ServerSessionInfo(ss) = &back[4] else { panic!() };
    assert_eq!(ss.server_session_context_info().as_deref(), Some("s"));
    let AuxBlock::ServerSessionInfo(ss) = &back[5] else { panic!() };
    assert_eq!(ss.server_session_context_info(), None);
    // Offsets that point outside the block or into the fixed part give None.
    let bad = PerfServerInfo { server_dn_offset: 4, server_name_offset: 400, ..s.clone() };
    assert_eq!((bad.server_dn(), bad.server_name()), (None, None));
    // Every block's size is a multiple of 4.
    let mut r = Reader::new(&payload);
    while !r.is_empty() {
        let size = r.u16("size").unwrap();
        assert_eq!(size % 4, 0);
        r.take(usize::from(size) - 2, "rest").unwrap();
    }
}

fn guid() -> impl Strategy<Value = Guid> {
    any::<[u8; 16]>().prop_map(Guid)
}

/// A tail whose length keeps the block aligned (so that encoding adds no padding).
fn tail(base: usize) -> impl Strategy<Value = Vec<u8>> {
    proptest::collection::vec(any::<u8>(), 0..64).prop_map(move |mut t| {
        while (base + t.len()) % AUX_ALIGN != 0 {
            t.push(0);
        }
        t
    })
}

fn typed_fixed() -> impl Strategy<Value = AuxBlock> {
    prop_oneof![
        (any::<u16>(), any::<u16>())
            .prop_map(|(session_id, request_id)| AuxBlock::PerfRequestId { session_id, request_id }),
        (any::<u16>(), any::<u16>(), guid()).prop_map(|(session_id, reserved, session_guid)| {
            AuxBlock::PerfSessionInfo { session_id, reserved, session_guid }
        }),
        (any::<u16>(), any::<u16>(), guid(), any::<u32>()).prop_map(|(a, b, g, c)| {
            AuxBlock::PerfSessionInfoV2 { session_id: a, reserved: b, session_guid: g, connection_id: c }
        }),
        (any::<u32>(), any::<u32>())
            .prop_map(|(enable_flags, expiry_time)| AuxBlock::ClientControl { enable_flags, expiry_time }),
        any::<u32>().prop_map(|org_flags| AuxBlock::ExOrgInfo { org_flags }),
        any::<u32>().prop_map(|flags| AuxBlock::ServerCapabilities { flags }),
        any::<u32>().prop_map(|flags| AuxBlock::EndpointCapabilities { flags }),
        (any::<[u32; 5]>(), any::<[u16; 2]>(), any::<u8>()).prop_map(|(a, b, fill)| {
            AuxBlock::OsVersionInfo(OsVersionInfo {
                os_version_info_size: a[0],
                major_version: a[1],
                minor_version: a[2],
                build_number: a[3],
                reserved1: [fill; 132],
                service_pack_major: b[0],
                service_pack_minor: b[1],
                reserved2: a[4],
            })
        }),
    ]
}

fn typed_variable() -> impl Strategy<Value = AuxBlock> {
    prop_oneof![
        (any::<u32>(), any::<[u16; 12]>(), tail(PerfClientInfo::TAIL_BASE)).prop_map(|(speed, f, tail)| {
            AuxBlock::PerfClientInfo(PerfClientInfo {
                adapter_speed: speed,
                client_id: f[0],
                machine_name_offset: f[1],
                user_name_offset: f[2],
                client_ip_size: f[3],
                client_ip_offset: f[4],
                client_ip_mask_size: f[5],
                client_ip_mask_offset: f[6],
                adapter_name_offset: f[7],
                mac_address_size: f[8],
                mac_address_offset: f[9],
                client_mode: f[10],
                reserved: f[11],
                tail,
            })
        }),
        (any::<[u16; 4]>(), tail(PerfServerInfo::TAIL_BASE)).prop_map(|(f, tail)| {
            AuxBlock::PerfServerInfo(PerfServerInfo {
                server_id: f[0],
                server_type: f[1],
                server_dn_offset: f[2],
                server_name_offset: f[3],
                tail,
            })
        }),
        (1u8..=2, any::<[u16; 4]>(), guid(), tail(PerfProcessInfo::TAIL_BASE)).prop_map(
            |(version, f, g, tail)| {
                AuxBlock::PerfProcessInfo(PerfProcessInfo {
                    version,
                    process_id: f[0],
                    reserved1: f[1],
                    process_guid: g,
                    process_name_offset: f[2],
                    reserved2: f[3],
                    tail,
                })
            }
        ),
        (guid(), any::<[u16; 2]>(), any::<[u32; 2]>(), tail(ClientConnectionInfo::TAIL_BASE)).prop_map(
            |(g, a, b, tail)| {
                AuxBlock::ClientConnectionInfo(ClientConnectionInfo {
                    connection_guid: g,
                    offset_connection_context_info: a[0],
                    reserved: a[1],
                    connection_attempts: b[0],
                    connection_flags: b[1],
                    tail,
                })
            }
        ),
        (any::<u16>(), tail(ServerSessionInfo::TAIL_BASE)).prop_map(|(o, tail)| {
            AuxBlock::ServerSessionInfo(ServerSessionInfo { offset_server_session_context_info: o, tail })
        }),
        // Blocks built from strings.
        (".{0,12}", proptest::option::of(".{0,12}"), any::<u16>()).prop_map(|(a, b, id)| {
            AuxBlock::PerfServerInfo(PerfServerInfo::new(id, 2, Some(&a), b.as_deref()))
        }),
    ]
}

fn unknown() -> impl Strategy<Value = AuxBlock> {
    (any::<u8>(), any::<u8>(), proptest::collection::vec(any::<u8>(), 0..40))
        .prop_filter("typed version/type", |(v, t, _)| AuxBlock::decode_typed(*v, *t, &[0; 200]).is_err())
        .prop_map(|(version, aux_type, mut data)| {
            data.truncate(data.len() / 4 * 4);
            AuxBlock::Unknown { version, aux_type, data }
        })
}

fn block() -> impl Strategy<Value = AuxBlock> {
    prop_oneof![typed_fixed(), typed_variable(), unknown()]
}

proptest! {
    #[test]
    fn payload_round_trip(blocks in proptest::collection::vec(block(), 0..8)) {
        let payload = encode_aux_payload(&blocks).unwrap();
        prop_assert_eq!(decode_aux_payload(&payload).unwrap(), blocks.clone());
        if !blocks.is_empty() {
            for (c, x) in [(false, false), (true, false), (false, true), (true, true)] {
                let buf = encode_aux_buffer_with(&blocks, c, x).unwrap();
                prop_assert_eq!(decode_aux_buffer(&buf).unwrap(), blocks.clone());
            }
        }
    }

    #[test]
    fn never_panics_on_garbage(payload in proptest::collection::vec(any::<u8>(), 0..600)) {
        if let Ok(blocks) = decode_aux_payload(&payload) {
            // Whatever decoded re-encodes and decodes again.
            let again = encode_aux_payload(&blocks).unwrap();
            prop_assert!(decode_aux_payload(&again).is_ok());
            for b in &blocks {
                let _ = b.name();
                match b {
                    AuxBlock::PerfClientInfo(c) => {
                        let _ = (c.machine_name(), c.user_name(), c.adapter_name(), c.client_ip(), c.mac_address());
                    }
                    AuxBlock::PerfServerInfo(s) => { let _ = (s.server_dn(), s.server_name()); }
                    _ => {}
                }
            }
        }
        let _ = decode_aux_buffer(&payload);
    }

    #[test]
    fn never_panics_on_structured_garbage(
        parts in proptest::collection::vec((0u16..80, 1u8..=2, prop::sample::select(vec![1u8, 2, 3, 4, 0x0a, 0x0b, 0x16, 0x17, 0x46, 0x48, 0x4a, 0x4b]), proptest::collection::vec(any::<u8>(), 0..80)), 0..6),
    ) {
        let mut payload = Vec::new();
        for (size, v, t, data) in parts {
            payload.extend_from_slice(&size.to_le_bytes());
            payload.push(v);
            payload.push(t);
            payload.extend_from_slice(&data);
        }
        if let Ok(blocks) = decode_aux_payload(&payload) {
            for b in &blocks {
                if let AuxBlock::PerfClientInfo(c) = b {
                    let _ = (c.machine_name(), c.client_ip_mask());
                }
            }
        }
    }
}
