//! The readers never panic: random bytes, and real DOCX/XLSX files with random bytes changed,
//! give pages or an error (seeded, so a failure is reproducible from the printed seed).

use std::path::Path;

use accredit::format::media;
use accredit::intake;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // xorshift64*
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

const ZIPPED: [&str; 2] = [media::DOCX, media::XLSX];

#[test]
fn random_bytes_never_panic_the_readers() {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    for case in 0..2000 {
        let len = rng.below(600);
        let mut bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        if case % 3 == 0 {
            // Start like a zip so the readers go further in.
            bytes.splice(0..0, *b"PK\x03\x04");
        }
        for media_type in ZIPPED {
            let _ = intake::extract("random", media_type, &bytes);
        }
        let _ = intake::extract("random", media::TEXT, &bytes);
    }
}

#[test]
fn mutated_zips_never_panic_the_readers() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/submissions/S-2026-014/documents");
    let mut rng = Rng(0xD1B5_4A32_D192_ED03);
    for (file, media_type) in [("E06.docx", media::DOCX), ("E09.xlsx", media::XLSX)] {
        let original = std::fs::read(dir.join(file)).unwrap();
        assert!(intake::extract(file, media_type, &original).is_ok());
        for seed in 0..300 {
            let mut bytes = original.clone();
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(bytes.len());
                match rng.below(3) {
                    0 => bytes[at] = rng.next() as u8,
                    1 => bytes.truncate(at.max(1)),
                    _ => bytes.insert(at, rng.next() as u8),
                }
            }
            let result = std::panic::catch_unwind(|| intake::extract(file, media_type, &bytes).map(|x| x.pages.len()));
            assert!(result.is_ok(), "{file} mutation {seed} panicked the reader");
        }
    }
}
