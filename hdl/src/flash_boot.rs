//! Boot from SPI flash: at power-up, reads the model image stored behind the bitstream in the
//! board's SPI flash (`host::image::FLASH_IMAGE_OFFSET`) and feeds it to the accelerator's image
//! loader (its `boot_*` inputs): a load start, as CTRL.LOAD, then every word, as LOAD_DATA
//! (docs/hardware.md, "Loading a model image"). The host bus is not involved.
//!
//! The flash: SPI mode 0, SCK = clock / 2. First RELEASE POWER-DOWN (0xAB; the iCE40 may leave the
//! flash powered down after configuration) and a wait of [`WAKE_CLOCKS`], then READ (0x03) from the
//! offset, words little-endian (byte 0 first, each byte MSB first). It stops after word 0 if that is
//! not the image magic (an erased flash reads 0xFFFFFFFF: the loader then reports FORMAT), else after
//! the CRC word (N + 1 words, N from word 4). The loader checks the rest: a corrupt image is CRC, a
//! truncated one reads erased bytes past its end and fails (LENGTH or CRC); either way START and
//! RUN_MODEL are refused. One word takes 64 clocks, more than `regmap::LOAD_WORD_CLOCKS`.
use crate::regmap;
use rust_hdl::prelude::*;

/// Clocks the booter waits after RELEASE POWER-DOWN (the flash needs tRES1 = 3 us; 1024 clocks
/// are 3 us up to 340 MHz).
pub const WAKE_CLOCKS: u64 = 1024;
/// The SPI flash commands used.
pub const CMD_RELEASE_POWER_DOWN: u8 = 0xAB;
pub const CMD_READ: u8 = 0x03;
/// Clocks per image word read from the flash (32 bits at SCK = clock / 2).
pub const CLOCKS_PER_WORD: u64 = 64;

const _: () = assert!(CLOCKS_PER_WORD >= regmap::LOAD_WORD_CLOCKS as u64);

/// States of the booter.
#[derive(Copy, Clone, Debug, PartialEq, LogicState)]
enum BootState {
    /// Issue CTRL.LOAD (the state at configuration: the first variant).
    Load,
    /// Shift out RELEASE POWER-DOWN.
    Wake,
    /// tRES1.
    Wait,
    /// Shift out READ and the address.
    Cmd,
    /// Shift in the image's words.
    Data,
    Done,
}

/// The booter reading the image at byte `offset` of the flash.
#[derive(LogicBlock)]
pub struct FlashBoot {
    pub clock: Signal<In, Clock>,
    /// To the accelerator's loader: start a load (one clock), and a word (one clock).
    pub load_start: Signal<Out, Bit>,
    pub word_valid: Signal<Out, Bit>,
    pub word: Signal<Out, Bits<32>>,
    /// The SPI flash pins.
    pub flash_sck: Signal<Out, Bit>,
    pub flash_csn: Signal<Out, Bit>,
    pub flash_mosi: Signal<Out, Bit>,
    pub flash_miso: Signal<In, Bit>,
    /// High until the image has been read (or refused at word 0).
    pub booting: Signal<Out, Bit>,

    state: DFF<BootState>,
    sck: DFF<Bit>,
    /// Chip selected (CSn low).
    sel: DFF<Bit>,
    mosi: DFF<Bit>,
    /// Bits shifted in the current command, or clocks waited.
    cnt: DFF<Bits<11>>,
    cmd: DFF<Bits<32>>,
    rx: DFF<Bits<32>>,
    nbits: DFF<Bits<5>>,
    words: DFF<Bits<17>>,
    /// Words to read: N + 1 once word 4 is in (before: the largest).
    total: DFF<Bits<17>>,
    start_q: DFF<Bit>,
    valid_q: DFF<Bit>,
    word_q: DFF<Bits<32>>,
    rx_next: Signal<Local, Bits<32>>,
    got: Signal<Local, Bits<32>>,
    put: Signal<Local, Bit>,
    read_cmd: Constant<Bits<32>>,
    wake_cmd: Constant<Bits<32>>,
    magic: Constant<Bits<32>>,
    wake_last: Constant<Bits<11>>,
}

