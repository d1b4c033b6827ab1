//! What a dynamically linked program needs to start inside the sandbox's
//! otherwise empty root: its ELF interpreter and the shared libraries it
//! names, transitively, found where the loader looks when it has no cache
//! (the sandbox has no `/etc/ld.so.cache`), with every symbolic link on the
//! way recreated so the loader's own paths resolve. Nothing under
//! `/usr/local` is ever taken: host-installed tools and their configuration
//! stay out of sight. Only a few KiB of each ELF file are read (headers,
//! interpreter, dynamic section and its string table), and the resolution
//! is kept per distinct set of needs, so it is worked out once per machine
//! and process, not once per run.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fs::File;
use std::io;
use std::os::unix::fs::FileExt;
use std::path::{Component, Path, PathBuf};
use std::sync::{Arc, Mutex, OnceLock};

use goblin::container::{Container, Ctx, Endian};
use goblin::elf::dynamic::{DT_NEEDED, DT_STRSZ, DT_STRTAB, Dyn};
use goblin::elf::program_header::{PT_DYNAMIC, PT_INTERP, PT_LOAD, ProgramHeader};
use goblin::elf::{Elf, header};
use scroll::Pread;

/// Where host tools and site configuration live: never shown to a run.
const NEVER: &str = "/usr/local";

/// Directories the loader searches when it has no cache, after the
/// interpreter's own directory (where a multiarch system keeps libc).
const DEFAULT_LIBRARY_DIRS: &[&str] = &["/lib64", "/usr/lib64", "/lib", "/usr/lib"];

/// Largest ELF region read (program headers, interpreter path, dynamic
/// section, string table): real ones are a few KiB.
const MAX_REGION: u64 = 1 << 20;

/// How many symbolic links one path may pass through, as the kernel allows.
const MAX_LINKS: usize = 40;

/// Host paths to recreate in the sandbox's root.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RuntimeFiles {
    /// Directories to make, parents before children.
    pub dirs: BTreeSet<PathBuf>,
    /// Symbolic links to make: where each is, and its target as written.
    pub links: BTreeMap<PathBuf, PathBuf>,
    /// Regular files to bind read-only at the same path.
    pub files: BTreeSet<PathBuf>,
}

impl RuntimeFiles {
    /// Adds another set (for a run of more than one program).
    fn merge(&mut self, other: &RuntimeFiles) {
        self.dirs.extend(other.dirs.iter().cloned());
        self.links
            .extend(other.links.iter().map(|(k, v)| (k.clone(), v.clone())));
        self.files.extend(other.files.iter().cloned());
    }

    /// Records `path` as the loader will open it: each directory on the
    /// way, each link passed through, and the regular file it ends at.
    pub fn add_path(&mut self, path: &Path) -> io::Result<()> {
        let mut pending: Vec<PathBuf> = vec![path.to_path_buf()];
        let mut real = PathBuf::from("/");
        let mut links = 0;
        while let Some(next) = pending.pop() {
            let mut parts: Vec<Component> = next.components().collect();
            parts.reverse();
            if next.is_absolute() {
                real = PathBuf::from("/");
            }
            while let Some(part) = parts.pop() {
                match part {
                    Component::RootDir | Component::CurDir | Component::Prefix(_) => continue,
                    Component::ParentDir => {
                        real.pop();
                        continue;
                    }
                    Component::Normal(name) => {
                        let here = real.join(name);
                        refuse_never(&here)?;
                        let meta = std::fs::symlink_metadata(&here)?;
                        if meta.file_type().is_symlink() {
                            links += 1;
                            if links > MAX_LINKS {
                                return Err(io::Error::other(format!(
                                    "too many symbolic links resolving {}",
                                    path.display()
                                )));
                            }
                            let target = std::fs::read_link(&here)?;
                            self.links.insert(here, target.clone());
                            // The rest of this path continues from the
                            // link's target.
                            let rest: PathBuf = parts.iter().rev().collect();
                            pending.push(target.join(rest));
                            break;
                        } else if meta.is_dir() {
                            self.dirs.insert(here.clone());
                            real = here;
                        } else if meta.is_file() && parts.is_empty() {
                            self.files.insert(here);
                            return Ok(());
                        } else {
                            return Err(io::Error::other(format!(
                                "{} is not a directory or regular file",
                                here.display()
                            )));
                        }
                    }
                }
            }
        }
        Err(io::Error::other(format!(
            "{} does not end at a regular file",
            path.display()
        )))
    }
}

