//! Memory for decoding, shared by every upload of a process. A photo that
//! must be decoded whole (a JPEG to turn upright, an interlaced PNG) needs
//! its pixels in memory, a few hundred MB for the largest accepted; eight
//! at once would multiply that. Each ingest first reserves its estimated
//! working memory from one budget, so concurrent uploads queue instead.

use std::{io::Cursor, sync::Arc};

use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use super::{Kind, Limits, strip, thumbnail};

const MIB: u64 = 1024 * 1024;

/// The memory image decoding may use at once.
#[derive(Debug, Clone)]
pub struct DecodeBudget {
    permits: Arc<Semaphore>,
    total_mib: u32,
}

impl DecodeBudget {
    /// A budget of `bytes` (at least 16 MB).
    pub fn new(bytes: u64) -> Self {
        let total_mib = u32::try_from((bytes / MIB).max(16)).unwrap_or(u32::MAX);
        Self {
            permits: Arc::new(Semaphore::new(total_mib as usize)),
            total_mib,
        }
    }

    /// 512 MB, or a quarter of this machine's memory if that is less.
    pub fn from_system_memory() -> Self {
        let quarter = std::fs::read_to_string("/proc/meminfo")
            .ok()
            .and_then(|info| {
                let line = info.lines().find(|l| l.starts_with("MemTotal:"))?;
                line.split_whitespace().nth(1)?.parse::<u64>().ok()
            })
            .map_or(u64::MAX, |kib| kib * 1024 / 4);
        Self::new(quarter.min(512 * MIB))
    }

    /// The whole budget, in bytes.
    pub fn total(&self) -> u64 {
        u64::from(self.total_mib) * MIB
    }

    /// Waits until `bytes` of the budget are free and holds them until the
    /// permit is dropped. More than the whole budget waits for all of it.
    pub async fn reserve(&self, bytes: u64) -> Option<OwnedSemaphorePermit> {
        let mib = u32::try_from(bytes.div_ceil(MIB))
            .unwrap_or(u32::MAX)
            .clamp(1, self.total_mib);
        Arc::clone(&self.permits).acquire_many_owned(mib).await.ok()
    }
}

/// The memory an ingest of `bytes` will need at its peak, from its header
/// alone: the copies of the file, plus the pixels it must hold decoded.
pub fn working_memory(bytes: &[u8], kind: Kind, limits: Limits) -> u64 {
    let copies = 4 * bytes.len() as u64;
    let Some((width, height)) = header_dimensions(bytes, kind) else {
        return copies + if kind == Kind::Pdf { 32 * MIB } else { 0 };
    };
    let pixels = u64::from(width) * u64::from(height);
    if pixels > limits.max_pixels {
        return copies; // refused from the header, never decoded
    }
    let decoded = match kind {
        Kind::Pdf => 32 * MIB,
        Kind::Jpeg if strip::needs_rotation(bytes) => pixels * 3 * 2,
        Kind::Jpeg => thumbnail::scaled_jpeg_pixels(width, height) * 3,
        Kind::Png if thumbnail::png_streams(bytes) => thumbnail::png_stream_pixels() * 3,
        // Decoded whole, up to 16 bits and four channels, then to RGB.
        Kind::Png => pixels * (8 + 3),
    };
    copies + decoded
}

fn header_dimensions(bytes: &[u8], kind: Kind) -> Option<(u32, u32)> {
    let format = match kind {
        Kind::Jpeg => image::ImageFormat::Jpeg,
        Kind::Png => image::ImageFormat::Png,
        Kind::Pdf => return None,
    };
    image::ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .ok()
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicU64, Ordering};

    use super::*;

    #[tokio::test]
    async fn reservations_over_the_budget_wait_their_turn() {
        let budget = DecodeBudget::new(100 * MIB);
        let (in_use, peak) = (Arc::new(AtomicU64::new(0)), Arc::new(AtomicU64::new(0)));
        let tasks: Vec<_> = (0..8)
            .map(|_| {
                let (budget, in_use, peak) = (budget.clone(), in_use.clone(), peak.clone());
                tokio::spawn(async move {
                    let _held = budget.reserve(40 * MIB).await;
                    let now = in_use.fetch_add(40, Ordering::SeqCst) + 40;
                    peak.fetch_max(now, Ordering::SeqCst);
                    tokio::task::yield_now().await;
                    in_use.fetch_sub(40, Ordering::SeqCst);
                })
            })
            .collect();
        for task in tasks {
            task.await.unwrap();
        }
        assert_eq!(peak.load(Ordering::SeqCst), 80, "two at a time");
        // More than the whole budget still runs, alone.
        assert!(budget.reserve(10_000 * MIB).await.is_some());
    }

    #[test]
    fn whole_decodes_are_estimated_from_the_header() {
        let limits = Limits::default();
        let streamed = crate::testdata::png_header_only(7000, 7000);
        let interlaced = crate::testdata::png_header_only_interlaced(7000, 7000);
        assert!(working_memory(&streamed, Kind::Png, limits) < 16 * MIB);
        assert!(working_memory(&interlaced, Kind::Png, limits) > 500 * MIB);
        let bomb = crate::testdata::png_header_only(20_000, 20_000);
        assert!(
            working_memory(&bomb, Kind::Png, limits) < MIB,
            "refused unread"
        );
    }
}
