//! The model-image loader (CTRL.LOAD, LOAD_DATA, LOAD_STATUS of `regmap`): takes the words of a
//! model image ([`host::Image::to_file`]) one at a time, checks the header against the build,
//! turns each run into memory writes on the accelerator's request path, runs the CRC-32 over the
//! image one bit per clock and, at word N, compares it: MODEL_ID then holds it, or LOAD_STATUS says
//! why the image was refused. Its reference is [`host::LoaderModel`]; the words come from the host
//! (LOAD_DATA, over the UART bridge) or from the SPI flash booter at power-up (`hdl::flash_boot`).
//!
//! Timing: a word is taken the clock `word_valid` is high. A data word's memory write is pending
//! (`wr`, the word held in the CRC shift register) from the next clock until the accelerator takes
//! it (`taken`, a clock with no host access); then its CRC takes 32 clocks (header and run-header
//! words start their CRC at once). A word that comes while either is still going is
//! [`LoadError::Overrun`]: hence `regmap::LOAD_WORD_CLOCKS` between words. The CRC word is compared
//! when it arrives; after a good load the CRC register holds the image's CRC, which is MODEL_ID.
use crate::regmap::{self, LoadError};
use rust_hdl::prelude::*;

/// The loader of a build with `lanes` lanes and CAPS (without the decoder bit) `caps`.
#[derive(LogicBlock)]
pub struct ImageLoader {
    pub clock: Signal<In, Clock>,
    /// CTRL.LOAD accepted: start a load (MODEL_ID 0, the CRC reset).
    pub load_start: Signal<In, Bit>,
    /// A LOAD_DATA word this clock.
    pub word_valid: Signal<In, Bit>,
    pub word: Signal<In, Bits<32>>,
    /// The pending write goes into the accelerator this clock.
    pub taken: Signal<In, Bit>,
    /// A host write to a memory window or NUM_LAYERS: the memories no longer hold the image (the
    /// load, if any, ends; MODEL_ID and LOAD_STATUS become 0).
    pub invalidate: Signal<In, Bit>,
    /// A memory write is pending.
    pub wr: Signal<Out, Bit>,
    pub wr_addr: Signal<Out, Bits<16>>,
    pub wr_data: Signal<Out, Bits<32>>,
    /// MODEL_ID: the CRC-32 of the last image loaded with a good CRC (1 for a CRC of 0), else 0.
    pub model_id: Signal<Out, Bits<32>>,
    /// LOAD_STATUS.
    pub status: Signal<Out, Bits<32>>,
    /// A load is in progress or the last one failed: START and RUN_MODEL are refused.
    pub blocked: Signal<Out, Bit>,

    busy: DFF<Bit>,
    ok: DFF<Bit>,
    failed: DFF<Bit>,
    why: DFF<Bits<4>>,
    /// Words taken since CTRL.LOAD.
    idx: DFF<Bits<16>>,
    /// The header is in (`idx` >= 5): `total` holds N.
    body: DFF<Bit>,
    total: DFF<Bits<16>>,
    /// Inside a run: `left` data words to go, the next at `addr`.
    in_run: DFF<Bit>,
    addr: DFF<Bits<16>>,
    left: DFF<Bits<16>>,
    /// A data word waits in `sh` for its write.
    pend: DFF<Bit>,
    /// CRC-32 (reflected, 0xEDB88320), one bit of `sh` per clock while `nb` != 0.
    crc: DFF<Bits<32>>,
    sh: DFF<Bits<32>>,
    nb: DFF<Bits<6>>,
    /// Stage 1: the word, registered.
    wv: DFF<Bit>,
    wq: DFF<Bits<32>>,
    /// Stage 2: its comparisons, registered (the decision in stage 3 reads only these flags).
    fv: DFF<Bit>,
    f_magic: DFF<Bit>,
    f_version: DFF<Bit>,
    f_lanes: DFF<Bit>,
    f_caps: DFF<Bit>,
    f_len_bad: DFF<Bit>,
    f_cnt0: DFF<Bit>,
    f_crc: DFF<Bit>,
    f_last: DFF<Bit>,
    f_left1: DFF<Bit>,
    f_addr_ok: DFF<Bit>,
    fail_now: Signal<Local, Bit>,
    fail_code: Signal<Local, Bits<4>>,
    crc_out: Signal<Local, Bits<32>>,
    magic: Constant<Bits<32>>,
    version: Constant<Bits<32>>,
    lanes: Constant<Bits<32>>,
    caps: Constant<Bits<32>>,
    poly: Constant<Bits<32>>,
    /// The address bits at or above `regmap::IMAGE_ADDR_MIN`: `(a & amin) != 0` is a memory window.
    amin: Constant<Bits<16>>,
    a_nl: Constant<Bits<16>>,
    hdr_words: Constant<Bits<16>>,
    e_format: Constant<Bits<4>>,
    e_build: Constant<Bits<4>>,
    e_length: Constant<Bits<4>>,
    e_address: Constant<Bits<4>>,
    e_overrun: Constant<Bits<4>>,
    e_crc: Constant<Bits<4>>,
}

