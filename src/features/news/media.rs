//! Images uploaded for articles: the type is read from the bytes (PNG, JPEG or WebP; never what
//! the browser claims, never SVG), the size is limited, the dimensions are read so that pages
//! reserve the image's place, and the file is stored under a name made of its SHA-256, served
//! with a year-long cache.

use axum::body::Body;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use sha2::{Digest, Sha256};

use crate::error::AppError;
use crate::state::AppState;
use crate::ui::notice::Done;

/// Largest image accepted.
pub const MAX_IMAGE_BYTES: usize = 2 * 1024 * 1024;
/// Largest width or height accepted, in pixels.
pub const MAX_SIDE: usize = 8000;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ImageKind {
    Png,
    Jpeg,
    Webp,
}

impl ImageKind {
    /// The type the bytes say, whatever the file's name or declared type.
    pub fn sniff(bytes: &[u8]) -> Option<ImageKind> {
        if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            Some(ImageKind::Png)
        } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            Some(ImageKind::Jpeg)
        } else if bytes.len() >= 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
            Some(ImageKind::Webp)
        } else {
            None
        }
    }

    /// Whether the file ends as its format says it must: a PNG with its `IEND` chunk, a JPEG
    /// with its end-of-image marker (trailing padding allowed), a WebP whose RIFF size is the
    /// file's. An upload cut short fails here.
    pub fn is_complete(self, bytes: &[u8]) -> bool {
        match self {
            ImageKind::Png => {
                bytes.ends_with(&[0, 0, 0, 0, b'I', b'E', b'N', b'D', 0xAE, 0x42, 0x60, 0x82])
            }
            ImageKind::Jpeg => {
                let tail = &bytes[bytes.len().saturating_sub(64)..];
                tail.windows(2).any(|pair| pair == [0xFF, 0xD9])
            }
            ImageKind::Webp => {
                let declared =
                    u32::from_le_bytes([bytes[4], bytes[5], bytes[6], bytes[7]]) as usize;
                declared + 8 == bytes.len() || declared + 9 == bytes.len()
            }
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            ImageKind::Png => "image/png",
            ImageKind::Jpeg => "image/jpeg",
            ImageKind::Webp => "image/webp",
        }
    }

    fn extension(self) -> &'static str {
        match self {
            ImageKind::Png => "png",
            ImageKind::Jpeg => "jpg",
            ImageKind::Webp => "webp",
        }
    }
}

/// An image checked and named, ready to be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Stored {
    pub name: String,
    pub kind: ImageKind,
    pub bytes: i64,
    pub width: i64,
    pub height: i64,
}

/// Checks uploaded bytes: an error message for the form, or the image's name and facts.
pub fn check(bytes: &[u8]) -> Result<Stored, &'static str> {
    if bytes.is_empty() {
        return Err("Choisissez une image.");
    }
    if bytes.len() > MAX_IMAGE_BYTES {
        return Err("L'image ne doit pas dépasser 2 Mo.");
    }
    let kind =
        ImageKind::sniff(bytes).ok_or("Ce fichier n'est pas une image PNG, JPEG ou WebP.")?;
    let size =
        imagesize::blob_size(bytes).map_err(|_| "Cette image est illisible ou incomplète.")?;
    if size.width == 0 || size.height == 0 || !kind.is_complete(bytes) {
        return Err("Cette image est illisible ou incomplète.");
    }
    if size.width > MAX_SIDE || size.height > MAX_SIDE {
        return Err("L'image ne doit pas dépasser 8 000 pixels de côté.");
    }
    let digest = Sha256::digest(bytes);
    let hex: String = digest[..16].iter().map(|b| format!("{b:02x}")).collect();
    Ok(Stored {
        name: format!("{hex}.{}", kind.extension()),
        kind,
        bytes: bytes.len() as i64,
        width: size.width as i64,
        height: size.height as i64,
    })
}

/// `{32 hex digits}.{png|jpg|webp}`: the only names ever stored, so nothing else is looked up.
pub fn is_media_name(name: &str) -> bool {
    let Some((hash, extension)) = name.split_once('.') else {
        return false;
    };
    hash.len() == 32
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
        && ["png", "jpg", "webp"].contains(&extension)
}

/// What the upload form sent.
struct Upload {
    bytes: Vec<u8>,
    alt: String,
    too_big: bool,
}

async fn read_upload(mut multipart: Multipart) -> Result<Upload, AppError> {
    let mut upload = Upload {
        bytes: Vec::new(),
        alt: String::new(),
        too_big: false,
    };
    let malformed = || AppError::form("Le formulaire envoyé est incomplet ou mal formé.");
    while let Some(mut field) = multipart.next_field().await.map_err(|_| malformed())? {
        match field.name() {
            Some("image") => {
                while let Some(chunk) = field.chunk().await.map_err(|_| malformed())? {
                    if upload.bytes.len() + chunk.len() > MAX_IMAGE_BYTES {
                        upload.too_big = true;
                        upload.bytes.clear();
                    } else if !upload.too_big {
                        upload.bytes.extend_from_slice(&chunk);
                    }
                }
            }
            Some("alt") => {
                upload.alt = field.text().await.map_err(|_| malformed())?;
            }
            _ => {}
        }
    }
    Ok(upload)
}