impl FlashBoot {
    /// The booter of an image at byte `offset` (below 16 MiB) of the flash.
    pub fn new(offset: u32) -> Result<FlashBoot, crate::HdlError> {
        if offset >= 1 << 24 {
            return Err(crate::HdlError::Sizes(format!(
                "flash offset 0x{offset:X} beyond the 24-bit READ address"
            )));
        }
        Ok(FlashBoot {
            clock: Default::default(),
            load_start: Default::default(),
            word_valid: Default::default(),
            word: Default::default(),
            flash_sck: Default::default(),
            flash_csn: Default::default(),
            flash_mosi: Default::default(),
            flash_miso: Default::default(),
            booting: Default::default(),
            state: Default::default(),
            sck: Default::default(),
            sel: Default::default(),
            mosi: Default::default(),
            cnt: Default::default(),
            cmd: Default::default(),
            rx: Default::default(),
            nbits: Default::default(),
            words: Default::default(),
            total: Default::default(),
            start_q: Default::default(),
            valid_q: Default::default(),
            word_q: Default::default(),
            rx_next: Default::default(),
            got: Default::default(),
            put: Default::default(),
            read_cmd: Constant::new(((u64::from(CMD_READ) << 24) | u64::from(offset)).into()),
            wake_cmd: Constant::new((u64::from(CMD_RELEASE_POWER_DOWN) << 24).into()),
            magic: Constant::new(u64::from(regmap::IMAGE_MAGIC).into()),
            wake_last: Constant::new((WAKE_CLOCKS - 1).into()),
        })
    }
}

impl Logic for FlashBoot {
    #[hdl_gen]
    fn update(&mut self) {
        dff_setup!(self, clock, state, sck, sel, mosi, cnt, cmd, rx, nbits, words, total, start_q, valid_q, word_q);
        self.flash_sck.next = self.sck.q.val();
        self.flash_csn.next = !self.sel.q.val();
        self.flash_mosi.next = self.mosi.q.val();
        self.booting.next = (self.state.q.val() != BootState::Done) | self.valid_q.q.val();
        self.load_start.next = self.start_q.q.val();
        self.word_valid.next = self.valid_q.q.val();
        self.word.next = self.word_q.q.val();
        self.start_q.d.next = false;
        self.valid_q.d.next = false;
        // The received bits: MSB first per byte, bytes little-endian in the word.
        self.rx_next.next = (self.rx.q.val() << 1) | bit_cast::<32, 1>(self.flash_miso.val().into());
        self.got.next = ((self.rx_next.val() >> 24) & 0xFF_u64)
            | ((self.rx_next.val() >> 8) & 0xFF00_u64)
            | ((self.rx_next.val() << 8) & 0xFF_0000_u64)
            | ((self.rx_next.val() << 24) & 0xFF00_0000_u64);
        self.put.next = false;
        match self.state.q.val() {
            BootState::Load => {
                self.start_q.d.next = true;
                self.total.d.next = 0x1FFFF.into();
                self.state.d.next = BootState::Wake;
                self.sel.d.next = true;
                self.cmd.d.next = self.wake_cmd.val() << 1;
                self.mosi.d.next = self.wake_cmd.val().get_bit(31);
                self.cnt.d.next = 0.into();
            }
            BootState::Wake => {
                self.sck.d.next = !self.sck.q.val();
                if self.sck.q.val() {
                    // Falling edge: the next bit out.
                    self.mosi.d.next = self.cmd.q.val().get_bit(31);
                    self.cmd.d.next = self.cmd.q.val() << 1;
                    self.cnt.d.next = self.cnt.q.val() + 1;
                    if self.cnt.q.val() == 7 {
                        self.sel.d.next = false;
                        self.cnt.d.next = 0.into();
                        self.state.d.next = BootState::Wait;
                    }
                }
            }
            BootState::Wait => {
                self.cnt.d.next = self.cnt.q.val() + 1;
                if self.cnt.q.val() == self.wake_last.val() {
                    self.cnt.d.next = 0.into();
                    self.sel.d.next = true;
                    self.cmd.d.next = self.read_cmd.val() << 1;
                    self.mosi.d.next = self.read_cmd.val().get_bit(31);
                    self.state.d.next = BootState::Cmd;
                }
            }
            BootState::Cmd => {
                self.sck.d.next = !self.sck.q.val();
                if self.sck.q.val() {
                    self.mosi.d.next = self.cmd.q.val().get_bit(31);
                    self.cmd.d.next = self.cmd.q.val() << 1;
                    self.cnt.d.next = self.cnt.q.val() + 1;
                    if self.cnt.q.val() == 31 {
                        self.mosi.d.next = false;
                        self.state.d.next = BootState::Data;
                    }
                }
            }
            BootState::Data => {
                self.sck.d.next = !self.sck.q.val();
                if !self.sck.q.val() {
                    // Rising edge: the flash's bit is stable since the last falling edge.
                    self.rx.d.next = self.rx_next.val();
                    self.nbits.d.next = self.nbits.q.val() + 1;
                    if self.nbits.q.val() == 31 {
                        self.put.next = true;
                    }
                }
            }
            _ => {
                self.sck.d.next = false;
                self.sel.d.next = false;
            }
        }
        if self.put.val() {
            self.valid_q.d.next = true;
            self.word_q.d.next = self.got.val();
            self.words.d.next = self.words.q.val() + 1;
            if (self.words.q.val() == 0) & (self.got.val() != self.magic.val()) {
                self.total.d.next = 1.into();
            }
            if self.words.q.val() == 4 {
                self.total.d.next = bit_cast::<17, 16>(self.got.val().get_bits::<16>(0)) + 1;
            }
            if ((self.words.q.val() + 1) == self.total.q.val())
                | ((self.words.q.val() == 0) & (self.got.val() != self.magic.val()))
            {
                self.state.d.next = BootState::Done;
                self.sel.d.next = false;
                self.sck.d.next = false;
            }
        }
    }
}

