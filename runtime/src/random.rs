//! The random numbers scripts draw (`Math.random`, and what scripts build on it): mulberry32,
//! a small generator whose whole sequence its seed fixes. Each request's scripts run from a
//! seed: the client's, where one is set (`Client::with_script_seed`), so that what scripts
//! compute is the same every time; else a new one per request, kept while `pm.sendRequest`
//! makes the scripts run again, so that every run draws the numbers the first drew. A script
//! run as written draws from that seed mixed with its own text, afresh each time it runs.

/// A mulberry32 generator, as scripts draw from it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Random(u32);

impl Random {
    /// The generator from `seed`.
    pub(super) fn new(seed: u32) -> Self {
        Self(seed)
    }

    /// A new seed, for a client that was given none.
    pub(super) fn fresh_seed() -> u32 {
        fastrand::u32(..)
    }

    #[cfg(feature = "js")]
    /// The generator a script run as written draws from: `seed` mixed with the script's text
    /// (FNV-1a of its trimmed source), so that each script has numbers of its own.
    pub(super) fn for_script(seed: u32, source: &str) -> Self {
        let hash = source.trim().bytes().fold(0x811c_9dc5_u32, |hash, byte| {
            (hash ^ u32::from(byte)).wrapping_mul(0x0100_0193)
        });
        Self(seed ^ hash)
    }

    /// The next number, in `[0, 1)` as `Math.random` gives one.
    pub(super) fn next(&mut self) -> f64 {
        self.0 = self.0.wrapping_add(0x6D2B_79F5);
        let a = self.0;
        let mut t = (a ^ (a >> 15)).wrapping_mul(1 | a);
        t = t.wrapping_add((t ^ (t >> 7)).wrapping_mul(61 | t)) ^ t;
        f64::from(t ^ (t >> 14)) / 4_294_967_296.0
    }

    #[cfg(feature = "js")]
    /// Where the sequence is, for the script engine's `Math.random` to go on from.
    pub(super) fn state(self) -> u32 {
        self.0
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_seed_fixes_the_sequence_as_mulberry32_draws_it() {
        let mut random = Random::new(42);
        let drawn: Vec<f64> = (0..3).map(|_| random.next()).collect();
        // mulberry32(42) in JavaScript: 0.6011037519201636, 0.44829055899754167, ...
        assert_eq!(drawn[0], 0.601_103_751_920_163_6);
        assert_eq!(drawn[1], 0.448_290_558_997_541_67);
        assert!(drawn.iter().all(|n| (0.0..1.0).contains(n)));
        assert_eq!(Random::new(42).next(), drawn[0]);
        assert_ne!(Random::new(43).next(), drawn[0]);
    }

    #[cfg(feature = "js")]
    #[test]
    fn a_script_s_seed_is_mixed_with_its_text() {
        // FNV-1a of "abc" is 0x1a47e90b.
        assert_eq!(Random::for_script(0, "  abc\n").state(), 0x1a47_e90b);
        assert_eq!(Random::for_script(1, "abc").state(), 0x1a47_e90a);
    }
}
