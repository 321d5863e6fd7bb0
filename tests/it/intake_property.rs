//! The readers never panic: random bytes, and real DOCX/XLSX (and, for the page-label reader, PDF)
//! files with random bytes changed, give pages or an error (seeded, so a failure is reproducible
//! from the printed seed).

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

/// The page-label reader on the labelled fixtures (plain and packed in object streams) with
/// random bytes changed, cut or inserted, and on random bytes: labels or a reason, never a panic.
#[test]
fn mutated_pdfs_never_panic_the_page_label_reader() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/labelled");
    let mut rng = Rng(0x5851_F42D_4C95_7F2D);
    for file in ["validation-report.pdf", "validation-report-packed.pdf"] {
        let original = std::fs::read(dir.join(file)).unwrap();
        assert!(matches!(intake::labels::read(&original, 9), intake::labels::Labels::Found(_)), "{file}");
        for _ in 0..400 {
            let mut bytes = original.clone();
            for _ in 0..1 + rng.below(8) {
                let at = rng.below(bytes.len());
                match rng.below(3) {
                    0 => bytes[at] = rng.next() as u8,
                    1 => bytes.truncate(at.max(1)),
                    _ => bytes.insert(at, rng.next() as u8),
                }
            }
            let _ = intake::labels::read(&bytes, rng.below(20));
        }
    }
    for _ in 0..500 {
        let mut bytes: Vec<u8> = (0..rng.below(400)).map(|_| rng.next() as u8).collect();
        bytes.splice(0..0, *b"%PDF-1.5\n1 0 obj << /Type /Catalog /PageLabels ");
        let _ = intake::labels::read(&bytes, rng.below(20));
    }
}
