//! Finding and loading the CJK fonts a certificate is set in.
//!
//! The fonts are read once into memory and shared: a [`Fonts`] value is cheap to clone, and
//! [`Fonts::discover`] hands out the same loaded fonts again when it resolves to the same files,
//! so loading (about 50 MB of Noto CJK collections) happens once per process.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use skrifa::raw::FileRef;
use skrifa::string::StringId;
use skrifa::{FontRef, MetadataProvider};

use crate::DocumentError;

/// The environment variable naming a folder to take the CJK fonts from, before the system paths.
pub const FONT_DIR_ENV: &str = "GONGJIANG_FONT_DIR";

/// Where Debian's `fonts-noto-cjk` package installs the Noto Serif/Sans CJK collections.
pub const DEBIAN_NOTO_CJK_DIR: &str = "/usr/share/fonts/opentype/noto";

/// Text every usable face must be able to set: a font that lacks it is not a CJK font.
const CJK_PROBE: &str = "职业技能等级证书";

/// The regular and bold faces a certificate is set in.
#[derive(Clone)]
pub struct Fonts {
    pub(crate) regular: Face,
    pub(crate) bold: Face,
}

impl std::fmt::Debug for Fonts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fonts").field("regular", &self.regular).field("bold", &self.bold).finish()
    }
}

impl Fonts {
    /// Finds a CJK font: first in the folder `GONGJIANG_FONT_DIR` names (when set, it must hold
    /// one), then in Debian's `fonts-noto-cjk` folder. Serif is preferred, sans accepted.
    pub fn discover() -> Result<Fonts, DocumentError> {
        match std::env::var_os(FONT_DIR_ENV) {
            Some(dir) if !dir.is_empty() => Fonts::from_dir(Path::new(&dir)),
            _ => Fonts::from_dir(Path::new(DEBIAN_NOTO_CJK_DIR)),
        }
    }

    /// Loads the best CJK font in one folder (see [`Fonts::discover`] for the order of choice).
    /// Files that hold no face able to set Chinese text are passed over.
    pub fn from_dir(dir: &Path) -> Result<Fonts, DocumentError> {
        let cache = LOADED.get_or_init(Default::default);
        for choice in candidates(dir) {
            let key = (choice.regular.clone(), choice.bold.clone());
            if let Some(fonts) = cache.lock().ok().and_then(|map| map.get(&key).cloned()) {
                return Ok(fonts);
            }
            let Some(regular) = Face::load(&choice.regular)? else { continue };
            let bold = match &choice.bold {
                Some(path) => Face::load(path)?.unwrap_or_else(|| regular.clone()),
                None => regular.clone(),
            };
            let fonts = Fonts { regular, bold };
            // Another thread may have loaded the same files meanwhile: the first one stored wins,
            // so every caller shares one copy.
            return Ok(match cache.lock() {
                Ok(mut map) => map.entry(key).or_insert(fonts).clone(),
                Err(_) => fonts,
            });
        }
        Err(DocumentError::FontNotFound { searched: dir.display().to_string() })
    }

    /// The family name of the regular face, e.g. "Noto Serif CJK SC".
    pub fn family(&self) -> &str {
        &self.regular.family
    }
}

type CacheKey = (PathBuf, Option<PathBuf>);
static LOADED: OnceLock<Mutex<HashMap<CacheKey, Fonts>>> = OnceLock::new();

/// One face of a font file (for a collection, the Simplified Chinese member).
#[derive(Clone)]
pub(crate) struct Face {
    pub(crate) font: krilla::text::Font,
    data: Arc<Vec<u8>>,
    index: u32,
    pub(crate) family: String,
    path: PathBuf,
}

impl std::fmt::Debug for Face {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}#{})", self.family, self.path.display(), self.index)
    }
}

impl Face {
    /// The face of a file that sets Chinese text, `None` when the file holds none.
    fn load(path: &Path) -> Result<Option<Face>, DocumentError> {
        let unreadable = |reason: String| DocumentError::FontUnreadable { path: path.display().to_string(), reason };
        let data = Arc::new(std::fs::read(path).map_err(|e| unreadable(e.to_string()))?);
        let Some((index, family)) = pick_face(&data) else { return Ok(None) };
        let font = krilla::text::Font::new(data.clone().into(), index)
            .ok_or_else(|| unreadable("the PDF writer cannot use this face".to_string()))?;
        Ok(Some(Face { font, data, index, family, path: path.to_path_buf() }))
    }

    /// The face as the font parser sees it; it parsed when the face was loaded.
    pub(crate) fn font_ref(&self) -> Result<FontRef<'_>, DocumentError> {
        FontRef::from_index(&self.data, self.index)
            .map_err(|e| DocumentError::FontUnreadable { path: self.path.display().to_string(), reason: e.to_string() })
    }
}

/// In a collection (the Noto CJK `.ttc` files hold JP, KR, SC, TC and HK members), the
/// Simplified Chinese member; otherwise the first member that sets Chinese text.
fn pick_face(data: &[u8]) -> Option<(u32, String)> {
    let file = FileRef::new(data).ok()?;
    let faces: Vec<(u32, String)> = file
        .fonts()
        .enumerate()
        .filter_map(|(i, font)| {
            let font = font.ok()?;
            let charmap = font.charmap();
            if !CJK_PROBE.chars().all(|c| charmap.map(c).is_some()) {
                return None;
            }
            let family = font
                .localized_strings(StringId::FAMILY_NAME)
                .english_or_first()
                .map(|s| s.to_string())
                .unwrap_or_default();
            Some((i as u32, family))
        })
        .collect();
    let simplified = faces.iter().find(|(_, family)| family.ends_with(" SC"));
    simplified.or(faces.first()).cloned()
}