// Literal positions and widths below, checked against the register map.
const _: () = {
    assert!(regmap::IMAGE_ADDR_MIN.is_power_of_two());
    assert!(regmap::IMAGE_HEADER_WORDS == 5); // idx 0..=4 below
    assert!(regmap::IMAGE_MAX_WORDS == 0xFFFF); // 16-bit idx, total, left
    assert!(regmap::LOAD_BUSY == 1 && regmap::LOAD_OK == 2 && regmap::LOAD_FAILED == 4);
    assert!(regmap::LOAD_ERROR_SHIFT == 4 && regmap::LOAD_WORDS_SHIFT == 16);
    // A word: registered, compared, decided (3 clocks), its write pending for at least a clock,
    // 32 CRC clocks.
    assert!(regmap::LOAD_WORD_CLOCKS >= 36);
};

fn c<const N: usize>(v: u64) -> Constant<Bits<N>> {
    Constant::new(v.into())
}

impl ImageLoader {
    /// The loader of a build with `lanes` lanes and memories `sizes`.
    pub fn new(lanes: usize, sizes: regmap::MemSizes) -> ImageLoader {
        ImageLoader {
            clock: Default::default(),
            load_start: Default::default(),
            word_valid: Default::default(),
            word: Default::default(),
            taken: Default::default(),
            invalidate: Default::default(),
            wr: Default::default(),
            wr_addr: Default::default(),
            wr_data: Default::default(),
            model_id: Default::default(),
            status: Default::default(),
            blocked: Default::default(),
            busy: Default::default(),
            ok: Default::default(),
            failed: Default::default(),
            why: Default::default(),
            idx: Default::default(),
            body: Default::default(),
            total: Default::default(),
            in_run: Default::default(),
            addr: Default::default(),
            left: Default::default(),
            pend: Default::default(),
            crc: Default::default(),
            sh: Default::default(),
            nb: Default::default(),
            wv: Default::default(),
            wq: Default::default(),
            fv: Default::default(),
            f_magic: Default::default(),
            f_version: Default::default(),
            f_lanes: Default::default(),
            f_caps: Default::default(),
            f_len_bad: Default::default(),
            f_cnt0: Default::default(),
            f_crc: Default::default(),
            f_last: Default::default(),
            f_left1: Default::default(),
            f_addr_ok: Default::default(),
            fail_now: Default::default(),
            fail_code: Default::default(),
            crc_out: Default::default(),
            magic: c(regmap::IMAGE_MAGIC.into()),
            version: c(regmap::IMAGE_VERSION.into()),
            lanes: c(lanes as u64),
            caps: c(sizes.caps().into()),
            poly: c(0xEDB8_8320),
            amin: c(0xFFFF & !(u64::from(regmap::IMAGE_ADDR_MIN) - 1)),
            a_nl: c(regmap::REG_NUM_LAYERS.into()),
            hdr_words: c(regmap::IMAGE_HEADER_WORDS as u64),
            e_format: c(LoadError::Format as u64),
            e_build: c(LoadError::Build as u64),
            e_length: c(LoadError::Length as u64),
            e_address: c(LoadError::Address as u64),
            e_overrun: c(LoadError::Overrun as u64),
            e_crc: c(LoadError::Crc as u64),
        }
    }
}

