//! The decoder of a lane, chosen when the accelerator is built: the pipelined
//! [`EgDecoder`] (one codeword per clock, zero-run skipping) or the bit-serial
//! [`EgSerialDecoder`] (one bit per clock, small and fast-clocked).
//!
//! [`LaneDecoder`] has the decoders' ports ([`DecoderIo`]) and holds `NF` pipelined and `NS`
//! bit-serial decoders, exactly one of them (`NF + NS == 1`, checked in `new`): the arrays let the
//! choice be a type parameter, so the generated Verilog contains only the chosen decoder. Its
//! ports are linked to the chosen decoder's (in the Verilog: wired to its instance's ports).
use super::{DecoderIo, EgDecoder, EgSerialDecoder};
pub use crate::regmap::DecoderKind;
use crate::HdlError;
use rust_hdl::prelude::*;

/// A lane's decoder: `NF` (0 or 1) pipelined and `NS` (1 - NF) bit-serial decoders behind the
/// ports they share.
#[derive(LogicBlock)]
pub struct LaneDecoder<const NF: usize, const NS: usize> {
    /// Clock.
    pub clock: Signal<In, Clock>,
    /// The decoder's ports.
    pub io: DecoderIo,
    pipelined: [EgDecoder; NF],
    serial: [EgSerialDecoder; NS],
}

impl<const NF: usize, const NS: usize> LaneDecoder<NF, NS> {
    /// Checks that `NF + NS` is 1.
    pub fn check() -> Result<(), HdlError> {
        if NF + NS != 1 {
            return Err(HdlError::Decoder(format!(
                "{NF} pipelined + {NS} serial decoders per lane"
            )));
        }
        Ok(())
    }

    /// The decoder; `NF + NS` must be 1.
    pub fn new() -> Result<Self, HdlError> {
        Self::check()?;
        Ok(LaneDecoder {
            clock: Default::default(),
            io: Default::default(),
            pipelined: std::array::from_fn(|_| EgDecoder::new()),
            serial: std::array::from_fn(|_| EgSerialDecoder::new()),
        })
    }

    /// Which decoder this is.
    pub fn kind() -> DecoderKind {
        if NS == 1 {
            DecoderKind::Serial
        } else {
            DecoderKind::Pipelined
        }
    }
}

impl<const NF: usize, const NS: usize> Logic for LaneDecoder<NF, NS> {
    #[hdl_gen]
    fn update(&mut self) {
        for i in 0..NF {
            self.pipelined[i].clock.next = self.clock.val();
            DecoderIo::link(&mut self.io, &mut self.pipelined[i].io);
        }
        for i in 0..NS {
            self.serial[i].clock.next = self.clock.val();
            DecoderIo::link(&mut self.io, &mut self.serial[i].io);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::decoder::bench::{cfg_for, random_indices, run_decoder, words_from_bytes};
    use crate::decoder::DecodeConfig;
    use crate::regmap::ErrorCode;
    use golden::expgolomb;
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    /// Streams and configurations: valid ones (with and without zero runs) and one per error.
    fn cases() -> Vec<(Vec<u32>, DecodeConfig)> {
        let mut rng = ChaCha8Rng::seed_from_u64(21);
        let idx = random_indices(&mut rng, 2 * 13, 0.6, 300);
        let valid = words_from_bytes(&expgolomb::encode(&idx, 0));
        let past = words_from_bytes(&expgolomb::encode(&[3; 40], 0));
        vec![
            (valid.clone(), cfg_for(&valid, 0, true, 2, 13)),
            (
                valid.clone(),
                DecodeConfig {
                    vmap_len: 200,
                    ..cfg_for(&valid, 0, true, 2, 13)
                },
            ),
            (vec![0x0004_0000, 0], cfg_for(&[0, 0], 0, false, 1, 4)),
            (
                past.clone(),
                DecodeConfig {
                    stream_len: 4,
                    ..cfg_for(&past, 0, false, 2, 20)
                },
            ),
        ]
    }

    /// The lane's decoder is the chosen decoder: the same events, error and clocks, with stalls
    /// (every port is forwarded, in both directions, without a register).
    #[test]
    fn forwards_the_chosen_decoder() {
        let mut codes = Vec::new();
        for (words, cfg) in cases() {
            for stall_every in [0u64, 3] {
                let stall = move |c: u64| stall_every != 0 && c % stall_every == 1;
                let pipelined = run_decoder(EgDecoder::new(), &words, &cfg, stall);
                let lane = run_decoder(LaneDecoder::<1, 0>::new().unwrap(), &words, &cfg, stall);
                assert_eq!(lane, pipelined, "pipelined, {cfg:?}, stall every {stall_every}");
                let serial = run_decoder(EgSerialDecoder::new(), &words, &cfg, stall);
                let lane = run_decoder(LaneDecoder::<0, 1>::new().unwrap(), &words, &cfg, stall);
                assert_eq!(lane, serial, "serial, {cfg:?}, stall every {stall_every}");
                codes.push(pipelined.1.map(|f| f.code));
            }
        }
        // The cases reach every output: events, and each error code with its position.
        assert_eq!(
            codes,
            [
                None,
                None,
                Some(ErrorCode::IndexRange),
                Some(ErrorCode::IndexRange),
                Some(ErrorCode::TooLong),
                Some(ErrorCode::TooLong),
                Some(ErrorCode::PastEnd),
                Some(ErrorCode::PastEnd)
            ]
        );
    }

    #[test]
    fn exactly_one_decoder_per_lane() {
        assert!(LaneDecoder::<1, 0>::new().is_ok());
        assert!(LaneDecoder::<0, 1>::new().is_ok());
        assert!(matches!(LaneDecoder::<1, 1>::check(), Err(HdlError::Decoder(_))));
        assert!(matches!(LaneDecoder::<0, 0>::check(), Err(HdlError::Decoder(_))));
        assert_eq!(LaneDecoder::<1, 0>::kind(), DecoderKind::Pipelined);
        assert_eq!(LaneDecoder::<0, 1>::kind(), DecoderKind::Serial);
    }
}