fn refuse_never(path: &Path) -> io::Result<()> {
    if path.starts_with(NEVER) {
        return Err(io::Error::other(format!(
            "{} is under {NEVER}, which the sandbox never shows",
            path.display()
        )));
    }
    Ok(())
}

/// What one ELF file asks the loader for.
#[derive(Debug, Clone, Default, PartialEq, Eq, Hash)]
pub struct Needs {
    pub interpreter: Option<PathBuf>,
    pub libraries: Vec<String>,
}

/// Reads what `path` needs from the loader; `None` when it is not an ELF
/// file (nothing to add for it).
pub fn needs_of(path: &Path) -> io::Result<Option<Needs>> {
    let file = File::open(path)?;
    let mut head = [0u8; header::header64::SIZEOF_EHDR];
    if file.read_at(&mut head, 0)? < head.len() || &head[..4] != header::ELFMAG {
        return Ok(None);
    }
    let header = Elf::parse_header(&head).map_err(io::Error::other)?;
    let container = if header.e_ident[header::EI_CLASS] == header::ELFCLASS64 {
        Container::Big
    } else {
        Container::Little
    };
    let endian = Endian::from(header.e_ident[header::EI_DATA] == header::ELFDATA2LSB);
    let ctx = Ctx::new(container, endian);
    let table = read_region(
        &file,
        header.e_phoff,
        u64::from(header.e_phnum) * u64::from(header.e_phentsize),
    )?;
    let phdrs = ProgramHeader::parse(&table, 0, usize::from(header.e_phnum), ctx)
        .map_err(io::Error::other)?;
    let mut needs = Needs::default();
    if let Some(interp) = phdrs.iter().find(|p| p.p_type == PT_INTERP) {
        let bytes = read_region(&file, interp.p_offset, interp.p_filesz)?;
        let text = bytes.split(|b| *b == 0).next().unwrap_or_default();
        needs.interpreter = Some(PathBuf::from(String::from_utf8_lossy(text).into_owned()));
    }
    let Some(dynamic) = phdrs.iter().find(|p| p.p_type == PT_DYNAMIC) else {
        return Ok(Some(needs));
    };
    let bytes = read_region(&file, dynamic.p_offset, dynamic.p_filesz)?;
    let mut entries = Vec::new();
    let mut offset = 0;
    while offset < bytes.len() {
        let entry: Dyn = bytes
            .gread_with(&mut offset, ctx)
            .map_err(io::Error::other)?;
        if entry.d_tag == 0 {
            break;
        }
        entries.push(entry);
    }
    let value = |tag| entries.iter().find(|e| e.d_tag == tag).map(|e| e.d_val);
    let (Some(strtab), Some(strsz)) = (value(DT_STRTAB), value(DT_STRSZ)) else {
        return Ok(Some(needs));
    };
    // The string table is given by address: find the file offset of the
    // loaded segment that holds it.
    let strtab_offset = phdrs
        .iter()
        .filter(|p| p.p_type == PT_LOAD)
        .find(|p| strtab >= p.p_vaddr && strtab < p.p_vaddr + p.p_filesz)
        .map(|p| p.p_offset + (strtab - p.p_vaddr))
        .ok_or_else(|| io::Error::other("ELF string table outside every loaded segment"))?;
    let strings = read_region(&file, strtab_offset, strsz)?;
    for entry in entries.iter().filter(|e| e.d_tag == DT_NEEDED) {
        let start = usize::try_from(entry.d_val).map_err(io::Error::other)?;
        let name = strings
            .get(start..)
            .and_then(|s| s.split(|b| *b == 0).next())
            .ok_or_else(|| io::Error::other("ELF library name outside the string table"))?;
        needs
            .libraries
            .push(String::from_utf8_lossy(name).into_owned());
    }
    Ok(Some(needs))
}

fn read_region(file: &File, offset: u64, len: u64) -> io::Result<Vec<u8>> {
    if len > MAX_REGION {
        return Err(io::Error::other("ELF region larger than any real one"));
    }
    let mut buf = vec![0u8; len as usize];
    file.read_exact_at(&mut buf, offset)?;
    Ok(buf)
}

