//! A case's photos and documents as its page shows them: numbered across
//! the case, captioned with their site and view in the reader's language,
//! flagged when the quality check doubted them, and grouped by when they
//! came (with the request, with reply N).

use consilium_store::expertise::{FileEntry, Message};
use uuid::Uuid;

use crate::Lang;

/// A photo or document as the page lists it.
pub struct FileView {
    /// The upload id (also the Binary id).
    pub id: Uuid,
    /// "Photo 2 · Dos — gros plan".
    pub caption: String,
    /// True for photos (thumbnail and viewer).
    pub photo: bool,
    /// What the quality check said when it was sent, for the expert.
    pub flag: Option<&'static str>,
}

/// The files that came together.
pub struct FileGroup {
    /// "Avec la demande", "Avec la réponse 1 (date)".
    pub title: String,
    /// Its files, in order.
    pub files: Vec<FileView>,
}

/// The files, numbered in order and captioned.
pub fn file_views(lang: Lang, files: &[FileEntry]) -> Vec<FileView> {
    files
        .iter()
        .enumerate()
        .map(|(i, f)| {
            let site = f
                .attachment
                .body_site
                .as_deref()
                .map(str::trim)
                .filter(|s| !s.is_empty());
            let kind = f
                .attachment
                .photo_kind
                .as_deref()
                .map(|k| lang.photo_kind(k));
            let noun = if f.has_thumbnail {
                lang.t("Photo", "Photo")
            } else {
                lang.t("Document", "Document")
            };
            let mut caption = format!("{noun} {}", i + 1);
            match (site, kind) {
                (Some(site), Some(kind)) => caption.push_str(&format!(" · {site} — {kind}")),
                (Some(one), None) | (None, Some(one)) => caption.push_str(&format!(" · {one}")),
                (None, None) => {}
            }
            FileView {
                id: f.attachment.upload_id,
                caption,
                photo: f.has_thumbnail,
                flag: f.hint.as_deref().map(|h| lang.photo_flag(h)),
            }
        })
        .collect()
}

/// The files grouped by the message they came with; the rest came with
/// the request.
pub fn file_groups(lang: Lang, files: Vec<FileView>, messages: &[Message]) -> Vec<FileGroup> {
    let replies: Vec<&Message> = messages
        .iter()
        .filter(|m| !m.upload_ids.is_empty())
        .collect();
    let came_with = |id: &Uuid| replies.iter().position(|m| m.upload_ids.contains(id));
    let mut groups = vec![FileGroup {
        title: lang.t("Avec la demande", "With the request").into(),
        files: Vec::new(),
    }];
    groups.extend(replies.iter().enumerate().map(|(i, m)| FileGroup {
        title: format!(
            "{} {} — {}",
            lang.t("Avec la réponse", "With reply"),
            i + 1,
            lang.datetime(&m.at)
        ),
        files: Vec::new(),
    }));
    for file in files {
        let group = came_with(&file.id).map_or(0, |i| i + 1);
        groups[group].files.push(file);
    }
    groups.retain(|g| !g.files.is_empty());
    groups
}