/// A SPI flash as the booter sees it (mode 0; commands RELEASE POWER-DOWN and READ; powered down
/// until released, as the iCE40 may leave it; erased bytes read 0xFF): the model the tests and
/// the co-simulation (`sim::uart`) drive the booter's pins with.
#[derive(Debug, Clone)]
pub struct SpiFlashModel {
    /// The flash contents from byte 0 (beyond: erased).
    pub data: Vec<u8>,
    awake: bool,
    sel: bool,
    last_sck: bool,
    bits_in: u32,
    shift_in: u64,
    addr: Option<u32>,
    out_byte: u8,
    out_bit: u32,
    miso: bool,
    /// READ commands seen.
    pub reads: u32,
}

impl SpiFlashModel {
    /// A flash holding `data` from byte 0, powered down.
    pub fn new(data: Vec<u8>) -> SpiFlashModel {
        SpiFlashModel {
            data,
            awake: false,
            sel: false,
            last_sck: false,
            bits_in: 0,
            shift_in: 0,
            addr: None,
            out_byte: 0xFF,
            out_bit: 0,
            miso: true,
            reads: 0,
        }
    }

    /// A flash with `image` at byte `offset`, erased elsewhere.
    pub fn with_image(offset: u32, image: &[u8]) -> SpiFlashModel {
        let mut data = vec![0xFF; offset as usize];
        data.extend_from_slice(image);
        SpiFlashModel::new(data)
    }

    fn byte(&self, a: u32) -> u8 {
        self.data.get(a as usize).copied().unwrap_or(0xFF)
    }