/// Everything `programs` need, resolved on the host. Files that are not
/// ELF (a script, a text file in the box) add nothing.
pub fn for_programs(programs: &[&Path]) -> io::Result<RuntimeFiles> {
    static RESOLVED: OnceLock<Mutex<HashMap<Needs, Arc<RuntimeFiles>>>> = OnceLock::new();
    let mut all = RuntimeFiles::default();
    for program in programs {
        let Some(needs) = needs_of(program)? else {
            continue;
        };
        let memo = RESOLVED.get_or_init(Default::default);
        let known = memo
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(&needs)
            .cloned();
        let files = match known {
            Some(files) => files,
            None => {
                let files = Arc::new(resolve(&needs)?);
                memo.lock()
                    .unwrap_or_else(|e| e.into_inner())
                    .insert(needs, files.clone());
                files
            }
        };
        all.merge(&files);
    }
    Ok(all)
}

/// Finds the interpreter and every library, following each library's own
/// needs.
fn resolve(needs: &Needs) -> io::Result<RuntimeFiles> {
    let mut out = RuntimeFiles::default();
    let mut search: Vec<PathBuf> = Vec::new();
    if let Some(interp) = &needs.interpreter {
        out.add_path(interp)?;
        if let Some(dir) = std::fs::canonicalize(interp)?.parent() {
            search.push(dir.to_path_buf());
        }
    }
    search.extend(DEFAULT_LIBRARY_DIRS.iter().map(PathBuf::from));
    let mut queue: Vec<String> = needs.libraries.clone();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    while let Some(name) = queue.pop() {
        if !seen.insert(name.clone()) {
            continue;
        }
        // Only bare names, looked up in the system's own folders: a name
        // with a slash would let the binary pick any host file to show.
        if name.contains('/') {
            return Err(io::Error::other(format!(
                "the shared library {name} is named by a path, which the sandbox does not show"
            )));
        }
        let found = search
            .iter()
            .map(|dir| dir.join(&name))
            .find(|p| !p.starts_with(NEVER) && p.is_file());
        let path = found.ok_or_else(|| {
            io::Error::other(format!(
                "the shared library {name} was not found outside {NEVER}"
            ))
        })?;
        out.add_path(&path)?;
        if let Some(more) = needs_of(&path)? {
            queue.extend(more.libraries);
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_path_through_links_records_each_link_and_the_real_file() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().canonicalize().unwrap();
        std::fs::create_dir_all(root.join("usr/lib/arch")).unwrap();
        std::fs::write(root.join("usr/lib/arch/libz.so.1"), b"x").unwrap();
        std::os::unix::fs::symlink("usr/lib", root.join("lib")).unwrap();
        std::os::unix::fs::symlink(root.join("lib/arch/libz.so.1"), root.join("usr/libz")).unwrap();
        let mut files = RuntimeFiles::default();
        files.add_path(&root.join("usr/libz")).unwrap();
        assert_eq!(
            files.files,
            BTreeSet::from([root.join("usr/lib/arch/libz.so.1")])
        );
        assert_eq!(
            files.links.get(&root.join("usr/libz")),
            Some(&root.join("lib/arch/libz.so.1"))
        );
        assert_eq!(
            files.links.get(&root.join("lib")),
            Some(&PathBuf::from("usr/lib"))
        );
        assert!(files.dirs.contains(&root.join("usr/lib/arch")));
    }

    #[test]
    fn usr_local_is_never_taken() {
        let err = RuntimeFiles::default()
            .add_path(Path::new("/usr/local/lib/libanything.so"))
            .unwrap_err();
        assert!(err.to_string().contains("/usr/local"), "{err}");
    }

    #[test]
    fn a_system_program_needs_its_loader_and_libc() {
        let needs = needs_of(Path::new("/bin/true"))
            .unwrap()
            .expect("an ELF file");
        let interp = needs.interpreter.clone().expect("dynamically linked");
        assert!(
            needs.libraries.iter().any(|l| l.starts_with("libc.so")),
            "{needs:?}"
        );
        let files = for_programs(&[Path::new("/bin/true")]).unwrap();
        assert!(
            files.files.contains(&interp.canonicalize().unwrap()),
            "{files:?}"
        );
        assert!(
            files.files.iter().any(|f| f
                .file_name()
                .is_some_and(|n| n.to_string_lossy().starts_with("libc.so"))),
            "{files:?}"
        );
        assert!(files.files.iter().all(|f| !f.starts_with(NEVER)));
    }

    #[test]
    fn a_text_file_needs_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let script = dir.path().join("run.sh");
        std::fs::write(&script, "#!/bin/sh\n").unwrap();
        assert_eq!(needs_of(&script).unwrap(), None);
        assert_eq!(for_programs(&[&script]).unwrap(), RuntimeFiles::default());
    }
}