struct FileChoice {
    regular: PathBuf,
    bold: Option<PathBuf>,
}

/// The font files of a folder as (regular, bold) pairs, best first by file name: Noto Serif CJK,
/// then other serif (宋体) fonts, then Noto Sans CJK, then the rest. The regular weight is the
/// file whose name says "Regular" or names no weight; its bold is the same name with "Bold".
fn candidates(dir: &Path) -> Vec<FileChoice> {
    let Ok(entries) = std::fs::read_dir(dir) else { return Vec::new() };
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| {
            let ext = p.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
            matches!(ext.as_deref(), Some("ttc" | "otf" | "ttf"))
        })
        .collect();
    files.sort();
    let mut regulars: Vec<&PathBuf> = files.iter().filter(|p| weight_of(p) == Weight::Regular).collect();
    regulars.sort_by_key(|p| family_rank(p));
    regulars
        .into_iter()
        .map(|regular| {
            let family_key = file_name(regular).replace("regular", "");
            let bold = files
                .iter()
                .find(|p| weight_of(p) == Weight::Bold && file_name(p).replace("bold", "") == family_key)
                .cloned();
            FileChoice { regular: regular.clone(), bold }
        })
        .collect()
}

fn file_name(path: &Path) -> String {
    path.file_name().and_then(|n| n.to_str()).unwrap_or_default().to_ascii_lowercase()
}

fn family_rank(path: &Path) -> u8 {
    let name = file_name(path);
    let serif = name.contains("serif") || name.contains("song") || name.contains("sun");
    let noto_cjk = name.contains("noto") && (name.contains("cjk") || name.contains("sc"));
    match (serif, noto_cjk) {
        (true, true) => 0,
        (true, false) => 1,
        (false, true) => 2,
        (false, false) => 3,
    }
}

#[derive(Debug, PartialEq, Eq)]
enum Weight {
    Regular,
    Bold,
    Other,
}

fn weight_of(path: &Path) -> Weight {
    let name = file_name(path);
    if name.contains("semibold") || name.contains("extrabold") {
        Weight::Other
    } else if name.contains("bold") {
        Weight::Bold
    } else if name.contains("regular") {
        Weight::Regular
    } else if ["light", "medium", "black", "thin", "heavy", "extralight"].iter().any(|w| name.contains(w)) {
        Weight::Other
    } else {
        Weight::Regular
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn touch(dir: &Path, names: &[&str]) {
        for name in names {
            std::fs::write(dir.join(name), b"").unwrap();
        }
    }

    #[test]
    fn serif_is_preferred_to_sans_and_bold_is_paired_with_its_regular() {
        let dir = tempfile::tempdir().unwrap();
        touch(
            dir.path(),
            &[
                "NotoSansCJK-Regular.ttc",
                "NotoSansCJK-Bold.ttc",
                "NotoSerifCJK-Regular.ttc",
                "NotoSerifCJK-Bold.ttc",
                "NotoSerifCJK-Light.ttc",
                "README.txt",
            ],
        );
        let found = candidates(dir.path());
        let names: Vec<String> = found.iter().map(|c| file_name(&c.regular)).collect();
        assert_eq!(names, ["notoserifcjk-regular.ttc", "notosanscjk-regular.ttc"]);
        assert_eq!(found[0].bold.as_deref().map(file_name).as_deref(), Some("notoserifcjk-bold.ttc"));
        assert_eq!(found[1].bold.as_deref().map(file_name).as_deref(), Some("notosanscjk-bold.ttc"));
    }

    #[test]
    fn sans_alone_is_accepted_and_a_missing_bold_is_none() {
        let dir = tempfile::tempdir().unwrap();
        touch(dir.path(), &["NotoSansCJK-Regular.ttc", "DejaVuSans.ttf"]);
        let found = candidates(dir.path());
        assert_eq!(file_name(&found[0].regular), "notosanscjk-regular.ttc");
        assert!(found[0].bold.is_none());
    }

    #[test]
    fn fonts_are_loaded_once_and_shared() {
        let dir = Path::new(DEBIAN_NOTO_CJK_DIR);
        let (Ok(first), Ok(again)) = (Fonts::from_dir(dir), Fonts::from_dir(dir)) else {
            panic!("apt-get install fonts-noto-cjk");
        };
        assert!(Arc::ptr_eq(&first.regular.data, &again.regular.data));
        assert!(Arc::ptr_eq(&first.bold.data, &again.bold.data));
        assert!(!Arc::ptr_eq(&first.regular.data, &first.bold.data), "the bold face is its own file");
    }

    #[test]
    fn a_folder_without_cjk_fonts_names_the_package_to_install() {
        let dir = tempfile::tempdir().unwrap();
        // Not a font at all: passed over like a font without Chinese characters.
        touch(dir.path(), &["DejaVuSans.ttf"]);
        let err = Fonts::from_dir(dir.path()).unwrap_err().to_string();
        assert!(err.contains("fonts-noto-cjk"), "{err}");
        assert!(err.contains("找不到中文字体"), "{err}");
        assert!(err.contains(&dir.path().display().to_string()), "{err}");
    }
}
