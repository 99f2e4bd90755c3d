//! INSEE's files read line by line: a line is split by a small reader of the portal's own,
//! since INSEE's files never hold a line break inside a field (a quote left open costs its one
//! line, where a CSV reader would swallow the rest of the file).

use std::collections::HashMap;
use std::io::Read;
use std::sync::Arc;

/// Where a file is read from: a path (the command) or bytes (the admin page's upload).
#[derive(Clone)]
pub enum Source {
    Path(std::path::PathBuf),
    Bytes(Arc<Vec<u8>>),
}

impl Source {
    pub(super) fn open(&self) -> Result<Box<dyn Read + Send>, String> {
        match self {
            Source::Path(path) => std::fs::File::open(path)
                .map(|file| Box::new(std::io::BufReader::with_capacity(1 << 20, file)) as _)
                .map_err(|error| format!("Lecture de {} impossible : {error}", path.display())),
            Source::Bytes(bytes) => Ok(Box::new(std::io::Cursor::new(Shared(Arc::clone(bytes))))),
        }
    }
}

/// Uploaded bytes, read by each pass without a copy.
struct Shared(Arc<Vec<u8>>);

impl AsRef<[u8]> for Shared {
    fn as_ref(&self) -> &[u8] {
        &self.0
    }
}

/// One line of a file, split into fields.
#[derive(Default)]
pub(super) struct Record {
    data: Vec<u8>,
    ends: Vec<usize>,
}

impl Record {
    pub(super) fn get(&self, index: usize) -> Option<&[u8]> {
        let end = *self.ends.get(index)?;
        let start = if index == 0 { 0 } else { self.ends[index - 1] };
        self.data.get(start..end)
    }

    pub(super) fn fields(&self) -> impl Iterator<Item = &[u8]> {
        (0..self.ends.len()).filter_map(|i| self.get(i))
    }

    /// Splits `line` (without its line break): fields between `delimiter`, a field in double
    /// quotes may hold the delimiter and doubled quotes. INSEE's files hold no line break
    /// inside a field, so a quote left open is this line's fault alone: the next line is read
    /// as usual.
    pub(super) fn split(&mut self, line: &[u8], delimiter: u8) -> Result<(), &'static str> {
        self.data.clear();
        self.ends.clear();
        let mut quoted = false;
        let mut at_start = true;
        let mut bytes = line.iter().copied().peekable();
        while let Some(byte) = bytes.next() {
            match byte {
                b'"' if quoted && bytes.peek() == Some(&b'"') => {
                    bytes.next();
                    self.data.push(b'"');
                }
                b'"' if quoted => quoted = false,
                b'"' if at_start => quoted = true,
                _ if byte == delimiter && !quoted => {
                    self.ends.push(self.data.len());
                    at_start = true;
                    continue;
                }
                _ => self.data.push(byte),
            }
            at_start = false;
        }
        self.ends.push(self.data.len());
        if quoted {
            Err("guillemet ouvert et jamais fermé")
        } else {
            Ok(())
        }
    }
}

/// A file read line by line, with the columns its header names.
pub(super) struct Lines {
    input: std::io::BufReader<Box<dyn Read + Send>>,
    line: Vec<u8>,
    pub(super) number: u64,
    delimiter: u8,
    columns: HashMap<String, usize>,
}

/// At most this many bytes in one line (INSEE's longest are a few hundred).
pub(super) const MAX_LINE: usize = 64 * 1024;

impl Lines {
    /// Opens `source` and reads its header; `required` columns must be there.
    pub(super) fn open(source: &Source, file: &str, required: &[&str]) -> Result<Lines, String> {
        let mut lines = Lines {
            input: std::io::BufReader::with_capacity(1 << 20, source.open()?),
            line: Vec::new(),
            number: 0,
            delimiter: b',',
            columns: HashMap::new(),
        };
        let mut header = Record::default();
        match lines.read_line() {
            Ok(true) => {}
            Ok(false) => return Err(format!("{file} : le fichier est vide.")),
            Err(error) => return Err(format!("{file} : {error}.")),
        }
        let line = lines
            .line
            .strip_prefix(b"\xEF\xBB\xBF")
            .unwrap_or(&lines.line);
        if line.iter().filter(|b| **b == b';').count() > line.iter().filter(|b| **b == b',').count()
        {
            lines.delimiter = b';';
        }
        header
            .split(line, lines.delimiter)
            .map_err(|why| format!("{file} : ligne d'en-tête illisible ({why})."))?;
        lines.columns = header
            .fields()
            .enumerate()
            .map(|(i, name)| (text(name).trim().to_owned(), i))
            .collect();
        let missing: Vec<&str> = required
            .iter()
            .filter(|name| !lines.columns.contains_key(**name))
            .copied()
            .collect();
        if !missing.is_empty() {
            let plural = if missing.len() > 1 { "s" } else { "" };
            return Err(format!(
                "{file} : colonne{plural} {} absente{plural} ; est-ce bien le fichier de l'INSEE attendu ?",
                missing.join(", "),
            ));
        }
        Ok(lines)
    }

    /// Reads the next line into `self.line`; `false` at the end of the file.
    pub(super) fn read_line(&mut self) -> Result<bool, String> {
        use std::io::BufRead;
        self.line.clear();
        self.number += 1;
        let read = (&mut self.input)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut self.line)
            .map_err(|error| format!("lecture impossible ({error})"))?;
        if read > MAX_LINE && !self.line.ends_with(b"\n") {
            // Skip the rest of this overlong line.
            let mut rest = Vec::new();
            loop {
                rest.clear();
                let more = (&mut self.input)
                    .take(MAX_LINE as u64)
                    .read_until(b'\n', &mut rest)
                    .map_err(|error| format!("lecture impossible ({error})"))?;
                if more == 0 || rest.ends_with(b"\n") {
                    break;
                }
            }
            return Err(format!("ligne de plus de {} Ko", MAX_LINE / 1024));
        }
        while self.line.last().is_some_and(|b| *b == b'\n' || *b == b'\r') {
            self.line.pop();
        }
        Ok(read > 0)
    }

    /// The next data line, split into `record`: `None` at the end, `Some(Err)` for a line that
    /// cannot be read (its number is `self.number`).
    pub(super) fn next(&mut self, record: &mut Record) -> Option<Result<(), String>> {
        loop {
            match self.read_line() {
                Err(error) => return Some(Err(error)),
                Ok(false) => return None,
                Ok(true) if self.line.is_empty() => continue,
                Ok(true) => {
                    return Some(
                        record
                            .split(&self.line, self.delimiter)
                            .map_err(str::to_owned),
                    );
                }
            }
        }
    }

    /// The record's value in `column` ("" when absent or masked, « [ND] »).
    pub(super) fn get(&self, record: &Record, column: &str) -> String {
        let value = self
            .columns
            .get(column)
            .and_then(|i| record.get(*i))
            .map(text)
            .unwrap_or_default();
        let value = value.trim();
        if value == "[ND]" {
            String::new()
        } else {
            value.to_owned()
        }
    }
}

/// A field's text: UTF-8, or Windows-1252 bytes.
pub(super) fn text(bytes: &[u8]) -> String {
    match std::str::from_utf8(bytes) {
        Ok(text) => text.to_owned(),
        Err(_) => super::super::import::decode(bytes),
    }
}