    /// The pins after a clock edge; returns MISO (1 when not driven).
    pub fn step(&mut self, csn: bool, sck: bool, mosi: bool) -> bool {
        let rising = sck && !self.last_sck;
        let falling = !sck && self.last_sck;
        self.last_sck = sck;
        if csn {
            self.sel = false;
            self.miso = true;
            return true;
        }
        if !self.sel {
            self.sel = true;
            self.bits_in = 0;
            self.shift_in = 0;
            self.addr = None;
        }
        match self.addr {
            None if rising => {
                self.shift_in = (self.shift_in << 1) | u64::from(mosi);
                self.bits_in += 1;
                if self.bits_in == 8 && self.shift_in as u8 == CMD_RELEASE_POWER_DOWN {
                    self.awake = true;
                }
                if self.bits_in == 32 && (self.shift_in >> 24) as u8 == CMD_READ && self.awake {
                    let a = (self.shift_in & 0xFF_FFFF) as u32;
                    self.reads += 1;
                    self.addr = Some(a);
                    self.out_byte = self.byte(a);
                    self.out_bit = 0;
                }
            }
            // Reading: each falling edge drives the next bit, MSB first.
            Some(a) if falling => {
                self.miso = (self.out_byte >> (7 - self.out_bit)) & 1 == 1;
                self.out_bit += 1;
                if self.out_bit == 8 {
                    self.out_bit = 0;
                    self.addr = Some(a + 1);
                    self.out_byte = self.byte(a + 1);
                }
            }
            _ => {}
        }
        self.miso
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The booter alone: what it hands the loader (`None` for a load start, then the words), and
    /// the clocks it took.
    fn boot(flash: &mut SpiFlashModel, max_clocks: u64) -> (Vec<Option<u32>>, u64) {
        let mut uut = FlashBoot::new(0x10_0000).unwrap();
        uut.clock.connect();
        uut.flash_miso.connect();
        uut.connect_all();
        let mut got = Vec::new();
        let mut miso = true;
        for c in 0..max_clocks {
            uut.flash_miso.next = miso;
            uut.clock.next = false.into();
            assert!(simulate(&mut uut, 100));
            if uut.load_start.val() {
                got.push(None);
            }
            if uut.word_valid.val() {
                got.push(Some(uut.word.val().index() as u32));
            }
            uut.clock.next = true.into();
            assert!(simulate(&mut uut, 100));
            miso = flash.step(uut.flash_csn.val(), uut.flash_sck.val(), uut.flash_mosi.val());
            if !uut.booting.val() {
                return (got, c);
            }
        }
        panic!("still booting after {max_clocks} clocks");
    }

    #[test]
    fn reads_the_image_into_load_data_and_stops_after_its_crc() {
        let img: Vec<u32> = {
            let mut w = vec![regmap::IMAGE_MAGIC, 2, 2, 0x1234, 9, 0x1000_0002, 7, 8, 0xDEAD_BEEF];
            let crc = crc32fast::hash(&w.iter().flat_map(|x| x.to_le_bytes()).collect::<Vec<u8>>());
            w.push(crc);
            w
        };
        let bytes: Vec<u8> = img.iter().flat_map(|x| x.to_le_bytes()).chain([1, 2, 3, 4]).collect();
        let mut flash = SpiFlashModel::with_image(0x10_0000, &bytes);
        let (got, clocks) = boot(&mut flash, 10_000);
        let mut want = vec![None];
        want.extend(img.iter().map(|&w| Some(w)));
        assert_eq!(got, want, "N + 1 = 10 words, not the bytes after them");
        assert_eq!(flash.reads, 1);
        assert!(clocks < WAKE_CLOCKS + 100 + 10 * CLOCKS_PER_WORD, "{clocks}");
    }

    /// A whole placed image through the booter: exactly its words, in order.
    #[test]
    fn a_placed_image_arrives_word_for_word() {
        let model = golden::testing::half_sparse_model(4, &[48, 24, 10], 9);
        let img = host::Image::build(&model, 2, regmap::MemSizes::SPRAM).unwrap();
        let mut flash = SpiFlashModel::with_image(0x10_0000, &img.to_file());
        let words = img.load_words();
        let (got, _) = boot(&mut flash, 100 * words.len() as u64 + 10_000);
        assert_eq!(got[0], None);
        let got: Vec<u32> = got[1..].iter().map(|w| w.unwrap()).collect();
        assert_eq!(got.len(), words.len());
        for (i, (a, b)) in got.iter().zip(&words).enumerate() {
            assert_eq!(a, b, "word {i}");
        }
    }

    #[test]
    fn an_erased_flash_gives_one_word() {
        let mut flash = SpiFlashModel::new(Vec::new());
        let (got, _) = boot(&mut flash, 10_000);
        assert_eq!(got, vec![None, Some(u32::MAX)]);
    }
}
