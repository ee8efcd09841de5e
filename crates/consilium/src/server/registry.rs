//! The open connections, so that no client — or a crowd of idle sockets
//! from one address — can take them all. Each connection is known with its
//! address, when it came, and whether a request is in progress on it. A new
//! connection over a limit (per address, or in all) closes the oldest
//! *idle* one under that limit: a socket that sent half a header, or a
//! keep-alive waiting for nothing. Requests in progress are never cut; when
//! every connection is busy, the newcomer is turned away.

use std::{
    collections::{BTreeMap, HashMap},
    net::IpAddr,
    sync::{
        Arc, Mutex,
        atomic::{AtomicUsize, Ordering},
    },
};

use tokio::sync::Notify;

/// How many connections may be open.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConnectionLimits {
    /// In all.
    pub total: usize,
    /// From one client address (0: no limit, as behind a reverse proxy
    /// whose address every connection shares).
    pub per_address: usize,
}

/// One open connection, as its task sees it.
#[derive(Debug)]
pub struct Connection {
    id: u64,
    /// Requests in progress (a response body still being sent counts).
    pub busy: Arc<AtomicUsize>,
    /// Notified when the registry closes this connection for a newcomer.
    pub evicted: Arc<Notify>,
}

#[derive(Debug)]
struct Entry {
    address: IpAddr,
    busy: Arc<AtomicUsize>,
    evicted: Arc<Notify>,
}

#[derive(Debug, Default)]
struct Open {
    next_id: u64,
    /// By id, which is also the order of arrival.
    entries: BTreeMap<u64, Entry>,
    per_address: HashMap<IpAddr, usize>,
}

/// The registry, shared by the accept loop and every connection task.
#[derive(Debug, Clone)]
pub struct Registry {
    limits: ConnectionLimits,
    open: Arc<Mutex<Open>>,
}

impl Registry {
    /// An empty registry.
    pub fn new(limits: ConnectionLimits) -> Self {
        Self {
            limits,
            open: Arc::default(),
        }
    }

    /// Admits a connection from `address`, closing the oldest idle one
    /// first if a limit is reached; `None` when there is none to close.
    pub fn admit(&self, address: IpAddr) -> Option<Connection> {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        let from_here = open.per_address.get(&address).copied().unwrap_or(0);
        if self.limits.per_address > 0 && from_here >= self.limits.per_address {
            open.evict_oldest_idle(Some(address))?;
        }
        if open.entries.len() >= self.limits.total {
            open.evict_oldest_idle(None)?;
        }
        let id = open.next_id;
        open.next_id += 1;
        let (busy, evicted) = (Arc::new(AtomicUsize::new(0)), Arc::new(Notify::new()));
        open.entries.insert(
            id,
            Entry {
                address,
                busy: busy.clone(),
                evicted: evicted.clone(),
            },
        );
        *open.per_address.entry(address).or_default() += 1;
        Some(Connection { id, busy, evicted })
    }

    /// Forgets a connection that ended (or was evicted).
    pub fn release(&self, connection: &Connection) {
        let mut open = self.open.lock().unwrap_or_else(|e| e.into_inner());
        open.remove(connection.id);
    }

    /// How many connections are open.
    pub fn len(&self) -> usize {
        self.open
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .entries
            .len()
    }

    /// True when no connection is open.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Open {
    fn remove(&mut self, id: u64) -> Option<Entry> {
        let entry = self.entries.remove(&id)?;
        if let Some(count) = self.per_address.get_mut(&entry.address) {
            *count -= 1;
            if *count == 0 {
                self.per_address.remove(&entry.address);
            }
        }
        Some(entry)
    }

    /// Closes the oldest connection with no request in progress (from
    /// `address` only, if given).
    fn evict_oldest_idle(&mut self, address: Option<IpAddr>) -> Option<()> {
        let id = self
            .entries
            .iter()
            .find(|(_, e)| {
                address.is_none_or(|a| e.address == a) && e.busy.load(Ordering::Acquire) == 0
            })
            .map(|(id, _)| *id)?;
        let entry = self.remove(id)?;
        entry.evicted.notify_one();
        Some(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(last: u8) -> IpAddr {
        IpAddr::from([10, 0, 0, last])
    }

    #[test]
    fn one_address_cannot_take_every_connection() {
        let registry = Registry::new(ConnectionLimits {
            total: 10,
            per_address: 3,
        });
        let first: Vec<_> = (0..3).map(|_| registry.admit(ip(1)).unwrap()).collect();
        // A fourth from the same address closes the oldest idle one.
        let fourth = registry.admit(ip(1)).unwrap();
        assert_eq!(registry.len(), 3);
        let evicted = first[0].evicted.notified();
        tokio_test_block_on(evicted);
        // Busy connections are never closed: with all three busy, a newcomer waits outside.
        for c in [&first[1], &first[2], &fourth] {
            c.busy.fetch_add(1, Ordering::AcqRel);
        }
        assert!(registry.admit(ip(1)).is_none());
        // Other addresses are not affected.
        assert!(registry.admit(ip(2)).is_some());
        registry.release(&fourth);
        assert_eq!(registry.len(), 3);
    }

    #[test]
    fn the_total_limit_closes_the_oldest_idle_anywhere() {
        let registry = Registry::new(ConnectionLimits {
            total: 2,
            per_address: 0,
        });
        let a = registry.admit(ip(1)).unwrap();
        let b = registry.admit(ip(2)).unwrap();
        a.busy.fetch_add(1, Ordering::AcqRel);
        let _c = registry.admit(ip(3)).unwrap();
        tokio_test_block_on(b.evicted.notified());
        assert_eq!(registry.len(), 2);
    }

    /// `notified()` completes at once when a permit was stored.
    fn tokio_test_block_on(future: impl std::future::Future<Output = ()>) {
        tokio::runtime::Builder::new_current_thread()
            .enable_time()
            .build()
            .unwrap()
            .block_on(async {
                tokio::time::timeout(std::time::Duration::from_secs(1), future)
                    .await
                    .expect("the connection was told to close");
            });
    }
}