/// Checks the image and its text alternative, stores it and puts it on article `id`.
async fn attach(
    state: &AppState,
    id: i64,
    user: &crate::features::accounts::CurrentUser,
    upload: Upload,
) -> Result<Done, AppError> {
    let alt = upload.alt.split_whitespace().collect::<Vec<_>>().join(" ");
    let mut errors = crate::error::FieldErrors::default();
    let stored = if upload.too_big {
        errors.add("image", "L'image ne doit pas dépasser 2 Mo.");
        None
    } else {
        errors.check("image", check(&upload.bytes))
    };
    if alt.is_empty() {
        errors.add(
            "alt",
            "Décrivez l'image en quelques mots pour qui ne la voit pas.",
        );
    } else if alt.chars().count() > 250 {
        errors.add("alt", "La description ne doit pas dépasser 250 caractères.");
    }
    let stored = errors.finish(stored)?.ok_or(AppError::Internal)?;
    // An unknown article is found by `set_image` below; the file, named by its bytes, may stay.
    write_file(&state.config.media_dir, &stored.name, &upload.bytes).await?;
    let media = super::db::insert_media(&state.db, &stored, user.id).await?;
    if !super::db::set_image(&state.db, id, Some((media, &alt))).await? {
        return Err(AppError::NotFound);
    }
    Ok(Done::notice(
        &format!("/redaction/articles/{id}"),
        "image-enregistree",
        super::NOTICES,
    ))
}

/// Writes the file once (a name is its content), through a temporary file, so that a reader
/// never sees half an image.
async fn write_file(folder: &std::path::Path, name: &str, bytes: &[u8]) -> Result<(), AppError> {
    let path = folder.join(name);
    if tokio::fs::try_exists(&path).await.unwrap_or(false) {
        return Ok(());
    }
    let failed = |error: std::io::Error| {
        tracing::error!(%error, folder = %folder.display(), "cannot store an image");
        AppError::Internal
    };
    tokio::fs::create_dir_all(folder).await.map_err(failed)?;
    let temporary = folder.join(format!(".{name}.{}", std::process::id()));
    tokio::fs::write(&temporary, bytes).await.map_err(failed)?;
    tokio::fs::rename(&temporary, &path).await.map_err(failed)
}

/// `POST /redaction/articles/{id}/image` (multipart): the image form of the article editor,
/// with or without JavaScript.
pub async fn upload_article_image(
    State(state): State<AppState>,
    Path(id): Path<i64>,
    request: Request<Body>,
) -> Response {
    let (parts, body) = request.into_parts();
    let page = format!("/redaction/articles/{id}");
    let multipart = Multipart::from_request(Request::from_parts(parts.clone(), body), &state).await;
    let result = match multipart {
        Ok(multipart) => {
            let context_state = state.clone();
            crate::web::forms::in_request_context(&state, &parts, async move {
                use crate::features::accounts::policy::{Action, require};
                let user = require(Action::EditContent)?;
                let upload = read_upload(multipart).await?;
                attach(&context_state, id, &user, upload).await
            })
            .await
        }
        Err(_) => Err(AppError::form(
            "Le formulaire envoyé est incomplet ou mal formé.",
        )),
    };
    crate::web::forms::answer(&state, &parts, &page, Vec::new(), result).await
}

/// `GET /medias/{name}`: an uploaded image, cached for a year (its name changes with its bytes).
pub async fn serve(State(state): State<AppState>, Path(name): Path<String>) -> Response {
    if !is_media_name(&name) {
        return AppError::NotFound.into_response();
    }
    let content_type = match super::db::media_type(&state.db, &name).await {
        Ok(Some(content_type)) => content_type,
        Ok(None) => return AppError::NotFound.into_response(),
        Err(error) => return AppError::from(error).into_response(),
    };
    match tokio::fs::read(state.config.media_dir.join(&name)).await {
        Ok(bytes) => (
            StatusCode::OK,
            [
                (header::CONTENT_TYPE, content_type),
                (
                    header::CACHE_CONTROL,
                    "public, max-age=31536000, immutable".to_owned(),
                ),
                (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            ],
            bytes,
        )
            .into_response(),
        Err(error) => {
            tracing::error!(%error, %name, "an uploaded image is missing from the media folder");
            AppError::NotFound.into_response()
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A 1×1 PNG.
    pub const PNG: &[u8] = &[
        0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x48, 0x44,
        0x52, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x01, 0x08, 0x06, 0x00, 0x00, 0x00, 0x1F,
        0x15, 0xC4, 0x89, 0x00, 0x00, 0x00, 0x0D, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9C, 0x63, 0xF8,
        0xCF, 0xC0, 0xF0, 0x1F, 0x00, 0x05, 0x00, 0x01, 0xFF, 0x89, 0x99, 0x3D, 0x1D, 0x00, 0x00,
        0x00, 0x00, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82,
    ];

    #[test]
    fn the_type_comes_from_the_bytes() {
        let stored = check(PNG).unwrap();
        assert_eq!(stored.kind, ImageKind::Png);
        assert_eq!((stored.width, stored.height), (1, 1));
        assert!(is_media_name(&stored.name), "{}", stored.name);
        assert!(stored.name.ends_with(".png"));
        for bad in [
            &b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"[..],
            b"GIF89a\x01\x00\x01\x00",
            b"%PDF-1.7",
            b"<html><script>alert(1)</script>",
            b"",
        ] {
            assert!(check(bad).is_err(), "{bad:?}");
        }
        // A PNG signature over nothing is no image.
        assert!(check(&PNG[..12]).is_err());
        assert!(check(&vec![0xFF; MAX_IMAGE_BYTES + 1]).is_err());
    }

    #[test]
    fn only_stored_names_are_looked_up() {
        assert!(is_media_name("0123456789abcdef0123456789abcdef.webp"));
        for bad in [
            "../etc/passwd",
            "0123456789abcdef0123456789abcdef.svg",
            "0123456789ABCDEF0123456789abcdef.png",
            "0123456789abcdef0123456789abcde.png",
            "0123456789abcdef0123456789abcdef.png.html",
            "",
        ] {
            assert!(!is_media_name(bad), "{bad}");
        }
    }
}