impl Logic for ImageLoader {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(
            self, clock, busy, ok, failed, why, idx, body, total, in_run, addr, left, pend, crc, sh, nb, wv, wq, fv,
            f_magic, f_version, f_lanes, f_caps, f_len_bad, f_cnt0, f_crc, f_last, f_left1, f_addr_ok
        );
        // The pending write: the word waits in `sh` at `addr` (its CRC starts once it is taken).
        self.wr.next = self.pend.q.val();
        self.wr_addr.next = self.addr.q.val();
        self.wr_data.next = self.sh.q.val();
        // After a good load the CRC register holds the image's CRC (no word is taken after it).
        self.crc_out.next = !self.crc.q.val();
        self.model_id.next = 0.into();
        if self.ok.q.val() {
            self.model_id.next = self.crc_out.val();
            if self.crc_out.val() == 0 {
                self.model_id.next = 1.into();
            }
        }
        self.blocked.next = self.busy.q.val() | self.failed.q.val();
        self.status.next = bit_cast::<32, 1>(self.busy.q.val().into())
            | (bit_cast::<32, 1>(self.ok.q.val().into()) << 1)
            | (bit_cast::<32, 1>(self.failed.q.val().into()) << 2)
            | (bit_cast::<32, 4>(self.why.q.val()) << 4)
            | (bit_cast::<32, 16>(self.idx.q.val()) << 16);
        if self.taken.val() & self.pend.q.val() {
            self.pend.d.next = false;
            self.addr.d.next = self.addr.q.val() + 1;
            self.nb.d.next = 32.into();
        }
        // The CRC, one bit per clock.
        if self.nb.q.val() != 0 {
            self.crc.d.next = self.crc.q.val() >> 1;
            if self.crc.q.val().get_bit(0) ^ self.sh.q.val().get_bit(0) {
                self.crc.d.next = (self.crc.q.val() >> 1) ^ self.poly.val();
            }
            self.sh.d.next = self.sh.q.val() >> 1;
            self.nb.d.next = self.nb.q.val() - 1;
        }
        self.fail_now.next = false;
        self.fail_code.next = 0.into();
        // Stage 1: a word is registered (or is an overrun: the last one is not done).
        self.wv.d.next = false;
        if self.word_valid.val() & self.busy.q.val() {
            if (self.nb.q.val() != 0) | self.pend.q.val() | self.wv.q.val() | self.fv.q.val() {
                self.fail_now.next = true;
                self.fail_code.next = self.e_overrun.val();
            } else {
                self.wv.d.next = true;
                self.wq.d.next = self.word.val();
            }
        }
        // Stage 2: every comparison the decision needs, from registers.
        self.fv.d.next = self.wv.q.val();
        self.f_magic.d.next = self.wq.q.val() == self.magic.val();
        self.f_version.d.next = self.wq.q.val() == self.version.val();
        self.f_lanes.d.next = self.wq.q.val() == self.lanes.val();
        self.f_caps.d.next = self.wq.q.val() == self.caps.val();
        self.f_len_bad.d.next =
            (self.wq.q.val().get_bits::<16>(16) != 0) | (self.wq.q.val().get_bits::<16>(0) < self.hdr_words.val());
        self.f_cnt0.d.next = self.wq.q.val().get_bits::<16>(0) == 0;
        self.f_crc.d.next = self.crc_out.val() == self.wq.q.val();
        self.f_last.d.next = self.body.q.val() & (self.idx.q.val() == self.total.q.val());
        self.f_left1.d.next = self.left.q.val() == 1;
        self.f_addr_ok.d.next = ((self.addr.q.val() & self.amin.val()) != 0) | (self.addr.q.val() == self.a_nl.val());
        // Stage 3: the decision.
        if self.fv.q.val() & self.busy.q.val() {
            self.idx.d.next = self.idx.q.val() + 1;
            self.sh.d.next = self.wq.q.val();
            self.nb.d.next = 32.into();
            if !self.body.q.val() {
                if self.idx.q.val() == 0 {
                    if !self.f_magic.q.val() {
                        self.fail_now.next = true;
                        self.fail_code.next = self.e_format.val();
                    }
                } else if self.idx.q.val() == 1 {
                    if !self.f_version.q.val() {
                        self.fail_now.next = true;
                        self.fail_code.next = self.e_format.val();
                    }
                } else if self.idx.q.val() == 2 {
                    if !self.f_lanes.q.val() {
                        self.fail_now.next = true;
                        self.fail_code.next = self.e_build.val();
                    }
                } else if self.idx.q.val() == 3 {
                    if !self.f_caps.q.val() {
                        self.fail_now.next = true;
                        self.fail_code.next = self.e_build.val();
                    }
                } else {
                    self.total.d.next = self.wq.q.val().get_bits::<16>(0);
                    self.body.d.next = true;
                    if self.f_len_bad.q.val() {
                        self.fail_now.next = true;
                        self.fail_code.next = self.e_length.val();
                    }
                }
            } else if self.f_last.q.val() {
                // The CRC word (not part of the CRC), against the CRC of the words before: done,
                // since every word before took its clocks (else this one was an overrun).
                self.nb.d.next = 0.into();
                self.sh.d.next = self.sh.q.val();
                self.busy.d.next = false;
                if self.in_run.q.val() {
                    self.fail_now.next = true;
                    self.fail_code.next = self.e_length.val();
                } else if self.f_crc.q.val() {
                    self.ok.d.next = true;
                } else {
                    self.fail_now.next = true;
                    self.fail_code.next = self.e_crc.val();
                }
            } else if !self.in_run.q.val() {
                self.addr.d.next = self.wq.q.val().get_bits::<16>(16);
                self.left.d.next = self.wq.q.val().get_bits::<16>(0);
                self.in_run.d.next = true;
                if self.f_cnt0.q.val() {
                    self.fail_now.next = true;
                    self.fail_code.next = self.e_length.val();
                }
            } else {
                // A data word: written first, its CRC after (`taken`).
                self.nb.d.next = 0.into();
                self.left.d.next = self.left.q.val() - 1;
                if self.f_left1.q.val() {
                    self.in_run.d.next = false;
                }
                if self.f_addr_ok.q.val() {
                    self.pend.d.next = true;
                } else {
                    self.fail_now.next = true;
                    self.fail_code.next = self.e_address.val();
                }
            }
        }
        if self.fail_now.val() {
            self.busy.d.next = false;
            self.failed.d.next = true;
            self.why.d.next = self.fail_code.val();
            self.pend.d.next = false;
        }
        if self.invalidate.val() {
            self.busy.d.next = false;
            self.ok.d.next = false;
            self.failed.d.next = false;
            self.why.d.next = 0.into();
            self.pend.d.next = false;
            self.nb.d.next = 0.into();
            self.wv.d.next = false;
        }
        if self.load_start.val() {
            self.busy.d.next = true;
            self.ok.d.next = false;
            self.failed.d.next = false;
            self.why.d.next = 0.into();
            self.idx.d.next = 0.into();
            self.body.d.next = false;
            self.in_run.d.next = false;
            self.crc.d.next = 0xFFFF_FFFF_u64.into();
            self.nb.d.next = 0.into();
            self.pend.d.next = false;
            self.wv.d.next = false;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use golden::testing::half_sparse_model;
    use host::{Image, LoaderModel};
    use proptest::prelude::*;
    use regmap::MemSizes;

    struct Bench {
        uut: ImageLoader,
        writes: Vec<(u16, u32)>,
    }

    impl Bench {
        fn new(lanes: usize, sizes: MemSizes) -> Bench {
            let mut uut = ImageLoader::new(lanes, sizes);
            uut.clock.connect();
            uut.load_start.connect();
            uut.word_valid.connect();
            uut.word.connect();
            uut.taken.connect();
            uut.invalidate.connect();
            uut.connect_all();
            Bench {
                uut,
                writes: Vec::new(),
            }
        }

        /// One clock with these inputs; a pending write is taken when `take`.
        fn tick(&mut self, begin: bool, word: Option<u32>, take: bool) {
            self.uut.load_start.next = begin;
            self.uut.word_valid.next = word.is_some();
            self.uut.word.next = u64::from(word.unwrap_or(0)).into();
            let taken = take & self.uut.wr.val();
            self.uut.taken.next = taken;
            self.uut.invalidate.next = false;
            if taken {
                self.writes.push((
                    self.uut.wr_addr.val().index() as u16,
                    self.uut.wr_data.val().index() as u32,
                ));
            }
            self.uut.clock.next = false.into();
            assert!(simulate(&mut self.uut, 100));
            self.uut.clock.next = true.into();
            assert!(simulate(&mut self.uut, 100));
        }

        /// CTRL.LOAD and `words`, `gap` clocks apart (the write taken in the first free clock).
        fn load(&mut self, words: &[u32], gap: u32) {
            self.tick(true, None, true);
            for &w in words {
                self.tick(false, Some(w), false);
                for _ in 1..gap {
                    self.tick(false, None, true);
                }
            }
            for _ in 0..40 {
                self.tick(false, None, true);
            }
        }

        fn status(&self) -> u32 {
            self.uut.status.val().index() as u32
        }
    }

    /// The block against the reference loader, over a whole image's words.
    fn check(lanes: usize, sizes: MemSizes, words: &[u32]) -> Result<(), TestCaseError> {
        let mut model = LoaderModel::new(lanes, sizes);
        model.begin();
        let want: Vec<(u16, u32)> = words.iter().filter_map(|&w| model.word(w)).collect();
        let mut b = Bench::new(lanes, sizes);
        b.load(words, regmap::LOAD_WORD_CLOCKS);
        prop_assert_eq!(&b.writes, &want);
        prop_assert_eq!(b.status(), model.status(), "{:?}", model);
        prop_assert_eq!(b.uut.model_id.val().index() as u32, model.model_id);
        prop_assert_eq!(b.uut.blocked.val(), model.busy || model.error != LoadError::None);
        Ok(())
    }

    fn image(seed: u64) -> Image {
        Image::build(&half_sparse_model(seed, &[12, 9, 4], 5), 2, MemSizes::SPRAM).unwrap()
    }

    #[test]
    fn a_good_image_is_written_and_its_crc_becomes_the_model_id() {
        let img = image(1);
        check(2, MemSizes::SPRAM, &img.load_words()).unwrap();
        let mut b = Bench::new(2, MemSizes::SPRAM);
        b.load(&img.load_words(), regmap::LOAD_WORD_CLOCKS);
        assert_eq!(b.uut.model_id.val().index() as u32, img.model_id());
        assert_eq!(b.status() & 7, regmap::LOAD_OK);
        assert!(!b.uut.blocked.val());
    }

    #[test]
    fn words_too_fast_are_an_overrun() {
        let img = image(2);
        let mut b = Bench::new(2, MemSizes::SPRAM);
        b.load(&img.load_words()[..8], 8);
        assert_eq!(
            b.status() & 0xF7,
            regmap::LOAD_FAILED | (LoadError::Overrun as u32) << 4
        );
        assert!(b.uut.blocked.val());
        assert_eq!(b.uut.model_id.val().index(), 0);
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 24, .. ProptestConfig::default() })]
        /// Truncated images, flipped bits, other builds' images, wrong run headers: the same
        /// writes and status as the reference.
        #[test]
        fn damaged_images_match_the_reference(seed in 0u64..1000, cut in 0usize..400, flip in any::<u32>(), at in 0usize..400, other in 0usize..3) {
            let img = image(seed);
            let mut w = img.load_words();
            match other {
                0 => { let i = at % w.len(); w[i] ^= 1 << (flip % 32); }
                1 => w.truncate(cut % w.len()),
                _ => { let i = regmap::IMAGE_HEADER_WORDS; w[i] = regmap::image_run_header((flip & 0x3F) as u16, 3); }
            }
            check(2, MemSizes::SPRAM, &w)?;
            check(4, MemSizes::SPRAM, &img.load_words())?;
        }
    }
}
