//! The smallest `typst::World` that compiles one report: the template as the
//! main source, the data and photos as in-memory files, bundled fonts only.
//! Nothing is read from disk or the network.

use std::collections::HashMap;

use typst::{
    Library, World,
    diag::{FileError, FileResult},
    foundations::{Bytes, Datetime, Duration},
    syntax::{FileId, Source, VirtualRoot},
    text::{Font, FontBook},
    utils::LazyHash,
};

/// What every render shares, built once.
pub(crate) struct Shared {
    pub(crate) library: LazyHash<Library>,
    pub(crate) book: LazyHash<FontBook>,
    pub(crate) fonts: Vec<Font>,
    /// The parsed template.
    pub(crate) main: Source,
}

/// One compilation's world: the shared parts and this report's files.
pub(crate) struct ReportWorld<'a> {
    shared: &'a Shared,
    /// Files by their path from the project root, without the leading slash.
    files: HashMap<String, Bytes>,
    /// What `datetime.today()` answers: the report's own date, so that the
    /// output depends on the report only.
    today: Option<Datetime>,
}

impl<'a> ReportWorld<'a> {
    pub(crate) fn new(
        shared: &'a Shared,
        files: impl IntoIterator<Item = (String, Bytes)>,
        today: Option<Datetime>,
    ) -> Self {
        let files = files
            .into_iter()
            .map(|(path, bytes)| (path.trim_start_matches('/').to_owned(), bytes))
            .collect();
        Self {
            shared,
            files,
            today,
        }
    }
}

impl World for ReportWorld<'_> {
    fn library(&self) -> &LazyHash<Library> {
        &self.shared.library
    }

    fn book(&self) -> &LazyHash<FontBook> {
        &self.shared.book
    }

    fn main(&self) -> FileId {
        self.shared.main.id()
    }

    fn source(&self, id: FileId) -> FileResult<Source> {
        if id == self.shared.main.id() {
            Ok(self.shared.main.clone())
        } else {
            Err(FileError::NotSource)
        }
    }

    fn file(&self, id: FileId) -> FileResult<Bytes> {
        let path = id.vpath().get_without_slash();
        match self.files.get(path) {
            Some(bytes) if *id.root() == VirtualRoot::Project => Ok(bytes.clone()),
            _ => Err(FileError::NotFound(path.into())),
        }
    }

    fn font(&self, index: usize) -> Option<Font> {
        self.shared.fonts.get(index).cloned()
    }

    fn today(&self, _offset: Option<Duration>) -> Option<Datetime> {
        self.today
    }
}
